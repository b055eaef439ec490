package kafka

import (
	"fmt"
	"testing"
	"time"

	"kflow/lag"
)

func TestRecordTimes(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		topic := uniqueTopic(t)
		mustCreate(t, c, topic, 2, nil)
		base := time.UnixMilli(1795428000000)
		for p := range int32(2) {
			for i := range 10 {
				if _, err := c.Produce(ctx, Record{Topic: topic, Partition: p, Value: fmt.Appendf(nil, "%d", i),
					Timestamp: base.Add(time.Duration(i)*time.Second + time.Duration(p)*time.Minute)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		offs := []lag.PartitionOffset{{Topic: topic, Partition: 0, Offset: 3}, {Topic: topic, Partition: 1, Offset: 7}, {Topic: topic, Partition: 0, Offset: 8}, {Topic: topic, Partition: 1, Offset: 10}}
		got, err := c.RecordTimes(ctx, offs)
		if err != nil {
			t.Fatal(err)
		}
		want := map[lag.PartitionOffset]time.Time{
			offs[0]: base.Add(3 * time.Second),
			offs[1]: base.Add(time.Minute + 7*time.Second),
			offs[2]: base.Add(8 * time.Second),
		}
		for po, ts := range want {
			if !got[po].Equal(ts) {
				t.Errorf("%+v: %v, want %v", po, got[po], ts)
			}
		}
		if _, ok := got[offs[3]]; ok || len(got) != 3 {
			t.Errorf("the end offset has no record, yet: %v", got)
		}
	})
}
