package themes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

func TestBuiltins(t *testing.T) {
	for _, name := range append(BuiltinNames(), "", "default") {
		th, err := Load("", name, false)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if th.Palette.Primary == nil {
			t.Fatalf("%q has no primary colour", name)
		}
	}
	if _, err := Load("", "solarized", false); err == nil || !strings.Contains(err.Error(), "unknown theme") {
		t.Fatalf("unknown theme: %v", err)
	}
}

func writeTheme(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.MkdirAll(ThemesDir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ThemesDir(dir), name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestUserFileOverridesASubset(t *testing.T) {
	dir := t.TempDir()
	writeTheme(t, dir, "dark.yaml", "colors:\n  primary: \"#ff8700\"\n  select-bg: \"236\"\n")
	th, err := Load(dir, "dark", false)
	if err != nil {
		t.Fatal(err)
	}
	if th.Palette.Primary != lipgloss.Color("#ff8700") || th.Palette.SelectBg != lipgloss.Color("236") {
		t.Fatalf("overrides not applied: %+v", th.Palette)
	}
	if th.Palette.Error != DarkPalette().Error {
		t.Fatal("a colour the file does not name changed")
	}
}

func TestUserThemeOnABase(t *testing.T) {
	dir := t.TempDir()
	writeTheme(t, dir, "mine.yml", "base: light\ncolors:\n  error: \"9\"\n")
	th, err := Load(dir, "mine", false)
	if err != nil {
		t.Fatal(err)
	}
	if th.Name != "mine" || th.Palette.Text != LightPalette().Text || th.Palette.Error != lipgloss.Color("9") {
		t.Fatalf("theme = %s %+v", th.Name, th.Palette)
	}
	names := Names(dir)
	if names[len(names)-1] != "mine" {
		t.Fatalf("names = %v", names)
	}
}

func TestBadUserFile(t *testing.T) {
	dir := t.TempDir()
	writeTheme(t, dir, "bad.yaml", "colors:\n  primry: red\n  error: reddish\n")
	_, err := Load(dir, "bad", false)
	if err == nil || !strings.Contains(err.Error(), `unknown colour "primry"`) || !strings.Contains(err.Error(), "reddish") {
		t.Fatalf("err = %v", err)
	}
	writeTheme(t, dir, "base.yaml", "base: nope\n")
	if _, err := Load(dir, "base", false); err == nil || !strings.Contains(err.Error(), "unknown base") {
		t.Fatalf("err = %v", err)
	}
}

func TestNoColorHasNoColours(t *testing.T) {
	th, err := Load("", "dark", true)
	if err != nil {
		t.Fatal(err)
	}
	out := th.Selected.Render("x") + th.Error.Render("x") + th.StatusBar.Render("x") + th.Match.Render("x")
	for _, seq := range []string{"38;", "48;"} {
		if strings.Contains(out, seq) {
			t.Fatalf("colour escape in no-color output: %q", out)
		}
	}
	if !strings.Contains(th.Selected.Render("x"), "7") { // reverse video
		t.Fatalf("selection not marked without colour: %q", th.Selected.Render("x"))
	}
}
