package views

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kflow/views/viewstest"
)

// TestSchemasGolden renders the schemas view over the in-process registry
// with its fixed subjects (so fixed ids) and a fixed clock, at 80x24 and
// 160x48: the list (a subject name too long for 80 columns), a version's
// schema, and the diff of two versions with its verdict.
// KFLOW_UPDATE_GOLDEN=1 go test ./views -run TestSchemasGolden rewrites
// the files (views/testdata/schemas_*.golden).
func TestSchemasGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	cases := []struct {
		name  string
		steps []step
	}{
		{"list", []step{{wait: []string{"4 subjects", "updated 12:00:00", "payments-value"}}}},
		{"version", []step{
			{wait: []string{"4 subjects"}},
			{append(typed("/orders-value"), "enter", "enter"), []string{"version 3 · id 4", `"name": "currency"`}},
			{press("left"), []string{"version 2 · id 3", `"default": "EUR"`}},
		}},
		{"diff", []step{
			{wait: []string{"4 subjects"}},
			{append(typed("/orders-value"), "enter", "enter"), []string{"version 3 · id 4"}},
			{press("d"), []string{"v2 (id 3) → v3 (id 4)", "keeps the subject's BACKWARD"}},
			{press("left"), []string{"v1 (id 2) → v3 (id 4)", "2 changes"}},
		}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("schemas_%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				rig := newSchemaRig(t, false)
				h := &host{stack: []View{NewSchemas(rig.c, "")}}
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
