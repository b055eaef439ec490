package kafka

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// StartKind says where a tail begins in each partition.
type StartKind int

const (
	// StartEnd reads only records produced from now on.
	StartEnd StartKind = iota
	// StartBeginning reads from the oldest record kept.
	StartBeginning
	// StartOffset reads from an absolute offset (clamped to what exists).
	StartOffset
	// StartLastN reads the newest N records of each partition.
	StartLastN
	// StartTime reads from the first record at or after a timestamp.
	StartTime
)

// Start is a tail's starting position, the same in every partition.
type Start struct {
	Kind   StartKind
	Offset int64     // StartOffset: the offset; StartLastN: N
	Time   time.Time // StartTime
}

// ParseStart reads a start position as kflow's flags write it:
// "beginning", "end", an absolute offset "N", the last N records "-N", or
// "@" followed by an RFC 3339 time or Unix milliseconds.
func ParseStart(s string) (Start, error) {
	switch s = strings.TrimSpace(s); {
	case s == "beginning" || s == "start" || s == "earliest" || s == "oldest":
		return Start{Kind: StartBeginning}, nil
	case s == "end" || s == "latest" || s == "newest" || s == "":
		return Start{Kind: StartEnd}, nil
	case strings.HasPrefix(s, "@"):
		v := s[1:]
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			return Start{Kind: StartTime, Time: time.UnixMilli(ms)}, nil
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return Start{}, fmt.Errorf("start %q: after @ give an RFC 3339 time (2026-11-23T10:00:00Z) or Unix milliseconds", s)
		}
		return Start{Kind: StartTime, Time: t}, nil
	case strings.HasPrefix(s, "-"):
		n, err := strconv.ParseInt(s[1:], 10, 64)
		if err != nil || n <= 0 {
			return Start{}, fmt.Errorf("start %q: -N takes a positive whole number of records", s)
		}
		return Start{Kind: StartLastN, Offset: n}, nil
	default:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return Start{}, fmt.Errorf("start %q: want beginning, end, an offset N, the last -N, or @TIME", s)
		}
		return Start{Kind: StartOffset, Offset: n}, nil
	}
}

// String writes the start position the way ParseStart reads it.
func (s Start) String() string {
	switch s.Kind {
	case StartBeginning:
		return "beginning"
	case StartOffset:
		return strconv.FormatInt(s.Offset, 10)
	case StartLastN:
		return "-" + strconv.FormatInt(s.Offset, 10)
	case StartTime:
		return "@" + s.Time.UTC().Format(time.RFC3339Nano)
	}
	return "end"
}
