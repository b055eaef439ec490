package schema

import (
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// schemasDir is the module's testdata/schemas, shared with the CLI and
// config tests.
const schemasDir = "../../testdata/schemas"

func mustFormat(t *testing.T, s string) Format {
	t.Helper()
	f, err := ParseFormatIn(s, schemasDir)
	if err != nil {
		t.Fatalf("ParseFormatIn(%q): %v", s, err)
	}
	return f
}

// sameJSON fails unless got and want are the same JSON value.
func sameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("invalid JSON %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestLocalAvro decodes a body hamba/avro wrote with the same .avsc (a
// nested record, a union, a decimal and a timestamp), and re-encodes the
// JSON to the same bytes.
func TestLocalAvro(t *testing.T) {
	f := mustFormat(t, "avro:order.avsc")
	if f.Schema() != Avro || f.String() != "avro:order.avsc" || !f.Named() {
		t.Fatalf("format = %v (%s)", f, f.Schema())
	}
	text, err := os.ReadFile(filepath.Join(schemasDir, "order.avsc"))
	if err != nil {
		t.Fatal(err)
	}
	sch := avro.MustParse(string(text))
	in := map[string]any{
		"id":        "o-1",
		"placed_at": time.UnixMilli(1764547200123).UTC(),
		"customer":  map[string]any{"id": "c-9", "email": map[string]any{"string": "ada@example.com"}},
		"amount":    big.NewRat(1234, 100),
		"status":    "SHIPPED",
		"note":      map[string]any{"long": int64(7)},
	}
	body, err := avro.Marshal(sch, in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"o-1","placed_at":"2025-12-01T00:00:00.123Z","customer":{"id":"c-9","email":"ada@example.com"},"amount":"12.34","status":"SHIPPED","note":7}`
	got, err := f.JSON(body)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got, want)
	if txt, err := f.Text(body); err != nil || string(txt) != string(got) {
		t.Errorf("Text = %s, %v; want the JSON", txt, err)
	}
	enc, err := LocalEncoder(filepath.Join(schemasDir, "order.avsc"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := enc.Encode(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(body) {
		t.Errorf("Encode(Decode(b)) = %x, want hamba's %x (no wire header)", again, body)
	}
}

// TestLocalProtobuf decodes a message encoded by protobuf's own Marshal
// through dynamicpb, from a .proto that imports another file and
// google/protobuf/timestamp.proto; the message is picked by short or full
// name, the first when none is given.
func TestLocalProtobuf(t *testing.T) {
	f := mustFormat(t, "protobuf:order.proto")
	md := f.local.md
	if md.FullName() != "kflow.demo.Order" {
		t.Fatalf("first message = %s", md.FullName())
	}
	msg := dynamicpb.NewMessage(md)
	msg.Set(md.Fields().ByName("id"), protoreflect.ValueOfString("o-1"))
	ts := dynamicpb.NewMessage(md.Fields().ByName("placed_at").Message())
	ts.Set(ts.Descriptor().Fields().ByName("seconds"), protoreflect.ValueOfInt64(1764547200))
	msg.Set(md.Fields().ByName("placed_at"), protoreflect.ValueOfMessage(ts))
	money := dynamicpb.NewMessage(md.Fields().ByName("total").Message())
	money.Set(money.Descriptor().Fields().ByName("currency"), protoreflect.ValueOfString("EUR"))
	money.Set(money.Descriptor().Fields().ByName("cents"), protoreflect.ValueOfInt64(1234))
	msg.Set(md.Fields().ByName("total"), protoreflect.ValueOfMessage(money))
	lines := msg.Mutable(md.Fields().ByName("lines")).List()
	line := dynamicpb.NewMessage(md.Messages().ByName("Line"))
	line.Set(line.Descriptor().Fields().ByName("sku"), protoreflect.ValueOfString("A-1"))
	line.Set(line.Descriptor().Fields().ByName("quantity"), protoreflect.ValueOfInt32(2))
	lines.Append(protoreflect.ValueOfMessage(line))
	body, err := proto.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.JSON(body)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got, `{"id":"o-1","placedAt":"2025-12-01T00:00:00Z","total":{"currency":"EUR","cents":"1234"},"lines":[{"sku":"A-1","quantity":2}]}`)

	for _, name := range []string{"Refund", "kflow.demo.Refund"} {
		r := mustFormat(t, "protobuf:order.proto:"+name)
		if r.local.md.FullName() != "kflow.demo.Refund" {
			t.Errorf("%s picked %s", name, r.local.md.FullName())
		}
	}
	enc, err := LocalEncoder(filepath.Join(schemasDir, "order.proto") + ":Order")
	if err != nil {
		t.Fatal(err)
	}
	again, err := enc.Encode(got)
	if err != nil {
		t.Fatal(err)
	}
	back := dynamicpb.NewMessage(md)
	if err := proto.Unmarshal(again, back); err != nil || !proto.Equal(back, msg) {
		t.Errorf("Encode wrote %x (%v), which protobuf does not read back as the message (no message indexes)", again, err)
	}
}

// TestLocalJSONSchema reads a body encoding/json wrote, and encoding
// validates with the field's path.
func TestLocalJSONSchema(t *testing.T) {
	f := mustFormat(t, "json-schema:order.schema.json")
	body, err := json.Marshal(map[string]any{"id": "o-1", "customer": map[string]any{"id": "c-1"}, "amount": 12.5})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.JSON(body)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got, string(body))
	enc, err := LocalEncoder(filepath.Join(schemasDir, "order.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = enc.Encode([]byte(`{"id":"o-1","customer":{"id":7},"amount":1}`))
	var ee *EncodeError
	if !asEncodeError(err, &ee) || !strings.Contains(ee.Reason, "/customer/id") || !strings.Contains(err.Error(), "order.schema.json") {
		t.Errorf("Encode(bad) = %v, want an EncodeError at /customer/id naming the file", err)
	}
}

func asEncodeError(err error, ee **EncodeError) bool {
	e, ok := err.(*EncodeError)
	*ee = e
	return ok
}

// TestLocalErrors: every way a local schema fails is an error at parse
// time naming the file (with line:column where there is one); hostile
// bodies fail with a reason; a wire-format value says to use the registry.
func TestLocalErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("bad.avsc", "{\n  \"type\": \"record\",\n  \"name\": \"X\"\n  \"fields\": []\n}\n")
	write("unknown.avsc", `{"type":"record","name":"X","fields":[{"name":"a","type":"nosuch"}]}`)
	write("bad.proto", "syntax = \"proto3\";\nmessage X {\n  string a = ;\n}\n")
	write("noimport.proto", "syntax = \"proto3\";\nimport \"missing.proto\";\nmessage X {}\n")
	write("bad.json", `{"type": "object", "properties": {"a": {"type": 7}}}`)
	for _, c := range []struct{ spec, want string }{
		{"avro:nosuch.avsc", "nosuch.avsc does not exist"},
		{"avro:bad.avsc", "bad.avsc:4:3"},
		{"avro:unknown.avsc", "unknown.avsc: avro:"},
		{"protobuf:bad.proto", "bad.proto:3:"},
		{"protobuf:noimport.proto", "missing.proto"},
		{"protobuf:" + filepath.Join(mustAbs(t, schemasDir), "order.proto") + ":Nope", `no message "Nope" in the schema (it has kflow.demo.Order, kflow.demo.Order.Line, kflow.demo.Refund)`},
		{"json-schema:bad.json", "bad.json"},
		{"avro", "needs a schema file"},
		{"avro2:x", "unknown format"},
	} {
		_, err := ParseFormatIn(c.spec, dir)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseFormatIn(%q) = %v, want an error containing %q", c.spec, err, c.want)
		}
	}

	f := mustFormat(t, "avro:order.avsc")
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"truncated", []byte{0x06, 'o'}, "avro: at byte"},
		{"huge length", []byte{0xfe, 0xff, 0xff, 0xff, 0x0f}, "avro: at byte"},
		{"wire format", []byte{0, 0, 0, 0, 7, 0x06, 'o', '-', '1'}, "looks like the registry's wire format: use the registry (--registry)"},
	} {
		if _, err := f.JSON(c.b); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "avro:order.avsc") {
			t.Errorf("%s: JSON(%x) = %v, want an error naming the format containing %q", c.name, c.b, err, c.want)
		}
	}
	p := mustFormat(t, "protobuf:order.proto")
	if _, err := p.JSON([]byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f}); err == nil || !strings.Contains(err.Error(), "kflow.demo.Order") {
		t.Errorf("protobuf hostile length = %v", err)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestLocalEncoderKinds: the file's extension picks the schema type; one
// that names none is refused saying which are taken.
func TestLocalEncoderKinds(t *testing.T) {
	for file, want := range map[string]Type{"order.avsc": Avro, "order.proto:Refund": Protobuf, "order.schema.json": JSONSchema} {
		enc, err := LocalEncoder(filepath.Join(schemasDir, file))
		if err != nil || enc.Info().Type != want || enc.File() == "" {
			t.Errorf("LocalEncoder(%s) = %v, %v; want %s", file, enc, err, want)
		}
	}
	if _, err := LocalEncoder(filepath.Join(schemasDir, "order.avro")); err == nil || !strings.Contains(err.Error(), "FILE.avsc (Avro)") {
		t.Errorf("LocalEncoder(order.avro) = %v, want the kinds named", err)
	}
}
