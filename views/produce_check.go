package views

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/template"
	"kflow/text"
)

// checked is the form read and validated: what a submit sends.
type checked struct {
	tmpl  *template.RecordTemplate
	count int
	rate  float64
	// valueFile is the file an "@PATH" value names; value is its bytes,
	// read on submit and sent as they are (no placeholders).
	valueFile string
	value     []byte
	// valueEnc and keyEnc, when set, encode each value (the expansion,
	// or the file's bytes) and key through the registry before it is
	// sent.
	valueEnc, keyEnc *schema.Encoder
}

// maxValueFile bounds what an "@PATH" value reads: larger than any
// max.message.bytes a broker allows by default, small enough to hold.
const maxValueFile = 64 << 20

// minRate is the slowest rate: below it the interval between records
// overflows.
const minRate = 0.001

// splitValueFile reads the value field: a single line "@PATH" names a
// file whose bytes are the value, "@@..." is a literal value starting
// with "@", anything else is the value as typed.
func splitValueFile(s string) (path, value string) {
	switch {
	case strings.HasPrefix(s, "@@"):
		return "", s[1:]
	case strings.HasPrefix(s, "@") && len(strings.TrimSpace(s)) > 1 && !strings.Contains(s, "\n"):
		return strings.TrimSpace(s[1:]), ""
	}
	return "", s
}

// readValueFile reads an "@PATH" value, bounded by maxValueFile.
func readValueFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("value @%s: %w", path, err)
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxValueFile+1))
	if err != nil {
		return nil, fmt.Errorf("value @%s: %w", path, err)
	}
	if len(b) > maxValueFile {
		return nil, fmt.Errorf("value @%s is larger than %d MiB", path, maxValueFile>>20)
	}
	return b, nil
}

// record expands record number seq, with an "@PATH" value's bytes, and
// encodes its value with the schema chosen.
func (c checked) record(seq int64, now time.Time, r *rand.Rand) (kafka.Record, error) {
	rec := kafka.TemplateRecord(c.tmpl, seq, now, r)
	if c.value != nil {
		rec.Value, rec.ValueSize = c.value, len(c.value)
	}
	if c.valueEnc != nil {
		b, err := c.valueEnc.Encode(rec.Value)
		if err != nil {
			return kafka.Record{}, &encodeFailure{target: encValue, err: fmt.Errorf("record %d: value: %w", seq, err)}
		}
		rec.Value, rec.ValueSize = b, len(b)
	}
	if c.keyEnc != nil && rec.Key != nil {
		b, err := c.keyEnc.Encode(rec.Key)
		if err != nil {
			return kafka.Record{}, &encodeFailure{target: encKey, err: fmt.Errorf("record %d: key: %w", seq, err)}
		}
		rec.Key, rec.KeySize = b, len(b)
	}
	return rec, nil
}

// repeat reports whether the send is a run rather than one record.
func (c checked) repeat() bool { return c.count > 1 || c.rate > 0 }

// check validates every field, filling errs; an empty topic counts only
// once a submit was tried. What was typed is never changed.
func (v *Produce) check() (checked, bool) {
	v.errs = map[int]string{}
	var out checked
	spec := v.spec()

	topic, known := v.topicSummary(spec.Topic)
	switch {
	case spec.Topic == "" && v.tried:
		v.errs[slotTopic] = "a topic is required (tab completes the cluster's topics)"
	case spec.Topic == "":
	case v.topicsLoaded && !known:
		msg := fmt.Sprintf("no topic %q on this cluster", spec.Topic)
		if near := v.nearTopics(spec.Topic, 3); len(near) > 0 {
			msg += " (did you mean " + strings.Join(near, ", ") + "?)"
		}
		v.errs[slotTopic] = msg
	}

	switch p := strings.TrimSpace(v.partition.Value()); {
	case p == "" || strings.EqualFold(p, "auto"):
		spec.Partition = -1
	default:
		n, err := strconv.Atoi(p)
		switch {
		case err != nil || n < 0:
			v.errs[slotPartition] = "auto, or a partition number from 0"
		case known && n >= topic.Partitions && topic.Partitions == 1:
			v.errs[slotPartition] = fmt.Sprintf("partition %d does not exist: %s has only partition 0", n, topic.Name)
		case known && n >= topic.Partitions:
			v.errs[slotPartition] = fmt.Sprintf("partition %d does not exist: %s has %d (0 to %d)", n, topic.Name, topic.Partitions, topic.Partitions-1)
		default:
			spec.Partition = int32(n)
		}
	}

	for i, h := range v.headers {
		s := h.Value()
		if strings.TrimSpace(s) == "" {
			continue
		}
		k, _, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			v.errs[slotHeaders+i] = fmt.Sprintf("%q is not key=value", s)
		}
	}

	if path, value := splitValueFile(spec.Value); path != "" || value != spec.Value {
		spec.Value, out.valueFile = value, path
		if path != "" {
			spec.JSON = false // the file's bytes are checked on submit
			if st, err := os.Stat(path); err != nil {
				v.errs[slotValue] = fmt.Sprintf("@%s: %v", path, errors.Unwrap(err))
			} else if !st.Mode().IsRegular() {
				v.errs[slotValue] = fmt.Sprintf("@%s is not a regular file", path)
			} else if st.Size() > maxValueFile {
				v.errs[slotValue] = fmt.Sprintf("@%s is larger than %d MiB", path, maxValueFile>>20)
			}
		}
	}

	tmpl, err := template.CompileRecord(spec)
	if err != nil {
		v.errs[v.slotOfCompileError(err)] = err.Error()
	} else if err := tmpl.CheckJSON(v.c.now()); err != nil {
		var je *template.JSONError
		if errors.As(err, &je) {
			v.errs[slotValue] = fmt.Sprintf("not JSON: line %d, column %d: %s", je.Line, je.Col, je.Msg)
		} else {
			v.errs[slotValue] = err.Error()
		}
	}
	out.tmpl = tmpl
	v.checkSchema(tmpl, out.valueFile)
	out.valueEnc, out.keyEnc = v.encs[encValue].enc, v.encs[encKey].enc

	out.count = 1
	if s := strings.TrimSpace(v.count.Value()); s != "" {
		n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
		if err != nil || n < 1 {
			v.errs[v.slotCountField()] = "a whole number, 1 or more"
		} else {
			out.count = n
		}
	}
	if s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v.rate.Value()), "/s")); s != "" {
		r, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		if err != nil || r < 0 || math.IsInf(r, 0) || math.IsNaN(r) || (r > 0 && r < minRate) {
			v.errs[v.slotRate()] = fmt.Sprintf("records per second, 0 or more (0 sends as fast as the broker takes; at least %v)", minRate)
		} else {
			out.rate = r
		}
	}
	return out, len(v.errs) == 0 && spec.Topic != ""
}

// slotOfCompileError finds the field a placeholder error belongs to.
func (v *Produce) slotOfCompileError(err error) int {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "key: "):
		return slotKey
	case strings.HasPrefix(msg, "value: "):
		return slotValue
	}
	for i, h := range v.headers {
		if k, _, ok := strings.Cut(h.Value(), "="); ok && strings.HasPrefix(msg, "header "+k+":") {
			return slotHeaders + i
		}
	}
	return slotValue
}

// validate is check on submit: it marks the topic required and moves the
// focus to the first field in error.
func (v *Produce) validate() (checked, bool) {
	v.tried = true
	c, ok := v.check()
	if !ok {
		for slot := range v.slotCount() {
			if v.errs[slot] != "" {
				v.focused = slot
				v.focus()
				break
			}
		}
	}
	return c, ok
}

func (v *Produce) topicSummary(name string) (kafka.TopicSummary, bool) {
	for _, t := range v.topics {
		if t.Name == name {
			return t, true
		}
	}
	return kafka.TopicSummary{}, false
}

// nearTopics lists up to n topics that fuzzily match name.
func (v *Produce) nearTopics(name string, n int) []string {
	var out []string
	for _, t := range v.topics {
		if t.Internal {
			continue
		}
		ln, lt := strings.ToLower(name), strings.ToLower(t.Name)
		if _, ok := Match(name, t.Name); ok || strings.Contains(lt, ln) || strings.HasPrefix(ln, lt) {
			out = append(out, t.Name)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// partitionHint says where auto puts the record, or how many partitions
// the topic has.
func (v *Produce) partitionHint() string {
	t, ok := v.topicSummary(strings.TrimSpace(v.topic.Value()))
	if !ok {
		return ""
	}
	p := strings.TrimSpace(v.partition.Value())
	if p != "" && !strings.EqualFold(p, "auto") {
		return "of " + text.CountOf(t.Partitions, "partition", "partitions")
	}
	k := v.key.Value()
	switch {
	case k == "":
		return "no key: spread evenly"
	case strings.Contains(k, "{{"):
		return "key varies per record"
	}
	return fmt.Sprintf("→ partition %d (murmur2 of key)", kafka.PartitionForKey([]byte(k), int32(t.Partitions)))
}
