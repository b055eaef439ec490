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

// eachWord calls f with each word of line as SplitWords splits it, lowered
// into buf (grown as needed and returned for reuse): the split stage's
// combiner counts words with it without allocating a string per word. f
// must not keep its argument.
func eachWord(line, buf []byte, f func(word []byte)) []byte {
	buf = buf[:0]
	flush := func() {
		if len(buf) > 0 {
			f(buf)
			buf = buf[:0]
		}
	}
	for i := 0; i < len(line); {
		b := line[i]
		if b < utf8.RuneSelf {
			i++
			switch {
			case 'A' <= b && b <= 'Z':
				buf = append(buf, b+'a'-'A')
			case 'a' <= b && b <= 'z', '0' <= b && b <= '9', b == '_':
				buf = append(buf, b)
			default:
				flush()
			}
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
