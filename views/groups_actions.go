package views

import (
	"context"
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// groupDialog is a box over a group view that takes the keys: the reset
// form, the reset plan, the delete confirmation.
type groupDialog interface {
	help() []key.Binding
	key(msg tea.KeyPressMsg) tea.Cmd
	update(msg tea.Msg) tea.Cmd
	view() string
	setSize(w, h int)
}

// Answers of the group actions.
type (
	resetPlanned struct{ Plan kafka.ResetPlan }
	resetApplied struct{ Plan kafka.ResetPlan }
	groupDeleted struct{ Group string }
)

// groupActions runs reset and delete for a group view: the dialogs, the
// calls, and what their answers change. The list and the detail share it.
type groupActions struct {
	c      *Common
	src    GroupsSource
	id     int
	dialog groupDialog
	busy   int
	w, h   int
}

func (a *groupActions) setSize(w, h int) {
	a.w, a.h = w, h
	if a.dialog != nil {
		a.dialog.setSize(w, h)
	}
}

func (a *groupActions) open(d groupDialog) tea.Cmd {
	a.dialog = d
	d.setSize(a.w, a.h)
	if f, ok := d.(interface{ focus() tea.Cmd }); ok {
		return f.focus()
	}
	return nil
}

// reset opens the reset form for group, refused in read-only mode.
func (a *groupActions) reset(g kafka.GroupLag) tea.Cmd {
	if a.c.ReadOnly {
		return Failure(fmt.Errorf("reset offsets of group %q: %w", g.Group.ID, kafka.ErrReadOnly))
	}
	return a.open(newResetForm(a, g))
}

// remove opens the delete confirmation for group, refused in read-only
// mode.
func (a *groupActions) remove(g kafka.GroupLag) tea.Cmd {
	if a.c.ReadOnly {
		return Failure(fmt.Errorf("delete group %q: %w", g.Group.ID, kafka.ErrReadOnly))
	}
	return a.open(newGroupDeleteConfirm(a, g))
}

// plan asks for a reset plan.
func (a *groupActions) plan(spec kafka.ResetSpec) tea.Cmd {
	a.busy++
	src := a.src
	return Call(a.c, a.id, 0, "plan offset reset of "+spec.Group, func(ctx context.Context) (resetPlanned, error) {
		p, err := src.PlanReset(ctx, spec)
		return resetPlanned{p}, err
	})
}

// apply writes a plan.
func (a *groupActions) apply(p kafka.ResetPlan) tea.Cmd {
	a.busy++
	src := a.src
	return Call(a.c, a.id, 0, "reset offsets of "+p.Group, func(ctx context.Context) (resetApplied, error) {
		return resetApplied{p}, src.ApplyReset(ctx, p)
	})
}

// deleteGroup deletes a group.
func (a *groupActions) deleteGroup(group string) tea.Cmd {
	a.busy++
	src := a.src
	return Call(a.c, a.id, 0, "delete group "+group, func(ctx context.Context) (groupDeleted, error) {
		return groupDeleted{group}, src.DeleteGroup(ctx, group)
	})
}

// explain turns Kafka's refusals into what the user can do about them.
func explainGroupErr(err error) error {
	var active *kafka.GroupActiveError
	if errors.As(err, &active) {
		return active
	}
	return err
}

// update handles the action answers and the dialog's keys. It reports
// whether it used msg, and whether the group changed (so the view
// reloads).
func (a *groupActions) update(msg tea.Msg) (used bool, cmd tea.Cmd, changed bool) {
	switch msg := msg.(type) {
	case Result[resetPlanned]:
		if msg.ID != a.id {
			return false, nil, false
		}
		a.busy--
		f, ok := a.dialog.(*resetForm)
		if !ok {
			return true, nil, false
		}
		if msg.Err != nil {
			f.submitting, f.err = false, msg.Err
			return true, nil, false
		}
		return true, a.open(newResetConfirm(a, f.group, f.target(), msg.Value.Plan)), false
	case Result[resetApplied]:
		if msg.ID != a.id {
			return false, nil, false
		}
		a.busy--
		if msg.Err != nil {
			if d, ok := a.dialog.(*resetConfirm); ok {
				d.submitting, d.err = false, explainGroupErr(msg.Err)
			}
			return true, Failure(explainGroupErr(msg.Err)), false
		}
		a.dialog = nil
		p := msg.Value.Plan
		return true, Notice(fmt.Sprintf("reset %s of group %s", text.CountOf(len(p.Rows), "partition", "partitions"), p.Group)), true
	case Result[groupDeleted]:
		if msg.ID != a.id {
			return false, nil, false
		}
		a.busy--
		if msg.Err != nil {
			if d, ok := a.dialog.(*groupDeleteConfirm); ok {
				d.submitting, d.err = false, explainGroupErr(msg.Err)
			}
			return true, Failure(explainGroupErr(msg.Err)), false
		}
		a.dialog = nil
		return true, Notice("deleted group " + msg.Value.Group), true
	case tea.KeyPressMsg:
		if a.dialog == nil {
			return false, nil, false
		}
		return true, a.dialog.key(msg), false
	}
	if a.dialog != nil {
		return false, a.dialog.update(msg), false
	}
	return false, nil, false
}
