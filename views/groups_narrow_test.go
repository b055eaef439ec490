package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/lag"
	"kflow/views/viewstest"
)

// TestResetPlanKeepsChangeAt80: at 80 columns a plan on a longer topic
// name and large offsets keeps every column, CHANGE included (it used to
// fall off the right edge), and no line is wider than the dialog.
func TestResetPlanKeepsChangeAt80(t *testing.T) {
	c := newLagCommon(viewstest.NewClock())
	a := &groupActions{c: c}
	plan := kafka.ResetPlan{Group: "notifications", State: "Empty", Rows: []kafka.ResetRow{
		{Topic: "order_events", Partition: 0, Old: 118_015_000, New: 0, LagBefore: 45, LagAfter: 118_015_045},
		{Topic: "order_events", Partition: 11, Old: -1, New: 7, LagBefore: 10, LagAfter: 3},
	}}
	d := newResetConfirm(a, kafka.GroupLag{}, "earliest", plan)
	d.setSize(80, 24)
	w := 80 - 6
	lines := d.planLines(10)
	for i, l := range lines {
		l = ansi.Strip(l)
		if ansi.StringWidth(l) > w {
			t.Errorf("line %d is %d wide, the dialog %d: %q", i, ansi.StringWidth(l), w, l)
		}
	}
	head := ansi.Strip(lines[0])
	for _, col := range []string{"TOPIC", "PART", "OLD", "NEW", "LAG BEFORE", "AFTER", "CHANGE"} {
		if !strings.Contains(head, col) {
			t.Errorf("header %q lacks %s", head, col)
		}
	}
	for i, want := range []string{"+118,015,000", "-7"} {
		if !strings.HasSuffix(ansi.Strip(lines[1+i]), want) {
			t.Errorf("row %d %q does not end with its change %s", i, ansi.Strip(lines[1+i]), want)
		}
	}
	if total := ansi.Strip(lines[len(lines)-1]); !strings.HasSuffix(total, "+118,014,993") {
		t.Errorf("total %q does not end with the total change", total)
	}
}

// TestVerdictLineCutsAtAWord: a status line too long for the screen drops
// the rates and the since first, then ends its reason on a whole word
// with an ellipsis, never mid-word.
func TestVerdictLineCutsAtAWord(t *testing.T) {
	c := newLagCommon(viewstest.NewClock())
	vd := lag.Verdict{Status: lag.Error, Since: viewstest.Epoch, ConsumeRate: 3, ProduceRate: 4,
		Reason: "describe: COORDINATOR_NOT_AVAILABLE: the coordinator is not available"}
	full := ansi.Strip(verdictLine(c, "billing", vd, 200))
	if !strings.Contains(full, "(since 12:00:00)") || !strings.Contains(full, "consuming 3.0/s") {
		t.Fatalf("wide: %q", full)
	}
	for _, w := range []int{80, 60, 40} {
		got := ansi.Strip(verdictLine(c, "billing", vd, w))
		if ansi.StringWidth(got) > w {
			t.Errorf("width %d: %q is %d wide", w, got, ansi.StringWidth(got))
		}
		if strings.Contains(got, "consuming") || strings.Contains(got, "since") {
			t.Errorf("width %d: %q keeps rates or since over the reason", w, got)
		}
		if !strings.HasSuffix(got, "…") {
			t.Errorf("width %d: %q is cut with no ellipsis", w, got)
		}
		kept := strings.TrimSuffix(got, "…")
		if next := full[len(kept)]; !strings.HasPrefix(full, kept) || next != ' ' && next != ':' || strings.HasSuffix(kept, " ") {
			t.Errorf("width %d: %q is cut mid-word", w, got)
		}
	}
}
