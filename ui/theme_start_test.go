package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadThemeAtStartIsShown: a --theme that does not exist, or a theme
// file with a mistake, is said on the message line once connected, not
// replaced by "connected to …"; the UI runs on in the default theme.
func TestBadThemeAtStartIsShown(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "themes"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "themes", "broken.yaml"), []byte("colors:\n  primary: not-a-colour\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ theme, want string }{
		{"no-such-theme", `unknown theme "no-such-theme"`},
		{"broken", "broken.yaml"},
	} {
		t.Run(tc.theme, func(t *testing.T) {
			d := newDriver(t, Options{Theme: tc.theme, ConfigDir: dir}, 160, 30)
			d.wantScreen("● connected")
			msg, isErr := d.m.Message()
			if !isErr || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "default") {
				t.Fatalf("message after start with --theme %s: %q (error %v), want the theme's error", tc.theme, msg, isErr)
			}
			d.wantScreen(tc.want)
			if d.m.Theme().Name != "dark" {
				t.Fatalf("theme %s, want the default", d.m.Theme().Name)
			}
		})
	}
}
