package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views"
	"kflow/views/viewstest"
)

// probe wraps the root model so a test can wait on what it renders, not
// on the byte stream the renderer happens to write.
type probe struct {
	*Model
	screen viewstest.Screen
}

func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.Model.Update(msg)
	p.screen.Set(p.Render())
	return p, cmd
}

// TestGolden renders each view with fixed data and a fixed clock at
// 80x24 and 160x48 in the default theme. Each refresh advances the fake
// clock one second, so "updated 12:00:0N" says which sample is on screen;
// KFLOW_UPDATE_GOLDEN=1 go test ./ui -run TestGolden rewrites the files
// (ui/testdata/TestGolden/*.golden; -update works too).
func TestGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	type step struct {
		keys string   // keys to press ("\n" is enter, "\b" backspace)
		wait []string // what the screen shows once they took effect
	}
	refreshes := func(first int, n int, extra ...string) []step {
		var s []step
		for i := range n {
			s = append(s, step{"r", append([]string{fmt.Sprintf("updated 12:00:%02d", first+i)}, extra...)})
		}
		return s
	}
	cases := map[string][]step{
		"topics": append([]step{{"", []string{"updated 12:00:01"}}}, refreshes(2, 5)...),
		"partitions": append([]step{{"", []string{"updated 12:00:01"}}, {"jj\n", []string{"partitions · orders", "updated 12:00:02"}}},
			refreshes(3, 3)...),
		"brokers":     {{"", []string{"updated 12:00:01"}}, {":brokers\n", []string{"controller 1", "updated"}}},
		"configs":     {{"", []string{"updated 12:00:01"}}, {"jjC", []string{"set on the topic"}}},
		"create-form": {{"", []string{"updated 12:00:01"}}, {"cnew.topic\t3\tx", []string{"a whole number"}}},
		"config-edit": {{"", []string{"updated 12:00:01"}}, {"jjC", []string{"set on the topic"}}, {"je", []string{"Edit retention.ms", "1d"}},
			{"\b\b2d\n", []string{"the broker accepts it", "1d (dynamic topic) → 2d (dynamic topic)"}}},
		"config-refused": {{"", []string{"updated 12:00:01"}}, {"jjC", []string{"set on the topic"}}, {"je", []string{"Edit retention.ms"}},
			{"\b\b-5\n", []string{"the broker refuses it"}}},
		"broker-configs": {{"", []string{"updated 12:00:01"}}, {":brokers\n", []string{"controller 1", "updated"}}, {"\n", []string{"set dynamically"}}},
		"truncate":       {{"", []string{"updated 12:00:01"}}, {"jjx", []string{"Delete records of orders"}}, {"50\n", []string{"Type the topic name to delete"}}},
		"delete":         {{"", []string{"updated 12:00:01"}}, {"jjd", []string{"Delete topic orders"}}},
		"help":           {{"", []string{"updated 12:00:01"}}, {"?", []string{"topics keys"}}},
		"palette":        {{"", []string{"updated 12:00:01"}}, {":p", []string{"produce [TOPIC]"}}},
		"filter":         {{"", []string{"updated 12:00:01"}}, {"/ordr", []string{"1 of 4"}}},
		"disconnected":   {{"", []string{"updated 12:00:01"}}},
	}
	for name, steps := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), func(t *testing.T) {
				fake := viewstest.New()
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				m := New(ctx, Options{Conn: kafka.ConnConfig{Brokers: []string{"broker-1.kafka.local:9092"}}}, Deps{
					Connect: func(context.Context, kafka.ConnConfig) (views.Cluster, func(), error) {
						return fake, func() {}, nil
					},
					Now:     fake.Clock.Now,
					Timeout: 2 * time.Second,
				})
				p := &probe{Model: m}
				tm := viewstest.StartProgram(t, p, size[0], size[1])
				for _, s := range steps {
					for i, part := range strings.Split(s.keys, "\b") {
						if i > 0 {
							tm.Keys("backspace")
						}
						tm.Type(part)
					}
					p.screen.Wait(t, s.wait...)
				}
				if name == "disconnected" {
					fake.SetFail(fmt.Errorf("dial tcp 10.0.0.1:9092: connect: connection refused"))
					tm.Send(healthTickMsg{gen: 1})
					p.screen.Wait(t, "disconnected")
					tm.Send(viewstest.Key("r"))
					// The view says STALE from the shared link at once;
					// wait for its refresh's own answer.
					p.screen.Wait(t, "STALE", "list topics: dial")
				}
				final := tm.Stop(t).(*probe)
				screen := final.Render()
				viewstest.RequireGolden(t, t.Name(), ansi.Strip(screen))
				t.Run("ansi", func(t *testing.T) { viewstest.RequireGolden(t, t.Name(), screen) })
			})
		}
	}
}
