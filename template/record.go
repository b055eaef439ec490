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

// Expander expands a template's records one after another, each into
// memory no later record writes over: keys, values and header values are
// carved from slabs of slabSize, so a repeat run allocates once per few
// hundred records instead of a few buffers per record, and a record's
// bytes stay valid as long as something holds them (the producer, until
// the record is acknowledged). It expands what Expand does, from the same
// draws of the same source.
type Expander struct {
	rt   *RecordTemplate
	env  Env
	slab []byte
	hdrs []ExpandedHeader
	last int // bytes of the last record: a new slab starts before one runs short
}

// Expanded is one record of an Expander; Key nil is a null key.
type Expanded struct {
	Key, Value []byte
	Headers    []ExpandedHeader
}

// ExpandedHeader is one header of an Expanded record.
type ExpandedHeader struct {
	Key   string
	Value []byte
}

// slabSize is the memory an Expander carves records from.
const slabSize = 256 << 10

// NewExpander returns an Expander of rt drawing from r (nil:
// math/rand/v2's source).
func (rt *RecordTemplate) NewExpander(r *rand.Rand) *Expander {
	return &Expander{rt: rt, env: Env{Rand: r}}
}

// Next expands record number seq (from 1) at now.
func (x *Expander) Next(seq int64, now time.Time) Expanded {
	x.env.Reset(seq, now)
	if cap(x.slab)-len(x.slab) < 2*x.last+64 {
		x.slab = make([]byte, 0, max(slabSize, 4*x.last))
	}
	start := len(x.slab)
	var out Expanded
	if x.rt.key != nil {
		out.Key = x.carve(*x.rt.key)
	}
	out.Value = x.carve(x.rt.value)
	if n := len(x.rt.headers); n > 0 {
		if cap(x.hdrs)-len(x.hdrs) < n {
			x.hdrs = make([]ExpandedHeader, 0, 256*n)
		}
		h := x.hdrs[len(x.hdrs) : len(x.hdrs)+n : len(x.hdrs)+n]
		x.hdrs = x.hdrs[:len(x.hdrs)+n]
		for i, t := range x.rt.headers {
			h[i] = ExpandedHeader{Key: x.rt.spec.Headers[i].Key, Value: x.carve(t)}
		}
		out.Headers = h
	}
	x.last = len(x.slab) - start
	return out
}

// carve expands t at the end of the slab and returns its bytes, capped
// so that nothing appended to them reaches the next record's.
func (x *Expander) carve(t Text) []byte {
	from := len(x.slab)
	x.slab = t.AppendExpand(x.slab, &x.env)
	return x.slab[from:len(x.slab):len(x.slab)]
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
