package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/text"
)

// typedDecoder decodes a tail's wire-format keys and values through the
// schema registry. A key or value that does not decode is printed as its
// bytes, and the reason said once per schema id on stderr, so a pipeline
// loses no record to a schema it cannot read.
type typedDecoder struct {
	ctx   context.Context
	dec   *schema.Decoder
	topic string
	warn  io.Writer

	mu     sync.Mutex
	warned map[int]bool // schema ids whose failure was said
}

func newTypedDecoder(ctx context.Context, reg *schema.Registry, topic string, warn io.Writer) *typedDecoder {
	return &typedDecoder{ctx: ctx, dec: schema.NewDecoder(reg, schema.DecoderOptions{}), topic: topic, warn: warn, warned: map[int]bool{}}
}

// decode fills t for r's key and value and reports whether either is in
// the wire format (decoded or not). Safe for concurrent use: a large batch
// is formatted on two goroutines.
func (d *typedDecoder) decode(r kafka.Record, t *kafka.Typed) bool {
	k := d.one(r, r.Key, "key", &t.Key, &t.KeyErr)
	v := d.one(r, r.Value, "value", &t.Value, &t.ValueErr)
	return k || v
}

func (d *typedDecoder) one(r kafka.Record, b []byte, what string, out **schema.Decoded, errOut *error) bool {
	if !schema.IsWireFormat(b) {
		return false
	}
	var dec schema.Decoded
	var err error
	if size := sizeOf(r, what); len(b) < size {
		err = fmt.Errorf("cut to %d of %d bytes (--max-bytes)", len(b), size)
	} else if dec, err = d.dec.Decode(d.ctx, b); errors.Is(err, schema.ErrNotWireFormat) {
		return false
	}
	if err != nil {
		*errOut = err
		d.warnOnce(r, what, schema.WireID(b), err)
		return true
	}
	*out = &dec
	return true
}

func sizeOf(r kafka.Record, what string) int {
	if what == "key" {
		return r.KeySize
	}
	return r.ValueSize
}

func (d *typedDecoder) warnOnce(r kafka.Record, what string, id int, err error) {
	d.mu.Lock()
	seen := d.warned[id]
	d.warned[id] = true
	d.mu.Unlock()
	if !seen {
		fmt.Fprintf(d.warn, "kflow: tail %s: %s at partition %d offset %d not decoded, shown as bytes: %s\n",
			text.SanitizeString(d.topic), what, r.Partition, r.Offset, text.SanitizeString(err.Error()))
	}
}
