package views

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// ConfigEditKeys are the bindings of the config edit form and preview.
type ConfigEditKeys struct {
	Submit key.Binding
	Cancel key.Binding
}

// DefaultConfigEditKeys returns the edit form's bindings.
func DefaultConfigEditKeys() ConfigEditKeys {
	return ConfigEditKeys{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "preview (broker validates)")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// configEdit is the form editing one config's value, prefilled with the
// current value in human units; with no entry (a), it takes key=value,
// for a key the view does not list (the cluster-wide default lists only
// the keys set on it).
type configEdit struct {
	v          *Configs
	keys       ConfigEditKeys
	entry      kafka.ConfigEntry
	input      textinput.Model
	err        error
	submitting bool
	w          int
}

func newConfigEdit(v *Configs, e kafka.ConfigEntry) *configEdit {
	in := textinput.New()
	in.Prompt = "› "
	in.SetStyles(v.c.Theme.Input())
	if !e.Sensitive {
		in.SetValue(kafka.HumanConfigValue(e.Name, e.Value))
	}
	in.CursorEnd()
	return &configEdit{v: v, keys: DefaultConfigEditKeys(), entry: e, input: in}
}

func (f *configEdit) help() []key.Binding { return []key.Binding{f.keys.Submit, f.keys.Cancel} }

func (f *configEdit) setWidth(w int) {
	f.w = w
	f.input.SetWidth(max(10, min(50, w-14)))
}

func (f *configEdit) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, f.keys.Cancel):
		f.v.dialog = nil
		return Notice("edit cancelled; nothing was written")
	case key.Matches(msg, f.keys.Submit):
		if f.submitting {
			return nil
		}
		ch, err := f.change()
		if err != nil {
			f.err = err
			return nil
		}
		admin, ok := f.v.c.Cluster.(ConfigAdmin)
		if !ok {
			return nil
		}
		return f.v.plan(admin, []kafka.ConfigChange{ch}, f)
	}
	f.err = nil
	return f.update(msg)
}

// change reads the form: the value in the key's units, or key=value.
func (f *configEdit) change() (kafka.ConfigChange, error) {
	if f.entry.Name == "" {
		return kafka.ParseConfigChange(f.input.Value())
	}
	val, err := kafka.ParseConfigValue(f.entry.Name, f.input.Value())
	return kafka.ConfigChange{Key: f.entry.Name, Value: val}, err
}

func (f *configEdit) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return cmd
}

// unitHint says how the key's value is typed.
func unitHint(key string) string {
	switch kafka.UnitOf(key) {
	case kafka.UnitMillis:
		return "a duration: 7d, 12h, 30m, 45s, 250ms (or milliseconds)"
	case kafka.UnitBytes:
		return "a size: 100MiB, 1GiB, 512KiB (or bytes)"
	}
	return ""
}

func (f *configEdit) view() string {
	th := f.v.c.Theme
	w := max(20, min(70, f.w-6))
	e := f.entry
	var b strings.Builder
	if e.Name == "" {
		b.WriteString(th.OverlayTitle.Render("Set a config of "+f.v.target.String()) + "\n\n")
		b.WriteString(th.Muted.Width(w).Render("Type key=value; durations (*.ms) and sizes (*.bytes) take units: retention.ms=7d, segment.bytes=100MiB") + "\n")
		b.WriteString(th.FocusedLabel.Render("Key=value") + "\n")
		b.WriteString(f.input.View() + "\n\n")
		b.WriteString(f.status(w))
		return th.Overlay.MaxWidth(max(20, f.w)).Render(b.String())
	}
	b.WriteString(th.OverlayTitle.Render("Edit "+e.Name+" of "+f.v.target.String()) + "\n\n")
	cur := kafka.HumanConfigValue(e.Name, e.Value)
	if e.Sensitive {
		cur = "(sensitive)"
	}
	b.WriteString(th.Label.Render("Now ") + th.Text.Render(clip(cur, w-4)) + th.Muted.Render(" ("+kafka.SourceWords(e.Source)+")") + "\n")
	hint := unitHint(e.Name)
	if kafka.UnitOf(e.Name) != kafka.UnitNone && (e.Name == "retention.ms" || e.Name == "retention.bytes" || strings.HasPrefix(e.Name, "local.retention.")) {
		hint += "; unlimited is -1"
	}
	if hint != "" {
		b.WriteString(th.Muted.Width(w).Render("Type "+hint) + "\n")
	}
	b.WriteString(th.FocusedLabel.Render("New value") + "\n")
	b.WriteString(f.input.View() + "\n\n")
	b.WriteString(f.status(w))
	return th.Overlay.MaxWidth(max(20, f.w)).Render(b.String())
}

// status is the form's last line: in flight, the error, or what enter does.
func (f *configEdit) status(w int) string {
	th := f.v.c.Theme
	switch {
	case f.submitting:
		return th.Muted.Render("asking the broker to validate…")
	case f.err != nil:
		return th.Error.Width(w).Render(f.err.Error())
	}
	return th.Muted.Width(w).Render("enter previews the change, validated by the broker; nothing is written before you confirm it")
}

// configPreview shows a config plan, old → new, with the broker's
// verdict, and applies it once the target's name is typed back.
type configPreview struct {
	v    *Configs
	keys ConfirmKeys
	plan kafka.ConfigPlan
	from *configEdit // the form it came from, to go back to; nil for a reset
	nameBack
	w int
}

func newConfigPreview(v *Configs, plan kafka.ConfigPlan, from *configEdit) *configPreview {
	keys := DefaultConfirmKeys()
	keys.Confirm.SetHelp("enter", "apply (name typed)")
	if from != nil {
		keys.Cancel.SetHelp("esc", "back to the value")
	}
	return &configPreview{v: v, keys: keys, plan: plan, from: from, nameBack: newNameBack(v.c.Theme, plan.Target.Confirm())}
}

func (p *configPreview) help() []key.Binding {
	if !p.plan.Valid {
		return []key.Binding{p.keys.Cancel}
	}
	return p.keys.short()
}

func (p *configPreview) setWidth(w int) {
	p.w = w
	p.input.SetWidth(max(10, min(50, w-14)))
}

func (p *configPreview) focus() tea.Cmd {
	if !p.plan.Valid {
		return nil
	}
	return p.nameBack.focus()
}

func (p *configPreview) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Cancel):
		if p.from != nil { // back to the value as typed
			p.v.dialog = p.from
			p.from.setWidth(p.w)
			return p.from.input.Focus()
		}
		p.v.dialog = nil
		return Notice("reset cancelled; nothing was written")
	case !p.plan.Valid:
		return nil
	case key.Matches(msg, p.keys.Confirm):
		if !p.send("apply the change") {
			return nil
		}
		return p.v.apply(p.plan)
	}
	p.err = nil
	return p.update(msg)
}

// shown is a value of the plan as a person reads it.
func shown(key, v string, sensitive bool) string {
	switch {
	case sensitive:
		return "(sensitive)"
	case v == "":
		return `""`
	}
	return kafka.HumanConfigValue(key, v)
}

// diffLines renders the plan's rows: KEY, OLD (source) → NEW (source),
// cut to w.
func (p *configPreview) diffLines(w int) []string {
	th := p.v.c.Theme
	kw := len("KEY")
	ow := len("OLD")
	olds := make([]string, len(p.plan.Rows))
	news := make([]string, len(p.plan.Rows))
	for i, r := range p.plan.Rows {
		kw = max(kw, len(r.Key))
		olds[i] = shown(r.Key, r.Old, r.Sensitive)
		if !r.Known {
			olds[i] = "(unknown key)"
		} else if s := kafka.SourceWords(r.OldSource); s != "" {
			olds[i] += " (" + s + ")"
		}
		news[i] = shown(r.Key, r.New, r.Sensitive)
		if r.Reset && r.New == "" {
			news[i] = "the default"
		} else if s := kafka.SourceWords(r.NewSource); s != "" {
			news[i] += " (" + s + ")"
		}
		ow = max(ow, len(olds[i]))
	}
	out := []string{th.Header.Render(clip(fit("KEY", kw, Left)+"  "+fit("OLD", ow, Left)+"   NEW", w))}
	for i, r := range p.plan.Rows {
		out = append(out, clip(th.Text.Render(fit(r.Key, kw, Left))+"  "+th.Muted.Render(fit(olds[i], ow, Left))+th.Muted.Render(" → ")+th.Accent.Render(news[i]), w))
	}
	return out
}

func (p *configPreview) view() string {
	th := p.v.c.Theme
	w := max(20, min(90, p.w-6))
	var b strings.Builder
	verb := "Change"
	if len(p.plan.Rows) > 0 && p.plan.Rows[0].Reset {
		verb = "Reset"
	}
	keys := make([]string, 0, len(p.plan.Rows))
	for _, r := range p.plan.Rows {
		keys = append(keys, r.Key)
	}
	b.WriteString(th.Error.Render(clip(verb+" "+strings.Join(keys, ", ")+" of "+p.plan.Target.String(), w)) + "\n")
	b.WriteString(th.Muted.Render(clip("Preview · nothing is written until you confirm", w)) + "\n\n")
	for _, l := range p.diffLines(w) {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	if !p.plan.Valid {
		b.WriteString(th.Error.Width(w).Render("✗ the broker refuses it: "+p.plan.Problem) + "\n\n")
		back := "esc closes"
		if p.from != nil {
			back = "esc goes back to the value as you typed it"
		}
		b.WriteString(th.Muted.Render(back))
		return th.Overlay.MaxWidth(max(20, p.w)).Render(b.String())
	}
	b.WriteString(th.OK.Render("✓ the broker accepts it (validate only)") + "\n\n")
	prompt := "Type the topic name to apply:"
	if !p.plan.Target.IsTopic() {
		prompt = "Type " + p.plan.Target.Confirm() + " to apply:"
	}
	b.WriteString(p.footer(th, w, prompt, "applying…", "applies"))
	return th.Overlay.MaxWidth(max(20, p.w)).Render(b.String())
}
