package views

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/kafka/wordcount"
	"kflow/text"
	"kflow/views/viewstest"
)

// TestWordCountFoldsTheOutputTopic: the panel's counts are the newest
// record of each word, whatever the batches; totals, distinct words,
// chart order and feed follow; a tombstone removes a word; a value that
// is no 8-byte long is counted and said, not guessed at.
func TestWordCountFoldsTheOutputTopic(t *testing.T) {
	r := newWCRig(t, 100, 30, false)
	r.push("the", 1, "cat", 1, "the", 2)
	r.until("three records folded", func() bool { return r.v.counts.updates == 3 })
	r.push("sat", 1, "the", 3, "cat", 2)
	r.until("six records folded", func() bool { return r.v.counts.updates == 6 })

	for w, want := range map[string]int64{"the": 3, "cat": 2, "sat": 1} {
		if n, ok := r.v.Count(w); !ok || n != want {
			t.Errorf("count of %q = %d, %v; want %d", w, n, ok, want)
		}
	}
	if total, distinct := r.v.Counts(); total != 6 || distinct != 3 {
		t.Fatalf("total, distinct = %d, %d; want 6, 3", total, distinct)
	}
	r.want("words 6", "distinct 3", "TOP 3 WORDS", "the → 3 +1", "cat → 2 +1", "sat → 1 +1")
	// The chart ranks by count: the, cat, sat.
	s := r.screen()
	if i, j, k := strings.Index(s, "the "), strings.Index(s, "cat "), strings.Index(s, "sat "); !(i < j && j < k) {
		t.Fatalf("chart order wrong:\n%s", s)
	}

	// A tombstone removes the word; a bad value is skipped and said.
	r.ring.Push([]kafka.Record{
		{Topic: wordcount.DefaultOutput, Offset: 6, Key: []byte("sat")},
		{Topic: wordcount.DefaultOutput, Offset: 7, Key: []byte("dog"), Value: []byte("12")},
	})
	r.until("tombstone folded", func() bool { _, ok := r.v.Count("sat"); return !ok })
	r.until("bad value counted", func() bool { return r.v.counts.bad == 1 })
	if total, distinct := r.v.Counts(); total != 5 || distinct != 2 {
		t.Fatalf("after tombstone total, distinct = %d, %d; want 5, 2", total, distinct)
	}
	r.want("sat deleted", "1 records skipped: decode count: want 8 bytes")
	if _, ok := r.v.Count("dog"); ok {
		t.Fatal("a bad value made a count")
	}
}

// TestWordCountEvictedUpdatesAreCounted: when the ring evicts records
// before a frame takes them, the panel says how many, and every record it
// did take is folded.
func TestWordCountEvictedUpdatesAreCounted(t *testing.T) {
	clock := viewstest.NewClock()
	ring := kafka.NewRing(4)
	v := NewWordCountRing(newWCCommon(t, clock, false), &fakeWordCount{}, ring, WordCountViewOptions{})
	v.SetSize(120, 30)
	t.Cleanup(v.Close)
	var recs []kafka.Record
	for i := range 10 {
		recs = append(recs, countRec(0, int64(i), fmt.Sprintf("w%d", i), int64(i+1)))
	}
	ring.Push(recs[:3])
	ring.Push(recs[3:]) // evicts six before any frame
	if _, cmd := v.Update(wcWakeMsg{ID: v.ID(), Gen: v.feedGen}); cmd == nil {
		t.Fatal("a wake-up did not re-arm the wait")
	}
	if v.skipped != 6 || v.counts.updates != 4 {
		t.Fatalf("skipped %d, folded %d; want 6, 4", v.skipped, v.counts.updates)
	}
	for i := 6; i < 10; i++ {
		if n, _ := v.Count(fmt.Sprintf("w%d", i)); n != int64(i+1) {
			t.Errorf("w%d = %d", i, n)
		}
	}
	if s := ansi.Strip(v.View()); !strings.Contains(s, "6 updates evicted unread") {
		t.Fatalf("eviction not said:\n%s", s)
	}
	// A wake-up of an older feed is dropped.
	if _, cmd := v.Update(wcWakeMsg{ID: v.ID(), Gen: v.feedGen - 1}); cmd != nil {
		t.Fatal("a stale wake-up re-armed")
	}
}

// TestWordCountWakesOncePerPush: the wait command returns one message for
// a push of many records, and none before a push.
func TestWordCountWakesOncePerPush(t *testing.T) {
	clock := viewstest.NewClock()
	ring := kafka.NewRing(1000)
	v := NewWordCountRing(newWCCommon(t, clock, false), &fakeWordCount{}, ring, WordCountViewOptions{})
	t.Cleanup(v.Close)
	got := make(chan any, 1)
	go func() { got <- v.wait()() }()
	select {
	case msg := <-got:
		t.Fatalf("woke with nothing pushed: %#v", msg)
	default:
	}
	var recs []kafka.Record
	for i := range 500 {
		recs = append(recs, countRec(0, int64(i), "w", int64(i+1)))
	}
	ring.Push(recs)
	select {
	case msg := <-got:
		w, ok := msg.(wcWakeMsg)
		if !ok || w.ID != v.ID() {
			t.Fatalf("woke with %#v", msg)
		}
		v.Update(w)
	case <-time.After(5 * time.Second):
		t.Fatal("no wake-up after a push")
	}
	if v.counts.updates != 500 {
		t.Fatalf("one frame folded %d of 500", v.counts.updates)
	}
}

// TestWordCountSendsTheInputLine: i focuses the line, enter sends it as
// one record of the input topic, the line empties and keeps the focus;
// blank lines are not sent; esc leaves; a failed send is said.
func TestWordCountSendsTheInputLine(t *testing.T) {
	r := newWCRig(t, 100, 24, false)
	r.key("i")
	if !r.v.Capturing() {
		t.Fatal("i did not focus the input line")
	}
	r.typ("Hello, hello world")
	r.want("› Hello, hello world")
	r.key("enter")
	r.untilScreen("sent as 0@0 of streams-plaintext-input · 3 words")
	sent := r.src.sends()
	if len(sent) != 1 || sent[0].Topic != wordcount.DefaultInput || string(sent[0].Value) != "Hello, hello world" || sent[0].Key != nil {
		t.Fatalf("sent %+v", sent)
	}
	if r.v.input.Value() != "" || !r.v.Capturing() {
		t.Fatalf("after send: line %q, capturing %v", r.v.input.Value(), r.v.Capturing())
	}
	r.typ("   ")
	r.key("enter")
	if n := len(r.src.sends()); n != 1 {
		t.Fatalf("a blank line was sent (%d sends)", n)
	}

	r.src.mu.Lock()
	r.src.sendErr = errors.New(`produce to "streams-plaintext-input": unknown topic`)
	r.src.mu.Unlock()
	r.typ("x")
	r.key("enter")
	r.untilScreen("✗ word count: send the line: produce to")
	r.key("esc")
	if r.v.Capturing() {
		t.Fatal("esc did not leave the line")
	}
}

// TestWordCountEngineStartStop: s starts an engine in-process with the
// panel's topics, the status says so, lines/s come from its counters;
// s stops it; an engine failing by itself is said.
func TestWordCountEngineStartStop(t *testing.T) {
	r := newWCRig(t, 120, 30, false)
	r.want("○ no engine running", "lag – (no engine group yet)")
	r.key("s")
	r.untilScreen("● engine running in kflow")
	eng := r.src.engine
	if eng.opts.App != wordcount.DefaultApp || eng.opts.Input != wordcount.DefaultInput || eng.opts.Output != wordcount.DefaultOutput {
		t.Fatalf("engine options %+v", eng.opts)
	}
	// The panel's engine makes the input it sends to, as it makes the
	// other topics: the panel runs on the default topics, which a typo
	// cannot change.
	if !eng.opts.CreateInput {
		t.Fatal("the panel's engine does not create its input topic")
	}
	r.until("the start is noticed", func() bool { return strings.Contains(r.notice.Text, "word count engine running in kflow") })
	eng.setStats(wordcount.Stats{LinesIn: 10, Committed: 4, InputPartitions: []int32{0}, CountPartitions: []int32{0, 1}})
	r.tick(time.Second)
	eng.setStats(wordcount.Stats{LinesIn: 30, Committed: 9, InputPartitions: []int32{0}, CountPartitions: []int32{0, 1}})
	r.tick(2 * time.Second)
	// 10 → 30 lines in 2 s after the start sample at 0 lines: (30-0)/3.
	r.want("lines/s in 10", "txns 9", "input partitions 0", "counting 0,1")

	r.key("s")
	r.untilScreen("○ no engine running")
	if !eng.isClosed() || r.v.Running() {
		t.Fatal("s did not stop the engine")
	}

	r.key("s")
	r.untilScreen("● engine running in kflow")
	r.src.engine.fail(errors.New("fenced by a newer instance"))
	r.untilScreen("✗ engine: fenced by a newer instance")
	r.until("the failure is noticed as an error", func() bool {
		return r.notice.Err && strings.Contains(r.notice.Text, "the engine stopped: fenced")
	})
}

// TestWordCountEngineStopsWithThePanel: closing the panel stops the
// engine it started.
func TestWordCountEngineStopsWithThePanel(t *testing.T) {
	r := newWCRig(t, 100, 24, false)
	r.key("s")
	r.until("engine running", r.v.Running)
	eng := r.src.engine
	r.v.Close()
	select {
	case <-eng.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("closing the panel left the engine running")
	}
}

// TestWordCountWatchesAnEngineElsewhere: with no engine in kflow, the
// engine's groups tell whether one runs elsewhere, their lag shows, and
// lines/s come from the split group's committed offsets.
func TestWordCountWatchesAnEngineElsewhere(t *testing.T) {
	r := newWCRig(t, 120, 30, false)
	r.src.setGroups(engineGroups(1, 0, 0, 100)...)
	r.tick(time.Second)
	r.untilScreen("● engine running elsewhere (1 instance)", "lag split 0 count 0")
	r.src.setGroups(engineGroups(1, 7, 3, 110)...)
	r.tick(2 * time.Second)
	r.untilScreen("lag split 7 count 3", "lines/s in 5.0")
	r.src.setGroups(engineGroups(0, 7, 3, 110)...)
	r.tick(time.Second)
	r.untilScreen("○ engine idle (its groups have no member)")
}

// TestWordCountTailRetriesUntilTheTopicExists: a panel opened before any
// engine made the output topic says so and tries again on each tick;
// starting an engine, which creates it, tries at once.
func TestWordCountTailRetriesUntilTheTopicExists(t *testing.T) {
	clock := viewstest.NewClock()
	src := &fakeWordCount{tailErr: errNoTopic}
	v := NewWordCount(newWCCommon(t, clock, false), src, WordCountViewOptions{})
	v.SetSize(120, 24)
	t.Cleanup(v.Close)
	r := startWCRig(t, v, src, nil, clock)
	r.untilScreen(`✗ word count: read the counts: topic "streams-wordcount-output" does not exist`, "s starts an engine here, which creates the topics")
	r.tick(time.Second)
	r.until("a second try", func() bool { n, _ := src.counts(); return n == 2 })
	r.key("s")
	r.until("a try after the engine started", func() bool { n, _ := src.counts(); return n == 3 })
}

// TestWordCountReadOnlyWatches: read-only, the panel refuses sending and
// starting an engine, says why, and never calls the cluster to write.
func TestWordCountReadOnlyWatches(t *testing.T) {
	r := newWCRig(t, 120, 24, true)
	r.want("read-only: watching", "read-only: the panel watches and sends nothing")
	r.key("i")
	r.until("i is refused as read-only", func() bool {
		return r.notice.Err && strings.Contains(r.notice.Text, "read-only") && strings.Contains(r.notice.Text, "only watches")
	})
	if r.v.Capturing() {
		t.Fatal("read-only panel took the input line")
	}
	r.key("s")
	r.until("s is refused as read-only", func() bool {
		return r.notice.Err && strings.Contains(r.notice.Text, "start the word count engine") && strings.Contains(r.notice.Text, "read-only")
	})
	r.push("still", 1)
	r.untilScreen("still → 1")
	if _, starts := r.src.counts(); starts != 0 || len(r.src.sends()) != 0 {
		t.Fatal("read-only panel wrote to the cluster")
	}
	for _, b := range r.v.ShortHelp() {
		if h := b.Help(); h.Key == "s" || h.Key == "i" {
			t.Fatalf("read-only help offers %q", h.Desc)
		}
	}
}

// TestWordCountReadOnlyOffersNoWrites: read-only, no line of the panel
// suggests sending or starting, with counts or without, with the output
// topic or without it.
func TestWordCountReadOnlyOffersNoWrites(t *testing.T) {
	check := func(name, screen string) {
		t.Helper()
		for _, bad := range []string{"i sends", "i types", "s starts", "s runs", "type a sentence"} {
			if strings.Contains(screen, bad) {
				t.Errorf("%s: read-only panel offers %q:\n%s", name, bad, screen)
			}
		}
	}
	r := newWCRig(t, 120, 24, true)
	r.untilScreen("no counts yet")
	check("no counts", r.screen())

	clock := viewstest.NewClock()
	src := &fakeWordCount{tailErr: errNoTopic}
	v := NewWordCount(newWCCommon(t, clock, true), src, WordCountViewOptions{})
	v.SetSize(120, 24)
	t.Cleanup(v.Close)
	r = startWCRig(t, v, src, nil, clock)
	r.untilScreen("does not exist")
	check("no output topic", r.screen())
}

// TestWordCountShowsBrokerOutages: the engine in kflow tells the panel
// when a broker is unreachable; the panel says so until it is back.
func TestWordCountShowsBrokerOutages(t *testing.T) {
	r := newWCRig(t, 120, 30, false)
	r.key("s")
	r.untilScreen("● engine running in kflow")
	eng := r.src.engine
	if eng.opts.OnEvent == nil {
		t.Fatal("the panel's engine has no event callback")
	}
	since := viewstest.Epoch.Add(-5 * time.Second)
	eng.opts.OnEvent(wordcount.Event{Kind: wordcount.EventTopicCreated, Topic: "streams-plaintext-input", Partitions: []int32{1}})
	eng.opts.OnEvent(wordcount.Event{At: viewstest.Epoch, Kind: wordcount.EventUnreachable, Broker: "127.0.0.1:9092", Since: since,
		Err: errors.New("dial tcp 127.0.0.1:9092: connect: connection refused")})
	r.tick(time.Second)
	r.untilScreen("broker 127.0.0.1:9092 unreachable since " + since.Format("15:04:05"))
	eng.opts.OnEvent(wordcount.Event{At: viewstest.Epoch.Add(time.Second), Kind: wordcount.EventReachable, Broker: "127.0.0.1:9092", Since: since})
	r.tick(time.Second)
	r.until("the outage note to go", func() bool { return !strings.Contains(r.screen(), "unreachable") })
}

// TestWordCountFitsEverySize: no line is wider than the panel and the
// panel is exactly as tall as given, from 30x6 to 200x60, with long words.
func TestWordCountFitsEverySize(t *testing.T) {
	r := newWCRig(t, 80, 24, false)
	long := strings.Repeat("pneumonoultramicroscopic", 4)
	r.push(long, 123456789, "a", 1, "b\x1b[31m", 2)
	r.until("folded", func() bool { return r.v.counts.updates == 3 })
	r.v.skipped = 3
	for _, w := range []int{30, 45, 69, 70, 80, 120, 160, 200} {
		for _, h := range []int{6, 10, 24, 48, 60} {
			r.v.SetSize(w, h)
			s := r.v.View()
			lines := strings.Split(s, "\n")
			if len(lines) != h {
				t.Fatalf("%dx%d: %d lines", w, h, len(lines))
			}
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw > w {
					t.Fatalf("%dx%d: line %d is %d cells: %q", w, h, i, lw, ansi.Strip(l))
				}
			}
			assertNoRawControls(t, s)
		}
	}
}

// TestTopWords ranks by count, then by word, and keeps k.
func TestTopWords(t *testing.T) {
	counts := map[string]int64{"b": 2, "a": 2, "c": 5, "d": 1, "e": 2}
	got := topWords(counts, 3)
	want := []wordCount{{"c", 5}, {"a", 2}, {"b", 2}}
	if !slices.Equal(got, want) {
		t.Fatalf("top 3 = %v, want %v", got, want)
	}
	if got := topWords(counts, 10); len(got) != 5 || got[4] != (wordCount{"d", 1}) {
		t.Fatalf("top 10 = %v", got)
	}
}

// TestWCRateWindow: the rate spans the last five seconds of samples and
// starts over when the counter goes back.
func TestWCRateWindow(t *testing.T) {
	var r wcRate
	at := viewstest.Epoch
	if r.text() != text.Dash {
		t.Fatal("a rate with no samples")
	}
	for i, n := range []int64{0, 0, 10, 10, 20, 20, 30} {
		r.observe(n, at.Add(time.Duration(i)*time.Second))
	}
	// Samples at 1 s..6 s remain: (30-0)/5.
	if ps, ok := r.perSec(); !ok || ps != 6 {
		t.Fatalf("rate = %v, %v; want 6", ps, ok)
	}
	r.observe(5, at.Add(7*time.Second))
	if _, ok := r.perSec(); ok {
		t.Fatal("a counter that went back kept its rate")
	}
}

// TestWordCountOpensTheProduceForm: p opens the produce form on the input
// topic with the text-line template, for repeats and headers the input
// line cannot do; read-only refuses it.
func TestWordCountOpensTheProduceForm(t *testing.T) {
	r := newWCRig(t, 120, 24, false)
	r.key("p")
	r.until("the produce form", func() bool { return len(r.pushed) == 1 })
	if got := r.pushed[0].Title(); got != "produce · "+wordcount.DefaultInput {
		t.Errorf("p opened %q", got)
	}
	ro := newWCRig(t, 120, 24, true)
	ro.key("p")
	ro.until("p is refused as read-only", func() bool { return ro.notice.Err && strings.Contains(ro.notice.Text, "read-only") })
	if len(ro.pushed) != 0 {
		t.Error("read-only panel opened the produce form")
	}
}
