package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"
)

// RecordSpec is a record as the user typed it: key, value and header
// values may hold placeholders, expanded per record.
type RecordSpec struct {
	Topic string `json:"topic,omitempty"`
	// Partition is -1 for Kafka's default partitioner.
	Partition int32 `json:"partition"`
	// Key nil is a null key.
	Key     *string      `json:"key"`
	Value   string       `json:"value"`
	Headers []HeaderSpec `json:"headers,omitempty"`
	// JSON says the value is meant to be JSON: it is checked before
	// sending.
	JSON bool `json:"json,omitempty"`
}

// HeaderSpec is one header as typed.
type HeaderSpec struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// RecordTemplate is a RecordSpec with its placeholders parsed.
type RecordTemplate struct {
	spec    RecordSpec
	key     *Text
	value   Text
	headers []Text
}

// CompileRecord parses the placeholders of a spec's key, value and
// header values. The error says which field and which placeholder.
func CompileRecord(spec RecordSpec) (*RecordTemplate, error) {
	rt := &RecordTemplate{spec: spec}
	if spec.Key != nil {
		k, err := ParseText(*spec.Key)
		if err != nil {
			return nil, fmt.Errorf("key: %w", err)
		}
		rt.key = &k
	}
	v, err := ParseText(spec.Value)
	if err != nil {
		return nil, fmt.Errorf("value: %w", err)
	}
	rt.value = v
	for _, h := range spec.Headers {
		if h.Key == "" {
			return nil, fmt.Errorf("header %q: a header needs a key", h.Key+"="+h.Value)
		}
		t, err := ParseText(h.Value)
		if err != nil {
			return nil, fmt.Errorf("header %s: %w", h.Key, err)
		}
		rt.headers = append(rt.headers, t)
	}
	return rt, nil
}

// Spec returns the spec the template was made from.
func (rt *RecordTemplate) Spec() RecordSpec { return rt.spec }

// KeyVaries reports whether the key changes from record to record, so
// the partition it lands on is known only per record.
func (rt *RecordTemplate) KeyVaries() bool { return rt.key != nil && rt.key.HasPlaceholders() }

// Expand expands record number seq (from 1): the spec with every
// placeholder replaced by its value. package kafka turns it into a record
// to produce (kafka.TemplateRecord).
func (rt *RecordTemplate) Expand(seq int64, now time.Time, r *rand.Rand) RecordSpec {
	e := NewEnv(seq, now, r)
	out := RecordSpec{Topic: rt.spec.Topic, Partition: rt.spec.Partition, JSON: rt.spec.JSON}
	if rt.key != nil {
		k := rt.key.Expand(e)
		out.Key = &k
	}
	out.Value = rt.value.Expand(e)
	if len(rt.spec.Headers) > 0 {
		out.Headers = make([]HeaderSpec, len(rt.spec.Headers))
		for i, h := range rt.spec.Headers {
			out.Headers[i] = HeaderSpec{Key: h.Key, Value: rt.headers[i].Expand(e)}
		}
	}
	return out
}

// JSONError points at a JSON syntax error in the value as typed.
type JSONError struct {
	Line, Col int // from 1; Col counts characters
	Msg       string
}

func (e *JSONError) Error() string {
	return fmt.Sprintf("not valid JSON at line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// CheckJSON checks, when the spec says the value is JSON, that a record
// expanded from it parses; the error is a *JSONError pointing at the
// typed text.
func (rt *RecordTemplate) CheckJSON(now time.Time) error {
	if !rt.spec.JSON {
		return nil
	}
	s, back := rt.value.ExpandWithMap(NewEnv(1, now, rand.New(rand.NewPCG(1, 2))))
	return checkJSON(rt.spec.Value, s, back)
}

// CheckJSONText checks that s, taken as typed with no placeholders, is
// JSON; the error is a *JSONError.
func CheckJSONText(s string) error {
	return checkJSON(s, s, func(o int) int { return o })
}

func checkJSON(typed, expanded string, back func(int) int) error {
	if strings.TrimSpace(expanded) == "" {
		return &JSONError{Line: 1, Col: 1, Msg: "the value is empty"}
	}
	var raw json.RawMessage
	err := json.Unmarshal([]byte(expanded), &raw)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return fmt.Errorf("check JSON: %w", err)
	}
	off := int(se.Offset) - 1 // Offset counts the bytes read, the bad one included
	if off < 0 {
		off = 0
	}
	if off >= len(expanded) || strings.Contains(se.Error(), "unexpected end") {
		off = len(typed)
	} else {
		off = back(off)
	}
	line, col := LineCol(typed, off)
	return &JSONError{Line: line, Col: col, Msg: se.Error()}
}

// LineCol turns a byte offset of s into a line and a column (in
// characters), both from 1.
func LineCol(s string, off int) (int, int) {
	off = min(max(off, 0), len(s))
	before := s[:off]
	line := strings.Count(before, "\n") + 1
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, utf8.RuneCountInString(before) + 1
}
