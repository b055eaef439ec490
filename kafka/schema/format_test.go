package schema

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// TestFormats reads bytes as each format says, the way Kafka's own
// serializers wrote them, and refuses bytes that do not fit with a reason.
func TestFormats(t *testing.T) {
	long := binary.BigEndian.AppendUint64(nil, uint64(math.MaxInt64-1))
	neg := binary.BigEndian.AppendUint64(nil, uint64(0xffffffffffffffd6)) // -42
	i32 := binary.BigEndian.AppendUint32(nil, uint32(0xfffffffe))         // -2
	dbl := binary.BigEndian.AppendUint64(nil, math.Float64bits(2.5))
	nan := binary.BigEndian.AppendUint64(nil, math.Float64bits(math.NaN()))
	for _, c := range []struct {
		f          Format
		in         []byte
		json, text string
		err        string
	}{
		{f: FormatLong, in: long, json: "9223372036854775806", text: "9223372036854775806"},
		{f: FormatLong, in: neg, json: "-42", text: "-42"},
		{f: FormatLong, in: []byte{1, 2, 3}, err: "format long needs 8 bytes, got 3"},
		{f: FormatInt, in: i32, json: "-2", text: "-2"},
		{f: FormatInt, in: long, err: "format int needs 4 bytes, got 8"},
		{f: FormatDouble, in: dbl, json: "2.5", text: "2.5"},
		{f: FormatDouble, in: nan, json: `"NaN"`, text: `"NaN"`},
		{f: FormatString, in: []byte("a\"b\xff"), json: "\"a\\\"b\uFFFD\"", text: "a\"b\xff"},
		{f: FormatJSON, in: []byte(" { \"a\" : [1, 2] } "), json: `{"a":[1,2]}`, text: `{"a":[1,2]}`},
		{f: FormatJSON, in: []byte("{nope"), err: "not a JSON document"},
		{f: FormatHex, in: []byte{0, 0xab}, json: `"00ab"`, text: "00ab"},
		{f: FormatBase64, in: []byte{0xff, 0}, json: `"/wA="`, text: "/wA="},
		{f: FormatLong, in: nil, json: "null"},
	} {
		j, err := c.f.JSON(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %x: err %v, want %q", c.f, c.in, err, c.err)
			}
			continue
		}
		if err != nil || string(j) != c.json {
			t.Errorf("%s %x: JSON %s, %v, want %s", c.f, c.in, j, err, c.json)
		}
		if c.in == nil {
			continue
		}
		if tx, err := c.f.Text(c.in); err != nil || string(tx) != c.text {
			t.Errorf("%s %x: Text %q, %v, want %q", c.f, c.in, tx, err, c.text)
		}
	}
	if f, err := ParseFormat("LONG"); err != nil || f != FormatLong {
		t.Errorf("ParseFormat(LONG) = %q, %v", f, err)
	}
	if f, err := ParseFormat(""); err != nil || f != FormatAuto {
		t.Errorf("ParseFormat(\"\") = %q, %v", f, err)
	}
	if _, err := ParseFormat("avro2"); err == nil || !strings.Contains(err.Error(), "long") {
		t.Errorf("ParseFormat(avro2) = %v, want an error listing the formats", err)
	}
}

// TestFormatMsgpack reads MessagePack written by the msgpack library as the
// JSON value it holds (non-string map keys as text), and refuses hostile
// bytes with a reason before the recursive decoder sees them: nesting a
// million deep, lengths past the end, trailing bytes.
func TestFormatMsgpack(t *testing.T) {
	in := map[string]any{"id": "o-1", "qty": 3, "tags": []any{"a", "b"}, "nested": map[string]any{"ok": true, "n": nil}}
	b, err := msgpack.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	j, err := FormatMsgpack.JSON(b)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(j, &got); err != nil || got["id"] != "o-1" || got["qty"] != float64(3) ||
		got["nested"].(map[string]any)["ok"] != true {
		t.Errorf("msgpack JSON %s: %v", j, err)
	}
	intKeys, _ := msgpack.Marshal(map[int]string{1: "one"})
	if j, err := FormatMsgpack.JSON(intKeys); err != nil || string(j) != `{"1":"one"}` {
		t.Errorf("int keys: %s, %v", j, err)
	}
	deep := append(bytes.Repeat([]byte{0x91}, 1_000_000), 0xc0)
	for name, c := range map[string]struct {
		b   []byte
		err string
	}{
		"deep":      {deep, "nested deeper than 64"},
		"truncated": {[]byte{0x92, 0x01}, "past the end"},
		"long str":  {[]byte{0xdb, 0xff, 0xff, 0xff, 0xff, 'a'}, "past the end"},
		"huge list": {[]byte{0xdd, 0xff, 0xff, 0xff, 0xff}, "past the end"},
		"trailing":  {[]byte{0x01, 0x02}, "bytes left after the value"},
		"never":     {[]byte{0xc1}, "not a MessagePack type"},
	} {
		if _, err := FormatMsgpack.JSON(c.b); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: err %v, want %q", name, err, c.err)
		}
	}
}

// FuzzFormats: no format panics or hangs on any bytes; each answers valid
// JSON or an error. The local schema formats are fuzzed too: their bodies
// go through the registry path's bounded decoders.
func FuzzFormats(f *testing.F) {
	f.Add([]byte{0x92, 0x01, 0xa1, 'x'})
	f.Add([]byte{0x81, 0x01, 0x91, 0xc0})
	f.Add([]byte(`{"a":1}`))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 42})
	f.Add([]byte{0, 0, 0, 0, 7, 0x06, 'o', '-', '1'})
	f.Add([]byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f})
	var fms []Format
	for _, name := range append(Formats(), "avro:order.avsc", "protobuf:order.proto", "json-schema:order.schema.json") {
		fm, err := ParseFormatIn(name, schemasDir)
		if err != nil {
			f.Fatal(err)
		}
		fms = append(fms, fm)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, fm := range fms {
			if fm == FormatAuto {
				continue
			}
			j, err := fm.JSON(b)
			if err == nil && !json.Valid(j) {
				t.Fatalf("%s of %x wrote invalid JSON %q", fm, b, j)
			}
		}
	})
}
