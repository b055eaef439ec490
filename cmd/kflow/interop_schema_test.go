package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/sr"

	"kflow/internal/registrytest"
	"kflow/kafka"
)

// The schema interop proof: an independent Java program (testdata/interop/serde, built by
// scripts/interop/build.sh, exported by scripts/test.sh as KFLOW_INTEROP_SERDE_JAR) writes and
// reads the Confluent wire format against the same real broker and real registry (Apicurio
// 2.4.2) kflow uses. Avro and JSON Schema go through Apicurio's own Kafka serdes in their
// Confluent-compatible mode; Protobuf through protobuf-java (Apicurio 2.4.2's Protobuf serde does
// not write Confluent's message indexes; testdata/interop/serde/README.md).
//
// Both sides use the same JSON for a value, so the comparison is of JSON values (object key
// order and number spelling do not count, see sameJSON) and nothing else is normalised:
//   - Avro: kflow's "natural JSON" (kafka/schema/avro.go): a union is its branch's bare value,
//     decimal a string with its scale's digits, date "YYYY-MM-DD", timestamp-millis RFC 3339 UTC
//     with three fraction digits, uuid its string, bytes base64. The Java side implements the same
//     conventions from that description (AvroJson.java), on Apicurio's GenericRecord.
//   - Protobuf: the proto3 JSON mapping on both sides (protojson, protobuf-java's JsonFormat):
//     lowerCamelCase names, int64 as strings, enums by name, Timestamp RFC 3339, fields with
//     their default value omitted; the inputs are written in that canonical form.
//   - JSON Schema: the JSON itself.

// interopSchemas are the schemas under test, registered once per run under unique subjects.
// Apicurio hands out content ids and shares one id among subjects registering the same text, so
// each text carries the run's subject (@RUN@) to keep its id, subject and version this run's.
const (
	interopAvsc = `{"type":"record","name":"Payment","namespace":"kflow.interop","doc":"@RUN@","fields":[
  {"name":"id","type":{"type":"string","logicalType":"uuid"}},
  {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
  {"name":"day","type":{"type":"int","logicalType":"date"}},
  {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
  {"name":"note","type":["null","string"],"default":null},
  {"name":"ref","type":["null","long","string"],"default":null},
  {"name":"payer","type":{"type":"record","name":"Party","fields":[
    {"name":"name","type":"string"},
    {"name":"country","type":{"type":"enum","name":"Country","symbols":["DE","FR","US"]}}]}},
  {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","REFUNDED"]}},
  {"name":"tags","type":{"type":"array","items":"string"}},
  {"name":"attrs","type":{"type":"map","values":"int"}},
  {"name":"rate","type":"double"},
  {"name":"blob","type":"bytes"},
  {"name":"prev","type":["null","Party"],"default":null}]}`

	interopEventV1 = `{"type":"record","name":"Event","namespace":"kflow.interop","doc":"@RUN@","fields":[
  {"name":"id","type":"string"},{"name":"n","type":"int"}]}`
	interopEventV2 = `{"type":"record","name":"Event","namespace":"kflow.interop","doc":"@RUN@","fields":[
  {"name":"id","type":"string"},{"name":"n","type":"int"},{"name":"source","type":"string","default":"web"}]}`

	interopProtoCommon = `// @RUN@
syntax = "proto3";
package kflow.interop.common;

message Money {
  string currency = 1;
  int64 units = 2;
  int32 nanos = 3;
}
`
	interopProtoOrder = `// @RUN@
syntax = "proto3";
package kflow.interop;

import "google/protobuf/timestamp.proto";
import "kflow/interop/common.proto";

message Order {
  string id = 1;
  kflow.interop.common.Money total = 2;
  google.protobuf.Timestamp placed_at = 3;
  message Line {
    string sku = 1;
    int32 qty = 2;
  }
  repeated Line lines = 4;
  Status status = 5;
  map<string, string> labels = 6;
  oneof pay {
    string card = 7;
    int64 voucher = 8;
  }
}

enum Status {
  STATUS_UNSPECIFIED = 0;
  NEW = 1;
  PAID = 2;
}
`

	interopJSONSchema = `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","description":"@RUN@",
  "properties":{"id":{"type":"string"},"qty":{"type":"integer"},"price":{"type":"number"},
    "tags":{"type":"array","items":{"type":"string"}},
    "ship":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
    "gift":{"type":["boolean","null"]}},
  "required":["id","qty"]}`
)

// The values, one JSON line each, as both encoders are given them.
var (
	interopAvroValues = []string{
		`{"id":"4b1d4b0e-6a52-4c1f-9d43-3f0c2f1e7a10","amount":"1234.50","day":"2026-12-01","at":"2026-12-01T10:15:30.123Z",` +
			`"note":null,"ref":null,"payer":{"name":"Zoë","country":"DE"},"status":"NEW","tags":[],"attrs":{},` +
			`"rate":0.1,"blob":"","prev":null}`,
		`{"id":"00000000-0000-0000-0000-000000000001","amount":"-0.07","day":"1970-01-01","at":"1970-01-01T00:00:00.000Z",` +
			`"note":"payé ✓ \u001b[2J","ref":42,"payer":{"name":"A","country":"US"},"status":"PAID","tags":["a","b c"],` +
			`"attrs":{"x":1,"y":-2147483648},"rate":-1.5e300,"blob":"AAEC/w==","prev":{"name":"B","country":"FR"}}`,
		`{"id":"ffffffff-ffff-4fff-bfff-ffffffffffff","amount":"9999999999.99","day":"2038-01-19","at":"2262-04-11T23:47:16.854Z",` +
			`"note":"","ref":"ext-9","payer":{"name":"","country":"FR"},"status":"REFUNDED","tags":[""],` +
			`"attrs":{"":2147483647},"rate":0,"blob":"/w==","prev":null}`,
	}
	interopEventV1Values = []string{`{"id":"e-1","n":1}`, `{"id":"e-2","n":-2}`}
	interopEventV2Values = []string{`{"id":"e-3","n":3,"source":"app"}`}
	interopProtoValues   = []string{
		`{"id":"o-1","total":{"currency":"EUR","units":"12","nanos":500000000},"placedAt":"2026-12-01T10:00:00Z",` +
			`"lines":[{"sku":"a","qty":2},{"sku":"b"}],"status":"PAID","labels":{"k":"v","é":"✓"},"card":"visa"}`,
		`{"id":"o-2","total":{"currency":"USD","units":"-9223372036854775808"},"placedAt":"1970-01-01T00:00:00.000000001Z",` +
			`"status":"NEW","voucher":"7"}`,
		`{"id":"o-3"}`,
	}
	// Order.Line, a nested message: its message indexes are [0, 0], not the one-byte [0].
	interopProtoLineValues = []string{`{"sku":"n-1","qty":5}`, `{"sku":"n-2","qty":-1}`}
	interopJSONValues      = []string{
		`{"id":"j-1","qty":3,"price":9.99,"tags":["x"],"ship":{"city":"Köln"},"gift":true}`,
		`{"id":"j-2","qty":-1,"gift":null}`,
	}
)

// interopSerde is the Java program: java and the jar, or the test is skipped (failed under CI).
func interopSerde(t *testing.T) (java, jar string) {
	t.Helper()
	java = needTool(t, "java")
	jar = os.Getenv("KFLOW_INTEROP_SERDE_JAR")
	if jar == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but KFLOW_INTEROP_SERDE_JAR is not set: scripts/test.sh builds it (scripts/interop/build.sh)")
		}
		t.Skip("KFLOW_INTEROP_SERDE_JAR not set: scripts/test.sh builds the Java serde (scripts/interop/build.sh)")
	}
	if _, err := os.Stat(jar); err != nil {
		t.Fatalf("KFLOW_INTEROP_SERDE_JAR: %v", err)
	}
	return java, jar
}

// runSerde runs the Java program once and returns its stdout.
func runSerde(ctx context.Context, t *testing.T, java, jar, brokers, registry string, args ...string) []byte {
	t.Helper()
	cmd := exec.CommandContext(ctx, java, append([]string{"-jar", jar}, args...)...)
	cmd.Env = append(os.Environ(), "KFLOW_TEST_BROKERS="+brokers, "KFLOW_TEST_REGISTRY="+registry)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("java -jar interop-serde %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// sameJSON reports whether a and b are the same JSON value: objects compared by their members,
// whatever the order, and numbers by their value (1.0 and 1 and 1e0 are the same), nothing else.
func sameJSON(a, b []byte) (bool, error) {
	va, err := normalJSON(a)
	if err != nil {
		return false, err
	}
	vb, err := normalJSON(b)
	if err != nil {
		return false, err
	}
	return reflect.DeepEqual(va, vb), nil
}

// exactNumber is a JSON number as an exact fraction, a type of its own so it never equals a string.
type exactNumber string

func normalJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s: %w", b, err)
	}
	var norm func(any) any
	norm = func(v any) any {
		switch x := v.(type) {
		case json.Number:
			// Exact: 1.0, 1 and 1e0 are one number, 0.1 is not 0.10000000000000001.
			r, ok := new(big.Rat).SetString(string(x))
			if !ok {
				return x
			}
			return exactNumber(r.RatString())
		case []any:
			for i := range x {
				x[i] = norm(x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = norm(x[k])
			}
		}
		return v
	}
	return norm(v), nil
}

// interopCase is one topic's worth of values under one subject (and version).
type interopCase struct {
	name    string
	typ     string // the Java program's TYPE: avro, protobuf, json
	subject string
	version int // 0: the latest
	values  []string
	// message is the Protobuf message (full name) when not the file's first.
	message string
	// want is the schema kflow must name in value_schema: the writer's.
	want sr.SubjectSchema
}

// TestSchemaInteropJava: what Java encodes, kflow tail --json decodes to the same JSON value,
// naming the writer's schema (id, subject, version); what kflow produce --value-schema encodes
// (a nested Protobuf message named with --value-message), Java decodes to the same value. One JVM per direction, every case batched into it.
func TestSchemaInteropJava(t *testing.T) {
	isolateConfig(t)
	java, jar := interopSerde(t)
	brokers := realBrokers(t)
	url := registrytest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	rc, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	register := func(subject, text string, typ sr.SchemaType, refs ...sr.SchemaReference) sr.SubjectSchema {
		t.Helper()
		text = strings.ReplaceAll(text, "@RUN@", "kflow interop "+subject)
		ss, err := rc.CreateSchema(ctx, subject, sr.Schema{Schema: text, Type: typ, References: refs})
		if err != nil {
			t.Fatalf("register %s at %s: %v", subject, url, err)
		}
		return ss
	}
	avroSubject := registrytest.Subject(t, "payment")
	payment := register(avroSubject, interopAvsc, sr.TypeAvro)
	eventSubject := registrytest.Subject(t, "event")
	ev1 := register(eventSubject, interopEventV1, sr.TypeAvro)
	ev2 := register(eventSubject, interopEventV2, sr.TypeAvro)
	if ev1.Version != 1 || ev2.Version != 2 || ev1.ID == ev2.ID {
		t.Fatalf("event versions %d (id %d) and %d (id %d), want 1 and 2 with their own ids", ev1.Version, ev1.ID, ev2.Version, ev2.ID)
	}
	commonSubject := registrytest.Subject(t, "common")
	common := register(commonSubject, interopProtoCommon, sr.TypeProtobuf)
	orderSubject := registrytest.Subject(t, "order")
	order := register(orderSubject, interopProtoOrder, sr.TypeProtobuf,
		sr.SchemaReference{Name: "kflow/interop/common.proto", Subject: commonSubject, Version: common.Version})
	jsonSubject := registrytest.Subject(t, "json")
	jsonSchema := register(jsonSubject, interopJSONSchema, sr.TypeJSON)

	cases := []interopCase{
		{name: "avro", typ: "avro", subject: avroSubject, values: interopAvroValues, want: payment},
		// Version 1 records written while version 2 exists decode with version 1, the writer's.
		{name: "avro-v1", typ: "avro", subject: eventSubject, version: 1, values: interopEventV1Values, want: ev1},
		{name: "avro-v2", typ: "avro", subject: eventSubject, version: 2, values: interopEventV2Values, want: ev2},
		{name: "protobuf", typ: "protobuf", subject: orderSubject, values: interopProtoValues, want: order},
		{name: "protobuf-nested", typ: "protobuf:kflow.interop.Order.Line", subject: orderSubject, message: "kflow.interop.Order.Line",
			values: interopProtoLineValues, want: order},
		{name: "json", typ: "json", subject: jsonSubject, values: interopJSONValues, want: jsonSchema},
	}

	dir := t.TempDir()
	env := map[string]string{"KFLOW_BROKERS": brokers}
	newTopic := func(name string) string {
		t.Helper()
		topic := uniqueName(t) + "-" + name
		if r := kflow(t, "", env, "topic", "create", topic, "-p", "1"); r.code != 0 {
			t.Fatalf("create %s: %s", topic, r.stderr)
		}
		t.Cleanup(func() { kflow(t, "", env, "topic", "delete", topic, "--confirm", topic) })
		return topic
	}

	t.Run("JavaToKflow", func(t *testing.T) {
		var args []string
		topics := make([]string, len(cases))
		for i, c := range cases {
			topics[i] = newTopic("j-" + c.name)
			file := filepath.Join(dir, c.name+".jsonl")
			if err := os.WriteFile(file, []byte(strings.Join(c.values, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			subject := c.subject
			if c.version > 0 {
				subject += ":" + strconv.Itoa(c.version)
			}
			args = append(args, topics[i], c.typ, subject, file)
		}
		runSerde(ctx, t, java, jar, brokers, url, append([]string{"produce"}, args...)...)

		for i, c := range cases {
			r := kflow(t, "", env, "tail", "--registry", url, "-t", topics[i], "--from", "beginning", "--exit", "--json")
			if r.code != 0 {
				t.Fatalf("%s: kflow tail: exit %d: %s", c.name, r.code, r.stderr)
			}
			if c.message != "" {
				// The indexes Java wrote: count 2 and [0, 0], zig-zag varints.
				raw := kflow(t, "", env, "tail", "--registry", url, "-t", topics[i], "--from", "beginning", "--exit", "--json", "--raw")
				var rec kafka.JSONRecord
				first, _, _ := strings.Cut(raw.stdout, "\n")
				if err := json.Unmarshal([]byte(first), &rec); err != nil {
					t.Fatalf("%s: --raw line %q: %v", c.name, first, err)
				}
				back, err := rec.Record()
				if err != nil || len(back.Value) < 8 || !bytes.Equal(back.Value[5:8], []byte{4, 0, 0}) {
					t.Errorf("%s: Java wrote % x (%v), want message indexes 04 00 00 after the id", c.name, back.Value, err)
				}
			}
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			if len(lines) != len(c.values) {
				t.Fatalf("%s: kflow tail printed %d lines, want %d:\n%s", c.name, len(lines), len(c.values), r.stdout)
			}
			for j, line := range lines {
				var got struct {
					Value       json.RawMessage `json:"value"`
					ValueSchema struct {
						ID      int    `json:"id"`
						Subject string `json:"subject"`
						Version int    `json:"version"`
						Type    string `json:"type"`
					} `json:"value_schema"`
					Err string `json:"value_schema_error"`
				}
				if err := json.Unmarshal([]byte(line), &got); err != nil {
					t.Fatalf("%s: line %d %s: %v", c.name, j, line, err)
				}
				if got.Err != "" {
					t.Errorf("%s: record %d not decoded: %s", c.name, j, got.Err)
					continue
				}
				if same, err := sameJSON(got.Value, []byte(c.values[j])); err != nil || !same {
					t.Errorf("%s: record %d decoded to\n%s\nJava was given\n%s (%v)", c.name, j, got.Value, c.values[j], err)
				}
				vs := got.ValueSchema
				w := c.want
				if vs.Subject != w.Subject || vs.Version != w.Version || vs.ID != w.ID || vs.Type != w.Type.String() {
					t.Errorf("%s: record %d value_schema %+v, want %s version %d id %d %s", c.name, j, vs, w.Subject, w.Version, w.ID, w.Type)
				}
			}
		}
	})

	t.Run("KflowToJava", func(t *testing.T) {
		var args []string
		var want []string
		for _, c := range cases {
			topic := newTopic("k-" + c.name)
			// The user's path: kflow produce --value-schema, one JSON value per stdin line
			// (--value-message names the nested Protobuf message).
			ref := c.subject
			if c.version > 0 {
				ref += ":" + strconv.Itoa(c.version)
			}
			pargs := []string{"produce", "-t", topic, "--registry", url, "--value-schema", ref}
			if c.message != "" {
				pargs = append(pargs, "--value-message", c.message)
			}
			if r := kflow(t, strings.Join(c.values, "\n")+"\n", env, pargs...); r.code != 0 {
				t.Fatalf("%s: kflow %v: exit %d: %s", c.name, pargs, r.code, r.stderr)
			}
			args = append(args, topic, strconv.Itoa(len(c.values)))
			want = append(want, c.values...)
		}
		out := runSerde(ctx, t, java, jar, brokers, url, append([]string{"consume"}, args...)...)
		got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(got) != len(want) {
			t.Fatalf("Java decoded %d values, want %d:\n%s", len(got), len(want), out)
		}
		for i := range want {
			if same, err := sameJSON([]byte(got[i]), []byte(want[i])); err != nil || !same {
				t.Errorf("value %d: Java decoded\n%s\nkflow was given\n%s (%v)", i, got[i], want[i], err)
			}
		}
	})
}
