package lag

import (
	"testing"
	"time"
)

var lagEpoch = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)

// series makes samples 2 s apart from lags and commit advances.
func series(lags []int64, consumed []int64) []Sample {
	out := make([]Sample, len(lags))
	for i, l := range lags {
		out[i] = Sample{At: lagEpoch.Add(time.Duration(i) * 2 * time.Second), Lag: l}
		if i > 0 && i < len(consumed)+1 {
			out[i].Consumed = consumed[i-1]
		}
	}
	return out
}

func lastMoveOf(s []Sample) time.Time {
	var t time.Time
	for _, x := range s {
		if x.Consumed > 0 {
			t = x.At
		}
	}
	return t
}

func TestEvaluateLagRules(t *testing.T) {
	rules := Rules{Window: 6, MinSamples: 3, StopAfter: time.Minute}
	rewound := series([]int64{5, 5, 90, 80}, []int64{1, 1, 10})
	rewound[2].Rewound = true
	errored := series([]int64{5, 5, 5}, []int64{1, 1})
	errored[2].Err = "describe: coordinator not available"
	errored[2].Lag = -1
	for _, tc := range []struct {
		name    string
		samples []Sample
		want    Status
	}{
		{"no samples", nil, Pending},
		{"one sample with lag", series([]int64{40}, nil), Pending},
		{"one sample without lag", series([]int64{0}, nil), OK},
		{"keeping up near zero", series([]int64{3, 0, 2, 1, 0, 4}, []int64{5, 5, 5, 5, 5}), OK},
		{"lag goes to zero", series([]int64{90, 60, 30, 0}, []int64{40, 40, 40}), OK},
		{"zero within window then growing", series([]int64{0, 10, 20, 30, 40}, []int64{1, 1, 1, 1}), OK},
		{"catching up", series([]int64{90, 80, 85, 70, 60}, []int64{20, 5, 25, 20}), OK},
		{"growing while moving", series([]int64{10, 20, 20, 35, 50}, []int64{5, 5, 5, 5}), Warn},
		{"grows then dips", series([]int64{10, 20, 15, 35, 50}, []int64{5, 5, 5, 5}), OK},
		{"flat, moving", series([]int64{10, 10, 10, 10}, []int64{5, 5, 5}), OK},
		{"not moving", series([]int64{10, 12, 14, 16}, []int64{0, 0, 0}), Stall},
		{"not moving, too few samples", series([]int64{10, 12}, []int64{0}), Pending},
		{"rewound", rewound, Rewind},
		{"error", errored, Error},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Evaluate(rules, tc.samples, lastMoveOf(tc.samples))
			if v.Status != tc.want {
				t.Fatalf("status %v (%s), want %v", v.Status, v.Reason, tc.want)
			}
			if v.Reason == "" {
				t.Error("no reason given")
			}
		})
	}
}

func TestEvaluateLagStop(t *testing.T) {
	rules := Rules{Window: 5, MinSamples: 3, StopAfter: time.Minute}
	// 40 samples 2 s apart: the last commit at sample 3 (6 s), lag stuck.
	lags := make([]int64, 40)
	consumed := make([]int64, 39)
	for i := range lags {
		lags[i] = 100
	}
	consumed[2] = 10
	s := series(lags, consumed)
	last := s[3].At
	// 50 s after the last commit: stalled, not yet stopped.
	if v := Evaluate(rules, s[:29], last); v.Status != Stall || !v.Since.Equal(last) {
		t.Fatalf("at 50 s: %+v", v)
	}
	// 60 s after: stopped, since the last commit.
	v := Evaluate(rules, s[:34], last)
	if v.Status != Stop || !v.Since.Equal(last) {
		t.Fatalf("at 60 s: %+v", v)
	}
	if v.CatchUp != -1 {
		t.Errorf("a stopped group catches up in %v", v.CatchUp)
	}
	// Never seen moving: the first sample stands in for the last commit.
	if v := Evaluate(rules, s, time.Time{}); v.Status != Stop || !v.Since.Equal(s[0].At) {
		t.Fatalf("never moved: %+v", v)
	}
	// A stopped group whose lag is zero is just idle.
	idle := series(make([]int64, 40), nil)
	if v := Evaluate(rules, idle, time.Time{}); v.Status != OK || v.CatchUp != 0 {
		t.Fatalf("idle: %+v", v)
	}
}

func TestEvaluateLagCatchUp(t *testing.T) {
	// Consuming 30/s against 10/s produced, lag 400 → 20 s.
	s := series([]int64{480, 440, 400}, []int64{60, 60})
	s[1].Produced, s[2].Produced = 20, 20
	v := Evaluate(Rules{}, s, s[2].At)
	if v.ConsumeRate != 30 || v.ProduceRate != 10 {
		t.Fatalf("rates %v/%v", v.ConsumeRate, v.ProduceRate)
	}
	if v.CatchUp != 20*time.Second {
		t.Fatalf("catch-up %v, want 20s", v.CatchUp)
	}
	// Falling behind: never.
	s[1].Produced, s[2].Produced = 80, 80
	if v := Evaluate(Rules{}, s, s[2].At); v.CatchUp != -1 {
		t.Fatalf("falling behind, catch-up %v", v.CatchUp)
	}
}

// snap is a one-partition lag snapshot of group g.
func snap(g string, committed, end int64) Group {
	lag := end - committed
	if committed < 0 {
		lag = end
	}
	return Group{
		ID:         g,
		Partitions: []Partition{{Topic: "t", Partition: 0, Committed: committed, EndOffset: end, Lag: lag}},
		Total:      lag,
	}
}

func TestLagTrackerSeries(t *testing.T) {
	tr := NewTracker(Rules{Window: 5, MinSamples: 3, StopAfter: 20 * time.Second}, 8)
	at := lagEpoch
	step := func(lags ...Group) {
		tr.Observe(at, lags, false)
		at = at.Add(2 * time.Second)
	}
	// fast keeps up and reaches zero; slow commits but falls behind;
	// stuck never commits again.
	for i := range int64(6) {
		step(snap("fast", 100*i, 100*i+5*(i%2)), snap("slow", 10*i, 100*i), snap("stuck", 50, 100*i+60))
	}
	want := map[string]Status{"fast": OK, "slow": Warn, "stuck": Stall}
	for g, st := range want {
		if v := tr.Verdict(g); v.Status != st {
			t.Errorf("%s: %v (%s), want %v", g, v.Status, v.Reason, st)
		}
	}
	if v := tr.Verdict("slow"); v.ConsumeRate != 5 || v.ProduceRate != 50 || v.CatchUp != -1 {
		t.Errorf("slow rates: %+v", v)
	}
	// Ten more seconds without a commit: stuck stops.
	for i := int64(6); i < 12; i++ {
		step(snap("stuck", 50, 100*i+60))
	}
	if v := tr.Verdict("stuck"); v.Status != Stop || !v.Since.Equal(lagEpoch) {
		t.Errorf("stuck: %+v", v)
	}
	if tr.Verdict("fast").Status != Pending || tr.History("fast") != nil {
		t.Error("a group missing from a full snapshot is not forgotten")
	}
	if h := tr.History("stuck"); len(h) != 8 || h[7] != 1110 {
		t.Errorf("history %v", h)
	}
}

func TestLagTrackerOffsetsReset(t *testing.T) {
	tr := NewTracker(Rules{Window: 5, MinSamples: 3}, 0)
	at := lagEpoch
	step := func(gl Group) {
		tr.Observe(at, []Group{gl}, true)
		at = at.Add(2 * time.Second)
	}
	for i := range int64(4) {
		step(snap("g", 100+10*i, 200+10*i))
	}
	// Someone resets the group to earliest: a rewind.
	step(snap("g", 0, 250))
	if v := tr.Verdict("g"); v.Status != Rewind {
		t.Fatalf("after a reset to earliest: %+v", v)
	}
	// The rewind stays in view for the window, then the group is judged
	// on its movement again.
	for i := range int64(5) {
		step(snap("g", 40*(i+1), 250+5*(i+1)))
	}
	if v := tr.Verdict("g"); v.Status != OK {
		t.Fatalf("after the window: %+v", v)
	}
	// The topic is recreated: end offsets go backwards. That is not a
	// rewind; the history starts over.
	step(snap("g", 0, 3))
	if v, s := tr.Verdict("g"), tr.Samples("g"); v.Status != Pending || len(s) != 1 {
		t.Fatalf("after the topic was recreated: %+v, %d samples", v, len(s))
	}
	// Nothing committed yet on a partition, then a first commit: a move.
	step(snap("h", -1, 50))
	step(snap("h", 30, 60))
	if s := tr.Samples("h"); s[1].Consumed != 30 || s[1].Rewound {
		t.Fatalf("first commit sample %+v", s[1])
	}
	// A describe error makes ERROR at once, and the lag unknown.
	bad := snap("h", 30, 70)
	bad.Err = "describe: NOT_COORDINATOR"
	step(bad)
	if v := tr.Verdict("h"); v.Status != Error || v.Reason != bad.Err {
		t.Fatalf("error: %+v", v)
	}
}

func TestParseLagRules(t *testing.T) {
	r, err := ParseRules("window=20, stop=90s")
	if err != nil || r.Window != 20 || r.MinSamples != DefaultRules().MinSamples || r.StopAfter != 90*time.Second {
		t.Fatalf("%+v, %v", r, err)
	}
	if r, err := ParseRules(""); err != nil || r != DefaultRules() {
		t.Fatalf("empty: %+v, %v", r, err)
	}
	for _, bad := range []string{"window", "window=1", "min=x", "stop=-1s", "speed=3", "window=3,min=5"} {
		if _, err := ParseRules(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
