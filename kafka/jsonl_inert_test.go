package kafka

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// mustEscape is the set --json writes as \uXXXX on top of encoding/json's
// own escapes, spelled out independently of the code: DEL, the C1
// controls, bidi overrides and isolates, zero-width and other invisible
// format characters, and the tag characters that can smuggle text.
func mustEscape(r rune) bool {
	switch {
	case r == 0x7f, r >= 0x80 && r <= 0x9f, r == 0xad, r == 0x61c, r == 0x180e,
		r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e,
		r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x206f,
		r == 0xfeff, r >= 0xfff9 && r <= 0xfffb, r >= 0xe0000 && r <= 0xe007f:
		return true
	}
	return false
}

// hostileAlphabet is what the property tests build strings from.
var hostileAlphabet = []string{"a", "é", "日", "😀", "<", ">", "&", "\"", "\\", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1b", "\x7f",
	"\u0080", "\u0085", "\u009b", "\u009f", "\u00a0", "\u00ad", "\u061c", "\u200b", "\u200d", "\u200e", "\u200f",
	"\u2028", "\u2029", "\u202a", "\u202e", "\u2060", "\u2066", "\u2069", "\ufeff", "\ufffd", "\U000e0041", "\U000e007f",
	"\xff", "\xc3", "\xed\xa0\x80", " ", "/"}

// TestJSONLineEscapesInvisibleAndControls: each character of the set is
// written as \uXXXX (a surrogate pair beyond the BMP), so a terminal shows
// the escape, and the line still decodes to the same value.
func TestJSONLineEscapesInvisibleAndControls(t *testing.T) {
	for in, want := range map[string]string{
		"a\x7fb":          `a\u007fb`,
		"\u0085\u009b[2J": `\u0085\u009b[2J`,
		"evil\u202egnp":   `evil\u202egnp`,
		"\u2066x\u2069":   `\u2066x\u2069`,
		"zero\u200bwidth": `zero\u200bwidth`,
		"\ufeffbom":       `\ufeffbom`,
		"join\u2060er":    `join\u2060er`,
		"tag\U000e0041":   `tag\udb40\udc41`,
		"é日😀 plain":       `é日😀 plain`,
	} {
		line := AppendJSONLine(nil, Record{Topic: "t", Value: []byte(in), ValueSize: len(in)})
		if !bytes.Contains(line, []byte(`"value":"`+want+`"`)) {
			t.Errorf("%q written as %s, want the value %s", in, line, want)
		}
		var j JSONRecord
		if err := json.Unmarshal(line, &j); err != nil || j.Value == nil || *j.Value != in {
			t.Errorf("%s decodes to %v (%v), want %q", line, j.Value, err, in)
		}
	}
}

// TestAppendJSONLineMatchesEncodingJSON holds the hand-written encoder to
// encoding/json on random records full of hostile bytes: the same bytes
// once encoding/json's output has the invisible characters escaped, the
// same decoded value, and no character of the set left raw.
func TestAppendJSONLineMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gen := func() []byte {
		switch rng.IntN(6) {
		case 0:
			return nil
		case 1:
			return []byte{}
		}
		var b []byte
		for range rng.IntN(12) {
			b = append(b, hostileAlphabet[rng.IntN(len(hostileAlphabet))]...)
		}
		return b
	}
	for i := range 5000 {
		r := Record{Topic: string(gen()), Partition: rng.Int32N(100), Offset: rng.Int64(), Key: gen(), Value: gen(),
			Timestamp: time.UnixMilli(rng.Int64N(4e12) - 1e12)}
		for range rng.IntN(3) {
			r.Headers = append(r.Headers, Header{Key: string(gen()), Value: gen()})
		}
		r.KeySize, r.ValueSize = len(r.Key), len(r.Value)+rng.IntN(2)
		std, err := json.Marshal(ToJSON(r))
		if err != nil {
			t.Fatal(err)
		}
		got := AppendJSONLine(nil, r)
		if want := InertJSON(std); !bytes.Equal(got, want) {
			t.Fatalf("record %d:\n got %s\nwant %s", i, got, want)
		}
		var a, b any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("record %d: %s is not JSON: %v", i, got, err)
		}
		if err := json.Unmarshal(std, &b); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("record %d decodes to\n %v\nwant\n %v", i, a, b)
		}
		for _, c := range string(got) {
			if mustEscape(c) || c < 0x20 {
				t.Fatalf("record %d: %U left raw in %s", i, c, got)
			}
		}
	}
}

// TestHeaderKeyBytesRoundTrip: a header key that is not valid UTF-8 is
// written in base64 and marked, and comes back as the same bytes.
func TestHeaderKeyBytesRoundTrip(t *testing.T) {
	r := Record{Topic: "t", Value: []byte("v"), ValueSize: 1, Timestamp: time.UnixMilli(1),
		Headers: []Header{{Key: "\xff\xfek", Value: []byte("x")}, {Key: "plain", Value: []byte{0xff}}}}
	line := AppendJSONLine(nil, r)
	if !strings.Contains(string(line), `{"key":"//5r","key_encoding":"base64","value":"x"}`) {
		t.Fatalf("invalid header key written as %s", line)
	}
	std, _ := json.Marshal(ToJSON(r))
	if !bytes.Equal(line, std) {
		t.Fatalf("appender %s\nencoding/json %s", line, std)
	}
	var j JSONRecord
	if err := json.Unmarshal(line, &j); err != nil {
		t.Fatal(err)
	}
	back, err := j.Record()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Headers, r.Headers) {
		t.Fatalf("headers came back as %q, want %q", back.Headers, r.Headers)
	}
	if _, err := (JSONRecord{Headers: []JSONHeader{{Key: "!!", KeyEncoding: "base64"}}}).Record(); err == nil {
		t.Error("a header key of bad base64 was accepted")
	}
}

// TestInertJSON escapes the set in any encoding/json output (group ids
// and config values are free text) and nothing else.
func TestInertJSON(t *testing.T) {
	in := map[string]string{"group": "a\u202eb\u0085\x7f\U000e0041", "plain": "é日"}
	std, _ := json.Marshal(in)
	got := InertJSON(std)
	if want := `{"group":"a\u202eb\u0085\u007f\udb40\udc41","plain":"é日"}`; string(got) != want {
		t.Fatalf("InertJSON = %s, want %s", got, want)
	}
	plain := []byte(`{"a":"é日 ok"}`)
	if got := InertJSON(plain); !bytes.Equal(got, plain) {
		t.Fatalf("InertJSON changed %s to %s", plain, got)
	}
	if !utf8.Valid(got) {
		t.Fatal("not UTF-8")
	}
}

// jsonBenchRecord is a typical record: ASCII JSON with some accented and
// CJK text, headers, one invisible character.
var jsonBenchRecord = Record{Topic: "order_events", Partition: 2, Offset: 123456, Timestamp: time.UnixMilli(1795428000123),
	Key: []byte("order-000123"), KeySize: 12,
	Value:     []byte(`{"event":"order placed","customer":"Zoë Müller","city":"東京","items":[{"sku":"A-1","qty":2}],"note":"gift` + "\u200b" + `"}`),
	ValueSize: 120,
	Headers:   []Header{{Key: "event-id", Value: []byte("5f0c9a3e-7b1d-4e8a-9c2f-0d1e2f3a4b5c")}, {Key: "schema", Value: []byte("v2")}}}

// TestAppendJSONLineAllocatesNothing: the escapes cost the hot path no
// allocation once the buffer is grown.
func TestAppendJSONLineAllocatesNothing(t *testing.T) {
	buf := make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() { buf = AppendJSONLine(buf[:0], jsonBenchRecord) }); n != 0 {
		t.Fatalf("AppendJSONLine allocates %v times per record", n)
	}
}

func BenchmarkAppendJSONLine(b *testing.B) {
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendJSONLine(buf[:0], jsonBenchRecord)
	}
}

// TestAppendIntMatchesStrconv: the JSON lines' digit writer is
// strconv.AppendInt for every length, the powers of ten around it,
// the extremes, negatives, and a full buffer.
func TestAppendIntMatchesStrconv(t *testing.T) {
	vals := []int64{0, 1, 9, 10, 99, 100, math.MaxInt64, math.MaxInt64 - 1, -1, math.MinInt64}
	for p := int64(1); p < 1e18; p *= 10 {
		vals = append(vals, p-1, p, p+1)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		vals = append(vals, rnd.Int64N(math.MaxInt64>>uint(rnd.IntN(63))))
	}
	for _, v := range vals {
		for _, buf := range [][]byte{make([]byte, 3, 64), make([]byte, 3, 4)} {
			if got, want := string(appendInt(buf, v)[3:]), strconv.FormatInt(v, 10); got != want {
				t.Fatalf("appendInt(%d) = %q, want %q", v, got, want)
			}
		}
	}
}
