package themes

import (
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
	"go.yaml.in/yaml/v3"

	"kflow/internal/boundedfile"
)

// File is the shape of a user theme file, CONFIG_DIR/themes/NAME.yaml:
//
//	base: dark          # the built-in theme it starts from (default dark)
//	colors:             # any subset of the palette
//	  primary: "#ff8700"
//	  error: "9"        # ANSI colour numbers work too
//
// A file named after a built-in theme (dark.yaml) changes that theme.
type File struct {
	Base   string            `yaml:"base"`
	Colors map[string]string `yaml:"colors"`
}

// ThemesDir is where user theme files live under the config directory.
func ThemesDir(configDir string) string { return filepath.Join(configDir, "themes") }

// Names lists the built-in themes and the user's theme files, sorted with
// the built-ins first.
func Names(configDir string) []string {
	names := BuiltinNames()
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	var user []string
	if configDir != "" {
		for _, ext := range []string{"*.yaml", "*.yml"} {
			m, _ := filepath.Glob(filepath.Join(ThemesDir(configDir), ext))
			for _, p := range m {
				n := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
				if !seen[n] {
					seen[n] = true
					user = append(user, n)
				}
			}
		}
	}
	sort.Strings(user)
	return append(names, user...)
}

// Load builds the theme called name: a built-in one, changed by the user's
// file of the same name if there is one, or a user theme file on its own
// base. An empty name is the default dark theme. With noColor set the
// result has no colours whatever the file says.
func Load(configDir, name string, noColor bool) (*Theme, error) {
	if name == "" || name == "default" {
		name = Dark
	}
	p, builtin := Builtin(name)
	f, path, err := readFile(configDir, name)
	if err != nil {
		return nil, err
	}
	if f == nil && !builtin {
		return nil, fmt.Errorf("unknown theme %q (built in: %s; user themes go in %s/NAME.yaml)",
			name, strings.Join(BuiltinNames(), ", "), ThemesDir(configDir))
	}
	if f != nil {
		if !builtin {
			base := f.Base
			if base == "" {
				base = Dark
			}
			var ok bool
			if p, ok = Builtin(base); !ok {
				return nil, fmt.Errorf("theme file %s: unknown base theme %q", path, base)
			}
		}
		if err := apply(&p, f.Colors); err != nil {
			return nil, fmt.Errorf("theme file %s: %w", path, err)
		}
	}
	return New(name, p, noColor), nil
}

// MaxFileBytes bounds a theme file: a real one is a few hundred bytes, and
// one pointing at /dev/zero must be an error, not a frozen UI.
const MaxFileBytes = 1 << 20

func readFile(configDir, name string) (*File, string, error) {
	if configDir == "" || strings.ContainsAny(name, `/\`) {
		return nil, "", nil
	}
	for _, ext := range []string{".yaml", ".yml"} {
		path := filepath.Join(ThemesDir(configDir), name+ext)
		b, err := boundedfile.Read(path, MaxFileBytes)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, path, fmt.Errorf("read theme file: %w", err)
		}
		var f File
		if err := yaml.Unmarshal(b, &f); err != nil {
			return nil, path, fmt.Errorf("theme file %s: %w", path, err)
		}
		return &f, path, nil
	}
	return nil, "", nil
}

var colorRE = regexp.MustCompile(`^(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|[0-9]{1,3})$`)

// apply sets the palette colours a theme file names. Keys are the palette
// field names in any case, with or without dashes or underscores.
func apply(p *Palette, colors map[string]string) error {
	fields := map[string]*color.Color{
		"text": &p.Text, "muted": &p.Muted, "primary": &p.Primary, "accent": &p.Accent,
		"ok": &p.OK, "warn": &p.Warn, "error": &p.Error, "border": &p.Border,
		"selectfg": &p.SelectFg, "selectbg": &p.SelectBg, "match": &p.Match,
		"statusfg": &p.StatusFg, "statusbg": &p.StatusBg, "headerfg": &p.HeaderFg,
		"overlaybg": &p.OverlayBg,
	}
	var bad []string
	keys := make([]string, 0, len(colors))
	for k := range colors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.TrimSpace(colors[k])
		norm := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(k))
		dst, ok := fields[norm]
		if !ok {
			bad = append(bad, fmt.Sprintf("unknown colour %q", k))
			continue
		}
		switch {
		case v == "" || v == "none":
			*dst = nil
		case colorRE.MatchString(v):
			*dst = lipgloss.Color(v)
		default:
			bad = append(bad, fmt.Sprintf("%s: %q is not #rrggbb, #rgb or an ANSI number", k, v))
		}
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}
