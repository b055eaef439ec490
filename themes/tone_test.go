package themes

import "testing"

// TestToneStyles: every tone takes its style from the theme, and none but
// Normal looks like plain text in a built-in theme; a tone without a case
// falls back to the cell style, which is how the tail's copy of this
// mapping would have drawn Good (it had no case).
func TestToneStyles(t *testing.T) {
	for _, name := range BuiltinNames() {
		th, err := Load("", name, false)
		if err != nil {
			t.Fatal(err)
		}
		want := map[Tone]string{
			Normal:  th.Cell.Render("x"),
			Muted:   th.Muted.Render("x"),
			Good:    th.OK.Render("x"),
			Warning: th.Warn.Render("x"),
			Bad:     th.Error.Render("x"),
			Accent:  th.Accent.Render("x"),
		}
		for tone := Normal; tone <= Accent; tone++ {
			got := th.Style(tone).Render("x")
			if got != want[tone] {
				t.Errorf("%s: tone %d renders %q, want %q", name, tone, got, want[tone])
			}
			if tone != Normal && got == want[Normal] {
				t.Errorf("%s: tone %d looks like plain text (%q)", name, tone, got)
			}
		}
	}
}
