package kafka

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"kflow/config"
	"kflow/kafka/schema"
)

// TestFormatNamesAgree: the config file accepts exactly the formats the
// schema package reads, so a format added to one is not refused by the
// other.
func TestFormatNamesAgree(t *testing.T) {
	if got, want := config.FormatNames(), schema.Formats(); !slices.Equal(got, want) {
		t.Errorf("config.FormatNames() = %v, schema.Formats() = %v", got, want)
	}
	c := &Client{cfg: ConnConfig{Formats: map[string]config.TopicFormat{"counts": {Key: "string", Value: "long"}}}}
	if k, v := c.Formats("counts"); k != schema.FormatString || v != schema.FormatLong {
		t.Errorf("Formats(counts) = %q, %q", k, v)
	}
	if k, v := c.Formats("other"); k != schema.FormatAuto || v != schema.FormatAuto {
		t.Errorf("Formats(other) = %q, %q, want auto", k, v)
	}
}

// TestParseFormatsLocalSchema: a context's local schema format is compiled
// once, its relative path taken from the config file's directory whatever
// the working directory; a schema that does not compile is an error on
// the formats line naming the file and the schema's own line:column.
func TestParseFormatsLocalSchema(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("schemas/n.avsc", `{"type":"record","name":"N","fields":[{"name":"n","type":"long"}]}`)
	write("schemas/bad.avsc", "{\"type\": \"record\",\n \"name\" \"N\"}")
	cfgPath := write("kflow.yaml", "contexts:\n  a:\n    brokers: [h:1]\n    formats:\n      nums: {key: long, value: \"avro:schemas/n.avsc\"}\n      bad:\n        value: avro:schemas/bad.avsc\n")
	f, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := f.Context("a")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // the path must not depend on the working directory
	good := map[string]config.TopicFormat{"nums": ctx.Formats["nums"]}
	fs, err := ParseFormats(good)
	if err != nil {
		t.Fatal(err)
	}
	k, v := fs["nums"][0], fs["nums"][1]
	if k != schema.FormatLong || v.Schema() != schema.Avro || v.String() != "avro:schemas/n.avsc" {
		t.Fatalf("nums = %v, %v (%s)", k, v, v.Schema())
	}
	if j, err := v.JSON([]byte{0x54}); err != nil || string(j) != `{"n":42}` {
		t.Errorf("value 0x54 = %s, %v, want {\"n\":42}", j, err)
	}
	_, err = ParseFormats(ctx.Formats)
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Line != 7 || !strings.Contains(err.Error(), "formats bad value: format avro:schemas/bad.avsc: "+filepath.Join(dir, "schemas", "bad.avsc")+":2:") {
		t.Errorf("ParseFormats(bad) = %v, want a config error on line 7 naming the schema file at 2:N", err)
	}
}
