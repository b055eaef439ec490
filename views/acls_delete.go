package views

import (
	"fmt"
	"strings"

	"kflow/kafka"
	"kflow/text"

	"charm.land/bubbles/v2/key"
)

// aclDelete is the delete preview: the filter (the selected ACL, or
// every ACL of its principal on its resource), the ACLs it matches now as
// the cluster answers, and the principal typed back. The delete removes
// exactly the ACLs shown.
type aclDelete struct {
	c    *Common
	keys ACLDeleteKeys
	acl  kafka.ACL
	wide bool // every ACL of the principal on the resource

	gen     int
	loading bool
	plan    []kafka.ACL
	planErr error

	nameBack
	w, h int
}

func newACLDelete(c *Common, a kafka.ACL) *aclDelete {
	return &aclDelete{c: c, keys: DefaultACLDeleteKeys(), acl: a, nameBack: newNameBack(c.Theme, a.Principal)}
}

// filter is what the preview asks the cluster for.
func (d *aclDelete) filter() kafka.ACLFilter {
	a := d.acl
	f := kafka.ACLFilter{Principal: a.Principal, ResourceType: a.ResourceType, ResourceName: a.ResourceName, PatternType: a.PatternType}
	if !d.wide {
		f.Host, f.Operation, f.Permission = a.Host, a.Operation, a.Permission
	}
	return f
}

func (d *aclDelete) planned(acls []kafka.ACL, err error) {
	d.loading, d.plan, d.planErr = false, acls, err
}

func (d *aclDelete) setSize(w, h int) {
	d.w, d.h = w, h
	d.input.SetWidth(max(10, min(50, w-14)))
}

func (d *aclDelete) resize(w, h int) { d.setSize(w, h) }

func (d *aclDelete) help() []key.Binding { return d.keys.short() }

func (d *aclDelete) view() string {
	th := d.c.Theme
	w := max(20, min(90, d.w-6))
	a := d.acl
	var b strings.Builder
	scope := fmt.Sprintf("this ACL of %s", a.Principal)
	if d.wide {
		scope = fmt.Sprintf("every ACL of %s on %s %s", a.Principal, strings.ToLower(a.ResourceType), a.ResourceName)
	}
	b.WriteString(th.Error.Render("Delete ACLs") + th.Muted.Render(" · "+scope) + "\n\n")
	switch {
	case d.loading:
		b.WriteString(th.Muted.Render("asking the cluster which ACLs match…") + "\n\n")
	case d.planErr != nil:
		b.WriteString(th.Error.Width(w).Render(d.planErr.Error()) + "\n\n")
	case len(d.plan) == 0:
		b.WriteString(th.Warn.Render("no ACL matches any more: nothing to delete") + "\n\n")
	default:
		what := "This ACL is deleted"
		if len(d.plan) > 1 {
			what = fmt.Sprintf("These %s are deleted", text.CountOf(len(d.plan), "ACL", "ACLs"))
		}
		other := "tab: every ACL of the principal on the resource"
		if d.wide {
			other = "tab: only the selected one"
		}
		b.WriteString(th.Text.Width(w).Render(what+", exactly ("+other+"):") + "\n")
		room := max(1, d.h-14)
		for i, p := range d.plan {
			if i == room && len(d.plan) > room+1 {
				b.WriteString(th.Muted.Render(fmt.Sprintf("  … and %d more", len(d.plan)-room)) + "\n")
				break
			}
			perm := th.OK.Render(p.Permission)
			if p.Permission == "Deny" {
				perm = th.Error.Render(p.Permission)
			}
			line := fmt.Sprintf("%s %s from %s on %s %s (%s)", p.Principal, p.Operation, p.Host, strings.ToLower(p.ResourceType), p.ResourceName, strings.ToLower(p.PatternType))
			b.WriteString("  " + perm + " " + th.Text.Render(fitText(line, w-8)) + "\n")
		}
		b.WriteString("\n" + th.Text.Width(w).Render("Clients relying on them are refused at once. This cannot be undone.") + "\n\n")
	}
	b.WriteString(d.footer(th, w, "Type the principal to confirm:", "deleting…", "deletes"))
	return th.Overlay.MaxWidth(max(20, d.w)).Render(b.String())
}

// fitText cuts s to w cells with an ellipsis.
func fitText(s string, w int) string {
	r := []rune(s)
	if w <= 1 || len(r) <= w {
		return s
	}
	return string(r[:w-1]) + "…"
}
