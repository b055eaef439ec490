package text

import (
	"fmt"
	"strings"
	"time"
)

// Bytes formats a byte count compactly: 512 B, 3.4 kB, 12.0 MB, 1.2 GB.
func Bytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// ScanLine is a range scan's progress in one line, as trace and search
// show it: "scanned 12,345 records, 1.2 MB, 40% · ETA 3s · 7 matches".
// done drops the ETA; kept below matches says how many are held.
func ScanLine(records, bytes int64, fraction float64, eta time.Duration, matches int64, kept int, done bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "scanned %s records, %s, %d%%", Count(records), Bytes(bytes), int(fraction*100))
	if !done {
		if eta > 0 {
			fmt.Fprintf(&b, " · ETA %s", eta.Round(time.Second))
		} else {
			b.WriteString(" · ETA " + Dash)
		}
	}
	fmt.Fprintf(&b, " · %s %s", Count(matches), Plural(int(min(matches, 2)), "match", "matches"))
	if int64(kept) < matches {
		fmt.Fprintf(&b, " (first %s kept)", Count(int64(kept)))
	}
	return b.String()
}

// Bar is a progress bar of width cells for fraction (0 to 1).
func Bar(fraction float64, width int) string {
	if width <= 0 {
		return ""
	}
	full := int(min(max(fraction, 0), 1) * float64(width))
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}
