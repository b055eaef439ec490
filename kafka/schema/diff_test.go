package schema

import (
	"reflect"
	"strings"
	"testing"
)

func avroRecord(fields string) Version {
	return Version{Type: Avro, Schema: `{"type":"record","name":"R","fields":[` + fields + `]}`}
}

// TestLocalCompatRules: the standard Avro rules, each direction.
func TestLocalCompatRules(t *testing.T) {
	for _, c := range []struct {
		name     string
		old, new string
		level    string
	}{
		{"added with a default", `{"name":"a","type":"int"}`, `{"name":"a","type":"int"},{"name":"b","type":"string","default":""}`, "FULL"},
		{"added without a default breaks BACKWARD", `{"name":"a","type":"int"}`, `{"name":"a","type":"int"},{"name":"b","type":"string"}`, "FORWARD"},
		{"removed without a default breaks FORWARD", `{"name":"a","type":"int"},{"name":"b","type":"string"}`, `{"name":"a","type":"int"}`, "BACKWARD"},
		{"removed with a default", `{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"}`, `{"name":"a","type":"int"}`, "FULL"},
		{"int to long promotes one way", `{"name":"a","type":"int"}`, `{"name":"a","type":"long"}`, "BACKWARD"},
		{"long to double promotes one way", `{"name":"a","type":"long"}`, `{"name":"a","type":"double"}`, "BACKWARD"},
		{"double to int breaks both", `{"name":"a","type":"double"}`, `{"name":"a","type":"int"}`, "FORWARD"},
		{"string to int breaks both", `{"name":"a","type":"string"}`, `{"name":"a","type":"int"}`, "NONE"},
		{"string and bytes promote both ways", `{"name":"a","type":"string"}`, `{"name":"a","type":"bytes"}`, "FULL"},
		{"made nullable", `{"name":"a","type":"string"}`, `{"name":"a","type":["null","string"],"default":null}`, "BACKWARD"},
		{"nested field added without a default", `{"name":"n","type":{"type":"record","name":"N","fields":[]}}`, `{"name":"n","type":{"type":"record","name":"N","fields":[{"name":"x","type":"int"}]}}`, "FORWARD"},
		{"enum symbol added", `{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}}`, `{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}}`, "BACKWARD"},
	} {
		l, err := LocalCompat(avroRecord(c.old), avroRecord(c.new))
		if err != nil || l.Level() != c.level {
			t.Errorf("%s: %s (%v), want %s", c.name, l.Level(), append(l.Breaks, errString(err)), c.level)
		}
	}
	if l, _ := LocalCompat(Version{Type: Protobuf}, Version{Type: Protobuf}); l.Checked {
		t.Errorf("protobuf checked locally: %+v", l)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestAvroDiffNestedAndRecursive: dotted paths into nested records,
// arrays and nullable records; a recursive type ends.
func TestAvroDiffNestedAndRecursive(t *testing.T) {
	a := avroRecord(`{"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[{"name":"sku","type":"string"}]}}},` +
		`{"name":"next","type":["null","R"],"default":null},{"name":"n","type":"int","default":1}`)
	b := avroRecord(`{"name":"items","type":{"type":"array","items":{"type":"record","name":"Item","fields":[{"name":"sku","type":"long"}]}}},` +
		`{"name":"next","type":["null","R"],"default":null},{"name":"n","type":"int","default":2}`)
	got, err := Diff(a, b)
	want := []Change{
		{Path: "items[].sku", Kind: TypeChanged, Old: "string", New: "long"},
		{Path: "n", Kind: DefaultChanged, Old: "1", New: "2"},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("diff = %v, %v\nwant %v", got, err, want)
	}
	if _, err := Diff(avroRecord(""), Version{Type: Avro, Schema: "{"}); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("a broken schema: %v", err)
	}
}

// TestProtoLineDiffFallback: a schema that does not compile is diffed by
// lines, and the diff says so.
func TestProtoLineDiffFallback(t *testing.T) {
	a := Version{Type: Protobuf, Schema: "syntax = \"proto3\";\nimport \"x.proto\";\nmessage M { x.X a = 1; }\n"}
	b := Version{Type: Protobuf, Schema: "syntax = \"proto3\";\nimport \"x.proto\";\nmessage M { x.X a = 1; int32 b = 2; }\n"}
	got, _ := Diff(a, b)
	if len(got) != 3 || got[0].Kind != Note || !strings.Contains(got[0].New, "line diff") ||
		got[1] != (Change{Path: "line 3", Kind: LineAdded, New: "message M { x.X a = 1; int32 b = 2; }"}) ||
		got[2] != (Change{Path: "line 3", Kind: LineRemoved, Old: "message M { x.X a = 1; }"}) {
		t.Errorf("line diff = %v", got)
	}
}
