package kafka

import (
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// invisible reports whether r is written as \uXXXX in kflow's JSON on
// top of encoding/json's own escapes, so that JSON shown on a terminal
// stays inert: DEL and the C1 controls (U+0080–U+009F, which some
// terminals obey like ESC sequences), and the format characters (Cf):
// bidi overrides and isolates, zero-width characters, the BOM, soft
// hyphen, tag characters. Escaped, they still decode to the same text.
func invisible(r rune) bool {
	switch {
	case r < 0xa0:
		return r >= 0x7f
	case r < 0x600 && r != 0xad, r >= 0x900 && r < 0x180e, r >= 0x2070 && r < 0xfeff:
		return false // no format character in these ranges: the fast path
	}
	return unicode.Is(unicode.Cf, r)
}

// appendRuneEscape writes r as \uXXXX, a surrogate pair beyond the BMP.
func appendRuneEscape(dst []byte, r rune) []byte {
	if r > 0xffff {
		r1, r2 := utf16.EncodeRune(r)
		return appendRuneEscape(appendRuneEscape(dst, r1), r2)
	}
	return append(dst, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// InertJSON escapes the invisible characters (see invisible) in JSON that
// encoding/json wrote, for every --json output that does not go through
// AppendJSONLine (group ids and config values are free text). Such
// characters only occur inside strings, so the result is the same JSON.
// It returns b itself when there is nothing to escape.
func InertJSON(b []byte) []byte {
	var out []byte
	start := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x7f {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b[i:])
		}
		if invisible(r) {
			if out == nil {
				out = make([]byte, 0, len(b)+16)
			}
			out = append(out, b[start:i]...)
			out = appendRuneEscape(out, r)
			start = i + size
		}
		i += size
	}
	if out == nil {
		return b
	}
	return append(out, b[start:]...)
}
