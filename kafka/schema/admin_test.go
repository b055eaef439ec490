package schema_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"kflow/internal/registrytest"
	"kflow/kafka/demo"
	"kflow/kafka/schema"
)

func demoRegistry(t *testing.T) string {
	t.Helper()
	r := demo.NewRegistry()
	u, err := r.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return u
}

// TestAdminDemoRegistry and TestAdminRealRegistry run one suite: the
// in-process registry must answer as the real one does.
func TestAdminDemoRegistry(t *testing.T) { adminSuite(t, demoRegistry(t)) }

func TestAdminRealRegistry(t *testing.T) { adminSuite(t, registrytest.URL(t)) }

const (
	orderV1 = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"string"},{"name":"amount","type":"double"},` +
		`{"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"street","type":"string"}]}}]}`
	orderV2 = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"string"},{"name":"amount","type":"double"},` +
		`{"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"street","type":"string"},{"name":"city","type":"string","default":""}]}},` +
		`{"name":"currency","type":"string","default":"EUR"}]}`
	// orderOK adds a field with a default to v2: BACKWARD compatible.
	orderOK = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"string"},{"name":"amount","type":"double"},` +
		`{"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"street","type":"string"},{"name":"city","type":"string","default":""}]}},` +
		`{"name":"currency","type":"string","default":"EUR"},{"name":"note","type":"string","default":""}]}`
	// orderBad adds one without: old data lacks it, so not BACKWARD.
	orderBad = `{"type":"record","name":"Order","namespace":"shop","fields":[` +
		`{"name":"id","type":"string"},{"name":"amount","type":"double"},` +
		`{"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"street","type":"string"},{"name":"city","type":"string","default":""}]}},` +
		`{"name":"currency","type":"string","default":"EUR"},{"name":"priority","type":"int"}]}`

	money     = "syntax = \"proto3\";\npackage common;\nmessage Money { int64 units = 1; string currency = 2; }\n"
	protoV1   = "syntax = \"proto3\";\npackage shop;\nimport \"common/money.proto\";\nmessage Order { string id = 1; common.Money total = 2; int32 qty = 4; }\n"
	protoV2   = "syntax = \"proto3\";\npackage shop;\nimport \"common/money.proto\";\nmessage Order { string order_id = 1; common.Money total = 2; repeated string items = 3; int64 qty = 4; }\n"
	jsonV1    = `{"type":"object","properties":{"a":{"type":"string"},"c":{"type":"string"}},"required":["a"]}`
	jsonV2    = `{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"},"c":{"type":"number"}},"required":["a","b"]}`
	moneyName = "common/money.proto"
)

// adminSuite runs every admin method end to end against the registry at
// url, on subjects unique to this run (the real registry is shared).
func adminSuite(t *testing.T, url string) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := schema.New(schema.Config{URL: url, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p := fmt.Sprintf("kflowtest-%d-", time.Now().UnixNano())
	avro, common, order, js := p+"orders-value", p+"common", p+"shop-order", p+"json"
	// The registry gives identical text one id across subjects: a doc
	// unique to the run keeps this run's ids its own.
	orderV1, orderV2, orderOK, orderBad := runDoc(orderV1, p), runDoc(orderV2, p), runDoc(orderOK, p), runDoc(orderBad, p)
	t.Cleanup(func() {
		for _, s := range []string{avro, order, common, js} {
			_, _ = r.Delete(context.Background(), s, -1) // best effort: some are gone already
		}
	})
	must := func(v schema.Version, err error) schema.Version {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	// Avro: v1, v1 again (the same id and version), v2 with defaults.
	a1 := must(r.Register(ctx, avro, orderV1, schema.Avro, nil))
	again := must(r.Register(ctx, avro, orderV1, schema.Avro, nil))
	if a1.Version != 1 || again.ID != a1.ID || again.Version != 1 || a1.Subject != avro || a1.Type != schema.Avro {
		t.Fatalf("register v1 twice: %+v then %+v", a1, again)
	}
	if err := r.SetCompatibility(ctx, avro, "BACKWARD"); err != nil {
		t.Fatal(err)
	}
	a2 := must(r.Register(ctx, avro, orderV2, schema.Avro, nil))
	if a2.Version != 2 || a2.ID == a1.ID {
		t.Fatalf("register v2: %+v (v1 %+v)", a2, a1)
	}

	// Protobuf with an import of another subject; JSON Schema.
	must(r.Register(ctx, common, money, schema.Protobuf, nil))
	ref := []schema.Reference{{Name: moneyName, Subject: common, Version: 1}}
	o1 := must(r.Register(ctx, order, protoV1, schema.Protobuf, ref))
	o2 := must(r.Register(ctx, order, protoV2, schema.Protobuf, ref))
	j1 := must(r.Register(ctx, js, jsonV1, schema.JSONSchema, nil))
	j2 := must(r.Register(ctx, js, jsonV2, schema.JSONSchema, nil))
	if o2.Version != 2 || j2.Version != 2 || o1.Type != schema.Protobuf || j1.Type != schema.JSONSchema {
		t.Fatalf("register: %+v %+v %+v %+v", o1, o2, j1, j2)
	}

	// List.
	subs, err := r.Subjects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]schema.Subject{}
	for _, s := range subs {
		byName[s.Name] = s
	}
	want := map[string]schema.Subject{
		avro:   {Name: avro, Latest: 2, LatestID: a2.ID, Type: schema.Avro, Compatibility: "BACKWARD", CompatibilityFrom: "subject", Versions: 2},
		order:  {Name: order, Latest: 2, LatestID: o2.ID, Type: schema.Protobuf, Versions: 2},
		common: {Name: common, Latest: 1, Type: schema.Protobuf, Versions: 1},
		js:     {Name: js, Latest: 2, LatestID: j2.ID, Type: schema.JSONSchema, Versions: 2},
	}
	for name, w := range want {
		got, ok := byName[name]
		if !ok {
			t.Errorf("Subjects lacks %s: %+v", name, subs)
			continue
		}
		if got.Compatibility == "" || got.CompatibilityFrom == "" {
			t.Errorf("%s: no compatibility level: %+v", name, got)
		}
		if w.Compatibility == "" {
			w.Compatibility, w.CompatibilityFrom = got.Compatibility, got.CompatibilityFrom
		}
		if w.LatestID == 0 {
			w.LatestID = got.LatestID
		}
		if got != w {
			t.Errorf("subject %s = %+v, want %+v", name, got, w)
		}
	}
	if vs, err := r.Versions(ctx, avro); err != nil || !slices.Equal(vs, []int{1, 2}) {
		t.Errorf("versions = %v, %v", vs, err)
	}

	// Get by version, latest and id.
	if g := must(r.Get(ctx, avro, -1)); g.Version != 2 || g.Schema != orderV2 || g.ID != a2.ID {
		t.Errorf("get latest = %+v", g)
	}
	if g := must(r.Get(ctx, avro, 1)); g.Version != 1 || g.Schema != orderV1 {
		t.Errorf("get 1 = %+v", g)
	}
	g := must(r.Get(ctx, order, -1))
	if !reflect.DeepEqual(g.References, ref) || g.Type != schema.Protobuf || g.Schema != protoV2 {
		t.Errorf("get the protobuf subject = %+v", g)
	}
	if b := must(r.GetByID(ctx, a2.ID)); b.Schema != orderV2 || b.Type != schema.Avro || b.Subject != avro || b.Version != 2 {
		t.Errorf("get-id %d = %+v", a2.ID, b)
	}
	if b := must(r.GetByID(ctx, o2.ID)); b.Type != schema.Protobuf || !reflect.DeepEqual(b.References, ref) {
		t.Errorf("get-id %d = %+v", o2.ID, b)
	}

	// Diff, with the exact changes.
	v1, v2 := must(r.Get(ctx, avro, 1)), must(r.Get(ctx, avro, 2))
	diffIs(t, "avro", v1, v2, []schema.Change{
		{Path: "address.city", Kind: schema.Added, New: `string (default "")`},
		{Path: "currency", Kind: schema.Added, New: `string (default "EUR")`},
	})
	local, err := schema.LocalCompat(v1, v2)
	if err != nil || local.Level() != "FULL" {
		t.Errorf("local verdict v1 → v2 = %+v, %v; want FULL", local, err)
	}
	p1, p2 := must(r.Get(ctx, order, 1)), must(r.Get(ctx, order, 2))
	if d, err := schema.Diff(p1, p2); err != nil || len(d) == 0 || d[0].Kind != schema.Note {
		t.Errorf("protobuf diff without its imports: %v, %v; want a line diff that says so", d, err)
	}
	for _, v := range []*schema.Version{&p1, &p2} {
		if err := r.Resolve(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	diffIs(t, "protobuf", p1, p2, []schema.Change{
		{Path: "shop.Order.id", Kind: schema.Renamed, Number: 1, Old: "id", New: "order_id"},
		{Path: "shop.Order.qty", Kind: schema.TypeChanged, Number: 4, Old: "int32", New: "int64"},
		{Path: "shop.Order.items", Kind: schema.Added, Number: 3, New: "repeated string"},
	})
	diffIs(t, "json", must(r.Get(ctx, js, 1)), must(r.Get(ctx, js, 2)), []schema.Change{
		{Path: "(root)", Kind: schema.RequiredChange, Old: "[a]", New: "[a,b]"},
		{Path: "c", Kind: schema.TypeChanged, Old: "string", New: "number"},
		{Path: "b", Kind: schema.Added, New: "integer"},
	})

	// Check a compatible and an incompatible candidate; register the
	// incompatible one and be refused.
	ok, err := r.Check(ctx, avro, orderOK, schema.Avro, nil)
	if err != nil || !ok.Compatible || ok.Level != "BACKWARD" {
		t.Errorf("check compatible = %+v, %v", ok, err)
	}
	bad, err := r.Check(ctx, avro, orderBad, schema.Avro, nil)
	if err != nil || bad.Compatible || bad.Level != "BACKWARD" || len(bad.Messages) == 0 {
		t.Errorf("check incompatible = %+v, %v; want not compatible, with the registry's reasons", bad, err)
	}
	_, err = r.Register(ctx, avro, orderBad, schema.Avro, nil)
	var se *schema.Error
	if !errors.As(err, &se) || se.Code != schema.CodeIncompatible || !strings.Contains(err.Error(), "schema registry "+url+": register") {
		t.Errorf("register incompatible: %v", err)
	}
	_, err = r.Register(ctx, avro, "not json", schema.Avro, nil)
	if !errors.As(err, &se) || se.Code != schema.CodeInvalidSchema || !strings.Contains(err.Error(), "invalid schema") {
		t.Errorf("register invalid: %v", err)
	}

	// Errors name the registry, the operation and what was not found.
	_, err = r.Versions(ctx, p+"nosuch")
	if want := fmt.Sprintf("schema registry %s: list the versions of subject %q: subject not found", url, p+"nosuch"); err == nil || err.Error() != want || !schema.IsNotFound(err) {
		t.Errorf("versions of a missing subject: %v\nwant %s", err, want)
	}
	// Apicurio answers a version of a missing subject with 40402, Confluent
	// with 40401: either is not found.
	if _, err = r.Get(ctx, p+"nosuch", 3); !schema.IsNotFound(err) || !strings.Contains(err.Error(), fmt.Sprintf("get subject %q version 3: ", p+"nosuch")) {
		t.Errorf("get a missing subject: %v", err)
	}
	if _, err = r.Get(ctx, avro, 99); err == nil || !strings.HasSuffix(err.Error(), "version 99: version not found") {
		t.Errorf("get a missing version: %v", err)
	}
	if _, err = r.GetByID(ctx, 1<<30); err == nil || !strings.HasSuffix(err.Error(), fmt.Sprintf("get schema id %d: schema not found", 1<<30)) {
		t.Errorf("get a missing id: %v", err)
	}

	// Delete a version, then a subject.
	d, err := r.Delete(ctx, avro, 2)
	if err != nil || !slices.Equal(d.Versions, []int{2}) || d.Whole {
		t.Errorf("delete version 2 = %+v, %v", d, err)
	}
	if g := must(r.Get(ctx, avro, -1)); g.Version != 1 {
		t.Errorf("latest after deleting version 2 = %+v", g)
	}
	d, err = r.Delete(ctx, js, -1)
	if err != nil || !slices.Equal(d.Versions, []int{1, 2}) || !d.Whole {
		t.Errorf("delete subject = %+v, %v", d, err)
	}
	subs, err = r.Subjects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		if s.Name == js {
			t.Errorf("deleted subject %s still listed: %+v", js, s)
		}
	}
}

func runDoc(avro, run string) string {
	return strings.Replace(avro, `"name":"Order",`, `"name":"Order","doc":"`+run+`",`, 1)
}

func diffIs(t *testing.T, what string, a, b schema.Version, want []schema.Change) {
	t.Helper()
	got, err := schema.Diff(a, b)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("%s diff = %v, %v\nwant %v", what, got, err, want)
	}
}

// TestUnreachableRegistry: a closed port and a registry that never
// answers both fail within the timeout, naming the URL.
func TestUnreachableRegistry(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	silent := "http://" + ln.Addr().String() // accepts, never answers
	defer func() { _ = ln.Close() }()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + closed.Addr().String()
	_ = closed.Close()
	for _, u := range []string{refused, silent} {
		r, err := schema.New(schema.Config{URL: u, Timeout: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = r.Subjects(context.Background())
		if err == nil || !strings.HasPrefix(err.Error(), "schema registry "+u+": list subjects: ") || strings.Count(err.Error(), u) != 1 {
			t.Errorf("%s: %v", u, err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: took %v with a 300ms timeout", u, d)
		}
	}
}
