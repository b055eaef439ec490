package text

import "testing"

func TestFormats(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := Count(in); got != want {
			t.Errorf("Count(%d) = %s", in, got)
		}
	}
	for in, want := range map[float64]string{-1: Dash, 0: "0", 2.5: "2.5", 240: "240", 4200: "4.2k", 3.1e6: "3.1M"} {
		if got := Rate(in); got != want {
			t.Errorf("Rate(%v) = %s", in, got)
		}
	}
}
