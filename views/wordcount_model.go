package views

import (
	"context"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/wordcount"
	"kflow/text"
)

// Word count panel tunables.
const (
	// wordCountBuffer is the ring the output topic is read into: roomy,
	// so that even reading a long history the tail rarely evicts records
	// before the panel folds them.
	wordCountBuffer = 1 << 16
	// wordCountFeed is how many of the newest updates the feed keeps.
	wordCountFeed = 256
	// wordCountTopKeep is how many words the chart's cache ranks.
	wordCountTopKeep = 64
	// wordCountEvery is how often rates are sampled and the lag asked,
	// when the shell polls at all.
	wordCountEvery = time.Second
	// wordCountFrame is the least time between two takes from the ring.
	wordCountFrame = time.Second / 30
)

// WordCount is the live word count panel. It reads the engine's output
// topic from the beginning (the counts' truth: each record is a word's
// whole count, an 8-byte big-endian long) into a ring, takes what is new
// at most once a frame and folds it into its own table of counts; it
// shows the top words as a bar chart, the total and distinct words,
// lines/s in and updates/s out, the lag of the engine's groups and a feed
// of the newest updates. An input line sends sentences into the input
// topic. The engine runs elsewhere, or in-process, started and stopped
// from the panel.
type WordCount struct {
	c    *Common
	id   int
	src  WordCountSource
	opts WordCountViewOptions
	keys WordCountKeys

	ctx    context.Context
	cancel context.CancelFunc

	// The output topic's feed.
	feed     *tailFeed
	feedGen  int
	starting bool
	// retryTail: the engine started (creating the topics) while a try
	// was in flight; if that try fails, try again at once, not next tick.
	retryTail bool
	tailErr   error
	seq       uint64
	skipped   uint64 // evicted from the ring before the panel folded them
	buf       []kafka.Record
	lastTake  time.Time
	progress  []kafka.PartitionProgress
	feedErr   error
	ring      kafka.RingStats

	counts *wordCounts

	// The in-process engine.
	engine     WordCountEngine
	engineGen  int
	engineStop context.CancelFunc
	engineBusy bool // starting or stopping
	engineErr  error
	engStats   wordcount.Stats
	outages    *wcOutages // what the engine says of unreachable brokers

	// The engine's groups, as the last lag call saw them.
	lag        []kafka.GroupLag
	lagErr     error
	lagBusy    bool
	lagAt      time.Time
	ticking    bool // a tick is scheduled
	groupsSeen bool // the last lag call found at least one group

	// Rates, from counters sampled per tick.
	linesRate   wcRate
	updatesRate wcRate

	// The input line.
	input   textinput.Model
	typing  bool
	sending int
	sent    int64
	sendErr error
	lastOut string // what the last send did, for the hint line

	width, height int
}

// NewWordCount makes the word count panel reading through src.
func NewWordCount(c *Common, src WordCountSource, opts WordCountViewOptions) *WordCount {
	return newWordCount(c, src, opts)
}

// NewWordCountRing makes the panel over a ring someone else fills with
// the output topic's records: model tests and golden screens drive it so,
// with src a fake for the rest (sends, lag, the engine).
func NewWordCountRing(c *Common, src WordCountSource, ring *kafka.Ring, opts WordCountViewOptions) *WordCount {
	v := newWordCount(c, src, opts)
	v.setFeed(&tailFeed{ring: ring})
	return v
}

func newWordCount(c *Common, src WordCountSource, opts WordCountViewOptions) *WordCount {
	parent := c.Ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	in := textinput.New()
	in.Prompt = "› "
	in.SetStyles(c.Theme.Input())
	in.CharLimit = 4096
	v := &WordCount{
		c: c, id: c.NewID(), src: src, opts: opts.withDefaults(), keys: DefaultWordCountKeys(),
		ctx: ctx, cancel: cancel,
		counts: newWordCounts(wordCountFeed),
		input:  in,
	}
	v.setPlaceholder()
	return v
}

// ID is the view's id; messages carrying another are not its.
func (v *WordCount) ID() int { return v.id }

// Init starts reading the output topic, the lag and the rates.
func (v *WordCount) Init() tea.Cmd {
	cmds := []tea.Cmd{v.lagCall()}
	if v.feed != nil {
		cmds = append(cmds, v.wait())
	} else {
		cmds = append(cmds, v.beginTail())
	}
	return tea.Batch(cmds...)
}

// Title names the view.
func (v *WordCount) Title() string { return "word count" }

// Capturing reports whether the input line has the keys.
func (v *WordCount) Capturing() bool { return v.typing }

// WantsEsc reports whether esc leaves the input line rather than the
// panel.
func (v *WordCount) WantsEsc() bool { return v.typing }

// Busy reports whether the tail or the engine is starting, or a send is
// in flight.
func (v *WordCount) Busy() bool { return v.starting || v.engineBusy || v.sending > 0 }

// Close stops the tail and the in-process engine: the engine runs while
// the panel is open.
func (v *WordCount) Close() {
	v.feed.close()
	v.stopEngine()
	v.cancel()
}

// SetSize sets the view's area.
func (v *WordCount) SetSize(w, h int) {
	v.width, v.height = w, h
	v.input.SetWidth(max(10, w-4))
}

// Counts returns the total and distinct words the panel holds.
func (v *WordCount) Counts() (total int64, distinct int) {
	return v.counts.total, v.counts.distinct()
}

// Count returns the panel's count of word, false when it has none.
func (v *WordCount) Count(word string) (int64, bool) {
	n, ok := v.counts.counts[word]
	return n, ok
}

// Running reports whether an engine runs in-process.
func (v *WordCount) Running() bool { return v.engine != nil }

// setFeed switches to a new feed of the output topic, starting the
// table of counts over: the new feed reads the topic from the beginning.
func (v *WordCount) setFeed(f *tailFeed) {
	v.feed.close()
	v.feed = f
	v.feedGen++
	v.seq, v.skipped = 0, 0
	v.progress, v.feedErr, v.ring = nil, nil, kafka.RingStats{}
	v.counts = newWordCounts(wordCountFeed)
	v.updatesRate = wcRate{}
}

// take folds what the ring received since the last frame: the one place
// output records enter the panel. Every record taken is folded, so a
// word's count is the newest the panel saw.
func (v *WordCount) take() {
	if v.feed == nil {
		return
	}
	v.lastTake = time.Now()
	v.observeFeed()
	var next uint64
	v.buf, next = v.feed.ring.Since(v.seq, v.buf[:0])
	v.skipped += next - v.seq - uint64(len(v.buf))
	v.seq = next
	v.counts.fold(v.buf)
	clear(v.buf) // the table holds only words and counts
}

// observeFeed reads the tail's progress, its latest error and the ring's
// counters, without taking records.
func (v *WordCount) observeFeed() {
	if v.feed.tail != nil {
		v.progress = v.feed.tail.Progress()
		v.feedErr = v.feed.tail.Err()
	}
	v.ring = v.feed.ring.Stats()
}

// catchingUp reports whether the tail still reads the topic's history,
// and how far it is, 0 to 1.
func (v *WordCount) catchingUp() (bool, float64) {
	var from, target, next int64
	behind := false
	for _, p := range v.progress {
		from += p.From
		target += p.Target
		next += min(p.Next, p.Target)
		if !p.CaughtUp() {
			behind = true
		}
	}
	if !behind || target <= from {
		return false, 1
	}
	return true, float64(next-from) / float64(target-from)
}

// now is the view's clock.
func (v *WordCount) now() time.Time { return v.c.now() }

// every schedules the next sample of rates and lag, or nothing when the
// shell does not poll (tests send TickMsg themselves).
func (v *WordCount) every() tea.Cmd {
	if v.c.Refresh <= 0 {
		return nil
	}
	id := v.id
	return tea.Tick(wordCountEvery, func(time.Time) tea.Msg { return TickMsg{ID: id} })
}

// wcRateWindow is how far back a rate looks: wide enough to smooth a
// source that writes every two seconds, short enough to follow a change.
const wcRateWindow = 5 * time.Second

// wcRate is a per-second rate from a counter sampled now and then,
// averaged over the samples of the last wcRateWindow.
type wcRate struct {
	samples []wcSample // oldest first
}

type wcSample struct {
	at time.Time
	n  int64
}

// observe samples counter n at time at; a counter that went back (a
// restarted engine) starts over.
func (r *wcRate) observe(n int64, at time.Time) {
	if k := len(r.samples); k > 0 && (n < r.samples[k-1].n || !at.After(r.samples[k-1].at)) {
		if n < r.samples[k-1].n {
			r.samples = r.samples[:0]
		} else {
			return
		}
	}
	r.samples = append(r.samples, wcSample{at, n})
	// Keep one sample at or before the window's start, so the rate always
	// spans the whole window once it can.
	i := 0
	for i+1 < len(r.samples) && !r.samples[i+1].at.After(at.Add(-wcRateWindow)) {
		i++
	}
	r.samples = r.samples[i:]
}

// perSec is the rate over the window, false until two samples exist.
func (r *wcRate) perSec() (float64, bool) {
	if len(r.samples) < 2 {
		return 0, false
	}
	a, b := r.samples[0], r.samples[len(r.samples)-1]
	return float64(b.n-a.n) / b.at.Sub(a.at).Seconds(), true
}

// text is the rate for display, a dash until two samples exist.
func (r *wcRate) text() string {
	ps, ok := r.perSec()
	if !ok {
		return text.Dash
	}
	return text.Rate(ps)
}
