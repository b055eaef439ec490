package text

import (
	"fmt"
	"strconv"
	"strings"
)

// Dash marks a value not known yet.
const Dash = "–"

// Count formats n with thousands separators: 1234567 → "1,234,567".
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Rate formats records per second compactly: 0, 12, 3.4k, 1.2M.
func Rate(r float64) string {
	switch {
	case r < 0:
		return Dash
	case r == 0:
		return "0"
	case r < 10:
		return strconv.FormatFloat(r, 'f', 1, 64)
	case r < 1000:
		return strconv.FormatFloat(r, 'f', 0, 64)
	case r < 1e6:
		return fmt.Sprintf("%.1fk", r/1e3)
	default:
		return fmt.Sprintf("%.1fM", r/1e6)
	}
}

// IDs formats broker ids: "1,2,3".
func IDs(ids []int32) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(int(id))
	}
	return strings.Join(parts, ",")
}

// Plural is one when n is 1, else many.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// CountOf is n with the word that fits it: "1 topic", "3 topics".
func CountOf(n int, one, many string) string { return strconv.Itoa(n) + " " + Plural(n, one, many) }

// OneLine squeezes text to one line: every run of white space, line
// breaks included, becomes one space.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
