package schema

import (
	"context"
	"errors"
)

// DecoderOptions tune a Decoder.
type DecoderOptions struct {
	// MaxSchemas bounds how many schemas (by id) are kept compiled; a
	// default when zero.
	MaxSchemas int
}

// Decoder turns wire-format bytes into JSON through a Registry, fetching
// and compiling each schema once per id. It is safe for concurrent use.
type Decoder struct {
	reg  *Registry
	opts DecoderOptions
}

// NewDecoder makes a Decoder over r.
func NewDecoder(r *Registry, opts DecoderOptions) *Decoder {
	return &Decoder{reg: r, opts: opts}
}

// Decode decodes b: ErrNotWireFormat when b is not in the wire format, a
// *DecodeError when it is but cannot be decoded. It may fetch the schema
// from the registry: call it off the UI's goroutine.
func (d *Decoder) Decode(ctx context.Context, b []byte) (Decoded, error) {
	if !IsWireFormat(b) {
		return Decoded{}, ErrNotWireFormat
	}
	return Decoded{}, &DecodeError{ID: WireID(b), Reason: errors.New("decoding is not built yet")}
}

// Cached decodes b only if its schema has already been fetched: ok is
// false when Decode must be called first (the UI shows "decoding…" and asks
// for it off its goroutine). err is as Decode's.
func (d *Decoder) Cached(b []byte) (dec Decoded, ok bool, err error) {
	if !IsWireFormat(b) {
		return Decoded{}, true, ErrNotWireFormat
	}
	return Decoded{}, false, nil
}
