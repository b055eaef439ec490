package views

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/themes"
	"kflow/views/viewstest"
)

func newTailCommon(t testing.TB, clock *viewstest.Clock) *Common {
	th, err := themes.Load("", "", false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return &Common{Ctx: ctx, Theme: th, Now: clock.Now, Timeout: 2 * time.Second}
}

// tailRig is a tail view over a ring the test fills itself: no network.
type tailRig struct {
	t     *testing.T
	v     *Tail
	ring  *kafka.Ring
	clock *viewstest.Clock
	off   map[int32]int64
}

func newTailRig(t *testing.T, buffer, w, h int) *tailRig {
	clock := viewstest.NewClock()
	ring := kafka.NewRing(buffer)
	v := NewTailRing(newTailCommon(t, clock), "orders", ring, TailViewOptions{})
	v.SetSize(w, h)
	return &tailRig{t: t, v: v, ring: ring, clock: clock, off: map[int32]int64{}}
}

// push produces n records to partition p, values made by val.
func (r *tailRig) push(p int32, n int, val func(i int64) string) {
	recs := make([]kafka.Record, n)
	for i := range recs {
		off := r.off[p]
		r.off[p]++
		v := []byte(val(off))
		k := []byte(fmt.Sprintf("k%d", off))
		recs[i] = kafka.Record{Topic: "orders", Partition: p, Offset: off, Timestamp: viewstest.Epoch.Add(time.Duration(off) * time.Millisecond),
			Key: k, Value: v, KeySize: len(k), ValueSize: len(v)}
	}
	r.ring.Push(recs)
}

// frame delivers one wake-up, as the view's command would after a push.
func (r *tailRig) frame() {
	r.t.Helper()
	_, cmd := r.v.Update(tailWakeMsg{ID: r.v.id, Gen: r.v.feedGen})
	if cmd == nil {
		r.t.Fatal("a wake-up did not re-arm the wait")
	}
}

func (r *tailRig) key(ks ...string) tea.Cmd {
	var last tea.Cmd
	for _, k := range ks {
		_, last = r.v.Update(viewstest.Key(k))
	}
	return last
}

func (r *tailRig) typ(s string) {
	for _, ch := range s {
		r.v.Update(viewstest.Key(string(ch)))
	}
}

func (r *tailRig) screen() string { return ansi.Strip(r.v.View()) }

func (r *tailRig) want(subs ...string) {
	r.t.Helper()
	viewstest.Shows(r.t, r.screen(), subs...)
}

func (r *tailRig) not(subs ...string) {
	r.t.Helper()
	viewstest.Hides(r.t, r.screen(), subs...)
}

// checkCounts asserts the honest-counter invariant: every record received
// is buffered, evicted, a dropped duplicate, or pending.
func (r *tailRig) checkCounts() {
	r.t.Helper()
	b, _, ev, dups := r.v.Counts()
	if got := uint64(b) + ev + dups + r.v.pending(); got != r.v.received() {
		r.t.Fatalf("buffered %d + evicted %d + dups %d + pending %d != received %d", b, ev, dups, r.v.pending(), r.v.received())
	}
}

func jsonVal(i int64) string {
	return fmt.Sprintf(`{"id":%d,"amount":%d,"customer":{"country":%q}}`, i, i%200, []string{"DE", "FR"}[i%2])
}

func TestTailTakesWholeDeltaPerFrame(t *testing.T) {
	r := newTailRig(t, 1000, 100, 30)
	for range 50 {
		r.push(0, 20, jsonVal)
	}
	r.frame()
	if b, shown, _, _ := r.v.Counts(); b != 1000 || shown != 1000 {
		t.Fatalf("one frame took %d (shown %d), want all 1000", b, shown)
	}
	r.want("received 1,000", "buffered 1,000/1,000", "evicted 0", "k999")
	r.checkCounts()
}

func TestTailCountsEvictions(t *testing.T) {
	r := newTailRig(t, 100, 100, 30)
	r.push(0, 60, jsonVal)
	r.frame()
	r.push(0, 250, jsonVal) // more than the ring holds between two frames
	r.frame()
	b, _, ev, _ := r.v.Counts()
	if b != 100 || ev != 210 || r.v.received() != 310 {
		t.Fatalf("buffered %d evicted %d received %d, want 100, 210, 310", b, ev, r.v.received())
	}
	r.want("received 310", "evicted 210", "k309")
	r.checkCounts()
}

func TestTailFollowPauseAndNavigation(t *testing.T) {
	r := newTailRig(t, 1000, 100, 20)
	r.push(0, 100, jsonVal)
	r.frame()
	r.want("following", "k99")
	r.key("k", "k")
	r.not("following")
	sel := r.v.sel
	r.push(0, 10, jsonVal)
	r.frame()
	if r.v.sel != sel {
		t.Fatal("the selection moved with new records while not following")
	}
	r.key("G")
	r.frame()
	r.want("following", "k109")
	r.key("g")
	r.want("k0 ")

	r.key("G", "space")
	r.push(0, 50, jsonVal)
	r.frame()
	r.want("PAUSED", "+50 new", "received 160")
	r.not("k159")
	if b, _, _, _ := r.v.Counts(); b != 110 {
		t.Fatalf("paused view took records: buffered %d", b)
	}
	r.checkCounts()
	r.key("space")
	r.want("● live", "k159", "received 160")
	r.checkCounts()
}

func TestTailFilters(t *testing.T) {
	r := newTailRig(t, 1000, 120, 30)
	r.push(0, 200, jsonVal)
	recs := []kafka.Record{{Topic: "orders", Partition: 1, Offset: 0, Key: []byte("user-7"), Value: []byte("plain text"), ValueSize: 10, KeySize: 6,
		Headers: []kafka.Header{{Key: "trace", Value: []byte("abc-123")}}}}
	r.ring.Push(recs)
	r.frame()
	cases := []struct {
		filter  string
		matched int
	}{
		{`"country":"DE"`, 100},
		{`~"amount":1[0-9]{2},`, 100},
		{"key:user-7", 1},
		{"value:user-7", 0},
		{"header:trace:abc", 1},
		{"header::~^abc-\\d+$", 1},
		{"header:other:abc", 0},
		{`jq .amount > 100 and .customer.country == "DE"`, 49},
		{`jq $key == "k3"`, 1},
		{`jq $partition == 1`, 0}, // not JSON: never matches jq
	}
	for _, c := range cases {
		r.key("/")
		r.typ(c.filter)
		r.key("enter")
		if got := r.v.store.matched(); got != c.matched {
			t.Errorf("filter %q matched %d, want %d", c.filter, got, c.matched)
		}
		r.want(fmt.Sprintf("matched %d of 201", c.matched))
		r.key("esc")
		if r.v.filter != nil {
			t.Fatalf("esc left filter %q in force", r.v.filter)
		}
	}

	// A bad expression is shown under the input; the last good stays.
	r.key("/")
	r.typ("jq .amount > 150")
	r.typ(" and (")
	r.want("✗ jq:", "still filtering by jq .amount > 150", "matched 49 of 201")
	if r.v.filter.String() != "jq .amount > 150" {
		t.Fatalf("filter in force is %q", r.v.filter)
	}
	r.key("esc") // undo: back to no filter
	if r.v.filter != nil {
		t.Fatal("esc while typing did not restore the filter in force before")
	}

	// New records are filtered as they arrive.
	r.key("/")
	r.typ("key:user-")
	r.key("enter")
	r.ring.Push([]kafka.Record{{Topic: "orders", Partition: 1, Offset: 1, Key: []byte("user-8"), Value: []byte("x"), KeySize: 6, ValueSize: 1}})
	r.push(0, 10, jsonVal)
	r.frame()
	r.want("matched 2 of 212", "user-8")
}

func TestTailDropsDuplicates(t *testing.T) {
	r := newTailRig(t, 1000, 100, 30)
	r.push(0, 10, jsonVal)
	r.frame()
	r.off[0] = 5 // a resumed fetch that delivers 5..9 again
	r.push(0, 10, jsonVal)
	r.frame()
	b, _, _, dups := r.v.Counts()
	if b != 15 || dups != 5 {
		t.Fatalf("buffered %d dups %d, want 15 and 5", b, dups)
	}
	r.want("duplicates dropped 5")
	r.checkCounts()
}

func TestTailRates(t *testing.T) {
	r := newTailRig(t, 10000, 160, 30)
	r.push(0, 10, jsonVal)
	r.frame() // first sample
	r.want("– rec/s")
	r.push(0, 300, jsonVal)
	r.push(1, 100, jsonVal)
	r.clock.Advance(2 * time.Second)
	r.frame()
	r.want("200 rec/s", "p0 150/s", "p1 50/s")
}

func TestTailSaveWritesJSONLines(t *testing.T) {
	r := newTailRig(t, 1000, 100, 30)
	r.push(0, 20, jsonVal)
	bin := []byte{0xff, 0x00, 0x1b}
	r.ring.Push([]kafka.Record{{Topic: "orders", Partition: 2, Offset: 7, Key: nil, Value: bin, ValueSize: 3, Timestamp: viewstest.Epoch,
		Headers: []kafka.Header{{Key: "h", Value: []byte("v")}}}})
	r.frame()
	r.key("/")
	r.typ("~FR|^v$") // FR values, and the binary record by its header
	r.key("enter")
	r.key("s")
	r.want("save to ")
	path := filepath.Join(t.TempDir(), "out.jsonl")
	r.v.save.in.SetValue(path)
	cmd := r.key("enter")
	msg := cmd()
	r.v.Update(msg)
	if m := msg.(tailSavedMsg); m.Err != nil || m.N != 11 {
		t.Fatalf("save: %+v", m)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var want []string
	for _, rec := range r.v.store.shownRecords() {
		line, _ := kafka.MarshalJSONLine(rec) // what kflow tail --json prints
		want = append(want, string(line))
	}
	var got []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		got = append(got, sc.Text())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("saved:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var last kafka.JSONRecord
	if err := json.Unmarshal([]byte(got[len(got)-1]), &last); err != nil || last.ValueEncoding != "base64" || last.Key != nil {
		t.Fatalf("binary record saved as %+v (%v)", last, err)
	}
	// Saving again to the same path refuses to overwrite.
	r.key("s")
	r.v.save.in.SetValue(path)
	if m := r.key("enter")().(tailSavedMsg); !errors.Is(m.Err, os.ErrExist) {
		t.Fatalf("second save to the same path: %v", m.Err)
	}
}

func TestTailCopy(t *testing.T) {
	r := newTailRig(t, 1000, 100, 30)
	r.ring.Push([]kafka.Record{{Topic: "orders", Partition: 0, Offset: 3, Key: []byte("k\x1b"), Value: []byte("v\x1b]52;c;eA==\x07"), KeySize: 2, ValueSize: 12,
		Headers: []kafka.Header{{Key: "h", Value: []byte("1")}}}})
	r.frame()
	clip := func(cmd tea.Cmd) (string, string) {
		t.Helper()
		var text, note string
		for _, c := range cmd().(tea.BatchMsg) {
			switch m := c().(type) {
			case NoticeMsg:
				note = m.Text
			default:
				if reflect.TypeOf(m).Name() != "setClipboardMsg" {
					t.Fatalf("unexpected %T", m)
				}
				text = reflect.ValueOf(m).String()
			}
		}
		return text, note
	}
	if text, note := clip(r.key("V")); text != "v\x1b]52;c;eA==\x07" || !strings.Contains(note, "value of 0@3") {
		t.Fatalf("V copied %q (%s)", text, note)
	}
	if text, _ := clip(r.key("K")); text != "k\x1b" {
		t.Fatalf("K copied %q", text)
	}
	if text, _ := clip(r.key("H")); text != `[{"key":"h","value":"1"}]` {
		t.Fatalf("H copied %q", text)
	}
	r.key("enter")
	r.want("KEY", "HEADERS (1)", "VALUE (text)", "k␛", "v␛]52;c;eA==␇")
	text, _ := clip(r.key("y"))
	var j kafka.JSONRecord
	if err := json.Unmarshal([]byte(text), &j); err != nil || j.Offset != 3 || *j.Value != "v\x1b]52;c;eA==\x07" {
		t.Fatalf("y copied %q (%v)", text, err)
	}
	r.key("esc")
	r.want("G follows") // the copied record stays selected
}

func TestTailBrokerLostKeepsRecords(t *testing.T) {
	r := newTailRig(t, 1000, 120, 30)
	r.push(0, 30, jsonVal)
	r.frame()
	r.v.feedErr = errors.New("unable to dial: dial tcp 127.0.0.1:9092: connect: connection refused")
	r.want("✗ broker lost", "keeping 30 records", "resumes at the next offset", "k29")
}

func TestTailRowsStayAligned(t *testing.T) {
	r := newTailRig(t, 100, 100, 30)
	for _, h := range hostileRecords(t) {
		r.ring.Push([]kafka.Record{h})
	}
	r.frame()
	r.key("g")
	screen := r.v.View()
	for i, line := range strings.Split(screen, "\n") {
		if w := ansi.StringWidth(line); w > 100 {
			t.Errorf("line %d is %d cells wide: %q", i, w, line)
		}
	}
	assertNoRawControls(t, screen)
	// Every record row puts its offset at the same column.
	for _, line := range strings.Split(ansi.Strip(screen), "\n")[4:] {
		if line == "" {
			continue
		}
		if w := ansi.StringWidth(line); w > 100 {
			t.Errorf("row wider than the view: %q", line)
		}
	}
}

// assertNoRawControls fails when a rendered screen holds a control
// character other than the view's own styling (SGR) and line breaks.
func assertNoRawControls(t *testing.T, screen string) {
	t.Helper()
	s := ansi.Strip(screen)
	for i, ch := range s {
		if (ch < 0x20 && ch != '\n') || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) || ch == 0x202e || ch == 0x2066 || ch == 0x200b || ch == 0xfeff {
			t.Fatalf("screen holds %U at %d:\n%s", ch, i, s)
		}
	}
	// The styled screen's escapes are SGR only: no OSC, no clear, no cursor moves.
	for _, bad := range []string{"\x1b]", "\x1b[2J", "\x1b[H", "\x07", "\x1bP", "\x1b[?"} {
		if strings.Contains(screen, bad) {
			t.Fatalf("screen holds %q", bad)
		}
	}
}

// hostileRecords loads testdata/hostile/records.jsonl and adds the 5 MB
// value, kept to the 1 MiB cap as the consumer keeps it.
func hostileRecords(t testing.TB) []kafka.Record {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "hostile", "records.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []kafka.Record
	for line := range bytes.SplitSeq(bytes.TrimSpace(b), []byte("\n")) {
		var j kafka.JSONRecord
		if err := json.Unmarshal(line, &j); err != nil {
			t.Fatal(err)
		}
		r, err := j.Record()
		if err != nil {
			t.Fatal(err)
		}
		r.Timestamp = time.UnixMilli(j.TimestampMs).UTC()
		out = append(out, r)
	}
	return append(out, hostile5MB(int64(len(out))))
}

// hostile5MB is a 5 MB value that starts and ends with a clear-screen
// sequence, truncated to the consumer's 1 MiB cap with its true size kept.
func hostile5MB(off int64) kafka.Record {
	const size = 5 << 20
	v := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	copy(v, "\x1b[2J\x1b[Hbig:")
	copy(v[size-4:], "\x1b[2J")
	return kafka.Record{Topic: "hostile", Offset: off, Timestamp: viewstest.Epoch.Add(time.Duration(off) * time.Second),
		Key: []byte("big"), KeySize: 3, Value: v[:kafka.DefaultMaxBytes], ValueSize: size}
}

// TestTailCopyHoldsTheRecordUnderTheCursor: while following, K then V
// then y copy the key, value and whole of one record — the one under the
// cursor when K was pressed — though newer records keep arriving; the
// view stops following until G, as it does when a row is selected.
func TestTailCopyHoldsTheRecordUnderTheCursor(t *testing.T) {
	r := newTailRig(t, 1000, 100, 30)
	r.push(0, 10, jsonVal)
	r.frame()
	r.want("following", "k9")
	copied := func(cmd tea.Cmd) string {
		t.Helper()
		for _, c := range cmd().(tea.BatchMsg) {
			if m, ok := c().(NoticeMsg); ok {
				return m.Text
			}
		}
		t.Fatal("no notice of the copy")
		return ""
	}
	for _, k := range []string{"K", "V", "y"} {
		if note := copied(r.key(k)); !strings.Contains(note, "of 0@9 ") {
			t.Fatalf("%s copied another record than 0@9: %s", k, note)
		}
		r.push(0, 5, jsonVal)
		r.frame()
	}
	r.not("following")
	r.want("G follows")
	r.key("G")
	r.frame()
	r.want("following", "k24")

	// Selecting a row stops following, even back on the newest row.
	r.key("k", "j")
	r.push(0, 1, jsonVal)
	r.frame()
	if rec, _ := r.v.store.at(r.v.selected()); rec.Offset != 24 {
		t.Fatalf("the selection followed to %d after a row was selected", rec.Offset)
	}
	r.want("G follows")
}

// TestTailDetailStepsAndHasItsOwnStatusAndKeys: n/] and N/[ step through
// the records shown without leaving the pane, the list's selection
// moving along; the pane's last line is its status line (which record,
// which lines), apart from the record's lines; ? lists the pane's keys.
func TestTailDetailStepsAndHasItsOwnStatusAndKeys(t *testing.T) {
	r := newTailRig(t, 1000, 80, 12)
	r.push(0, 5, func(i int64) string {
		return fmt.Sprintf(`{"id":%d,"items":[1,2,3,4,5,6,7,8],"note":"x"}`, i)
	})
	r.frame()
	r.key("enter")
	last := func() string {
		lines := strings.Split(r.screen(), "\n")
		return lines[len(lines)-1]
	}
	if l := last(); !strings.HasPrefix(l, "record 5 of 5 · lines 1–11 of ") {
		t.Fatalf("the status line is %q", l)
	}
	r.want("offset 4")
	for _, step := range []struct{ key, off, pos string }{
		{"N", "offset 3", "record 4 of 5"}, {"[", "offset 2", "record 3 of 5"},
		{"n", "offset 3", "record 4 of 5"}, {"]", "offset 4", "record 5 of 5"},
	} {
		r.key(step.key)
		r.want(step.off)
		if l := last(); !strings.HasPrefix(l, step.pos) {
			t.Fatalf("after %s the status line is %q, want %s", step.key, l, step.pos)
		}
	}
	r.key("N")
	r.key("esc")
	if rec, _ := r.v.store.at(r.v.selected()); rec.Offset != 3 {
		t.Fatalf("closing the pane left offset %d selected, want 3, the one last shown", rec.Offset)
	}
	r.key("enter")
	var help []string
	for _, g := range r.v.FullHelp() {
		for _, b := range g {
			help = append(help, b.Help().Desc)
		}
	}
	h := strings.Join(help, ", ")
	if !strings.Contains(h, "next record") || !strings.Contains(h, "scroll down") || strings.Contains(h, "pause") || strings.Contains(h, "filter") {
		t.Fatalf("? in the detail pane lists %s", h)
	}
}

// TestTailHighlightsFilterMatches: a text or regexp filter's matches are
// drawn in the theme's Match style, in the rows and in the detail pane,
// only where the filter looks (key:, value:), and not for jq.
func TestTailHighlightsFilterMatches(t *testing.T) {
	r := newTailRig(t, 1000, 100, 20)
	r.push(0, 4, jsonVal)
	r.frame()
	mark := r.v.c.Theme.Match.Render
	filter := func(s string) {
		t.Helper()
		r.key("esc") // clears the last one
		r.key("/")
		r.typ(s)
		r.key("enter")
	}
	// rows are the record rows drawn, without the filter line (which
	// draws the filter in the Match style too).
	rows := func() string {
		lines := strings.Split(r.v.View(), "\n")
		return strings.Join(lines[4:len(lines)-1], "\n")
	}
	filter("country")
	r.key("k") // the newest row is selected: look at one that is not
	if !strings.Contains(rows(), mark("country")) {
		t.Fatalf("the rows do not mark the match:\n%q", rows())
	}
	r.key("enter")
	if !strings.Contains(r.v.View(), mark("country")) {
		t.Fatalf("the detail does not mark the match:\n%q", r.v.View())
	}
	r.key("esc")
	filter(`~"F.`)
	if !strings.Contains(rows(), mark(`"FR`)) {
		t.Fatalf("the rows do not mark the regexp's match:\n%q", rows())
	}
	filter("key:1") // k1's key; its value holds 1s too, never marked
	selMark := r.v.c.Theme.Selected.Underline(true).Render
	if n := strings.Count(rows(), mark("1")) + strings.Count(rows(), selMark("1")); n != 1 {
		t.Fatalf("key:1 marked %d times, want once, in k1's key:\n%q", n, rows())
	}
	filter("jq .amount >= 0")
	if strings.Contains(rows(), mark("amount")) {
		t.Fatal("a jq filter marked text")
	}
}

// TestTailWordsFitTheirCounts: one partition, one header, one record are
// said in the singular, in the status line, the picker, the detail pane
// and the save line.
func TestTailWordsFitTheirCounts(t *testing.T) {
	r := newTailRig(t, 1000, 120, 20)
	r.ring.Push([]kafka.Record{{Topic: "orders", Partition: 0, Offset: 0, Key: []byte("k"), Value: []byte("v"), KeySize: 1, ValueSize: 1,
		Headers: []kafka.Header{{Key: "h", Value: []byte("1")}}}})
	r.frame()
	r.v.nparts = 1
	r.want("orders · from end · 1 partition")
	r.not("all 1 partitions")
	r.v.nparts = 3
	r.want("all 3 partitions")
	r.v.nparts = 1
	r.key("enter")
	r.want("1 header · ")
	r.not("1 headers")
	r.key("esc", "s")
	r.want("  1 record")
	r.not("1 records")
	r.key("esc")
	p := newTailPicker(r.v.c, "orders", nil)
	p.nparts = 1
	if s := ansi.Strip(p.view()); !strings.Contains(s, "(the topic has 1 partition)") {
		t.Fatalf("the picker says:\n%s", s)
	}
	if _, err := parseParts("2", 1); err == nil || !strings.Contains(err.Error(), "(the topic has 1 partition)") {
		t.Fatalf("parseParts said %v", err)
	}
}

// TestTailPausedPerPartitionIsHonest: while paused the view takes no
// records, so it cannot know each partition's bytes/s: the line says so
// rather than showing 0 B/s beside a total that is not zero.
func TestTailPausedPerPartitionIsHonest(t *testing.T) {
	r := newTailRig(t, 1000, 120, 20)
	r.push(0, 10, jsonVal)
	r.frame()
	r.clock.Advance(time.Second)
	r.push(0, 10, jsonVal)
	r.frame()
	r.want("per partition: p0 10/s")
	r.key("space")
	r.clock.Advance(time.Second)
	r.push(0, 10, jsonVal)
	r.frame()
	r.want("PAUSED", "per partition: paused")
	r.not("p0 0/s", "p0 ")

	// A live tail knows each partition's offsets while paused: records/s
	// without the bytes it cannot know.
	var rates tailRates = newTailRates()
	at := viewstest.Epoch
	rates.progress([]kafka.PartitionProgress{{Partition: 0, Next: 100}})
	rates.sample(at, 0, 0)
	rates.progress([]kafka.PartitionProgress{{Partition: 0, Next: 150}})
	rates.sample(at.Add(time.Second), 50, 5000)
	if p := rates.parts[0]; p.perSec != 50 || p.bytesKnown {
		t.Fatalf("paused live partition: %+v, want 50/s and bytes unknown", *p)
	}
}

// TestTailNarrowGivesValueTheRoom: at 80 columns the VALUE column gets
// at least tailValueMin cells, H and then SIZE giving theirs up (the
// detail pane has both); at 120 every column shows; every cut value ends
// in an ellipsis.
func TestTailNarrowGivesValueTheRoom(t *testing.T) {
	long := func(i int64) string {
		return fmt.Sprintf(`{"event_type":"OrderPlaced","order_id":"ord-%06d","customer_id":"cus-42","amount":{"value":12.5}}`, i)
	}
	r := newTailRig(t, 100, 80, 20)
	r.push(0, 3, long)
	r.frame()
	r.key("k") // look at an unselected row
	if c := r.v.columns(); c.value < tailValueMin || c.hdrs != 0 {
		t.Fatalf("at 80 columns: %+v, want VALUE ≥ %d and H dropped", c, tailValueMin)
	}
	r.want(`{"event_type":"OrderPlaced","order_id":"o`, "…")
	r.not(" H  ")
	lines := strings.Split(r.screen(), "\n")
	for _, l := range lines[4:7] {
		if !strings.Contains(l, "…") {
			t.Fatalf("a cut value has no ellipsis: %q", l)
		}
	}
	r.v.SetSize(120, 20)
	r.want("VALUE", " H ", "SIZE")
}

// TestTailCutLinesEndInEllipsis: a status line too long for the width
// ends in an ellipsis, not mid-word with no sign.
func TestTailCutLinesEndInEllipsis(t *testing.T) {
	r := newTailRig(t, 100, 40, 20)
	r.push(0, 3, jsonVal)
	r.frame()
	r.v.nparts = 12
	lines := strings.Split(r.screen(), "\n")
	for i, l := range lines[:2] {
		if w := ansi.StringWidth(l); w > 40 || !strings.HasSuffix(strings.TrimRight(l, " "), "…") {
			t.Fatalf("line %d is %d wide and ends %q", i, w, l)
		}
	}
}
