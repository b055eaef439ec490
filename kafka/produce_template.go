package kafka

import (
	"math/rand/v2"
	"time"

	"kflow/template"
)

// TemplateRecord is record number seq (from 1) of a produce template, its
// placeholders expanded (package template), as a record to produce: the
// template knows placeholders, this client knows records.
func TemplateRecord(rt *template.RecordTemplate, seq int64, now time.Time, r *rand.Rand) Record {
	s := rt.Expand(seq, now, r)
	rec := Record{Topic: s.Topic, Partition: s.Partition, Value: []byte(s.Value)}
	if s.Key != nil {
		rec.Key = []byte(*s.Key)
	}
	if len(s.Headers) > 0 {
		rec.Headers = make([]Header, len(s.Headers))
		for i, h := range s.Headers {
			rec.Headers[i] = Header{Key: h.Key, Value: []byte(h.Value)}
		}
	}
	rec.KeySize, rec.ValueSize = len(rec.Key), len(rec.Value)
	return rec
}

// TemplateRecords returns record number seq (from 1) of rt at now, as
// TemplateRecord would from the same draws of r, expanded into slabs
// that are never written again (template.Expander): the path of a repeat
// run, with no allocation per record but a share of a slab. One call at
// a time.
func TemplateRecords(rt *template.RecordTemplate, r *rand.Rand) func(seq int64, now time.Time) Record {
	x := rt.NewExpander(r)
	spec := rt.Spec()
	var hdrs []Header
	return func(seq int64, now time.Time) Record {
		e := x.Next(seq, now)
		rec := Record{Topic: spec.Topic, Partition: spec.Partition, Key: e.Key, Value: e.Value, KeySize: len(e.Key), ValueSize: len(e.Value)}
		if n := len(e.Headers); n > 0 {
			if cap(hdrs)-len(hdrs) < n {
				hdrs = make([]Header, 0, 256*n)
			}
			h := hdrs[len(hdrs) : len(hdrs)+n : len(hdrs)+n]
			hdrs = hdrs[:len(hdrs)+n]
			for i, eh := range e.Headers {
				h[i] = Header{Key: eh.Key, Value: eh.Value}
			}
			rec.Headers = h
		}
		return rec
	}
}
