package views

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"

	"kflow/internal/registrytest"
	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/views/viewstest"
)

// TestTailDecodesWireFormatOnScreen: against a real registry, a tail's
// rows in the wire format say "decoding…" until the view has fetched their
// schema off the UI's goroutine, then show the decoded JSON; the detail
// pane names the schema, shows the decoded fields, x shows the bytes; a
// record whose schema is not cached yet decodes when its pane opens; an id
// the registry does not know is shown as bytes with the reason.
func TestTailDecodesWireFormatOnScreen(t *testing.T) {
	url := registrytest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rc, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	encode := func(subject, avsc string, v any) []byte {
		t.Helper()
		ss, err := rc.CreateSchema(ctx, subject, sr.Schema{Schema: avsc, Type: sr.TypeAvro})
		if err != nil {
			t.Fatalf("register %s: %v", subject, err)
		}
		body, err := avro.Marshal(avro.MustParse(avsc), v)
		if err != nil {
			t.Fatal(err)
		}
		var h sr.ConfluentHeader
		b, _ := h.AppendEncode(nil, ss.ID, nil)
		return append(b, body...)
	}
	subject := registrytest.Subject(t, "value")
	// The doc makes the text unique: the registry gives identical text one
	// id across subjects, and runs share it.
	first := encode(subject, `{"type":"record","name":"Pay","doc":"`+subject+`","fields":[{"name":"payer","type":"string"},{"name":"cents","type":"long"}]}`,
		map[string]any{"payer": "ada", "cents": int64(1250)})

	reg, err := schema.New(schema.Config{URL: url, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	rig := newTailRig(t, 100, 120, 30)
	rig.v.c.Decoder = schema.NewDecoder(reg, schema.DecoderOptions{})
	run := &viewstest.Runner{Update: func(m tea.Msg) tea.Cmd { _, c := rig.v.Update(m); return c }, Wait: 20 * time.Second}
	push := func(v []byte) {
		off := rig.off[0]
		rig.off[0]++
		rig.ring.Push([]kafka.Record{{Topic: "orders", Offset: off, Timestamp: viewstest.Epoch, Value: v, ValueSize: len(v)}})
	}

	push(first)
	rig.v.frame()
	rig.want("decoding…")
	fetch := rig.v.prefetchShown()
	if fetch == nil {
		t.Fatal("no fetch for the row's schema")
	}
	if again := rig.v.prefetchShown(); again != nil {
		t.Error("a second frame asked for the same schema again")
	}
	run.Do(fetch)
	rig.want(`{"payer":"ada","cents":1250}`)
	rig.not("decoding…")

	run.Keys("enter")
	rig.want("schema "+subject+" v1", "AVRO", `"payer": "ada"`, "VALUE (avro)")
	run.Keys("x")
	rig.want("00000000  00 00 00", "VALUE (binary)")
	rig.not(`"payer": "ada"`)
	run.Keys("x", "esc")

	// A second schema, not cached: its pane says decoding… and fills in.
	second := encode(registrytest.Subject(t, "other"), `{"type":"record","name":"Ship","fields":[{"name":"carrier","type":"string"}]}`,
		map[string]any{"carrier": "dhl"})
	push(second)
	rig.v.frame()
	rig.v.follow = false
	rig.key("G")
	rig.v.frame()
	cmd := rig.key("enter")
	rig.want("decoding… (schema id")
	run.Do(cmd)
	rig.want(`"carrier": "dhl"`)
	run.Keys("esc")

	var h sr.ConfluentHeader
	unknown, _ := h.AppendEncode(nil, 987654321, nil)
	push(append(unknown, 2, 'x'))
	rig.v.frame()
	rig.key("G")
	run.Do(rig.v.prefetchShown())
	run.Do(rig.key("enter"))
	rig.want("not decoded, shown as bytes", "987654321")
}
