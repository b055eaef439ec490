package kafka

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ConfigUnit is what a config's number counts, read from its name as
// Kafka's documentation spells them: "*.ms" keys are durations in
// milliseconds (retention.ms, segment.ms, log.retention.ms,
// message.timestamp.after.max.ms, ...), "*.bytes" keys are sizes in bytes
// (segment.bytes, max.message.bytes, local.retention.bytes, ...), and
// message.max.bytes is one too.
type ConfigUnit int

// The units a config's value may be shown and typed in.
const (
	UnitNone ConfigUnit = iota
	UnitMillis
	UnitBytes
)

// UnitOf says what the config key's number counts.
func UnitOf(key string) ConfigUnit {
	switch {
	case strings.HasSuffix(key, ".ms"):
		return UnitMillis
	case strings.HasSuffix(key, ".bytes"):
		return UnitBytes
	}
	return UnitNone
}

// unlimitedKeys are the keys whose -1 means "no limit" (Kafka's docs:
// retention.ms=-1 keeps records forever, retention.bytes=-1 has no size
// limit); elsewhere -1 is shown as the number it is.
func unlimitedKey(key string) bool {
	for _, k := range []string{"retention.ms", "retention.bytes", "local.retention.ms", "local.retention.bytes"} {
		if key == k || key == "log."+k {
			return true
		}
	}
	return false
}

var durationUnits = []struct {
	name string
	ms   int64
}{{"w", 7 * 86_400_000}, {"d", 86_400_000}, {"h", 3_600_000}, {"m", 60_000}, {"s", 1000}, {"ms", 1}}

var byteUnits = []struct {
	name string
	n    int64
}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}

// HumanConfigValue shows a config's value in the units of its key:
// retention.ms=604800000 as 7d, segment.bytes=1073741824 as 1GiB,
// retention.ms=-1 as unlimited. A value that is not a whole number, or
// has no exact unit larger than one, is returned as it is, so what is
// shown always parses back to the same value.
func HumanConfigValue(key, value string) string {
	unit := UnitOf(key)
	if unit == UnitNone {
		return value
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil {
		return value
	}
	switch {
	case n == -1 && unlimitedKey(key):
		return "unlimited"
	case n == math.MaxInt64:
		return "max"
	case n <= 0:
		return value
	}
	if unit == UnitMillis {
		for _, u := range durationUnits {
			if n%u.ms == 0 {
				if u.name == "w" { // weeks read worse than days
					continue
				}
				return strconv.FormatInt(n/u.ms, 10) + u.name
			}
		}
		return value
	}
	for _, u := range byteUnits[:4] { // shown in binary units only
		if n%u.n == 0 {
			return strconv.FormatInt(n/u.n, 10) + u.name
		}
	}
	return value
}

// ParseConfigValue converts a value typed in human units for the key to
// what the broker takes: 7d → 604800000 for retention.ms, 100MiB →
// 104857600 for segment.bytes, unlimited → -1. A bare number is passed as
// it is; so is any value of a key with no unit: the broker's own
// validation has the last word on every value.
func ParseConfigValue(key, typed string) (string, error) {
	s := strings.TrimSpace(typed)
	unit := UnitOf(key)
	if unit == UnitNone || s == "" {
		return s, nil
	}
	switch strings.ToLower(s) {
	case "unlimited", "infinite", "forever", "none":
		return "-1", nil
	case "max":
		return strconv.FormatInt(math.MaxInt64, 10), nil
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return s, nil
	}
	var n int64
	var err error
	if unit == UnitMillis {
		n, err = parseMillis(s)
	} else {
		n, err = parseBytes(s)
	}
	if err != nil {
		return "", fmt.Errorf("%s=%s: %w", key, typed, err)
	}
	return strconv.FormatInt(n, 10), nil
}

// parseMillis reads 7d, 12h, 1h30m, 250ms, 2w as milliseconds.
func parseMillis(s string) (int64, error) {
	var total int64
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		j := i
		for j < len(rest) && (rest[j] < '0' || rest[j] > '9') {
			j++
		}
		if i == 0 || j == i {
			return 0, fmt.Errorf("not a duration: write a number of milliseconds or one with units, e.g. 7d, 12h, 30m, 45s, 250ms, or unlimited")
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is too large", rest[:i])
		}
		name := rest[i:j]
		found := false
		for _, u := range durationUnits {
			if u.name == name {
				if n > math.MaxInt64/u.ms || total > math.MaxInt64-n*u.ms {
					return 0, fmt.Errorf("%s is too long for a 64-bit count of milliseconds", s)
				}
				total += n * u.ms
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown duration unit %q (w, d, h, m, s, ms)", name)
		}
		rest = rest[j:]
	}
	return total, nil
}

// parseBytes reads 100MiB, 1GiB, 512KiB, 1GB (decimal), 42B as bytes.
func parseBytes(s string) (int64, error) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, name := s[:i], strings.TrimSpace(s[i:])
	if num == "" {
		return 0, fmt.Errorf("not a size: write a number of bytes or one with units, e.g. 100MiB, 1GiB, 512KiB, or unlimited")
	}
	for _, u := range byteUnits {
		if strings.EqualFold(u.name, name) {
			if strings.Contains(num, ".") {
				f, err := strconv.ParseFloat(num, 64)
				if err != nil || f*float64(u.n) > math.MaxInt64 {
					return 0, fmt.Errorf("%q is not a size", s)
				}
				v := f * float64(u.n)
				if v != math.Trunc(v) {
					return 0, fmt.Errorf("%s is not a whole number of bytes", s)
				}
				return int64(v), nil
			}
			n, err := strconv.ParseInt(num, 10, 64)
			if err != nil || n > math.MaxInt64/u.n {
				return 0, fmt.Errorf("%s is too large", s)
			}
			return n * u.n, nil
		}
	}
	return 0, fmt.Errorf("unknown size unit %q (B, KiB, MiB, GiB, TiB, or KB, MB, GB, TB)", name)
}
