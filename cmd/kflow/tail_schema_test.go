package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"

	"kflow/internal/registrytest"
	"kflow/kafka"
)

// TestTailDecodesThroughTheRegistry: records whose values an independent
// encoder (hamba/avro with franz-go's Confluent header, not kflow's
// encoder) wrote in the wire format, against a real registry, come out of
// `kflow tail --json` as their JSON values with value_schema naming the
// schema; a plain JSON value is untouched; a wire-format value whose id the
// registry does not know is printed as its bytes with the reason, and said
// once on stderr, never dropped. Plain output prints the decoded JSON;
// --raw prints the bytes. Escape sequences inside decoded strings stay
// inert in the JSON.
func TestTailDecodesThroughTheRegistry(t *testing.T) {
	isolateConfig(t)
	brokers := realBrokers(t)
	url := registrytest.URL(t)
	subject := registrytest.Subject(t, "value")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	const avsc = `{"type":"record","name":"Order","namespace":"kflow.test","fields":[
		{"name":"id","type":"string"},
		{"name":"qty","type":"int"},
		{"name":"note","type":["null","string"],"default":null}]}`
	rc, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	ss, err := rc.CreateSchema(ctx, subject, sr.Schema{Schema: avsc, Type: sr.TypeAvro})
	if err != nil {
		t.Fatalf("register %s at %s: %v", subject, url, err)
	}
	sch := avro.MustParse(avsc)
	body, err := avro.Marshal(sch, map[string]any{"id": "o-1", "qty": 3, "note": map[string]any{"string": "red\x1b[31m\u202e"}})
	if err != nil {
		t.Fatal(err)
	}
	var h sr.ConfluentHeader
	wire, err := h.AppendEncode(nil, ss.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	wire = append(wire, body...)
	unknown, _ := h.AppendEncode(nil, 987654321, nil)
	unknown = append(unknown, body...)

	topic := uniqueName(t)
	if r := kflow(t, "", nil, "topic", "create", "-b", brokers, topic, "-p", "1"); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: []string{brokers}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, v := range [][]byte{wire, []byte(`{"plain":true}`), unknown} {
		if _, err := c.Produce(ctx, kafka.Record{Topic: topic, Partition: 0, Value: v}); err != nil {
			t.Fatal(err)
		}
	}

	tail := func(extra ...string) (stdout, stderr string) {
		t.Helper()
		var out, errb bytes.Buffer
		e := env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: os.Getenv}
		args := append([]string{"tail", "-b", brokers, "--registry", url, "-t", topic, "--from", "beginning", "--exit"}, extra...)
		if code := run(ctx, args, e); code != 0 {
			t.Fatalf("kflow %v: exit %d: %s", args, code, errb.String())
		}
		return out.String(), errb.String()
	}

	out, errs := tail("--json")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("tail --json printed %d lines, want 3:\n%s", len(lines), out)
	}
	var first struct {
		Value       map[string]any `json:"value"`
		ValueSchema struct {
			ID      int    `json:"id"`
			Subject string `json:"subject"`
			Version int    `json:"version"`
			Type    string `json:"type"`
		} `json:"value_schema"`
		ValueSize int `json:"value_size"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatalf("decoded line %s: %v", lines[0], err)
	}
	if first.Value["id"] != "o-1" || first.Value["qty"] != float64(3) || first.Value["note"] != "red\x1b[31m\u202e" {
		t.Errorf("decoded value %v, want id o-1, qty 3, note with its escape bytes", first.Value)
	}
	if first.ValueSchema.ID != ss.ID || first.ValueSchema.Type != "AVRO" || first.ValueSize != len(wire) {
		t.Errorf("value_schema %+v, value_size %d: want id %d, AVRO, %d bytes", first.ValueSchema, first.ValueSize, ss.ID, len(wire))
	}
	if strings.ContainsAny(lines[0], "\x1b\u202e") {
		t.Errorf("decoded JSON line carries a raw escape or bidi override: %q", lines[0])
	}
	if !strings.Contains(lines[0], `\u001b[31m\u202e`) {
		t.Errorf("decoded JSON line %s does not escape the note's controls", lines[0])
	}
	var plain kafka.JSONRecord
	if err := json.Unmarshal([]byte(lines[1]), &plain); err != nil || plain.Value == nil || *plain.Value != `{"plain":true}` {
		t.Errorf("plain JSON record changed: %s (%v)", lines[1], err)
	}
	var third struct {
		kafka.JSONRecord
		Err string `json:"value_schema_error"`
	}
	err = json.Unmarshal([]byte(lines[2]), &third)
	back, rerr := third.Record()
	if err != nil || rerr != nil || !bytes.Equal(back.Value, unknown) || third.Err == "" {
		t.Errorf("unknown id: %s (%v), want the bytes as they are and value_schema_error", lines[2], err)
	}
	if !strings.Contains(third.Err, "987654321") {
		t.Errorf("value_schema_error %q does not name the id", third.Err)
	}
	if n := strings.Count(errs, "not decoded"); n != 1 {
		t.Errorf("stderr said %d times that a value was not decoded, want once:\n%s", n, errs)
	}

	out, _ = tail()
	plainLines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var v map[string]any
	if len(plainLines) != 3 || json.Unmarshal([]byte(plainLines[0]), &v) != nil || v["id"] != "o-1" {
		t.Errorf("plain tail printed %q first, want the decoded JSON", plainLines[0])
	}

	out, _ = tail("--json", "--raw")
	var raw kafka.JSONRecord
	first0, _, _ := strings.Cut(out, "\n")
	if err := json.Unmarshal([]byte(first0), &raw); err != nil || raw.Value == nil || *raw.Value != string(wire) || strings.Contains(first0, "value_schema") {
		t.Errorf("--raw printed %s, want the wire bytes and no value_schema", first0)
	}
}

// TestDemoTailDecodesAvro: --demo brings its schema registry along, so the
// demo's Avro order events come out of kflow tail decoded, in both schema
// versions, with no flag but --demo; kflow schema reads the same registry.
func TestDemoTailDecodesAvro(t *testing.T) {
	isolateConfig(t)
	r := kflow(t, "", nil, "tail", "--demo", "-t", "order_events.avro", "--from", "beginning", "--exit", "-c", "6", "--json")
	if r.code != 0 {
		t.Fatalf("tail --demo: %+v", r)
	}
	versions := map[int]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		var rec struct {
			Key         string         `json:"key"`
			Value       map[string]any `json:"value"`
			ValueSchema struct {
				Subject string `json:"subject"`
				Version int    `json:"version"`
				Type    string `json:"type"`
			} `json:"value_schema"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Value["order_id"] != rec.Key || rec.ValueSchema.Type != "AVRO" ||
			rec.ValueSchema.Subject != "order_events.avro-value" {
			t.Fatalf("line %s: %+v, %v: want a decoded Avro order event", line, rec, err)
		}
		versions[rec.ValueSchema.Version] = true
	}
	if !versions[1] || !versions[2] {
		t.Errorf("versions %v in the first 6 records, want 1 and 2 side by side", versions)
	}
	r = kflow(t, "", nil, "schema", "subjects", "--demo")
	if r.code != 0 || !strings.Contains(r.stdout, "order_events.avro-value") {
		t.Errorf("schema subjects --demo: %+v", r)
	}
}
