package views

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka/schema"
	"kflow/views/viewstest"
)

func TestSchemasListsSubjectsAndFilters(t *testing.T) {
	rig := newSchemaRig(t, false)
	v := NewSchemas(rig.c, "")
	s := newSchemaHost(t, rig.c, v)
	s.want("4 subjects", "updated 12:00:00", "SUBJECT", "LATEST", "TYPE", "COMPATIBILITY", "VERSIONS")
	rows := map[string][]string{}
	for _, r := range v.Table().rows {
		var cells []string
		for _, c := range r.Cells {
			cells = append(cells, c.Text)
		}
		rows[r.Key] = cells
	}
	// SUBJECT LATEST ID TYPE COMPATIBILITY VERSIONS, as kflow schema
	// subjects prints them.
	for subject, want := range map[string]string{
		"orders-key":     "orders-key 1 1 AVRO BACKWARD (global) 1",
		"orders-value":   "orders-value 3 4 AVRO BACKWARD (global) 3",
		"payments-value": "payments-value 1 5 JSON FULL 1",
		longSubject:      longSubject + " 1 6 PROTOBUF BACKWARD (global) 1",
	} {
		if got := strings.Join(rows[subject], " "); got != want {
			t.Errorf("row %s: %q, want %q", subject, got, want)
		}
	}
	s.keys("/")
	s.typ("pay")
	s.want("1 of 4", "payments-value")
	s.not("orders-value")
	s.keys("esc")
	s.want("orders-value", "payments-value")
}

func TestSchemasTopicShowsItsKeyAndValueSubjects(t *testing.T) {
	rig := newSchemaRig(t, false)
	v := NewSchemas(rig.c, "orders")
	s := newSchemaHost(t, rig.c, v)
	s.want("2 subjects", "orders-key", "orders-value")
	s.not("payments-value")
	if v.Title() != "schemas · orders" {
		t.Errorf("title %q", v.Title())
	}
	none := NewSchemas(rig.c, "shipments")
	s2 := newSchemaHost(t, rig.c, none)
	s2.want("0 subjects", "no subject shipments-key or shipments-value in the registry")
}

// A topic's v opens the schemas view of its subjects.
func TestTopicsOpensItsSchemas(t *testing.T) {
	rig := newSchemaRig(t, false)
	rig.c.Cluster = viewstest.New()
	s := newSchemaHost(t, rig.c, NewTopics(rig.c))
	s.want("orders")
	for i := 0; i < 10; i++ {
		if sel, _ := s.h.front().(*Topics).Table().Selected(); sel.Key == "orders" {
			break
		}
		s.keys("down")
	}
	s.keys("v")
	sv, ok := s.h.front().(*Schemas)
	if !ok {
		t.Fatalf("v opened %T, want the schemas view", s.h.front())
	}
	if sv.topic != "orders" {
		t.Fatalf("schemas of %q, want orders", sv.topic)
	}
	s.want("orders-key", "orders-value")
}

func TestSchemasSubjectVersionsAndSchema(t *testing.T) {
	rig := newSchemaRig(t, false)
	s := newSchemaHost(t, rig.c, NewSchemas(rig.c, ""))
	s.keys("/")
	s.typ("orders-value")
	s.keys("enter", "enter")
	sub, ok := s.h.front().(*SchemaSubject)
	if !ok {
		t.Fatalf("enter opened %T", s.h.front())
	}
	// The latest version first, pretty-printed, with its id and type.
	s.want("orders-value", "compatibility BACKWARD (global)", "3 versions", "version 3 · id 4 · AVRO · latest", `"name": "note"`, `"default": null`)
	if sub.Selected() != 3 {
		t.Fatalf("selected version %d, want the latest", sub.Selected())
	}
	s.keys("left")
	s.want("version 2 · id 3 · AVRO", `"name": "currency"`)
	s.not(`"name": "note"`, "latest")
	s.keys("left", "left") // stops at the first
	s.want("version 1 · id 2")
	s.not(`"currency"`)
	s.keys("right", "right", "right")
	s.want("version 3 · id 4")

	// Protobuf is shown as its text.
	s.send(PopMsg{})
	s.keys("esc", "/")
	s.typ("Invoice")
	s.keys("enter", "enter")
	s.want("PROTOBUF", "message InvoiceLineItemCorrected {", "int64 cents = 2;")
}

func TestSchemasDiffBetweenVersions(t *testing.T) {
	rig := newSchemaRig(t, false)
	s := newSchemaHost(t, rig.c, NewSchemaSubject(rig.c, schema.Subject{Name: "orders-value", Type: schema.Avro, Compatibility: "BACKWARD", CompatibilityFrom: "global"}, nil))
	s.want("version 3")
	s.keys("d")
	d, ok := s.h.front().(*SchemaDiff)
	if !ok {
		t.Fatalf("d opened %T", s.h.front())
	}
	if a, b := d.Versions(); a != 2 || b != 3 {
		t.Fatalf("diff of %d → %d, want latest-1 → latest", a, b)
	}
	s.want("diff orders-value", "v2 (id 3) → v3 (id 4)", "1 change", "added", "note", `union[null,string] (default null)`,
		"compatibility: version 3 is FULL compatible with version 2 (kflow's Avro rules); that keeps the subject's BACKWARD")
	s.keys("left") // from version 1
	if a, b := d.Versions(); a != 1 || b != 3 {
		t.Fatalf("after ←: %d → %d, want 1 → 3", a, b)
	}
	s.want("v1 (id 2) → v3 (id 4)", "2 changes", "currency", "note")
	s.keys("[") // to version 2
	s.want("v1 (id 2) → v2 (id 3)", "1 change", "currency")
	s.keys("[") // to cannot reach from
	if a, b := d.Versions(); a != 1 || b != 2 {
		t.Fatalf("after [ [: %d → %d, want 1 → 2", a, b)
	}

	// A version that adds a field with no default breaks BACKWARD: the
	// verdict says so, naming the path.
	ctx := context.Background()
	if err := rig.c.Registry.SetCompatibility(ctx, "orders-key", "NONE"); err != nil {
		t.Fatal(err)
	}
	if _, err := rig.c.Registry.Register(ctx, "orders-key", ordersV1, schema.Avro, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := rig.c.Registry.Register(ctx, "orders-key", ordersBad, schema.Avro, nil); err != nil {
		t.Fatal(err)
	}
	if err := rig.c.Registry.SetCompatibility(ctx, "orders-key", "BACKWARD"); err != nil {
		t.Fatal(err)
	}
	s2 := newSchemaHost(t, rig.c, NewSchemaDiff(rig.c, "orders-key", []int{1, 2, 3}, 1, 2))
	s2.want("added", "customer", "version 3 is FORWARD compatible with version 2", "that breaks the subject's BACKWARD")
	s2.want("BACKWARD: customer", "(BACKWARD: the new schema reads old data; FORWARD: the old schema reads new data)")
}

func TestSchemasDiffNeedsTwoVersions(t *testing.T) {
	rig := newSchemaRig(t, false)
	s := newSchemaHost(t, rig.c, NewSchemaSubject(rig.c, schema.Subject{Name: "payments-value", Type: schema.JSONSchema}, nil))
	s.want("version 1")
	s.keys("d")
	if _, ok := s.h.front().(*SchemaSubject); !ok {
		t.Fatalf("d with one version opened %T", s.h.front())
	}
	if n := s.notice(); !strings.Contains(n, "has 1 version: nothing to diff") {
		t.Fatalf("notice %q", n)
	}
}

func TestSchemasCheckThenRegisterWithNameTypedBack(t *testing.T) {
	rig := newSchemaRig(t, false)
	list := NewSchemas(rig.c, "")
	s := newSchemaHost(t, rig.c, list)
	s.keys("/")
	s.typ("orders-value")
	s.keys("enter", "enter")
	s.want("version 3")
	s.keys("c")
	chk, ok := s.h.front().(*SchemaCheck)
	if !ok {
		t.Fatalf("c opened %T", s.h.front())
	}
	// The editor starts with the version shown.
	if got := chk.editor.Value(); !strings.Contains(got, `"name": "note"`) {
		t.Fatalf("editor starts with %q, want version 3", got)
	}

	// Incompatible: the registry says so, and r does not register it.
	chk.editor.SetValue(ordersBad)
	s.keys("ctrl+s")
	s.want("NOT compatible with subject orders-value's latest version at BACKWARD (the registry's check)", "kflow's Avro rules: FORWARD", "BACKWARD: customer: the reader's field has no default")
	if vd := chk.Verdict(); vd == nil || vd.Compatible {
		t.Fatalf("verdict %+v, want not compatible", vd)
	}
	s.keys("r")
	if chk.confirm != nil {
		t.Fatal("r offered to register an incompatible schema")
	}
	if n := s.notice(); !strings.Contains(n, "not registering") {
		t.Fatalf("notice %q", n)
	}

	// Compatible, loaded from a file: verdict first, nothing registered.
	path := filepath.Join(t.TempDir(), "order.avsc")
	if err := os.WriteFile(path, []byte(ordersV4), 0o600); err != nil {
		t.Fatal(err)
	}
	s.keys("e")
	chk.editor.SetValue("@" + path)
	s.keys("ctrl+s")
	s.want("compatible with subject orders-value's latest version at BACKWARD", "(the registry's check)", "(@"+path+")", "kflow's Avro rules: FULL", "r registers it")
	if vs, _ := rig.c.Registry.Versions(context.Background(), "orders-value"); len(vs) != 3 {
		t.Fatalf("a check registered something: versions %v", vs)
	}

	// r asks for the subject typed back; a wrong name registers nothing.
	s.keys("r")
	s.want("Register a new version of subject orders-value", "Type the subject name to confirm")
	s.typ("orders")
	s.keys("enter")
	s.want("type orders-value exactly to register it")
	if vs, _ := rig.c.Registry.Versions(context.Background(), "orders-value"); len(vs) != 3 {
		t.Fatalf("registered with the name mistyped: versions %v", vs)
	}
	s.typ("-value")
	s.keys("enter")
	s.want("registered as version 4, schema id 7")
	if n := s.notice(); n != "registered subject orders-value version 4, schema id 7" {
		t.Fatalf("notice %q", n)
	}
	got, err := rig.c.Registry.Get(context.Background(), "orders-value", 4)
	if err != nil || got.Schema != ordersV4 {
		t.Fatalf("version 4: %v %q", err, got.Schema)
	}
	// The views under it reloaded.
	s.send(PopMsg{}) // esc: the shell goes back
	s.want("4 versions", "version 3 · id 4")
	s.send(PopMsg{})
	if row := subjectCells(list, "orders-value"); row != "orders-value 4 7 AVRO BACKWARD (global) 4" {
		t.Fatalf("list row after register: %q", row)
	}
}

func subjectCells(v *Schemas, subject string) string {
	for _, r := range v.Table().rows {
		if r.Key == subject {
			var cells []string
			for _, c := range r.Cells {
				cells = append(cells, c.Text)
			}
			return strings.Join(cells, " ")
		}
	}
	return ""
}

func TestSchemasDeleteVersionThenSubject(t *testing.T) {
	rig := newSchemaRig(t, false)
	list := NewSchemas(rig.c, "")
	s := newSchemaHost(t, rig.c, list)
	s.keys("/")
	s.typ("orders-value")
	s.keys("enter", "enter")
	s.want("version 3")
	s.keys("D")
	s.want("Delete version 3 of subject orders-value", "schema id 4", "Type the subject name to confirm")
	s.keys("esc")
	s.not("Delete version 3")
	if n := s.notice(); n != "delete cancelled; nothing was deleted" {
		t.Fatalf("notice %q", n)
	}
	s.keys("D")
	s.typ("orders-valu")
	s.keys("enter")
	s.want("type orders-value exactly to delete it")
	s.typ("e")
	s.keys("enter")
	if n := s.notice(); n != "deleted version 3 of subject orders-value (soft)" {
		t.Fatalf("notice %q", n)
	}
	s.want("2 versions", "version 2 · id 3 · AVRO · latest")
	if vs, _ := rig.c.Registry.Versions(context.Background(), "orders-value"); len(vs) != 2 {
		t.Fatalf("versions after delete: %v", vs)
	}
	s.send(PopMsg{})
	if row := subjectCells(list, "orders-value"); row != "orders-value 2 3 AVRO BACKWARD (global) 2" {
		t.Fatalf("list row after the delete: %q", row)
	}

	// The whole subject, from the list.
	s.keys("D")
	s.want("Delete subject orders-value", "its 2 versions")
	s.typ("orders-value")
	s.keys("enter")
	if n := s.notice(); n != "deleted subject orders-value (soft): 2 versions" {
		t.Fatalf("notice %q", n)
	}
	s.keys("esc")
	s.want("3 subjects")
	if row := subjectCells(list, "orders-value"); row != "" {
		t.Fatalf("the deleted subject is still listed: %q", row)
	}
}

func TestSchemasReadOnlyRefusesWrites(t *testing.T) {
	rig := newSchemaRig(t, true)
	list := NewSchemas(rig.c, "")
	s := newSchemaHost(t, rig.c, list)
	s.want("read-only", "orders-value")
	helpHas := func(v View, what string) bool {
		for _, g := range v.FullHelp() {
			for _, b := range g {
				if strings.Contains(b.Help().Desc, what) {
					return true
				}
			}
		}
		for _, b := range v.ShortHelp() {
			if strings.Contains(b.Help().Desc, what) {
				return true
			}
		}
		return false
	}
	if helpHas(list, "delete") {
		t.Error("read-only list offers delete")
	}
	s.keys("D")
	if n := s.notice(); !strings.Contains(n, "read-only") {
		t.Fatalf("D in read-only: notice %q", n)
	}
	if list.confirm != nil {
		t.Fatal("read-only D asked for a name")
	}
	s.keys("/")
	s.typ("orders-value")
	s.keys("enter", "enter")
	sub := s.h.front().(*SchemaSubject)
	s.want("version 3")
	if helpHas(sub, "delete") {
		t.Error("read-only subject view offers delete")
	}
	s.keys("D")
	if sub.confirm != nil || !strings.Contains(s.notice(), "read-only") {
		t.Fatalf("read-only D on a version: confirm %v, notice %q", sub.confirm != nil, s.notice())
	}
	// A check is a read: it runs; registering is neither offered nor done.
	s.keys("c")
	chk := s.h.front().(*SchemaCheck)
	chk.editor.SetValue(ordersV4)
	s.keys("ctrl+s")
	s.want("compatible with subject orders-value's latest version", "read-only: nothing can be registered")
	if helpHas(chk, "register") {
		t.Error("read-only check offers register")
	}
	s.keys("r")
	if chk.confirm != nil || !strings.Contains(s.notice(), "read-only") {
		t.Fatalf("read-only r: confirm %v, notice %q", chk.confirm != nil, s.notice())
	}
	if vs, _ := rig.c.Registry.Versions(context.Background(), "orders-value"); len(vs) != 3 {
		t.Fatalf("read-only registered or deleted: versions %v", vs)
	}
}

func TestSchemasWithoutRegistrySaysHowToConnect(t *testing.T) {
	rig := newSchemaRig(t, false)
	rig.c.Registry = nil
	v := NewSchemas(rig.c, "")
	if cmd := v.Init(); cmd != nil {
		t.Fatal("the view asks for subjects without a registry")
	}
	s := newSchemaHost(t, rig.c, v)
	s.want("no schema registry: start kflow with --registry URL, KFLOW_REGISTRY or a context's schema-registry")
	s.not("loading")
	s.keys("r", "enter", "c", "D")
	if _, ok := s.h.front().(*Schemas); !ok {
		t.Fatalf("keys opened %T with no registry", s.h.front())
	}
}

func TestSchemasUnreachableRegistryNamesTheURL(t *testing.T) {
	rig := newSchemaRig(t, false)
	rig.reg.Close() // nothing answers at the URL any more
	v := NewSchemas(rig.c, "")
	start := time.Now()
	s := newSchemaHost(t, rig.c, v)
	if time.Since(start) > 8*time.Second {
		t.Fatalf("the load took %v", time.Since(start))
	}
	s.want("could not list subjects (r retries)", "schema registry "+rig.url+": list subjects")
	if v.Busy() {
		t.Fatal("still busy after the answer")
	}
	if n := s.notice(); !strings.Contains(n, rig.url) {
		t.Fatalf("notice %q does not name the registry", n)
	}
}

// A registry that takes longer than the call timeout gets a timeout, not a
// hang: the call is a command bounded by Common.Timeout.
func TestSchemasSlowRegistryTimesOut(t *testing.T) {
	rig := newSchemaRig(t, false)
	rig.c.Timeout = 200 * time.Millisecond
	cl, err := schema.New(schema.Config{URL: newSilentServer(t), Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	rig.c.Registry = cl
	v := NewSchemas(rig.c, "")
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := newSchemaHost(t, rig.c, v)
		s.want("could not list subjects", "list subjects: no answer within 200ms")
	}()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("the call hung past its timeout")
	}
}

// newSilentServer accepts connections and never answers: a registry that
// hangs. It returns its URL.
func newSilentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// On a narrow terminal no line of any schema screen is wider than the
// terminal, and the long subject's name is cut with an ellipsis.
func TestSchemasNarrowCutsWithEllipsis(t *testing.T) {
	rig := newSchemaRig(t, false)
	s := newSchemaHost(t, rig.c, NewSchemas(rig.c, ""))
	const w = 44
	s.send(tea.WindowSizeMsg{Width: w, Height: 16})
	fits := func(what string) {
		t.Helper()
		for i, l := range strings.Split(s.screen(), "\n") {
			if lw := ansi.StringWidth(l); lw > w {
				t.Fatalf("%s: line %d is %d cells wide, more than %d:\n%s", what, i+1, lw, w, s.screen())
			}
		}
	}
	fits("list")
	s.want("com.example.ver…")
	s.not(longSubject)
	s.keys("enter")
	fits("subject")
	s.want("…", "version 1 · id 6")
	s.keys("c")
	fits("check")
	s.send(PopMsg{})
	s.send(PopMsg{})
	s.keys("/")
	s.typ("orders-value")
	s.keys("enter", "enter", "d")
	fits("diff")
	s.want("compatibility: version 3 is FULL")
}

// Protobuf and JSON Schema diffs list their changes by path; kflow has no
// local rules for them, so the verdict is the registry's level alone.
func TestSchemasDiffProtobufAndJSONSchema(t *testing.T) {
	rig := newSchemaRig(t, false)
	ctx := context.Background()
	invoiceV2 := strings.Replace(invoiceV1, "  int64 cents = 2;\n", "  int64 cents = 2;\n  string currency = 3;\n", 1)
	if _, err := rig.c.Registry.Register(ctx, longSubject, invoiceV2, schema.Protobuf, nil); err != nil {
		t.Fatal(err)
	}
	s := newSchemaHost(t, rig.c, NewSchemaDiff(rig.c, longSubject, []int{1, 2}, 0, 1))
	s.want("added", "billing.InvoiceLineItemCorrected.currency (3)", "string",
		"compatibility: the registry checks BACKWARD; kflow computes no local verdict for PROTOBUF")

	paymentsV2 := `{"type":"object","properties":{"payer":{"type":"string"},"cents":{"type":"number"}},"required":["payer","cents"]}`
	if _, err := rig.c.Registry.Register(ctx, "payments-value", paymentsV2, schema.JSONSchema, nil); err != nil {
		t.Fatal(err)
	}
	s2 := newSchemaHost(t, rig.c, NewSchemaDiff(rig.c, "payments-value", []int{1, 2}, 0, 1))
	s2.want("type changed", "cents", "integer", "number", "required changed", "kflow computes no local verdict for JSON")
}

// ? draws each view's help from its bindings: every key the view takes is
// there, with what it does.
func TestSchemasHelpFromBindings(t *testing.T) {
	rig := newSchemaRig(t, false)
	descs := func(v View) string {
		var out []string
		for _, g := range v.FullHelp() {
			for _, b := range g {
				out = append(out, b.Help().Key+" "+b.Help().Desc)
			}
		}
		return strings.Join(out, "\n")
	}
	for _, tc := range []struct {
		v    View
		want []string
	}{
		{NewSchemas(rig.c, ""), []string{"enter versions", "/ filter", "c check a schema", "D delete subject", "r refresh"}},
		{NewSchemaSubject(rig.c, schema.Subject{Name: "orders-value"}, nil), []string{"←/h older version", "→/l newer version", "d diff with the version before", "c check a schema", "D delete version", "↓/j scroll down"}},
		{NewSchemaDiff(rig.c, "orders-value", []int{1, 2}, 0, 1), []string{"←/h older 'from'", "]", "/ filter"}},
		{NewSchemaCheck(rig.c, "orders-value", schema.Avro, "", nil), []string{"ctrl+s check compatibility", "ctrl+t schema type", "esc back"}},
	} {
		got := descs(tc.v)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s help lacks %q:\n%s", tc.v.Title(), w, got)
			}
		}
	}
}

// ctrl+t cycles the candidate's type; an empty candidate is refused with
// how to give one, and nothing is asked of the registry's check.
func TestSchemasCheckTypeAndEmptyCandidate(t *testing.T) {
	rig := newSchemaRig(t, false)
	s := newSchemaHost(t, rig.c, NewSchemas(rig.c, ""))
	v := NewSchemaCheck(rig.c, "payments-value", schema.JSONSchema, "", nil)
	s.send(PushMsg{View: v})
	s.want("check a schema against payments-value", "JSON (ctrl+t)")
	s.keys("ctrl+t")
	s.want("AVRO (ctrl+t)")
	s.keys("ctrl+t", "ctrl+t")
	s.want("JSON (ctrl+t)")
	s.keys("ctrl+s")
	s.want("the schema is empty: type one, or @PATH to load a file")
	if v.Verdict() != nil {
		t.Fatal("an empty schema got a verdict")
	}
	s.keys("esc")
	if _, ok := s.h.front().(*Schemas); !ok {
		t.Fatalf("esc in the editor left %T in front, want the list", s.h.front())
	}
}

// A tick refreshes the list, as r does: a subject registered meanwhile
// appears; a tick for another view does nothing.
func TestSchemasRefreshOnTick(t *testing.T) {
	rig := newSchemaRig(t, false)
	v := NewSchemas(rig.c, "")
	s := newSchemaHost(t, rig.c, v)
	s.want("4 subjects")
	if _, err := rig.c.Registry.Register(context.Background(), "shipments-value", `"string"`, schema.Avro, nil); err != nil {
		t.Fatal(err)
	}
	s.send(TickMsg{ID: v.ID() + 100})
	s.want("4 subjects")
	s.send(TickMsg{ID: v.ID()})
	s.want("5 subjects", "shipments-value")
	if _, err := rig.c.Registry.Delete(context.Background(), "shipments-value", -1); err != nil {
		t.Fatal(err)
	}
	s.keys("r")
	s.want("4 subjects")
	s.not("shipments-value")
}
