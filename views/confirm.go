package views

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/themes"
)

// nameBack is what every destructive dialog (delete a topic or a group,
// apply an offset reset) shares: the name the user must type back, the
// input it is typed in, and the state of the action it guards.
type nameBack struct {
	want  string
	input textinput.Model
	submission
}

// newNameBack makes the input for typing want back. It has no
// placeholder: a greyed name reads as already typed.
func newNameBack(th *themes.Theme, want string) nameBack {
	in := textinput.New()
	in.Prompt = "› "
	in.SetStyles(th.Input())
	return nameBack{want: want, input: in}
}

// confirmed reports whether the name was typed back exactly.
func (n *nameBack) confirmed() bool { return n.input.Value() == n.want }

func (n *nameBack) focus() tea.Cmd { return n.input.Focus() }

// send starts the guarded action once the name is typed back: false
// while it runs, or, with the error saying what to type, when the name
// does not match; what is the action ("delete it").
func (n *nameBack) send(what string) bool {
	if n.submitting {
		return false
	}
	if !n.confirmed() {
		n.err = fmt.Errorf("type %s exactly to %s", n.want, what)
		return false
	}
	n.submitting, n.err = true, nil
	return true
}

// update hands a key or message to the input.
func (n *nameBack) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	n.input, cmd = n.input.Update(msg)
	return cmd
}

// footer renders the prompt, the input and the action's state: while it
// runs (doing, e.g. "deleting…"), its error, or the key that does it
// (verb, e.g. "deletes") once the name is typed.
func (n *nameBack) footer(th *themes.Theme, w int, prompt, doing, verb string) string {
	var b strings.Builder
	b.WriteString(th.Muted.Render(prompt) + "\n")
	b.WriteString(n.input.View() + "\n")
	switch {
	case n.submitting:
		b.WriteString(th.Muted.Render(doing))
	case n.err != nil:
		b.WriteString(th.Error.Width(w).Render(n.err.Error()))
	case n.confirmed():
		b.WriteString(th.Warn.Render("enter " + verb + " · esc cancels"))
	default:
		b.WriteString(th.Muted.Render("esc cancels"))
	}
	return b.String()
}
