package views

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/lag"
	"kflow/themes"
)

// Default timings of the views.
const (
	DefaultRefresh = 3 * time.Second
	DefaultTimeout = 10 * time.Second
)

// Common is the state every view shares. The shell owns it and changes it
// in place (a theme switch), so views hold a pointer and read it when they
// render; no view keeps a copy of a style.
type Common struct {
	// Ctx ends when the UI quits or the connection is replaced; every call
	// a view makes derives from it.
	Ctx context.Context
	// Theme holds every style.
	Theme *themes.Theme
	// Cluster is the connection views call.
	Cluster Cluster
	// ReadOnly hides and refuses create, delete and produce.
	ReadOnly bool
	// Now is the clock; tests fix it so rates and times are stable.
	Now func() time.Time
	// Refresh is how often views poll; zero turns polling off (tests
	// refresh by key instead).
	Refresh time.Duration
	// Timeout bounds each call.
	Timeout time.Duration
	// TailBuffer is how many records a tail view keeps (--buffer);
	// kafka.DefaultBuffer when zero.
	TailBuffer int
	// LagRules, when set (--lag-rules), are the lag dashboard's status
	// thresholds; nil reads KFLOW_LAG_RULES, else the defaults.
	LagRules *lag.Rules
	// Lag is the connection's lag monitor, sampling every group in the
	// background from the moment the shell connects, so statuses outlive
	// the views that show them; nil makes each groups view sample alone.
	Lag *kafka.LagMonitor
	// ConfigDir is kflow's config directory (themes, produce history);
	// "" keeps nothing on disk.
	ConfigDir string
	// NoHistory keeps no produce history (--no-history, history: false).
	NoHistory bool
	// Decoder decodes keys and values in the schema registry's wire format
	// (the detail pane); nil without a registry.
	Decoder *schema.Decoder
	// Formats says how a topic's keys and values are read when the
	// connection names a format for it (a context's formats:); nil, or
	// auto, reads them as kflow guesses.
	Formats func(topic string) (key, value schema.Format)
	// Registry is the connection's Schema Registry, which the schemas
	// view lists and edits and the produce form encodes through; nil
	// without one.
	Registry *schema.Registry
	// Link is whether the cluster answers, as the shell last found: the
	// status bar and every view read this one state, so they never
	// disagree. Only the shell writes it.
	Link Link
	// Health is the cluster's unhealthy partition counts, as the topics
	// view last listed them (every topic, internal ones included): the
	// status bar shows them without a poll of its own.
	Health HealthCounts

	nextID int
}

// HealthCounts counts the partitions with each health mark, over every
// topic; Known is false until a listing has filled them.
type HealthCounts struct {
	Known                                 bool
	UnderReplicated, UnderMinISR, Offline int
}

// Bad reports whether any partition has a mark.
func (h HealthCounts) Bad() bool { return h.UnderReplicated+h.UnderMinISR+h.Offline > 0 }

// healthCounts sums ts' marks. The counts overlap as Kafka's own metrics
// do: an under-min-ISR partition is under-replicated too.
func healthCounts(ts []kafka.TopicSummary) HealthCounts {
	h := HealthCounts{Known: true}
	for _, t := range ts {
		h.Offline += t.Offline
		h.UnderMinISR += t.UnderMinISR
		h.UnderReplicated += t.UnderReplicated
	}
	return h
}

// Link is the connection's state the whole UI shares.
type Link struct {
	// Lost is set when the cluster stopped answering, until it answers
	// again.
	Lost bool
	// Since is when it was lost.
	Since time.Time
}

// Stale reports whether a view's data is stale: its own last call failed
// (err), or the cluster is lost.
func (c *Common) Stale(err error) bool { return err != nil || c.Link.Lost }

// NewID returns an id no other view of this Common has had, so results
// meant for a closed view are recognised and dropped.
func (c *Common) NewID() int {
	c.nextID++
	return c.nextID
}

// now is Now, defaulting to the wall clock.
func (c *Common) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// Result is the message an asynchronous call of a view answers with. ID is
// the asking view's id; Gen tells a reply to an older request of the same
// view from the newest one.
type Result[T any] struct {
	ID    int
	Gen   int
	What  string // what was asked, for the message line
	Value T
	Err   error
	At    time.Time // when the answer arrived, by Common.Now
}

// Call runs f as a command, bounded by the Common's timeout, and answers
// with a Result carrying id and gen.
func Call[T any](c *Common, id, gen int, what string, f func(ctx context.Context) (T, error)) tea.Cmd {
	parent := c.Ctx
	if parent == nil {
		parent = context.Background()
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	now := c.now
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(parent, timeout)
		defer cancel()
		v, err := f(ctx)
		if err != nil && ctx.Err() == context.DeadlineExceeded {
			err = &TimeoutError{What: what, After: timeout, Err: err}
		}
		return Result[T]{ID: id, Gen: gen, What: what, Value: v, Err: err, At: now()}
	}
}

// TimeoutError says a call took longer than the UI waits.
type TimeoutError struct {
	What  string
	After time.Duration
	Err   error
}

func (e *TimeoutError) Error() string {
	return e.What + ": no answer within " + e.After.String()
}

// Unwrap returns the call's own error.
func (e *TimeoutError) Unwrap() error { return e.Err }

// TickMsg asks the view with ID to refresh; views chain one after each
// result so requests never pile up.
type TickMsg struct{ ID int }

// tick schedules the next refresh of view id, or nothing when polling is
// off.
func (c *Common) tick(id int) tea.Cmd {
	if c.Refresh <= 0 {
		return nil
	}
	return tea.Tick(c.Refresh, func(time.Time) tea.Msg { return TickMsg{ID: id} })
}

// ViewID is the id of the view that asked.
func (r Result[T]) ViewID() int { return r.ID }

// Failed is the call's error, nil when it succeeded: the shell checks the
// connection at once when a call's outcome disagrees with Link.
func (r Result[T]) Failed() error { return r.Err }

// ViewID is the id of the view to refresh.
func (m TickMsg) ViewID() int { return m.ID }
