package wordcount

import (
	"slices"
	"testing"
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
