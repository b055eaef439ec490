package kafka

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// hungCluster is a kfake cluster whose produce requests can be held
// unanswered, as a broker stopped with SIGSTOP holds them.
type hungCluster struct {
	*kfake.Cluster
	mu      sync.Mutex
	hung    bool
	release chan struct{}
}

func newHungCluster(t *testing.T) *hungCluster {
	t.Helper()
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0))
	if err != nil {
		t.Fatal(err)
	}
	h := &hungCluster{Cluster: fake, release: make(chan struct{})}
	t.Cleanup(func() { h.resume(); fake.Close() })
	fake.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		fake.KeepControl()
		h.mu.Lock()
		hung, release := h.hung, h.release
		h.mu.Unlock()
		if hung {
			fake.SleepControl(func() { <-release })
		}
		return nil, nil, false
	})
	return h
}

func (h *hungCluster) hang() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hung = true
}

func (h *hungCluster) resume() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hung {
		h.hung = false
		close(h.release)
		h.release = make(chan struct{})
	}
}

// TestProduceStreamBoundedByDeliveryTimeout hangs the broker mid-run: the
// run reports that it waits for the broker, gives up after the delivery
// timeout with the unacknowledged records counted, and returns an error.
// Before, it waited for ever and reported nothing.
func TestProduceStreamBoundedByDeliveryTimeout(t *testing.T) {
	h := newHungCluster(t)
	c := connectWith(t, h.ListenAddrs(), time.Second)
	name := uniqueTopic(t)
	mustCreate(t, c, name, 1, nil)
	var (
		mu      sync.Mutex
		waiting time.Time
	)
	start := time.Now()
	st, err := c.ProduceStream(testCtx(t), StreamOptions{Rate: 200, Progress: func(s StreamStats) {
		mu.Lock()
		defer mu.Unlock()
		if !s.WaitingSince.IsZero() {
			waiting = s.WaitingSince
		}
	}}, func(i int) (Record, bool) {
		if i == 50 {
			h.hang()
		}
		return Record{Topic: name, Partition: 0, Value: []byte("v")}, true
	})
	took := time.Since(start)
	var ue *UnackedError
	if !errors.As(err, &ue) || ue.Interrupted || st.Unacked == 0 || st.Acked+st.Failed+st.Unacked != st.Sent {
		t.Fatalf("hung run: err %v, stats %+v; want an UnackedError and the unacknowledged counted", err, st)
	}
	if d := DeliveryTimeout(c.Config()); took > d+5*time.Second {
		t.Errorf("hung run took %v, want about the delivery timeout %v", took, d)
	}
	mu.Lock()
	defer mu.Unlock()
	if waiting.IsZero() {
		t.Error("progress never said the run was waiting for the broker")
	}
}

// TestProduceStreamCancelWhileHung cancels a run while the broker hangs:
// it returns within the grace, saying how many records were not
// acknowledged.
func TestProduceStreamCancelWhileHung(t *testing.T) {
	h := newHungCluster(t)
	c := connectWith(t, h.ListenAddrs(), 5*time.Second)
	name := uniqueTopic(t)
	mustCreate(t, c, name, 1, nil)
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	var cancelled time.Time
	st, err := c.ProduceStream(ctx, StreamOptions{Rate: 500, Progress: func(s StreamStats) {
		if !s.WaitingSince.IsZero() && cancelled.IsZero() {
			cancelled = time.Now()
			cancel()
		}
	}}, func(i int) (Record, bool) {
		if i == 20 {
			h.hang()
		}
		return Record{Topic: name, Partition: 0, Value: []byte("v")}, true
	})
	var ue *UnackedError
	if !errors.As(err, &ue) || !ue.Interrupted || !st.Interrupted || st.Unacked == 0 {
		t.Fatalf("cancelled hung run: err %v, stats %+v", err, st)
	}
	if d := time.Since(cancelled); d > time.Second {
		t.Errorf("returned %v after the cancel, want within a second", d)
	}

	// A single record is bounded the same way.
	c2 := connectWith(t, h.ListenAddrs(), time.Second)
	start := time.Now()
	_, err = c2.Produce(testCtx(t), Record{Topic: name, Partition: 0, Value: []byte("one")})
	if !errors.As(err, &ue) || time.Since(start) > DeliveryTimeout(c2.Config())+5*time.Second {
		t.Errorf("single record to a hung broker: %v after %v", err, time.Since(start))
	}
}

func connectWith(t *testing.T, brokers []string, timeout time.Duration) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := Connect(ctx, ConnConfig{Brokers: brokers, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}
