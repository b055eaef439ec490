package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestTUIWordCountPanel drives the real binary against the real broker:
// :wordcount opens the panel, s starts the engine in kflow, a sentence
// typed in the input line goes to the input topic, and its words' counts
// come back through the output topic onto the screen; a second sentence
// moves a count on; s stops the engine and q twice exits 0.
func TestTUIWordCountPanel(t *testing.T) {
	brokers := realBrokers(t)
	word := fmt.Sprintf("zebra%d", time.Now().UnixNano()%1e9) // a word no one else counts
	s := startTUI(t, 120, 32, "-b", brokers)
	s.waitFor(30*time.Second, "topics")
	s.keys(":")
	s.text("wordcount")
	s.keys("Enter")
	s.waitFor(30*time.Second, "word count", "TOP", "LATEST UPDATES")

	s.keys("s")
	s.waitFor(60*time.Second, "● engine running in kflow")
	s.keys("i")
	s.text(fmt.Sprintf("The %s, the %s! and a quokka", word, strings.ToUpper(word)))
	s.keys("Enter")
	s.waitFor(10*time.Second, "sent as ")
	// The engine lowers and splits: the word counts twice, seen in the
	// feed as a consumer of the output topic sees it.
	s.waitFor(60*time.Second, word+" → 2 +2")

	s.text(word)
	s.keys("Enter")
	scr := s.waitFor(60*time.Second, word+" → 3 +1")
	if !strings.Contains(scr, "distinct ") || !strings.Contains(scr, "lag ") {
		t.Fatalf("figures missing:\n%s", scr)
	}

	// esc leaves the line; waiting for the panel's own help before s keeps
	// the terminal from reading esc and s as alt+s.
	s.keys("Escape")
	s.waitFor(10*time.Second, "s stop engine")
	s.keys("s")
	s.waitUntil(60*time.Second, "the engine stopped", func(scr string) bool {
		return !strings.Contains(scr, "● engine running in kflow") && strings.Contains(scr, "word count engine stopped")
	})
	s.keys("q")
	s.waitFor(10*time.Second, "topics")
	s.keys("q")
	s.waitFor(30*time.Second, "KFLOW_EXIT=0")
}
