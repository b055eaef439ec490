package wordcount

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"kflow/internal/kafkatest"
)

// TestChangelogEndsWaitsForLeaders: a partition whose leader is gone
// (LEADER_NOT_AVAILABLE while the cluster elects another) is asked again
// until it answers, instead of failing the restore, which stopped a word
// count when a broker died under it (the 3-node cluster test saw it); a
// partition not asked for may keep failing; a lasting refusal (not
// authorized) fails at once.
func TestChangelogEndsWaitsForLeaders(t *testing.T) {
	fake := kafkatest.Fake(t)
	c := kafkatest.Connect(t, kafkatest.Backend{Name: "kfake", Brokers: fake.ListenAddrs()})
	ctx := kafkatest.Ctx(t)
	topic := kafkatest.UniqueTopic(t)
	kafkatest.MustCreate(t, c, topic, 3, nil)

	var refusals atomic.Int64
	var code atomic.Int32 // the error given to partition 1 (and 2 always)
	code.Store(int32(kerr.LeaderNotAvailable.Code))
	fake.ControlKey(int16(kmsg.ListOffsets), func(req kmsg.Request) (kmsg.Response, error, bool) {
		fake.KeepControl()
		lr := req.(*kmsg.ListOffsetsRequest)
		resp := lr.ResponseKind().(*kmsg.ListOffsetsResponse)
		for _, rt := range lr.Topics {
			st := kmsg.NewListOffsetsResponseTopic()
			st.Topic = rt.Topic
			for _, rp := range rt.Partitions {
				sp := kmsg.NewListOffsetsResponseTopicPartition()
				sp.Partition, sp.Offset, sp.Timestamp = rp.Partition, 7, -1
				switch {
				case rp.Partition == 2:
					sp.ErrorCode = kerr.LeaderNotAvailable.Code // never asked for below
				case rp.Partition == 1 && refusals.Load() < 3:
					sp.ErrorCode = int16(code.Load())
					refusals.Add(1)
				}
				st.Partitions = append(st.Partitions, sp)
			}
			resp.Topics = append(resp.Topics, st)
		}
		return resp, nil, true
	})

	ends, err := changelogEnds(ctx, c, topic, []int32{0, 1})
	if err != nil {
		t.Fatalf("changelogEnds: %v", err)
	}
	if ends[0] != 7 || ends[1] != 7 || len(ends) != 2 || refusals.Load() != 3 {
		t.Fatalf("ends %v after %d refusals, want partitions 0 and 1 at 7 after 3", ends, refusals.Load())
	}

	refusals.Store(0)
	code.Store(int32(kerr.TopicAuthorizationFailed.Code))
	if _, err := changelogEnds(ctx, c, topic, []int32{1}); err == nil || !strings.Contains(err.Error(), "TOPIC_AUTHORIZATION_FAILED") || refusals.Load() != 1 {
		t.Fatalf("a refusal: err %v after %d requests, want TOPIC_AUTHORIZATION_FAILED at once", err, refusals.Load())
	}
}
