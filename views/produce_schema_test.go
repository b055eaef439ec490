package views

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"

	"kflow/internal/registrytest"
	"kflow/kafka"
	"kflow/kafka/demo"
	"kflow/kafka/schema"
)

const formAvsc = `{"type":"record","name":"Order","namespace":"kflow.test","fields":[
	{"name":"id","type":"string"},
	{"name":"customer","type":{"type":"record","name":"Customer","fields":[{"name":"id","type":"string"},{"name":"vip","type":"boolean"}]}},
	{"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID"]}},
	{"name":"note","type":["null","string"],"default":null}]}`

// registerAt registers avsc under subject at the registry url and returns
// a kflow client of it.
func registerAt(t *testing.T, url, subject, avsc string) (*schema.Registry, sr.SubjectSchema) {
	t.Helper()
	cl, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ss, err := cl.CreateSchema(ctx, subject, sr.Schema{Schema: avsc, Type: sr.TypeAvro})
	if err != nil {
		t.Fatalf("register %s at %s: %v", subject, url, err)
	}
	reg, err := schema.New(schema.Config{URL: url, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return reg, ss
}

// startDemoRegistry is the in-process registry, fresh: ids from 1.
func startDemoRegistry(t *testing.T) string {
	t.Helper()
	r := demo.NewRegistry()
	url, err := r.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return url
}

// pickSchema opens the schema picker of the field named label ("value"
// or "key"), filters by subject and takes its latest version.
func (h *produceHarness) pickSchema(label, subject string) {
	h.t.Helper()
	h.focusOn(label)
	h.keys("ctrl+o")
	h.mustShow("Encode the "+label+" with", noEncoding)
	h.keys(subject)
	h.mustShow(subject)
	h.keys("enter")
	h.mustShow("Version of "+subject, "latest (version 1)")
	h.keys("enter")
}

// TestProduceFormEncodesThroughRealRegistry: against the real registry,
// choosing a subject in the form fills the value with the schema's
// skeleton and says the schema; a value that does not match shows the
// field's path under the editor and is not sent; a matching one is sent
// in the wire format with the subject's id, which hamba/avro and kflow's
// decoder read back as the value typed. A value typed before choosing is
// kept, and placeholders expand before encoding.
func TestProduceFormEncodesThroughRealRegistry(t *testing.T) {
	url := registrytest.URL(t)
	subject := registrytest.Subject(t, "value")
	reg, ss := registerAt(t, url, subject, formAvsc)
	h := newProduceHarness(t, "orders", ProduceOptions{}, func(c *Common) { c.Registry = reg })
	h.mustShow("Encoding", "none", "ctrl+o: a schema from the registry")

	h.pickSchema("value", subject)
	var sk map[string]any
	if err := json.Unmarshal([]byte(h.v.Value()), &sk); err != nil {
		t.Fatalf("the value is not the schema's skeleton: %q: %v", h.v.Value(), err)
	}
	cust, _ := sk["customer"].(map[string]any)
	if _, ok := sk["id"]; !ok || cust == nil || sk["status"] != "NEW" {
		t.Fatalf("skeleton %v: want id, the nested customer and the enum's first symbol", sk)
	}
	h.mustShow(subject+" v1 (latest)", "AVRO · id", "AVRO value, checked against kflow-")
	if e := h.v.FieldError("value"); e != "" {
		t.Fatalf("the skeleton itself is in error: %q", e)
	}

	h.set("value", `{"id":"o-1","customer":{"id":7,"vip":true},"status":"PAID","note":null}`)
	if e := h.v.FieldError("value"); !strings.Contains(e, "/customer/id: expected string") {
		t.Fatalf("value error %q, want the path /customer/id", e)
	}
	h.mustShow("/customer/id: expected string, got number")
	h.keys("ctrl+s")
	if n := len(h.fake.records()); n != 0 {
		t.Fatalf("sent %d records with a value the schema refuses", n)
	}

	h.set("value", `{"id":"o-{{seq}}","customer":{"id":"c-1","vip":true},"status":"PAID","note":"fragile"}`)
	if e := h.v.FieldError("value"); e != "" {
		t.Fatalf("a matching value in error: %q", e)
	}
	h.keys("ctrl+s")
	recs := h.fake.records()
	if len(recs) != 1 {
		t.Fatalf("sent %d records, want 1", len(recs))
	}
	var hd sr.ConfluentHeader
	id, body, err := hd.DecodeID(recs[0].Value)
	if err != nil || id != ss.ID {
		t.Fatalf("sent %x: id %d (%v), want the wire format with id %d", recs[0].Value, id, err, ss.ID)
	}
	var got struct {
		ID       string `avro:"id"`
		Customer struct {
			ID string `avro:"id"`
		} `avro:"customer"`
		Status string  `avro:"status"`
		Note   *string `avro:"note"`
	}
	if err := avro.Unmarshal(avro.MustParse(formAvsc), body, &got); err != nil || got.ID != "o-1" || got.Customer.ID != "c-1" || got.Status != "PAID" || got.Note == nil || *got.Note != "fragile" {
		t.Fatalf("hamba/avro read %+v (%v)", got, err)
	}
	d, err := schema.NewDecoder(reg, schema.DecoderOptions{}).Decode(context.Background(), recs[0].Value)
	if err != nil || !strings.Contains(string(d.JSON), `"id":"o-1"`) || d.Schema.ID != ss.ID {
		t.Fatalf("kflow decoded %s (%+v, %v)", d.JSON, d.Schema, err)
	}

	// A value typed before choosing is never replaced.
	h2 := newProduceHarness(t, "orders", ProduceOptions{}, func(c *Common) { c.Registry = reg })
	h2.set("value", `{"mine":true}`)
	h2.pickSchema("value", subject)
	if h2.v.Value() != `{"mine":true}` {
		t.Fatalf("choosing a schema replaced the typed value with %q", h2.v.Value())
	}
	if e := h2.v.FieldError("value"); !strings.Contains(e, subject) {
		t.Fatalf("the kept value is not checked against the schema: %q", e)
	}
	// Choosing none sends the value as typed again.
	h2.keys("ctrl+o", "enter")
	if h2.v.encs[encValue].enc != nil || h2.v.FieldError("value") != "" {
		t.Fatalf("none kept the schema (%v) or its error %q", h2.v.encs[encValue].enc, h2.v.FieldError("value"))
	}
}

// TestProduceFormSchemaNeedsRegistry: without a registry the form has no
// encoding row and ctrl+o says how to connect one.
func TestProduceFormSchemaNeedsRegistry(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	if strings.Contains(h.screen(), "Encoding") {
		t.Fatal("an encoding row without a registry")
	}
	h.keys("ctrl+o")
	if h.v.spick != nil || len(h.notices) == 0 || !strings.Contains(h.notices[len(h.notices)-1].Text, "--registry URL") {
		t.Fatalf("ctrl+o without a registry: picker %v, notices %+v", h.v.spick, h.notices)
	}
}

// TestProduceFormSchemaRun: a repeat run encodes every expansion through
// the in-process registry.
func TestProduceFormSchemaRun(t *testing.T) {
	url := startDemoRegistry(t)
	reg, ss := registerAt(t, url, "orders-value", formAvsc)
	h := newProduceHarness(t, "orders", ProduceOptions{}, func(c *Common) { c.Registry = reg })
	h.pickSchema("value", "orders-value")
	h.set("value", `{"id":"o-{{seq}}","customer":{"id":"c","vip":false},"status":"NEW","note":null}`)
	h.set("count", "3")
	h.keys("ctrl+s")
	recs := h.fake.records()
	if len(recs) != 3 {
		t.Fatalf("sent %d records, want 3", len(recs))
	}
	dec := schema.NewDecoder(reg, schema.DecoderOptions{})
	for i, r := range recs {
		d, err := dec.Decode(context.Background(), r.Value)
		want := `"id":"o-` + string(rune('1'+i)) + `"`
		if err != nil || d.Schema.ID != ss.ID || !strings.Contains(string(d.JSON), want) {
			t.Errorf("record %d: %s (%v), want %s", i, d.JSON, err, want)
		}
	}
}

// TestProduceFormKeySchema: ctrl+o on the key field chooses the key's
// schema: the key gets its skeleton, a key that does not match is refused
// at its path, and a matching one is sent encoded beside the encoded value.
func TestProduceFormKeySchema(t *testing.T) {
	url := startDemoRegistry(t)
	reg, vss := registerAt(t, url, "orders-value", formAvsc)
	_, kss := registerAt(t, url, "orders-key", `{"type":"record","name":"Key","fields":[{"name":"order","type":"string"}]}`)
	h := newProduceHarness(t, "orders", ProduceOptions{}, func(c *Common) { c.Registry = reg })
	h.focusOn("key")
	h.mustShow("ctrl+o: a key schema")
	h.pickSchema("key", "orders-key")
	if got := h.v.key.Value(); got != `{"order":""}` {
		t.Fatalf("key %q, want the key schema's skeleton", got)
	}
	h.mustShow("Key schema", "orders-key v1 (latest)")
	h.pickSchema("value", "orders-value")
	h.set("key", `{"order":1}`)
	if e := h.v.FieldError("key"); !strings.Contains(e, "/order: expected string") {
		t.Fatalf("key error %q", e)
	}
	h.keys("ctrl+s")
	if len(h.fake.records()) != 0 {
		t.Fatal("sent a key the schema refuses")
	}
	h.set("key", `{"order":"o-{{seq}}"}`)
	h.set("value", `{"id":"o-1","customer":{"id":"c","vip":false},"status":"NEW","note":null}`)
	h.keys("ctrl+s")
	recs := h.fake.records()
	if len(recs) != 1 {
		t.Fatalf("sent %d, want 1 (errors: key %q value %q)", len(recs), h.v.FieldError("key"), h.v.FieldError("value"))
	}
	dec := schema.NewDecoder(reg, schema.DecoderOptions{})
	k, err := dec.Decode(context.Background(), recs[0].Key)
	if err != nil || k.Schema.ID != kss.ID || string(k.JSON) != `{"order":"o-1"}` {
		t.Fatalf("key decoded %s (%+v, %v)", k.JSON, k.Schema, err)
	}
	if v, err := dec.Decode(context.Background(), recs[0].Value); err != nil || v.Schema.ID != vss.ID {
		t.Fatalf("value decoded %s (%+v, %v)", v.JSON, v.Schema, err)
	}
}

// TestProduceFormTypedRecordOnRealBroker: the form on a real broker and
// the real registry sends a value encoded with the chosen schema, which a
// plain franz-go consumer reads back as the wire format that kflow's
// decoder and hamba/avro read as the value typed.
func TestProduceFormTypedRecordOnRealBroker(t *testing.T) {
	brokers := os.Getenv("KFLOW_TEST_BROKERS")
	if brokers == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but KFLOW_TEST_BROKERS is not set")
		}
		t.Skip("KFLOW_TEST_BROKERS not set: scripts/test.sh starts a real Kafka for this test")
	}
	url := registrytest.URL(t)
	subject := registrytest.Subject(t, "value")
	reg, ss := registerAt(t, url, subject, formAvsc)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: []string{brokers}})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	topic := "kflow-views-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := cl.CreateTopic(ctx, kafka.TopicSpec{Name: topic, Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}

	h := newProduceHarness(t, topic, ProduceOptions{}, func(c *Common) { c.Registry = reg })
	h.v = NewProduce(h.v.c, cl, topic, ProduceOptions{HistoryPath: "-"})
	h.v.SetSize(100, 40)
	h.do(h.v.Init())
	h.pickSchema("value", subject)
	h.set("value", `{"id":"o-9","customer":{"id":"c-9","vip":true},"status":"PAID","note":"by the form"}`)
	h.keys("ctrl+s")
	h.mustShow("✓ " + topic + " · partition 0 · offset 0")

	kc, err := kgo.NewClient(kgo.SeedBrokers(brokers), kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: {0: kgo.NewOffset().At(0)}}))
	if err != nil {
		t.Fatal(err)
	}
	defer kc.Close()
	var got []byte
	for got == nil && ctx.Err() == nil {
		kc.PollFetches(ctx).EachRecord(func(r *kgo.Record) { got = r.Value })
	}
	d, err := schema.NewDecoder(reg, schema.DecoderOptions{}).Decode(ctx, got)
	if err != nil || d.Schema.ID != ss.ID || string(d.JSON) != `{"id":"o-9","customer":{"id":"c-9","vip":true},"status":"PAID","note":"by the form"}` {
		t.Fatalf("read back %x: decoded %s (%+v, %v)", got, d.JSON, d.Schema, err)
	}
	var v struct {
		Note *string `avro:"note"`
	}
	var hd sr.ConfluentHeader
	_, body, _ := hd.DecodeID(got)
	if err := avro.Unmarshal(avro.MustParse(formAvsc), body, &v); err != nil || v.Note == nil || *v.Note != "by the form" {
		t.Fatalf("hamba/avro read %+v (%v)", v, err)
	}
}

// TestProduceFormProtobufAndJSONSchema: a Protobuf subject's skeleton is
// protojson of its first message and a value of the wrong type is refused
// naming the field; a JSON Schema subject's is refused at its path.
func TestProduceFormProtobufAndJSONSchema(t *testing.T) {
	url := startDemoRegistry(t)
	cl, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := cl.CreateSchema(ctx, "ship-value", sr.Schema{Type: sr.TypeProtobuf, Schema: `syntax = "proto3";
package kflow.test;
message Shipment { string id = 1; int64 weight = 2; Address to = 3; message Address { string city = 1; } }`}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.CreateSchema(ctx, "sku-value", sr.Schema{Type: sr.TypeJSON, Schema: `{"type":"object","required":["sku"],
		"properties":{"sku":{"type":"string"},"qty":{"type":"integer","minimum":1}}}`}); err != nil {
		t.Fatal(err)
	}
	reg, err := schema.New(schema.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	h := newProduceHarness(t, "orders", ProduceOptions{}, func(c *Common) { c.Registry = reg })
	h.pickSchema("value", "ship-value")
	var sk map[string]any
	if err := json.Unmarshal([]byte(h.v.Value()), &sk); err != nil || sk["to"] == nil {
		t.Fatalf("protobuf skeleton %q (%v): want protojson with the nested to", h.v.Value(), err)
	}
	h.mustShow("PROTOBUF · id")
	if e := h.v.FieldError("value"); e != "" {
		t.Fatalf("the skeleton is in error: %q", e)
	}
	h.set("value", `{"id":"s","weight":"heavy"}`)
	if e := h.v.FieldError("value"); !strings.Contains(e, "weight") {
		t.Fatalf("protobuf error %q does not name the field", e)
	}
	h.set("value", `{"id":"s-1","weight":"5","to":{"city":"Oslo"}}`)
	h.keys("ctrl+s")
	recs := h.fake.records()
	if len(recs) != 1 {
		t.Fatalf("sent %d, want 1 (value error %q)", len(recs), h.v.FieldError("value"))
	}
	d, err := schema.NewDecoder(reg, schema.DecoderOptions{}).Decode(ctx, recs[0].Value)
	if err != nil || !jsonEqualText(t, d.JSON, `{"id":"s-1","weight":"5","to":{"city":"Oslo"}}`) {
		t.Fatalf("decoded %s (%v)", d.JSON, err)
	}

	h.pickSchema("value", "sku-value")
	h.set("value", `{"sku":"A","qty":0}`)
	if e := h.v.FieldError("value"); !strings.Contains(e, "/qty:") {
		t.Fatalf("json schema error %q, want the path /qty", e)
	}
}

// jsonEqualText reports whether the JSON a equals the JSON b.
func jsonEqualText(t *testing.T, a []byte, b string) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}
