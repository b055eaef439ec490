package wordcount

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"kflow/kafka"
	"kflow/kafka/schema"
)

// Defaults of Options: the topic names of Apache Kafka's
// WordCountDemo, so kflow's engine and the Java demo are interchangeable.
const (
	DefaultApp    = "kflow-wordcount"
	DefaultInput  = "streams-plaintext-input"
	DefaultOutput = "streams-wordcount-output"
)

// Options configures Run. Zero values take the defaults.
type Options struct {
	// App is the application id, shared by every instance that splits the
	// work: the prefix of the engine's consumer groups (App-split,
	// App-count), transactional ids and internal topics
	// (App-counts-repartition, App-counts-changelog). DefaultApp
	// when empty.
	App string
	// Input is the topic of text lines, one per record value.
	// DefaultInput when empty.
	Input string
	// Output is the compacted topic of counts: key the word, value the
	// count as EncodeCount writes it. DefaultOutput when empty.
	Output string
	// Partitions is the partition count of the topics Run
	// creates. Zero gives new input and output topics the broker's default,
	// and the internal topics as many partitions as the input has.
	Partitions int32
	// CreateInput lets Run create a missing input topic. Without
	// it a missing input is a MissingInputError: a mistyped name would
	// otherwise be created and waited on for ever.
	CreateInput bool
	// PurgeInterval is how often at most the counting stage deletes the
	// repartition records it has committed, per partition (DeleteRecords,
	// Kafka Streams' repartition.purge.interval.ms). Zero takes
	// DefaultPurgeInterval.
	PurgeInterval time.Duration
	// OnUpdate, when set, is called after each committed transaction of
	// the counting stage with every update it wrote, from the engine's
	// goroutine: it must return quickly and not call back into the engine.
	OnUpdate func(Update)
	// OnEvent, when set, is told what the engine does and meets (see
	// Event): topics created, rebalances, restores, brokers
	// unreachable and back, changed counters, the stop. It is called from
	// the engine's and its clients' goroutines, possibly several at once:
	// it must be safe for that, return quickly and not call back into the
	// engine. The engine prints nothing itself.
	OnEvent func(Event)
	// StatsEvery is how often the engine looks at its counters and sends
	// a EventStats event when they changed. Zero sends none.
	StatsEvery time.Duration
	// Decoder, when set, decodes input values in the schema registry's
	// wire format before they are split: a decoded JSON string is counted
	// as its text, any other value as its JSON. A value that does not
	// decode is counted as its bytes, as without a decoder.
	Decoder *schema.Decoder

	// tuning overrides timing for tests; zero fields take the defaults.
	tuning wordCountTuning
}

// wordCountTuning holds the engine's timing knobs.
type wordCountTuning struct {
	txnTimeout     time.Duration
	sessionTimeout time.Duration
	// splitLines and countPoll cap the records a stage takes into one
	// transaction: big enough to spread a transaction's fixed cost (offset
	// commit, forced heartbeat, EndTxn) over many records and to let the
	// combiner merge many occurrences of a word, small enough to end well
	// within the transaction timeout and to bound the combiner's memory.
	splitLines int
	countPoll  int
	// splitLinger and countLinger are how long a stage's transaction
	// waits for more records after its first ones: a trickle of input
	// is batched, and the two lingers plus two commits bound the time from
	// a line to its counts (the panel's first update, its update rate).
	splitLinger time.Duration
	countLinger time.Duration
	// keepRepartition turns the purge of counted repartition records off,
	// so that tests can read what the split stage wrote.
	keepRepartition bool
}

// DefaultPurgeInterval is how often at most the counting stage
// deletes committed repartition records per partition: Kafka Streams'
// repartition.purge.interval.ms. Purging on every commit would add a
// DeleteRecords round trip per transaction.
const DefaultPurgeInterval = 30 * time.Second

// wordCountOutageReminder is how often an outage is reported again while
// it lasts.
const wordCountOutageReminder = 30 * time.Second

// Timing defaults. The transaction timeout is what bounds how long a
// killed instance's open transaction holds back read_committed readers
// (and the offsets its successor may fetch) before the coordinator aborts
// it; the session timeout how long its partitions stay assigned to it. The
// transaction timeout stays under the session timeout, as franz-go
// recommends for a GroupTransactSession.
const (
	wordCountTxnTimeout     = 10 * time.Second
	wordCountSessionTimeout = 15 * time.Second
	wordCountSplitLines     = 50000
	wordCountCountPoll      = 100000
	wordCountSplitLinger    = 100 * time.Millisecond
	wordCountCountLinger    = 100 * time.Millisecond
)

func (t wordCountTuning) withDefaults() wordCountTuning {
	if t.txnTimeout <= 0 {
		t.txnTimeout = wordCountTxnTimeout
	}
	if t.sessionTimeout <= 0 {
		t.sessionTimeout = wordCountSessionTimeout
	}
	if t.splitLines <= 0 {
		t.splitLines = wordCountSplitLines
	}
	if t.splitLinger <= 0 {
		t.splitLinger = wordCountSplitLinger
	}
	if t.countLinger <= 0 {
		t.countLinger = wordCountCountLinger
	}
	if t.countPoll <= 0 {
		t.countPoll = wordCountCountPoll
	}
	return t
}

// Update is a word's count after a committed transaction.
type Update struct {
	Word  string
	Count int64
}

// Stats are an engine instance's counters. Work is counted when
// its transaction commits, so aborted and redone work is counted once.
type Stats struct {
	// LinesIn are input records split; Words the words they held;
	// Shuffled the partial counts (one per distinct word and split
	// transaction) sent for them to the repartition topic.
	LinesIn  int64
	Words    int64
	Shuffled int64
	// Counted are words counted (the partial counts added up); UpdatesOut the count
	// updates written to the output topic (one per word per transaction).
	Counted    int64
	UpdatesOut int64
	// Committed and Aborted are transactions of both stages.
	Committed int64
	Aborted   int64
	// Restored are changelog records read to rebuild counts after an
	// assignment.
	Restored int64
	// StateWords are the words whose counts this instance holds.
	StateWords int
	// InputPartitions are the input partitions the splitting stage is
	// assigned; CountPartitions the repartition partitions the counting
	// stage is assigned (and whose words' counts it owns). Sorted.
	InputPartitions []int32
	CountPartitions []int32
}

// Engine is a running word count engine instance; see Run.
type Engine struct {
	opts     Options
	instance string
	cancel   context.CancelFunc
	done     chan struct{}

	errOnce sync.Once
	err     error

	linesIn, words, shuffled     atomic.Int64
	counted, updatesOut          atomic.Int64
	committed, aborted, restored atomic.Int64
	// statsChecks counts watchStats' looks at the counters, for tests.
	statsChecks atomic.Int64

	split *wcSplit
	count *wcCount
	net   *wcNet
}

// wcTopics are the engine's four topics and the partition counts the
// stages partition by.
type wcTopics struct {
	input, output, repartition, changelog string
	outputParts, repartitionParts         int32
}

// Run starts an instance of the streaming word count, Kafka
// Streams' WordCountDemo as a client-layer engine: lines from opts.Input
// are lowered and split into words (SplitWords), the words repartitioned
// by key so that each word is counted by one instance, and every updated
// count written to opts.Output. Instances sharing opts.App, in this
// process or others, split the input partitions between them.
//
// Each of the two stages (split and repartition; count and emit) consumes,
// produces and commits its offsets in one Kafka transaction, so a crash at
// any point, even a SIGKILL, neither loses nor doubles a count. Counts are
// kept in memory and in a compacted changelog topic they are restored
// from when a partition is assigned. Repartition records are deleted once
// counted and committed (see PurgeInterval).
//
// A missing input is a MissingInputError unless opts.CreateInput; an
// existing output must be compacted and hold counts (8-byte values); the
// other missing topics are created. Run returns once the engine
// runs; it stops when ctx ends, on Close, or on a fatal error (see Err).
func Run(ctx context.Context, c *kafka.Client, opts Options) (*Engine, error) {
	if err := c.Writable("run word count"); err != nil {
		return nil, err
	}
	if opts.App == "" {
		opts.App = DefaultApp
	}
	if opts.Input == "" {
		opts.Input = DefaultInput
	}
	if opts.Output == "" {
		opts.Output = DefaultOutput
	}
	if opts.Partitions < 0 {
		return nil, fmt.Errorf("run word count: partitions must not be negative, got %d", opts.Partitions)
	}
	if opts.PurgeInterval <= 0 {
		opts.PurgeInterval = DefaultPurgeInterval
	}
	opts.tuning = opts.tuning.withDefaults()
	topics, visible, err := wordCountTopics(ctx, c, &opts)
	if err != nil {
		return nil, fmt.Errorf("run word count %q: %w", opts.App, err)
	}
	instance, err := instanceID()
	if err != nil {
		return nil, fmt.Errorf("run word count %q: %w", opts.App, err)
	}
	wc := &Engine{opts: opts, instance: instance, done: make(chan struct{})}
	wc.net = &wcNet{opts: &wc.opts, down: map[string]*wcOutage{}}
	// The split stage starts reading and combining the input at once; it
	// writes its first transaction, and the count stage joins its group,
	// once the topics just created are in the metadata (ready, which Run
	// waits for before it returns), so that the wait for them overlaps the
	// first lines' work.
	ready := make(chan struct{})
	if wc.split, err = newWCSplit(c, wc, topics, ready); err != nil {
		return nil, fmt.Errorf("run word count %q: %w", opts.App, err)
	}
	wc.count = newWCCount(c, wc, topics, ready)
	runCtx, cancel := context.WithCancel(ctx)
	wc.cancel = cancel
	var wg sync.WaitGroup
	stages := []struct {
		name   string
		run    func(context.Context) error
		reopen func() error
	}{
		{"split", wc.split.run, func() error { return wc.split.reopen(c) }},
		{"count", wc.count.run, wc.count.reopen},
	}
	for _, stage := range stages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wc.runStage(runCtx, stage.name, stage.run, stage.reopen)
		}()
	}
	statsDone := make(chan struct{})
	go func() {
		defer close(statsDone)
		wc.watchStats(runCtx)
	}()
	go func() {
		wg.Wait()
		wc.cancel()
		<-statsDone
		// After both stages: the counters are final, what was committed.
		wc.opts.emit(Event{Kind: EventStopped, Stats: wc.Stats(), Err: wc.err})
		close(wc.done)
	}()
	// Run returns once the topics are there for readers too (the panel
	// tails the output right away).
	if err := visible(runCtx); err != nil {
		if stopErr := wc.Close(); stopErr != nil {
			return nil, stopErr // what stopped a stage meanwhile
		}
		return nil, fmt.Errorf("run word count %q: %w", opts.App, err)
	}
	close(ready)
	return wc, nil
}

// watchStats sends a EventStats event every StatsEvery when the counters
// changed, until ctx ends.
func (wc *Engine) watchStats(ctx context.Context) {
	if wc.opts.StatsEvery <= 0 || wc.opts.OnEvent == nil {
		return
	}
	tick := time.NewTicker(wc.opts.StatsEvery)
	defer tick.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		s := wc.Stats()
		wc.statsChecks.Add(1)
		if line := s.String(); line != last {
			last = line
			wc.opts.emit(Event{Kind: EventStats, Stats: s})
		}
	}
}

// instanceID names this engine instance in its transactional ids.
func instanceID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("draw an instance id: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// fail records the first fatal error and stops both stages.
// maxReopens bounds the sessions a stage opens again after transient
// failures in a row (a stage that commits resets the count): past them
// the failure stops the engine.
const maxReopens = 5

// reopenBackoff is the wait before the first reopen in a row, doubled for
// each next one up to maxReopenBackoff: 3.1 s over the five.
const (
	reopenBackoff    = 100 * time.Millisecond
	maxReopenBackoff = 2 * time.Second
)

// runStage runs a stage until ctx ends or it fails for good. A failure a
// dead or hung broker explains (a network error, a timeout, a retriable
// Kafka error) reopens the stage's session instead: the transaction in
// flight is aborted and redone, so exactly-once holds.
func (wc *Engine) runStage(ctx context.Context, name string, run func(context.Context) error, reopen func() error) {
	for tries := 0; ; tries++ {
		committed := wc.committed.Load()
		err := run(ctx)
		if err == nil || ctx.Err() != nil {
			return
		}
		if wc.committed.Load() != committed {
			tries = 0
		}
		if !transient(err) || tries >= maxReopens {
			wc.fail(err)
			return
		}
		wc.opts.emit(Event{Kind: EventReopened, Stage: name, Err: err})
		// A moment before the new session, longer each time in a row: a
		// dead broker's partitions need a few seconds to get new leaders,
		// and reopening at once only meets the same dead one again.
		t := time.NewTimer(min(reopenBackoff<<tries, maxReopenBackoff))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if rerr := reopen(); rerr != nil {
			wc.fail(fmt.Errorf("%w; reopening: %w", err, rerr))
			return
		}
	}
}

// transient reports whether err is one a broker dying or hanging under a
// stage explains, which a new session gets past.
func transient(err error) bool {
	var ne net.Error
	var ke *kerr.Error
	switch {
	case errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &ke):
		return ke.Retriable || errors.Is(err, kerr.CoordinatorNotAvailable) || errors.Is(err, kerr.NotCoordinator) ||
			errors.Is(err, kerr.ConcurrentTransactions) || errors.Is(err, kerr.RequestTimedOut)
	}
	return false
}

func (wc *Engine) fail(err error) {
	wc.errOnce.Do(func() { wc.err = err })
	wc.cancel()
}

// Done is closed when both stages have stopped.
func (wc *Engine) Done() <-chan struct{} { return wc.done }

// Err is the error that stopped the engine, nil while it runs and after a
// clean stop (Close or the context ending).
func (wc *Engine) Err() error {
	select {
	case <-wc.done:
		return wc.err
	default:
		return nil
	}
}

// Close stops the engine: each stage finishes its current transaction,
// leaves its group (handing its partitions to the other instances) and
// closes its connections. It returns the error that stopped the engine
// earlier, if any.
func (wc *Engine) Close() error {
	wc.cancel()
	<-wc.done
	return wc.err
}

// Stats returns the instance's counters.
func (wc *Engine) Stats() Stats {
	s := Stats{
		LinesIn:    wc.linesIn.Load(),
		Words:      wc.words.Load(),
		Shuffled:   wc.shuffled.Load(),
		Counted:    wc.counted.Load(),
		UpdatesOut: wc.updatesOut.Load(),
		Committed:  wc.committed.Load(),
		Aborted:    wc.aborted.Load(),
		Restored:   wc.restored.Load(),
	}
	s.InputPartitions = wc.split.assigned.list()
	s.CountPartitions, s.StateWords = wc.count.owned()
	return s
}
