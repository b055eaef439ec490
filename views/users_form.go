package views

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// User form fields.
const (
	userName = iota
	userMechanism
	userIterations
	userPassword
	userAgain
	userFieldCount
)

var userLabels = [userFieldCount]string{"User", "Mechanism", "Iterations", "Password", "Again"}

// userSpec is a validated form: what SetSCRAMUser takes.
type userSpec struct {
	name, mechanism string
	iterations      int32
	password        string
}

// userForm sets a SCRAM user's password. The password fields are masked
// and emptied the moment the form is sent or cancelled: kflow keeps no
// copy, and a refusal asks for it again while keeping the other fields.
type userForm struct {
	c         *Common
	keys      FormKeys
	fixedName bool // e on a listed user: its name is not edited
	fields
	tried bool
	submission
	width int
}

func newUserForm(c *Common, u *kafka.SCRAMUser) *userForm {
	f := &userForm{c: c, keys: DefaultFormKeys(), fields: newFields(c.Theme,
		"alice", "SCRAM-SHA-256 (or SCRAM-SHA-512)", strconv.Itoa(kafka.DefaultSCRAMIterations)+" (Kafka's default)", "", "")}
	f.keys.Submit.SetHelp("ctrl+s/enter on last", "set password")
	for _, i := range []int{userPassword, userAgain} {
		f.inputs[i].EchoMode = textinput.EchoPassword
		f.inputs[i].EchoCharacter = '•'
	}
	if u != nil {
		f.fixedName = true
		f.inputs[userName].SetValue(u.Name)
		if len(u.Credentials) > 0 {
			f.inputs[userMechanism].SetValue(u.Credentials[0].Mechanism)
			f.inputs[userIterations].SetValue(strconv.Itoa(int(u.Credentials[0].Iterations)))
		}
		f.focused = userPassword
	}
	return f
}

func (f *userForm) setWidth(w int) {
	f.width = w
	f.setInputWidth(max(10, min(40, w-24)))
}

func (f *userForm) resize(w, _ int) { f.setWidth(w) }

func (f *userForm) help() []key.Binding { return f.keys.short() }

// clearPasswords empties the masked fields.
func (f *userForm) clearPasswords() {
	f.inputs[userPassword].SetValue("")
	f.inputs[userAgain].SetValue("")
}

func (f *userForm) update(msg tea.Msg) tea.Cmd {
	if cmd, moved := stepKey(msg, f.keys, &f.fields); moved {
		if f.fixedName && f.focused == userName {
			// The name is not edited: step over it, the way the key went.
			if key.Matches(msg.(tea.KeyPressMsg), f.keys.Next) {
				f.step(1)
			} else {
				f.step(-1)
			}
			return f.focus()
		}
		return cmd
	}
	cmd := f.feed(msg)
	f.check()
	return cmd
}

func (f *userForm) check() (userSpec, bool) {
	f.clearErrs()
	val := func(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }
	s := userSpec{name: val(userName), mechanism: "SCRAM-SHA-256", iterations: kafka.DefaultSCRAMIterations, password: f.inputs[userPassword].Value()}
	if s.name == "" && f.tried {
		f.errs[userName] = "a user name is required"
	}
	if m := val(userMechanism); m != "" {
		n, err := kafka.NormalizeSCRAMMechanism(m)
		if err != nil {
			f.errs[userMechanism] = "SCRAM-SHA-256 or SCRAM-SHA-512"
		}
		s.mechanism = n
	}
	if it := val(userIterations); it != "" {
		n, err := strconv.Atoi(it)
		if err != nil || n < kafka.DefaultSCRAMIterations || n > kafka.MaxSCRAMIterations {
			f.errs[userIterations] = fmt.Sprintf("a number from %d to %d", kafka.DefaultSCRAMIterations, kafka.MaxSCRAMIterations)
		}
		s.iterations = int32(n)
	}
	if s.password == "" && f.tried {
		f.errs[userPassword] = "a password is required"
	}
	if again := f.inputs[userAgain].Value(); again != "" && again != s.password || again == "" && f.tried && s.password != "" {
		f.errs[userAgain] = "the two passwords differ"
	}
	for _, e := range f.errs {
		if e != "" {
			return s, false
		}
	}
	return s, s.name != "" && s.password != ""
}

// validate is check on submit; any refusal empties the passwords, which
// are typed again.
func (f *userForm) validate() (userSpec, bool) {
	f.tried = true
	s, ok := f.check()
	if ok {
		f.clearPasswords()
		return s, true
	}
	for i, e := range f.errs {
		if e != "" {
			if i == userAgain {
				f.clearPasswords()
				i = userPassword
			}
			f.focused = i
			f.focus()
			break
		}
	}
	return s, false
}

func (f *userForm) view() string {
	th := f.c.Theme
	w := max(20, min(70, f.width-6))
	var b strings.Builder
	title := "New SCRAM user"
	if f.fixedName {
		title = "Set the password of " + f.inputs[userName].Value()
	}
	b.WriteString(th.OverlayTitle.Render(title) + "\n\n")
	f.render(&b, th, userLabels[:], 11, 0, func(i int) bool { return f.fixedName && i == userName })
	b.WriteString("\n")
	switch {
	case f.submitting:
		b.WriteString(th.Muted.Render("setting the password…"))
	case f.err != nil:
		b.WriteString(th.Error.Width(w).Render(f.err.Error()))
		b.WriteString("\n" + th.Muted.Width(w).Render("type the password again and press enter, or esc to cancel"))
	default:
		b.WriteString(th.Muted.Width(w).Render("salted and hashed here; kflow keeps no copy · ctrl+s or enter on the last sets · esc cancels"))
	}
	return th.Overlay.MaxWidth(max(20, f.width)).Render(b.String())
}

// userDelete asks for a user's name typed back before deleting every
// SCRAM credential it has.
type userDelete struct {
	c    *Common
	keys ConfirmKeys
	user kafka.SCRAMUser
	nameBack
	w int
}

func newUserDelete(c *Common, u kafka.SCRAMUser) *userDelete {
	return &userDelete{c: c, keys: DefaultConfirmKeys(), user: u, nameBack: newNameBack(c.Theme, u.Name)}
}

func (d *userDelete) setWidth(w int) {
	d.w = w
	d.input.SetWidth(max(10, min(50, w-14)))
}

func (d *userDelete) resize(w, _ int) { d.setWidth(w) }

func (d *userDelete) help() []key.Binding { return d.keys.short() }

func (d *userDelete) view() string {
	th := d.c.Theme
	w := max(20, min(70, d.w-6))
	u := d.user
	var b strings.Builder
	b.WriteString(th.Error.Render("Delete user "+u.Name) + "\n\n")
	b.WriteString(th.Text.Width(w).Render(fmt.Sprintf(
		"Its %s (%s) are deleted: clients logging in as %s with SCRAM are refused from now on. Its ACLs stay. This cannot be undone.",
		text.CountOf(len(u.Credentials), "credential", "credentials"), strings.ReplaceAll(u.Mechanisms(), ",", ", "), u.Name)) + "\n\n")
	b.WriteString(d.footer(th, w, "Type the user name to confirm:", "deleting…", "deletes"))
	return th.Overlay.MaxWidth(max(20, d.w)).Render(b.String())
}
