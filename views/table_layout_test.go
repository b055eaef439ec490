package views

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kflow/themes"
	"kflow/views/viewstest"
)

// layoutTable is a table of the topics view's shape: a flexible name, two
// numbers that never go, a sparkline that goes first, a health column
// next and a small number last.
func layoutTable(t *testing.T, w int, names ...string) *Table {
	t.Helper()
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	tb := NewTable(&Common{Theme: th}, []Column{
		{Title: "NAME", Width: 10, Flex: true},
		{Title: "RECORDS", Width: 11, Align: Right},
		{Title: "RF", Width: 2, Align: Right, Drop: 1},
		{Title: "TREND", Width: 10, Drop: 3},
		{Title: "HEALTH", Width: 12, Drop: 2},
	})
	var rows []Row
	for i, n := range names {
		rows = append(rows, Row{Key: n, Cells: []Cell{
			Text(n), Num(float64(i), "9,901,740"), Num(3, "3"),
			Text(Sparkline([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10)), Text("1 under-rep"),
		}})
	}
	tb.SetRows(rows)
	tb.SetSize(w, 10)
	return tb
}

// tableLines is the table's screen without styles, trailing blanks cut.
func tableLines(tb *Table) []string {
	var out []string
	for _, l := range strings.Split(ansi.Strip(tb.View()), "\n") {
		out = append(out, strings.TrimRight(l, " "))
	}
	return out
}

const longName = "clickstream.raw.events.from-the-web-frontend" // 44 cells

func TestTableNamesComeBeforeSparklinesAndHealth(t *testing.T) {
	for _, c := range []struct {
		width int
		// titles shown, in order
		titles string
		// whether the long name shows whole
		whole bool
	}{
		// everything fits: nothing gives way
		{120, "NAME RECORDS RF TREND HEALTH", true},
		// padding wider than any value goes first
		{85, "NAME RECORDS RF TREND HEALTH", true},
		// then the trend, to keep the name whole
		{84, "NAME RECORDS RF HEALTH", true},
		// then health; RF, the least of the numbers, stays while it fits
		{72, "NAME RECORDS RF", true},
		// a name takes up to two thirds of the width before the other
		// columns give way: past that it is cut, with an ellipsis
		{58, "NAME RECORDS RF", false},
		// narrower still, RF goes too
		{40, "NAME RECORDS", false},
	} {
		tb := layoutTable(t, c.width, "orders", longName)
		lines := tableLines(tb)
		if got := strings.Join(strings.Fields(strings.ReplaceAll(lines[0], "▲", "")), " "); got != c.titles {
			t.Errorf("width %d: columns %q, want %q\n%s", c.width, got, c.titles, strings.Join(lines, "\n"))
		}
		if got := strings.Contains(lines[1], longName); got != c.whole {
			t.Errorf("width %d: long name whole %v, want %v:\n%s", c.width, got, c.whole, strings.Join(lines, "\n"))
		}
		if !c.whole && !strings.Contains(lines[1], "…") {
			t.Errorf("width %d: the cut name has no ellipsis:\n%s", c.width, strings.Join(lines, "\n"))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > c.width {
				t.Errorf("width %d: line %d is %d wide: %q", c.width, i, w, l)
			}
		}
	}
}

// At 80 columns the topics view shows its names whole: the sparkline and
// the health column give way first.
func TestTopicsAt80ShowNamesWhole(t *testing.T) {
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	fake := viewstest.New()
	c := &Common{Ctx: context.Background(), Theme: th, Cluster: fake, Now: fake.Clock.Now, Timeout: time.Second}
	v := NewTopics(c)
	v.SetSize(80, 20)
	_, _ = v.Update(v.Init()())
	screen := ansi.Strip(v.View())
	if !strings.Contains(screen, longName) {
		t.Fatalf("the long topic name is cut at 80 columns:\n%s", screen)
	}
	if strings.Contains(screen, "TREND") || strings.Contains(screen, "HEALTH") {
		t.Fatalf("the sparkline and health kept their room while names are long:\n%s", screen)
	}
	// Health went from the table: the summary line still says it.
	if head := strings.Split(screen, "\n")[0]; !strings.HasPrefix(head, "4 topics · 1 under-replicated · ") {
		t.Fatalf("the summary line does not say a topic is under-replicated: %q", head)
	}
	v.SetSize(160, 20)
	if screen := ansi.Strip(v.View()); !strings.Contains(screen, longName) || !strings.Contains(screen, "TREND") || !strings.Contains(screen, "HEALTH") {
		t.Fatalf("at 160 columns every column shows:\n%s", screen)
	}
}

func TestLayoutColumnsShrinksOnlyAsNeeded(t *testing.T) {
	cols := []Column{
		{Title: "NAME", Width: 10, Flex: true},
		{Title: "RECORDS", Width: 11, Align: Right},
		{Title: "RF", Width: 2, Align: Right, Drop: 1},
		{Title: "TREND", Width: 10, Drop: 3, Min: 5, KeepEnd: true},
		{Title: "HEALTH", Width: 12, Drop: 2},
	}
	widest := []int{44, 9, 1, 10, 11}
	for _, c := range []struct {
		width  int
		widths []int // 0: the column does not show
	}{
		{200, []int{44, 11, 3, 10, 12}},
		{88, []int{44, 11, 3, 10, 12}},
		// the padding of RECORDS and HEALTH goes first
		{85, []int{44, 9, 3, 10, 11}},
		// then the trend shrinks, by no more than it must
		{82, []int{44, 9, 3, 7, 11}},
		{80, []int{44, 9, 3, 5, 11}},
		// then it goes, and the padding comes back
		{79, []int{44, 11, 3, 0, 12}},
		// health next
		{70, []int{44, 11, 3, 0, 0}},
		// the name is capped at two thirds of the width; RF goes last
		{40, []int{27, 11, 0, 0, 0}},
		// never-going columns shrink to their minimum (here the widest
		// value), and no further: the line is cut
		{10, []int{10, 9, 0, 0, 0}},
	} {
		shown, widths := layoutColumns(cols, widest, c.width)
		if !slices.Equal(widths, c.widths) {
			t.Errorf("width %d: widths %v, want %v", c.width, widths, c.widths)
		}
		for _, i := range shown {
			if widths[i] == 0 {
				t.Errorf("width %d: column %d shown with no width", c.width, i)
			}
		}
		if len(shown) == 0 {
			t.Errorf("width %d: no column shown", c.width)
		}
	}
}

func TestTableCutsCarryAnEllipsis(t *testing.T) {
	th, err := themes.Load("", "", true)
	if err != nil {
		t.Fatal(err)
	}
	spark := Sparkline([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10)
	tb := NewTable(&Common{Theme: th}, []Column{
		{Title: "NAME", Width: 10, Flex: true},
		{Title: "CONSUMER-GROUP-ID", Width: 8, Min: 6},
		{Title: "TREND", Width: 10, Drop: 1, Min: 5, KeepEnd: true},
	})
	tb.SetRows([]Row{{Key: "a", Cells: []Cell{Text("orders"), Text("billing-service-v2"), Text(spark)}}})
	tb.SetSize(36, 5)
	lines := tableLines(tb)
	// The sparkline shrank: it keeps its newest samples, cut at its start.
	r := []rune(spark)
	if tail := "  …" + string(r[len(r)-7:]); !strings.HasSuffix(lines[1], tail) {
		t.Errorf("shrunk sparkline: %q, want it to end in %q", lines[1], tail)
	}
	tb.SetSize(20, 5)
	lines = tableLines(tb)
	// The sparkline went; the title does not fit its column: cut, with
	// an ellipsis, and so is the value.
	if lines[0] != "NAME▲   CONSUMER-GR…" || lines[1] != "orders  billing-ser…" {
		t.Errorf("cut title and value:\n%s\n%s", lines[0], lines[1])
	}
	// Too narrow for anything: the line is cut with an ellipsis too.
	tb.SetSize(12, 5)
	for _, l := range tableLines(tb)[:2] {
		if ansi.StringWidth(l) > 12 || !strings.HasSuffix(l, "…") {
			t.Errorf("line cut at 12 cells: %q", l)
		}
	}
}

func TestHeadLineDropsPartsByPriority(t *testing.T) {
	parts := []headPart{{"4 topics", 0}, {"1 internal hidden (i)", 2}, {"10,072,031 records", 3}, {"updated 12:00:06", 1}, {"STALE", 0}}
	for _, c := range []struct {
		w    int
		want string
	}{
		{200, "4 topics · 1 internal hidden (i) · 10,072,031 records · updated 12:00:06 · STALE"},
		{60, "4 topics · 1 internal hidden (i) · updated 12:00:06 · STALE"},
		{40, "4 topics · updated 12:00:06 · STALE"},
		{20, "4 topics · STALE"},
		{10, "4 topics …"},
	} {
		if got := headLine(" · ", c.w, parts...); got != c.want {
			t.Errorf("width %d: %q, want %q", c.w, got, c.want)
		}
	}
	if len(parts) != 5 || parts[1].text != "1 internal hidden (i)" {
		t.Errorf("headLine changed its argument: %v", parts)
	}
}

func TestTextWidthMatchesAnsi(t *testing.T) {
	for _, s := range []string{"", "orders", "9,901,740", "漢字", "▁▂▃█", "\x1b[1mbold\x1b[m", "tab\there", "é"} {
		if got, want := textWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("%q: %d, want %d", s, got, want)
		}
	}
}

func TestFitEndDropsBlanksBeforeCutting(t *testing.T) {
	young := Sparkline([]float64{1, 4}, 10) // eight blanks, two bars
	for _, c := range []struct {
		s    string
		w    int
		want string
	}{
		{young, 10, young},
		{young, 5, "   ▃█"},
		{young, 2, "▃█"},
		{young, 1, "…"},
		{"▁▂▃▄▅▆▇█", 5, "…▅▆▇█"},
		{"abc", 5, "abc  "},
	} {
		if got := fitEnd(c.s, c.w, Left); got != c.want {
			t.Errorf("fitEnd(%q, %d) = %q, want %q", c.s, c.w, got, c.want)
		}
	}
}
