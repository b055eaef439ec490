package kafka

import (
	"encoding/base64"
	"fmt"
	"time"
	"unicode/utf8"
)

// JSONRecord is the shape of one record in kflow's JSON lines: what
// `kflow tail --json` prints, the tail view saves, and `kflow produce
// --from-jsonl` replays. Text that is valid UTF-8 is written as a string;
// anything else is base64 with its encoding field set to "base64". A null
// key or value is JSON null.
type JSONRecord struct {
	Topic         string       `json:"topic"`
	Partition     int32        `json:"partition"`
	Offset        int64        `json:"offset"`
	Timestamp     string       `json:"timestamp"` // RFC 3339, milliseconds, UTC
	TimestampMs   int64        `json:"timestamp_ms"`
	Key           *string      `json:"key"`
	KeyEncoding   string       `json:"key_encoding,omitempty"`
	Value         *string      `json:"value"`
	ValueEncoding string       `json:"value_encoding,omitempty"`
	Headers       []JSONHeader `json:"headers"`
	// KeySize and ValueSize are the true sizes; Truncated says the key or
	// value written is shorter (kflow caps what it keeps of huge records).
	KeySize   int  `json:"key_size"`
	ValueSize int  `json:"value_size"`
	Truncated bool `json:"truncated,omitempty"`
}

// JSONHeader is one header in JSON lines. Its key and value are encoded
// like record values: a key that is not valid UTF-8 is base64 with
// KeyEncoding "base64".
type JSONHeader struct {
	Key           string  `json:"key"`
	KeyEncoding   string  `json:"key_encoding,omitempty"`
	Value         *string `json:"value"`
	ValueEncoding string  `json:"value_encoding,omitempty"`
}

// ToJSON converts a record to its JSON-lines shape.
func ToJSON(r Record) JSONRecord {
	j := JSONRecord{
		Topic:       r.Topic,
		Partition:   r.Partition,
		Offset:      r.Offset,
		Timestamp:   r.Timestamp.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		TimestampMs: r.Timestamp.UnixMilli(),
		KeySize:     r.KeySize,
		ValueSize:   r.ValueSize,
		Truncated:   r.Truncated(),
		Headers:     make([]JSONHeader, 0, len(r.Headers)),
	}
	j.Key, j.KeyEncoding = encodeBytes(r.Key)
	j.Value, j.ValueEncoding = encodeBytes(r.Value)
	for _, h := range r.Headers {
		v, enc := encodeBytes(h.Value)
		jh := JSONHeader{Key: h.Key, Value: v, ValueEncoding: enc}
		if !utf8.ValidString(h.Key) {
			jh.Key, jh.KeyEncoding = base64.StdEncoding.EncodeToString([]byte(h.Key)), "base64"
		}
		j.Headers = append(j.Headers, jh)
	}
	return j
}

func encodeBytes(b []byte) (*string, string) {
	if b == nil {
		return nil, ""
	}
	if utf8.Valid(b) {
		s := string(b)
		return &s, ""
	}
	s := base64.StdEncoding.EncodeToString(b)
	return &s, "base64"
}

func decodeBytes(s *string, enc, what string) ([]byte, error) {
	switch {
	case s == nil:
		return nil, nil
	case enc == "":
		return []byte(*s), nil
	case enc == "base64":
		b, err := base64.StdEncoding.DecodeString(*s)
		if err != nil {
			return nil, fmt.Errorf("%s: bad base64: %w", what, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%s: unknown encoding %q (want base64 or none)", what, enc)
}

// Record converts a JSON line back into a record to produce. A truncated
// record is refused: replaying it would write a different value.
func (j JSONRecord) Record() (Record, error) {
	if j.Truncated {
		return Record{}, fmt.Errorf("record %s/%d@%d was truncated when saved: replaying it would change its value", j.Topic, j.Partition, j.Offset)
	}
	key, err := decodeBytes(j.Key, j.KeyEncoding, "key")
	if err != nil {
		return Record{}, err
	}
	val, err := decodeBytes(j.Value, j.ValueEncoding, "value")
	if err != nil {
		return Record{}, err
	}
	r := Record{Topic: j.Topic, Partition: j.Partition, Offset: j.Offset, Key: key, Value: val, KeySize: len(key), ValueSize: len(val)}
	if j.TimestampMs != 0 {
		r.Timestamp = time.UnixMilli(j.TimestampMs)
	}
	for _, h := range j.Headers {
		k, err := decodeBytes(&h.Key, h.KeyEncoding, "header key")
		if err != nil {
			return Record{}, err
		}
		v, err := decodeBytes(h.Value, h.ValueEncoding, "header "+h.Key)
		if err != nil {
			return Record{}, err
		}
		r.Headers = append(r.Headers, Header{Key: string(k), Value: v})
	}
	return r, nil
}

// MarshalJSONLine is ToJSON encoded, without the trailing newline.
func MarshalJSONLine(r Record) ([]byte, error) { return AppendJSONLine(nil, r), nil }
