package views

import (
	"context"
	"strings"
	"testing"
	"time"

	"kflow/internal/registrytest"
	"kflow/kafka/schema"
	"kflow/themes"
	"kflow/views/viewstest"
)

// TestSchemasOverRealRegistry walks the schemas view over the real
// registry (Apicurio's Confluent API): a topic's subject listed with its
// versions, the latest shown, the diff and its verdict, a candidate
// checked and registered with the name typed back, then a version
// deleted.
func TestSchemasOverRealRegistry(t *testing.T) {
	url := registrytest.URL(t)
	subject := registrytest.Subject(t, "value")
	topic := strings.TrimSuffix(subject, "-value")
	reg, err := schema.New(schema.Config{URL: url, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, s := range []string{ordersV1, ordersV2} {
		if _, err := reg.Register(ctx, subject, s, schema.Avro, nil); err != nil {
			t.Fatalf("register: %v", err)
		}
	}
	if err := reg.SetCompatibility(ctx, subject, "BACKWARD"); err != nil {
		t.Fatal(err)
	}
	th, err := themes.Load("", "", false)
	if err != nil {
		t.Fatal(err)
	}
	c := &Common{Ctx: context.Background(), Theme: th, Now: viewstest.NewClock().Now, Timeout: 20 * time.Second, Registry: reg}
	list := NewSchemas(c, topic)
	s := newSchemaHost(t, c, list)
	s.want("1 subject", subject)
	if row := subjectCells(list, subject); !strings.HasPrefix(row, subject+" 2 ") || !strings.HasSuffix(row, " AVRO BACKWARD 2") {
		t.Fatalf("row %q: want latest 2, AVRO, BACKWARD, 2 versions", row)
	}

	s.keys("enter")
	s.want("compatibility BACKWARD", "2 versions", "version 2 · id", "AVRO · latest", `"name": "currency"`, `"default": "EUR"`)

	s.keys("d")
	s.want("v1 (id", "→ v2 (id", "1 change", "added", "currency", `string (default "EUR")`,
		"compatibility: version 2 is FULL compatible with version 1 (kflow's Avro rules); that keeps the subject's BACKWARD")
	s.send(PopMsg{})

	s.keys("c")
	chk := s.h.front().(*SchemaCheck)
	chk.editor.SetValue(ordersBad)
	s.keys("ctrl+s")
	s.want("NOT compatible with subject " + subject)
	s.keys("e")
	chk.editor.SetValue(ordersV3)
	s.keys("ctrl+s")
	s.want("compatible with subject "+subject+"'s latest version at BACKWARD", "r registers it")
	s.keys("r")
	s.typ(subject)
	s.keys("enter")
	s.want("registered as version 3")
	if vs, err := reg.Versions(ctx, subject); err != nil || len(vs) != 3 {
		t.Fatalf("versions after register: %v %v", vs, err)
	}
	s.send(PopMsg{})
	s.want("3 versions", "version 2 · id")

	s.keys("right")
	s.want("version 3 · id", `"name": "note"`)
	s.keys("D")
	s.typ(subject)
	s.keys("enter")
	if n := s.notice(); n != "deleted version 3 of subject "+subject+" (soft)" {
		t.Fatalf("notice %q", n)
	}
	// Apicurio still lists the version it soft-deleted: the view says so,
	// and the latest is the one the registry serves.
	s.want("version 2 · id", "AVRO · latest")
	s.keys("right")
	s.want("version 3 · id", "deleted (soft)")
	if latest, _ := reg.Get(ctx, subject, -1); latest.Version != 2 {
		t.Fatalf("latest after deleting version 3: %d", latest.Version)
	}
}
