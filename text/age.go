package text

import (
	"fmt"
	"time"
)

// Age formats a duration compactly: 45s, 12m, 3h05m, 2d4h; Dash when
// negative (unknown).
func Age(d time.Duration) string {
	switch {
	case d < 0:
		return Dash
	case d < time.Second:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}
