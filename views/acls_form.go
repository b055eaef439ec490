package views

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
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
	c    *Common
	keys FormKeys
	fields
	tried bool
	submission
	width int
}

func newACLForm(c *Common) *aclForm {
	f := &aclForm{c: c, keys: DefaultFormKeys(), fields: newFields(c.Theme,
		"User:alice", "* (every host)", "Read, Describe", "Allow (or Deny)", "Topic, Group, Cluster, TransactionalId", "orders (* for every one)", "Literal (or Prefixed)")}
	f.keys.Submit.SetHelp("ctrl+s/enter on last", "create")
	return f
}

func (f *aclForm) setWidth(w int) {
	f.width = w
	f.setInputWidth(max(10, min(50, w-24)))
}

func (f *aclForm) resize(w, _ int) { f.setWidth(w) }

func (f *aclForm) help() []key.Binding { return f.keys.short() }

func (f *aclForm) update(msg tea.Msg) tea.Cmd {
	if cmd, moved := stepKey(msg, f.keys, &f.fields); moved {
		return cmd
	}
	cmd := f.feed(msg)
	f.check()
	return cmd
}

// check validates every field, filling errs, and returns the ACLs the
// form says (one per operation); required fields count as missing only
// once a submit was tried.
func (f *aclForm) check() ([]kafka.ACL, bool) {
	f.clearErrs()
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
		f.focusErr()
	}
	return acls, ok
}

func (f *aclForm) view() string {
	th := f.c.Theme
	w := max(20, min(76, f.width-6))
	var b strings.Builder
	b.WriteString(th.OverlayTitle.Render("Create ACL") + "\n\n")
	lw := 14
	f.render(&b, th, aclLabels[:], lw, max(10, w-lw-3), nil)
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
