package kafka

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
	os.WriteFile(path, append(b, []byte(`{"at":"2026`)...), 0o600)
	if l, err := h.Load(); err != nil || len(l) != HistoryLimit {
		t.Errorf("torn line: %d entries, %v", len(l), err)
	}
}
