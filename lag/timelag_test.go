package lag

import (
	"fmt"
	"testing"
	"time"
)

func TestTimeLagsCacheAndEstimate(t *testing.T) {
	tl := NewTimeLags(2, 3)
	now := lagEpoch
	lags := []Group{
		{ID: "a", Total: 100, Partitions: []Partition{
			{Topic: "t", Partition: 0, Committed: 10, EndOffset: 60, Lag: 50},
			{Topic: "t", Partition: 1, Committed: 20, EndOffset: 50, Lag: 30},
			{Topic: "t", Partition: 2, Committed: 5, EndOffset: 25, Lag: 20},
			{Topic: "t", Partition: 3, Committed: 9, EndOffset: 9, Lag: 0},
		}},
		// Same positions read by another group: asked for once.
		{ID: "b", Total: 50, Partitions: []Partition{
			{Topic: "t", Partition: 0, Committed: 10, EndOffset: 60, Lag: 50},
		}},
	}
	need := tl.Need(lags)
	if fmt.Sprint(need) != "[{t 0 10} {t 1 20}]" {
		t.Fatalf("need %v: the bound takes the largest lags first", need)
	}
	tl.Learn(map[PartitionOffset]time.Time{need[0]: now.Add(-time.Minute), need[1]: now.Add(-30 * time.Second)})
	if need := tl.Need(lags); fmt.Sprint(need) != "[{t 2 5}]" {
		t.Fatalf("after learning, need %v", need)
	}
	// Partition 2 is not read: its age comes from its produce rate.
	tl.Observe(now.Add(-10*time.Second), []Group{{Partitions: []Partition{{Topic: "t", Partition: 2, EndOffset: 5}}}})
	tl.Observe(now, lags)
	if got := tl.Of(lags[0].Partitions[2], now); got.Age != 10*time.Second || !got.Estimated {
		t.Errorf("estimated age %+v, want 10s (20 records at 2/s)", got)
	}
	if got := tl.Of(lags[0].Partitions[0], now); got.Age != time.Minute || got.Estimated {
		t.Errorf("read age %+v", got)
	}
	if got := tl.Of(lags[0].Partitions[3], now); got.Age != 0 {
		t.Errorf("no lag, age %+v", got)
	}
	if g := tl.Group(lags[0], now); g.Age != time.Minute {
		t.Errorf("group time lag %+v, want the oldest partition's", g)
	}
	// The cache is bounded: the oldest entries go.
	tl.Learn(map[PartitionOffset]time.Time{{"u", 0, 1}: now, {"u", 0, 2}: now})
	if len(tl.cache) != 3 {
		t.Errorf("cache holds %d, bound 3", len(tl.cache))
	}
	if _, ok := tl.cache[PartitionOffset{"t", 0, 10}]; ok {
		t.Error("the oldest entry was not evicted")
	}
}
