package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"

	"kflow/internal/registrytest"
	"kflow/kafka"
)

// TestTUIProducesAvroAndTailsItDecoded drives the real binary in tmux
// against the real broker and the real registry: the produce form picks the
// subject, fills the value with the schema's skeleton (every field typed,
// the enum's first symbol), which is sent; a tail of the topic then shows
// the record decoded, and
// its detail pane names the schema. The bytes on the broker are the wire
// format with the subject's id, and hamba/avro (not kflow) reads the value
// typed.
func TestTUIProducesAvroAndTailsItDecoded(t *testing.T) {
	needTool(t, "tmux")
	brokers := realBrokers(t)
	url := registrytest.URL(t)
	subject := registrytest.Subject(t, "value")
	isolateConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	avsc := `{"type":"record","name":"Shipment","namespace":"e2e","doc":"` + subject + `","fields":[
		{"name":"parcel","type":"string"},
		{"name":"kg","type":"double"},
		{"name":"carrier","type":{"type":"enum","name":"Carrier","symbols":["DHL","UPS"]}}]}`
	rc, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	ss, err := rc.CreateSchema(ctx, subject, sr.Schema{Schema: avsc, Type: sr.TypeAvro})
	if err != nil {
		t.Fatal(err)
	}
	topic := uniqueName(t)
	cl, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: []string{brokers}})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.CreateTopic(ctx, kafka.TopicSpec{Name: topic, Partitions: 1, ReplicationFactor: 1}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.DeleteTopic(context.Background(), topic) })

	s := startTUI(t, 120, 40, "-b", brokers, "--registry", url)
	s.waitFor(30*time.Second, "● connected", "TOPIC")
	s.keys(":")
	s.text("produce " + topic)
	s.keys("Enter")
	s.waitFor(15*time.Second, "Produce", "Encoding", "ctrl+o: a schema from the registry")
	s.keys("Tab") // from the key to the value
	s.keys("C-o")
	s.waitFor(15*time.Second, "Encode the value with")
	s.text(subject)
	s.waitFor(10*time.Second, subject)
	s.keys("Enter")
	s.waitFor(10*time.Second, "Version of "+subject, "latest (version 1)")
	s.keys("Enter")
	s.waitFor(10*time.Second, subject+" v1", `"parcel"`, `"carrier": "DHL"`)
	// The skeleton is valid as it is.
	s.keys("C-s")
	s.waitFor(15*time.Second, "✓ "+topic)

	s.keys("Escape") // back to the topics: a key right after would read as alt+key
	s.waitUntil(10*time.Second, "the form to close", func(scr string) bool { return !strings.Contains(scr, "Encoding") })
	s.keys(":")
	s.text("tail " + topic)
	s.keys("Enter")
	s.waitFor(10*time.Second, "Tail "+topic, "Start")
	s.keys("C-u")
	s.text("beginning")
	s.keys("Enter")
	scr := s.waitFor(20*time.Second, "received 1", `{"parcel":`, `"carrier":"DHL"`)
	if strings.Contains(scr, "decoding…") {
		t.Fatalf("the row still decoding once shown:\n%s", scr)
	}
	s.keys("Enter")
	s.waitFor(10*time.Second, "VALUE (avro)", "schema "+subject+" v1", "AVRO", `"carrier": "DHL"`)

	// What the form wrote: the wire format with the subject's id, which an
	// independent decoder reads.
	cs, err := cl.Consume(ctx, kafka.TailOptions{Topic: topic, Start: kafka.Start{Kind: kafka.StartBeginning}, StopAtEnd: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	recs, err := cs.Poll(ctx)
	if err != nil || len(recs) != 1 {
		t.Fatalf("read back %d records, %v", len(recs), err)
	}
	v := recs[0].Value
	var h sr.ConfluentHeader
	id, body, err := h.DecodeID(v)
	if err != nil || id != ss.ID {
		t.Fatalf("value %x: schema id %d, %v; want the wire format with id %d", v, id, err, ss.ID)
	}
	var got map[string]any
	if err := avro.Unmarshal(avro.MustParse(avsc), body, &got); err != nil || got["carrier"] != "DHL" {
		t.Fatalf("hamba read %v, %v", got, err)
	}
}
