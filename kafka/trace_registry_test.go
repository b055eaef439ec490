package kafka

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"kflow/kafka/schema"
)

// TestTraceDecodesWireFormat: an Avro value in the registry's wire format
// matches when its decoded trace field holds the id, and not when only
// another field does; the registry is asked only for values whose bytes
// hold the id.
func TestTraceDecodesWireFormat(t *testing.T) {
	u := os.Getenv("KFLOW_TEST_REGISTRY")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but KFLOW_TEST_REGISTRY is not set")
		}
		t.Skip("KFLOW_TEST_REGISTRY not set")
	}
	ctx := testCtx(t)
	reg, err := schema.New(schema.Config{URL: strings.TrimRight(u, "/")})
	if err != nil {
		t.Fatal(err)
	}
	subject := fmt.Sprintf("kflow-trace-%d-value", time.Now().UnixNano())
	avsc := `{"type":"record","name":"E","namespace":"` + strings.ReplaceAll(subject, "-", "_") + `","fields":[` +
		`{"name":"note","type":"string"},{"name":"meta","type":{"type":"record","name":"M","fields":[{"name":"correlation_id","type":"string"}]}}]}`
	if _, err := reg.Register(ctx, subject, avsc, schema.Avro, nil); err != nil {
		t.Fatal(err)
	}
	enc, err := reg.Encoder(ctx, subject, -1)
	if err != nil {
		t.Fatal(err)
	}
	carrier, err := enc.Encode([]byte(`{"note":"x","meta":{"correlation_id":"c-77"}}`))
	if err != nil {
		t.Fatal(err)
	}
	decoy, err := enc.Encode([]byte(`{"note":"c-77","meta":{"correlation_id":"c-78"}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := NewTraceMatcher("c-77", nil, schema.NewDecoder(reg, schema.DecoderOptions{}), false)
	if !m.Match(&Record{Value: carrier}) {
		t.Error("the decoded correlation_id does not match")
	}
	if m.Match(&Record{Value: decoy}) {
		t.Error("an id in a field that is not a trace field matches")
	}
}
