package views

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kflow/views/viewstest"
)

// step is keys to press (space separated names, or runs of plain
// letters after a "type:" prefix) and what the screen shows after.
type step struct {
	keys []string
	wait []string
}

func press(ks ...string) []string { return ks }

func typed(s string) []string {
	out := make([]string, 0, len(s))
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// samples refreshes the dashboard until the clock shows the n-th sample.
func samples(n int) []step {
	out := []step{{wait: []string{"updated 12:00:00"}}}
	for i := 1; i < n; i++ {
		out = append(out, step{press("r"), []string{fmt.Sprintf("updated 12:00:%02d", 2*i)}})
	}
	return out
}

// TestGroupsGolden renders the dashboard from a fixed series of samples
// and a fixed clock at 80x24 and 160x48: every status, a group's detail,
// the reset form and plan, the delete confirmation and a topic's groups.
// KFLOW_UPDATE_GOLDEN=1 go test ./views -run TestGroupsGolden rewrites the
// files (views/testdata/groups_*.golden).
func TestGroupsGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	ten := samples(10)
	cases := []struct {
		name  string
		topic string
		steps []step
	}{
		{"dashboard", "", ten},
		{"detail", "", append(samples(6), step{append(typed("/notif"), "enter", "enter"), []string{"notifications · classic", "updated 12:00:12"}},
			step{press("r"), []string{"updated 12:00:14"}}, step{press("r"), []string{"updated 12:00:16"}})},
		{"reset_form", "", append(samples(4), step{append(typed("/arch"), "enter", "R", "right", "right", "right", "right", "tab"), []string{"Records to move"}},
			step{typed("-250"), []string{"-250"}})},
		{"reset_plan", "", append(samples(4), step{append(typed("/arch"), "enter", "R", "right", "right", "right", "right", "tab"), []string{"Records to move"}},
			step{append(typed("-250"), "enter"), []string{"Type the group name"}}, step{typed("arch"), []string{"arch"}})},
		{"reset_active", "", append(samples(4), step{append(typed("/notif"), "enter", "R", "enter"), []string{"Type the group name"}},
			step{append(typed("notifications"), "enter"), []string{`group "notifications" is active`}})},
		{"delete", "", append(samples(3), step{append(typed("/arch"), "enter", "D"), []string{"Delete group archiver"}})},
		{"topic", "orders", samples(6)},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("groups_%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				clock := viewstest.NewClock()
				src := &fakeGroups{clock: clock, script: dashboardScript}
				c := newLagCommon(clock)
				h := &host{stack: []View{NewGroups(c, src, tc.topic, GroupsOptions{Rules: lagRules})}}
				tm := viewstest.StartProgram(t, h, size[0], size[1])
				for _, s := range tc.steps {
					tm.Keys(s.keys...)
					h.screen.Wait(t, s.wait...)
				}
				tm.Stop(t)
				screen := h.screen.Frame()
				viewstest.RequireGolden(t, name, ansi.Strip(screen))
				viewstest.RequireGolden(t, name+".ansi", screen)
			})
		}
	}
}
