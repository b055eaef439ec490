package kafka

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// FetchState is what a tail's fetches are doing, as reported to
// TailOptions.OnFetchState on each change: franz-go retries a lost broker
// for ever without a word, so without it a quiet topic and a dead broker
// look the same.
type FetchState struct {
	// Down is true when no fetch has succeeded since Since; false when
	// fetches succeed again after being down.
	Down bool
	// Since is when fetches began failing.
	Since time.Time
	// For is how long they have been failing (on recovery: were).
	For time.Duration
	// Err is the latest failure.
	Err error
}

// BrokerDownError ends a bounded tail (StopAtEnd) whose fetches have
// failed for longer than TailOptions.GiveUpAfter: a pipeline gets an error
// instead of waiting for ever on a dead broker.
// A Tail's Err is one too while its fetches are down, with Retrying set.
type BrokerDownError struct {
	Topic    string
	Since    time.Time
	For      time.Duration
	Err      error
	Retrying bool // the tail goes on trying (a Tail), rather than giving up
}

// Error reads "tail "t": broker unreachable since T (for 10s), giving up: cause".
func (e *BrokerDownError) Error() string {
	what := "giving up"
	if e.Retrying {
		what = "retrying"
	}
	return fmt.Sprintf("tail %q: broker unreachable since %s (for %v), %s: %v",
		e.Topic, e.Since.Format(time.RFC3339), e.For.Round(100*time.Millisecond), what, e.Err)
}

// Unwrap is the latest fetch failure.
func (e *BrokerDownError) Unwrap() error { return e.Err }

const (
	// fetchMaxWait is how long a broker holds a fetch with nothing new:
	// franz-go's default, set explicitly because stall detection counts on it.
	fetchMaxWait = 5 * time.Second
	// fetchStallGrace is how much later than fetchMaxWait an answer may
	// come before a hung broker counts as failing.
	fetchStallGrace = 3 * time.Second
	// fetchDownAfter is how long fetches must fail, with no success, before
	// they are reported down: one dropped connection that reconnects at
	// once is not an outage.
	fetchDownAfter = time.Second
	// fetchHealthTick is how often the state is looked at.
	fetchHealthTick = 200 * time.Millisecond
)

// fetchHealth follows a consumer client's fetches through franz-go's
// broker hooks: connection failures, fetch requests written and answers
// read. It is cluster-wide: fetches are down when none succeeds anywhere.
type fetchHealth struct {
	mu        sync.Mutex
	okAt      time.Time           // the latest successful fetch answer
	failSince time.Time           // the first failure after okAt; zero when none
	lastErr   error               // the latest failure
	inflight  map[int32]time.Time // broker -> when its pending fetch was written
}

var (
	_ kgo.HookBrokerConnect = (*fetchHealth)(nil)
	_ kgo.HookBrokerWrite   = (*fetchHealth)(nil)
	_ kgo.HookBrokerRead    = (*fetchHealth)(nil)
)

func newFetchHealth() *fetchHealth {
	return &fetchHealth{okAt: time.Now(), inflight: map[int32]time.Time{}}
}

// brokerErr is a failure talking to one broker, worded as a dial error
// is (the address once, then the cause).
type brokerErr struct {
	meta kgo.BrokerMetadata
	err  error
}

func (e *brokerErr) Error() string {
	addr := joinHostPort(e.meta.Host, e.meta.Port)
	if e.meta.NodeID < 0 { // a seed: franz-go numbers them from math.MinInt32
		return fmt.Sprintf("bootstrap broker %s: %s", addr, describeDialErr(e.err, 0))
	}
	return fmt.Sprintf("broker %d at %s: %s", e.meta.NodeID, addr, describeDialErr(e.err, 0))
}

func (e *brokerErr) Unwrap() error { return e.err }

func (h *fetchHealth) fail(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failLocked(err)
}

func (h *fetchHealth) failLocked(err error) {
	if h.failSince.IsZero() {
		h.failSince = time.Now()
	}
	h.lastErr = err
}

// OnBrokerConnect counts a failed dial to a broker. A failed dial to a seed
// address, or any other request failing, counts only while no fetch is in
// flight: a client that has no leader to fetch from (a broker going down
// cleanly hands out metadata without one) talks to the seeds alone, and its
// failures there are the outage; while a fetch is pending, that fetch's
// answer or its stall says how the cluster is.
func (h *fetchHealth) OnBrokerConnect(meta kgo.BrokerMetadata, _ time.Duration, _ net.Conn, err error) {
	if err == nil {
		return
	}
	if meta.NodeID >= 0 {
		h.fail(&brokerErr{meta: meta, err: err})
		return
	}
	h.failIdle(&brokerErr{meta: meta, err: err})
}

// failIdle counts a failure that is not a fetch's while no fetch is in flight.
func (h *fetchHealth) failIdle(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.inflight) == 0 {
		h.failLocked(err)
	}
}

// OnBrokerWrite notes when a fetch is sent, to see a broker that holds it
// far past fetchMaxWait (hung).
func (h *fetchHealth) OnBrokerWrite(meta kgo.BrokerMetadata, key int16, _ int, _, _ time.Duration, err error) {
	if key != int16(kmsg.Fetch) {
		if err != nil {
			h.failIdle(&brokerErr{meta: meta, err: err})
		}
		return
	}
	if err != nil {
		h.fail(&brokerErr{meta: meta, err: err})
		return
	}
	h.mu.Lock()
	h.inflight[meta.NodeID] = time.Now()
	h.mu.Unlock()
}

// OnBrokerRead is the answer to a fetch: a success clears any failure.
func (h *fetchHealth) OnBrokerRead(meta kgo.BrokerMetadata, key int16, _ int, _, _ time.Duration, err error) {
	if key != int16(kmsg.Fetch) {
		if err != nil {
			h.failIdle(&brokerErr{meta: meta, err: err})
		}
		return
	}
	h.mu.Lock()
	delete(h.inflight, meta.NodeID)
	h.mu.Unlock()
	if err != nil {
		h.fail(&brokerErr{meta: meta, err: err})
		return
	}
	h.mu.Lock()
	h.okAt, h.failSince, h.lastErr = time.Now(), time.Time{}, nil
	h.mu.Unlock()
}

// failing reports whether fetches have failed, with nothing succeeding,
// since when, and the latest cause. A fetch unanswered far past
// fetchMaxWait (a hung broker) counts as failing from fetchMaxWait on.
func (h *fetchHealth) failing(now time.Time) (bool, time.Time, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	since, err := h.failSince, h.lastErr
	for node, w := range h.inflight {
		if stalled := w.Add(fetchMaxWait); now.Sub(stalled) > fetchStallGrace && stalled.After(h.okAt) &&
			(since.IsZero() || stalled.Before(since)) {
			since = stalled
			if err == nil {
				err = fmt.Errorf("broker %d has not answered a fetch in %v", node, now.Sub(w).Round(time.Second))
			}
		}
	}
	return !since.IsZero(), since, err
}

// watch looks at the state every fetchHealthTick until ctx ends, calling
// report on each change to or from down, and giveUp once fetches have been
// down for giveUpAfter (when positive).
func (h *fetchHealth) watch(ctx context.Context, report func(FetchState), giveUpAfter time.Duration, giveUp func(FetchState)) {
	t := time.NewTicker(fetchHealthTick)
	defer t.Stop()
	var down bool
	var downSince time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			failing, since, err := h.failing(now)
			switch {
			case failing && !down && now.Sub(since) >= fetchDownAfter:
				down, downSince = true, since
				if report != nil {
					report(FetchState{Down: true, Since: since, For: now.Sub(since), Err: err})
				}
			case !failing && down:
				down = false
				if report != nil {
					report(FetchState{Since: downSince, For: now.Sub(downSince)})
				}
			}
			if down && giveUpAfter > 0 && now.Sub(downSince) >= giveUpAfter {
				giveUp(FetchState{Down: true, Since: downSince, For: now.Sub(downSince), Err: err})
				return
			}
		}
	}
}
