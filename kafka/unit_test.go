package kafka

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

func TestParseStart(t *testing.T) {
	ts := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want Start
		err  bool
	}{
		{"beginning", Start{Kind: StartBeginning}, false},
		{"end", Start{Kind: StartEnd}, false},
		{"42", Start{Kind: StartOffset, Offset: 42}, false},
		{"-10", Start{Kind: StartLastN, Offset: 10}, false},
		{"@2026-11-23T10:00:00Z", Start{Kind: StartTime, Time: ts}, false},
		{"@1795428000000", Start{Kind: StartTime, Time: time.UnixMilli(1795428000000)}, false},
		{"-0", Start{}, true},
		{"@yesterday", Start{}, true},
		{"soon", Start{}, true},
	} {
		got, err := ParseStart(tc.in)
		if (err != nil) != tc.err || (!tc.err && !(got.Kind == tc.want.Kind && got.Offset == tc.want.Offset && got.Time.Equal(tc.want.Time))) {
			t.Errorf("ParseStart(%q) = %+v, %v; want %+v, err=%v", tc.in, got, err, tc.want, tc.err)
		}
		if err == nil {
			back, err := ParseStart(got.String())
			if err != nil || back.Kind != got.Kind || back.Offset != got.Offset || !back.Time.Equal(got.Time) {
				t.Errorf("round trip of %q through %q gave %+v, %v", tc.in, got.String(), back, err)
			}
		}
	}
}

func TestParseResetTo(t *testing.T) {
	for _, tc := range []struct {
		in   string
		mode ResetMode
		n    int64
		err  bool
	}{
		{"earliest", ResetEarliest, 0, false},
		{"latest", ResetLatest, 0, false},
		{"offset:7", ResetOffset, 7, false},
		{"shift:-3", ResetShift, -3, false},
		{"time:2026-11-23T10:00:00Z", ResetTime, 0, false},
		{"offset:-1", 0, 0, true},
		{"shift:x", 0, 0, true},
		{"time:noon", 0, 0, true},
		{"rewind", 0, 0, true},
	} {
		mode, n, _, err := ParseResetTo(tc.in)
		if (err != nil) != tc.err || (!tc.err && (mode != tc.mode || n != tc.n)) {
			t.Errorf("ParseResetTo(%q) = %v, %d, %v", tc.in, mode, n, err)
		}
	}
}

// TestPartitionForKeyMatchesFranzGo checks kflow's murmur2 against
// franz-go's Kafka-compatible sticky key partitioner on many keys.
func TestPartitionForKeyMatchesFranzGo(t *testing.T) {
	ref := kgo.StickyKeyPartitioner(nil).ForTopic("t")
	for n := int32(1); n <= 13; n += 3 {
		for i := range 2000 {
			key := []byte(fmt.Sprintf("key-%d-%d", i, i*7919))[:1+i%12]
			want := int32(ref.Partition(&kgo.Record{Key: key}, int(n)))
			if got := PartitionForKey(key, n); got != want {
				t.Fatalf("PartitionForKey(%q, %d) = %d, franz-go says %d", key, n, got, want)
			}
		}
	}
	// Kafka's own Utils.murmur2 test vectors (from its UtilsTest).
	for in, want := range map[string]int32{
		"21":                         -973932308,
		"foobar":                     -790332482,
		"a-little-bit-long-string":   -985981536,
		"a-little-bit-longer-string": -1486304829,
		"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
		"abc": 479470107,
	} {
		if got := int32(murmur2([]byte(in))); got != want {
			t.Errorf("murmur2(%q) = %d, Kafka says %d", in, got, want)
		}
	}
}

func TestRing(t *testing.T) {
	r := NewRing(3)
	rec := func(o int64) Record { return Record{Offset: o, ValueSize: 10} }
	r.Push([]Record{rec(0), rec(1)})
	got, seq := r.Since(0, nil)
	if len(got) != 2 || seq != 2 {
		t.Fatalf("Since(0) = %v, %d", got, seq)
	}
	r.Push([]Record{rec(2), rec(3), rec(4)})
	got, seq2 := r.Since(seq, nil)
	if offsets(got) != "[2 3 4]" || seq2 != 5 {
		t.Fatalf("Since(%d) = %s, %d; want [2 3 4], 5", seq, offsets(got), seq2)
	}
	if s := offsets(r.Snapshot(nil)); s != "[2 3 4]" {
		t.Fatalf("Snapshot = %s", s)
	}
	// A reader that fell behind skips the evicted ones; stats count them.
	r.Push([]Record{rec(5), rec(6), rec(7), rec(8), rec(9)})
	got, _ = r.Since(seq2, nil)
	if offsets(got) != "[7 8 9]" {
		t.Fatalf("Since after overflow = %s", offsets(got))
	}
	st := r.Stats()
	if st.Received != 10 || st.Evicted != 7 || st.Len != 3 || st.Cap != 3 || st.Bytes != 100 {
		t.Fatalf("Stats = %+v", st)
	}
	select {
	case <-r.Notify():
	default:
		t.Fatal("Push did not signal Notify")
	}
}

func offsets(rs []Record) string {
	os := make([]int64, len(rs))
	for i, r := range rs {
		os[i] = r.Offset
	}
	return fmt.Sprint(os)
}

func TestConvertCapsAndCopies(t *testing.T) {
	big := make([]byte, 5<<20)
	big[0] = 'x'
	r := convert(&kgo.Record{Key: []byte("k"), Value: big, Headers: []kgo.RecordHeader{{Key: "h", Value: big}}}, 1024)
	if len(r.Value) != 1024 || r.ValueSize != 5<<20 || !r.Truncated() || len(r.Headers[0].Value) != 1024 {
		t.Fatalf("convert kept %d of %d bytes (truncated=%v)", len(r.Value), r.ValueSize, r.Truncated())
	}
	if cap(r.Value) != 1024 {
		t.Fatalf("truncated value still holds the %d-byte buffer", cap(r.Value))
	}
	if n := convert(&kgo.Record{Value: []byte("v")}, -1); n.Key != nil || string(n.Value) != "v" {
		t.Fatalf("convert of a small record = %+v", n)
	}
}

func TestJSONLineRoundTrip(t *testing.T) {
	ts := time.UnixMilli(1795428000123)
	for _, r := range []Record{
		{Topic: "t", Partition: 2, Offset: 9, Timestamp: ts, Key: []byte("k"), Value: []byte(`{"a":"é"}`),
			Headers: []Header{{Key: "h", Value: []byte("v")}, {Key: "bin", Value: []byte{0xff, 0}}, {Key: "nil"}}},
		{Topic: "t", Timestamp: ts, Key: nil, Value: []byte{0xc3, 0x28, 0x1b}},
		{Topic: "t", Timestamp: ts, Key: []byte{}, Value: nil},
	} {
		r.KeySize, r.ValueSize = len(r.Key), len(r.Value)
		line, err := MarshalJSONLine(r)
		if err != nil {
			t.Fatal(err)
		}
		var j JSONRecord
		if err := json.Unmarshal(line, &j); err != nil {
			t.Fatal(err)
		}
		back, err := j.Record()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, r) {
			t.Errorf("round trip of %s:\n got %+v\nwant %+v", line, back, r)
		}
	}
	line, _ := MarshalJSONLine(Record{Value: []byte{0xff}, ValueSize: 1, Timestamp: ts})
	if !strings.Contains(string(line), `"value":"/w==","value_encoding":"base64"`) {
		t.Errorf("invalid UTF-8 not marked base64: %s", line)
	}
	if _, err := (JSONRecord{Truncated: true}).Record(); err == nil {
		t.Error("a truncated record was accepted for replay")
	}
}

func TestLatencyHistQuantiles(t *testing.T) {
	var h latencyHist
	if h.quantile(0.5) != 0 {
		t.Error("empty histogram has a median")
	}
	for i := 1; i <= 1000; i++ {
		h.add(time.Duration(i) * time.Millisecond)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.99, 990 * time.Millisecond}, {1, time.Second}} {
		got := h.quantile(tc.q)
		if got < tc.want || float64(got) > float64(tc.want)*1.04 {
			t.Errorf("quantile(%v) = %v, want %v within 4%% above", tc.q, got, tc.want)
		}
	}
}

// TestRingByteBudget: big records are evicted by bytes long before the
// record count is reached, the newest always stays, and evictions count.
func TestRingByteBudget(t *testing.T) {
	r := newRing(100, 3<<20+64*int64(recordSlot)) // 3 MiB and its 64 slots
	big := make([]byte, 1<<20)
	for i := range 10 {
		r.Push([]Record{{Offset: int64(i), Value: big, ValueSize: len(big)}})
	}
	st := r.Stats()
	if st.Len != 3 || st.Evicted != 7 || st.Received != 10 {
		t.Fatalf("after 10 records of 1 MiB in a 3 MiB ring: %+v", st)
	}
	if got := offsets(r.Snapshot(nil)); got != "[7 8 9]" {
		t.Fatalf("held %s, want the newest three", got)
	}
	r.Push([]Record{{Offset: 10, Value: make([]byte, 5<<20)}})
	if got := offsets(r.Snapshot(nil)); got != "[10]" {
		t.Fatalf("a record over the whole budget: held %s, want it alone", got)
	}
	r.Push([]Record{{Offset: 11, Value: []byte("small")}})
	if got := offsets(r.Snapshot(nil)); got != "[11]" {
		t.Fatalf("held %s after a small record follows a huge one", got)
	}
	if want := 5 + int64(len(r.buf)*recordSlot); r.held != want {
		t.Fatalf("held bytes %d, want %d (5 and the slots)", r.held, want)
	}
}
