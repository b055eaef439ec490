package viewstest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	// Defines go test's -update flag, so -update keeps working in every
	// package whose tests use RequireGolden.
	_ "github.com/charmbracelet/x/exp/golden"
)

// UpdateGolden reports whether golden files are to be rewritten rather
// than compared: KFLOW_UPDATE_GOLDEN=1, or go test's -update flag.
func UpdateGolden() bool {
	if os.Getenv("KFLOW_UPDATE_GOLDEN") == "1" {
		return true
	}
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// RequireGolden compares got, byte for byte, with testdata/name.golden in
// the test's package directory (name may hold slashes, such as t.Name()),
// and fails t naming the first line that differs. Under UpdateGolden it
// writes the file instead. Look at a rewritten file before committing it.
func RequireGolden(t testing.TB, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name)+".golden")
	if UpdateGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("write golden file: %v", err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("write golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file: %v (KFLOW_UPDATE_GOLDEN=1 writes it)", err)
	}
	if string(want) == got {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
	line := 0
	for line < len(wl) && line < len(gl) && wl[line] == gl[line] {
		line++
	}
	at := func(ls []string) string {
		if line < len(ls) {
			return ls[line]
		}
		return "(end of screen)"
	}
	t.Errorf("%s differs from what was rendered, first at line %d:\n  want %q\n  got  %q\n--- want\n%s\n--- got\n%s\n(KFLOW_UPDATE_GOLDEN=1 rewrites it)",
		path, line+1, at(wl), at(gl), want, got)
}
