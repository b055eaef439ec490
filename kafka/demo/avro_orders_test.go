package demo

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
)

// TestAvroOrdersEncodeBothVersions: the demo's Avro order events are in the
// wire format with the id of the version that wrote them, two in three in
// version 2, and decode with their own schema to the event they came from
// (an independent decode: hamba's, not kflow's decoder).
func TestAvroOrdersEncodeBothVersions(t *testing.T) {
	a := &avroOrders{v1: avro.MustParse(orderAvroV1), v2: avro.MustParse(orderAvroV2), id1: 11, id2: 12,
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
