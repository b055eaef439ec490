package views

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// ACL form fields.
const (
	aclPrincipal = iota
	aclHost
	aclOperations
	aclPermission
	aclResourceType
	aclResourceName
	aclPattern
	aclFieldCount
)

var aclLabels = [aclFieldCount]string{"Principal", "Host", "Operations", "Permission", "Resource type", "Resource name", "Pattern"}

// aclForm is the create-ACL form: every field is checked as it is typed,
// and what was typed stays when the broker refuses.
type aclForm struct {
	c          *Common
	keys       FormKeys
	inputs     [aclFieldCount]textinput.Model
	focused    int
	errs       [aclFieldCount]string
	tried      bool
	submitting bool
	err        error // the broker's answer
	width      int
}

func newACLForm(c *Common) *aclForm {
	f := &aclForm{c: c, keys: DefaultFormKeys()}
	f.keys.Submit.SetHelp("ctrl+s/enter on last", "create")
	ph := [aclFieldCount]string{"User:alice", "* (every host)", "Read, Describe", "Allow (or Deny)", "Topic, Group, Cluster, TransactionalId", "orders (* for every one)", "Literal (or Prefixed)"}
	for i := range f.inputs {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = ph[i]
		in.SetStyles(c.Theme.Input())
		f.inputs[i] = in
	}
	return f
}

func (f *aclForm) setWidth(w int) {
	f.width = w
	for i := range f.inputs {
		f.inputs[i].SetWidth(max(10, min(50, w-24)))
	}
}

func (f *aclForm) resize(w, _ int) { f.setWidth(w) }

func (f *aclForm) failed(err error) {
	if f != nil {
		f.submitting, f.err = false, err
	}
}

func (f *aclForm) focus() tea.Cmd {
	for i := range f.inputs {
		f.inputs[i].Blur()
	}
	return f.inputs[f.focused].Focus()
}

func (f *aclForm) onLast() bool { return f.focused == aclFieldCount-1 }

// Value returns what is typed in field i, for tests.
func (f *aclForm) Value(i int) string { return f.inputs[i].Value() }

func (f *aclForm) update(msg tea.Msg) tea.Cmd {
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, f.keys.Next):
			f.focused = (f.focused + 1) % aclFieldCount
			return f.focus()
		case key.Matches(kp, f.keys.Prev):
			f.focused = (f.focused + aclFieldCount - 1) % aclFieldCount
			return f.focus()
		}
	}
	var cmd tea.Cmd
	f.inputs[f.focused], cmd = f.inputs[f.focused].Update(msg)
	f.check()
	return cmd
}

// check validates every field, filling errs, and returns the ACLs the
// form says (one per operation); required fields count as missing only
// once a submit was tried.
func (f *aclForm) check() ([]kafka.ACL, bool) {
	f.errs = [aclFieldCount]string{}
	val := func(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }
	base := kafka.ACL{Principal: val(aclPrincipal), Host: val(aclHost), Permission: val(aclPermission),
		ResourceType: val(aclResourceType), ResourceName: val(aclResourceName), PatternType: val(aclPattern)}
	var err error
	switch {
	case base.Principal == "" && f.tried:
		f.errs[aclPrincipal] = "a principal is required, such as User:alice"
	case base.Principal != "":
		if err := kafka.ValidatePrincipal(base.Principal); err != nil {
			f.errs[aclPrincipal] = "TYPE:NAME, such as User:alice"
		}
	}
	if base.Permission != "" {
		if base.Permission, err = kafka.NormalizeACLPermission(base.Permission); err != nil || base.Permission == "Any" {
			f.errs[aclPermission] = "Allow or Deny"
		}
	}
	ops := strings.FieldsFunc(val(aclOperations), func(r rune) bool { return r == ',' || r == ' ' })
	if len(ops) == 0 && f.tried {
		f.errs[aclOperations] = "an operation is required: " + strings.Join(kafka.ACLOperations(), ", ")
	}
	for i, op := range ops {
		n, err := kafka.NormalizeACLOperation(op)
		if err != nil || n == "Any" {
			f.errs[aclOperations] = fmt.Sprintf("%q is not an operation (Read, Write, Describe, Create, Delete, Alter, DescribeConfigs, AlterConfigs, All, …)", op)
			break
		}
		ops[i] = n
	}
	switch {
	case base.ResourceType == "" && f.tried:
		f.errs[aclResourceType] = "a resource type is required: Topic, Group, Cluster, TransactionalId"
	case base.ResourceType != "":
		if base.ResourceType, err = kafka.NormalizeACLResourceType(base.ResourceType); err != nil || base.ResourceType == "Any" {
			f.errs[aclResourceType] = "one of " + strings.Join(kafka.ACLResourceTypes(), ", ")
		}
	}
	switch {
	case base.ResourceType == "Cluster" && base.ResourceName != "" && base.ResourceName != kafka.ClusterResourceName:
		f.errs[aclResourceName] = "the cluster is named " + kafka.ClusterResourceName + " (or leave it empty)"
	case base.ResourceName == "" && base.ResourceType != "Cluster" && f.tried:
		f.errs[aclResourceName] = "a name is required (* for every one)"
	}
	if base.PatternType != "" {
		if base.PatternType, err = kafka.NormalizeACLPattern(base.PatternType, false); err != nil {
			f.errs[aclPattern] = "Literal or Prefixed"
		}
	}
	for _, e := range f.errs {
		if e != "" {
			return nil, false
		}
	}
	if base.Principal == "" || len(ops) == 0 || base.ResourceType == "" {
		return nil, false
	}
	out := make([]kafka.ACL, 0, len(ops))
	for _, op := range ops {
		a := base
		a.Operation = op
		if err := a.Validate(); err != nil {
			f.errs[aclResourceName] = err.Error()
			return nil, false
		}
		out = append(out, a)
	}
	return out, true
}

// validate is check on submit: it marks required fields and moves the
// focus to the first field in error.
func (f *aclForm) validate() ([]kafka.ACL, bool) {
	f.tried = true
	acls, ok := f.check()
	if !ok {
		for i, e := range f.errs {
			if e != "" {
				f.focused = i
				f.focus()
				break
			}
		}
	}
	return acls, ok
}

func (f *aclForm) view() string {
	th := f.c.Theme
	w := max(20, min(76, f.width-6))
	var b strings.Builder
	b.WriteString(th.OverlayTitle.Render("Create ACL") + "\n\n")
	lw := 14
	for i := range f.inputs {
		label := fmt.Sprintf("%-*s", lw, aclLabels[i])
		if i == f.focused {
			b.WriteString(th.FocusedLabel.Render("› " + label))
		} else {
			b.WriteString(th.Label.Render("  " + label))
		}
		b.WriteString(" " + f.inputs[i].View() + "\n")
		if f.errs[i] != "" {
			pad := strings.Repeat(" ", lw+3)
			for _, l := range strings.Split(th.Error.Width(max(10, w-lw-3)).Render(f.errs[i]), "\n") {
				b.WriteString(pad + l + "\n")
			}
		}
	}
	b.WriteString("\n")
	switch {
	case f.submitting:
		b.WriteString(th.Muted.Render("creating…"))
	case f.err != nil:
		b.WriteString(th.Error.Width(w).Render(f.err.Error()))
		b.WriteString("\n" + th.Muted.Render("fix and press enter again, or esc to cancel"))
	default:
		b.WriteString(th.Muted.Width(w).Render("one ACL per operation · enter next field · ctrl+s or enter on the last creates · esc cancels"))
	}
	return th.Overlay.MaxWidth(max(20, f.width)).Render(b.String())
}
