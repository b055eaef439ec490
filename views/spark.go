package views

import "strings"

var sparkBars = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws the last width values as bars scaled to their maximum;
// fewer values are right-aligned so the newest is always at the right.
func Sparkline(values []float64, width int) string {
	if width <= 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	var hi float64
	for _, v := range values {
		hi = max(hi, v)
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(values)))
	for _, v := range values {
		i := 0
		if hi > 0 && v > 0 {
			i = int(v/hi*float64(len(sparkBars)-1) + 0.5)
		}
		b.WriteRune(sparkBars[i])
	}
	return b.String()
}

// rates keeps a short history of records/s per key, computed from
// successive samples of a monotonically growing end offset.
type rates struct {
	last    map[string]sample
	history map[string][]float64
	keep    int
}

type sample struct {
	end int64
	at  int64 // unix nanoseconds
}

func newRates(keep int) *rates {
	return &rates{last: map[string]sample{}, history: map[string][]float64{}, keep: keep}
}

// observe records the end offset of key at the time at (unix ns) and
// returns the rate since the previous observation, or -1 with none.
func (r *rates) observe(key string, end, at int64) float64 {
	prev, ok := r.last[key]
	r.last[key] = sample{end: end, at: at}
	if !ok || at <= prev.at {
		return r.current(key)
	}
	d := end - prev.end
	if d < 0 { // topic recreated or truncated: start over
		delete(r.history, key)
		return -1
	}
	rate := float64(d) / (float64(at-prev.at) / 1e9)
	h := r.history[key]
	h = append(h, rate)
	if len(h) > r.keep {
		h = h[len(h)-r.keep:]
	}
	r.history[key] = h
	return rate
}

// current is the latest rate of key, -1 with fewer than two samples.
func (r *rates) current(key string) float64 {
	h := r.history[key]
	if len(h) == 0 {
		return -1
	}
	return h[len(h)-1]
}

// forget drops keys not in keep.
func (r *rates) forget(keep map[string]bool) {
	for k := range r.last {
		if !keep[k] {
			delete(r.last, k)
			delete(r.history, k)
		}
	}
}
