package views

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"

	"kflow/kafka"
	"kflow/kafka/demo"
	"kflow/kafka/schema"
	"kflow/views/viewstest"
)

// goldenPaymentV1 and V2 are a subject's two versions for the golden
// screens: v2 adds a field with a default.
const (
	goldenPaymentV1 = `{"type":"record","name":"Payment","namespace":"shop","fields":[
		{"name":"id","type":{"type":"string","logicalType":"uuid"}},
		{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
		{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
		{"name":"note","type":["null","string"],"default":null}]}`
	goldenPaymentV2 = `{"type":"record","name":"Payment","namespace":"shop","fields":[
		{"name":"id","type":{"type":"string","logicalType":"uuid"}},
		{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
		{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
		{"name":"note","type":["null","string"],"default":null},
		{"name":"method","type":{"type":"enum","name":"Method","symbols":["CARD","SEPA"]},"default":"CARD"}]}`
)

// TestTailSchemaGolden draws Avro records of two schema versions, decoded
// through an in-process registry (fresh, so its ids are stable), at 80x24
// and 160x48: the list with decoded values, a decoded record's detail pane
// and the same record's raw bytes (x).
func TestTailSchemaGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	for _, tc := range []struct {
		name string
		keys []string
		wait []string
	}{
		{name: "list", wait: []string{`{"id":"6f1c`}},
		{name: "detail", keys: []string{"g", "j", "enter"}, wait: []string{"VALUE (avro)", "payments-value v2"}},
		{name: "detail_raw", keys: []string{"g", "enter", "x"}, wait: []string{"VALUE (binary)", "00000000"}},
	} {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				reg := demo.NewRegistry()
				url, err := reg.Start("127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(reg.Close)
				recs := goldenPayments(t, url)
				client, err := schema.New(schema.Config{URL: url, Timeout: 10 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				ring := kafka.NewRing(100)
				ring.Push(recs)
				c := newTailCommon(t, viewstest.NewClock())
				c.Decoder = schema.NewDecoder(client, schema.DecoderOptions{})
				v := NewTailRing(c, "payments", ring, TailViewOptions{})
				h := &host{stack: []View{v}}
				tm := viewstest.StartProgram(t, h, size[0], size[1])
				h.screen.Wait(t, "received 3", `{"id":"6f1c`, `{"id":"7a2d`, `{"id":"8b3e`) // both schemas fetched
				tm.Keys(tc.keys...)
				h.screen.Wait(t, tc.wait...)
				tm.Stop(t)
				v.Close()
				screen := h.screen.Frame()
				assertNoRawControls(t, screen)
				for i, l := range strings.Split(screen, "\n") {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("line %d is %d cells wide", i, w)
					}
				}
				viewstest.RequireGolden(t, "tail_schema_"+name, ansi.Strip(screen))
				viewstest.RequireGolden(t, "tail_schema_"+name+".ansi", screen)
			})
		}
	}
}

// goldenPayments registers both versions at url and encodes three payments
// with hamba (independently of kflow's encoder): v1, v2, v2.
func goldenPayments(t *testing.T, url string) []kafka.Record {
	t.Helper()
	rc, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	var ids [2]int
	var schemas [2]avro.Schema
	for i, text := range []string{goldenPaymentV1, goldenPaymentV2} {
		ss, err := rc.CreateSchema(context.Background(), "payments-value", sr.Schema{Schema: text, Type: sr.TypeAvro})
		if err != nil {
			t.Fatal(err)
		}
		ids[i], schemas[i] = ss.ID, avro.MustParse(text)
	}
	at := viewstest.Epoch
	vals := []struct {
		v   int
		val map[string]any
	}{
		{0, map[string]any{"id": "6f1c2a4e-0c55-4a8e-9b1e-2f1d7c3b9a10", "amount": ratOf(t, "12.50"), "at": at, "note": nil}},
		{1, map[string]any{"id": "7a2d3b5f-1d66-4b9f-8c2f-3e2e8d4c0b21", "amount": ratOf(t, "1999.99"), "at": at.Add(time.Second),
			"note": map[string]any{"string": "gift"}, "method": "SEPA"}},
		{1, map[string]any{"id": "8b3e4c60-2e77-4ca0-9d30-4f3f9e5d1c32", "amount": ratOf(t, "0.99"), "at": at.Add(2 * time.Second),
			"note": nil, "method": "CARD"}},
	}
	out := make([]kafka.Record, len(vals))
	for i, x := range vals {
		body, err := avro.Marshal(schemas[x.v], x.val)
		if err != nil {
			t.Fatal(err)
		}
		var h sr.ConfluentHeader
		b, _ := h.AppendEncode(nil, ids[x.v], nil)
		b = append(b, body...)
		k := []byte(fmt.Sprintf("pay-%d", i+1))
		out[i] = kafka.Record{Topic: "payments", Offset: int64(i), Timestamp: at.Add(time.Duration(i) * time.Second),
			Key: k, Value: b, KeySize: len(k), ValueSize: len(b)}
	}
	return out
}

func ratOf(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("bad decimal %q", s)
	}
	return r
}

// TestTailFilterReadsDecodedValues: text and jq filters read a wire-format
// record as its decoded value: "SEPA" is an Avro enum, an index in the
// bytes, and matches only once decoded; a jq filter compares a decoded
// decimal. Records filtered before their schema was fetched are filtered
// again when it arrives.
func TestTailFilterReadsDecodedValues(t *testing.T) {
	reg := demo.NewRegistry()
	url, err := reg.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reg.Close)
	client, err := schema.New(schema.Config{URL: url, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	rig := newTailRig(t, 100, 120, 30)
	rig.v.c.Decoder = schema.NewDecoder(client, schema.DecoderOptions{})
	run := &viewstest.Runner{Update: func(m tea.Msg) tea.Cmd { _, c := rig.v.Update(m); return c }, Wait: 10 * time.Second}
	rig.ring.Push(goldenPayments(t, url))

	rig.typ("/SEPA")
	run.Keys("enter")
	rig.v.frame()
	rig.want("matched 0 of 3") // the schemas are not fetched yet: filtered on bytes
	run.Do(rig.v.prefetchShown())
	rig.want("matched 1 of 3", "pay-2")

	rig.key("esc")
	rig.typ(`/jq .amount == "0.99" and .method == "CARD"`)
	run.Keys("enter")
	rig.want("matched 1 of 3", "pay-3")
}

// TestTailReadsNamedFormats: a topic the connection names formats for (the
// word count's output: string keys, long values) shows its longs as numbers
// in the list and the detail pane, x shows the bytes, and a value that does
// not fit says why and shows its bytes.
func TestTailReadsNamedFormats(t *testing.T) {
	clock := viewstest.NewClock()
	c := newTailCommon(t, clock)
	c.Formats = func(topic string) (schema.Format, schema.Format) {
		if topic == "counts" {
			return schema.FormatString, schema.FormatLong
		}
		return schema.FormatAuto, schema.FormatAuto
	}
	ring := kafka.NewRing(10)
	long := func(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }
	recs := []kafka.Record{
		{Topic: "counts", Offset: 0, Key: []byte("kafka"), Value: long(42)},
		{Topic: "counts", Offset: 1, Key: []byte("odd"), Value: []byte{1, 2, 3}},
	}
	for i := range recs {
		recs[i].Timestamp, recs[i].KeySize, recs[i].ValueSize = viewstest.Epoch, len(recs[i].Key), len(recs[i].Value)
	}
	ring.Push(recs)
	rig := &tailRig{t: t, v: NewTailRing(c, "counts", ring, TailViewOptions{}), ring: ring, clock: clock, off: map[int32]int64{}}
	rig.v.SetSize(120, 30)
	rig.v.frame()
	rig.want("kafka  42")
	rig.key("g", "enter")
	rig.want("VALUE (long)", "read as long", "42")
	rig.key("x")
	rig.want("VALUE (binary)", "00 00 00 00 00 00 00 2a")
	rig.key("x", "esc", "j", "enter")
	rig.want("not read as long, shown as bytes: format long needs 8 bytes, got 3")
}

// TestTailReadsLocalSchemaFormat: a topic whose values are a plain Avro
// body (no registry: the connection's formats: name an .avsc) shows each
// value decoded in the list and, pretty, in the detail pane; x shows the
// bytes; a jq filter reads the decoded value.
func TestTailReadsLocalSchemaFormat(t *testing.T) {
	dir := t.TempDir()
	avsc := `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"note","type":["null","string"]}]}`
	if err := os.WriteFile(filepath.Join(dir, "order.avsc"), []byte(avsc), 0o600); err != nil {
		t.Fatal(err)
	}
	vf, err := schema.ParseFormatIn("avro:order.avsc", dir)
	if err != nil {
		t.Fatal(err)
	}
	body, err := avro.Marshal(avro.MustParse(avsc), map[string]any{"id": "o-7", "note": map[string]any{"string": "fragile"}})
	if err != nil {
		t.Fatal(err)
	}
	clock := viewstest.NewClock()
	c := newTailCommon(t, clock)
	c.Formats = func(topic string) (schema.Format, schema.Format) { return schema.FormatAuto, vf }
	ring := kafka.NewRing(10)
	rec := kafka.Record{Topic: "orders", Offset: 0, Key: []byte("k"), Value: body, Timestamp: viewstest.Epoch, KeySize: 1, ValueSize: len(body)}
	other, err := avro.Marshal(avro.MustParse(avsc), map[string]any{"id": "o-8", "note": nil})
	if err != nil {
		t.Fatal(err)
	}
	rec2 := kafka.Record{Topic: "orders", Offset: 1, Key: []byte("k2"), Value: other, Timestamp: viewstest.Epoch, KeySize: 2, ValueSize: len(other)}
	ring.Push([]kafka.Record{rec, rec2})
	rig := &tailRig{t: t, v: NewTailRing(c, "orders", ring, TailViewOptions{}), ring: ring, clock: clock, off: map[int32]int64{}}
	rig.v.SetSize(120, 30)
	rig.v.frame()
	rig.want(`{"id":"o-7","note":"fragile"}`)
	rig.key("g", "enter")
	rig.want("VALUE (avro:order.avsc)", "read as avro:order.avsc", `"id": "o-7"`, `"note": "fragile"`)
	rig.key("x")
	rig.want("VALUE (text)", "fragile") // the body's bytes, read as they are
	rig.key("x", "esc")
	rig.typ(`/jq .note == null`)
	rig.key("enter")
	rig.v.frame()
	rig.want("matched 1 of 2", `{"id":"o-8","note":null}`)
}
