package text

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Record bytes come from whoever produced them: a key, value or header may
// hold escape sequences that would clear the screen, retitle the window,
// write the clipboard (OSC 52) or reorder text (bidi overrides). Every byte
// the views draw from a record goes through this one sanitizer, which turns
// anything that could act on the terminal, or that a reader could not see,
// into something visible and inert:
//
//   - C0 control characters and DEL become their Unicode control pictures
//     (ESC is ␛, BEL ␇, BS ␈, CR ␍, LF ␊ on one line, TAB ␉), one cell each;
//   - C1 control characters (U+0080–U+009F, 8-bit CSI and OSC among them)
//     become \u{9b};
//   - invalid UTF-8 becomes \xNN per byte, never U+FFFD, so a binary key
//     keeps its length and what it was;
//   - bidi controls, zero-width and other invisible format characters,
//     and the line and paragraph separators become \u{202e}; so does a
//     zero-width joiner, even inside an emoji sequence (👩‍💻): terminals
//     that do not join it (tmux) draw two emoji, four cells where the width
//     functions count two, and the columns after it would shift;
//   - a combining mark with nothing to combine with (at the start, or after
//     an escape) gets a dotted circle ◌ to sit on, so it cannot fall onto
//     the column before.
//
// The output holds no byte below 0x20 and no escape of any kind, so it is
// measured with the same width functions Lip Gloss uses (ansi.StringWidth)
// and wide and combining characters keep columns aligned.

// SanitizeMode says how line breaks and tabs are drawn.
type SanitizeMode int

const (
	// Inline draws everything on one line: LF is ␊, TAB is ␉.
	Inline SanitizeMode = iota
	// Block keeps LF as a line break and expands TAB to spaces, for the
	// detail pane; CR is still ␍ so it cannot move the cursor.
	Block
)

// dottedCircle carries a combining mark that has no base character.
const dottedCircle = '◌'

// Sanitize returns b drawn inert on one line.
func Sanitize(b []byte) string {
	var sb strings.Builder
	sanitizeTo(&sb, b, Inline, -1)
	return sb.String()
}

// SanitizeString is Sanitize for a string (header keys are strings).
func SanitizeString(s string) string {
	if isPlain(s) {
		return s
	}
	return Sanitize([]byte(s))
}

// SanitizeLines returns b drawn inert as lines (Block mode).
func SanitizeLines(b []byte) []string {
	var sb strings.Builder
	sanitizeTo(&sb, b, Block, -1)
	return strings.Split(sb.String(), "\n")
}

// SanitizePreview is Sanitize of at most the first runes of b that can
// fill cells cells, and whether it stopped early: a preview of a 1 MiB
// value costs what the cell shows, not the megabyte.
func SanitizePreview(b []byte, cells int) (string, bool) {
	var sb strings.Builder
	more := sanitizeTo(&sb, b, Inline, max(0, cells)*2+8)
	return sb.String(), more
}

// isPlain reports whether s is printable ASCII, which needs no work.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// sanitizeTo writes b inert to sb, stopping after limit runes (no limit
// when negative); it reports whether it stopped before the end.
func sanitizeTo(sb *strings.Builder, b []byte, mode SanitizeMode, limit int) bool {
	base := false // the last thing written can carry a combining mark
	col := 0      // runes since the last line break, for tab stops in Block
	for i, n := 0, 0; i < len(b); i += n {
		if limit == 0 {
			return true
		}
		if limit > 0 {
			limit--
		}
		var r rune
		r, n = utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			sb.WriteString(`\x`)
			sb.WriteString(hex2(b[i]))
			base = false
			col += 4
		case r == '\n' && mode == Block:
			sb.WriteByte('\n')
			base, col = false, 0
		case r == '\t' && mode == Block:
			k := 4 - col%4
			sb.WriteString("    "[:k])
			base = false
			col += k
		case r < 0x20:
			sb.WriteRune(0x2400 + r)
			base = false
			col++
		case r == 0x7f:
			sb.WriteRune('␡')
			base = false
			col++
		case r >= 0x80 && r < 0xa0:
			writeU(sb, r)
			base = false
			col += 6
		case hidden(r):
			writeU(sb, r)
			base = false
			col += 8
		case unicode.In(r, unicode.Mn, unicode.Me):
			if !base {
				sb.WriteRune(dottedCircle)
				base = true
				col++
			}
			sb.WriteRune(r)
		default:
			sb.WriteRune(r)
			base = true
			col++
		}
	}
	return false
}

// hidden reports whether r is invisible or reorders text: format
// characters (bidi controls, zero-width space and joiners, BOM, tag
// characters), line and paragraph separators, and the Hangul fillers that
// draw as blank.
func hidden(r rune) bool {
	switch r {
	case 0x2028, 0x2029, 0x115f, 0x1160, 0x3164, 0xffa0, 0x034f:
		return true
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Bidi_Control, r)
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

func writeU(sb *strings.Builder, r rune) {
	sb.WriteString(`\u{`)
	sb.WriteString(strconv.FormatInt(int64(r), 16))
	sb.WriteByte('}')
}
