package views

import (
	"bytes"
	"encoding/json"
	"strings"

	"kflow/kafka"
)

// traceIDOf is the id a trace from the tail's detail pane follows: the
// record's correlation id (a trace header, a traceparent's trace id, else
// a trace field of its JSON value), or else its key (byKey).
func traceIDOf(r *kafka.Record) (id string, byKey bool) {
	for _, name := range kafka.DefaultTraceFields {
		for _, h := range r.Headers {
			if traceName(h.Key) != traceName(name) || len(h.Value) == 0 {
				continue
			}
			if v := h.Value; traceName(name) == "traceparent" && len(v) >= 36 && v[2] == '-' && v[35] == '-' {
				return string(v[3:35]), false
			}
			return string(h.Value), false
		}
	}
	if v := bytes.TrimSpace(r.Value); len(v) > 0 && v[0] == '{' {
		var doc any
		if json.Unmarshal(v, &doc) == nil {
			if id := traceField(doc); id != "" {
				return id, false
			}
		}
	}
	if len(r.Key) > 0 {
		return string(r.Key), true
	}
	return "", false
}

// traceField is the first correlation field's string at any depth, in
// the order of kafka.DefaultTraceFields.
func traceField(doc any) string {
	for _, name := range kafka.DefaultTraceFields {
		if s := findField(doc, traceName(name)); s != "" {
			return s
		}
	}
	return ""
}

func findField(doc any, name string) string {
	switch d := doc.(type) {
	case map[string]any:
		for k, v := range d {
			if s, ok := v.(string); ok && traceName(k) == name && s != "" {
				return s
			}
		}
		for _, v := range d {
			if s := findField(v, name); s != "" {
				return s
			}
		}
	case []any:
		for _, v := range d {
			if s := findField(v, name); s != "" {
				return s
			}
		}
	}
	return ""
}

// traceName is a field name without case, '-' or '_'.
func traceName(s string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(s))
}
