package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"kflow/kafka"
	"kflow/kafka/schema"
)

// DefaultMaxLineBytes bounds a stdin line when the topic's
// max.message.bytes cannot be read.
const DefaultMaxLineBytes = 8 << 20

// jsonlLineFactor is how much longer than --max-line-bytes a JSON line
// may be: base64 and escapes make a record's line longer than the record.
const jsonlLineFactor = 4

// recordSource yields records one at a time; ok false is the end.
type recordSource func() (rec kafka.Record, ok bool, err error)

// lineReader reads lines of at most max bytes (the newline aside),
// without ever holding much more than that: a line without an end (stdin
// from /dev/zero) is an error at the limit, not a process that grows
// until it dies.
//
// It reads into slabs of lineSlab bytes and returns each line as a piece
// of one, never written again: a record may hold its line until it is
// acknowledged (kafka.ProduceStream's source runs ahead of the sending)
// without a copy or an allocation per line. A line that crosses a slab's
// end is moved, alone, to the start of the next slab.
type lineReader struct {
	r          io.Reader
	buf        []byte // the slab: buf[start:end] is read and not yet returned
	start, end int
	scanned    int   // bytes of buf[start:end] known to hold no newline
	err        error // what the last read returned besides bytes
	max        int
	what       string // "stdin" or the file's name, for errors
	hint       string // the flag that sets max, for errors
	n          int    // lines read
}

// lineSlab is the memory a lineReader reads into at a time.
const lineSlab = 1 << 20

func newLineReader(r io.Reader, max int, what, hint string) *lineReader {
	return &lineReader{r: r, max: max, what: what, hint: hint}
}

// next returns the next line without its newline; ok false at the end.
func (l *lineReader) next() ([]byte, bool, error) {
	for {
		if i := bytes.IndexByte(l.buf[l.start+l.scanned:l.end], '\n'); i >= 0 {
			end := l.start + l.scanned + i
			if end-l.start > l.max {
				return nil, false, l.tooLong()
			}
			line := l.buf[l.start:end:end]
			if end == l.start {
				line = nil // an empty line is a null value, as it always was
			}
			l.start, l.scanned = end+1, 0
			l.n++
			return line, true, nil
		}
		l.scanned = l.end - l.start
		if l.scanned > l.max {
			return nil, false, l.tooLong()
		}
		if l.err != nil {
			if !errors.Is(l.err, io.EOF) {
				return nil, false, fmt.Errorf("read %s: %w", l.what, l.err)
			}
			if l.start == l.end {
				return nil, false, nil
			}
			line := l.buf[l.start:l.end:l.end]
			l.start, l.scanned = l.end, 0
			l.n++
			return line, true, nil
		}
		if l.end == len(l.buf) {
			// The slab is full: the next one starts with the line begun.
			nb := make([]byte, max(lineSlab, 2*(l.end-l.start)))
			l.end = copy(nb, l.buf[l.start:l.end])
			l.buf, l.start = nb, 0
		}
		k, err := l.r.Read(l.buf[l.end:])
		l.end += k
		if err != nil {
			l.err = err
		}
	}
}

func (l *lineReader) tooLong() error {
	return fmt.Errorf("%s line %d is longer than %d bytes (%s)", l.what, l.n+1, l.max, l.hint)
}

// lineSource reads one record per line of r, like kcat -P: the newline is
// not part of the value; with delim, the text before its first occurrence
// is the key (a line without it is an error, so no key is silently lost).
//
// schemas, when set, encodes each line's key and value through the
// registry (--key-schema, --value-schema): a line that does not match is
// an error naming the line and the field.
func lineSource(r io.Reader, base kafka.Record, delim string, maxLine int, hint string, schemas *produceSchemas) recordSource {
	lr := newLineReader(r, maxLine, "stdin", hint)
	sep := []byte(delim)
	return func() (kafka.Record, bool, error) {
		b, ok, err := lr.next()
		if !ok || err != nil {
			return kafka.Record{}, false, err
		}
		rec := base
		if delim != "" {
			k, v, ok := bytes.Cut(b, sep)
			if !ok {
				return kafka.Record{}, false, fmt.Errorf("stdin line %d has no key delimiter %q", lr.n, delim)
			}
			rec.Key, b = k, v
		}
		rec.Value = b
		if err := schemas.encode(&rec); err != nil {
			return kafka.Record{}, false, fmt.Errorf("stdin line %d: %w", lr.n, err)
		}
		return rec, true, nil
	}
}

// jsonlSource replays records saved as kflow JSON lines into topic,
// keeping their partitions only when asked (partitions is the topic's
// count, to check them against). A line must say "value" (null is a
// tombstone): an empty object is refused rather than sent as a null
// record by accident. A key or value decoded through a registry (a JSON
// value with key_schema / value_schema, as kflow tail --json writes it)
// is encoded again with that schema, or with --key-schema /
// --value-schema when given (schemas, nil without a registry).
func jsonlSource(r io.Reader, name, topic string, keepPartition bool, partitions int32, maxLine int, hint string, schemas *produceSchemas) recordSource {
	lr := newLineReader(r, maxLine, name, hint)
	n := 0
	return func() (kafka.Record, bool, error) {
		for {
			b, ok, err := lr.next()
			if !ok || err != nil {
				return kafka.Record{}, false, err
			}
			if len(bytes.TrimSpace(b)) == 0 {
				continue // a blank line holds no record
			}
			n++
			rec, err := parseJSONLine(b, keepPartition, partitions, schemas)
			if err != nil {
				return kafka.Record{}, false, fmt.Errorf("replay %s record %d (line %d): %w", name, n, lr.n, err)
			}
			rec.Topic = topic
			rec.Timestamp = time.Time{} // stamped now: old stamps meet retention at once
			return rec, true, nil
		}
	}
}

// jsonlLine is a saved record whose key and value may be JSON values
// decoded through a registry: they are read raw here, and as bytes only
// when no schema names them.
type jsonlLine struct {
	kafka.JSONRecord
	Key         json.RawMessage `json:"key"`
	Value       json.RawMessage `json:"value"`
	KeySchema   *schema.Info    `json:"key_schema"`
	ValueSchema *schema.Info    `json:"value_schema"`
}

// textField reads a key or value saved as bytes: a string or null.
func textField(raw json.RawMessage, what string) (*string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%s is a JSON value but the line has no %s_schema saying how to encode it (give --%s-schema, or save with kflow tail --json --raw)", what, what, what)
	}
	return &s, nil
}

// typedField encodes one key or value of a line: with enc (the flag's, or
// the line's schema's), the JSON value if the line's schema decoded it,
// else the saved bytes; as saved without an encoder.
func typedField(b []byte, raw json.RawMessage, typed bool, enc *schema.Encoder, what string) ([]byte, error) {
	if enc == nil || (!typed && b == nil) {
		return b, nil
	}
	if typed {
		b = raw
	}
	return encodeWith(enc, what, b)
}

// parseJSONLine decodes one saved record, refusing what would be sent
// differently from what the line says.
func parseJSONLine(b []byte, keepPartition bool, partitions int32, schemas *produceSchemas) (kafka.Record, error) {
	var present map[string]json.RawMessage
	if err := json.Unmarshal(b, &present); err != nil {
		return kafka.Record{}, err
	}
	if _, ok := present["value"]; !ok {
		// The message names the record from the caller's wrapping.
		return kafka.Record{}, errors.New(`no "value" field (a null record is sent only when asked: "value": null)`)
	}
	var l jsonlLine
	if err := json.Unmarshal(b, &l); err != nil {
		return kafka.Record{}, err
	}
	j := l.JSONRecord
	var err error
	if l.KeySchema == nil {
		if j.Key, err = textField(l.Key, "key"); err != nil {
			return kafka.Record{}, err
		}
	}
	if l.ValueSchema == nil {
		if j.Value, err = textField(l.Value, "value"); err != nil {
			return kafka.Record{}, err
		}
	}
	rec, err := j.Record()
	if err != nil {
		return kafka.Record{}, err
	}
	kenc, err := schemas.forLine("key", schemas.keyFlag(), l.KeySchema)
	if err != nil {
		return kafka.Record{}, err
	}
	venc, err := schemas.forLine("value", schemas.valueFlag(), l.ValueSchema)
	if err != nil {
		return kafka.Record{}, err
	}
	if rec.Key, err = typedField(rec.Key, l.Key, l.KeySchema != nil, kenc, "key"); err != nil {
		return kafka.Record{}, err
	}
	if rec.Value, err = typedField(rec.Value, l.Value, l.ValueSchema != nil, venc, "value"); err != nil {
		return kafka.Record{}, err
	}
	rec.KeySize, rec.ValueSize = len(rec.Key), len(rec.Value)
	if !keepPartition {
		rec.Partition = -1
		return rec, nil
	}
	if _, ok := present["partition"]; !ok {
		return kafka.Record{}, errors.New(`no "partition" field to keep (--keep-partition)`)
	}
	if rec.Partition < 0 || rec.Partition >= partitions {
		return kafka.Record{}, fmt.Errorf("partition %d does not exist in the topic (0 to %d) for --keep-partition", rec.Partition, partitions-1)
	}
	return rec, nil
}

// rewindable returns r as a seeker when it can be read twice: a regular
// file, or an in-memory reader. A pipe or a device cannot.
func rewindable(r io.Reader) (io.ReadSeeker, int64, bool) {
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			return nil, 0, false
		}
	}
	rs, ok := r.(io.ReadSeeker)
	if !ok {
		return nil, 0, false
	}
	pos, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, 0, false
	}
	return rs, pos, true
}

// checkedSource makes the source of r, reading a rewindable input through
// once first so that a bad line fails the command before anything is
// sent; a pipe is read once, and a bad line stops it where it is (the
// caller says how many records were sent before it).
func checkedSource(r io.Reader, mk func(io.Reader) recordSource) (recordSource, bool, error) {
	rs, pos, ok := rewindable(r)
	if !ok {
		return mk(r), false, nil
	}
	check := mk(rs)
	for {
		_, more, err := check()
		if err != nil {
			return nil, true, fmt.Errorf("%w (the input was checked before sending: nothing was sent)", err)
		}
		if !more {
			break
		}
	}
	if _, err := rs.Seek(pos, io.SeekStart); err != nil {
		return nil, true, fmt.Errorf("rewind the input after checking it: %w", err)
	}
	return mk(rs), true, nil
}

// readValueFile reads --value-file, refusing a file larger than limit
// (the topic's max.message.bytes) before reading it all.
func readValueFile(path string, limit int, source string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--value-file: %w", err)
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("--value-file %s: %w", path, err)
	}
	if len(b) > limit {
		return nil, fmt.Errorf("--value-file %s is larger than %d bytes (%s)", path, limit, source)
	}
	return b, nil
}
