package views

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/themes"
)

// fields are a form's text inputs, one focused at a time, each with the
// error its value has now. The create-topic, ACL and SCRAM user forms and
// the tail picker are made of them.
type fields struct {
	inputs  []textinput.Model
	focused int
	errs    []string
}

// newFields makes one prompt-less input per placeholder.
func newFields(th *themes.Theme, placeholders ...string) fields {
	f := fields{inputs: make([]textinput.Model, len(placeholders)), errs: make([]string, len(placeholders))}
	for i, ph := range placeholders {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = ph
		in.SetStyles(th.Input())
		f.inputs[i] = in
	}
	return f
}

// setInputWidth gives every input w cells.
func (f *fields) setInputWidth(w int) {
	for i := range f.inputs {
		f.inputs[i].SetWidth(w)
	}
}

// focus puts the cursor in the focused input only.
func (f *fields) focus() tea.Cmd {
	for i := range f.inputs {
		f.inputs[i].Blur()
	}
	return f.inputs[f.focused].Focus()
}

// step moves the focus d fields on, round the ends, without focusing.
func (f *fields) step(d int) {
	n := len(f.inputs)
	f.focused = (f.focused + d%n + n) % n
}

// onLast reports whether the last field has the focus (enter there sends).
func (f *fields) onLast() bool { return f.focused == len(f.inputs)-1 }

// Value returns what is typed in field i, for tests.
func (f *fields) Value(i int) string { return f.inputs[i].Value() }

// feed gives msg to the focused input.
func (f *fields) feed(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f.inputs[f.focused], cmd = f.inputs[f.focused].Update(msg)
	return cmd
}

// clearErrs forgets every field's error, before checking them again.
func (f *fields) clearErrs() { clear(f.errs) }

// firstErr is the first field in error, or -1.
func (f *fields) firstErr() int {
	for i, e := range f.errs {
		if e != "" {
			return i
		}
	}
	return -1
}

// focusErr moves the focus to the first field in error, if any.
func (f *fields) focusErr() {
	if i := f.firstErr(); i >= 0 {
		f.focused = i
		f.focus()
	}
}

// render writes the fields under their labels (padded to lw), the focused
// one marked, each error under its field; errWidth above 0 wraps errors
// to that width. Fields skip says are left out.
func (f *fields) render(b *strings.Builder, th *themes.Theme, labels []string, lw, errWidth int, skip func(int) bool) {
	for i := range f.inputs {
		if skip != nil && skip(i) {
			continue
		}
		label := fmt.Sprintf("%-*s", lw, labels[i])
		if i == f.focused {
			b.WriteString(th.FocusedLabel.Render("› " + label))
		} else {
			b.WriteString(th.Label.Render("  " + label))
		}
		b.WriteString(" " + f.inputs[i].View() + "\n")
		if f.errs[i] == "" {
			continue
		}
		pad := strings.Repeat(" ", lw+3)
		if errWidth <= 0 {
			b.WriteString(pad + th.Error.Render(f.errs[i]) + "\n")
			continue
		}
		for _, l := range strings.Split(th.Error.Width(errWidth).Render(f.errs[i]), "\n") {
			b.WriteString(pad + l + "\n")
		}
	}
}

// submission is the state of a form or confirmation that sends one write:
// whether it is in flight, and the broker's refusal of the last one.
type submission struct {
	submitting bool
	err        error
}

// failed takes the broker's refusal: the panel stays, with what was
// typed, showing err.
func (s *submission) failed(err error) { s.submitting, s.err = false, err }

// stepKey moves the focus on FormKeys' next and previous keys; moved is
// false for any other message, for the focused input.
func stepKey(msg tea.Msg, k FormKeys, f *fields) (cmd tea.Cmd, moved bool) {
	kp, ok := msg.(tea.KeyPressMsg)
	switch {
	case !ok:
		return nil, false
	case key.Matches(kp, k.Next):
		f.step(1)
	case key.Matches(kp, k.Prev):
		f.step(-1)
	default:
		return nil, false
	}
	return f.focus(), true
}

// submits reports whether msg sends the form: its submit key, or enter on
// its last field.
func submits(msg tea.KeyPressMsg, k FormKeys, onLast bool) bool {
	return key.Matches(msg, k.Submit) || (key.Matches(msg, k.Next) && msg.String() == "enter" && onLast)
}

// screen draws the list: while nothing has loaded, loading ("listing
// ACLs") or the failure of l.what, then summary's parts and how fresh they
// are; the open panel over it all.
func (l *adminList[T]) screen(loading string, summary func() []headPart) string {
	th := l.c.Theme
	var parts []headPart
	switch {
	case !l.loaded && l.err == nil:
		parts = []headPart{{th.Muted.Render(loading + "…"), 0}}
	case !l.loaded:
		parts = []headPart{{th.Error.Render("could not "+l.what) + th.Muted.Render(" (r retries)"), 0}}
	default:
		parts = append(summary(), freshPart(l.c, l.err, l.updated))
	}
	over := ""
	if p := l.open(); p != nil {
		over = p.view()
	}
	return tableScreen(l.c, l.table, l.width, l.height, parts, over)
}
