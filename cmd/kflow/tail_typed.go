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

// typedDecoder reads a tail's keys and values as the user asked
// (--key-format, --value-format) or, in format auto, decodes the wire
// format through the schema registry. A key or value that does not read
// is printed as its bytes, and the reason said once per schema id (or
// format) on stderr, so a pipeline loses no record to a schema or format
// it cannot read.
type typedDecoder struct {
	ctx         context.Context
	dec         *schema.Decoder // nil without a registry, or with --raw
	keyFormat   schema.Format
	valueFormat schema.Format
	topic       string
	warn        io.Writer

	mu     sync.Mutex
	warned map[string]bool // what failed, said once each
}

// newTypedDecoder returns nil when there is nothing to decode: no registry
// (or --raw) and both formats auto.
func newTypedDecoder(ctx context.Context, reg *schema.Registry, keyFormat, valueFormat schema.Format, topic string, warn io.Writer) *typedDecoder {
	if reg == nil && !keyFormat.Named() && !valueFormat.Named() {
		return nil
	}
	d := &typedDecoder{ctx: ctx, keyFormat: keyFormat, valueFormat: valueFormat, topic: topic, warn: warn, warned: map[string]bool{}}
	if reg != nil {
		d.dec = schema.NewDecoder(reg, schema.DecoderOptions{})
	}
	return d
}

// decode fills t for r's key and value and reports whether either was
// looked at (read by a format, or in the wire format, decoded or not).
// Safe for concurrent use: a large batch is formatted on two goroutines.
func (d *typedDecoder) decode(r kafka.Record, t *kafka.Typed) bool {
	t.KeyFormat, t.ValueFormat = d.keyFormat, d.valueFormat
	k := d.one(r, r.Key, "key", d.keyFormat, &t.Key, &t.KeyErr)
	v := d.one(r, r.Value, "value", d.valueFormat, &t.Value, &t.ValueErr)
	return k || v
}

func (d *typedDecoder) one(r kafka.Record, b []byte, what string, f schema.Format, out **schema.Decoded, errOut *error) bool {
	size := r.ValueSize
	if what == "key" {
		size = r.KeySize
	}
	var dec schema.Decoded
	var err error
	var id string
	switch {
	case f.Named():
		id = "format " + f.String()
		if len(b) < size {
			err = fmt.Errorf("cut to %d of %d bytes (--max-bytes)", len(b), size)
		} else {
			dec.JSON, err = f.JSON(b)
			dec.Format = f
		}
	case d.dec == nil || !schema.IsWireFormat(b):
		return false
	default:
		id = fmt.Sprintf("schema id %d", schema.WireID(b))
		if len(b) < size {
			err = fmt.Errorf("cut to %d of %d bytes (--max-bytes)", len(b), size)
		} else if dec, err = d.dec.Decode(d.ctx, b); errors.Is(err, schema.ErrNotWireFormat) {
			return false
		}
	}
	if err != nil {
		*errOut = err
		d.warnOnce(r, what, id, err)
		return true
	}
	*out = &dec
	return true
}

func (d *typedDecoder) warnOnce(r kafka.Record, what, id string, err error) {
	d.mu.Lock()
	seen := d.warned[what+" "+id]
	d.warned[what+" "+id] = true
	d.mu.Unlock()
	if !seen {
		fmt.Fprintf(d.warn, "kflow: tail %s: %s at partition %d offset %d not decoded, shown as bytes: %s\n",
			text.SanitizeString(d.topic), what, r.Partition, r.Offset, text.SanitizeString(err.Error()))
	}
}

// plain is a decoded key or value for plain output: a format's text (a
// string format's own bytes), or the decoded JSON.
func plain(dec *schema.Decoded, raw []byte) []byte {
	if dec.Format.Named() {
		if b, err := dec.Format.Text(raw); err == nil {
			return b
		}
	}
	return dec.JSON
}
