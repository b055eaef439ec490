package kafka_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"kflow/kafka"
	"kflow/lag"
	"kflow/views/viewstest"
)

// scriptedLag is a LagSource whose n-th answer is script(n); each call
// takes took on the fake clock and, while gate is set, waits for it.
type scriptedLag struct {
	mu       sync.Mutex
	clock    *viewstest.Clock
	took     time.Duration
	script   func(n int) []kafka.GroupLag
	fail     error
	gate     chan struct{}
	calls    int
	inFlight int
	maxIn    int
	started  chan int // receives the call number as each call starts
}

func (s *scriptedLag) Lag(ctx context.Context, _ ...string) ([]kafka.GroupLag, error) {
	s.mu.Lock()
	n := s.calls
	s.calls++
	s.inFlight++
	s.maxIn = max(s.maxIn, s.inFlight)
	gate, started, took := s.gate, s.started, s.took
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	if started != nil {
		started <- n
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s.clock.Advance(took)
	if s.fail != nil {
		return nil, s.fail
	}
	return s.script(n), nil
}

func (s *scriptedLag) count() (calls, maxIn int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, s.maxIn
}

// growing is one group whose committed offset moves 5 a sample while its
// end moves 20: lag grows every interval (WARN once there are enough
// samples).
func growing(n int) []kafka.GroupLag {
	i := int64(n)
	p := lag.Partition{Topic: "orders", Committed: 100 + 5*i, EndOffset: 200 + 20*i}
	p.Lag = p.EndOffset - p.Committed
	return []kafka.GroupLag{{Group: kafka.GroupDetail{GroupSummary: kafka.GroupSummary{ID: "notifications"}},
		Partitions: []lag.Partition{p}, TotalLag: p.Lag}}
}

// fakeTimer hands Run's waits to the test: each asked duration arrives on
// asked, and the wait ends when the test sends on fire.
type fakeTimer struct {
	asked chan time.Duration
	fire  chan time.Time
}

func newFakeTimer() *fakeTimer {
	return &fakeTimer{asked: make(chan time.Duration, 16), fire: make(chan time.Time)}
}

func (f *fakeTimer) after(d time.Duration) <-chan time.Time {
	f.asked <- d
	return f.fire
}

func (f *fakeTimer) next(t *testing.T) time.Duration {
	t.Helper()
	select {
	case d := <-f.asked:
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("Run asked for no timer")
		return 0
	}
}

// TestLagMonitorIntervalIsStartToStart: a 2 s interval means a sample
// every 2 s however long the request takes (the dashboard used to wait
// 2 s after each answer, and sampled every 2 s plus the request's time),
// and a request slower than the interval is followed by a short pause,
// never by a pile of requests.
func TestLagMonitorIntervalIsStartToStart(t *testing.T) {
	clock := viewstest.NewClock()
	src := &scriptedLag{clock: clock, took: 700 * time.Millisecond, script: growing}
	timer := newFakeTimer()
	m := kafka.NewLagMonitor(src, kafka.LagMonitorOptions{Interval: 2 * time.Second, Now: clock.Now, After: timer.after})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()

	for i := range 3 {
		if d := timer.next(t); d != 1300*time.Millisecond {
			t.Fatalf("wait %d: %v, want 1.3s (2s from the start of a 0.7s request)", i, d)
		}
		if calls, _ := src.count(); calls != i+1 {
			t.Fatalf("%d requests before wait %d", calls, i)
		}
		clock.Advance(1300 * time.Millisecond)
		if i == 2 { // the fourth request is slower than the interval
			src.mu.Lock()
			src.took = 3 * time.Second
			src.mu.Unlock()
		}
		timer.fire <- clock.Now()
	}
	if d := timer.next(t); d != 500*time.Millisecond {
		t.Fatalf("after a 3s request: wait %v, want a quarter interval", d)
	}
	if s := m.Snapshot(); s.Seq != 4 || !s.At.Equal(clock.Now()) {
		t.Errorf("snapshot %d at %v, want the fourth at %v", s.Seq, s.At, clock.Now())
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when its context ended")
	}
	if calls, maxIn := src.count(); calls != 4 || maxIn != 1 {
		t.Errorf("%d requests, %d at once; want 4, one at a time", calls, maxIn)
	}
}

// TestLagMonitorOneRefreshAtATime: samples asked while one runs wait for
// it; they start no request of their own.
func TestLagMonitorOneRefreshAtATime(t *testing.T) {
	clock := viewstest.NewClock()
	src := &scriptedLag{clock: clock, script: growing, gate: make(chan struct{}), started: make(chan int, 8)}
	m := kafka.NewLagMonitor(src, kafka.LagMonitorOptions{Now: clock.Now})
	first := make(chan *kafka.LagSnapshot, 1)
	go func() {
		s, _ := m.Sample(context.Background())
		first <- s
	}()
	<-src.started // the first request is running, held by the gate
	// A sample asked now joins it: with a context that has already ended,
	// it returns at once with that context's error, having asked nothing.
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	for range 4 {
		if _, err := m.Sample(gone); !errors.Is(err, context.Canceled) {
			t.Fatalf("a sample during a refresh: %v, want it to wait for the running one", err)
		}
	}
	if calls, _ := src.count(); calls != 1 {
		t.Fatalf("%d requests while one ran, want 1", calls)
	}
	src.gate <- struct{}{}
	if s := <-first; s.Seq != 1 || len(s.Groups) != 1 {
		t.Errorf("first snapshot %+v", s)
	}
	// The next sample is a new request.
	go func() { src.gate <- struct{}{} }()
	if s, _ := m.Sample(context.Background()); s.Seq != 2 {
		t.Errorf("second snapshot %d", s.Seq)
	}
	if calls, maxIn := src.count(); calls != 2 || maxIn != 1 {
		t.Errorf("%d requests, %d at once; want 2, one at a time", calls, maxIn)
	}
}

// TestLagMonitorKeepsTheWindow: the verdict builds over samples taken by
// anyone, and a failed refresh keeps the last good groups and says why.
func TestLagMonitorKeepsTheWindow(t *testing.T) {
	clock := viewstest.NewClock()
	src := &scriptedLag{clock: clock, took: 2 * time.Second, script: growing}
	m := kafka.NewLagMonitor(src, kafka.LagMonitorOptions{Now: clock.Now, Rules: lag.Rules{Window: 5, MinSamples: 3}})
	ctx := context.Background()
	s, _ := m.Sample(ctx)
	if g, ok := s.Group("notifications"); !ok || g.Verdict.Status != lag.Pending {
		t.Fatalf("first sample: %+v", g.Verdict)
	}
	m.WatchPartitions("notifications")
	for range 3 {
		s, _ = m.Sample(ctx)
	}
	g, _ := s.Group("notifications")
	if g.Verdict.Status != lag.Warn || len(g.History) != 4 || g.TimeLag.Age <= 0 || !g.TimeLag.Estimated {
		t.Fatalf("after 4 samples: %+v, history %v, time lag %+v; want WARN, 4 lags, an estimate", g.Verdict, g.History, g.TimeLag)
	}
	if len(g.PartVerdicts) != 1 || g.PartVerdicts[0].Status != lag.Warn || len(g.PartHistory[0]) != 3 {
		t.Errorf("watched partitions: %+v %v", g.PartVerdicts, g.PartHistory)
	}
	src.fail = errors.New("broker gone")
	s, _ = m.Sample(ctx)
	if s.Err == nil || s.Seq != 5 || !s.At.Equal(lagEpochPlus(6*time.Second)) || len(s.Groups) != 1 {
		t.Errorf("failed refresh: %+v", s)
	}
	if g, _ := s.Group("notifications"); g.Verdict.Status != lag.Warn {
		t.Errorf("the last verdict is lost on a failed refresh: %+v", g.Verdict)
	}
}

func lagEpochPlus(d time.Duration) time.Time { return viewstest.Epoch.Add(2 * time.Second).Add(d) }

// TestLagMonitorWaitEndsWithContext: a reader waiting for the next
// snapshot is let go when its context ends.
func TestLagMonitorWaitEndsWithContext(t *testing.T) {
	m := kafka.NewLagMonitor(&scriptedLag{clock: viewstest.NewClock(), script: growing}, kafka.LagMonitorOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := m.Wait(ctx, 0); done <- err }()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Wait: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait outlived its context")
	}
}

// timedLag is scriptedLag with record timestamps: it counts the positions
// asked for and never finds a record there (a position past transaction
// markers, or of a topic kflow cannot read).
type timedLag struct {
	*scriptedLag
	asked int
}

func (l *timedLag) RecordTimes(_ context.Context, offs []lag.PartitionOffset) (map[lag.PartitionOffset]time.Time, error) {
	l.asked += len(offs)
	return nil, nil
}

// TestLagMonitorDoesNotRereadUnreadablePositions: a position with no
// record to read is not asked for at every refresh (each ask waits for
// records that do not come: on the real broker 3 s a refresh, which made
// a 2 s refresh a 5 s one); it is tried again some refreshes later.
func TestLagMonitorDoesNotRereadUnreadablePositions(t *testing.T) {
	clock := viewstest.NewClock()
	stuck := func(int) []kafka.GroupLag {
		p := lag.Partition{Topic: "orders", Committed: 100, EndOffset: 200, Lag: 100}
		return []kafka.GroupLag{{Group: kafka.GroupDetail{GroupSummary: kafka.GroupSummary{ID: "shipping"}},
			Partitions: []lag.Partition{p}, TotalLag: 100}}
	}
	src := &timedLag{scriptedLag: &scriptedLag{clock: clock, took: 2 * time.Second, script: stuck}}
	m := kafka.NewLagMonitor(src, kafka.LagMonitorOptions{Now: clock.Now})
	for range 10 {
		_, _ = m.Sample(context.Background()) // only ctx errors, and this one never ends
	}
	if src.asked != 1 {
		t.Errorf("the unreadable position was asked for %d times in 10 refreshes, want once", src.asked)
	}
	for range 20 {
		_, _ = m.Sample(context.Background()) // only ctx errors, and this one never ends
	}
	if src.asked < 2 {
		t.Error("the unreadable position was never asked for again")
	}
}
