package views

import (
	"testing"

	"kflow/kafka"
)

func TestTraceIDOf(t *testing.T) {
	tid := "4bf92f3577b34da6a3ce929d0e0e4736"
	cases := []struct {
		r      kafka.Record
		id     string
		byKey  bool
		reason string
	}{
		{kafka.Record{Key: []byte("k"), Headers: []kafka.Header{{Key: "Correlation-Id", Value: []byte("c-1")}}}, "c-1", false, "header"},
		{kafka.Record{Headers: []kafka.Header{{Key: "traceparent", Value: []byte("00-" + tid + "-00f067aa0ba902b7-01")}}}, tid, false, "traceparent"},
		{kafka.Record{Key: []byte("k"), Value: []byte(`{"a":{"correlationId":"c-2"}}`)}, "c-2", false, "JSON at depth"},
		{kafka.Record{Key: []byte("ord-1"), Value: []byte(`{"a":1}`)}, "ord-1", true, "key"},
		{kafka.Record{}, "", false, "nothing"},
	}
	for _, c := range cases {
		if id, byKey := traceIDOf(&c.r); id != c.id || byKey != c.byKey {
			t.Errorf("%s: traceIDOf = %q, %v; want %q, %v", c.reason, id, byKey, c.id, c.byKey)
		}
	}
}
