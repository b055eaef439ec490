package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestTailGrowsItsPipe: a tail into a pipe left it at the kernel's 64 KiB,
// so each 1 MiB write woke the reader 16 times; the tail grows the pipe to
// its chunk size.
func TestTailGrowsItsPipe(t *testing.T) {
	isolateConfig(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close() }()
	read := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		read <- string(b)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var errb strings.Builder
	code := run(ctx, []string{"tail", "-t", "order_events.DLQ", "--from", "beginning", "--exit", "--demo"},
		env{stdin: strings.NewReader(""), stdout: w, stderr: &errb, getenv: os.Getenv})
	size, serr := unix.FcntlInt(w.Fd(), unix.F_GETPIPE_SZ, 0)
	_ = w.Close()
	out := <-read
	if code != 0 || out == "" {
		t.Fatalf("tail: exit %d, stdout %q, stderr %q", code, out, errb.String())
	}
	if serr != nil || size < tailChunk {
		t.Errorf("pipe size after the tail: %d (%v), want at least %d", size, serr, tailChunk)
	}
}
