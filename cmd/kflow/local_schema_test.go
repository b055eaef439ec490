package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hamba/avro/v2"
)

// testSchemas is the module's testdata/schemas.
const testSchemas = "../../testdata/schemas"

// localTopic is a fresh one-partition topic on the test broker, with an
// environment that names no registry: local schema files need none.
func localTopic(t *testing.T) (string, map[string]string) {
	t.Helper()
	isolateConfig(t)
	environ := map[string]string{"KFLOW_BROKERS": realBrokers(t)}
	topic := uniqueName(t)
	if r := kflow(t, "", environ, "topic", "create", topic, "-p", "1"); r.code != 0 {
		t.Fatalf("create %s: %+v", topic, r)
	}
	return topic, environ
}

func jsonEqual(t *testing.T, got []byte, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("not JSON: %s", got)
		return false
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(g, w)
}

// TestProduceLocalSchemaTailFormat: kflow produce --value-schema @FILE
// writes the schema's plain body (no wire header: an independent Avro
// decoder reads the bytes), and kflow tail --value-format avro:FILE reads
// it back as the same JSON value, plain and --json (naming the format); a
// value the schema refuses is refused with its field's path before
// anything is sent, and no registry is needed for any of it.
func TestProduceLocalSchemaTailFormat(t *testing.T) {
	topic, environ := localTopic(t)
	avsc := filepath.Join(testSchemas, "order.avsc")
	value := `{"id":"o-1","placed_at":"2025-12-01T00:00:00.123Z","customer":{"id":"c-9","email":"ada@example.com"},"amount":"12.34","status":"SHIPPED","note":7}`

	bad := kflow(t, "", environ, "produce", "-t", topic, "--value-schema", "@"+avsc, `{"id":"o-0","placed_at":"2025-12-01T00:00:00Z","customer":{"id":5},"amount":"1.00","status":"PLACED"}`)
	if bad.code == 0 || !strings.Contains(bad.stderr, "/customer/id") || !strings.Contains(bad.stderr, "order.avsc") {
		t.Fatalf("a bad value: %+v, want a refusal at /customer/id naming the schema file", bad)
	}
	if r := kflow(t, "", environ, "produce", "-t", topic, "-k", "k1", "--value-schema", "@"+avsc, value); r.code != 0 {
		t.Fatalf("produce: %+v", r)
	}

	recs := rawRecords(t, environ, topic)
	if len(recs) != 1 {
		t.Fatalf("the topic holds %d records, want only the good one (the bad one was not sent)", len(recs))
	}
	text, err := os.ReadFile(avsc)
	if err != nil {
		t.Fatal(err)
	}
	var decoded map[string]any
	if err := avro.Unmarshal(avro.MustParse(string(text)), recs[0].Value, &decoded); err != nil {
		t.Fatalf("hamba/avro does not read the produced bytes %x as a plain body: %v", recs[0].Value, err)
	}
	if decoded["id"] != "o-1" || decoded["status"] != "SHIPPED" {
		t.Errorf("hamba/avro read %v", decoded)
	}

	base := []string{"tail", "-t", topic, "--from", "beginning", "--exit", "--value-format", "avro:" + avsc}
	r := kflow(t, "", environ, base...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("tail: %+v", r)
	}
	if !jsonEqual(t, []byte(strings.TrimSuffix(r.stdout, "\n")), value) {
		t.Errorf("plain tail printed %q, want %s", r.stdout, value)
	}
	r = kflow(t, "", environ, append(base, "--json")...)
	if r.code != 0 {
		t.Fatalf("tail --json: %+v", r)
	}
	var line struct {
		Value       json.RawMessage `json:"value"`
		ValueFormat string          `json:"value_format"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &line); err != nil {
		t.Fatalf("tail --json line %q: %v", r.stdout, err)
	}
	if !jsonEqual(t, line.Value, value) || line.ValueFormat != "avro:"+avsc {
		t.Errorf("tail --json = %s, want the value and value_format %q", r.stdout, "avro:"+avsc)
	}
}

// TestProduceLocalProtoAndJSONSchema: @FILE.proto:MESSAGE and @FILE.json
// produce plain bodies that the protobuf: and json-schema: formats read
// back; the key goes through --key-schema likewise.
func TestProduceLocalProtoAndJSONSchema(t *testing.T) {
	topic, environ := localTopic(t)
	proto := filepath.Join(testSchemas, "order.proto")
	js := filepath.Join(testSchemas, "order.schema.json")
	value := `{"id":"o-2","placedAt":"2025-12-01T10:00:00Z","total":{"currency":"EUR","cents":"990"},"lines":[{"sku":"A","quantity":3}]}`
	key := `{"id":"o-2","customer":{"id":"c-1"},"amount":9.9}`
	if r := kflow(t, "", environ, "produce", "-t", topic, "--key-schema", "@"+js, "-k", key, "--value-schema", "@"+proto+":Order", value); r.code != 0 {
		t.Fatalf("produce: %+v", r)
	}
	r := kflow(t, "", environ, "tail", "-t", topic, "--from", "beginning", "--exit", "--json",
		"--value-format", "protobuf:"+proto+":kflow.demo.Order", "--key-format", "json-schema:"+js)
	if r.code != 0 {
		t.Fatalf("tail: %+v", r)
	}
	var line struct {
		Key, Value json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.stdout), &line); err != nil {
		t.Fatalf("tail --json line %q: %v", r.stdout, err)
	}
	if !jsonEqual(t, line.Value, value) || !jsonEqual(t, line.Key, key) {
		t.Errorf("tail --json = %s, want key %s and value %s", r.stdout, key, value)
	}
}

// TestLocalFormatUsageErrors: a schema file that is missing, does not
// compile or lacks the message is a usage error at start, naming the file.
func TestLocalFormatUsageErrors(t *testing.T) {
	isolateConfig(t)
	proto := filepath.Join(testSchemas, "order.proto")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"tail", "-b", "127.0.0.1:1", "-t", "x", "--value-format", "avro:nope.avsc"}, "--value-format: format avro:nope.avsc: schema file nope.avsc does not exist"},
		{[]string{"tail", "-b", "127.0.0.1:1", "-t", "x", "--key-format", "protobuf:" + proto + ":Nope"}, `no message "Nope"`},
		{[]string{"produce", "-b", "127.0.0.1:1", "-t", "x", "--value-schema", "@nope.proto", "{}"}, "--value-schema @nope.proto: schema file nope.proto does not exist"},
	} {
		r := kflow(t, "", nil, c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("kflow %s: code %d, stderr %q; want a usage error containing %q", strings.Join(c.args, " "), r.code, r.stderr, c.want)
		}
	}
}

// TestTailLocalFormatWireHint: a registry wire-format value read with a
// local schema format is shown as bytes with the hint to use the registry.
func TestTailLocalFormatWireHint(t *testing.T) {
	topic, environ := localTopic(t)
	if r := kflow(t, "", environ, "produce", "-t", topic, "--value-file", writeTemp(t, "\x00\x00\x00\x00\x07\x06o-1")); r.code != 0 {
		t.Fatalf("produce: %+v", r)
	}
	r := kflow(t, "", environ, "tail", "-t", topic, "--from", "beginning", "--exit", "--value-format", "avro:"+filepath.Join(testSchemas, "order.avsc"))
	if r.code != 0 || !strings.Contains(r.stderr, "looks like the registry's wire format: use the registry (--registry)") {
		t.Errorf("tail: %+v, want the wire-format hint on stderr", r)
	}
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "value")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTailContextLocalSchemaFormat: a context's formats: naming an .avsc
// by a path relative to the config file reads the topic's plain bodies,
// whatever the working directory; a schema that does not compile stops
// kflow at start with the config file's line.
func TestTailContextLocalSchemaFormat(t *testing.T) {
	topic, environ := localTopic(t)
	brokers := environ["KFLOW_BROKERS"]
	dir := t.TempDir()
	text, err := os.ReadFile(filepath.Join(testSchemas, "order.avsc"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "schemas"), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"schemas/order.avsc": string(text), "schemas/bad.avsc": "{\"type\":\n  record}"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	value := `{"id":"o-3","placed_at":"2025-12-01T00:00:00.000Z","customer":{"id":"c-1","email":null},"amount":"0.50","status":"PLACED","note":"gift"}`
	if r := kflow(t, "", environ, "produce", "-t", topic, "--value-schema", "@"+filepath.Join(testSchemas, "order.avsc"), value); r.code != 0 {
		t.Fatalf("produce: %+v", r)
	}
	cfg := filepath.Join(dir, "config.yaml")
	yaml := "contexts:\n  local:\n    brokers: [" + brokers + "]\n    formats:\n      " + topic + ": {value: \"avro:schemas/order.avsc\"}\n      other:\n        value: avro:schemas/bad.avsc\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgAbs, err := filepath.Abs(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	r := kflow(t, "", nil, "tail", "--config", cfgAbs, "--context", "local", "-t", topic, "--from", "beginning", "--exit", "--json")
	if r.code == 0 || !strings.Contains(r.stderr, "line 7") || !strings.Contains(r.stderr, filepath.Join(dir, "schemas", "bad.avsc")+":2:") {
		t.Fatalf("a bad schema in formats: %+v, want an error on line 7 naming the schema file at its line", r)
	}
	yaml = strings.Split(yaml, "      other:")[0]
	if err := os.WriteFile(cfgAbs, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	r = kflow(t, "", nil, "tail", "--config", cfgAbs, "--context", "local", "-t", topic, "--from", "beginning", "--exit", "--json")
	var line struct {
		Value       json.RawMessage `json:"value"`
		ValueFormat string          `json:"value_format"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &line) != nil || !jsonEqual(t, line.Value, value) || line.ValueFormat != "avro:schemas/order.avsc" {
		t.Errorf("tail with the context's formats: %+v, want %s read as avro:schemas/order.avsc", r, value)
	}
}
