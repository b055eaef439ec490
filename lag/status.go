package lag

import (
	"fmt"
	"time"
)

// Status is a group's health judged over a sliding window of lag
// samples, after Burrow's consumer evaluation rules.
type Status int

// Statuses, from healthy to worst; a larger value is more urgent, which is
// how the dashboard sorts.
const (
	// OK: lag was zero within the window, or is not growing.
	OK Status = iota
	// Pending: too few samples to judge a group that has lag.
	Pending
	// Warn: offsets move but lag grew in every interval of the window.
	Warn
	// Rewind: some committed offset went backwards within the window.
	Rewind
	// Stall: no committed offset moved over the whole window while lag
	// is above zero.
	Stall
	// Stop: no committed offset moved for longer than StopAfter while
	// lag is above zero.
	Stop
	// Error: the group could not be described or its offsets fetched.
	Error
)

// String names the status as the dashboard shows it.
func (s Status) String() string {
	switch s {
	case OK:
		return "OK"
	case Pending:
		return "…"
	case Warn:
		return "WARN"
	case Rewind:
		return "REWIND"
	case Stall:
		return "STALL"
	case Stop:
		return "STOP"
	case Error:
		return "ERROR"
	}
	return fmt.Sprintf("LagStatus(%d)", int(s))
}

// Word names the status in capitals, pending as PENDING: what scripts
// read in --json and what --fail-on takes.
func (s Status) Word() string {
	if s == Pending {
		return "PENDING"
	}
	return s.String()
}

// MarshalText writes the status as its Word.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.Word()), nil }

// Rules are the thresholds of the evaluation. The zero value of a field
// means its default (see DefaultRules).
type Rules struct {
	// Window is how many samples are evaluated, newest last.
	Window int
	// MinSamples is how many samples WARN and STALL need.
	MinSamples int
	// StopAfter is how long committed offsets may stand still, with lag
	// above zero, before the group is STOP rather than STALL.
	StopAfter time.Duration
}

// DefaultRules are the thresholds kflow uses unless told otherwise:
// with the dashboard's 2 s refresh, a 15-sample window is 30 seconds.
func DefaultRules() Rules {
	return Rules{Window: 15, MinSamples: 4, StopAfter: 2 * time.Minute}
}

// withDefaults fills zero fields from DefaultRules.
func (r Rules) withDefaults() Rules {
	d := DefaultRules()
	if r.Window <= 0 {
		r.Window = d.Window
	}
	if r.MinSamples <= 0 {
		r.MinSamples = d.MinSamples
	}
	r.MinSamples = max(2, min(r.MinSamples, r.Window))
	if r.StopAfter <= 0 {
		r.StopAfter = d.StopAfter
	}
	return r
}

// Sample is one observation of a group, as Tracker derives it from
// two successive lag snapshots.
type Sample struct {
	At time.Time
	// Lag is the group's total lag, -1 when unknown.
	Lag int64
	// Consumed is how far committed offsets advanced since the previous
	// sample, summed over partitions.
	Consumed int64
	// Produced is how far the end offsets of the group's partitions
	// advanced since the previous sample.
	Produced int64
	// Rewound says some committed offset went backwards since the
	// previous sample (an offset reset, or a consumer replaying).
	Rewound bool
	// Err says why the group could not be read this time.
	Err string
}

// Verdict is the outcome of an evaluation.
type Verdict struct {
	Status Status
	// Reason says in words which rule decided.
	Reason string
	// Since is when the condition began as far as the window shows: the
	// last commit movement for STALL and STOP, the rewind for REWIND, the
	// window's start for WARN. Zero for OK.
	Since time.Time
	// ConsumeRate and ProduceRate are records per second over the window,
	// -1 with fewer than two samples.
	ConsumeRate, ProduceRate float64
	// CatchUp estimates how long the group needs to reach the end at the
	// current rates: 0 when it has no lag, -1 when it is not gaining.
	CatchUp time.Duration
}

// Evaluate judges a series of samples, oldest first, at the time of the
// newest one. lastMove is when a committed offset was last seen to advance
// (zero when never seen: the first sample's time stands in for it). The
// rules, first match wins:
//
//  1. ERROR: the newest sample has an error.
//  2. REWIND: a committed offset went backwards within the window.
//  3. OK: lag is zero now, or was zero in some sample of the window.
//  4. STOP: lag is above zero and no committed offset moved for StopAfter.
//  5. PENDING: fewer than MinSamples samples.
//  6. STALL: no committed offset moved over the whole window.
//  7. WARN: offsets moved and lag grew (never shrank, and ended higher) in
//     every interval of the window.
//  8. OK otherwise: the group is keeping up or catching up.
func Evaluate(rules Rules, samples []Sample, lastMove time.Time) Verdict {
	rules = rules.withDefaults()
	if len(samples) == 0 {
		return Verdict{Status: Pending, Reason: "no sample yet", ConsumeRate: -1, ProduceRate: -1, CatchUp: -1}
	}
	if lastMove.IsZero() {
		lastMove = samples[0].At
	}
	if len(samples) > rules.Window {
		samples = samples[len(samples)-rules.Window:]
	}
	last := samples[len(samples)-1]
	v := Verdict{ConsumeRate: -1, ProduceRate: -1, CatchUp: -1}
	v.ConsumeRate, v.ProduceRate = rates(samples)
	v.CatchUp = catchUp(last.Lag, v.ConsumeRate, v.ProduceRate)

	if last.Err != "" {
		v.Status, v.Reason, v.Since = Error, last.Err, last.At
		return v
	}
	for i := len(samples) - 1; i >= 0; i-- {
		if samples[i].Rewound {
			v.Status, v.Reason, v.Since = Rewind, "a committed offset went backwards", samples[i].At
			return v
		}
	}
	for _, s := range samples {
		if s.Lag == 0 {
			// Caught up within the window: it keeps up.
			v.Status, v.Reason, v.CatchUp = OK, "lag reached zero within the window", 0
			if last.Lag == 0 {
				v.Reason = "no lag"
			}
			return v
		}
	}
	if last.Lag < 0 {
		v.Status, v.Reason = Pending, "lag unknown"
		return v
	}
	if still := last.At.Sub(lastMove); still >= rules.StopAfter {
		v.Status, v.Since = Stop, lastMove
		v.Reason = fmt.Sprintf("no commit for %s with lag above zero", still.Round(time.Second))
		return v
	}
	if len(samples) < rules.MinSamples {
		v.Status, v.Reason = Pending, fmt.Sprintf("%d of %d samples", len(samples), rules.MinSamples)
		return v
	}
	moved := false
	for _, s := range samples[1:] {
		if s.Consumed > 0 {
			moved = true
		}
	}
	if !moved {
		v.Status, v.Since = Stall, lastMove
		v.Reason = "committed offsets did not move over the window while lag is above zero"
		return v
	}
	growing := samples[len(samples)-1].Lag > samples[0].Lag
	for i := 1; i < len(samples) && growing; i++ {
		if samples[i].Lag < samples[i-1].Lag {
			growing = false
		}
	}
	if growing {
		v.Status, v.Since = Warn, samples[0].At
		v.Reason = "offsets move but lag grew over every interval of the window"
		return v
	}
	v.Status, v.Reason = OK, "keeping up"
	return v
}

// rates are records consumed and produced per second over the samples.
func rates(samples []Sample) (consume, produce float64) {
	if len(samples) < 2 {
		return -1, -1
	}
	span := samples[len(samples)-1].At.Sub(samples[0].At).Seconds()
	if span <= 0 {
		return -1, -1
	}
	var c, p int64
	for _, s := range samples[1:] {
		c += s.Consumed
		p += s.Produced
	}
	return float64(c) / span, float64(p) / span
}

// catchUp is how long lag takes to reach zero at the net consume rate.
func catchUp(lag int64, consume, produce float64) time.Duration {
	switch {
	case lag == 0:
		return 0
	case lag < 0 || consume < 0 || produce < 0 || consume <= produce:
		return -1
	}
	secs := float64(lag) / (consume - produce)
	if secs > (100 * 365 * 24 * time.Hour).Seconds() {
		return -1
	}
	return time.Duration(secs * float64(time.Second))
}
