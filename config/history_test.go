package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigHistoryKey: "history: false" turns the produce history off;
// a value that is not a boolean is an error at its line.
func TestConfigHistoryKey(t *testing.T) {
	isolateHome(t)
	path := writeFile(t, filepath.Join(t.TempDir(), "config.yaml"), "history: false\ncontexts:\n  a:\n    brokers: [h:1]\n")
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.History == nil || *f.History {
		t.Errorf("history: false gave %v", f.History)
	}
	path = writeFile(t, path, "contexts:\n  a:\n    brokers: [h:1]\nhistory: maybe\n")
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("history: maybe gave %v, want an error at line 4", err)
	}
}
