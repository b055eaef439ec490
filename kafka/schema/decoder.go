package schema

import (
	"container/list"
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

const (
	// DefaultMaxSchemas is DecoderOptions.MaxSchemas when zero.
	DefaultMaxSchemas = 1000
	// DefaultFailureTTL is DecoderOptions.FailureTTL when zero.
	DefaultFailureTTL = 30 * time.Second
)

// DecoderOptions tune a Decoder.
type DecoderOptions struct {
	// MaxSchemas bounds how many schemas (by id) are kept compiled;
	// DefaultMaxSchemas when zero. The least recently used goes first.
	MaxSchemas int
	// FailureTTL is how long an id that failed (unknown, unparsable, the
	// registry down) answers with its error before the registry is asked
	// again; DefaultFailureTTL when zero. A tail of records with an unknown
	// id must not send a request per record.
	FailureTTL time.Duration
	// Now is the clock for FailureTTL; time.Now when nil (tests set it).
	Now func() time.Time
}

// Decoder turns wire-format bytes into JSON through a Registry, fetching
// and compiling each schema once per id. It is safe for concurrent use.
type Decoder struct {
	reg   *Registry
	opts  DecoderOptions
	group singleflight.Group

	mu      sync.Mutex
	entries map[int]*list.Element // of *entry
	lru     list.List             // most recently used at the front
}

// entry is one id's outcome: a compiled schema, or an error until expires.
type entry struct {
	id      int
	c       *compiled
	err     error
	expires time.Time
}

// NewDecoder makes a Decoder over r.
func NewDecoder(r *Registry, opts DecoderOptions) *Decoder {
	if opts.MaxSchemas <= 0 {
		opts.MaxSchemas = DefaultMaxSchemas
	}
	if opts.FailureTTL <= 0 {
		opts.FailureTTL = DefaultFailureTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Decoder{reg: r, opts: opts, entries: map[int]*list.Element{}}
}

// Decode decodes b: ErrNotWireFormat when b is not in the wire format, a
// *DecodeError when it is but cannot be decoded. It may fetch the schema
// from the registry: call it off the UI's goroutine. A cancelled ctx ends
// the wait, not the fetch, which other records of the id share.
//
// The JSON is compact. Avro is natural JSON: records in field order, a
// union the bare value of its branch, enums their symbol, bytes and fixed
// base64, decimals exact strings ("12.34"), date "2026-12-01", timestamps
// RFC 3339 in UTC with millisecond or microsecond digits.
// Protobuf is protojson (lowerCamel names, 64-bit integers as strings,
// unpopulated fields left out). A JSON Schema body is returned compacted.
func (d *Decoder) Decode(ctx context.Context, b []byte) (Decoded, error) {
	dec, ok, err := d.Cached(b)
	if ok {
		return dec, err
	}
	id := WireID(b)
	ch := d.group.DoChan(strconv.Itoa(id), func() (any, error) {
		if d.reg == nil {
			return nil, errors.New("no schema registry")
		}
		// A fetch that finished between our Cached and here has stored it.
		if c, err, ok := d.lookup(id); ok {
			return c, err
		}
		// Detached from the caller: the fetch is shared by every record
		// waiting on this id, bounded by the registry's timeout.
		c, err := d.reg.fetchByID(context.WithoutCancel(ctx), id)
		d.store(id, c, err)
		return c, err
	})
	select {
	case <-ctx.Done():
		return Decoded{}, &DecodeError{ID: id, Reason: ctx.Err()}
	case res := <-ch:
		if res.Err != nil {
			return Decoded{}, &DecodeError{ID: id, Reason: res.Err}
		}
		return decodeWith(res.Val.(*compiled), id, b)
	}
}

// Cached decodes b only if its schema has already been fetched: ok is
// false when Decode must be called first (the UI shows "decoding…" and asks
// for it off its goroutine). err is as Decode's. It never touches the
// network.
func (d *Decoder) Cached(b []byte) (dec Decoded, ok bool, err error) {
	if !IsWireFormat(b) {
		return Decoded{}, true, ErrNotWireFormat
	}
	id := WireID(b)
	if id < 0 {
		return Decoded{}, true, &DecodeError{ID: id, Reason: errors.New("negative schema id: not a registry's")}
	}
	c, err, ok := d.lookup(id)
	if !ok {
		return Decoded{}, false, nil
	}
	if err != nil {
		return Decoded{}, true, &DecodeError{ID: id, Reason: err}
	}
	dec, err = decodeWith(c, id, b)
	return dec, true, err
}

func decodeWith(c *compiled, id int, b []byte) (Decoded, error) {
	out, err := c.decode(b[5:])
	if err != nil {
		return Decoded{}, &DecodeError{ID: id, Reason: err}
	}
	return Decoded{JSON: out, Schema: c.info}, nil
}

// lookup is id's cached outcome; ok is false when there is none (or its
// failure has expired).
func (d *Decoder) lookup(id int) (c *compiled, err error, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	el, found := d.entries[id]
	if !found {
		return nil, nil, false
	}
	e := el.Value.(*entry)
	if e.err != nil && !d.opts.Now().Before(e.expires) {
		d.lru.Remove(el)
		delete(d.entries, id)
		return nil, nil, false
	}
	d.lru.MoveToFront(el)
	return e.c, e.err, true
}

// store keeps id's outcome, evicting the least recently used beyond
// MaxSchemas. A cancelled context is not an outcome of the id and is not
// kept.
func (d *Decoder) store(id int, c *compiled, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	e := &entry{id: id, c: c, err: err}
	if err != nil {
		e.expires = d.opts.Now().Add(d.opts.FailureTTL)
	}
	if el, found := d.entries[id]; found {
		el.Value = e
		d.lru.MoveToFront(el)
		return
	}
	d.entries[id] = d.lru.PushFront(e)
	for d.lru.Len() > d.opts.MaxSchemas {
		last := d.lru.Back()
		d.lru.Remove(last)
		delete(d.entries, last.Value.(*entry).id)
	}
}
