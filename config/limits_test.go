package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadBounded runs Load with a deadline, so a read that never ends
// (a FIFO nobody writes) fails the test instead of hanging it.
func loadBounded(t *testing.T, path string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Load(path)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("Load(%s) still reading after 5s", path)
		return nil
	}
}

// TestConfigReadIsBounded: --config /dev/zero grew without bound; a FIFO
// blocked for ever. Config files are read only when regular, and only up
// to MaxBytes.
func TestConfigReadIsBounded(t *testing.T) {
	isolateHome(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	body := "# " + strings.Repeat("x", 1<<20) + "\n"
	writeFile(t, big, "contexts:\n  a:\n    brokers: [h:1]\n"+strings.Repeat(body, MaxBytes>>20+1))
	for _, tc := range []struct{ path, want string }{
		{"/dev/zero", "not a regular file"},
		{fifo, "not a regular file"},
		{big, "larger than"},
	} {
		err := loadBounded(t, tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("Load(%s) = %v, want an error naming it and saying %q", tc.path, err, tc.want)
		}
	}
	// The same limits hold for kaf's config, read when kflow has none.
	home := isolateHome(t)
	if err := os.MkdirAll(filepath.Join(home, ".kaf"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(home, ".kaf", "config")); err != nil {
		t.Fatal(err)
	}
	if err := loadBounded(t, ""); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("kaf config on /dev/zero: %v", err)
	}
}
