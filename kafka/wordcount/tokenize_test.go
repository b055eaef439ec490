package wordcount

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSplitWords pins SplitWords to Java's
// line.toLowerCase(Locale.ENGLISH).split("\\W+") minus empty words. Every
// expectation below was printed by a JVM (OpenJDK 17).
func TestSplitWords(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"UPPER lower MiXeD", []string{"upper", "lower", "mixed"}},
		{"snake_case 42abc 3.14", []string{"snake_case", "42abc", "3", "14"}},
		{"__init__ _ x_1", []string{"__init__", "_", "x_1"}},
		// Java yields an empty first word here; it is dropped.
		{"  leading space", []string{"leading", "space"}},
		{"...dots", []string{"dots"}},
		{"trail, ", []string{"trail"}},
		{"a--b", []string{"a", "b"}},
		// Non-ASCII letters are non-word characters: they split words.
		{"Ünïcödé café", []string{"n", "c", "d", "caf"}},
		{"naïve", []string{"na", "ve"}},
		{"ÉCOLE", []string{"cole"}},
		{"日本語テキスト", nil},
		{"中文abc한국어", []string{"abc"}},
		{"ΣΑΣ", nil},
		{"ǅemal", []string{"emal"}},
		{"ﬁne", []string{"ne"}},
		{"emoji😀smile", []string{"emoji", "smile"}},
		{"x\u0307y", []string{"x", "y"}},
		// The two non-ASCII code points Java lowers to ASCII letters.
		{"İstanbul", []string{"i", "stanbul"}},
		{"KELVIN \u212A \u212Aelvin", []string{"kelvin", "k", "kelvin"}},
		{"tab\there\nnew\r\nline\vvt\ffeed", []string{"tab", "here", "new", "line", "vt", "feed"}},
		{"", nil},
		{"   ", nil},
		{"!!!", nil},
		{"bad\xffutf8", []string{"bad", "utf8"}},
	}
	for _, c := range cases {
		got := SplitWords(c.in)
		if !slices.Equal(got, c.want) {
			t.Errorf("SplitWords(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSplitWordsAgreesWithOracle runs SplitWords against the regexp oracle
// over a large generated corpus.
func TestSplitWordsAgreesWithOracle(t *testing.T) {
	lines := corpusLines(100000)
	got := map[string]int64{}
	for _, l := range lines {
		for _, w := range SplitWords(l) {
			got[w]++
		}
	}
	assertCounts(t, "SplitWords vs regexp oracle", got, oracleCounts(lines))
}

func TestEncodeCount(t *testing.T) {
	for _, n := range []int64{0, 1, 255, 256, 1 << 40, -1, -1 << 63, 1<<63 - 1} {
		b := EncodeCount(n)
		if len(b) != 8 {
			t.Fatalf("EncodeCount(%d) is %d bytes, want 8", n, len(b))
		}
		got, err := DecodeCount(b)
		if err != nil || got != n {
			t.Fatalf("DecodeCount(EncodeCount(%d)) = %d, %v", n, got, err)
		}
	}
	// Kafka's LongSerializer: big-endian two's complement.
	if b := EncodeCount(258); !slices.Equal(b, []byte{0, 0, 0, 0, 0, 0, 1, 2}) {
		t.Fatalf("EncodeCount(258) = %v, want big-endian 0,...,1,2", b)
	}
	if b := EncodeCount(-2); !slices.Equal(b, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}) {
		t.Fatalf("EncodeCount(-2) = %v", b)
	}
	for _, b := range [][]byte{nil, {1}, make([]byte, 7), make([]byte, 9)} {
		if _, err := DecodeCount(b); err == nil {
			t.Fatalf("DecodeCount of %d bytes: no error", len(b))
		}
	}
}

// TestEachWordMatchesByteByByte holds eachWord's fast path (a lowercase
// ASCII word handed over as a slice of its line) to the plain byte-by-byte
// lowering it replaced, on random lines of the characters that matter:
// both cases, digits, '_', separators, KELVIN SIGN and İ (which lower to
// word characters), other non-ASCII letters and invalid UTF-8.
func TestEachWordMatchesByteByByte(t *testing.T) {
	pieces := []string{"a", "Z", "q", "7", "_", " ", ",", "-", "\u212A", "\u0130", "é", "É", "日", "\xff", "\xc4", "\xe2\x84", "ab", "CD"}
	rng := rand.New(rand.NewPCG(16, 16))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		line := b.String()
		var got, want []string
		eachWord([]byte(line), nil, func(w []byte) { got = append(got, string(w)) })
		eachWordByteByByte([]byte(line), func(w string) { want = append(want, w) })
		if !slices.Equal(got, want) {
			t.Fatalf("eachWord(%q) = %q, want %q", line, got, want)
		}
	}
}

// eachWordByteByByte is the tokenizer as it was before its fast path:
// every word byte lowered into a buffer, one rune at a time.
func eachWordByteByByte(line []byte, f func(string)) {
	var buf []byte
	flush := func() {
		if len(buf) > 0 {
			f(string(buf))
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
		case '\u212A':
			buf = append(buf, 'k')
		case '\u0130':
			buf = append(buf, 'i')
			flush()
		default:
			flush()
		}
	}
	flush()
}
