package views

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/schema"
)

// TailSource is what the tail view needs from a connection. *kafka.Client
// satisfies it; views never see franz-go.
type TailSource interface {
	Tail(ctx context.Context, opts kafka.TailOptions, buffer int) (*kafka.Tail, error)
	Partitions(ctx context.Context, topic string) (int32, error)
}

var _ TailSource = (*kafka.Client)(nil)

// TailViewOptions say how a tail view starts.
type TailViewOptions struct {
	// Start, when set, starts at once from there; nil asks with the start
	// picker first (end and all partitions are its defaults).
	Start *kafka.Start
	// Partitions limits the tail to these; nil means all.
	Partitions []int32
	// Buffer is how many records the view keeps (kafka.DefaultBuffer when
	// zero).
	Buffer int
	// MaxBytes caps each key and value kept (kafka.DefaultMaxBytes when
	// zero); the true sizes stay known.
	MaxBytes int
	// SaveDir is where s proposes to save; "" is the working directory.
	SaveDir string
}

// tailFrame is the view's frame: it takes records from the ring at most
// this often, however fast they arrive.
const tailFrame = time.Second / 60

// tailStatsEvery is how often rates are sampled and the feed's error and
// progress read when no record arrives.
const tailStatsEvery = time.Second

// Tail is the live tail view: records of one topic as they arrive, at any
// rate, drawn inert. A consumer goroutine fills a bounded ring; the view
// takes what is new at most once a frame (never one message per record),
// keeps its own window of the newest records, filters them, and draws only
// the rows on screen.
type Tail struct {
	c     *Common
	id    int
	src   TailSource
	topic string
	opts  TailViewOptions
	keys  TailKeys

	ctx    context.Context
	cancel context.CancelFunc

	feed     *tailFeed
	feedGen  int
	starting bool
	startErr error
	start    kafka.Start
	parts    []int32
	nparts   int32 // partitions of the topic, 0 until known

	store  *tailStore
	seq    uint64 // ring sequence to take from next
	taken  uint64 // records taken from the ring
	skip   uint64 // evicted from the ring before the view took them
	dups   uint64 // records dropped because their offset was already seen
	next   map[int32]int64
	buf    []kafka.Record
	filter *TailFilter

	// keyFmt and valFmt are the formats the connection names for the
	// topic's keys and values (auto or "": as kflow guesses).
	keyFmt, valFmt schema.Format

	// fetching are the schema ids whose schemas the list waits for;
	// wanted are ids the filter met uncached, with a record to fetch by.
	fetching map[int]bool
	wanted   map[int][]byte

	sel    uint64 // seq of the selected record
	follow bool   // the selection sticks to the newest record
	top    int    // index (among shown) of the first row on screen

	paused bool

	stats    kafka.RingStats
	progress []kafka.PartitionProgress
	feedErr  error
	lastTake time.Time // wall clock, for frame pacing
	rates    tailRates

	picker *tailPicker
	input  *tailFilterInput
	save   *tailSaveInput
	detail *tailDetail

	width, height int
}

// tailFeed is where the records come from: a live tail, or a ring someone
// else fills (tests, benchmarks).
type tailFeed struct {
	ring *kafka.Ring
	tail *kafka.Tail
	stop context.CancelFunc
}

// waiter is the blocking half of the hot path's self-re-arming command,
// shared by every view that reads a ring: it waits until the ring signals
// a push (one signal stands for any number of records), the tail ends,
// every passes (when positive), or ctx ends; then it sleeps out the rest
// of the frame begun at last, so the view takes from the ring at most
// once per frame and never gets a message per record. It reports false
// when ctx ended.
func (f *tailFeed) waiter(ctx context.Context, last time.Time, frame, every time.Duration) func() bool {
	notify := f.ring.Notify()
	var done <-chan struct{}
	if f.tail != nil {
		done = f.tail.Done()
	}
	return func() bool {
		var tick <-chan time.Time
		if every > 0 {
			t := time.NewTimer(every)
			defer t.Stop()
			tick = t.C
		}
		select {
		case <-notify:
		case <-tick:
		case <-done:
		case <-ctx.Done():
			return false
		}
		if d := frame - time.Since(last); d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return false
			}
		}
		return true
	}
}

func (f *tailFeed) close() {
	if f == nil {
		return
	}
	if f.stop != nil {
		f.stop()
	}
	if f.tail != nil {
		go f.tail.Close() // the client's goodbye to the broker must not hold the UI
	}
}

// NewTail makes the tail view of topic reading through src.
func NewTail(c *Common, src TailSource, topic string, opts TailViewOptions) *Tail {
	v := newTail(c, topic, opts)
	v.src = src
	if opts.Start == nil {
		v.picker = newTailPicker(c, topic, opts.Partitions)
	} else {
		v.start = *opts.Start
		v.parts = opts.Partitions
	}
	return v
}

// NewTailRing makes a tail view of a ring that someone else fills: model
// tests, golden screens and benchmarks drive the view this way, with no
// network.
func NewTailRing(c *Common, topic string, ring *kafka.Ring, opts TailViewOptions) *Tail {
	if opts.Buffer <= 0 {
		opts.Buffer = ring.Stats().Cap
	}
	v := newTail(c, topic, opts)
	if opts.Start != nil {
		v.start = *opts.Start
	}
	v.parts = opts.Partitions
	v.setFeed(&tailFeed{ring: ring})
	return v
}

func newTail(c *Common, topic string, opts TailViewOptions) *Tail {
	if opts.Buffer <= 0 {
		opts.Buffer = c.TailBuffer
	}
	if opts.Buffer <= 0 {
		opts.Buffer = kafka.DefaultBuffer
	}
	parent := c.Ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	v := &Tail{
		c: c, id: c.NewID(), topic: topic, opts: opts, keys: DefaultTailKeys(),
		ctx: ctx, cancel: cancel,
		store:  newTailStore(opts.Buffer),
		next:   map[int32]int64{},
		follow: true,
		rates:  newTailRates(),
	}
	if c.Formats != nil {
		v.keyFmt, v.valFmt = c.Formats(topic)
	}
	return v
}

// ID is the view's id; messages carrying another are not its.
func (v *Tail) ID() int { return v.id }

// Init starts the tail, or shows the start picker.
func (v *Tail) Init() tea.Cmd {
	switch {
	case v.picker != nil:
		return tea.Batch(v.picker.focus(), v.countPartitions())
	case v.feed != nil:
		return v.wait()
	}
	return tea.Batch(v.begin(), v.countPartitions())
}

// Title names the view.
func (v *Tail) Title() string { return "tail · " + v.topic }

// Capturing reports whether an input has the keys: the start picker, the
// filter being typed, or the save path.
func (v *Tail) Capturing() bool { return v.picker != nil || v.input != nil || v.save != nil }

// WantsEsc reports whether esc closes something inside the view (the
// detail pane) or clears the filter, rather than going back.
func (v *Tail) WantsEsc() bool { return v.Capturing() || v.detail != nil || v.filter != nil }

// Busy reports whether the tail is being started.
func (v *Tail) Busy() bool { return v.starting }

// Close stops the tail; its goroutine ends with the view.
func (v *Tail) Close() {
	v.feed.close()
	v.cancel()
}

// SetSize sets the view's area.
func (v *Tail) SetSize(w, h int) {
	v.width, v.height = w, h
	if v.detail != nil {
		v.detail.setSize(w, h)
	}
	v.clampTop()
}

// setFeed switches to a new feed, dropping what the old one left.
func (v *Tail) setFeed(f *tailFeed) {
	v.feed.close()
	v.feed = f
	v.feedGen++
	v.seq, v.taken, v.skip, v.dups = 0, 0, 0, 0
	v.next = map[int32]int64{}
	v.store = newTailStore(v.opts.Buffer)
	v.stats, v.progress, v.feedErr = kafka.RingStats{}, nil, nil
	v.sel, v.follow, v.top = 0, true, 0
	v.paused = false
	v.rates = newTailRates()
	v.detail = nil
}

// Stats returns the ring's counters as the view last read them.
func (v *Tail) Stats() kafka.RingStats { return v.stats }

// Counts returns what the view holds: buffered records, those the filter
// shows, and those evicted (from the ring before the view took them, or
// from the view's own window) and dropped as duplicates.
func (v *Tail) Counts() (buffered, shown int, evicted, dups uint64) {
	return v.store.len(), v.store.matched(), v.skip + v.store.evicted, v.dups
}

// take moves what the ring received since the last frame into the
// view's window: the one place records enter the view.
func (v *Tail) take() {
	if v.feed == nil {
		return
	}
	ring := v.feed.ring
	if v.feed.tail != nil {
		v.progress = v.feed.tail.Progress()
		v.feedErr = v.feed.tail.Err()
		v.rates.progress(v.progress)
	}
	if v.paused {
		v.stats = ring.Stats()
		return
	}
	var next uint64
	v.buf, next = ring.Since(v.seq, v.buf[:0])
	v.stats = ring.Stats()
	// What Since did not return between seq and next the ring evicted
	// before the view came for it: counted, never silent.
	v.skip += next - v.seq - uint64(len(v.buf))
	v.seq = next
	v.taken += uint64(len(v.buf))
	recs := v.dedupe(v.buf)
	v.rates.count(recs)
	v.store.add(recs, v.filter)
	clear(v.buf) // the store holds its own copies
	if v.follow {
		v.selectLast()
	} else {
		v.keepSelection()
	}
}

// dedupe drops records whose offset a partition already delivered: a
// resumed fetch must never show a record twice.
func (v *Tail) dedupe(recs []kafka.Record) []kafka.Record {
	out := recs[:0]
	for _, r := range recs {
		if n, ok := v.next[r.Partition]; ok && r.Offset < n {
			v.dups++
			continue
		}
		v.next[r.Partition] = r.Offset + 1
		out = append(out, r)
	}
	return out
}

// selected returns the selected record's index among those shown, or -1.
func (v *Tail) selected() int {
	n := v.store.matched()
	if n == 0 {
		return -1
	}
	i := v.store.index(v.sel)
	return min(i, n-1)
}

// selectLast puts the selection on the newest record shown.
func (v *Tail) selectLast() {
	if n := v.store.matched(); n > 0 {
		_, v.sel = v.store.at(n - 1)
	}
	v.clampTop()
}

// keepSelection moves the selection to the oldest record held when its
// record was evicted.
func (v *Tail) keepSelection() {
	if i := v.selected(); i >= 0 {
		_, v.sel = v.store.at(i)
	}
	v.clampTop()
}

// move moves the selection by d rows. Selecting a row stops following,
// even on the newest row, until G: the row stays under the cursor while
// records arrive, so what the user acts on is what they chose.
func (v *Tail) move(d int) {
	n := v.store.matched()
	if n == 0 {
		return
	}
	i := min(max(v.selected()+d, 0), n-1)
	_, v.sel = v.store.at(i)
	v.follow = false
	v.clampTop()
}

// bodyRows is how many record rows fit.
func (v *Tail) bodyRows() int { return max(1, v.height-v.chromeLines()) }

// clampTop keeps the selection on screen.
func (v *Tail) clampTop() {
	rows := v.bodyRows()
	i := v.selected()
	if i < 0 {
		v.top = 0
		return
	}
	if i < v.top {
		v.top = i
	}
	if i >= v.top+rows {
		v.top = i - rows + 1
	}
	v.top = max(0, min(v.top, v.store.matched()-rows))
}

// setFilter puts f in force over every buffered record.
func (v *Tail) setFilter(f *TailFilter) {
	if f != nil && (v.c.Decoder != nil || v.keyFmt.Named() || v.valFmt.Named()) {
		f.SetTyped(v.filterBytes)
	}
	v.filter = f
	v.store.refilter(f)
	if v.follow {
		v.selectLast()
	} else {
		v.keepSelection()
	}
}

// pending is how many records arrived since the display was paused.
func (v *Tail) pending() uint64 {
	if !v.paused || v.stats.Received < v.seq {
		return 0
	}
	return v.stats.Received - v.seq
}

// received is every record the ring took: those the view holds, evicted,
// dropped as duplicates, and pending while paused.
func (v *Tail) received() uint64 { return v.seq + v.pending() }

// now is the view's clock.
func (v *Tail) now() time.Time { return v.c.now() }

// OpenTail returns the command opening the tail view of topic on the
// connection in c (a start picker first), or an error when the connection
// cannot tail.
func OpenTail(c *Common, topic string, opts TailViewOptions) tea.Cmd {
	src, ok := c.Cluster.(TailSource)
	if !ok || c.Cluster == nil {
		return Failure(fmt.Errorf("tail %s: not connected to a cluster that can tail", topic))
	}
	return Push(NewTail(c, src, topic, opts))
}
