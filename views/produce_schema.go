package views

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka/schema"
	"kflow/template"
)

// Messages of the form's schema choice; each is a Result with the form's
// id and its schemaGen, so an answer to a closed picker is dropped.
type (
	produceSubjects []string
	produceVersions struct {
		subject  string
		versions []int
	}
	produceEncoder struct {
		target int // encValue or encKey
		enc    *schema.Encoder
		asked  int // the version asked for, -1 latest
	}
)

// What an encoding applies to: Produce.encs is indexed by these.
const (
	encValue = iota
	encKey
)

// encoding is how the value (or the key) is encoded: enc nil is none, the
// bytes as typed.
type encoding struct {
	enc      *schema.Encoder
	asked    int    // the version asked for, -1 latest
	loading  string // the subject being fetched
	skeleton string // the skeleton last filled in, replaced freely
}

// encodeFailure is a value or key a schema refused on send.
type encodeFailure struct {
	target int
	err    error
}

func (e *encodeFailure) Error() string { return e.err.Error() }

func (e *encodeFailure) Unwrap() error { return e.err }

// schemaPicker chooses the value's encoding: none, or a registry subject
// (filtered by what is typed) and then one of its versions.
type schemaPicker struct {
	target   int // encValue or encKey
	filter   textinput.Model
	subjects []string // nil while loading
	err      error
	subject  string // set: choosing among its versions
	versions []int  // newest first; nil while loading
	chosen   int
}

// noEncoding is the first row of the subjects: send the bytes as typed.
const noEncoding = "none: send it as typed"

// rows are the picker's choices as shown.
func (p *schemaPicker) rows() []string {
	if p.subject != "" {
		if len(p.versions) == 0 {
			return nil
		}
		out := []string{fmt.Sprintf("latest (version %d)", p.versions[0])}
		for _, n := range p.versions {
			out = append(out, "version "+strconv.Itoa(n))
		}
		return out
	}
	out := []string{noEncoding}
	for _, s := range p.subjects {
		if _, ok := Match(p.filter.Value(), s); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p *schemaPicker) move(d int) {
	n := len(p.rows())
	if n == 0 {
		return
	}
	p.chosen = (p.chosen + d + n) % n
}

// registryHint names the ways to give kflow a registry.
const registryHint = "--registry URL, KFLOW_REGISTRY or a context's schema-registry"

// openSchemaPicker opens the picker, for the key when the key field has
// the focus, else for the value, and lists the subjects off the UI's
// goroutine.
func (v *Produce) openSchemaPicker() tea.Cmd {
	reg := v.c.Registry
	if reg == nil {
		return Failure(errors.New("no schema registry to encode with: connect with " + registryHint))
	}
	in := textinput.New()
	in.Prompt = "filter: "
	in.Placeholder = "subject"
	in.SetStyles(v.c.Theme.Input())
	in.SetWidth(40)
	v.spick = &schemaPicker{filter: in}
	if v.focused == slotKey {
		v.spick.target = encKey
	}
	v.schemaGen++
	return tea.Batch(v.spick.filter.Focus(), Call(v.c, v.id, v.schemaGen, "list schema subjects", func(ctx context.Context) (produceSubjects, error) {
		return reg.SubjectNames(ctx)
	}))
}

// schemaPickerKey handles a key while the schema picker is open.
func (v *Produce) schemaPickerKey(msg tea.KeyPressMsg) tea.Cmd {
	p := v.spick
	switch msg.String() {
	case "esc":
		v.spick = nil
		v.schemaGen++
		return nil
	case "up", "ctrl+p", "shift+tab":
		p.move(-1)
		return nil
	case "down", "ctrl+n", "tab":
		p.move(1)
		return nil
	case "enter":
		rows := p.rows()
		if p.chosen >= len(rows) {
			return nil
		}
		reg := v.c.Registry
		if p.subject == "" {
			if p.chosen == 0 {
				v.spick, v.encs[p.target] = nil, encoding{}
				v.check()
				return Notice("the " + targetName(p.target) + " is sent as typed")
			}
			subject := rows[p.chosen]
			p.subject, p.chosen = subject, 0
			v.schemaGen++
			return Call(v.c, v.id, v.schemaGen, "list the versions of "+subject, func(ctx context.Context) (produceVersions, error) {
				vs, err := reg.Versions(ctx, subject)
				return produceVersions{subject: subject, versions: vs}, err
			})
		}
		version := -1
		if p.chosen > 0 {
			version = p.versions[p.chosen-1]
		}
		subject, target := p.subject, p.target
		v.spick = nil
		v.encs[target].loading = subject
		v.schemaGen++
		return Call(v.c, v.id, v.schemaGen, "fetch schema "+subject, func(ctx context.Context) (produceEncoder, error) {
			enc, err := reg.Encoder(ctx, subject, version)
			return produceEncoder{target: target, enc: enc, asked: version}, err
		})
	}
	if p.subject != "" {
		return nil
	}
	var cmd tea.Cmd
	before := p.filter.Value()
	p.filter, cmd = p.filter.Update(msg)
	if p.filter.Value() != before {
		p.chosen = 0
		if len(p.rows()) > 1 {
			p.chosen = 1 // the first matching subject
		}
	}
	return cmd
}

// schemaResult takes a registry answer into the form: the picker's
// subjects or versions, or the chosen schema's encoder, which fills an
// empty (or untouched) value with the schema's skeleton.
func (v *Produce) schemaResult(gen int, err error, apply func() tea.Cmd) tea.Cmd {
	if gen != v.schemaGen {
		return nil
	}
	if err != nil {
		if v.spick != nil {
			v.spick.err = err
		}
		for i := range v.encs {
			v.encs[i].loading = ""
		}
		return Failure(fmt.Errorf("schema registry: %w", err))
	}
	return apply()
}

func (v *Produce) gotSubjects(names []string) tea.Cmd {
	if v.spick != nil {
		v.spick.subjects = names
		if v.spick.subjects == nil {
			v.spick.subjects = []string{}
		}
	}
	return nil
}

func (v *Produce) gotVersions(r produceVersions) tea.Cmd {
	if v.spick == nil || v.spick.subject != r.subject {
		return nil
	}
	vs := append([]int(nil), r.versions...)
	for i, j := 0, len(vs)-1; i < j; i, j = i+1, j-1 {
		vs[i], vs[j] = vs[j], vs[i]
	}
	v.spick.versions = vs
	if len(vs) == 0 {
		v.spick.err = fmt.Errorf("subject %s has no versions", r.subject)
	}
	return nil
}

func (v *Produce) gotEncoder(r produceEncoder) tea.Cmd {
	e := &v.encs[r.target]
	e.loading, e.enc, e.asked = "", r.enc, r.asked
	in := r.enc.Info()
	what := targetName(r.target)
	note := fmt.Sprintf("encoding the %s with %s version %d (%s, id %d)", what, in.Subject, in.Version, in.Type, in.ID)
	sk := r.enc.Skeleton()
	var kept bool
	if r.target == encKey {
		v.focused = slotKey
		if cur := v.key.Value(); cur == "" || cur == e.skeleton {
			e.skeleton = string(sk)
			v.key.SetValue(e.skeleton)
			v.key.CursorStart()
		} else {
			kept = true
		}
	} else {
		v.json = true
		v.focused = slotValue
		if cur := v.value.Value(); strings.TrimSpace(cur) == "" || cur == e.skeleton {
			var pretty bytes.Buffer
			if json.Indent(&pretty, sk, "", "  ") != nil {
				pretty.Reset()
				pretty.Write(sk)
			}
			e.skeleton = pretty.String()
			v.value.SetValue(e.skeleton)
			v.value.MoveToBegin()
		} else {
			kept = true
		}
	}
	if kept {
		note += fmt.Sprintf(": the %s typed is kept (empty it and choose again for the skeleton)", what)
	} else {
		note += fmt.Sprintf(": the %s is the schema's skeleton", what)
	}
	v.check()
	return tea.Batch(v.focus(), Notice(note))
}

func targetName(target int) string {
	if target == encKey {
		return "key"
	}
	return "value"
}

// checkRand draws the placeholders of the fields checked as they are
// typed: fixed, so the check does not flicker with each key.
func checkRand() *rand.Rand { return rand.New(rand.NewPCG(13, 13)) }

// checkSchema validates the first expansion of the key and the value
// against their schemas, for the fields' error lines. A value read from a
// file is checked on send.
func (v *Produce) checkSchema(tmpl *template.RecordTemplate, valueFile string) {
	if tmpl == nil || (v.encs[encKey].enc == nil && v.encs[encValue].enc == nil) {
		return
	}
	s := tmpl.Expand(1, v.c.now(), checkRand())
	if enc := v.encs[encValue].enc; enc != nil && valueFile == "" && v.errs[slotValue] == "" {
		if _, err := enc.Encode([]byte(s.Value)); err != nil {
			v.errs[slotValue] = v.schemaError(encValue, err)
		}
	}
	if enc := v.encs[encKey].enc; enc != nil && s.Key != nil && v.errs[slotKey] == "" {
		if _, err := enc.Encode([]byte(*s.Key)); err != nil {
			v.errs[slotKey] = v.schemaError(encKey, err)
		}
	}
}

// schemaError words an encoding failure: the field's path, the schema.
func (v *Produce) schemaError(target int, err error) string {
	var ee *schema.EncodeError
	reason := err.Error()
	if errors.As(err, &ee) {
		reason = ee.Reason
	}
	enc := v.encs[target].enc
	if enc == nil {
		return reason
	}
	in := enc.Info()
	return fmt.Sprintf("%s (schema %s v%d)", reason, in.Subject, in.Version)
}

// encodingLine is the form's row saying how the value (or the key) is
// encoded; only with a registry, and for the key only once one is chosen.
func (v *Produce) encodingLine(lines []string, target int) []string {
	e := v.encs[target]
	if v.c.Registry == nil || (target == encKey && e.enc == nil && e.loading == "") {
		return lines
	}
	th := v.c.Theme
	label := "Encoding"
	text, hint := "none", "ctrl+o: a schema from the registry"
	if target == encKey {
		label = "Key schema"
	}
	switch {
	case e.loading != "":
		text, hint = "fetching "+e.loading+"…", ""
	case e.enc != nil:
		in := e.enc.Info()
		text = fmt.Sprintf("%s v%d", in.Subject, in.Version)
		if e.asked == -1 {
			text += " (latest)"
		}
		hint = fmt.Sprintf("%s · id %d · encoded on send · ctrl+o changes", in.Type, in.ID)
	}
	return v.field(lines, -1, label, th.Text.Render(text), hint)
}

// schemaPickerView is the picker over the form.
func (v *Produce) schemaPickerView() string {
	th, p := v.c.Theme, v.spick
	w := max(30, min(80, v.width-6))
	var b strings.Builder
	title := "Encode the " + targetName(p.target) + " with"
	if p.subject != "" {
		title = "Version of " + p.subject
	}
	b.WriteString(th.OverlayTitle.Render(title) + "\n")
	if p.subject == "" {
		b.WriteString(p.filter.View() + "\n")
	}
	rows := p.rows()
	switch {
	case p.err != nil:
		b.WriteString(th.Error.Width(w).Render(p.err.Error()) + "\n")
	case p.subject == "" && p.subjects == nil, p.subject != "" && p.versions == nil:
		b.WriteString(th.Muted.Render("loading…") + "\n")
	}
	show := max(3, v.height-8)
	start := max(0, p.chosen-show+1)
	for i := start; i < len(rows) && i < start+show; i++ {
		line := clip(rows[i], w)
		line += strings.Repeat(" ", max(0, w-len([]rune(line))))
		if i == p.chosen {
			b.WriteString(th.Chosen.Render(line))
		} else {
			b.WriteString(th.Text.Render(line))
		}
		b.WriteString("\n")
	}
	if p.subject == "" && p.subjects != nil && len(rows) == 1 {
		b.WriteString(th.Muted.Render("no subject matches") + "\n")
	}
	b.WriteString(th.Muted.Render("type to filter · ↑/↓ choose · enter uses · esc closes"))
	return th.Overlay.Render(b.String())
}

// schemaKey is the binding that opens the picker.
func schemaKey() key.Binding {
	return key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "schema"))
}
