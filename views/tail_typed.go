package views

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/schema"
)

// typedPart is what the detail pane knows of a wire-format key or value:
// not looked at, being decoded off the UI's goroutine, decoded, or failed
// (shown as bytes with the reason).
type typedPart struct {
	wire    bool // the bytes are in the schema registry's wire format
	pending bool
	dec     *schema.Decoded
	err     error
}

// tailDecodedMsg carries a decode of the detail pane's key or value back
// to the tail view that asked for it.
type tailDecodedMsg struct {
	ID  int
	Seq uint64
	Key bool
	Dec schema.Decoded
	Err error
}

// ViewID is the id of the tail whose detail pane asked.
func (m tailDecodedMsg) ViewID() int { return m.ID }

// lookUp fills p for b from the decoder's cache, and returns the command
// that decodes it off the UI's goroutine when the schema is not cached yet
// (the pane shows "decoding…" until the answer comes). Nil without a
// registry or for bytes not in the wire format.
func (d *tailDetail) lookUp(p *typedPart, b []byte, key bool, viewID int) tea.Cmd {
	dec := d.c.Decoder
	*p = typedPart{wire: dec != nil && schema.IsWireFormat(b)}
	if !p.wire {
		return nil
	}
	got, ok, err := dec.Cached(b)
	switch {
	case ok && err == nil:
		p.dec = &got
		return nil
	case ok:
		p.err = err
		return nil
	}
	p.pending = true
	ctx, timeout, seq := d.c.Ctx, d.c.Timeout, d.seq
	b = append([]byte(nil), b...)
	return func() tea.Msg {
		if timeout <= 0 {
			timeout = DefaultTimeout
		}
		cctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		got, err := dec.Decode(cctx, b)
		return tailDecodedMsg{ID: viewID, Seq: seq, Key: key, Dec: got, Err: err}
	}
}

// decodeAll looks up the pane's key and value.
func (d *tailDetail) decodeAll(viewID int) tea.Cmd {
	return tea.Batch(d.lookUp(&d.key, d.rec.Key, true, viewID), d.lookUp(&d.val, d.rec.Value, false, viewID))
}

// decoded takes a decode's answer, if it is for the record shown.
func (d *tailDetail) decoded(m tailDecodedMsg) {
	if m.Seq != d.seq {
		return
	}
	p := &d.val
	if m.Key {
		p = &d.key
	}
	p.pending = false
	if m.Err != nil {
		p.err = m.Err
	} else {
		dec := m.Dec
		p.dec = &dec
	}
	d.build()
	d.scroll(0)
}

// typedBody adds a key or value that is in the wire format: decoded JSON
// under a line naming its schema, "decoding…", or the bytes with why they
// did not decode. It reports false when the part is shown as plain bytes
// (not wire format, no registry, or the raw toggle on).
func (d *tailDetail) typedBody(p *typedPart, w int, mark bool) bool {
	if !p.wire || d.raw {
		return false
	}
	th := d.c.Theme
	add := func(lines ...string) { d.segs = append(d.segs, detailSeg{lines: lines}) }
	switch {
	case p.pending:
		add(th.Muted.Render("decoding… (schema id " + fmt.Sprint(schema.WireID(d.partBytes(p))) + ")"))
		return true
	case p.err != nil:
		add(wrapLines(th.Warn.Render("not decoded, shown as bytes: "+p.err.Error()), w)...)
		return false
	}
	add(wrapLines(th.Accent.Render(schemaLine(p.dec.Schema))+th.Muted.Render(" · x raw bytes"), w)...)
	d.body(p.dec.JSON, w, true, mark)
	return true
}

func (d *tailDetail) partBytes(p *typedPart) []byte {
	if p == &d.key {
		return d.rec.Key
	}
	return d.rec.Value
}

// schemaLine names a schema: "orders-value v2 · id 7 · AVRO".
func schemaLine(in schema.Info) string {
	s := fmt.Sprintf("id %d · %s", in.ID, in.Type)
	if in.Subject != "" {
		v := ""
		if in.Version > 0 {
			v = fmt.Sprintf(" v%d", in.Version)
		}
		s = in.Subject + v + " · " + s
	}
	return "schema " + s
}

// RegistrySource is a connection with a Schema Registry: *kafka.Client
// satisfies it (its Registry is nil when none is configured). The shell
// makes Common.Decoder from it.
type RegistrySource interface {
	Registry() *schema.Registry
}

var _ RegistrySource = (*kafka.Client)(nil)

// typedPreview is the list's cell text for a key or value in the wire
// format: the decoded JSON when its schema is cached, "decoding…" while it
// is fetched (prefetchShown asks for it), else ok false and the bytes are
// shown. Only rows on screen are decoded, so decoding costs the screen,
// not the record rate.
func (v *Tail) typedPreview(b []byte) (preview []byte, pending, ok bool) {
	dec := v.c.Decoder
	if dec == nil || !schema.IsWireFormat(b) {
		return nil, false, false
	}
	got, cached, err := dec.Cached(b)
	switch {
	case !cached:
		return nil, true, true
	case err != nil:
		return nil, false, false
	}
	return got.JSON, false, true
}

// tailSchemaMsg says a schema the list waited for was fetched (or failed):
// the next frame draws its rows.
type tailSchemaMsg struct {
	ID       int
	SchemaID int
}

// ViewID is the id of the tail that asked.
func (m tailSchemaMsg) ViewID() int { return m.ID }

// prefetchShown fetches, off the UI's goroutine, the schemas of the rows on
// screen and of the records the filter met that are not cached yet, one
// request per schema id at a time.
func (v *Tail) prefetchShown() tea.Cmd {
	dec := v.c.Decoder
	if dec == nil || v.detail != nil {
		return nil
	}
	var cmds []tea.Cmd
	samples := make([][]byte, 0, len(v.wanted))
	for id, b := range v.wanted {
		samples = append(samples, b)
		delete(v.wanted, id)
	}
	n, rows := v.store.matched(), v.bodyRows()
	for i := v.top; i < n && i < v.top+rows; i++ {
		r, _ := v.store.at(i)
		samples = append(samples, r.Key, r.Value)
	}
	for _, b := range samples {
		if !schema.IsWireFormat(b) {
			continue
		}
		id := schema.WireID(b)
		if v.fetching[id] {
			continue
		}
		if _, cached, _ := dec.Cached(b); cached {
			continue
		}
		if v.fetching == nil {
			v.fetching = map[int]bool{}
		}
		v.fetching[id] = true
		ctx, timeout, viewID, sample := v.c.Ctx, v.c.Timeout, v.id, append([]byte(nil), b...)
		cmds = append(cmds, func() tea.Msg {
			if timeout <= 0 {
				timeout = DefaultTimeout
			}
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			_, _ = dec.Decode(cctx, sample) // fills the cache, or its negative cache
			return tailSchemaMsg{ID: viewID, SchemaID: id}
		})
	}
	return tea.Batch(cmds...)
}

// filterBytes is a key (key true) or value as the filter reads it: read
// in the format the connection names for it (a local schema's JSON, a
// long's digits) when it reads so; its decoded JSON when it is in the wire
// format and its schema is cached; its bytes otherwise, with the schema
// asked for (prefetchShown fetches it), so records that arrive later are
// filtered on their values. It never waits for the registry.
func (v *Tail) filterBytes(b []byte, key bool) []byte {
	f := v.valFmt
	if key {
		f = v.keyFmt
	}
	if f.Named() && b != nil {
		if t, err := f.Text(b); err == nil {
			return t
		}
	}
	if v.c.Decoder == nil || !schema.IsWireFormat(b) {
		return b
	}
	got, cached, err := v.c.Decoder.Cached(b)
	switch {
	case !cached:
		if v.wanted == nil {
			v.wanted = map[int][]byte{}
		}
		if id := schema.WireID(b); v.wanted[id] == nil {
			v.wanted[id] = append([]byte(nil), b...)
		}
		return b
	case err != nil:
		return b
	}
	return got.JSON
}

// formatBody adds a key or value read in the format the connection names
// for it (formats: in the config): its JSON, pretty, or why it does not
// read so, above its bytes. False when no format is named (or x is on).
func (d *tailDetail) formatBody(b []byte, f schema.Format, w int, mark bool) bool {
	if !f.Named() || d.raw || b == nil {
		return false
	}
	th := d.c.Theme
	j, err := f.JSON(b)
	if err != nil {
		d.segs = append(d.segs, detailSeg{lines: wrapLines(th.Warn.Render("not read as "+f.String()+", shown as bytes: "+err.Error()), w)})
		return false
	}
	d.segs = append(d.segs, detailSeg{lines: wrapLines(th.Accent.Render("read as "+f.String()+" (the connection's formats)")+th.Muted.Render(" · x raw bytes"), w)})
	d.body(j, w, true, mark)
	return true
}

// FormatSource is a connection that names formats for some topics (a
// context's formats:): *kafka.Client satisfies it. The shell makes
// Common.Formats from it.
type FormatSource interface {
	Formats(topic string) (key, value schema.Format)
}

var _ FormatSource = (*kafka.Client)(nil)
