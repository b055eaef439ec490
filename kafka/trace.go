package kafka

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"kflow/kafka/schema"
)

// DefaultTraceFields are the header and JSON field names a trace looks
// for a correlation id in. Names compare without case, '-' or '_', so
// "correlation_id" also finds "Correlation-Id" and "correlationId".
var DefaultTraceFields = []string{"correlation_id", "traceparent", "trace_id", "event_id", "request_id"}

// TraceMatcher finds the records that carry one id: in a header named
// like one of its fields (a traceparent's trace id), in a JSON field of
// those names at any depth of the value (decoded through the schema
// registry when the value is in its wire format), or as the key.
type TraceMatcher struct {
	id     []byte
	fields map[string]bool
	// KeyOnly matches the key alone (a key trace).
	keyOnly bool
	dec     *schema.Decoder
}

// NewTraceMatcher matches id in the named fields (DefaultTraceFields when
// none); dec, when set, decodes wire-format values. keyOnly matches the
// record key and nothing else.
func NewTraceMatcher(id string, fields []string, dec *schema.Decoder, keyOnly bool) *TraceMatcher {
	if len(fields) == 0 {
		fields = DefaultTraceFields
	}
	m := &TraceMatcher{id: []byte(id), fields: map[string]bool{}, keyOnly: keyOnly, dec: dec}
	for _, f := range fields {
		m.fields[normField(f)] = true
	}
	return m
}

// normField is a name without case, '-' or '_'.
func normField(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// fieldIs reports whether name is one of m's fields, without allocating
// for the common short names.
func (m *TraceMatcher) fieldIs(name string) bool {
	var buf [64]byte
	n := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if n == len(buf) {
			return m.fields[normField(name)]
		}
		buf[n] = c
		n++
	}
	return m.fields[string(buf[:n])] // no allocation: a map lookup by converted bytes
}

// Match reports whether r carries the id. It allocates only for records
// whose value contains the id's bytes.
func (m *TraceMatcher) Match(r *Record) bool {
	if bytes.Equal(r.Key, m.id) && r.Key != nil {
		return true
	}
	if m.keyOnly {
		return false
	}
	for _, h := range r.Headers {
		if !m.fieldIs(h.Key) {
			continue
		}
		if bytes.Equal(h.Value, m.id) || traceID(h.Value, m.id) {
			return true
		}
	}
	// Avro and Protobuf write strings as their bytes: the id is in the
	// value's bytes whatever the format, or it is not there at all.
	if !bytes.Contains(r.Value, m.id) {
		return false
	}
	v := r.Value
	if m.dec != nil && len(v) > 5 && v[0] == 0 {
		d, err := m.dec.Decode(context.Background(), v)
		if err == nil {
			v = d.JSON
		} else if !errors.Is(err, schema.ErrNotWireFormat) {
			return false
		}
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	if dec.Decode(&doc) != nil {
		return false
	}
	return m.inJSON(doc, false)
}

// traceID reports whether a traceparent value (00-TRACEID-SPANID-FLAGS)
// carries id as its trace id.
func traceID(v, id []byte) bool {
	return len(v) >= 36 && v[2] == '-' && v[35] == '-' && bytes.Equal(v[3:35], id)
}

// inJSON walks doc for a field of m's names holding the id; named says
// the value at hand is such a field's.
func (m *TraceMatcher) inJSON(doc any, named bool) bool {
	switch d := doc.(type) {
	case map[string]any:
		for k, v := range d {
			if m.inJSON(v, m.fieldIs(k)) {
				return true
			}
		}
	case []any:
		for _, v := range d {
			if m.inJSON(v, named) {
				return true
			}
		}
	case string:
		return named && (d == string(m.id) || traceID([]byte(d), m.id))
	case json.Number:
		return named && d.String() == string(m.id)
	}
	return false
}

// KeyPartitions is, for each topic, the one partition a key is written
// to by Kafka's default partitioner: where a key trace or search reads.
func (c *Client) KeyPartitions(ctx context.Context, topics []string, key []byte) (map[string][]int32, error) {
	out := map[string][]int32{}
	for _, t := range topics {
		n, err := c.Partitions(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("partition of key in %q: %w", t, err)
		}
		out[t] = []int32{PartitionForKey(key, n)}
	}
	return out, nil
}

// Consumption says which consumer groups have read one record: those
// whose committed offset on its partition is past it, and those with
// commits on its topic that are not yet past it.
type Consumption struct {
	ConsumedBy    []string `json:"consumed_by"`
	NotConsumedBy []string `json:"not_consumed_by"`
}

// Consumers tells, for each record, which groups have consumed it, from
// one lag listing of every group.
func (c *Client) Consumers(ctx context.Context, recs []Record) ([]Consumption, error) {
	out := make([]Consumption, len(recs))
	if len(recs) == 0 {
		return out, nil
	}
	lags, err := c.Lag(ctx)
	if err != nil {
		return nil, fmt.Errorf("consumers of the records: %w", err)
	}
	type tp struct {
		t string
		p int32
	}
	commits := map[string]map[tp]int64{} // group -> partition -> committed
	onTopic := map[string]map[string]bool{}
	for _, gl := range lags {
		g := gl.Group.ID
		for _, p := range gl.Partitions {
			if p.Committed < 0 {
				continue
			}
			if commits[g] == nil {
				commits[g] = map[tp]int64{}
			}
			commits[g][tp{p.Topic, p.Partition}] = p.Committed
			if onTopic[p.Topic] == nil {
				onTopic[p.Topic] = map[string]bool{}
			}
			onTopic[p.Topic][g] = true
		}
	}
	for i, r := range recs {
		cs := Consumption{ConsumedBy: []string{}, NotConsumedBy: []string{}}
		for g := range onTopic[r.Topic] {
			if off, ok := commits[g][tp{r.Topic, r.Partition}]; ok && off > r.Offset {
				cs.ConsumedBy = append(cs.ConsumedBy, g)
			} else {
				cs.NotConsumedBy = append(cs.NotConsumedBy, g)
			}
		}
		slices.Sort(cs.ConsumedBy)
		slices.Sort(cs.NotConsumedBy)
		out[i] = cs
	}
	return out, nil
}

// TraceOptions says what a trace looks for and where.
type TraceOptions struct {
	// ID is the correlation id, event id or key looked for.
	ID string
	// Topics are read; none means every topic that is not internal.
	Topics []string
	// From and To bound the window (see ScanOptions).
	From, To time.Time
	// Fields are the header and JSON field names (DefaultTraceFields
	// when none).
	Fields []string
	// Key traces the record key alone, reading only the partition of each
	// topic the key is written to.
	Key bool
	// Keep bounds the matches kept (DefaultScanKeep when zero).
	Keep int
}

// Trace starts a scan for the records carrying o.ID. Wire-format values
// are decoded through the connection's registry, when it has one, and
// only when their bytes hold the id.
func (c *Client) Trace(ctx context.Context, o TraceOptions) (*Scanner, error) {
	topics := o.Topics
	var dec *schema.Decoder
	if reg := c.Registry(); reg != nil {
		dec = schema.NewDecoder(reg, schema.DecoderOptions{})
	}
	opts := ScanOptions{Topics: topics, From: o.From, To: o.To, Keep: o.Keep,
		Match: NewTraceMatcher(o.ID, o.Fields, dec, o.Key).Match}
	if o.Key {
		if len(topics) == 0 {
			all, err := c.ListTopics(ctx)
			if err != nil {
				return nil, fmt.Errorf("trace: %w", err)
			}
			for _, t := range all {
				if !t.Internal {
					topics = append(topics, t.Name)
				}
			}
			opts.Topics = topics
		}
		parts, err := c.KeyPartitions(ctx, topics, []byte(o.ID))
		if err != nil {
			return nil, fmt.Errorf("trace: %w", err)
		}
		opts.Partitions = parts
	}
	s, err := c.Scan(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("trace %q: %w", o.ID, err)
	}
	return s, nil
}
