package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"kflow/kafka"
)

// chunkReader hands out its bytes a few at a time, in sizes drawn from
// a seeded source, as a pipe does.
type chunkReader struct {
	b []byte
	r *rand.Rand
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.b), 1+c.r.IntN(200000))
	copy(p, c.b[:n])
	c.b = c.b[n:]
	return n, nil
}

// testLines is a mix of short and long lines (some longer than a slab),
// with bytes a line may hold: a carriage return, UTF-8, a tab, a NUL,
// the -K delimiter repeated in the value; no empty line.
func testLines(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 1))
	lines := make([]string, n)
	for i := range lines {
		size := r.IntN(400)
		switch {
		case i%997 == 5:
			size = lineSlab + r.IntN(lineSlab/2)
		case i%101 == 3:
			size = 20000 + r.IntN(60000)
		}
		v := strings.Repeat(string(rune('a'+i%26)), size)
		lines[i] = fmt.Sprintf("key-%d|%s\r\té|\x00|%s", i, v, "ü")
	}
	return lines
}

// TestLineReaderSlabs reads lines through slabs from a reader that
// returns them in random pieces: every line comes back byte for byte,
// those read first still intact after the last (no slab is written
// again), a line longer than a slab crosses into one of its own, an
// empty line is a null value, the last line needs no newline, and a line
// over the limit is an error naming it.
func TestLineReaderSlabs(t *testing.T) {
	lines := testLines(3000, 7)
	lines = append(lines, "", "last")
	in := strings.Join(lines, "\n") // no newline after the last
	lr := newLineReader(&chunkReader{b: []byte(in), r: rand.New(rand.NewPCG(1, 2))}, 2*lineSlab, "stdin", "--max-line-bytes")
	var got [][]byte
	for {
		b, ok, err := lr.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		got = append(got, b)
	}
	if len(got) != len(lines) {
		t.Fatalf("read %d lines, want %d", len(got), len(lines))
	}
	for i, b := range got {
		if string(b) != lines[i] {
			t.Fatalf("line %d: %d bytes, want %d (written over?)", i+1, len(b), len(lines[i]))
		}
		if i < len(got)-1 && cap(b) != len(b) {
			t.Fatalf("line %d: capacity %d beyond its %d bytes: an append would reach the next", i+1, cap(b), len(b))
		}
	}
	if got[len(got)-2] != nil {
		t.Errorf("an empty line gave %q, want a null value", got[len(got)-2])
	}

	lr = newLineReader(strings.NewReader("ok\n"+strings.Repeat("x", 3*lineSlab)+"\n"), 2*lineSlab, "stdin", "--max-line-bytes")
	if b, ok, err := lr.next(); string(b) != "ok" || !ok || err != nil {
		t.Fatalf("first line: %q %v %v", b, ok, err)
	}
	if _, _, err := lr.next(); err == nil || !strings.Contains(err.Error(), "stdin line 2 is longer than 2097152 bytes (--max-line-bytes)") {
		t.Errorf("a line over the limit: %v", err)
	}
	bad := newLineReader(io.MultiReader(strings.NewReader("a\nb"), errReader{}), 100, "stdin", "")
	if b, _, _ := bad.next(); string(b) != "a" {
		t.Fatalf("line before a read error: %q", b)
	}
	if _, _, err := bad.next(); err == nil || !strings.Contains(err.Error(), "read stdin: broken") {
		t.Errorf("read error: %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken") }

// TestProduceStdinReadBackByKcat pipes lines (long ones across the
// reader's slabs, bytes of every kind but a newline) into kflow produce
// -K '|', once uncompressed and once with zstd, into a topic of 3
// partitions, and reads the topic back with kcat: each partition holds
// exactly the lines whose key hashes to it, in the order they were
// written, byte for byte, twice.
func TestProduceStdinReadBackByKcat(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	kcat := needTool(t, "kcat")
	env := map[string]string{"KFLOW_BROKERS": b}
	topic := uniqueName(t)
	if r := kflow(t, "", env, "topic", "create", topic, "-p", "3", "-c", "max.message.bytes=4194304"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)
	lines := testLines(20000, 9)
	in := strings.Join(lines, "\n") + "\n"
	for _, codec := range []string{"none", "zstd"} {
		r := kflowIn(t, pipeReader{strings.NewReader(in)}, env, "produce", "-t", topic, "-K", "|", "--compression", codec, "--json")
		if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf(`"acked":%d`, len(lines))) {
			t.Fatalf("produce --compression %s: exit %d\n%s\n%s", codec, r.code, r.stdout, r.stderr)
		}
	}
	want := map[int32][]string{}
	for range 2 {
		for _, l := range lines {
			k, _, _ := strings.Cut(l, "|")
			p := kafka.PartitionForKey([]byte(k), 3)
			want[p] = append(want[p], l)
		}
	}
	for p := range int32(3) {
		out, err := exec.Command(kcat, "-C", "-b", b, "-t", topic, "-p", fmt.Sprint(p), "-o", "beginning", "-e", "-q",
			"-f", "%k|%s\n").Output()
		if err != nil {
			t.Fatalf("kcat -C partition %d: %v", p, err)
		}
		got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(got) != len(want[p]) {
			t.Fatalf("partition %d: kcat read %d records, want %d", p, len(got), len(want[p]))
		}
		for i := range got {
			if got[i] != want[p][i] {
				t.Fatalf("partition %d record %d: %d bytes %.40q, want %d bytes %.40q", p, i, len(got[i]), got[i], len(want[p][i]), want[p][i])
			}
		}
		if !bytes.HasSuffix(out, []byte("ü\n")) {
			t.Fatalf("partition %d: output ends %q", p, out[max(0, len(out)-10):])
		}
	}
}
