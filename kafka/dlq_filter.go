package kafka

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// ParseDLQFilter reads a redrive's --filter, a subset of the tail view's
// filter language without jq:
//
//	TEXT               bytes in the key, the value or any header value
//	~regexp            a regular expression over the same (RE2 syntax)
//	key:…  value:…     only the key, only the value (TEXT or ~regexp)
//	header:NAME:…      only the header NAME (header::… for any header)
//
// "" is no filter (nil).
func ParseDLQFilter(src string) (func(Record) bool, error) {
	s := strings.TrimSpace(src)
	if s == "" {
		return nil, nil
	}
	scope, header := "any", ""
	switch {
	case strings.HasPrefix(s, "key:"):
		scope, s = "key", s[len("key:"):]
	case strings.HasPrefix(s, "value:"):
		scope, s = "value", s[len("value:"):]
	case strings.HasPrefix(s, "header:"):
		name, rest, ok := strings.Cut(s[len("header:"):], ":")
		if !ok {
			return nil, fmt.Errorf("filter %q: header:NAME:TEXT needs a second colon", src)
		}
		scope, header, s = "header", name, rest
	}
	match := func(b []byte) bool { return bytes.Contains(b, []byte(s)) }
	if re, ok := strings.CutPrefix(s, "~"); ok {
		rx, err := regexp.Compile(re)
		if err != nil {
			return nil, fmt.Errorf("filter %q: %w", src, err)
		}
		match = rx.Match
	}
	return func(r Record) bool {
		if (scope == "any" || scope == "key") && match(r.Key) {
			return true
		}
		if (scope == "any" || scope == "value") && match(r.Value) {
			return true
		}
		if scope == "any" || scope == "header" {
			for _, h := range r.Headers {
				if (header == "" || h.Key == header) && match(h.Value) {
					return true
				}
			}
		}
		return false
	}, nil
}
