package schema

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
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
