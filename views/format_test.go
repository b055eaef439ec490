package views

import (
	"slices"
	"testing"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		q, text string
		ok      bool
		pos     []int
	}{
		{"", "orders", true, nil},
		{"der", "orders", true, []int{2, 3, 4}},
		{"ORD", "orders", true, []int{0, 1, 2}},
		{"ors", "orders", true, []int{0, 1, 5}}, // no substring: fuzzy
		{"xyz", "orders", false, nil},
		{"sro", "orders", false, nil}, // order matters
	} {
		pos, ok := Match(c.q, c.text)
		if ok != c.ok || !slices.Equal(pos, c.pos) {
			t.Errorf("Match(%q, %q) = %v %v, want %v %v", c.q, c.text, pos, ok, c.pos, c.ok)
		}
	}
}

func TestSparkline(t *testing.T) {
	if got := Sparkline([]float64{0, 1, 2, 4}, 6); got != "  ▁▃▅█" {
		t.Errorf("Sparkline = %q", got)
	}
}

func TestRates(t *testing.T) {
	r := newRates(3)
	if got := r.observe("a", 100, 0); got != -1 {
		t.Fatalf("first sample rate = %v", got)
	}
	if got := r.observe("a", 300, 2e9); got != 100 {
		t.Fatalf("rate = %v, want 100/s", got)
	}
	if got := r.observe("a", 50, 3e9); got != -1 { // recreated topic
		t.Fatalf("rate after a reset = %v", got)
	}
	r.forget(map[string]bool{})
	if len(r.last) != 0 {
		t.Fatal("forget kept samples")
	}
}
