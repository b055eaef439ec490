package views

import (
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// tailFilterInput is the filter being typed. Each edit that parses is
// put in force at once; one that does not shows its error under the input
// and the last good filter stays.
type tailFilterInput struct {
	in     textinput.Model
	before *TailFilter // in force when typing began, back on esc
	err    error
}

func newTailFilterInput(c *Common, cur *TailFilter) *tailFilterInput {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "text · ~regexp · key:… value:… header:NAME:… · jq .amount > 100"
	in.SetStyles(c.Theme.Input())
	in.SetValue(cur.String())
	in.CursorEnd()
	return &tailFilterInput{in: in, before: cur}
}

// tailSaveInput asks where to save the shown records.
type tailSaveInput struct {
	in  textinput.Model
	err error
}

func newTailSaveInput(c *Common, dir, topic string) *tailSaveInput {
	in := textinput.New()
	in.Prompt = "save to "
	in.SetStyles(c.Theme.Input())
	name := strings.NewReplacer("/", "_", "\\", "_").Replace(topic) + "-" + c.now().UTC().Format("20060102-150405") + ".jsonl"
	in.SetValue(filepath.Join(dir, name))
	in.CursorEnd()
	return &tailSaveInput{in: in}
}

func updateInput(in *textinput.Model, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	return cmd
}
