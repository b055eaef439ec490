package wordcount

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// wordCountSample is the committed head of the test corpus: it pins the
// generator (a change to it fails TestWordCountCorpusSample instead of
// silently changing what the tests count) and lets anyone read what the
// corpus looks like. wordCountJavaCounts are Java's counts of the sample,
// made by testdata/wordcount/WordCountOracle.java with the exact
// expression WordCountDemo uses.
const (
	wordCountSample      = "../../testdata/wordcount/sample.txt"
	wordCountJavaCounts  = "../../testdata/wordcount/sample-counts-java.txt"
	wordCountSampleLines = 500
)

// corpusVocab are the corpus's words: ASCII in three cases, digits,
// underscores, and non-ASCII text that Java's ASCII \W splits apart.
// U+0130 (İ) is left out on purpose: Java lowers it to "i" + U+0307 where
// Go's strings.ToLower, which the test oracle uses, makes it a plain "i";
// TestSplitWords covers it.
var corpusVocab = []string{
	"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Kafka", "STREAMS",
	"kflow", "Word", "count", "hello", "world", "exactly", "once", "Transaction", "partition",
	"offset", "broker", "consumer", "producer", "topic", "log", "a", "I", "to", "of", "and",
	"snake_case", "_private", "__dunder__", "x_1", "v2", "42", "3.14", "1e10", "2024-01-02",
	"0x7f", "HTTP2", "iPhone", "McDonald's", "don't", "e-mail", "C++", "C#", "node.js",
	"café", "naïve", "Ünïcödé", "Straße", "résumé", "ÉCOLE", "Ångström", "façade", "jalapeño",
	"日本語", "テキスト", "中文", "한국어", "ΣΑΣ", "Ελληνικά", "Москва", "Ǆemal", "ﬁne",
	"\u212Aelvin", "emoji😀smile", "tab\tseparated", "zero\u200bwidth", "naïve_café_1",
}

// corpusSeps separate words, some of them word characters' neighbours
// that Java's split must treat as breaks.
var corpusSeps = []string{" ", " ", " ", " ", ", ", ". ", "! ", "? ", " -- ", "\t", " (", ") ", "; ", ": ", "'", "\"", "/", " … ", "—", "  "}

// corpusLines generates n lines deterministically: the same n lines on
// every run and machine, so a failure can be reproduced.
func corpusLines(n int) []string {
	rng := rand.New(rand.NewPCG(20260918, 1))
	zipf := rand.NewZipf(rng, 1.2, 1, uint64(len(corpusVocab)-1))
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		switch rng.IntN(20) {
		case 0:
			out[i] = "" // an empty line counts nothing
			continue
		case 1, 2:
			b.WriteString(corpusSeps[1+rng.IntN(len(corpusSeps)-1)]) // leading non-word char
		}
		words := 1 + rng.IntN(14)
		for w := range words {
			if w > 0 {
				b.WriteString(corpusSeps[rng.IntN(len(corpusSeps))])
			}
			if rng.IntN(10) == 0 {
				// A rarer token: a large vocabulary of random words.
				const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_é"
				for range 2 + rng.IntN(5) {
					b.WriteString(string([]rune(chars)[rng.IntN(len([]rune(chars)))]))
				}
				continue
			}
			b.WriteString(corpusVocab[zipf.Uint64()])
		}
		if rng.IntN(4) == 0 {
			b.WriteString(corpusSeps[1+rng.IntN(4)]) // trailing punctuation
		}
		out[i] = b.String()
	}
	return out
}

var nonWord = regexp.MustCompile(`\W+`)

// oracleCounts counts words the obvious way, independently of SplitWords:
// Go's ASCII-only \W (the same class as Java's default) over
// strings.ToLower of each line.
func oracleCounts(lines []string) map[string]int64 {
	counts := map[string]int64{}
	for _, l := range lines {
		for _, w := range nonWord.Split(strings.ToLower(l), -1) {
			if w != "" {
				counts[w]++
			}
		}
	}
	return counts
}

// TestWordCountCorpusSample checks the generator against its committed
// head, and the tokenizer against Java's own counts of it.
func TestWordCountCorpusSample(t *testing.T) {
	lines := corpusLines(wordCountSampleLines)
	if os.Getenv("KFLOW_UPDATE_WORDCOUNT_SAMPLE") != "" {
		if err := os.WriteFile(wordCountSample, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(wordCountSample)
	if err != nil {
		t.Fatalf("open %s: %v (KFLOW_UPDATE_WORDCOUNT_SAMPLE=1 writes it)", wordCountSample, err)
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	var want []string
	for sc.Scan() {
		want = append(want, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(lines) {
		t.Fatalf("%s has %d lines, the generator %d", wordCountSample, len(want), len(lines))
	}
	for i := range lines {
		if lines[i] != want[i] {
			t.Fatalf("line %d: generator made %q, %s has %q: the corpus generator changed", i+1, lines[i], filepath.Base(wordCountSample), want[i])
		}
	}

	got := map[string]int64{}
	for _, l := range lines {
		for _, w := range SplitWords(l) {
			got[w]++
		}
	}
	java := readJavaCounts(t)
	assertCounts(t, "SplitWords vs Java on the sample", got, java)
	assertCounts(t, "SplitWords vs the regexp oracle on the sample", got, oracleCounts(lines))
}

// readJavaCounts reads "word<TAB>count" lines as Java wrote them.
func readJavaCounts(t *testing.T) map[string]int64 {
	t.Helper()
	data, err := os.ReadFile(wordCountJavaCounts)
	if err != nil {
		t.Fatalf("read %s: %v", wordCountJavaCounts, err)
	}
	out := map[string]int64{}
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		w, n, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("%s: bad line %q", wordCountJavaCounts, l)
		}
		var c int64
		for _, d := range n {
			c = c*10 + int64(d-'0')
		}
		out[w] = c
	}
	return out
}

// assertCounts fails with the first differences between two count maps.
func assertCounts(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	if diff := countsDiff(got, want, 10); diff != "" {
		t.Fatalf("%s: counts differ (%d words got, %d want):\n%s", what, len(got), len(want), diff)
	}
}

// countsDiff describes up to max differences, "" when the maps are equal.
func countsDiff(got, want map[string]int64, max int) string {
	var b strings.Builder
	n := 0
	note := func(format string, args ...any) {
		if n < max {
			b.WriteString("  ")
			b.WriteString(fmt.Sprintf(format, args...))
			b.WriteString("\n")
		}
		n++
	}
	for w, c := range want {
		if g, ok := got[w]; !ok {
			note("%q missing (want %d)", w, c)
		} else if g != c {
			note("%q = %d, want %d", w, g, c)
		}
	}
	for w, g := range got {
		if _, ok := want[w]; !ok {
			note("%q = %d, not expected", w, g)
		}
	}
	if n > max {
		b.WriteString(fmt.Sprintf("  ... and %d more\n", n-max))
	}
	return b.String()
}
