package kafka

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// DefaultScanKeep bounds the matches a scan keeps when ScanOptions.Keep is
// zero; every match past it is still counted.
const DefaultScanKeep = 10000

// ScanOptions says what a range scan reads and what it keeps.
type ScanOptions struct {
	// Topics are read whole (every partition) unless Partitions names
	// some of a topic's; none means every topic that is not internal.
	Topics []string
	// Partitions limits a topic to these partitions (a key's partition).
	Partitions map[string][]int32
	// From and To bound the window by record time: the scan starts at the
	// first offset at or after From (the log start when zero) and ends at
	// the first at or after To (the end offsets when the scan starts, when
	// zero). Records stamped outside the window are skipped too.
	From, To time.Time
	// Match is asked about every record in the window, on the scan's own
	// goroutines, concurrently. The record it is given is borrowed: its
	// key, value and headers alias the fetch buffer and are reused after
	// Match returns, so Match must not keep them. Nil matches every record.
	Match func(r *Record) bool
	// Keep bounds the matches kept (DefaultScanKeep when zero).
	Keep int
	// MaxBytes caps each key, value and header value a kept match holds
	// (DefaultMaxBytes when zero).
	MaxBytes int
}

// ScanProgress is how far a scan has got; Scanner.Progress reads it at
// any time, also while the scan runs.
type ScanProgress struct {
	// Records and Bytes are what was read (key, value and headers).
	Records int64 `json:"records"`
	Bytes   int64 `json:"bytes"`
	// Covered of Total offsets of the range are behind the scan.
	Covered int64 `json:"covered"`
	Total   int64 `json:"total"`
	// Matches counts every match; Kept how many are held (at most Keep).
	Matches int64 `json:"matches"`
	Kept    int   `json:"kept"`
	// Partitions is how many partitions the range spans.
	Partitions int           `json:"partitions"`
	Elapsed    time.Duration `json:"elapsed_ns"`
	// Done is set once the scan ended: read to the end, stopped or failed.
	Done bool `json:"done"`
}

// Fraction is the share of the range behind the scan, 0 to 1.
func (p ScanProgress) Fraction() float64 {
	if p.Total <= 0 {
		return 1
	}
	return min(float64(p.Covered)/float64(p.Total), 1)
}

// ETA is the time left at the rate so far; zero when unknown or done.
func (p ScanProgress) ETA() time.Duration {
	f := p.Fraction()
	if p.Done || f <= 0 || f >= 1 {
		return 0
	}
	return time.Duration(float64(p.Elapsed) * (1 - f) / f)
}

// Scanner is a running range scan. Its methods are safe to call from any
// goroutine.
type Scanner struct {
	opts ScanOptions
	cl   *kgo.Client
	// explainAuth is the client's, naming a refused fetch's principal.
	explainAuth func(err error, op, typ, name string) error
	cancel      context.CancelFunc
	started     time.Time
	done        chan struct{}

	records, bytes, covered, matches atomic.Int64
	total                            int64
	partitions                       int
	ended                            atomic.Int64 // elapsed ns at the end

	mu   sync.Mutex
	kept []Record
	err  error
	// parts is each partition's range; only the polling goroutine reads
	// or writes next.
	parts map[string]map[int32]*scanPart
	left  int
}

type scanPart struct {
	from, target, next int64
}

// Scan starts reading opts' range in the background, every partition at
// once, and returns at once; ctx, Stop or the end of the range ends it.
// It lists offsets first, so an unknown topic is an error here.
func (c *Client) Scan(ctx context.Context, opts ScanOptions) (*Scanner, error) {
	if opts.Keep <= 0 {
		opts.Keep = DefaultScanKeep
	}
	if opts.MaxBytes == 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	topics := opts.Topics
	if len(topics) == 0 {
		all, err := c.ListTopics(ctx)
		if err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		for _, t := range all {
			if !t.Internal {
				topics = append(topics, t.Name)
			}
		}
	}
	s := &Scanner{opts: opts, done: make(chan struct{}), parts: map[string]map[int32]*scanPart{}, explainAuth: c.explainAuth}
	if err := c.scanRange(ctx, s, topics); err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	s.cancel = cancel
	s.started = time.Now()
	at := map[string]map[int32]kgo.Offset{}
	for t, ps := range s.parts {
		for p, sp := range ps {
			s.total += sp.target - sp.from
			s.partitions++
			if sp.from >= sp.target {
				continue
			}
			if at[t] == nil {
				at[t] = map[int32]kgo.Offset{}
			}
			at[t][p] = kgo.NewOffset().At(sp.from)
			s.left++
		}
	}
	if s.left == 0 {
		s.finish(nil)
		cancel()
		return s, nil
	}
	var err error
	s.cl, err = kgo.NewClient(append(slices.Clone(c.baseOpts),
		kgo.FetchMaxWait(fetchMaxWait),
		kgo.ConsumePartitions(at),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// A commit marker can be a partition's last offset: seeing it is
		// how the scan knows it reached the end.
		kgo.KeepControlRecords(),
		kgo.FetchMaxBytes(64<<20),
		kgo.FetchMaxPartitionBytes(4<<20),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
	)...)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("scan: %w", err)
	}
	go s.run(sctx)
	return s, nil
}

// scanRange lists each partition's window: start by From, end by To or
// the last stable offset now.
func (c *Client) scanRange(ctx context.Context, s *Scanner, topics []string) error {
	one := "*"
	if len(topics) == 1 {
		one = topics[0]
	}
	wrap := func(err error) error { return fmt.Errorf("scan: %w", c.explainAuth(err, "Describe", "Topic", one)) }
	starts, err := c.adm.ListStartOffsets(ctx, topics...)
	if err == nil {
		err = starts.Error()
	}
	if errors.Is(err, kerr.UnknownTopicOrPartition) {
		for _, t := range topics {
			if _, ok := starts[t]; !ok || starts[t][0].Err != nil {
				return fmt.Errorf("scan: %w", c.unknownTopic(ctx, t))
			}
		}
	}
	if err != nil {
		return wrap(err)
	}
	ends, err := c.adm.ListCommittedOffsets(ctx, topics...)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		return wrap(err)
	}
	st, en := listed(starts), listed(ends)
	var from, to Offsets
	if !s.opts.From.IsZero() {
		l, err := c.adm.ListOffsetsAfterMilli(ctx, s.opts.From.UnixMilli(), topics...)
		if err == nil {
			err = l.Error()
		}
		if err != nil {
			return wrap(err)
		}
		from = listed(l)
	}
	if !s.opts.To.IsZero() {
		l, err := c.adm.ListOffsetsAfterMilli(ctx, s.opts.To.UnixMilli(), topics...)
		if err == nil {
			err = l.Error()
		}
		if err != nil {
			return wrap(err)
		}
		to = listed(l)
	}
	for _, t := range topics {
		if len(en[t]) == 0 {
			return fmt.Errorf("scan: %w", c.unknownTopic(ctx, t))
		}
		parts := s.opts.Partitions[t]
		if parts == nil {
			for p := range en[t] {
				parts = append(parts, p)
			}
		}
		s.parts[t] = map[int32]*scanPart{}
		for _, p := range parts {
			end, ok := en[t][p]
			if !ok {
				return fmt.Errorf("scan %q: partition %d does not exist", t, p)
			}
			start := st[t][p]
			if from != nil {
				if off, ok := from[t][p]; ok {
					start = max(start, off)
					if off < 0 {
						start = end
					}
				}
			}
			if to != nil {
				if off, ok := to[t][p]; ok && off >= 0 {
					end = min(end, off)
				}
			}
			start = min(start, end)
			s.parts[t][p] = &scanPart{from: start, target: end, next: start}
		}
	}
	return nil
}

// run polls until every partition reached its end or ctx ends, handing
// each poll's partitions to as many goroutines as there are CPUs.
func (s *Scanner) run(ctx context.Context) {
	defer s.cancel()
	defer s.cl.Close()
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *kgo.FetchTopicPartition)
	var wg sync.WaitGroup
	for range workers {
		go func() {
			w := scanWorker{s: s, ctx: ctx}
			for fp := range work {
				w.scan(fp)
				wg.Done()
			}
		}()
	}
	defer close(work)
	for {
		fs := s.cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			s.finish(err)
			return
		}
		if fs.IsClientClosed() {
			s.finish(context.Canceled)
			return
		}
		var firstErr error
		var batch []*kgo.FetchTopicPartition
		fs.EachPartition(func(fp kgo.FetchTopicPartition) {
			if fp.Err != nil && firstErr == nil && !errors.Is(fp.Err, context.Canceled) {
				firstErr = fmt.Errorf("scan %q partition %d: %w", fp.Topic, fp.Partition, s.explainAuth(fp.Err, "Read", "Topic", fp.Topic))
			}
			sp := s.parts[fp.Topic][fp.Partition]
			if sp == nil || len(fp.Records) == 0 {
				return
			}
			// Cut what lies past the range, so workers need not know it.
			recs := fp.Records
			if i := sort.Search(len(recs), func(i int) bool { return recs[i].Offset >= sp.target }); i < len(recs) {
				recs = recs[:i]
			}
			if len(recs) > 0 {
				prev := sp.next
				sp.next = recs[len(recs)-1].Offset + 1
				s.covered.Add(sp.next - prev)
			}
			if len(recs) < len(fp.Records) && sp.next < sp.target {
				s.covered.Add(sp.target - sp.next)
				sp.next = sp.target
			}
			fp.Records = recs
			if len(recs) > 0 {
				batch = append(batch, &fp)
			}
			if sp.next >= sp.target {
				s.cl.PauseFetchPartitions(map[string][]int32{fp.Topic: {fp.Partition}})
				s.left--
			}
		})
		wg.Add(len(batch))
		for _, fp := range batch {
			work <- fp
		}
		wg.Wait()
		if firstErr != nil {
			s.finish(firstErr)
			return
		}
		if s.left <= 0 {
			s.finish(nil)
			return
		}
	}
}

// scanWorker is one scan goroutine with the record it lends to Match.
type scanWorker struct {
	s       *Scanner
	ctx     context.Context
	r       Record
	headers []Header
}

func (w *scanWorker) scan(fp *kgo.FetchTopicPartition) {
	s := w.s
	var n, size int64
	from, to := s.opts.From, s.opts.To
	for i, kr := range fp.Records {
		// A stop is seen within 256 records, not at the end of a batch.
		if i&255 == 255 && w.ctx.Err() != nil {
			break
		}
		if kr.Attrs.IsControl() {
			continue
		}
		n++
		sz := len(kr.Key) + len(kr.Value)
		for i := range kr.Headers {
			sz += len(kr.Headers[i].Key) + len(kr.Headers[i].Value)
		}
		size += int64(sz)
		if !from.IsZero() && kr.Timestamp.Before(from) || !to.IsZero() && !kr.Timestamp.Before(to) {
			continue
		}
		w.headers = w.headers[:0]
		for _, h := range kr.Headers {
			w.headers = append(w.headers, Header{Key: h.Key, Value: h.Value})
		}
		w.r = Record{
			Topic: kr.Topic, Partition: kr.Partition, Offset: kr.Offset, Timestamp: kr.Timestamp,
			Key: kr.Key, Value: kr.Value, Headers: w.headers, KeySize: len(kr.Key), ValueSize: len(kr.Value),
		}
		if s.opts.Match != nil && !s.opts.Match(&w.r) {
			continue
		}
		s.keep(kr)
	}
	s.records.Add(n)
	s.bytes.Add(size)
}

// keep counts a match and holds a copy of it while there is room.
func (s *Scanner) keep(kr *kgo.Record) {
	if s.matches.Add(1) > int64(s.opts.Keep) {
		return
	}
	r := convert(kr, s.opts.MaxBytes)
	r.Key, r.Value = slices.Clone(r.Key), slices.Clone(r.Value)
	for i := range r.Headers {
		r.Headers[i].Value = slices.Clone(r.Headers[i].Value)
	}
	s.mu.Lock()
	s.kept = append(s.kept, r)
	s.mu.Unlock()
}

func (s *Scanner) finish(err error) {
	s.mu.Lock()
	if s.err == nil && !errors.Is(err, context.Canceled) {
		s.err = err
	}
	s.mu.Unlock()
	if !s.started.IsZero() {
		s.ended.Store(int64(time.Since(s.started)))
	} else {
		s.ended.Store(1)
	}
	close(s.done)
}

// Progress is how far the scan has got.
func (s *Scanner) Progress() ScanProgress {
	p := ScanProgress{
		Records: s.records.Load(), Bytes: s.bytes.Load(), Covered: s.covered.Load(), Total: s.total,
		Matches: s.matches.Load(), Partitions: s.partitions,
	}
	p.Kept = int(min(p.Matches, int64(s.opts.Keep)))
	if e := s.ended.Load(); e > 0 {
		p.Done, p.Elapsed = true, time.Duration(e)
	} else {
		p.Elapsed = time.Since(s.started)
	}
	return p
}

// Matches returns the matches kept so far, ordered by timestamp (then
// topic, partition and offset).
func (s *Scanner) Matches() []Record {
	s.mu.Lock()
	out := slices.Clone(s.kept)
	s.mu.Unlock()
	SortByTime(out)
	return out
}

// SortByTime orders records by timestamp, then topic, partition, offset.
func SortByTime(rs []Record) {
	slices.SortStableFunc(rs, func(a, b Record) int {
		if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
			return c
		}
		if a.Topic != b.Topic {
			if a.Topic < b.Topic {
				return -1
			}
			return 1
		}
		if a.Partition != b.Partition {
			return int(a.Partition - b.Partition)
		}
		return int(a.Offset - b.Offset)
	})
}

// Stop ends the scan early; what was matched stays readable.
func (s *Scanner) Stop() { s.cancel() }

// Done is closed when the scan ended.
func (s *Scanner) Done() <-chan struct{} { return s.done }

// Wait waits for the scan to end and returns its matches and why it
// ended early if it failed (a stop is not a failure).
func (s *Scanner) Wait() ([]Record, error) {
	<-s.done
	s.mu.Lock()
	err := s.err
	s.mu.Unlock()
	return s.Matches(), err
}
