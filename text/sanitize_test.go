package text

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestSanitize(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain", "hello, world", "hello, world"},
		{"esc csi", "\x1b[31mred\x1b[0m", "␛[31mred␛[0m"},
		{"clear screen", "\x1b[2J\x1b[H", "␛[2J␛[H"},
		{"osc52", "\x1b]52;c;aGk=\x07", "␛]52;c;aGk=␇"},
		{"osc st", "\x1b]0;t\x1b\\", "␛]0;t␛\\"},
		{"bel bs cr", "a\x07b\x08c\rd", "a␇b␈c␍d"},
		{"lf tab inline", "a\nb\tc", "a␊b␉c"},
		{"nul del", "\x00\x7f", "␀␡"},
		{"c1 csi", "x\u009b2J", `x\u{9b}2J`},
		{"c1 osc st nel", "\u009d52\u009c\u0085", `\u{9d}52\u{9c}\u{85}`},
		{"invalid bytes", "ok\xff\xfeA", `ok\xff\xfeA`},
		{"truncated sequence", "A\xc3(", `A\xc3(`},
		{"encoded surrogate", "\xed\xa0\x80", `\xed\xa0\x80`},
		{"rlo", "invoice\u202efdp.exe", `invoice\u{202e}fdp.exe`},
		{"isolates", "\u2066x\u2069", `\u{2066}x\u{2069}`},
		{"lrm rlm", "\u200ea\u200f", `\u{200e}a\u{200f}`},
		{"zero width space", "zero\u200bwidth", `zero\u{200b}width`},
		{"bom", "\ufeffbom", `\u{feff}bom`},
		{"line separator", "a\u2028b\u2029c", `a\u{2028}b\u{2029}c`},
		{"tag char", "x\U000e0041", `x\u{e0041}`},
		{"hangul filler", "a\u3164b", `a\u{3164}b`},
		{"zwj emoji split", "👩‍💻", `👩\u{200d}💻`},
		{"zwj alone escaped", "a\u200db", `a\u{200d}b`},
		{"cjk", "東京", "東京"},
		{"combining after base", "cafe\u0301", "cafe\u0301"},
		{"lone combining", "\u0301x", "◌\u0301x"},
		{"combining after escape", "\x1b\u0301", "␛◌\u0301"},
		{"flag", "🇩🇪", "🇩🇪"},
		{"replacement char as data", "\ufffd", "\ufffd"},
		{"backslash literal", `a\b`, `a\b`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Sanitize([]byte(c.in))
			if got != c.want {
				t.Fatalf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
			}
			assertInert(t, got)
		})
	}
}

// assertInert fails when s holds anything a terminal would act on.
func assertInert(t *testing.T, s string) {
	t.Helper()
	for i, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x202e || r == 0x200b || r == 0xfeff {
			t.Fatalf("output %q holds %U at byte %d", s, r, i)
		}
	}
	if strings.ContainsRune(s, '\ufffd') && !strings.Contains(s, "\ufffd") {
		t.Fatalf("output %q has replacement characters", s)
	}
}

func TestSanitizeBlock(t *testing.T) {
	got := SanitizeLines([]byte("line 1\n\tindented\r\nend\x1b[2J"))
	want := []string{"line 1", "    indented␍", "end␛[2J"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("SanitizeLines = %q, want %q", got, want)
	}
	if got := SanitizeLines([]byte("ab\tc")); got[0] != "ab  c" {
		t.Fatalf("tab stop: %q", got[0])
	}
}

func TestSanitizeWidths(t *testing.T) {
	// Each output is measured as Lip Gloss measures it; the width must
	// be what a reader counts: wide characters 2, combining marks 0.
	cases := []struct {
		in    string
		width int
	}{
		{"東京", 4},
		{"cafe\u0301", 4},
		{"👩‍💻", 12},    // 👩 \u{200d} 💻
		{"\x1b[2J", 4}, // ␛ [ 2 J
		{"\xff", 4},    // \xff
		{"\u0301", 1},  // ◌́
		{"ｗｉｄｅ", 8},
	}
	for _, c := range cases {
		s := Sanitize([]byte(c.in))
		if w := ansi.StringWidth(s); w != c.width {
			t.Errorf("width of Sanitize(%q) = %q is %d, want %d", c.in, s, w, c.width)
		}
	}
}

func TestSanitizePreviewStopsEarly(t *testing.T) {
	big := []byte(strings.Repeat("x", 1<<20))
	s, more := SanitizePreview(big, 10)
	if !more || len(s) > 100 {
		t.Fatalf("preview of 1 MiB: %d bytes, more=%v", len(s), more)
	}
	s, more = SanitizePreview([]byte("short"), 10)
	if more || s != "short" {
		t.Fatalf("preview of short: %q more=%v", s, more)
	}
}

func TestSanitizeString(t *testing.T) {
	if got := SanitizeString("plain-key"); got != "plain-key" {
		t.Fatal(got)
	}
	if got := SanitizeString("k\x1b"); got != "k␛" {
		t.Fatal(got)
	}
}

// FuzzSanitize checks that no input, however hostile, leaves a control
// character, a C1 control or a bidi override in the output.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"\x1b[2J", "\u202e", "\xff", "👩‍💻", "\u0301"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, mode := range []SanitizeMode{Inline, Block} {
			var sb strings.Builder
			sanitizeTo(&sb, b, mode, -1)
			for _, r := range sb.String() {
				if (r < 0x20 && !(mode == Block && r == '\n')) || r == 0x7f || (r >= 0x80 && r < 0xa0) || hidden(r) {
					t.Fatalf("mode %d: %q → %q holds %U", mode, b, sb.String(), r)
				}
			}
		}
	})
}
