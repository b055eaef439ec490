package views

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"kflow/kafka"
)

// TestTailSaveIsPrivate: saved records are readable by their owner only
// (0600), like the produce history: records may hold personal data.
func TestTailSaveIsPrivate(t *testing.T) {
	old := syscall.Umask(0o022) // the common umask, which leaves 0644 as is
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "saved.jsonl")
	if err := writeJSONLines(path, []kafka.Record{{Topic: "orders", Value: []byte("secret order")}}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o600 {
		t.Fatalf("saved file mode %v, want 0600", perm)
	}
}
