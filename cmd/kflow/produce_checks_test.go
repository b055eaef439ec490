package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// kflowIn is kflow with stdin from r, for inputs a string cannot model
// (a pipe that cannot be rewound, a stream of many megabytes).
func kflowIn(t *testing.T, r io.Reader, environ map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := env{stdin: r, stdout: &out, stderr: &errb, getenv: func(k string) string {
		if v, ok := environ[k]; ok {
			return v
		}
		if k == "XDG_CONFIG_HOME" || k == "HOME" {
			return ""
		}
		return os.Getenv(k)
	}}
	code := run(ctx, args, e)
	return result{code, out.String(), errb.String()}
}

// pipeReader hides a reader's Seek, as a pipe has none.
type pipeReader struct{ r io.Reader }

func (p pipeReader) Read(b []byte) (int, error) { return p.r.Read(b) }

// endlessLine is an unbounded line of 'x' (like /dev/zero without a
// newline) that counts the bytes taken from it.
type endlessLine struct{ read atomic.Int64 }

func (e *endlessLine) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = 'x'
	}
	e.read.Add(int64(len(b)))
	return len(b), nil
}

// TestProduceRefusesBadRatesAndListen: a rate that is not a number, is
// infinite or so small its interval overflows is a usage error (exit 2),
// as is a demo port out of range. Before, they were accepted (exit 1 from
// the connection, or the demo's listen error).
func TestProduceRefusesBadRatesAndListen(t *testing.T) {
	isolateConfig(t)
	env := map[string]string{"KFLOW_BROKERS": "127.0.0.1:1"}
	for _, rate := range []string{"NaN", "Inf", "-Inf", "1e-300"} {
		r := kflow(t, "", env, "produce", "-t", "x", "--rate", rate, "--count", "2", "v")
		if r.code != exitUsage || !strings.Contains(r.stderr, "--rate") {
			t.Errorf("--rate %s: exit %d, stderr %q; want a usage error about --rate", rate, r.code, r.stderr)
		}
	}
	for _, args := range [][]string{
		{"produce", "-t", "x", "--max-line-bytes", "0"},
		{"produce", "-t", "x", "--value-file", "f", "v"},
		{"demo", "--listen", "127.0.0.1:99999"},
		{"demo", "--listen", "nohost"},
		{"demo", "--rate", "NaN"},
	} {
		if r := kflow(t, "", env, args...); r.code != exitUsage {
			t.Errorf("kflow %q: exit %d, stderr %q; want 2", args, r.code, r.stderr)
		}
	}
}

// TestProduceStdinInputChecks sends bad stdin input to the real broker:
// a line without the key delimiter, a line over --max-line-bytes, an
// unbounded line, and a record over the topic's limit followed by a good
// line. Each fails (exit 1) naming the line and the limit, and nothing
// after the bad line is written; a rewindable input is checked whole
// before anything is sent.
func TestProduceStdinInputChecks(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	topic := uniqueName(t)
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "1"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)
	values := func() []string {
		t.Helper()
		r := kflow(t, "", env, "tail", "-t", topic, "--from", "beginning", "--exit")
		if r.code != 0 {
			t.Fatalf("tail: %+v", r)
		}
		return strings.Fields(r.stdout)
	}

	// Rewindable (a file): checked first, nothing sent.
	r := kflow(t, "a:1\nb:2\nbad\nc:3\n", env, "produce", "-t", topic, "-K", ":")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "line 3") || !strings.Contains(r.stderr, "nothing was sent") {
		t.Errorf("-K with a bad line in a file: exit %d, %q", r.code, r.stderr)
	}
	if v := values(); len(v) != 0 {
		t.Fatalf("a rejected file wrote %q", v)
	}
	// A pipe: the lines before are sent, and the error says how many.
	r = kflowIn(t, pipeReader{strings.NewReader("a:1\nb:2\nbad\nc:3\n")}, env, "produce", "-t", topic, "-K", ":")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "line 3") || !strings.Contains(r.stderr, "2 records were sent before it") {
		t.Errorf("-K with a bad line in a pipe: exit %d, %q", r.code, r.stderr)
	}
	if v := values(); strings.Join(v, ",") != "1,2" {
		t.Fatalf("after a bad piped line the topic holds %q, want 1,2", v)
	}

	// A line over --max-line-bytes.
	long := strings.Repeat("y", 5000)
	r = kflowIn(t, pipeReader{strings.NewReader("3\n" + long + "\n4\n")}, env, "produce", "-t", topic, "--max-line-bytes", "1000")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "line 2") || !strings.Contains(r.stderr, "1000") {
		t.Errorf("long line: exit %d, %q", r.code, r.stderr)
	}
	// An endless line: refused at the topic's limit, reading stops there.
	var endless endlessLine
	r = kflowIn(t, &endless, env, "produce", "-t", topic)
	if r.code != exitRuntime || !strings.Contains(r.stderr, "line 1") || !strings.Contains(r.stderr, "1048588") {
		t.Errorf("endless line: exit %d, %q", r.code, r.stderr)
	}
	if n := endless.read.Load(); n > 4<<20 {
		t.Errorf("read %d bytes of an endless line, want it to stop near the limit", n)
	}
	// A record over the topic's limit (the line limit raised past it),
	// then a good line: the good one is not written after the error.
	r = kflowIn(t, pipeReader{strings.NewReader(strings.Repeat("z", 3<<20) + "\n5\n")}, env, "produce", "-t", topic, "--max-line-bytes", "8388608")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "1048588") || !strings.Contains(r.stderr, "max.message.bytes") {
		t.Errorf("3 MB line to a 1 MB topic: exit %d, %q", r.code, r.stderr)
	}
	if v := values(); strings.Join(v, ",") != "1,2,3" {
		t.Errorf("topic holds %q, want 1,2,3: nothing after a failed line", v)
	}
}

// TestProduceLargeRecords sends a 3 MB value from stdin, from
// --value-file and from --from-jsonl to a topic accepting 8 MiB, and
// reads each back byte for byte; a file over the limit is refused naming
// it. Before, anything over ~1 MB failed and the error blamed the topic.
func TestProduceLargeRecords(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	topic := uniqueName(t)
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "1", "-c", "max.message.bytes=8388608"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)
	big := strings.Repeat("0123456789abcdef", 3<<20/16)
	dir := t.TempDir()
	file := filepath.Join(dir, "value.bin")
	if err := os.WriteFile(file, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	jl := filepath.Join(dir, "big.jsonl")
	if err := os.WriteFile(jl, []byte(`{"key":"j","value":"`+big+`","headers":[]}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"produce", "-t", topic},
		{"produce", "-t", topic, "--value-file", file, "-k", "f"},
		{"produce", "-t", topic, "--from-jsonl", jl},
	} {
		if r := kflow(t, big+"\n", env, args...); r.code != 0 {
			t.Fatalf("kflow %q: exit %d, %s", args[3:], r.code, r.stderr)
		}
	}
	r := kflow(t, "", env, "tail", "-t", topic, "--from", "beginning", "--exit", "--max-bytes", "-1")
	if got := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"); len(got) != 3 || got[0] != big || got[1] != big || got[2] != big {
		t.Fatalf("read back %d lines (exit %d, %s), want three 3 MB values", len(got), r.code, r.stderr)
	}
	if err := os.WriteFile(file, bytes.Repeat([]byte("x"), 9<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	r = kflow(t, "", env, "produce", "-t", topic, "--value-file", file)
	if r.code != exitRuntime || !strings.Contains(r.stderr, "8388608") {
		t.Errorf("9 MiB file: exit %d, %q; want the limit named", r.code, r.stderr)
	}
}

// TestProduceFromJSONLChecks: a line with no value ({}) and a negative
// partition kept with --keep-partition are refused, naming the record,
// with nothing sent; an explicit null value (a tombstone) is fine.
func TestProduceFromJSONLChecks(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	topic := uniqueName(t)
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "2"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)
	dir := t.TempDir()
	for _, c := range []struct {
		lines, want string
		keep        bool
	}{
		{`{"key":"a","value":"1"}` + "\n{}\n", `record 2 (line 2): no "value"`, false},
		{`{"key":"a","value":"1","partition":0}` + "\n" + `{"key":"b","value":"2","partition":-7}` + "\n", "partition -7", true},
		{`{"key":"a","value":"1","partition":5}` + "\n", "partition 5", true},
	} {
		f := filepath.Join(dir, "in.jsonl")
		if err := os.WriteFile(f, []byte(c.lines), 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"produce", "-t", topic, "--from-jsonl", f}
		if c.keep {
			args = append(args, "--keep-partition")
		}
		r := kflow(t, "", env, args...)
		if r.code != exitRuntime || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%q: exit %d, %q; want %q", c.lines, r.code, r.stderr, c.want)
		}
	}
	f := filepath.Join(dir, "tomb.jsonl")
	if err := os.WriteFile(f, []byte(`{"key":"gone","value":null}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := kflow(t, "", env, "produce", "-t", topic, "--from-jsonl", f); r.code != 0 {
		t.Errorf("explicit tombstone: exit %d, %q", r.code, r.stderr)
	}
	r := kflow(t, "", env, "tail", "-t", topic, "--from", "beginning", "--exit", "--json")
	if n := strings.Count(r.stdout, "\n"); n != 1 || !strings.Contains(r.stdout, `"key":"gone","value":null`) {
		t.Errorf("topic holds %d records, want only the tombstone: %s", n, r.stdout)
	}
}
