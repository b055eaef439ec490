package views

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/themes"
	"kflow/views/viewstest"
)

// TestProduceGolden renders the form empty, filled from a template and in
// error, at 80x24 and 160x48, with a fixed clock, fixed random draws and
// fake results.
func TestProduceGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	type step struct {
		keys []tea.KeyPressMsg
		wait []string
	}
	k := func(names ...string) []tea.KeyPressMsg {
		var out []tea.KeyPressMsg
		for _, n := range names {
			m, ok := viewstest.NamedKey(n)
			if !ok {
				out = append(out, viewstest.Typed(n)...)
				continue
			}
			out = append(out, m)
		}
		return out
	}
	cases := map[string]struct {
		topic  string
		fail   error
		schema bool // connect an in-process registry holding orders-value
		steps  []step
	}{
		// The subject picker, filtered; then the schema's skeleton in the
		// value; then a value typed first, kept, and refused at its path.
		"schema-picker": {topic: "orders", schema: true, steps: []step{
			{nil, []string{"6 partitions", "ctrl+o: a schema"}},
			{k("tab", "ctrl+o"), []string{"orders-value"}},
			{k("ord"), []string{"filter: ord"}},
		}},
		"schema": {topic: "orders", schema: true, steps: []step{
			{nil, []string{"6 partitions", "ctrl+o: a schema"}},
			{k("tab", "ctrl+o"), []string{"orders-value"}},
			{k("ord", "enter"), []string{"latest (version 1)"}},
			{k("enter"), []string{`"status": "NEW"`}},
		}},
		"schema-error": {topic: "orders", schema: true, steps: []step{
			{nil, []string{"6 partitions", "ctrl+o: a schema"}},
			{k("tab", `{"id": "o-1", "customer": {"id": 5, "vip": true}}`), []string{"vip"}},
			{k("ctrl+o"), []string{"orders-value"}},
			{k("ord", "enter"), []string{"latest (version 1)"}},
			{k("enter"), []string{"/customer/id"}},
			{k("ctrl+s"), []string{"to fix before sending"}},
		}},
		"empty": {steps: []step{{nil, []string{"4 topics, tab completes"}}}},
		"filled": {topic: "orders", steps: []step{
			{nil, []string{"6 partitions"}},
			{k("ctrl+t", "enter"), []string{"ord-{{seq 6}}"}},
			{k("tab", "tab", "tab", "tab", "tab", "10000", "tab", "500"), []string{"10000"}},
		}},
		"error": {topic: "orders", fail: errBrokerDown, steps: []step{
			{nil, []string{"6 partitions"}},
			{k("shift+tab", "7", "tab", "k-1", "tab", "alt+j", "{\"id\": 1,\n\"n\": x}", "tab", "novalue"), []string{"not JSON: line 2"}},
			{k("ctrl+s"), []string{"to fix before sending"}},
		}},
		"broker-error": {topic: "orders", fail: errBrokerDown, steps: []step{
			{nil, []string{"6 partitions"}},
			{k("user-42", "tab", "hello"), []string{"hello"}},
			{k("ctrl+s"), []string{"not sent:"}},
		}},
		// A value longer than the editor, the cursor in its middle: both
		// "more" markers, and line numbers in one column past line 9.
		"long-value": {topic: "orders", steps: []step{
			{nil, []string{"6 partitions"}},
			{k("tab", "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\nline 10\nline 11\nline 12\nline 13\nline 14\nline 15\nline 16\nline 17\nline 18\nline 19\nline 20"), []string{"line 20"}},
			{k("up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up", "up"), nil},
		}},
		"sent": {topic: "payments", steps: []step{
			{nil, []string{"3 partitions"}},
			{k("user-42", "tab", "hello", "ctrl+s"), []string{"✓ payments"}},
		}},
	}
	for name, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), func(t *testing.T) {
				th, err := themes.Load("", "", false)
				if err != nil {
					t.Fatal(err)
				}
				fake := newFakeProducer()
				fake.fail = tc.fail
				c := &Common{Ctx: context.Background(), Theme: th, Cluster: fake.Cluster, Now: func() time.Time { return viewstest.Epoch }, Timeout: 2 * time.Second}
				if tc.schema {
					c.Registry, _ = registerAt(t, startDemoRegistry(t), "orders-value", formAvsc)
				}
				home := t.TempDir() // the form shows the history's path from ~
				t.Setenv("HOME", home)
				v := NewProduce(c, fake, tc.topic, ProduceOptions{HistoryPath: filepath.Join(home, ".config", "kflow", "history.jsonl"), Rand: rand.New(rand.NewPCG(1, 1))})
				h := &host{stack: []View{v}}
				tm := viewstest.StartProgram(t, h, size[0], size[1])
				for _, s := range tc.steps {
					for _, k := range s.keys {
						tm.Send(k)
					}
					h.screen.Wait(t, s.wait...)
				}
				tm.Stop(t)
				screen := v.View()
				viewstest.RequireGolden(t, fmt.Sprintf("produce_%s_%dx%d", name, size[0], size[1]), ansi.Strip(screen))
				viewstest.RequireGolden(t, fmt.Sprintf("produce_%s_%dx%d.ansi", name, size[0], size[1]), screen)
			})
		}
	}
}
