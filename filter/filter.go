// Package filter is the tail's record filter as a leaf: the syntax the
// tail view's input takes (text, ~regexp, key:, value:, header:NAME:,
// jq EXPR) parsed once and matched against kafka records, so the tail,
// the search screen and the headless search read one language.
package filter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/itchyny/gojq"

	"kflow/kafka"
)

// Filter decides which records the tail view shows. Its source text
// is what the user typed:
//
//	text               substring of the key, the value or any header value
//	~regexp            regular expression over the same (RE2 syntax)
//	key:…  value:…     only the key, only the value (text or ~regexp)
//	key:=TEXT          the key is exactly TEXT (a search reads the one
//	                   partition the key is written to)
//	header:NAME:…      only the header NAME (header::… for any header)
//	jq EXPR            jq over the value parsed as JSON: a record matches
//	                   when EXPR's first output is neither false nor null;
//	                   $key, $partition, $offset and $headers are set
//
// A record whose value is not JSON never matches a jq filter.
type Filter struct {
	src    string
	scope  filterScope
	header string // for scopeHeader; "" means any header
	text   []byte
	exact  bool // key:=TEXT
	re     *regexp.Regexp
	jq     *gojq.Code
	// typed, when set, turns a key (key true) or value read in a format
	// the connection names, or in the schema registry's wire format, into
	// its decoded text, so text, regexp and jq filters read Avro and
	// Protobuf records as their values, not their bytes.
	typed func(b []byte, key bool) []byte
}

// SetTyped makes the filter read keys (key true) and values through
// typed, which returns their decoded text; nil reads the bytes.
func (f *Filter) SetTyped(typed func(b []byte, key bool) []byte) { f.typed = typed }

// bytesOf is b, a key when key is set, as the filter reads it: decoded
// when typed says so.
func (f *Filter) bytesOf(b []byte, key bool) []byte {
	if f.typed != nil {
		return f.typed(b, key)
	}
	return b
}

type filterScope int

const (
	scopeAny filterScope = iota
	scopeKey
	scopeValue
	scopeHeader
)

// jqVars are the variables a jq filter may read besides the value.
var jqVars = []string{"$key", "$partition", "$offset", "$headers"}

// Parse reads a filter as the tail view's input takes it; ""
// is no filter (nil). A bad regexp or jq expression is an error saying
// where it is wrong.
func Parse(src string) (*Filter, error) {
	s := strings.TrimSpace(src)
	if s == "" {
		return nil, nil
	}
	f := &Filter{src: s}
	if rest, ok := strings.CutPrefix(s, "jq "); ok || s == "jq" || strings.HasPrefix(s, "jq:") {
		if !ok {
			rest = strings.TrimPrefix(strings.TrimPrefix(s, "jq"), ":")
		}
		rest = strings.TrimSpace(rest)
		if rest == "" {
			return nil, errors.New("jq: give an expression, e.g. jq .amount > 100")
		}
		q, err := gojq.Parse(rest)
		if err != nil {
			return nil, fmt.Errorf("jq: %w", err)
		}
		code, err := gojq.Compile(q, gojq.WithVariables(jqVars))
		if err != nil {
			return nil, fmt.Errorf("jq: %w", err)
		}
		f.jq = code
		return f, nil
	}
	switch {
	case strings.HasPrefix(s, "key:="):
		f.scope, f.exact, f.text = scopeKey, true, []byte(s[len("key:="):])
		return f, nil
	case strings.HasPrefix(s, "key:"):
		f.scope, s = scopeKey, s[len("key:"):]
	case strings.HasPrefix(s, "value:"):
		f.scope, s = scopeValue, s[len("value:"):]
	case strings.HasPrefix(s, "header:"):
		name, rest, ok := strings.Cut(s[len("header:"):], ":")
		if !ok {
			return nil, errors.New("header filter: write header:NAME:TEXT (header::TEXT for any header)")
		}
		f.scope, f.header, s = scopeHeader, name, rest
	case strings.HasPrefix(s, "any:"):
		s = s[len("any:"):]
	}
	switch {
	case strings.HasPrefix(s, `\~`):
		f.text = []byte(s[1:])
	case strings.HasPrefix(s, "~"):
		re, err := regexp.Compile(s[1:])
		if err != nil {
			return nil, fmt.Errorf("regexp: %w", err)
		}
		f.re = re
	default:
		f.text = []byte(s)
	}
	return f, nil
}

// String is the filter as typed.
func (f *Filter) String() string {
	if f == nil {
		return ""
	}
	return f.src
}

// Kind names the filter's kind for the count line: text, regexp or jq.
func (f *Filter) Kind() string {
	switch {
	case f == nil:
		return ""
	case f.jq != nil:
		return "jq"
	case f.re != nil:
		return "regexp"
	}
	return "text"
}

// Match reports whether r passes the filter; a nil filter passes all.
func (f *Filter) Match(r *kafka.Record) bool {
	if f == nil {
		return true
	}
	if f.jq != nil {
		return f.matchJQ(r)
	}
	switch f.scope {
	case scopeKey:
		return f.matchBytes(f.bytesOf(r.Key, true))
	case scopeValue:
		return f.matchBytes(f.bytesOf(r.Value, false))
	case scopeHeader:
		for _, h := range r.Headers {
			if (f.header == "" || h.Key == f.header) && f.matchBytes(h.Value) {
				return true
			}
		}
		return false
	}
	if f.matchBytes(f.bytesOf(r.Key, true)) || f.matchBytes(f.bytesOf(r.Value, false)) {
		return true
	}
	for _, h := range r.Headers {
		if f.matchBytes(h.Value) {
			return true
		}
	}
	return false
}

// Key is the exact key a key:=TEXT filter asks for.
func (f *Filter) Key() ([]byte, bool) {
	if f == nil || !f.exact {
		return nil, false
	}
	return f.text, true
}

func (f *Filter) matchBytes(b []byte) bool {
	if f.exact {
		return b != nil && bytes.Equal(b, f.text)
	}
	if f.re != nil {
		return f.re.Match(b)
	}
	return bytes.Contains(b, f.text)
}

func (f *Filter) matchJQ(r *kafka.Record) bool {
	v := bytes.TrimSpace(f.bytesOf(r.Value, false))
	if len(v) == 0 {
		return false
	}
	var doc any
	if err := json.Unmarshal(v, &doc); err != nil {
		return false
	}
	hs := make(map[string]any, len(r.Headers))
	for _, h := range r.Headers {
		hs[h.Key] = string(h.Value)
	}
	var key any
	if r.Key != nil {
		key = string(f.bytesOf(r.Key, true))
	}
	out, ok := f.jq.Run(doc, key, int(r.Partition), int(r.Offset), hs).Next()
	if !ok {
		return false
	}
	if _, isErr := out.(error); isErr {
		return false
	}
	return out != nil && out != false
}

// Spans returns where the filter's text or regexp matches s (a key,
// value or header as drawn), as byte ranges, for highlighting; none for
// a jq filter, which matches whole records.
func (f *Filter) Spans(s string) [][]int {
	switch {
	case f == nil || f.jq != nil:
		return nil
	case f.re != nil:
		var out [][]int
		for _, m := range f.re.FindAllStringIndex(s, -1) {
			if m[1] > m[0] {
				out = append(out, m)
			}
		}
		return out
	case len(f.text) == 0:
		return nil
	}
	var out [][]int
	t := string(f.text)
	for at := 0; ; {
		i := strings.Index(s[at:], t)
		if i < 0 {
			return out
		}
		out = append(out, []int{at + i, at + i + len(t)})
		at += i + len(t)
	}
}

// MarksKey reports whether the filter looks at the key: where matches
// are marked.
func (f *Filter) MarksKey() bool {
	return f != nil && f.jq == nil && (f.scope == scopeAny || f.scope == scopeKey)
}

// MarksValue reports whether the filter looks at the value.
func (f *Filter) MarksValue() bool {
	return f != nil && f.jq == nil && (f.scope == scopeAny || f.scope == scopeValue)
}

// MarksHeader reports whether the filter looks at the header name.
func (f *Filter) MarksHeader(name string) bool {
	return f != nil && f.jq == nil && (f.scope == scopeAny || f.scope == scopeHeader && (f.header == "" || f.header == name))
}
