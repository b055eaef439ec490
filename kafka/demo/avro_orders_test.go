package demo

import (
	"encoding/binary"
	"encoding/json"
	"testing"
	"time"

	"github.com/hamba/avro/v2"

	"kflow/internal/kafkatest"
	"kflow/kafka/schema"
)

// TestAvroOrdersEncodeBothVersions: the demo's Avro order events are in the
// wire format with the id of the version that wrote them, two in three in
// version 2, and decode with their own schema to the event they came from
// (an independent decode: hamba's, not kflow's decoder).
func TestAvroOrdersEncodeBothVersions(t *testing.T) {
	a := &avroOrders{v1: avro.MustParse(OrderAvroSchema(1)), v2: avro.MustParse(OrderAvroSchema(2)), id1: 11, id2: 12,
		channels: []string{"WEB", "APP"}, couponEvery: 5}
	g := newDemoOrders(1)
	ids := map[int]int{}
	for range 6 {
		ev := g.event(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), false)
		r, err := a.record(ev)
		if err != nil {
			t.Fatal(err)
		}
		if r.Value[0] != 0 || string(r.Key) != ev.OrderID {
			t.Fatalf("record %q: key %q, want the wire format keyed by order id", r.Value[:5], r.Key)
		}
		id := int(binary.BigEndian.Uint32(r.Value[1:5]))
		ids[id]++
		s := a.v2
		if id == 11 {
			s = a.v1
		}
		var got map[string]any
		if err := avro.Unmarshal(s, r.Value[5:], &got); err != nil {
			t.Fatalf("decode with schema %d: %v", id, err)
		}
		if got["order_id"] != ev.OrderID || got["event_id"] != ev.EventID {
			t.Errorf("decoded %v, want order %s", got, ev.OrderID)
		}
		if _, ok := got["channel"]; ok != (id == 12) {
			t.Errorf("schema %d record has channel=%v", id, ok)
		}
	}
	if ids[11] != 2 || ids[12] != 4 {
		t.Errorf("schema ids used %v, want 2 of v1 (11) and 4 of v2 (12)", ids)
	}
}

// TestDemoAvroOrdersDecodeThroughItsRegistry: the running demo's Avro topic
// holds its history in both schema versions, and every record decodes
// through the demo's own registry with kflow's decoder, naming the subject
// and version it was written with.
func TestDemoAvroOrdersDecodeThroughItsRegistry(t *testing.T) {
	d, c := startTestDemo(t)
	ctx := kafkatest.Ctx(t)
	reg, err := schema.New(schema.Config{URL: d.RegistryURL()})
	if err != nil {
		t.Fatal(err)
	}
	dec := schema.NewDecoder(reg, schema.DecoderOptions{})
	recs := demoReadAll(t, c, AvroOrdersTopic)
	if len(recs) < demoAvroHistory {
		t.Fatalf("%q holds %d records, want at least the %d of history", AvroOrdersTopic, len(recs), demoAvroHistory)
	}
	versions := map[int]int{}
	for _, r := range recs {
		got, err := dec.Decode(ctx, r.Value)
		if err != nil {
			t.Fatalf("record %d/%d: %v", r.Partition, r.Offset, err)
		}
		if got.Schema.Subject != AvroOrdersSubject || got.Schema.Type != schema.Avro {
			t.Fatalf("record %d/%d written with %+v, want %s AVRO", r.Partition, r.Offset, got.Schema, AvroOrdersSubject)
		}
		versions[got.Schema.Version]++
		var ev map[string]any
		if err := json.Unmarshal(got.JSON, &ev); err != nil || ev["order_id"] != string(r.Key) {
			t.Fatalf("decoded %s: %v, want order %s", got.JSON, err, r.Key)
		}
		if _, ok := ev["channel"]; ok != (got.Schema.Version == 2) {
			t.Fatalf("version %d record %s: channel present=%v", got.Schema.Version, got.JSON, ok)
		}
	}
	if versions[1] == 0 || versions[2] == 0 || len(versions) != 2 {
		t.Errorf("schema versions seen %v, want 1 and 2 side by side", versions)
	}
}
