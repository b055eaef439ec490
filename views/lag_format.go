package views

import (
	"strings"

	"kflow/lag"
	"kflow/text"
)

// timeLagText formats a time lag, "~" marking an estimate.
func timeLagText(tl lag.TimeLag) string {
	if tl.Age < 0 {
		return text.Dash
	}
	if tl.Estimated {
		return "~" + text.Age(tl.Age)
	}
	return text.Age(tl.Age)
}

// catchUpText formats a catch-up estimate.
func catchUpText(v lag.Verdict) string {
	switch {
	case v.CatchUp == 0:
		return "now"
	case v.CatchUp < 0 && v.ConsumeRate < 0:
		return text.Dash
	case v.CatchUp < 0:
		return "never"
	}
	return text.Age(v.CatchUp)
}

// statusTone is the colour meaning of a status.
func statusTone(s lag.Status) Tone {
	switch s {
	case lag.OK:
		return Good
	case lag.Pending:
		return Muted
	case lag.Warn, lag.Rewind:
		return Warning
	}
	return Bad
}

// lagSpark draws a lag history in width cells, the newest at the right. A
// longer history is folded into buckets, each showing its largest lag, so
// the line spans the whole history. Bars scale from the smallest value
// shown to the largest, so a lag that creeps from 350,000 to 357,000
// shows its climb; zero is always the lowest bar and a flat line sits in
// the middle.
func lagSpark(h []int64, width int) string {
	if width <= 0 {
		return ""
	}
	vals := h
	if len(h) > width {
		vals = make([]int64, 0, width)
		for i := range width {
			lo, hi := i*len(h)/width, (i+1)*len(h)/width
			var m int64
			for _, v := range h[lo:hi] {
				m = max(m, v)
			}
			vals = append(vals, m)
		}
	}
	if len(vals) == 0 {
		return strings.Repeat(" ", width)
	}
	lo, hi := vals[0], vals[0]
	for _, v := range vals {
		lo, hi = min(lo, v), max(hi, v)
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(vals)))
	top := len(sparkBars) - 1
	for _, v := range vals {
		i := top / 2
		switch {
		case v <= 0:
			i = 0
		case hi > lo:
			i = 1 + int(float64(v-lo)/float64(hi-lo)*float64(top-1)+0.5)
			if lo == 0 {
				i = max(1, int(float64(v)/float64(hi)*float64(top)+0.5))
			}
		}
		b.WriteRune(sparkBars[min(i, top)])
	}
	return b.String()
}
