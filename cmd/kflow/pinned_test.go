package main

import (
	"testing"
	"time"
)

// TestUIPinsCommandLineFlags: the UI is given --read-only and --timeout
// as pinned settings, which it keeps over every context switch; without
// the flags nothing is pinned (a context's own read-only is the UI's to
// keep).
func TestUIPinsCommandLineFlags(t *testing.T) {
	var g globals
	fs := newFlags("kflow", env{getenv: func(string) string { return "" }}, &g)
	if _, err := parse(fs, []string{"--read-only", "--timeout", "3s", "--context", "rw"}); err != nil {
		t.Fatal(err)
	}
	if p := pinned(&g); !p.ReadOnly || p.Timeout != 3*time.Second {
		t.Fatalf("pinned = %+v, want read-only and 3s", p)
	}
	if p := pinned(&globals{}); p.ReadOnly || p.Timeout != 0 {
		t.Fatalf("pinned without flags = %+v", p)
	}
}
