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
