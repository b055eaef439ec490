package wordcount

import "unicode/utf8"

// SplitWords is WordCountDemo's tokenizer, exactly:
//
//	line.toLowerCase(Locale.getDefault()).split("\\W+")
//
// with empty words dropped (Java yields an empty first word when a line
// starts with a non-word character; Kafka's demo would count it as the word
// "", which no one wants). It reproduces Java, not Go: Java's \W without
// UNICODE_CHARACTER_CLASS is ASCII-only, so a word is a run of
// [a-z0-9_] after lowering, and every other character, including each
// non-ASCII letter, splits words ("café" is "caf"). Java lowers whole
// strings with Unicode's special casing, and exactly two non-ASCII code
// points lower to ASCII word characters: U+212A KELVIN SIGN to "k", and
// U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE to "i" followed by U+0307
// COMBINING DOT ABOVE, a non-word character, so "İstanbul" is "i" and
// "stanbul" (Go's strings.ToLower makes it "istanbul"). The default locale
// is taken to be a non-Turkic one (Turkish lowers "I" to the non-ASCII
// "ı"). Invalid UTF-8 splits words, as the U+FFFD a Java deserializer
// would make of it does.
func SplitWords(line string) []string {
	var words []string
	eachWord([]byte(line), nil, func(w []byte) { words = append(words, string(w)) })
	return words
}

// asciiWord maps each byte to its lowered form when it is an ASCII word
// character ([A-Za-z0-9_]), and to 0 otherwise.
var asciiWord = func() (t [256]byte) {
	for b := 'a'; b <= 'z'; b++ {
		t[b] = byte(b)
		t[b-'a'+'A'] = byte(b)
	}
	for b := '0'; b <= '9'; b++ {
		t[b] = byte(b)
	}
	t['_'] = '_'
	return t
}()

// eachWord calls f with each word of line as SplitWords splits it: the
// split stage's combiner counts words with it without allocating a string
// per word. A word already lowercase is passed as a slice of line; one
// that needs lowering (or that a KELVIN SIGN or an İ continues) is
// lowered into buf, grown as needed and returned for reuse. f must not
// keep its argument.
func eachWord(line, buf []byte, f func(word []byte)) []byte {
	buf = buf[:0]
	flush := func() {
		if len(buf) > 0 {
			f(buf)
			buf = buf[:0]
		}
	}
	for i := 0; i < len(line); {
		// A run of ASCII word bytes, the common case: a whole word.
		start, upper := i, false
		for i < len(line) {
			t := asciiWord[line[i]]
			if t == 0 {
				break
			}
			upper = upper || t != line[i]
			i++
		}
		if run := line[start:i]; len(buf) == 0 && !upper && !continuesWord(line[i:]) {
			if len(run) > 0 {
				f(run)
			}
		} else {
			for _, b := range run {
				buf = append(buf, asciiWord[b])
			}
		}
		if i >= len(line) {
			break
		}
		if line[i] < utf8.RuneSelf { // an ASCII non-word byte
			i++
			flush()
			continue
		}
		r, size := utf8.DecodeRune(line[i:])
		i += size
		switch r {
		case '\u212A': // KELVIN SIGN lowers to ASCII k
			buf = append(buf, 'k')
		case '\u0130': // İ lowers to i + U+0307, which ends the word
			buf = append(buf, 'i')
			flush()
		default:
			flush()
		}
	}
	flush()
	return buf
}

// continuesWord reports whether rest starts with one of the two non-ASCII
// code points that lower to a word character: KELVIN SIGN (E2 84 AA) and
// İ (C4 B0).
func continuesWord(rest []byte) bool {
	if len(rest) >= 3 && rest[0] == 0xE2 && rest[1] == 0x84 && rest[2] == 0xAA {
		return true
	}
	return len(rest) >= 2 && rest[0] == 0xC4 && rest[1] == 0xB0
}
