package themes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestThemeFileReadIsBounded: a theme file pointing at /dev/zero froze the
// UI. Theme files are read only when regular and small.
func TestThemeFileReadIsBounded(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(ThemesDir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(ThemesDir(dir), "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	writeTheme(t, dir, "huge.yaml", "base: dark\n# "+strings.Repeat("x", MaxFileBytes)+"\n")
	for name, want := range map[string]string{"zero": "not a regular file", "huge": "larger than"} {
		done := make(chan error, 1)
		go func() {
			_, err := Load(dir, name, false)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), name+".yaml") {
				t.Errorf("Load(%s) = %v, want an error naming the file and saying %q", name, err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Load(%s) still reading after 5s", name)
		}
	}
}
