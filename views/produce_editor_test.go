package views

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"charm.land/bubbles/v2/textarea"
	"github.com/charmbracelet/x/ansi"
)

// The form's room in an 80x24 terminal, under the shell's title, help
// and status lines.
const produceW, produceH = 80, 21

func TestProduceEditorSaysWhatIsScrolledAway(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.v.SetSize(produceW, produceH)
	h.keys("ctrl+t", "enter") // the order template: longer than the rows there are
	n := h.v.value.LineCount()
	m := regexp.MustCompile(`↓ (\d+) more`).FindStringSubmatch(ansi.Strip(h.screen()))
	if m == nil {
		t.Fatalf("no marker for the %d lines below:\n%s", n, h.screen())
	}
	below, _ := strconv.Atoi(m[1])
	rows := n - below
	if rows < 3 || below < 2 {
		t.Fatalf("%d lines, %d shown, %d below: the test wants a value longer than the editor", n, rows, below)
	}
	if strings.Contains(h.screen(), "↑") {
		t.Fatalf("nothing is above the first line:\n%s", h.screen())
	}
	for i := 0; i < 2*n && h.v.value.Line() < n-1; i++ { // a wrapped line takes more than one
		h.keys("down")
	}
	if h.v.slotName(h.v.focused) != "value" || h.v.value.Line() != n-1 {
		t.Fatalf("cursor on %s line %d, want the value's last line", h.v.slotName(h.v.focused), h.v.value.Line())
	}
	h.mustShow(fmt.Sprintf("↑ %d more", below))
	if strings.Contains(h.screen(), "↓") {
		t.Fatalf("nothing is below the last line:\n%s", h.screen())
	}
	for range rows {
		h.keys("up")
	}
	h.mustShow(fmt.Sprintf("↑ %d more", n-1-rows), "↓ 1 more")
	// Every line of the screen fits the width, markers included.
	for _, l := range strings.Split(ansi.Strip(h.screen()), "\n") {
		if w := ansi.StringWidth(l); w > produceW {
			t.Errorf("line %d wide: %q", w, l)
		}
	}
}

func TestProduceEditorLineNumbersKeepTheirColumn(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.set("value", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl")
	num := regexp.MustCompile(`^\s+(\d+) ([a-l])\s*$`)
	cols := map[int][]string{}
	for _, l := range strings.Split(ansi.Strip(h.screen()), "\n") {
		if m := num.FindStringSubmatchIndex(l); m != nil {
			cols[m[4]] = append(cols[m[4]], l)
		}
	}
	if len(cols) != 1 {
		t.Fatalf("the text starts in %d columns, want 1: %v", len(cols), cols)
	}
	for _, ls := range cols {
		if len(ls) != 12 {
			t.Fatalf("found %d numbered lines, want 12: %q", len(ls), ls)
		}
	}
}

func TestProduceResultLineDescribesTheLatestRunOnly(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.set("value", "one")
	h.keys("ctrl+s")
	h.mustShow("✓ orders")
	h.set("count", "5")
	h.keys("ctrl+s")
	h.mustShow("sent 5 of 5 records")
	if s := h.screen(); strings.Contains(s, "✓ orders") {
		t.Fatalf("the single send before the run is still shown under its summary:\n%s", s)
	}
	h.set("count", "1")
	h.keys("ctrl+s")
	h.mustShow("✓ orders · partition")
	if s := h.screen(); strings.Contains(s, "sent 5 of 5") || strings.Count(s, "✓ orders") != 1 {
		t.Fatalf("the result line mixes runs:\n%s", s)
	}
}

func TestProduceCountsInTheSingular(t *testing.T) {
	h := newProduceHarness(t, "audit-log", ProduceOptions{})
	h.mustShow("1 partition")
	if s := h.screen(); strings.Contains(s, "1 partitions") {
		t.Fatalf("plural for one partition:\n%s", s)
	}
	h.set("partition", "1")
	if e := h.v.FieldError("partition"); e != "partition 1 does not exist: audit-log has only partition 0" {
		t.Fatalf("partition 1 of 1: %q", e)
	}
	h.set("partition", "0")
	h.mustShow("of 1 partition")
}

// editorRows counts the rows bubbles' textarea wraps a line into: the
// markers are only right while the two agree.
func TestEditorRowsAgreesWithTheTextarea(t *testing.T) {
	for _, text := range []string{
		"short",
		"",
		"exactly twenty chars",
		"a line of several words that wraps over more than one row of the editor",
		"averyveryverylongwordwithoutanyspaceatallthatmustbebrokenbythewidth",
		"trailing spaces      ",
		"aaaaaaaaaaaaaaaaaaa bbbbbbbbb cccccccccc",
		"    leading spaces and   several   gaps between     words here",
		"漢字のテキストは一文字が二つの幅を取るので折り返しが早く来る",
		"mixed 漢字 and ascii words 漢字漢字漢字漢字 again and again",
		`{"event_id": "{{uuid}}", "customer_id": "customer-{{rand 1 100}}", "amount_cents": 1234}`,
	} {
		for _, w := range []int{20, 33} {
			ta := textarea.New()
			ta.Prompt = ""
			ta.ShowLineNumbers = false
			ta.EndOfBufferCharacter = '~'
			ta.MaxHeight = 0
			ta.SetWidth(w)
			ta.SetHeight(40)
			ta.SetValue(text)
			rendered := 0
			for _, l := range strings.Split(ansi.Strip(ta.View()), "\n") {
				if strings.HasPrefix(l, "~") {
					break
				}
				rendered++
			}
			if got := editorRows([]rune(text), ta.Width()); got != rendered {
				t.Errorf("width %d, %q: counted %d rows, the textarea shows %d", w, text, got, rendered)
			}
		}
	}
}

func TestProduceEditorScrollsBackWhenTheValueFits(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.v.SetSize(produceW, produceH)
	h.screen()
	lines := make([]string, 20)
	for i := range lines {
		lines[i] = "line " + string(rune('a'+i))
	}
	h.set("value", strings.Join(lines, "\n"))
	h.mustShow("↑ 10 more", "line t") // 20 lines, 10 rows under the history line
	h.v.SetSize(160, 48)              // room for all 20 lines
	s := ansi.Strip(h.screen())
	if !strings.Contains(s, " 1 line a") || !strings.Contains(s, "20 line t") {
		t.Fatalf("the value is not shown whole:\n%s", s)
	}
	if strings.Contains(s, "↑") || strings.Contains(s, "↓") {
		t.Fatalf("markers while the whole value shows:\n%s", s)
	}
	if h.v.value.Line() != 19 || h.v.value.Column() != len("line t") {
		t.Fatalf("the cursor moved: line %d column %d", h.v.value.Line(), h.v.value.Column())
	}
}
