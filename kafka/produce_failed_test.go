package kafka

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestProduceStreamNamesFailedRecords: a broker that starts refusing
// writes mid-run with NOT_ENOUGH_REPLICAS (what a partition below min ISR
// answers acks=all) leaves records unwritten; franz-go retries them until
// kflow gives up. The run's stats name exactly those: every record sent is
// either read back from the topic or among FailedRecords or
// UnackedRecords, never two of them, each list ascending. Before, a run
// only counted them.
func TestProduceStreamNamesFailedRecords(t *testing.T) {
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	var requests atomic.Int64
	fake.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		fake.KeepControl()
		if requests.Add(1) <= 2 {
			return nil, nil, false // the first requests are written
		}
		pr := req.(*kmsg.ProduceRequest)
		resp := pr.ResponseKind().(*kmsg.ProduceResponse)
		for _, rt := range pr.Topics {
			st := kmsg.NewProduceResponseTopic()
			st.Topic = rt.Topic
			for _, rp := range rt.Partitions {
				sp := kmsg.NewProduceResponseTopicPartition()
				sp.Partition = rp.Partition
				sp.ErrorCode = kerr.NotEnoughReplicas.Code
				st.Partitions = append(st.Partitions, sp)
			}
			resp.Topics = append(resp.Topics, st)
		}
		return resp, nil, true
	})
	c := connectWith(t, fake.ListenAddrs(), time.Second)
	name := uniqueTopic(t)
	mustCreate(t, c, name, 1, nil)

	const n = 20000 // of 1 KiB: 20 MiB, far more than two requests hold
	pad := strings.Repeat("x", 1024)
	st, err := c.ProduceStream(testCtx(t), StreamOptions{Count: n}, func(i int) (Record, bool) {
		return Record{Topic: name, Partition: -1, Value: []byte("v-" + strconv.Itoa(i+1) + " " + pad)}, true
	})
	if err == nil {
		t.Fatalf("the run succeeded (%+v): the refusing broker failed nothing", st)
	}
	if st.Failed+st.Unacked == 0 || int64(len(st.FailedRecords)) != st.Failed || int64(len(st.UnackedRecords)) != st.Unacked {
		t.Fatalf("stats %d sent, %d acked, %d failed, %d unacked, %d+%d named", st.Sent, st.Acked, st.Failed, st.Unacked, len(st.FailedRecords), len(st.UnackedRecords))
	}
	if !slices.IsSorted(st.FailedRecords) || !slices.IsSorted(st.UnackedRecords) {
		t.Errorf("record numbers not ascending")
	}
	_, recs := readIDs(t, c, name)
	written := map[int64]bool{}
	for _, r := range recs {
		k, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSuffix(string(r.Value), " "+pad), "v-"), 10, 64)
		if err != nil {
			t.Fatalf("record %q", r.Value)
		}
		written[k] = true
	}
	failed := map[int64]bool{}
	for _, k := range slices.Concat(st.FailedRecords, st.UnackedRecords) {
		if written[k] || failed[k] {
			t.Errorf("record %d named twice, or named and written", k)
		}
		failed[k] = true
	}
	for k := int64(1); k <= st.Sent; k++ {
		if !written[k] && !failed[k] {
			t.Errorf("record %d sent, neither written nor named failed", k)
		}
	}
	if int64(len(written)) != st.Acked {
		t.Errorf("%d records written, %d acknowledged", len(written), st.Acked)
	}
	t.Logf("%d sent, %d written, %d failed, %d unacknowledged from %s", st.Sent, len(written), st.Failed, st.Unacked, fmt.Sprint(st.UnackedRecords[:min(3, len(st.UnackedRecords))]))
}

// TestAnsweredSet: answers in any order; the chunks answered through are
// let go, and missing names exactly the records not answered.
func TestAnsweredSet(t *testing.T) {
	var s answeredSet
	const sent = 3*answeredChunkBits + 100
	skip := map[int64]bool{7: true, answeredChunkBits + 1: true, 3*answeredChunkBits + 50: true}
	for n := int64(sent); n >= 1; n-- { // backwards: the worst order
		if !skip[n] {
			s.add(n)
		}
	}
	if got, want := s.missing(sent+2, 100), []int64{7, answeredChunkBits + 1, 3*answeredChunkBits + 50, sent + 1, sent + 2}; !slices.Equal(got, want) {
		t.Fatalf("missing %v, want %v", got, want)
	}
	s.add(7)
	s.add(answeredChunkBits + 1)
	if len(s.chunks) != 1 || s.base != 3*answeredChunkBits+1 {
		t.Errorf("after the first chunks were answered through: %d chunks from %d", len(s.chunks), s.base)
	}
	if got := s.missing(sent, 100); !slices.Equal(got, []int64{3*answeredChunkBits + 50}) {
		t.Errorf("missing %v", got)
	}
	if got := s.missing(sent, 0); len(got) != 0 {
		t.Errorf("limit 0 gave %v", got)
	}
}
