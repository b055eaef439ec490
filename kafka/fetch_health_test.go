package kafka

import (
	"errors"
	"math"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestFetchHealthCountsSeedFailuresOnlyWhenIdle: a client that has no fetch
// in flight talks to the cluster through its seeds alone (a broker going
// down cleanly hands out metadata with no leader, and franz-go then re-dials
// only the bootstrap address), so a failed seed dial is the outage. While a
// fetch is pending, a dead seed among live brokers is not: the fetch says
// how the cluster is. The CI run that found this had one tail of two never
// report a stopped broker.
func TestFetchHealthCountsSeedFailuresOnlyWhenIdle(t *testing.T) {
	seed := kgo.BrokerMetadata{NodeID: math.MinInt32, Host: "127.0.0.1", Port: 9092}
	node := kgo.BrokerMetadata{NodeID: 1, Host: "127.0.0.1", Port: 9092}
	refused := syscall.ECONNREFUSED

	idle := newFetchHealth()
	idle.OnBrokerConnect(seed, 0, nil, refused)
	failing, _, err := idle.failing(time.Now())
	if !failing || err == nil || !strings.Contains(err.Error(), "bootstrap broker 127.0.0.1:9092") {
		t.Fatalf("idle client, seed dial refused: failing=%v err=%v, want failing naming the bootstrap broker", failing, err)
	}
	if !errors.Is(err, refused) {
		t.Errorf("err %v does not wrap the cause", err)
	}

	// A metadata request that fails on a known broker while no fetch runs counts too.
	meta := newFetchHealth()
	meta.OnBrokerRead(node, int16(kmsg.Metadata), 0, 0, 0, errors.New("EOF"))
	if failing, _, _ := meta.failing(time.Now()); !failing {
		t.Error("idle client, metadata read failed: not failing")
	}

	busy := newFetchHealth()
	busy.OnBrokerWrite(node, int16(kmsg.Fetch), 0, 0, 0, nil)
	busy.OnBrokerConnect(seed, 0, nil, refused)
	busy.OnBrokerRead(seed, int16(kmsg.Metadata), 0, 0, 0, errors.New("EOF"))
	if failing, _, err := busy.failing(time.Now()); failing {
		t.Fatalf("fetch in flight, seed dial refused: failing (%v), want not", err)
	}
	// The pending fetch failing is the outage, whatever the seeds do.
	busy.OnBrokerRead(node, int16(kmsg.Fetch), 0, 0, 0, errors.New("EOF"))
	if failing, _, _ := busy.failing(time.Now()); !failing {
		t.Fatal("fetch read failed: not failing")
	}
	// A successful fetch clears it all.
	busy.OnBrokerWrite(node, int16(kmsg.Fetch), 0, 0, 0, nil)
	busy.OnBrokerRead(node, int16(kmsg.Fetch), 0, 0, 0, nil)
	if failing, _, err := busy.failing(time.Now()); failing {
		t.Fatalf("after a good fetch: failing (%v)", err)
	}
}

// TestTailErrKeepsBrokerDownOverPollErrors: a poll that returns (with an
// error of its own, or none) must not hide that fetches are down; only the
// fetch state coming back up clears it.
func TestTailErrKeepsBrokerDownOverPollErrors(t *testing.T) {
	tl := &Tail{}
	tl.down = &BrokerDownError{Topic: "t", Err: syscall.ECONNREFUSED, Retrying: true}
	tl.err = errors.New(`tail "t" partition 0: NOT_LEADER_OR_FOLLOWER`)
	var bde *BrokerDownError
	if !errors.As(tl.Err(), &bde) {
		t.Fatalf("Err() = %v, want the *BrokerDownError", tl.Err())
	}
	tl.down = nil
	if tl.Err() != tl.err {
		t.Fatalf("Err() = %v after recovery, want the poll's error", tl.Err())
	}
}
