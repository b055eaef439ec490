package template

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHistoryKeepsTheLastTwentyNewestFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kflow", "history.jsonl")
	h := NewHistory(path)
	if got, err := h.Load(); err != nil || len(got) != 0 {
		t.Fatalf("missing file: %v, %v", got, err)
	}
	for i := range 25 {
		k := fmt.Sprintf("k%d", i)
		if _, err := h.Add(HistoryEntry{At: time.Unix(int64(i), 0), Spec: RecordSpec{Topic: "t", Partition: -1, Key: &k, Value: "v"}}); err != nil {
			t.Fatal(err)
		}
	}
	// Sending k20 again moves it to the top instead of repeating it.
	k := "k20"
	got, err := h.Add(HistoryEntry{At: time.Unix(99, 0), Spec: RecordSpec{Topic: "t", Partition: -1, Key: &k, Value: "v"}})
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := h.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != HistoryLimit || len(loaded) != HistoryLimit {
		t.Fatalf("kept %d and loaded %d, want %d", len(got), len(loaded), HistoryLimit)
	}
	if *loaded[0].Spec.Key != "k20" || *loaded[1].Spec.Key != "k24" || *loaded[HistoryLimit-1].Spec.Key != "k5" {
		t.Errorf("order: %s %s … %s", *loaded[0].Spec.Key, *loaded[1].Spec.Key, *loaded[HistoryLimit-1].Spec.Key)
	}
	b, _ := os.ReadFile(path)
	if n := strings.Count(string(b), "\n"); n != HistoryLimit {
		t.Errorf("file has %d lines", n)
	}
	// A torn line is skipped, not fatal.
	if err := os.WriteFile(path, append(b, []byte(`{"at":"2026`)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if l, err := h.Load(); err != nil || len(l) != HistoryLimit {
		t.Errorf("torn line: %d entries, %v", len(l), err)
	}
}

// TestHistoryPerClusterPrivateAndCapped: sends to one cluster are not
// offered for another, the file is 0600 even when an older one was not,
// and it stays under its caps whatever is sent.
func TestHistoryPerClusterPrivateAndCapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kflow", "history.jsonl")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	prod, dev := NewHistory(path).ForCluster("prod"), NewHistory(path).ForCluster("dev")
	if _, err := prod.Add(HistoryEntry{At: time.Unix(1, 0), Spec: RecordSpec{Topic: "payments", Value: "prod-only"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := dev.Add(HistoryEntry{At: time.Unix(2, 0), Spec: RecordSpec{Topic: "t", Value: "dev"}}); err != nil {
		t.Fatal(err)
	}
	p, _ := prod.Load()
	d, _ := dev.Load()
	if len(p) != 1 || p[0].Spec.Value != "prod-only" || len(d) != 1 || d[0].Spec.Value != "dev" {
		t.Fatalf("prod sees %+v, dev sees %+v", p, d)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("history file mode %v (%v), want 0600", st.Mode().Perm(), err)
	}

	// Many clusters, large values: the file keeps within its caps, newest kept.
	add := func(cluster int, value string) {
		t.Helper()
		h := NewHistory(path).ForCluster(fmt.Sprintf("c%d", cluster))
		if _, err := h.Add(HistoryEntry{At: time.Unix(int64(100+cluster), 0), Spec: RecordSpec{Topic: "t", Value: value}}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 250 {
		add(i, fmt.Sprint(i))
	}
	b, _ := os.ReadFile(path)
	if n := strings.Count(string(b), "\n"); n != HistoryMaxEntries {
		t.Errorf("history file holds %d entries, want the cap %d", n, HistoryMaxEntries)
	}
	big := strings.Repeat("v", 40<<10)
	for i := range 40 {
		add(300+i, fmt.Sprintf("%d %s", i, big))
	}
	b, _ = os.ReadFile(path)
	if len(b) > HistoryMaxBytes {
		t.Errorf("history file %d bytes, over the cap %d", len(b), HistoryMaxBytes)
	}
	last, _ := NewHistory(path).ForCluster("c339").Load()
	if len(last) != 1 || !strings.HasPrefix(last[0].Spec.Value, "39 ") {
		t.Errorf("the newest send was not kept: %d entries", len(last))
	}
	// A send too large to remember is sent, not kept.
	huge := strings.Repeat("x", HistoryMaxEntryBytes+1)
	got, err := dev.Add(HistoryEntry{At: time.Unix(999, 0), Spec: RecordSpec{Topic: "t", Value: huge}})
	if err != nil || len(got) > 0 && got[0].Spec.Value == huge {
		t.Errorf("a %d-byte send was kept: %v", len(huge), err)
	}
}
