package kafka

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestJSONSpecial8EveryByte: the eight-byte scan flags a word holding any
// byte the scalar loop would not pass through (jsonPlain), at every
// position, and passes a word of plain bytes only.
func TestJSONSpecial8EveryByte(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			w := []byte("abcdefgh")
			w[pos] = byte(c)
			if got, want := jsonSpecial8(load8(w, 0)), !jsonPlain[c]; got != want {
				t.Fatalf("byte %#x at %d: special %v, want %v", c, pos, got, want)
			}
		}
	}
	// Every pair of plain bytes around the lane borrow and carry edges.
	edges := []byte{0x20, 0x21, 0x23, 0x25, 0x27, 0x3b, 0x3d, 0x3f, 0x5b, 0x5d, 0x7e}
	for _, a := range edges {
		for _, b := range edges {
			w := bytes.Repeat([]byte{a, b}, 4)
			if jsonSpecial8(load8(w, 0)) {
				t.Fatalf("plain bytes %#x %#x flagged", a, b)
			}
		}
	}
}

// TestAppendJSONStringLongRuns: strings long enough for the eight-byte
// scan, with a special byte or character at every offset, quote as
// encoding/json does (invisible characters escaped).
func TestAppendJSONStringLongRuns(t *testing.T) {
	for _, special := range hostileAlphabet {
		for n := 0; n < 40; n++ {
			s := strings.Repeat("x", n) + special + strings.Repeat("y", 40-n)
			std, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := appendJSONString(nil, s), InertJSON(std); !bytes.Equal(got, want) {
				t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
			}
		}
	}
}

// TestJSONLinesMatchesAppendJSONLine: the remembering writer writes the
// same bytes as AppendJSONLine for runs of records sharing or changing
// topic and second, and for the times it writes in full (before 1970's
// first second, from the year 10000 on).
func TestJSONLinesMatchesAppendJSONLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	edges := []int64{-1e12, -1001, -1000, -999, -1, 0, 1, 999, 1000, 1001, 1999, 2000,
		maxStampSec*1000 - 1001, maxStampSec*1000 - 1, maxStampSec * 1000, maxStampSec*1000 + 1, 1795428000123}
	topics := []string{"orders", "orders", "päyments\u200b", "", "a\x1b[31m"}
	var j JSONLines
	var got []byte
	for i := range 20000 {
		ms := edges[rng.IntN(len(edges))] + rng.Int64N(3)
		if rng.IntN(2) == 0 {
			ms = 1795428000000 + rng.Int64N(5000) // a few seconds, mostly shared
		}
		r := Record{Topic: topics[rng.IntN(len(topics))], Partition: rng.Int32N(200), Offset: rng.Int64N(1 << 40),
			Timestamp: time.UnixMilli(ms), Key: []byte("k"), Value: bytes.Repeat([]byte("v"), rng.IntN(30))}
		r.KeySize, r.ValueSize = len(r.Key), len(r.Value)
		got = j.Append(got[:0], &r)
		if want := AppendJSONLine(nil, r); !bytes.Equal(got, want) {
			t.Fatalf("record %d (%d ms):\n got %s\nwant %s", i, ms, got, want)
		}
	}
}

// TestJSONLinesAllocatesNothing: once its buffers hold a topic and a
// second, a line costs no allocation.
func TestJSONLinesAllocatesNothing(t *testing.T) {
	var j JSONLines
	buf := make([]byte, 0, 4096)
	r := jsonBenchRecord
	buf = j.Append(buf[:0], &r)
	if n := testing.AllocsPerRun(100, func() { buf = j.Append(buf[:0], &r) }); n != 0 {
		t.Fatalf("JSONLines.Append allocates %v times per record", n)
	}
}

// jsonTailRecord is the tail benchmark's record: a decimal key and 100
// ASCII bytes.
var jsonTailRecord = Record{Topic: "kflow-bench-tail-1796188124505850480", Partition: 2, Offset: 123456,
	Timestamp: time.UnixMilli(1795428000123), Key: []byte("123456"), KeySize: 6,
	Value: bytes.Repeat([]byte("x"), 100), ValueSize: 100}

// BenchmarkJSONLines is the tail's formatting of one plain record, with
// AppendJSONLine beside it (no remembered topic or second).
func BenchmarkJSONLines(b *testing.B) {
	buf := make([]byte, 0, 4096)
	r := jsonTailRecord
	b.Run("JSONLines", func(b *testing.B) {
		var j JSONLines
		for b.Loop() {
			buf = j.Append(buf[:0], &r)
		}
	})
	b.Run("AppendJSONLine", func(b *testing.B) {
		for b.Loop() {
			buf = AppendJSONLine(buf[:0], r)
		}
	})
}
