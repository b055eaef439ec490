package views

import (
	"fmt"
	"math"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/text"
)

// SchemaCheck checks a candidate schema, typed in its editor or loaded
// with "@PATH", against the registry's compatibility endpoint for a
// subject, and shows the verdict before anything is registered; from the
// verdict, r registers it once the subject's name is typed back.
type SchemaCheck struct {
	c       *Common
	id, gen int
	keys    SchemaCheckKeys
	subject string
	typ     schema.Type
	parents []int // views to tell when a version is registered
	editor  textarea.Model

	editing  bool
	checking bool
	res      *schemaCheckResult
	err      error
	done     *schema.Version // what r registered
	busyOps  int

	confirm *schemaConfirm

	width, height int
}

// NewSchemaCheck makes the check of a candidate for subject, of type typ,
// its editor holding start (the version shown, to edit into the next).
func NewSchemaCheck(c *Common, subject string, typ schema.Type, start string, parents []int) *SchemaCheck {
	if typ == "" {
		typ = schema.Avro
	}
	ta := textarea.New()
	ta.Prompt = ""
	ta.Placeholder = "the candidate schema, or @PATH to load a file (.avsc, .proto, .json)"
	ta.ShowLineNumbers = true
	ta.CharLimit = 0
	ta.MaxHeight = 999
	ta.MaxContentHeight = math.MaxInt32
	ta.SetStyles(textareaStyles(c.Theme))
	ta.SetValue(start)
	ta.MoveToBegin()
	return &SchemaCheck{c: c, id: c.NewID(), keys: DefaultSchemaCheckKeys(), subject: subject, typ: typ,
		parents: parents, editor: ta, editing: true}
}

// ID is the view's id; results carrying another are not its.
func (v *SchemaCheck) ID() int { return v.id }

// Init focuses the editor.
func (v *SchemaCheck) Init() tea.Cmd { return v.editor.Focus() }

// Title names the view.
func (v *SchemaCheck) Title() string { return "check · " + text.SanitizeString(v.subject) }

// Capturing reports whether the editor or the confirmation takes keys.
func (v *SchemaCheck) Capturing() bool { return v.editing || v.confirm != nil }

// WantsEsc reports whether esc closes the confirmation rather than the
// view.
func (v *SchemaCheck) WantsEsc() bool { return v.confirm != nil }

// Busy reports whether a check or a register is in flight.
func (v *SchemaCheck) Busy() bool { return v.checking || v.busyOps > 0 }

// Close does nothing: nothing runs in the background.
func (v *SchemaCheck) Close() {}

// Verdict is the last check's answer, nil before one.
func (v *SchemaCheck) Verdict() *schema.CompatVerdict {
	if v.res == nil {
		return nil
	}
	return &v.res.Verdict
}

// SetSize sets the view's area.
func (v *SchemaCheck) SetSize(w, h int) {
	v.width, v.height = w, h
	v.editor.SetWidth(max(20, w))
	v.editor.SetHeight(max(3, h-2-len(v.verdictLines())))
	if v.confirm != nil {
		v.confirm.setWidth(w)
	}
}

// Update handles the check's and the register's answers and keys.
func (v *SchemaCheck) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case checkDone:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.checking = false
		if msg.Err != nil {
			v.err, v.res = msg.Err, nil
			v.SetSize(v.width, v.height)
			return v, Failure(msg.Err)
		}
		res := msg.Value
		v.err, v.res = nil, &res
		if v.typ != res.Type {
			v.typ = res.Type
		}
		v.editing = false
		v.editor.Blur()
		v.SetSize(v.width, v.height)
		return v, nil
	case registered:
		if msg.ID != v.id {
			return v, nil
		}
		if cmd := answered(v.confirm, &v.busyOps, msg.Err); cmd != nil {
			return v, cmd
		}
		v.confirm = nil
		done := msg.Value
		v.done = &done
		v.SetSize(v.width, v.height)
		return v, tea.Batch(Notice(fmt.Sprintf("registered subject %s version %d, schema id %d", done.Subject, done.Version, done.ID)), schemaChanged(v.parents))
	case tea.KeyPressMsg:
		return v, v.key(msg)
	}
	if v.confirm != nil {
		return v, v.confirm.update(msg)
	}
	if v.editing {
		var cmd tea.Cmd
		v.editor, cmd = v.editor.Update(msg)
		return v, cmd
	}
	return v, nil
}

var schemaTypes = []schema.Type{schema.Avro, schema.Protobuf, schema.JSONSchema}

func (v *SchemaCheck) key(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	if v.confirm != nil {
		return v.confirmKey(msg)
	}
	if v.editing {
		switch {
		case key.Matches(msg, k.Cancel):
			return Pop()
		case key.Matches(msg, k.Check):
			if v.checking {
				return nil
			}
			v.checking, v.err, v.res, v.done = true, nil, nil, nil
			v.gen++
			return checkSchema(v.c, v.id, v.gen, v.subject, v.editor.Value(), v.typ)
		case key.Matches(msg, k.Type):
			for i, t := range schemaTypes {
				if t == v.typ {
					v.typ = schemaTypes[(i+1)%len(schemaTypes)]
					break
				}
			}
			return nil
		}
		var cmd tea.Cmd
		v.editor, cmd = v.editor.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Edit):
		v.editing = true
		v.SetSize(v.width, v.height)
		return v.editor.Focus()
	case key.Matches(msg, k.Register):
		if v.c.ReadOnly {
			return Failure(fmt.Errorf("register a schema under subject %s: %w", v.subject, kafka.ErrReadOnly))
		}
		switch {
		case v.res == nil:
			return Failure(fmt.Errorf("check the schema first (ctrl+s): nothing is registered unchecked"))
		case v.done != nil:
			return Notice(fmt.Sprintf("already registered as version %d", v.done.Version))
		case !v.res.Verdict.Compatible:
			return Failure(fmt.Errorf("not registering: the schema is not compatible with subject %s at %s, and the registry would refuse it", v.subject, v.res.Verdict.Level))
		}
		v.confirm = newSchemaConfirm(v.c, v.subject, 0, "Register a new version of subject "+v.subject,
			fmt.Sprintf("This registers the checked %s schema as the next version of subject %s; producers may write with it at once.", v.res.Type, v.subject),
			"registering…", "registers")
		v.confirm.setWidth(v.width)
		return v.confirm.focus()
	}
	return nil
}

func (v *SchemaCheck) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	cmd, cancelled := v.confirm.key(msg, &v.busyOps, func() tea.Cmd {
		return registerSchema(v.c, v.id, v.subject, v.res.Text, v.res.Type)
	})
	if cancelled {
		v.confirm = nil
	}
	return cmd
}

// verdictLines are the lines under the editor: the registry's verdict,
// its reasons, kflow's own Avro verdict, and what can be done next.
func (v *SchemaCheck) verdictLines() []string {
	th := v.c.Theme
	w := max(1, v.width)
	var out []string
	switch {
	case v.checking:
		return []string{th.Muted.Render("checking…")}
	case v.err != nil:
		return wrapLines(th.Error.Render(v.err.Error()), w)
	case v.res == nil:
		return nil
	}
	r := v.res
	from := ""
	if r.File != "" {
		from = " (@" + text.SanitizeString(r.File) + ")"
	}
	word := th.OK.Render("compatible")
	if !r.Verdict.Compatible {
		word = th.Error.Render("NOT compatible")
	}
	out = append(out, wordWrap(word+th.Text.Render(fmt.Sprintf(" with subject %s's latest version at ", text.SanitizeString(v.subject)))+
		th.Accent.Render(r.Verdict.Level)+th.Muted.Render(" (the registry's check)"+from), w)...)
	for i, m := range r.Verdict.Messages {
		if i == maxBreaks {
			out = append(out, th.Muted.Render(fmt.Sprintf("  … and %d more", len(r.Verdict.Messages)-maxBreaks)))
			break
		}
		out = append(out, clipWithEllipsis(th.Warn.Render("  "+text.SanitizeString(text.OneLine(m))), w))
	}
	if r.Local != nil {
		out = append(out, clipWithEllipsis(th.Text.Render("kflow's Avro rules: ")+th.Accent.Render(r.Local.Level()), w))
		for i, br := range r.Local.Breaks {
			if i == maxBreaks {
				out = append(out, th.Muted.Render(fmt.Sprintf("  … and %d more", len(r.Local.Breaks)-maxBreaks)))
				break
			}
			out = append(out, clipWithEllipsis(th.Warn.Render("  "+text.SanitizeString(br)), w))
		}
	}
	switch {
	case v.done != nil:
		out = append(out, clipWithEllipsis(th.OK.Render(fmt.Sprintf("registered as version %d, schema id %d", v.done.Version, v.done.ID)), w))
	case v.c.ReadOnly:
		out = append(out, th.Muted.Render(clipWithEllipsis("read-only: nothing can be registered · e edits", w)))
	case r.Verdict.Compatible:
		out = append(out, clipWithEllipsis(th.Key.Render("r")+th.Muted.Render(" registers it as the next version · ")+th.Key.Render("e")+th.Muted.Render(" edits"), w))
	default:
		out = append(out, clipWithEllipsis(th.Key.Render("e")+th.Muted.Render(" edits: the registry would refuse this version"), w))
	}
	return out
}

// View renders what is checked, the editor and the verdict.
func (v *SchemaCheck) View() string {
	th := v.c.Theme
	parts := []headPart{
		{th.Title.Render("check a schema against " + text.SanitizeString(v.subject)), 0},
		{th.Text.Render(string(v.typ)) + th.Muted.Render(" (ctrl+t)"), 0},
	}
	if v.c.ReadOnly {
		parts = append(parts, headPart{th.Warn.Render("read-only"), 0})
	}
	hint := "type or paste the schema, or @PATH to load a file · ctrl+s checks it (nothing is registered)"
	if !v.editing {
		hint = "the schema checked · e edits it"
	}
	lines := []string{headLine(th.Muted.Render(" · "), v.width, parts...), th.Muted.Render(clipWithEllipsis(hint, v.width))}
	lines = append(lines, v.editor.View())
	lines = append(lines, v.verdictLines()...)
	out := strings.Join(lines, "\n")
	if v.confirm != nil {
		return Overlay(out, v.confirm.view(), v.width, v.height)
	}
	return Frame(out, v.width, v.height)
}

// ensure the view satisfies the shell's interface.
var _ View = (*SchemaCheck)(nil)
