package views

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// ScanSource is what the trace and search screens call: the client's
// range scanner and its consumer group look-up.
type ScanSource interface {
	Trace(ctx context.Context, o kafka.TraceOptions) (*kafka.Scanner, error)
	Scan(ctx context.Context, o kafka.ScanOptions) (*kafka.Scanner, error)
	KeyPartitions(ctx context.Context, topics []string, key []byte) (map[string][]int32, error)
	Consumers(ctx context.Context, recs []kafka.Record) ([]kafka.Consumption, error)
}

var _ ScanSource = (*kafka.Client)(nil)

// scanFrame is how often a running scan's progress and matches are read:
// records never reach Bubble Tea one message each.
const scanFrame = 100 * time.Millisecond

// DefaultTraceWindow is how far back a trace from the UI reads.
const DefaultTraceWindow = time.Hour

// Scan is the trace screen (every record carrying one id, across topics,
// with the groups that consumed each) and the search screen (a topic's
// records passing the tail's filter): a progress line while the range is
// read, the matches as a table, enter for the tail's detail pane.
type Scan struct {
	c    *Common
	id   int
	src  ScanSource
	keys ScanKeys

	// trace is the id traced; "" for a search.
	trace  string
	topic  string // a search's topic
	filter *TailFilter
	key    bool // a key trace or a key:= search
	from   time.Time

	ctx    context.Context
	cancel context.CancelFunc
	run    *kafka.Scanner
	err    error

	prog    kafka.ScanProgress
	matches []kafka.Record
	cons    []kafka.Consumption // by match, once the scan ended (trace)
	stopped bool

	sel, top      int
	detail        *tailDetail
	width, height int
}

// scanStartedMsg answers the scan's start: its offsets listed.
type scanStartedMsg struct {
	ID  int
	Run *kafka.Scanner
	Err error
}

// ViewID is the asking view's id.
func (m scanStartedMsg) ViewID() int { return m.ID }

// scanFrameMsg asks the view with ID to read its scan's progress.
type scanFrameMsg struct{ ID int }

// ViewID is the view to refresh.
func (m scanFrameMsg) ViewID() int { return m.ID }

// scanConsumersMsg carries the groups that consumed each match.
type scanConsumersMsg struct {
	ID   int
	Cons []kafka.Consumption
	Err  error
}

// ViewID is the asking view's id.
func (m scanConsumersMsg) ViewID() int { return m.ID }

func newScan(c *Common, src ScanSource) *Scan {
	v := &Scan{c: c, id: c.NewID(), src: src, keys: DefaultScanKeys()}
	v.ctx, v.cancel = context.WithCancel(c.Ctx)
	return v
}

// NewTrace is the trace screen for id over every topic of the last
// DefaultTraceWindow; key traces the record key alone, on the one
// partition of each topic it hashes to.
func NewTrace(c *Common, src ScanSource, id string, key bool) *Scan {
	v := newScan(c, src)
	v.trace, v.key = id, key
	v.from = c.now().Add(-DefaultTraceWindow)
	return v
}

// NewSearch is the search screen: topic's whole range through f (a
// key:= filter reads one partition).
func NewSearch(c *Common, src ScanSource, topic string, f *TailFilter) *Scan {
	v := newScan(c, src)
	v.topic, v.filter = topic, f
	_, v.key = f.Key()
	return v
}

// OpenTrace pushes the trace screen for id.
func OpenTrace(c *Common, id string, key bool) tea.Cmd {
	src, ok := c.Cluster.(ScanSource)
	if !ok || c.Cluster == nil {
		return Failure(errors.New("trace: not connected to a cluster"))
	}
	return Push(NewTrace(c, src, id, key))
}

// OpenSearch pushes the search screen over topic with f.
func OpenSearch(c *Common, topic string, f *TailFilter) tea.Cmd {
	src, ok := c.Cluster.(ScanSource)
	if !ok || c.Cluster == nil {
		return Failure(errors.New("search: not connected to a cluster"))
	}
	if f == nil {
		return Failure(errors.New("search: set a filter first (/), then S searches the whole topic with it"))
	}
	return Push(NewSearch(c, src, topic, f))
}

// ID is the view's id.
func (v *Scan) ID() int { return v.id }

// Title names the view in the breadcrumb.
func (v *Scan) Title() string {
	if v.trace != "" {
		return "trace · " + v.trace
	}
	return "search · " + v.topic
}

// Capturing reports false: the screen takes no text.
func (v *Scan) Capturing() bool { return false }

// Busy reports whether the scan runs.
func (v *Scan) Busy() bool { return v.running() }

// WantsEsc reports whether esc stops the scan or closes the detail pane
// rather than going back.
func (v *Scan) WantsEsc() bool { return v.detail != nil || v.running() }

func (v *Scan) running() bool { return v.run != nil && !v.prog.Done }

// SetSize gives the view its area.
func (v *Scan) SetSize(w, h int) {
	v.width, v.height = w, h
	if v.detail != nil {
		v.detail.setSize(w, h)
	}
	v.clampTop()
}

// Close stops the scan.
func (v *Scan) Close() {
	v.cancel()
	if v.run != nil {
		v.run.Stop()
	}
}

// Init starts the scan: offsets are listed off the UI's goroutine.
func (v *Scan) Init() tea.Cmd {
	id, src, ctx := v.id, v.src, v.ctx
	trace, topic, f, key, from := v.trace, v.topic, v.filter, v.key, v.from
	return func() tea.Msg {
		var run *kafka.Scanner
		var err error
		if trace != "" {
			run, err = src.Trace(ctx, kafka.TraceOptions{ID: trace, From: from, Key: key})
		} else {
			opts := kafka.ScanOptions{Topics: []string{topic}, Match: f.Match}
			if k, ok := f.Key(); ok {
				opts.Partitions, err = src.KeyPartitions(ctx, opts.Topics, k)
			}
			if err == nil {
				run, err = src.Scan(ctx, opts)
			}
		}
		return scanStartedMsg{ID: id, Run: run, Err: err}
	}
}

func (v *Scan) frameCmd() tea.Cmd {
	id := v.id
	return tea.Tick(scanFrame, func(time.Time) tea.Msg { return scanFrameMsg{ID: id} })
}

// Update handles the scan's start, its frames, the consumers and keys.
func (v *Scan) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case scanStartedMsg:
		if msg.ID != v.id {
			return v, nil
		}
		if msg.Err != nil {
			v.err = msg.Err
			return v, Failure(msg.Err)
		}
		v.run = msg.Run
		return v, v.frame()
	case scanFrameMsg:
		if msg.ID != v.id || v.run == nil {
			return v, nil
		}
		return v, v.frame()
	case scanConsumersMsg:
		if msg.ID != v.id {
			return v, nil
		}
		if msg.Err != nil {
			return v, Failure(fmt.Errorf("trace: which groups consumed the matches: %w", msg.Err))
		}
		if len(msg.Cons) == len(v.matches) {
			v.cons = msg.Cons
		}
		return v, nil
	case tailDecodedMsg:
		if msg.ID == v.id && v.detail != nil {
			v.detail.decoded(msg)
		}
		return v, nil
	case tea.KeyPressMsg:
		return v, v.keyPress(msg)
	}
	return v, nil
}

// frame reads the scan's progress and, when their count moved, its
// matches; the next frame is scheduled while it runs.
func (v *Scan) frame() tea.Cmd {
	p := v.run.Progress()
	if p.Kept != len(v.matches) || p.Done {
		v.matches = v.run.Matches()
	}
	v.prog = p
	v.clampTop()
	if !p.Done {
		return v.frameCmd()
	}
	if _, err := v.run.Wait(); err != nil {
		v.err = err
		return Failure(err)
	}
	if v.trace == "" || len(v.matches) == 0 {
		return nil
	}
	id, src, recs, timeout := v.id, v.src, v.matches, v.c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx := v.c.Ctx
	return func() tea.Msg {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		cons, err := src.Consumers(cctx, recs)
		return scanConsumersMsg{ID: id, Cons: cons, Err: err}
	}
}
