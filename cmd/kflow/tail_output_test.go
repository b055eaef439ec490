package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"kflow/kafka"
)

// writeCounter is a pipe that counts the writes it gets.
type writeCounter struct {
	bytes.Buffer
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// TestTailWritesLargeChunks: a bounded tail into a pipe wrote 64 KiB at a
// time and flushed after every poll, a write system call per few hundred
// records; it writes chunks of at least 256 KiB (flushing when it has
// nothing more to format), and every record still arrives, in order per
// partition.
func TestTailWritesLargeChunks(t *testing.T) {
	isolateConfig(t)
	brokers := realBrokers(t)
	topic := uniqueName(t)
	const n = 40000
	value := strings.Repeat("v", 100)
	if r := kflow(t, "", nil, "topic", "create", "-b", brokers, topic, "-p", "3"); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	if r := kflow(t, "", nil, "produce", "-b", brokers, "-t", topic, "-p", "0", "--count", "40000", value); r.code != 0 {
		t.Fatalf("produce: %+v", r)
	}
	for _, mode := range [][]string{nil, {"--json"}} {
		var out, errb writeCounter
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		e := env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: os.Getenv}
		code := run(ctx, append([]string{"tail", "-b", brokers, "-t", topic, "--from", "beginning", "--exit"}, mode...), e)
		cancel()
		if code != 0 {
			t.Fatalf("tail %v: exit %d: %s", mode, code, errb.String())
		}
		if lines := bytes.Count(out.Bytes(), []byte{'\n'}); lines != n {
			t.Fatalf("tail %v printed %d lines, want %d", mode, lines, n)
		}
		if max := out.Len()/(256<<10) + 2; out.writes > max {
			t.Errorf("tail %v wrote %d bytes in %d writes, want at most %d (chunks of 256 KiB or more)", mode, out.Len(), out.writes, max)
		}
		if mode != nil { // every record once, in offset order within its partition
			next := map[int32]int64{}
			for _, line := range bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte{'\n'}), []byte{'\n'}) {
				var rec kafka.JSONRecord
				if err := json.Unmarshal(line, &rec); err != nil {
					t.Fatalf("line %q: %v", line, err)
				}
				if rec.Offset != next[rec.Partition] {
					t.Fatalf("partition %d: offset %d after %d", rec.Partition, rec.Offset, next[rec.Partition]-1)
				}
				next[rec.Partition]++
			}
			first, _, _ := bytes.Cut(out.Bytes(), []byte{'\n'})
			var rec kafka.JSONRecord
			if err := json.Unmarshal(first, &rec); err != nil || rec.Topic != topic || rec.Value == nil || *rec.Value != value {
				t.Errorf("first JSON line %q: %+v, %v", first, rec, err)
			}
		}
	}
}

// failingWriter fails every write, as a closed output would.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestTailReportsAFailedWrite: with the writes on a goroutine of their
// own, a failed write still ends the tail with exit 1 and says why.
func TestTailReportsAFailedWrite(t *testing.T) {
	isolateConfig(t)
	var errb strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := run(ctx, []string{"tail", "-t", "order_events.DLQ", "--from", "beginning", "--exit", "--demo"},
		env{stdin: strings.NewReader(""), stdout: failingWriter{}, stderr: &errb, getenv: os.Getenv})
	if code != exitRuntime || !strings.Contains(errb.String(), "write output: disk full") {
		t.Errorf("tail into a failing writer: exit %d, stderr %q", code, errb.String())
	}
}
