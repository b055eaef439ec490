package views

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka/demo"
	"kflow/kafka/schema"
	"kflow/themes"
	"kflow/views/viewstest"
)

// The subjects every schemas test starts with, in the in-process
// registry: orders-value evolves over three Avro versions (a field added
// with a default, then an optional one), payments-value is JSON Schema at
// FULL, a Protobuf subject has a name too long for 80 columns.
const (
	ordersV1 = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"cents","type":"long"}]}`
	ordersV2 = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"cents","type":"long"},{"name":"currency","type":"string","default":"EUR"}]}`
	ordersV3 = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"cents","type":"long"},{"name":"currency","type":"string","default":"EUR"},{"name":"note","type":["null","string"],"default":null}]}`
	// ordersV4 adds a field with a default: BACKWARD compatible.
	ordersV4 = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"cents","type":"long"},{"name":"currency","type":"string","default":"EUR"},{"name":"note","type":["null","string"],"default":null},{"name":"channel","type":"string","default":"web"}]}`
	// ordersBad adds a field without a default: new readers cannot read
	// old data, which BACKWARD forbids.
	ordersBad   = `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"cents","type":"long"},{"name":"customer","type":"string"}]}`
	paymentsV1  = `{"type":"object","properties":{"payer":{"type":"string"},"cents":{"type":"integer"}},"required":["payer"]}`
	longSubject = "com.example.very.long.namespace.of.the.billing.department.InvoiceLineItemCorrected-value"
	invoiceV1   = "syntax = \"proto3\";\npackage billing;\n\nmessage InvoiceLineItemCorrected {\n  string invoice = 1;\n  int64 cents = 2;\n}\n"
)

// schemaRig is an in-process registry with the fixed subjects, and a
// Common whose Registry is a client of it.
type schemaRig struct {
	reg *demo.Registry
	url string
	c   *Common
}

func newSchemaRig(t *testing.T, readOnly bool) *schemaRig {
	t.Helper()
	reg := demo.NewRegistry()
	url, err := reg.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reg.Close)
	cl, err := schema.New(schema.Config{URL: url, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range []struct {
		subject, text string
		typ           schema.Type
	}{
		{"orders-key", `"string"`, schema.Avro},
		{"orders-value", ordersV1, schema.Avro},
		{"orders-value", ordersV2, schema.Avro},
		{"orders-value", ordersV3, schema.Avro},
		{"payments-value", paymentsV1, schema.JSONSchema},
		{longSubject, invoiceV1, schema.Protobuf},
	} {
		if _, err := cl.Register(ctx, s.subject, s.text, s.typ, nil); err != nil {
			t.Fatalf("seed %s: %v", s.subject, err)
		}
	}
	if err := cl.SetCompatibility(ctx, "payments-value", "FULL"); err != nil {
		t.Fatal(err)
	}
	th, err := themes.Load("", "", false)
	if err != nil {
		t.Fatal(err)
	}
	clock := viewstest.NewClock()
	c := &Common{Ctx: context.Background(), Theme: th, Now: clock.Now, Timeout: 5 * time.Second, Registry: cl, ReadOnly: readOnly}
	return &schemaRig{reg: reg, url: url, c: c}
}

// schemaHost drives a stack of schema views synchronously, as the shell
// would: commands run at once and their messages are fed back.
type schemaHost struct {
	*syncHost
}

func newSchemaHost(t *testing.T, c *Common, v View) *schemaHost {
	t.Helper()
	s := &syncHost{t: t, h: &host{stack: []View{v}}}
	// Registry calls take their time on a loaded machine; the schema
	// views start no timer (Common.Refresh is zero), so nothing waits the
	// whole of it.
	s.run = viewstest.Runner{Wait: 10 * time.Second, Update: func(msg tea.Msg) tea.Cmd {
		_, cmd := s.h.Update(msg)
		return cmd
	}}
	s.send(tea.WindowSizeMsg{Width: 120, Height: 30})
	s.run.Do(s.h.Init())
	return &schemaHost{s}
}

// not fails when the screen shows any of subs.
func (s *schemaHost) not(subs ...string) {
	s.t.Helper()
	scr := s.screen()
	for _, sub := range subs {
		if containsText(scr, sub) {
			s.t.Fatalf("screen shows %q:\n%s", sub, scr)
		}
	}
}

func (s *schemaHost) notice() string {
	s.h.mu.Lock()
	defer s.h.mu.Unlock()
	return s.h.notice
}

func containsText(screen, sub string) bool { return viewstest.Missing(ansi.Strip(screen), sub) == "" }
