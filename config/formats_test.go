package config

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestContextFormats reads formats: per topic, the long and the short form,
// case-insensitive names, and refuses unknown formats and keys on their line.
func TestContextFormats(t *testing.T) {
	isolateHome(t)
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "f.yaml"), `contexts:
  a:
    brokers: [h:1]
    formats:
      streams-wordcount-output: {key: string, value: LONG}
      metrics: double
`)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Context("a")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]TopicFormat{"streams-wordcount-output": {Key: "string", Value: "long"}, "metrics": {Value: "double"}}
	if !reflect.DeepEqual(namesOf(c.Formats), want) {
		t.Errorf("formats %+v, want %+v", c.Formats, want)
	}
	if m := c.Format("metrics"); m.Value != "double" || m.ValueLine != 6 || m.File != path || c.Format("other") != (TopicFormat{}) {
		t.Errorf("Format: %+v %+v", c.Format("metrics"), c.Format("other"))
	}
	c.Formats["metrics"] = TopicFormat{Value: "hex"}
	if again, _ := f.Context("a"); again.Format("metrics").Value != "double" {
		t.Error("a caller's change to a context's formats leaked into the config")
	}

	for _, tc := range []struct {
		yaml string
		line int
		msg  string
	}{
		{"contexts:\n  a:\n    brokers: [h:1]\n    formats:\n      t: {value: avro2}\n", 5, `formats t value: unknown format "avro2": want one of auto, string`},
		{"contexts:\n  a:\n    brokers: [h:1]\n    formats:\n      t: {val: long}\n", 5, `unknown key "val" in formats t`},
		{"contexts:\n  a:\n    brokers: [h:1]\n    formats: long\n", 4, "formats must map topic names to formats"},
		{"contexts:\n  a:\n    brokers: [h:1]\n    formats:\n      t: nope\n", 5, `formats t: unknown format "nope"`},
	} {
		p := writeFile(t, filepath.Join(dir, "bad.yaml"), tc.yaml)
		_, err := Load(p)
		var ce *Error
		if !errors.As(err, &ce) || ce.Line != tc.line || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: %v (line %d), want line %d and %q", tc.yaml, err, lineOf(ce), tc.line, tc.msg)
		}
	}
}

func lineOf(e *Error) int {
	if e == nil {
		return 0
	}
	return e.Line
}

// namesOf is formats with only their names, for comparing.
func namesOf(fs map[string]TopicFormat) map[string]TopicFormat {
	out := map[string]TopicFormat{}
	for k, v := range fs {
		out[k] = TopicFormat{Key: v.Key, Value: v.Value}
	}
	return out
}

// TestContextLocalSchemaFormats: a format naming a local schema file is
// kept as written (its path's case too), with the config file's directory
// to resolve it from and the line it is on; a file that is not there is an
// error on that line, saying where it was looked for.
func TestContextLocalSchemaFormats(t *testing.T) {
	isolateHome(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "schemas", "Order.avsc"), `{"type":"string"}`)
	writeFile(t, filepath.Join(dir, "schemas", "o.proto"), `syntax = "proto3"; message O {}`)
	path := writeFile(t, filepath.Join(dir, "f.yaml"), `contexts:
  a:
    brokers: [h:1]
    formats:
      orders: {value: "avro:schemas/Order.avsc"}
      protos:
        key: string
        value: protobuf:schemas/o.proto:O
`)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Context("a")
	if err != nil {
		t.Fatal(err)
	}
	o, p := c.Format("orders"), c.Format("protos")
	abs, _ := filepath.Abs(dir)
	if o.Value != "avro:schemas/Order.avsc" || o.Dir != abs || o.ValueLine != 5 || o.File != path {
		t.Errorf("orders = %+v, want the format as written, dir %s, line 5", o, abs)
	}
	if p.Key != "string" || p.Value != "protobuf:schemas/o.proto:O" || p.KeyLine != 7 || p.ValueLine != 8 {
		t.Errorf("protos = %+v", p)
	}

	for _, tc := range []struct {
		yaml string
		line int
		msg  string
	}{
		{"contexts:\n  a:\n    brokers: [h:1]\n    formats:\n      t: {value: \"avro:nope.avsc\"}\n", 5,
			"formats t value: format avro:nope.avsc: schema file " + filepath.Join(abs, "nope.avsc") + " does not exist"},
		{"contexts:\n  a:\n    brokers: [h:1]\n    formats:\n      t: \"json-schema:\"\n", 5, "no schema file given"},
		{"contexts:\n  a:\n    brokers: [h:1]\n    formats:\n      t: protobuf:schemas\n", 5, "is not a regular file"},
	} {
		p := writeFile(t, filepath.Join(dir, "bad.yaml"), tc.yaml)
		_, err := Load(p)
		var ce *Error
		if !errors.As(err, &ce) || ce.Line != tc.line || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: %v (line %d), want line %d and %q", tc.yaml, err, lineOf(ce), tc.line, tc.msg)
		}
	}
}
