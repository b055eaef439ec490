package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"kflow/kafka"
	"kflow/kafka/demo"
)

// demoBrokers starts the embedded demo cluster (kfake) for the test and
// returns its address: the CLI's kfake backend.
func demoBrokers(t *testing.T) string {
	t.Helper()
	d, err := demo.Start(context.Background(), demo.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d.Addr()
}

// TestJSONLinesRoundTripHeaderKeyBytes: tail --json, produce --from-jsonl,
// tail --json again keeps a header key that is not valid UTF-8 byte for
// byte (base64 and marked, never U+FFFD), and writes the invisible
// characters of a value escaped; on kfake and on the real broker.
func TestJSONLinesRoundTripHeaderKeyBytes(t *testing.T) {
	for _, b := range []struct {
		name    string
		brokers func(*testing.T) string
	}{{"kfake", demoBrokers}, {"kafka", realBrokers}} {
		t.Run(b.name, func(t *testing.T) {
			isolateConfig(t)
			env := map[string]string{"KFLOW_BROKERS": b.brokers(t)}
			must := func(args ...string) result {
				t.Helper()
				r := kflow(t, "", env, args...)
				if r.code != 0 {
					t.Fatalf("kflow %q: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
				}
				return r
			}
			src, dst := uniqueName(t), uniqueName(t)+"-copy"
			for _, topic := range []string{src, dst} {
				must("topic", "create", topic, "-p", "1", "-r", "1")
				t.Cleanup(func() { kflow(t, "", env, "topic", "delete", topic, "--confirm", topic) })
			}
			const binKey, value = "\xff\xfeid", "order \u202e1gpj.exe\u200b\u0085"
			must("produce", "-t", src, "-k", "k", "-H", binKey+"=v1", "-H", "plain=v2", value)

			first := must("tail", "-t", src, "--from", "beginning", "--exit", "--json").stdout
			if !strings.Contains(first, `"key_encoding":"base64"`) || strings.Contains(first, `\ufffd`) {
				t.Fatalf("the binary header key is not marked base64: %s", first)
			}
			if !strings.Contains(first, `order \u202e1gpj.exe\u200b\u0085`) {
				t.Fatalf("the value's invisible characters are not escaped: %s", first)
			}
			saved := filepath.Join(t.TempDir(), "saved.jsonl")
			if err := os.WriteFile(saved, []byte(first), 0o600); err != nil {
				t.Fatal(err)
			}
			must("produce", "-t", dst, "--from-jsonl", saved)
			second := must("tail", "-t", dst, "--from", "beginning", "--exit", "--json").stdout

			var recs []kafka.Record
			for _, line := range []string{first, second} {
				var j kafka.JSONRecord
				if err := json.Unmarshal([]byte(line), &j); err != nil {
					t.Fatalf("%s: %v", line, err)
				}
				r, err := j.Record()
				if err != nil {
					t.Fatal(err)
				}
				recs = append(recs, r)
			}
			want := []kafka.Header{{Key: binKey, Value: []byte("v1")}, {Key: "plain", Value: []byte("v2")}}
			for i, r := range recs {
				if !reflect.DeepEqual(r.Headers, want) || string(r.Value) != value || string(r.Key) != "k" {
					t.Fatalf("pass %d read back key %q value %q headers %q, want headers %q", i+1, r.Key, r.Value, r.Headers, want)
				}
			}
		})
	}
}
