package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bufbuild/protocompile"
	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"kflow/internal/registrytest"
	"kflow/kafka"
	"kflow/kafka/demo"
)

// schemaTopic is a fresh one-partition topic on the test broker, with the
// environment that points kflow at the broker and the test registry.
func schemaTopic(t *testing.T) (topic string, environ map[string]string, reg *sr.Client) {
	t.Helper()
	isolateConfig(t)
	brokers := realBrokers(t)
	url := registrytest.URL(t)
	environ = map[string]string{"KFLOW_BROKERS": brokers, "KFLOW_REGISTRY": url}
	topic = uniqueName(t)
	if r := kflow(t, "", environ, "topic", "create", topic, "-p", "1"); r.code != 0 {
		t.Fatalf("create %s: %+v", topic, r)
	}
	reg, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	return topic, environ, reg
}

// registerSchema registers s under subject on the test registry.
func registerSchema(t *testing.T, cl *sr.Client, subject string, s sr.Schema) sr.SubjectSchema {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ss, err := cl.CreateSchema(ctx, subject, s)
	if err != nil {
		t.Fatalf("register %s: %v", subject, err)
	}
	return ss
}

// rawRecords reads the topic's records back as bytes (kflow tail --raw,
// which decodes nothing).
func rawRecords(t *testing.T, environ map[string]string, topic string) []kafka.Record {
	t.Helper()
	r := kflow(t, "", environ, "tail", "-t", topic, "--from", "beginning", "--exit", "--json", "--raw")
	if r.code != 0 {
		t.Fatalf("tail --raw: %+v", r)
	}
	var out []kafka.Record
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if line == "" {
			continue
		}
		var j kafka.JSONRecord
		if err := json.Unmarshal([]byte(line), &j); err != nil {
			t.Fatalf("tail --raw line %s: %v", line, err)
		}
		rec, err := j.Record()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
	return out
}

// endOffset is the end offset of the topic's partition 0.
func endOffset(t *testing.T, environ map[string]string, topic string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: []string{environ["KFLOW_BROKERS"]}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ends, err := c.EndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	return ends[topic][0]
}

// wireBody checks b is in the wire format with id and returns the body.
func wireBody(t *testing.T, b []byte, id int) []byte {
	t.Helper()
	var h sr.ConfluentHeader
	got, body, err := h.DecodeID(b)
	if err != nil || got != id {
		t.Fatalf("wire header of %x: id %d, %v; want id %d", b, got, err, id)
	}
	return body
}

const produceAvsc = `{"type":"record","name":"Order","namespace":"kflow.test","fields":[
	{"name":"id","type":"string"},
	{"name":"customer","type":{"type":"record","name":"Customer","fields":[{"name":"id","type":"string"},{"name":"vip","type":"boolean"}]}},
	{"name":"placed","type":{"type":"long","logicalType":"timestamp-millis"}},
	{"name":"note","type":["null","string"],"default":null}]}`

// TestProduceValueSchemaAvro: a JSON value given to --value-schema goes out
// in the wire format with the subject's id, its body what hamba/avro reads
// back as the value given (a union branch and a timestamp-millis among
// them); kflow tail --json reads it back as the same JSON with
// value_schema. A value that does not match is refused naming its path,
// exit 2, and nothing is sent.
func TestProduceValueSchemaAvro(t *testing.T) {
	topic, environ, cl := schemaTopic(t)
	subject := registrytest.Subject(t, "value")
	ss := registerSchema(t, cl, subject, sr.Schema{Schema: produceAvsc, Type: sr.TypeAvro})

	value := `{"id":"o-1","customer":{"id":"c-9","vip":true},"placed":"2026-01-02T03:04:05.678Z","note":"fragile"}`
	if r := kflow(t, "", environ, "produce", "-t", topic, "--value-schema", subject, value); r.code != 0 {
		t.Fatalf("produce: %+v", r)
	}
	// Bad values: the path of the field, exit 2, nothing sent.
	for _, bad := range []struct{ value, want string }{
		{`{"id":"o-2","customer":{"id":5,"vip":true},"placed":0,"note":null}`, "value: /customer/id: expected string"},
		{`{"id":"o-2","customer":{"id":"c","vip":"yes"},"placed":0,"note":null}`, "/customer/vip"},
	} {
		r := kflow(t, "", environ, "produce", "-t", topic, "--value-schema", subject+":latest", bad.value)
		if r.code != 2 || !strings.Contains(r.stderr, bad.want) {
			t.Errorf("produce %s: exit %d, stderr %q; want 2 and %q", bad.value, r.code, r.stderr, bad.want)
		}
	}
	if end := endOffset(t, environ, topic); end != 1 {
		t.Fatalf("end offset %d after refused values, want 1 (only the good one)", end)
	}

	recs := rawRecords(t, environ, topic)
	body := wireBody(t, recs[0].Value, ss.ID)
	var got struct {
		ID       string `avro:"id"`
		Customer struct {
			ID  string `avro:"id"`
			VIP bool   `avro:"vip"`
		} `avro:"customer"`
		Placed time.Time `avro:"placed"`
		Note   *string   `avro:"note"`
	}
	if err := avro.Unmarshal(avro.MustParse(produceAvsc), body, &got); err != nil {
		t.Fatalf("hamba/avro cannot read what kflow wrote (%x): %v", body, err)
	}
	want := time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)
	if got.ID != "o-1" || got.Customer.ID != "c-9" || !got.Customer.VIP || !got.Placed.Equal(want) || got.Note == nil || *got.Note != "fragile" {
		t.Errorf("hamba/avro read %+v", got)
	}

	r := kflow(t, "", environ, "tail", "-t", topic, "--from", "beginning", "--exit", "--json")
	var line struct {
		Value       json.RawMessage `json:"value"`
		ValueSchema struct {
			ID      int    `json:"id"`
			Subject string `json:"subject"`
			Type    string `json:"type"`
		} `json:"value_schema"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(r.stdout)), &line); err != nil {
		t.Fatalf("tail --json %q: %v", r.stdout, err)
	}
	if !jsonSame(t, line.Value, []byte(value)) || line.ValueSchema.ID != ss.ID || line.ValueSchema.Type != "AVRO" {
		t.Errorf("tail --json read back %s (schema %+v), want %s with id %d", line.Value, line.ValueSchema, value, ss.ID)
	}
}

// jsonSame reports whether a and b are the same JSON value.
func jsonSame(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

const produceProto = `syntax = "proto3";
package kflow.test;
message Shipment {
  string id = 1;
  int64 weight = 2;
  Address to = 3;
  message Address { string city = 1; }
}`

// TestProduceValueSchemaProtobufAndJSONSchema: protojson given to
// --value-schema of a Protobuf subject is sent as the wire format with
// message index 0 and a body dynamicpb reads as the value; a JSON Schema
// subject validates the value (a bad one refused with its path) and sends
// it as JSON behind the header. --count repeats the encoded value.
func TestProduceValueSchemaProtobufAndJSONSchema(t *testing.T) {
	topic, environ, cl := schemaTopic(t)
	psub := registrytest.Subject(t, "proto")
	pss := registerSchema(t, cl, psub, sr.Schema{Schema: produceProto, Type: sr.TypeProtobuf})
	jsub := registrytest.Subject(t, "json")
	jss := registerSchema(t, cl, jsub, sr.Schema{Type: sr.TypeJSON, Schema: `{"type":"object","required":["sku"],
		"properties":{"sku":{"type":"string"},"qty":{"type":"integer","minimum":1}}}`})

	if r := kflow(t, "", environ, "produce", "-t", topic, "--value-schema", psub, "--count", "2",
		`{"id":"s-1","weight":"1200","to":{"city":"Oslo"}}`); r.code != 0 {
		t.Fatalf("produce protobuf: %+v", r)
	}
	if r := kflow(t, "", environ, "produce", "-t", topic, "--value-schema", jsub+":1", `{"sku":"A-1","qty":3}`); r.code != 0 {
		t.Fatalf("produce json schema: %+v", r)
	}
	r := kflow(t, "", environ, "produce", "-t", topic, "--value-schema", jsub, `{"sku":"A-1","qty":0}`)
	if r.code != 2 || !strings.Contains(r.stderr, "value: /qty:") {
		t.Errorf("json schema bad value: exit %d, stderr %q; want 2 naming /qty", r.code, r.stderr)
	}

	recs := rawRecords(t, environ, topic)
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
	comp := protocompile.Compiler{Resolver: &protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(map[string]string{"s.proto": produceProto})}}
	files, err := comp.Compile(context.Background(), "s.proto")
	if err != nil {
		t.Fatal(err)
	}
	md := files[0].Messages().ByName("Shipment")
	for _, rec := range recs[:2] {
		body := wireBody(t, rec.Value, pss.ID)
		idx, n := protowire.ConsumeVarint(body)
		if n != 1 || idx != 0 {
			t.Fatalf("message indexes %x: want the single 0 of the first message", body[:n])
		}
		m := dynamicpb.NewMessage(md)
		if err := proto.Unmarshal(body[n:], m); err != nil {
			t.Fatal(err)
		}
		to := m.Get(md.Fields().ByName("to")).Message()
		if m.Get(md.Fields().ByName("id")).String() != "s-1" || m.Get(md.Fields().ByName("weight")).Int() != 1200 ||
			to.Get(to.Descriptor().Fields().ByName("city")).String() != "Oslo" {
			t.Errorf("dynamicpb read %v", m)
		}
	}
	if body := wireBody(t, recs[2].Value, jss.ID); string(body) != `{"sku":"A-1","qty":3}` {
		t.Errorf("json schema body %q", body)
	}

	r = kflow(t, "", environ, "tail", "-t", topic, "--from", "beginning", "--exit", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"type":"PROTOBUF"`) || !strings.Contains(lines[0], `"city":"Oslo"`) ||
		!strings.Contains(lines[2], `"value":{"sku":"A-1","qty":3}`) || !strings.Contains(lines[2], `"type":"JSON"`) {
		t.Errorf("tail --json:\n%s", r.stdout)
	}
}

// TestProduceSchemaLinesAndTemplates: stdin lines are each encoded; a file
// with a bad line is refused whole naming its line and field, nothing
// sent; a pipe stops at the bad line saying how many went; a key schema
// encodes -k; --template expands first and encodes the expansion.
func TestProduceSchemaLinesAndTemplates(t *testing.T) {
	topic, environ, cl := schemaTopic(t)
	vsub := registrytest.Subject(t, "value")
	vss := registerSchema(t, cl, vsub, sr.Schema{Schema: produceAvsc, Type: sr.TypeAvro})
	ksub := registrytest.Subject(t, "key")
	kss := registerSchema(t, cl, ksub, sr.Schema{Schema: `{"type":"record","name":"K","fields":[{"name":"id","type":"string"}]}`, Type: sr.TypeAvro})

	good := `{"id":"o-%d","customer":{"id":"c","vip":false},"placed":0,"note":null}`
	line := func(i int) string { return strings.Replace(good, "%d", string(rune('0'+i)), 1) }
	bad := `{"id":"o-x","customer":{"id":"c","vip":false},"placed":0,"note":7}`

	dir := t.TempDir()
	file := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(file, []byte(line(1)+"\n"+bad+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	r := kflowIn(t, f, environ, "produce", "-t", topic, "--value-schema", vsub)
	if r.code != 1 || !strings.Contains(r.stderr, "stdin line 2: value: /note") || !strings.Contains(r.stderr, "nothing was sent") {
		t.Errorf("file with a bad line: exit %d, stderr %q", r.code, r.stderr)
	}
	if end := endOffset(t, environ, topic); end != 0 {
		t.Fatalf("end offset %d after a refused file, want 0", end)
	}
	r = kflowIn(t, pipeReader{strings.NewReader(line(1) + "\n" + line(2) + "\n" + bad + "\n" + line(3) + "\n")}, environ,
		"produce", "-t", topic, "--value-schema", vsub)
	if r.code != 1 || !strings.Contains(r.stderr, "stdin line 3: value: /note") || !strings.Contains(r.stderr, "2 records were sent before it") {
		t.Errorf("pipe with a bad line: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := kflow(t, "", environ, "produce", "-t", topic, "--key-schema", ksub, "-k", `{"id":"k-1"}`, "--value-schema", vsub, line(4)); r.code != 0 {
		t.Fatalf("produce with a key schema: %+v", r)
	}
	r = kflow(t, "", environ, "produce", "-t", topic, "--key-schema", ksub, "-k", `{"id":1}`, "--value-schema", vsub, line(5))
	if r.code != 2 || !strings.Contains(r.stderr, "key: /id: expected string") {
		t.Errorf("bad key: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := kflow(t, "", environ, "produce", "-t", topic, "--value-schema", vsub,
		`{"id":"o-{{seq}}","customer":{"id":"c","vip":false},"placed":0,"note":"n{{seq}}"}`, "--count", "2"); r.code != 0 {
		t.Fatalf("produce with placeholders: %+v", r)
	}

	recs := rawRecords(t, environ, topic)
	if len(recs) != 5 {
		t.Fatalf("%d records, want 5 (2 piped, 1 keyed, 2 templated)", len(recs))
	}
	sch := avro.MustParse(produceAvsc)
	for i, want := range []string{"o-1", "o-2", "o-4", "o-1", "o-2"} {
		var v struct {
			ID   string  `avro:"id"`
			Note *string `avro:"note"`
		}
		if err := avro.Unmarshal(sch, wireBody(t, recs[i].Value, vss.ID), &v); err != nil || v.ID != want {
			t.Errorf("record %d: %+v, %v; want id %s", i, v, err, want)
		}
		if i >= 3 && (v.Note == nil || *v.Note != "n"+want[2:]) {
			t.Errorf("record %d: note %v, want the expanded placeholder", i, v.Note)
		}
	}
	var k struct {
		ID string `avro:"id"`
	}
	kschema := avro.MustParse(`{"type":"record","name":"K","fields":[{"name":"id","type":"string"}]}`)
	if err := avro.Unmarshal(kschema, wireBody(t, recs[2].Key, kss.ID), &k); err != nil || k.ID != "k-1" {
		t.Errorf("key: %+v, %v", k, err)
	}
}

// TestProduceSchemaRoundTripJSONL: kflow tail --json of typed records
// (written by independent encoders behind franz-go's header: dynamicpb for
// Protobuf, plain JSON for JSON Schema, hamba/avro for Avro) replayed through produce --from-jsonl writes the same bytes:
// keys and values decoded through the registry are encoded again with
// their schema, plain records pass as they were.
func TestProduceSchemaRoundTripJSONL(t *testing.T) {
	src, environ, cl := schemaTopic(t)
	vsub := registrytest.Subject(t, "value")
	vss := registerSchema(t, cl, vsub, sr.Schema{Schema: produceAvsc, Type: sr.TypeAvro})
	ksub := registrytest.Subject(t, "key")
	kss := registerSchema(t, cl, ksub, sr.Schema{Schema: `"string"`, Type: sr.TypeAvro})
	sch := avro.MustParse(produceAvsc)
	var h sr.ConfluentHeader
	wire := func(id int, s avro.Schema, v any) []byte {
		body, err := avro.Marshal(s, v)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := h.AppendEncode(nil, id, nil)
		return append(b, body...)
	}
	psub := registrytest.Subject(t, "proto")
	pss := registerSchema(t, cl, psub, sr.Schema{Schema: produceProto, Type: sr.TypeProtobuf})
	jsub := registrytest.Subject(t, "json")
	jss := registerSchema(t, cl, jsub, sr.Schema{Type: sr.TypeJSON, Schema: `{"type":"object","properties":{"sku":{"type":"string"},"qty":{"type":"integer"}}}`})
	comp := protocompile.Compiler{Resolver: &protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(map[string]string{"s.proto": produceProto})}}
	files, err := comp.Compile(context.Background(), "s.proto")
	if err != nil {
		t.Fatal(err)
	}
	md := files[0].Messages().ByName("Shipment")
	pm := dynamicpb.NewMessage(md)
	pm.Set(md.Fields().ByName("id"), protoreflect.ValueOfString("s-7"))
	pm.Set(md.Fields().ByName("weight"), protoreflect.ValueOfInt64(-42))
	to := dynamicpb.NewMessage(md.Messages().ByName("Address"))
	to.Set(to.Descriptor().Fields().ByName("city"), protoreflect.ValueOfString("Lima"))
	pm.Set(md.Fields().ByName("to"), protoreflect.ValueOfMessage(to))
	pbody, err := proto.MarshalOptions{Deterministic: true}.Marshal(pm)
	if err != nil {
		t.Fatal(err)
	}
	pwire, _ := h.AppendEncode(nil, pss.ID, []int{0})
	jwire, _ := h.AppendEncode(nil, jss.ID, nil)
	note := "gift"
	vals := [][]byte{
		append(pwire, pbody...),
		append(jwire, `{"sku":"A-1","qty":2}`...),
		wire(vss.ID, sch, map[string]any{"id": "o-1", "customer": map[string]any{"id": "c", "vip": true}, "placed": time.UnixMilli(1700000000123), "note": &note}),
		wire(vss.ID, sch, map[string]any{"id": "o-2", "customer": map[string]any{"id": "d", "vip": false}, "placed": time.UnixMilli(0), "note": nil}),
		[]byte(`{"plain":true}`),
	}
	keys := [][]byte{nil, nil, wire(kss.ID, avro.MustParse(`"string"`), "k-1"), nil, []byte("text-key")}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: []string{environ["KFLOW_BROKERS"]}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range vals {
		if _, err := c.Produce(ctx, kafka.Record{Topic: src, Partition: 0, Key: keys[i], Value: vals[i]}); err != nil {
			t.Fatal(err)
		}
	}

	r := kflow(t, "", environ, "tail", "-t", src, "--from", "beginning", "--exit", "--json")
	if r.code != 0 || strings.Count(r.stdout, `"value_schema"`) != 4 || strings.Count(r.stdout, `"key_schema"`) != 1 {
		t.Fatalf("tail --json did not decode the typed records: %+v", r)
	}
	dst := uniqueName(t) + "-copy"
	if r := kflow(t, "", environ, "topic", "create", dst, "-p", "1"); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	if r := kflow(t, r.stdout, environ, "produce", "-t", dst, "--from-jsonl", "-"); r.code != 0 {
		t.Fatalf("produce --from-jsonl: %+v", r)
	}
	got := rawRecords(t, environ, dst)
	if len(got) != len(vals) {
		t.Fatalf("%d records replayed, want %d", len(got), len(vals))
	}
	for i := range vals {
		if !bytes.Equal(got[i].Value, vals[i]) || !bytes.Equal(got[i].Key, keys[i]) {
			t.Errorf("record %d: key %x value %x; want key %x value %x", i, got[i].Key, got[i].Value, keys[i], vals[i])
		}
	}

	// A saved line whose typed value no longer matches is refused at its line.
	badLine := `{"topic":"x","partition":0,"offset":0,"key":null,"value":{"id":5},"value_schema":{"id":` +
		itoa(vss.ID) + `,"subject":"` + vsub + `","version":1,"type":"AVRO"},"headers":[]}`
	r = kflow(t, badLine+"\n", environ, "produce", "-t", dst, "--from-jsonl", "-")
	if r.code != 1 || !strings.Contains(r.stderr, "line 1") || !strings.Contains(r.stderr, "value: /id: expected string") {
		t.Errorf("bad typed line: exit %d, stderr %q", r.code, r.stderr)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestProduceSchemaUsage: --value-schema without a registry names the
// three ways to set one; an unknown subject is named with the close
// ones; a bad version, or a --value-message that cannot apply, is a usage
// error. All exit 2 before sending.
func TestProduceSchemaUsage(t *testing.T) {
	topic, environ, cl := schemaTopic(t)
	subject := registrytest.Subject(t, "value")
	registerSchema(t, cl, subject, sr.Schema{Schema: `"string"`, Type: sr.TypeAvro})

	noReg := map[string]string{"KFLOW_BROKERS": environ["KFLOW_BROKERS"]}
	r := kflow(t, "", noReg, "produce", "-t", topic, "--value-schema", subject, `"x"`)
	if r.code != 2 || !strings.Contains(r.stderr, "--registry URL") || !strings.Contains(r.stderr, "KFLOW_REGISTRY") || !strings.Contains(r.stderr, "schema-registry") {
		t.Errorf("no registry: exit %d, stderr %q", r.code, r.stderr)
	}
	r = kflow(t, "", environ, "produce", "-t", topic, "--value-schema", subject+"x", `"x"`)
	if r.code != 2 || !strings.Contains(r.stderr, `no subject "`+subject+`x"`) || !strings.Contains(r.stderr, subject) {
		t.Errorf("unknown subject: exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "did you mean "+subject) {
		t.Errorf("unknown subject: %q does not offer %s", r.stderr, subject)
	}
	r = kflow(t, "", environ, "produce", "-t", topic, "--value-schema", subject+":0", `"x"`)
	if r.code != 2 || !strings.Contains(r.stderr, "a version is a number from 1") {
		t.Errorf("version 0: exit %d, stderr %q", r.code, r.stderr)
	}
	r = kflow(t, "", environ, "produce", "-t", topic, "--value-schema", subject+":9", `"x"`)
	if r.code != 2 || !strings.Contains(r.stderr, "has no version 9 (it has 1)") {
		t.Errorf("missing version: exit %d, stderr %q", r.code, r.stderr)
	}
	// --value-message names a Protobuf message: alone, on an Avro subject,
	// or beside a local file that names its own, it is a usage error.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--value-message", "Order"}, "give --value-schema SUBJECT too"},
		{[]string{"--value-schema", subject, "--value-message", "Order"}, "AVRO schemas have no messages"},
		{[]string{"--value-schema", "@../../testdata/schemas/order.proto", "--value-message", "Order"}, "@FILE.proto:MESSAGE"},
	} {
		r = kflow(t, "", environ, append([]string{"produce", "-t", topic}, append(c.args, `"x"`)...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, r.code, r.stderr, c.want)
		}
	}
	if end := endOffset(t, environ, topic); end != 0 {
		t.Errorf("end offset %d, want 0: nothing was to be sent", end)
	}
}

// TestProduceSchemaCompletion: --value-schema and --key-schema complete
// the registry's subject names.
func TestProduceSchemaCompletion(t *testing.T) {
	isolateConfig(t)
	url := demoRegistryURL(t)
	cl, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	registerSchema(t, cl, "orders-value", sr.Schema{Schema: `"string"`, Type: sr.TypeAvro})
	environ := map[string]string{"KFLOW_BROKERS": "127.0.0.1:1", "KFLOW_REGISTRY": url}
	for _, flag := range []string{"--value-schema", "--key-schema"} {
		if got := complete(t, environ, "produce", "-t", "x", flag, ""); !slices.Contains(got, "orders-value") {
			t.Errorf("produce %s completes %q, want orders-value", flag, got)
		}
	}
}

// TestProduceSchemaTemplate: --template order-placed expands first and
// each expansion is encoded with the subject's Avro schema; hamba/avro
// reads every record, its logical types included.
func TestProduceSchemaTemplate(t *testing.T) {
	topic, environ, cl := schemaTopic(t)
	subject := registrytest.Subject(t, "value")
	ss := registerSchema(t, cl, subject, sr.Schema{Schema: demo.OrderAvroSchema(1), Type: sr.TypeAvro})
	if r := kflow(t, "", environ, "produce", "-t", topic, "--template", "order-placed", "--count", "3", "--value-schema", subject); r.code != 0 {
		t.Fatalf("produce --template: %+v", r)
	}
	recs := rawRecords(t, environ, topic)
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
	sch := avro.MustParse(demo.OrderAvroSchema(1))
	seen := map[string]bool{}
	for i, rec := range recs {
		var v struct {
			EventID   string    `avro:"event_id"`
			EventType string    `avro:"event_type"`
			At        time.Time `avro:"occurred_at"`
			OrderID   string    `avro:"order_id"`
			Amount    *big.Rat  `avro:"amount"`
		}
		if err := avro.Unmarshal(sch, wireBody(t, rec.Value, ss.ID), &v); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if v.EventType != "OrderPlaced" || v.OrderID != string(rec.Key) || v.Amount == nil || v.Amount.Sign() <= 0 || v.At.IsZero() || seen[v.EventID] {
			t.Errorf("record %d (key %s): %+v", i, rec.Key, v)
		}
		seen[v.EventID] = true
	}
}
