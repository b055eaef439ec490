package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"kflow/internal/registrytest"
	"kflow/kafka/demo"
	"kflow/kafka/schema"
)

func demoRegistryURL(t *testing.T) string {
	t.Helper()
	r := demo.NewRegistry()
	u, err := r.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return u
}

func TestSchemaCommandsDemoRegistry(t *testing.T) { schemaCLISuite(t, demoRegistryURL(t)) }

func TestSchemaCommandsRealRegistry(t *testing.T) { schemaCLISuite(t, registrytest.URL(t)) }

// schemaCLISuite drives every kflow schema subcommand as a script would,
// plain and --json, against the registry at url.
func schemaCLISuite(t *testing.T, url string) {
	isolateConfig(t)
	run := fmt.Sprintf("kflowcli-%d", time.Now().UnixNano())
	subject, common, order := run+"-orders-value", run+"-common", run+"-order"
	env := map[string]string{"KFLOW_REGISTRY": url, "KFLOW_BROKERS": "127.0.0.1:1"} // no broker: none is needed
	dir := t.TempDir()
	file := func(name, body string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	doc := func(s string) string { // one run's ids its own on a shared registry
		return strings.Replace(s, `"name":"Order",`, `"name":"Order","doc":"`+run+`",`, 1)
	}
	v1 := file("v1.avsc", doc(`{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}`))
	v2 := file("v2.avsc", doc(`{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"currency","type":"string","default":"EUR"}]}`))
	bad := file("bad.avsc", doc(`{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"currency","type":"string","default":"EUR"},{"name":"qty","type":"int"}]}`))
	must := func(args ...string) result {
		t.Helper()
		r := kflow(t, "", env, append([]string{"schema"}, args...)...)
		if r.code != 0 {
			t.Fatalf("kflow schema %q: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		return r
	}
	reg, err := schema.New(schema.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, s := range []string{subject, order, common} {
			_, _ = reg.Delete(context.Background(), s, -1) // best effort
		}
	})

	r := must("register", subject, v1)
	if !strings.HasPrefix(r.stdout, "registered subject "+subject+" version 1, schema id ") {
		t.Errorf("register: %q", r.stdout)
	}
	if err := reg.SetCompatibility(context.Background(), subject, "BACKWARD"); err != nil {
		t.Fatal(err)
	}
	r = must("register", subject, v2, "--json")
	var got2 schema.Version
	if err := json.Unmarshal([]byte(r.stdout), &got2); err != nil || got2.Version != 2 || got2.Subject != subject || got2.Type != schema.Avro {
		t.Fatalf("register --json: %q, %v", r.stdout, err)
	}

	// Protobuf with an import, its reference given by --ref.
	must("register", common, file("money.proto", "syntax = \"proto3\";\npackage common;\nmessage Money { int64 units = 1; }\n"))
	must("register", order, file("order.proto", "syntax = \"proto3\";\npackage shop;\nimport \"common/money.proto\";\nmessage Order { common.Money total = 1; }\n"),
		"--ref", "common/money.proto="+common+":1")
	must("register", order, file("order2.proto", "syntax = \"proto3\";\npackage shop;\nimport \"common/money.proto\";\nmessage Order { common.Money sum = 1; string id = 2; }\n"),
		"--ref", "common/money.proto="+common+":1")

	// subjects, plain and --json.
	r = must("subjects")
	if !strings.HasPrefix(r.stdout, "SUBJECT ") || !strings.Contains(r.stdout, "COMPATIBILITY") {
		t.Errorf("subjects: %q", r.stdout)
	}
	row := ""
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, subject+" ") {
			row = l
		}
	}
	if f := strings.Fields(row); len(f) != 6 || f[1] != "2" || f[2] != fmt.Sprint(got2.ID) || f[3] != "AVRO" || f[4] != "BACKWARD" || f[5] != "2" {
		t.Errorf("subjects row %q in\n%s", row, r.stdout)
	}
	r = must("subjects", "--json")
	var subs []schema.Subject
	if err := json.Unmarshal([]byte(r.stdout), &subs); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range subs {
		if s.Name == order {
			found = s.Type == schema.Protobuf && s.Latest == 2 && s.Versions == 2
		}
	}
	if !found {
		t.Errorf("subjects --json lacks %s as a protobuf with 2 versions: %s", order, r.stdout)
	}

	// versions, get, get-id.
	if r = must("versions", subject); r.stdout != "1\n2\n" {
		t.Errorf("versions: %q", r.stdout)
	}
	if r = must("versions", subject, "--json"); r.stdout != "[1,2]\n" {
		t.Errorf("versions --json: %q", r.stdout)
	}
	r = must("get", subject+":1")
	if !strings.HasPrefix(r.stdout, fmt.Sprintf("subject %s  version 1  id ", subject)) || !strings.Contains(r.stdout, "type AVRO\n\n{\n  \"type\": \"record\",") {
		t.Errorf("get: %q", r.stdout)
	}
	r = must("get", order, "--json")
	var gotOrder schema.Version
	if err := json.Unmarshal([]byte(r.stdout), &gotOrder); err != nil || gotOrder.Version != 2 ||
		!reflect.DeepEqual(gotOrder.References, []schema.Reference{{Name: "common/money.proto", Subject: common, Version: 1}}) {
		t.Errorf("get --json: %q, %v", r.stdout, err)
	}
	r = must("get-id", fmt.Sprint(got2.ID))
	if !strings.HasPrefix(r.stdout, fmt.Sprintf("subject %s  version 2  id %d  type AVRO\n", subject, got2.ID)) || !strings.Contains(r.stdout, `"default": "EUR"`) {
		t.Errorf("get-id: %q", r.stdout)
	}

	// diff: the changes and the verdict beside the registry's level.
	r = must("diff", subject, "1", "2")
	if !strings.Contains(r.stdout, "CHANGE") || !strings.Contains(r.stdout, "added   currency") ||
		!strings.Contains(r.stdout, "version 2 is FULL compatible with version 1 (kflow's Avro rules); that keeps the registry's BACKWARD") {
		t.Errorf("diff: %s", r.stdout)
	}
	r = must("diff", order, "1", "latest", "--json")
	var rep diffReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	want := []schema.Change{
		{Path: "shop.Order.total", Kind: schema.Renamed, Number: 1, Old: "total", New: "sum"},
		{Path: "shop.Order.id", Kind: schema.Added, Number: 2, New: "string"},
	}
	if !reflect.DeepEqual(rep.Changes, want) || rep.Local.Checked || rep.Registry == "" {
		t.Errorf("diff --json = %s\nwant changes %v", r.stdout, want)
	}

	// check: exit 0 when compatible, 1 when not, with the reasons.
	r = must("check", subject, v2)
	if !strings.HasPrefix(r.stdout, "compatible with subject "+subject+"'s latest version at BACKWARD") {
		t.Errorf("check compatible: %q", r.stdout)
	}
	stdinSchema, err := os.ReadFile(v2)
	if err != nil {
		t.Fatal(err)
	}
	if r = kflow(t, string(stdinSchema), env, "schema", "check", subject, "-", "--type", "avro"); r.code != 0 || !strings.HasPrefix(r.stdout, "compatible") {
		t.Errorf("check from stdin: %+v", r)
	}
	r = kflow(t, "", env, "schema", "check", subject, bad, "--json")
	var verdict checkReport
	if r.code != exitRuntime || json.Unmarshal([]byte(r.stdout), &verdict) != nil || verdict.Compatible || len(verdict.Messages) == 0 ||
		verdict.Local == nil || verdict.Local.Backward {
		t.Errorf("check incompatible --json: %+v", r)
	}
	r = kflow(t, "", env, "schema", "check", subject, bad)
	if r.code != exitRuntime || !strings.HasPrefix(r.stdout, "NOT compatible") || !strings.Contains(r.stderr, "not compatible") {
		t.Errorf("check incompatible: %+v", r)
	}

	// Writes: refused in read-only, delete confirmed by the subject's name.
	for _, args := range [][]string{{"register", subject, v1}, {"delete", subject, "--confirm", subject}} {
		r = kflow(t, "", env, append([]string{"--read-only", "schema"}, args...)...)
		if r.code != exitRuntime || !strings.Contains(r.stderr, "read-only") {
			t.Errorf("read-only %v: %+v", args, r)
		}
	}
	if r = kflow(t, "", env, "schema", "delete", subject+":2"); r.code != exitUsage || !strings.Contains(r.stderr, "--confirm "+subject) {
		t.Errorf("delete without confirmation: %+v", r)
	}
	if r = kflow(t, "", env, "schema", "delete", subject+":2", "--confirm", "other"); r.code != exitUsage || !strings.Contains(r.stderr, "does not match") {
		t.Errorf("delete with the wrong name: %+v", r)
	}
	if r = must("versions", subject); r.stdout != "1\n2\n" {
		t.Errorf("refused deletes deleted: %q", r.stdout)
	}
	r = must("delete", subject+":2", "--confirm", subject)
	if r.stderr != fmt.Sprintf("deleted version 2 of subject %s (soft)\n", subject) {
		t.Errorf("delete a version: %+v", r)
	}
	if r = must("get", subject, "--json"); !strings.Contains(r.stdout, `"version":1,`) {
		t.Errorf("latest after deleting 2: %s", r.stdout)
	}
	r = must("delete", order, "--confirm", order, "--json")
	var d schema.Deleted
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || !d.Whole || !reflect.DeepEqual(d.Versions, []int{1, 2}) {
		t.Errorf("delete a subject --json: %q, %v", r.stdout, err)
	}
	if r = must("subjects"); strings.Contains(r.stdout, order+" ") {
		t.Errorf("deleted subject still listed: %s", r.stdout)
	}
}

// TestSchemaUsageErrors: no registry, bad arguments and an unknown action
// are usage errors (exit 2) that say what is wrong.
func TestSchemaUsageErrors(t *testing.T) {
	isolateConfig(t)
	noReg := map[string]string{"KFLOW_REGISTRY": ""}
	r := kflow(t, "", noReg, "schema", "subjects")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no schema registry: give --registry URL, KFLOW_REGISTRY or a context's schema-registry") {
		t.Errorf("no registry: %+v", r)
	}
	reg := map[string]string{"KFLOW_REGISTRY": "http://127.0.0.1:1"}
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"schema"}, "takes an action"},
		{[]string{"schema", "nope"}, `unknown action "nope"`},
		{[]string{"schema", "get"}, "a subject"},
		{[]string{"schema", "get-id", "x"}, `"x" is not a schema id`},
		{[]string{"schema", "diff", "s", "1", "two"}, `"two" is not a version`},
		{[]string{"schema", "register", "s", "schema.txt"}, "give --type"},
		{[]string{"schema", "register", "s", "x.avsc", "--type", "XML"}, "want AVRO, PROTOBUF or JSON"},
		{[]string{"schema", "check", "s", "x.proto", "--ref", "nope"}, "want name=subject:version"},
	} {
		if r := kflow(t, "", reg, c.args...); r.code != exitUsage || !strings.Contains(r.stderr, c.says) {
			t.Errorf("kflow %q = %+v, want exit 2 saying %q", c.args, r, c.says)
		}
	}
}

// TestSchemaUnreachableRegistry: a closed port fails fast with the URL
// named once, and a registry that never answers fails within --timeout.
func TestSchemaUnreachableRegistry(t *testing.T) {
	isolateConfig(t)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + closed.Addr().String()
	_ = closed.Close()
	silent, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = silent.Close() }()
	for _, u := range []string{refused, "http://" + silent.Addr().String()} {
		start := time.Now()
		r := kflow(t, "", nil, "schema", "subjects", "--registry", u, "--timeout", "500ms")
		if r.code != exitRuntime || strings.Count(r.stderr, u) != 1 || !strings.HasPrefix(r.stderr, "kflow: schema registry "+u+": list subjects: ") {
			t.Errorf("%s: %+v", u, r)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v with --timeout 500ms", u, d)
		}
	}
}

// TestSchemaCompletion: the subcommands, --type's values, and subject
// names from the registry the line names.
func TestSchemaCompletion(t *testing.T) {
	isolateConfig(t)
	url := demoRegistryURL(t)
	reg, err := schema.New(schema.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"orders-value", "orders-key", "users-value"} {
		if _, err := reg.Register(context.Background(), s, `"string"`, schema.Avro, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		words []string
		want  []string
	}{
		{[]string{"schema", ""}, []string{"subjects", "versions", "get", "get-id", "diff", "check", "register", "delete"}},
		{[]string{"schema", "register", "s", "f", "--type", ""}, []string{"AVRO", "PROTOBUF", "JSON"}},
		{[]string{"schema", "get", "--registry", url, "ord"}, []string{"orders-key", "orders-value"}},
		{[]string{"schema", "get", "--registry", "http://127.0.0.1:1", ""}, []string{}}, // unreachable: nothing, quickly
	} {
		if got := complete(t, nil, c.words...); !reflect.DeepEqual(got, c.want) {
			t.Errorf("complete %q = %q, want %q", c.words, got, c.want)
		}
	}
}
