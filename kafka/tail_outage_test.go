package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"kflow/internal/brokertest"
)

// outageBound is how soon after a broker stops (or comes back) a tail must
// say so: fetchDownAfter plus franz-go's reconnect backoff, with room for a
// loaded machine.
const outageBound = 15 * time.Second

// recoverBound is how soon after a restart returns the tail must report
// fetches up: the broker still loads its partitions, and franz-go's
// reconnect backoff adds to it.
const recoverBound = 30 * time.Second

// TestTailReportsLostBrokerAndRecovers stops a private real broker under a
// tail: the tail reports fetches down within outageBound, reports them up
// after the restart, and reads on with no record twice or skipped. Then a
// bounded tail (StopAtEnd) with records still to read gives up with a
// *BrokerDownError once the broker has been gone for GiveUpAfter, instead of
// waiting for ever.
func TestTailReportsLostBrokerAndRecovers(t *testing.T) {
	b := brokertest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := Connect(ctx, ConnConfig{Brokers: []string{b.Addr()}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	name := uniqueTopic(t)
	if err := c.CreateTopic(ctx, TopicSpec{Name: name, Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	produce := func(from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			if _, err := c.Produce(ctx, Record{Topic: name, Partition: 0, Value: fmt.Appendf(nil, "v%d", i)}); err != nil {
				t.Fatalf("produce v%d: %v", i, err)
			}
		}
	}
	produce(0, 5)

	states := make(chan FetchState, 16)
	cs, err := c.Consume(ctx, TailOptions{Topic: name, Start: Start{Kind: StartBeginning},
		OnFetchState: func(st FetchState) { states <- st }})
	if err != nil {
		t.Fatal(err)
	}
	recs := make(chan Record, 100)
	pollErr := make(chan error, 1)
	go func() {
		for {
			rs, err := cs.Poll(ctx)
			for _, r := range rs {
				recs <- r
			}
			if err != nil {
				pollErr <- err
				return
			}
		}
	}()
	var got []string
	var offsets []int64
	want := func(n int) {
		t.Helper()
		deadline := time.After(outageBound)
		for len(got) < n {
			select {
			case r := <-recs:
				got, offsets = append(got, string(r.Value)), append(offsets, r.Offset)
			case err := <-pollErr:
				t.Fatalf("poll: %v", err)
			case <-deadline:
				t.Fatalf("read %q, want %d records", got, n)
			}
		}
	}
	waitState := func(down bool, from time.Time) FetchState {
		t.Helper()
		bound := outageBound
		if !down {
			bound = recoverBound
		}
		select {
		case st := <-states:
			if st.Down != down {
				t.Fatalf("fetch state %+v, want down=%v", st, down)
			}
			t.Logf("fetch state down=%v after %v: %+v", down, time.Since(from).Round(time.Millisecond), st)
			return st
		case <-time.After(bound):
			t.Fatalf("no fetch state down=%v within %v", down, bound)
			return FetchState{}
		}
	}
	want(5)
	// The UI's Tail says it through Err.
	tl, err := c.Tail(ctx, TailOptions{Topic: name, Start: Start{Kind: StartBeginning}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()

	stopped := time.Now()
	b.Stop(t)
	st := waitState(true, stopped)
	if st.Err == nil || st.Since.Before(stopped.Add(-time.Second)) {
		t.Errorf("down state %+v: want a cause and a time after the stop", st)
	}
	var bde *BrokerDownError
	eventually(t, outageBound, "the Tail's Err to say the broker is down", func() bool { return errors.As(tl.Err(), &bde) })
	if !strings.Contains(tl.Err().Error(), "retrying") {
		t.Errorf("Tail.Err() = %v", tl.Err())
	}
	b.Restart(t)
	waitState(false, time.Now())
	eventually(t, recoverBound, "the Tail's Err to clear", func() bool { return tl.Err() == nil })
	produce(5, 10)
	want(10)
	for i := range got {
		if got[i] != fmt.Sprintf("v%d", i) || offsets[i] != int64(i) {
			t.Fatalf("after the outage the tail read %q at %v, want v0..v9 at 0..9 once each", got, offsets)
		}
	}
	select {
	case r := <-recs:
		t.Fatalf("an extra record %q at %d", r.Value, r.Offset)
	case <-time.After(time.Second):
	}
	cs.Close()

	// A bounded tail with a backlog left to fetch when the broker goes.
	backlog := name + "-backlog"
	if err := c.CreateTopic(ctx, TopicSpec{Name: backlog, Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	const n, size = 64000, 1024 // 64 MiB: more than the fetches buffered before the stop (16 MiB each)
	value := []byte(strings.Repeat("x", size))
	if _, err := c.ProduceStream(ctx, StreamOptions{Count: n}, func(i int) (Record, bool) {
		return Record{Topic: backlog, Partition: 0, Value: value}, true
	}); err != nil {
		t.Fatal(err)
	}
	bounded, err := c.Consume(ctx, TailOptions{Topic: backlog, Start: Start{Kind: StartBeginning}, StopAtEnd: true, GiveUpAfter: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer bounded.Close()
	first, err := bounded.Poll(ctx)
	if err != nil || len(first) == 0 || len(first) >= n {
		t.Fatalf("first poll: %d records, %v", len(first), err)
	}
	stopped = time.Now()
	b.Stop(t)
	read := len(first)
	for {
		rs, err := bounded.Poll(ctx)
		read += len(rs)
		if err == nil {
			continue
		}
		var bde *BrokerDownError
		if !errors.As(err, &bde) || errors.Is(err, io.EOF) {
			t.Fatalf("bounded tail with the broker gone: %v after %d of %d records, want *BrokerDownError", err, read, n)
		}
		took := time.Since(stopped)
		t.Logf("bounded tail gave up %v after the stop, %d of %d records read: %v", took.Round(time.Millisecond), read, n, err)
		if took > 3*time.Second+outageBound {
			t.Errorf("gave up after %v, want within %v", took, 3*time.Second+outageBound)
		}
		if !strings.Contains(err.Error(), "broker unreachable since") {
			t.Errorf("message %q", err)
		}
		return
	}
}
