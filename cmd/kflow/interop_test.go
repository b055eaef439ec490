package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"kflow/kafka"
)

// kcatRecord is a record as kcat -J prints it.
type kcatRecord struct {
	Topic     string   `json:"topic"`
	Partition int32    `json:"partition"`
	Offset    int64    `json:"offset"`
	TS        int64    `json:"ts"`
	Headers   []string `json:"headers"` // k1, v1, k2, v2, ...
	Key       *string  `json:"key"`
	Payload   *string  `json:"payload"`
}

func kcat(t *testing.T, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(needTool(t, "kcat"), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kcat %q: %v\n%s", args, err, stderr.String())
	}
	return out
}

// TestKcatReadsWhatKflowProduces: key, value and headers byte for byte,
// including bytes that are not text.
func TestKcatReadsWhatKflowProduces(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	topic := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "1"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)
	value := "{\"amount\": 42, \"note\": \"é \\u001b[2J\"}\tend"
	r := kflow(t, "", env, "produce", "-t", topic, "-k", "order-7", "-H", "correlation_id=c-9", "-H", "schema=2", value)
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	// Lengths first, so no byte of key or value can hide a separator.
	out := kcat(t, nil, "-b", b, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%K|%k|%S|%s|%h\n")
	want := fmt.Sprintf("7|order-7|%d|%s|correlation_id=c-9,schema=2\n", len(value), value)
	if string(out) != want {
		t.Errorf("kcat read\n%q\nwant\n%q", out, want)
	}
}

// TestKflowReadsWhatKcatProduces: kcat -P with key and headers, read back
// by kflow tail --json.
func TestKflowReadsWhatKcatProduces(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	topic := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "1"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)
	kcat(t, []byte("k1:hello kafka\nk2:{\"x\":1}\n"), "-b", b, "-P", "-t", topic, "-K", ":", "-H", "trace=abc", "-H", "bin=\x01\x02")
	r := kflow(t, "", env, "tail", "-t", topic, "--from", "beginning", "--exit", "--json")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	var got []kafka.JSONRecord
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var j kafka.JSONRecord
		if err := json.Unmarshal([]byte(l), &j); err != nil {
			t.Fatal(err)
		}
		got = append(got, j)
	}
	if len(got) != 2 || *got[0].Key != "k1" || *got[0].Value != "hello kafka" || *got[1].Key != "k2" || *got[1].Value != `{"x":1}` {
		t.Fatalf("kflow read %s", r.stdout)
	}
	h := got[0].Headers
	if len(h) != 2 || h[0].Key != "trace" || *h[0].Value != "abc" || h[1].Key != "bin" || *h[1].Value != "\x01\x02" {
		t.Errorf("headers %+v", h)
	}
}

// TestTailAgreesWithKcat: on the same topic, kflow tail --exit --json and
// kcat -C -e -J return the same records, one for one.
func TestTailAgreesWithKcat(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	topic := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "3"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)
	var in strings.Builder
	for i := range 300 {
		fmt.Fprintf(&in, "key-%d|value %d with ünïcode\n", i%17, i)
	}
	if r := kflow(t, in.String(), env, "produce", "-t", topic, "-K", "|", "-H", "h=1"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	kcat(t, []byte("\xff\xfebinary\n"), "-b", b, "-P", "-t", topic, "-p", "0")

	r := kflow(t, "", env, "tail", "-t", topic, "--from", "beginning", "--exit", "--json")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	var mine []string
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var j kafka.JSONRecord
		if err := json.Unmarshal([]byte(l), &j); err != nil {
			t.Fatal(err)
		}
		rec, err := j.Record()
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, canonical(j.Partition, j.Offset, j.TimestampMs, rec.Key, rec.Value, rec.Headers))
	}
	// kcat -J mangles bytes that are not UTF-8, so the one binary record
	// (null key) is compared by its base64 in kflow's output instead.
	out := kcat(t, nil, "-b", b, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-J")
	var theirs []string
	binaryLen := -1
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var k kcatRecord
		if err := json.Unmarshal([]byte(l), &k); err != nil {
			t.Fatalf("kcat line %q: %v", l, err)
		}
		var hs []kafka.Header
		for i := 0; i+1 < len(k.Headers); i += 2 {
			hs = append(hs, kafka.Header{Key: k.Headers[i], Value: []byte(k.Headers[i+1])})
		}
		var key, val []byte
		if k.Key != nil {
			key = []byte(*k.Key)
		}
		if k.Payload != nil {
			val = []byte(*k.Payload)
		}
		if k.Key == nil && k.Partition == 0 {
			binaryLen = len(val)
		}
		theirs = append(theirs, canonical(k.Partition, k.Offset, k.TS, key, val, hs))
	}
	sort.Strings(mine)
	sort.Strings(theirs)
	if len(mine) != 301 || len(theirs) != 301 {
		t.Fatalf("kflow read %d records, kcat %d; want 301 each", len(mine), len(theirs))
	}
	for i := range mine {
		if mine[i] != theirs[i] && !strings.Contains(mine[i], "key=<nil>") {
			t.Errorf("record %d differs:\nkflow %s\nkcat  %s", i, mine[i], theirs[i])
		}
	}
	if binaryLen < 0 || !strings.Contains(r.stdout, `"value":"`+base64.StdEncoding.EncodeToString([]byte("\xff\xfebinary"))+`","value_encoding":"base64"`) {
		t.Errorf("the binary record: kcat saw %d bytes; kflow wrote %s", binaryLen, r.stdout)
	}
}

func canonical(p int32, o, ts int64, key, val []byte, hs []kafka.Header) string {
	k := "<nil>"
	if key != nil {
		k = fmt.Sprintf("%q", key)
	}
	var h []string
	for _, x := range hs {
		h = append(h, fmt.Sprintf("%s=%q", x.Key, x.Value))
	}
	return fmt.Sprintf("p=%d o=%06d ts=%d key=%s value=%q headers=%v", p, o, ts, k, val, h)
}
