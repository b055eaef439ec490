package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kflow/kafka"
)

// TestTailValueFormats: values written by Kafka's LongSerializer (what the
// word count's output holds) read as numbers with --value-format long, in
// plain and JSON output; a value of the wrong size is printed as its bytes
// with the reason, never dropped; keys read as strings with --key-format.
func TestTailValueFormats(t *testing.T) {
	isolateConfig(t)
	brokers := realBrokers(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	topic := uniqueName(t)
	if r := kflow(t, "", nil, "topic", "create", "-b", brokers, topic, "-p", "1"); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	c, err := kafka.Connect(ctx, kafka.ConnConfig{Brokers: []string{brokers}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, r := range []kafka.Record{
		{Key: []byte("kafka"), Value: binary.BigEndian.AppendUint64(nil, 42)},
		{Key: []byte("streams"), Value: binary.BigEndian.AppendUint64(nil, 1<<40)},
		{Key: []byte("odd"), Value: []byte{1, 2, 3}},
	} {
		r.Topic = topic
		if _, err := c.Produce(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	base := []string{"tail", "-b", brokers, "-t", topic, "--from", "beginning", "--exit", "--value-format", "long"}
	r := kflow(t, "", nil, append(base, "-K", "=")...)
	if r.code != 0 {
		t.Fatalf("tail: %+v", r)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 3 || lines[0] != "kafka=42" || lines[1] != "streams=1099511627776" || !strings.HasPrefix(lines[2], "odd=") {
		t.Errorf("plain tail --value-format long printed %q", lines)
	}
	if !strings.Contains(r.stderr, "format long needs 8 bytes, got 3") || strings.Count(r.stderr, "not decoded") != 1 {
		t.Errorf("stderr %q: want the odd value's reason once", r.stderr)
	}

	r = kflow(t, "", nil, append(base, "--json", "--key-format", "string")...)
	if r.code != 0 {
		t.Fatalf("tail --json: %+v", r)
	}
	lines = strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	var first struct {
		Key         string `json:"key"`
		KeyFormat   string `json:"key_format"`
		Value       int64  `json:"value"`
		ValueFormat string `json:"value_format"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.Key != "kafka" || first.KeyFormat != "string" || first.Value != 42 || first.ValueFormat != "long" {
		t.Errorf("first line %s: %+v, %v", lines[0], first, err)
	}
	var odd struct {
		kafka.JSONRecord
		Err string `json:"value_format_error"`
	}
	if err := json.Unmarshal([]byte(lines[2]), &odd); err != nil || odd.Value == nil || *odd.Value != "\x01\x02\x03" || !strings.Contains(odd.Err, "needs 8 bytes") {
		t.Errorf("odd line %s: %+v, %v", lines[2], odd, err)
	}

	if r := kflow(t, "", nil, append(base[:len(base)-1], "longest")...); r.code != 2 || !strings.Contains(r.stderr, "--value-format") {
		t.Errorf("a bad format: %+v, want a usage error naming --value-format", r)
	}

	// The context's formats: read the topic the same way with no flag;
	// a flag given wins over it.
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("contexts:\n  local:\n    brokers: ["+brokers+"]\n    formats:\n      "+topic+": {key: string, value: long}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctxArgs := []string{"tail", "--config", cfg, "--context", "local", "-t", topic, "--from", "beginning", "--exit", "-K", "="}
	if r := kflow(t, "", nil, ctxArgs...); r.code != 0 || !strings.HasPrefix(r.stdout, "kafka=42\nstreams=1099511627776\n") {
		t.Errorf("tail with the context's formats: %+v", r)
	}
	if r := kflow(t, "", nil, append(ctxArgs, "--value-format", "hex")...); r.code != 0 || !strings.HasPrefix(r.stdout, "kafka=000000000000002a\n") {
		t.Errorf("--value-format hex over the context's long: %+v", r)
	}
}
