package views

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/kafka/wordcount"
	"kflow/views/viewstest"
)

// wcCorpus is what the golden screens count: a few lines of text, split
// the engine's way, each word's running count written as the engine
// would write it to the output topic.
var wcCorpus = []string{
	"Four score and seven years ago our fathers brought forth on this continent, a new nation,",
	"conceived in Liberty, and dedicated to the proposition that all men are created equal.",
	"Now we are engaged in a great civil war, testing whether that nation, or any nation so",
	"conceived and so dedicated, can long endure. We are met on a great battle-field of that war.",
	"The world will little note, nor long remember what we say here, but it can never forget what they did here.",
}

func wcCorpusRecords() []kafka.Record {
	counts := map[string]int64{}
	var out []kafka.Record
	for _, line := range wcCorpus {
		for _, w := range wordcount.SplitWords(line) {
			counts[w]++
			out = append(out, countRec(int32(len(out)%2), int64(len(out)/2), w, counts[w]))
		}
	}
	return out
}

// TestWordCountGolden renders the panel at 80x24 and 160x48 with a fixed
// clock and a ring filled from a corpus: watching an engine elsewhere,
// an engine started in kflow with a sentence being typed and sent,
// waiting for an output topic that does not exist, and read-only, with
// counts and before any (no hint offers a write).
// KFLOW_UPDATE_GOLDEN=1 go test ./views -run TestWordCountGolden
// rewrites views/testdata/wordcount_*.golden.
func TestWordCountGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	type step struct {
		keys []string
		tick time.Duration // advance the clock and tick first
		wait []string
		lags int // wait until the fake answered this many lag calls
	}
	recs := wcCorpusRecords()
	cases := []struct {
		name     string
		readOnly bool
		noTopic  bool
		groups   []kafka.GroupLag
		steps    []step
	}{
		{name: "watching", groups: engineGroups(1, 2, 5, 40), steps: []step{
			{wait: []string{"lag split 2 count 5"}},
			{tick: time.Second, lags: 2},
			{tick: 2 * time.Second, wait: []string{"updates/s out 0", "lines/s in 0"}},
		}},
		{name: "engine_typing", steps: []step{
			{keys: []string{"s"}, wait: []string{"● engine running in kflow"}},
			{keys: append([]string{"i"}, strings.Split("The great Zebra", "")...), wait: []string{"› The great Zebra"}},
			{keys: []string{"enter"}, wait: []string{"sent as 0@0 of streams-plaintext-input · 3 words"}},
			{keys: strings.Split("and a quokka", ""), wait: []string{"› and a quokka"}},
		}},
		{name: "no_topic", noTopic: true, steps: []step{{wait: []string{"does not exist", "no engine group yet"}}}},                           // the tail and the lag answer apart
		{name: "read_only_no_topic", readOnly: true, noTopic: true, steps: []step{{wait: []string{"does not exist", "no engine group yet"}}}}, // the tail and the lag answer apart
		{name: "read_only", readOnly: true, groups: engineGroups(2, 0, 0, 40), steps: []step{
			{wait: []string{"running elsewhere (2 instances)"}},
			{tick: time.Second, lags: 2, wait: []string{"lines/s in 0"}},
		}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("wordcount_%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				clock := viewstest.NewClock()
				src := &fakeWordCount{groups: tc.groups}
				c := newWCCommon(t, clock, tc.readOnly)
				var v *WordCount
				if tc.noTopic {
					src.tailErr = errNoTopic
					v = NewWordCount(c, src, WordCountViewOptions{})
				} else {
					ring := kafka.NewRing(1000)
					ring.Push(recs)
					v = NewWordCountRing(c, src, ring, WordCountViewOptions{})
				}
				h := &host{stack: []View{v}}
				tm := viewstest.StartProgram(t, h, size[0], size[1])
				if !tc.noTopic {
					h.screen.Wait(t, fmt.Sprintf("words %d", len(recs)))
				}
				for _, s := range tc.steps {
					if s.tick > 0 {
						clock.Advance(s.tick)
						tm.Send(TickMsg{ID: v.ID()})
					}
					tm.Keys(s.keys...)
					h.screen.Wait(t, s.wait...)
					viewstest.WaitFor(t, fmt.Sprintf("%d lag calls", s.lags), func() bool {
						src.mu.Lock()
						defer src.mu.Unlock()
						return src.lagCalls >= s.lags
					})
				}
				tm.Stop(t)
				v.Close()
				screen := h.screen.Frame()
				assertNoRawControls(t, screen)
				for i, l := range strings.Split(screen, "\n") {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("line %d is %d cells wide", i, w)
					}
				}
				viewstest.RequireGolden(t, name, ansi.Strip(screen))
				viewstest.RequireGolden(t, name+".ansi", screen)
			})
		}
	}
}
