package lag

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// RulesEnv names the environment variable holding the status thresholds
// (window=15,min=4,stop=2m; see docs/lag-status.md), read by the
// dashboard and `kflow lag` alike.
const RulesEnv = "KFLOW_LAG_RULES"

// ParseRules reads thresholds written as comma-separated key=value
// pairs, the form of --lag-rules and KFLOW_LAG_RULES:
//
//	window=15,min=4,stop=2m
//
// window and min are sample counts, stop a Go duration. Keys left out
// keep their defaults; an empty string is all defaults.
func ParseRules(s string) (Rules, error) {
	var r Rules
	for _, kv := range strings.Split(s, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return r, fmt.Errorf("lag rules: %q is not key=value (window=15,min=4,stop=2m)", kv)
		}
		switch strings.TrimSpace(k) {
		case "window", "min":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 2 {
				return r, fmt.Errorf("lag rules: %s takes a whole number of samples, at least 2 (got %q)", k, v)
			}
			if k == "window" {
				r.Window = n
			} else {
				r.MinSamples = n
			}
		case "stop":
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil || d <= 0 {
				return r, fmt.Errorf("lag rules: stop takes a duration such as 2m or 90s (got %q)", v)
			}
			r.StopAfter = d
		default:
			return r, fmt.Errorf("lag rules: unknown key %q (window, min, stop)", k)
		}
	}
	if r.Window > 0 && r.MinSamples > r.Window {
		return r, fmt.Errorf("lag rules: min (%d) is more than window (%d)", r.MinSamples, r.Window)
	}
	return r.withDefaults(), nil
}

// FailStatuses are the statuses a check can fail on, from the mildest:
// failing on one fails on it and on every status after it in this order
// (the order of Status, pending excluded, since it is no verdict).
var FailStatuses = []Status{Warn, Rewind, Stall, Stop, Error}

// ParseFailStatus reads a status --fail-on takes: WARN, REWIND, STALL,
// STOP or ERROR, in any case.
func ParseFailStatus(s string) (Status, error) {
	for _, st := range FailStatuses {
		if strings.EqualFold(strings.TrimSpace(s), st.Word()) {
			return st, nil
		}
	}
	return 0, fmt.Errorf("%q is not a status to fail on (WARN, REWIND, STALL, STOP or ERROR; each includes the ones after it)", s)
}
