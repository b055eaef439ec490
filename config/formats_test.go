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
	if !reflect.DeepEqual(c.Formats, want) {
		t.Errorf("formats %+v, want %+v", c.Formats, want)
	}
	if c.Format("metrics").Value != "double" || c.Format("other") != (TopicFormat{}) {
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
