// Package lag judges consumer lag: the status rules (OK, WARN, REWIND,
// STALL, STOP, ERROR over a sliding window, after Burrow), their parsing
// (--lag-rules, --fail-on), the tracker that keeps each group's samples,
// and the time-lag maths (cache of record times, rate estimates).
//
// It is its own package because it is pure arithmetic on offsets: it
// imports neither franz-go nor Bubble Tea (and not package kafka), so the
// rules are tested without a broker and shared by `kflow lag` and the
// dashboard. package kafka fetches the offsets and record times
// (lagstatus_monitor.go, timelag_fetch.go) and feeds them in as lag.Group.
package lag
