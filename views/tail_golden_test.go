package views

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views/viewstest"
)

// TestTailGolden renders the hostile record set (testdata/hostile) with a
// fixed clock at 80x24 and 160x48: the record table, the detail pane of
// each record, the filter and its error, pause and catch-up. Every screen
// is checked to hold nothing a terminal would act on.
func TestTailGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	hostile := hostileRecords(t)
	type step struct {
		keys []string
		wait []string
	}
	down := func(n int) []string {
		ks := []string{"g"}
		for range n {
			ks = append(ks, "j")
		}
		return append(ks, "enter")
	}
	cases := []struct {
		name  string
		steps []step
		prep  func(v *Tail)
	}{
		{name: "hostile_list", steps: []step{{nil, []string{"received 11"}}, {[]string{"g"}, []string{"␛[31mred"}}}},
		{name: "detail_escapes", steps: []step{{down(0), []string{"VALUE (text)"}}}},
		{name: "detail_c1", steps: []step{{down(1), []string{"VALUE (text)"}}}},
		{name: "detail_bidi", steps: []step{{down(2), []string{"VALUE (text)"}}}},
		{name: "detail_invalid_utf8", steps: []step{{down(3), []string{"VALUE (binary)"}}}},
		{name: "detail_binary", steps: []step{{down(4), []string{"VALUE (binary)"}}}},
		{name: "detail_emoji_cjk", steps: []step{{down(5), []string{"VALUE (text)"}}}},
		{name: "detail_headers", steps: []step{{down(6), []string{"HEADERS (100)"}}}},
		{name: "detail_empty", steps: []step{{down(7), []string{"VALUE (text)"}}}},
		{name: "detail_tombstone", steps: []step{{down(8), []string{"VALUE (null)"}}}},
		{name: "detail_json", steps: []step{{down(9), []string{"VALUE (json)"}}}},
		{name: "detail_5mb", steps: []step{{down(10), []string{"value cut to its first"}}}},
		{name: "filter_error", steps: []step{{append([]string{"/"}, strings.Split("jq .amount > 1 and (", "")...), []string{"✗ jq:"}}}},
		{name: "filter_jq", steps: []step{{append(append([]string{"/"}, strings.Split("jq .amount >= 150", "")...), "enter"), []string{"matched 1 of 11"}}}},
		{name: "filter_text", steps: []step{{append(append([]string{"/"}, strings.Split("amount", "")...), "enter"), []string{"matched 1 of 11"}}}},
		{name: "detail_filtered", steps: []step{{append(append([]string{"/"}, strings.Split("amount", "")...), "enter", "enter"), []string{"VALUE (json)"}}}},
		{name: "paused", steps: []step{{[]string{"space"}, []string{"PAUSED"}}}},
		{name: "catching_up", prep: func(v *Tail) {
			v.start = kafka.Start{Kind: kafka.StartBeginning}
			v.progress = []kafka.PartitionProgress{
				{Partition: 0, From: 0, Target: 1000, Next: 640, HighWater: 1200},
				{Partition: 1, From: 100, Target: 600, Next: 600, HighWater: 650},
				{Partition: 2, From: 0, Target: 400, Next: 20, HighWater: 400},
			}
		}, steps: []step{{nil, []string{"catching up"}}}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				clock := viewstest.NewClock()
				ring := kafka.NewRing(100)
				ring.Push(hostile)
				v := NewTailRing(newTailCommon(t, clock), "hostile", ring, TailViewOptions{})
				if tc.prep != nil {
					tc.prep(v)
				}
				h := &host{stack: []View{v}}
				tm := viewstest.StartProgram(t, h, size[0], size[1])
				h.screen.Wait(t, "received 11")
				for _, s := range tc.steps {
					tm.Keys(s.keys...)
					h.screen.Wait(t, s.wait...)
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
				viewstest.RequireGolden(t, "tail_"+name, ansi.Strip(screen))
				viewstest.RequireGolden(t, "tail_"+name+".ansi", screen)
			})
		}
	}
}
