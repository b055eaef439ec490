package views

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/text"
)

// ReplicaAdmin is what the partitions view needs to elect preferred
// leaders and move replicas; *kafka.Client has it. A cluster without it
// (a fake) shows no reassignments and offers neither action.
type ReplicaAdmin interface {
	PreferredElectionPlan(ctx context.Context, t kafka.ElectionTarget) ([]kafka.LeaderMove, error)
	ElectPreferredLeaders(ctx context.Context, t kafka.ElectionTarget) ([]kafka.ElectionResult, error)
	PlanReassignment(ctx context.Context, a kafka.Assignment) (kafka.ReassignPlan, error)
	ExecuteReassignment(ctx context.Context, plan kafka.ReassignPlan, throttle int64) ([]kafka.ElectionResult, error)
	ListReassignments(ctx context.Context, topic string) ([]kafka.Reassignment, error)
	CancelReassignment(ctx context.Context, topic string) ([]kafka.ElectionResult, error)
}

var _ ReplicaAdmin = (*kafka.Client)(nil)

// partitionsData is one load of the partitions view: the topic and its
// reassignments in progress (nil without a ReplicaAdmin).
type partitionsData struct {
	detail kafka.TopicDetail
	moving []kafka.Reassignment
}

// The replica dialogs of the partitions view.
type replicaKind int

const (
	dialogElect replicaKind = iota
	dialogMove
	dialogCancel
)

// replicaDialog is the election, move or cancel dialog: for a move first
// the target brokers, then (every kind) the plan with the topic's name
// typed back.
type replicaDialog struct {
	kind    replicaKind
	brokers textinput.Model // dialogMove, before the plan
	typing  bool            // the brokers are being typed
	loading bool            // the plan is being made
	elect   []kafka.LeaderMove
	plan    kafka.ReassignPlan
	moving  []kafka.Reassignment
	nameBack
}

// Results of the dialogs' calls.
type (
	electPlanned    struct{ moves []kafka.LeaderMove }
	reassignPlanned struct{ plan kafka.ReassignPlan }
	replicasDone    struct {
		what    string
		results []kafka.ElectionResult
	}
)

func (v *Partitions) admin() (ReplicaAdmin, bool) {
	a, ok := v.c.Cluster.(ReplicaAdmin)
	return a, ok
}

// openReplicaDialog opens kind's dialog, refused in read-only mode.
func (v *Partitions) openReplicaDialog(kind replicaKind) tea.Cmd {
	a, ok := v.admin()
	if !ok || !v.loaded {
		return nil
	}
	what := map[replicaKind]string{dialogElect: "elect preferred leaders of", dialogMove: "reassign", dialogCancel: "cancel the reassignment of"}[kind]
	if v.c.ReadOnly {
		return Failure(fmt.Errorf("%s %s: %w", what, v.topic, kafka.ErrReadOnly))
	}
	d := &replicaDialog{kind: kind, nameBack: newNameBack(v.c.Theme, v.topic)}
	d.input.SetWidth(max(10, min(60, v.width-12)))
	topic := v.topic
	switch kind {
	case dialogElect:
		d.loading = true
		v.dialog = d
		return Call(v.c, v.id, v.gen, "plan the election of "+topic, func(ctx context.Context) (electPlanned, error) {
			m, err := a.PreferredElectionPlan(ctx, kafka.ElectionTarget{Topics: []string{topic}})
			return electPlanned{m}, err
		})
	case dialogMove:
		in := textinput.New()
		in.Prompt = "› "
		in.SetStyles(v.c.Theme.Input())
		in.SetWidth(max(10, min(40, v.width-12)))
		in.SetValue(text.IDs(v.brokersNow()))
		d.brokers, d.typing = in, true
		v.dialog = d
		return d.brokers.Focus()
	default:
		if len(v.moving) == 0 {
			return Notice("no reassignment of " + topic + " in progress: nothing to cancel")
		}
		d.moving = v.moving
		v.dialog = d
		return d.focus()
	}
}

// brokersNow are the brokers holding the topic's replicas, sorted.
func (v *Partitions) brokersNow() []int32 {
	var ids []int32
	for _, p := range v.detail.Partitions {
		for _, r := range p.Replicas {
			if !slices.Contains(ids, r) {
				ids = append(ids, r)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// parseIDs reads "1,2,3".
func parseIDs(s string) ([]int32, error) {
	var out []int32
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 32)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q: want broker ids such as 1,2,3", s)
		}
		out = append(out, int32(n))
	}
	return out, nil
}

// replicaKey handles a key while a dialog is open.
func (v *Partitions) replicaKey(msg tea.KeyPressMsg) tea.Cmd {
	d := v.dialog
	a, _ := v.admin()
	switch {
	case msg.String() == "esc":
		v.dialog = nil
		return Notice("cancelled; nothing was changed")
	case msg.String() != "enter":
		if d.typing {
			var cmd tea.Cmd
			d.brokers, cmd = d.brokers.Update(msg)
			d.err = nil
			return cmd
		}
		if d.submitting {
			return nil
		}
		// The name may be typed while the plan loads.
		return d.update(msg)
	case d.loading || d.submitting:
		return nil
	case d.typing:
		ids, err := parseIDs(d.brokers.Value())
		if err == nil {
			var asg kafka.Assignment
			if asg, err = kafka.BalancedAssignment(v.topic, v.detail.Partitions, ids); err == nil {
				d.typing, d.loading = false, true
				d.brokers.Blur()
				return tea.Batch(d.focus(), Call(v.c, v.id, v.gen, "plan the reassignment of "+v.topic, func(ctx context.Context) (reassignPlanned, error) {
					p, err := a.PlanReassignment(ctx, asg)
					return reassignPlanned{p}, err
				}))
			}
		}
		d.err = err
		return nil
	case !d.confirmed():
		d.err = fmt.Errorf("type %s exactly to go on", v.topic)
		return nil
	}
	d.submitting, d.err = true, nil
	topic, plan := v.topic, d.plan
	switch d.kind {
	case dialogElect:
		return Call(v.c, v.id, v.gen, "elect leaders of "+topic, func(ctx context.Context) (replicasDone, error) {
			rs, err := a.ElectPreferredLeaders(ctx, kafka.ElectionTarget{Topics: []string{topic}})
			return replicasDone{"election", rs}, err
		})
	case dialogMove:
		return Call(v.c, v.id, v.gen, "reassign "+topic, func(ctx context.Context) (replicasDone, error) {
			rs, err := a.ExecuteReassignment(ctx, plan, 0)
			return replicasDone{"reassignment", rs}, err
		})
	default:
		return Call(v.c, v.id, v.gen, "cancel the reassignment of "+topic, func(ctx context.Context) (replicasDone, error) {
			rs, err := a.CancelReassignment(ctx, topic)
			return replicasDone{"cancel", rs}, err
		})
	}
}

// replicaResult takes a dialog's call answer; handled says it was one.
func (v *Partitions) replicaResult(msg tea.Msg) (handled bool, cmd tea.Cmd) {
	d := v.dialog
	switch msg := msg.(type) {
	case Result[electPlanned]:
		if msg.ID != v.id || d == nil || d.kind != dialogElect {
			return true, nil
		}
		d.loading = false
		if msg.Err != nil {
			v.dialog = nil
			return true, Failure(msg.Err)
		}
		if len(msg.Value.moves) == 0 {
			v.dialog = nil
			return true, Notice("every partition of " + v.topic + " is led by its preferred replica: nothing to elect")
		}
		d.elect = msg.Value.moves
		return true, d.focus()
	case Result[reassignPlanned]:
		if msg.ID != v.id || d == nil || d.kind != dialogMove {
			return true, nil
		}
		d.loading = false
		if msg.Err != nil {
			d.typing, d.err = true, msg.Err
			return true, d.brokers.Focus()
		}
		if len(msg.Value.plan.Moves) == 0 {
			v.dialog = nil
			return true, Notice("every partition of " + v.topic + " already has those replicas: nothing to move")
		}
		d.plan = msg.Value.plan
		return true, nil
	case Result[replicasDone]:
		if msg.ID != v.id {
			return true, nil
		}
		if d != nil {
			d.submitting = false
		}
		if msg.Err != nil {
			if d != nil {
				d.err = msg.Err
			}
			return true, nil
		}
		v.dialog = nil
		counts := map[string]int{}
		var failed []string
		for _, r := range msg.Value.results {
			counts[r.Outcome]++
			if r.Outcome == kafka.ElectError {
				failed = append(failed, fmt.Sprintf("%d: %s", r.Partition, r.Error))
			}
		}
		var parts []string
		for _, o := range []string{kafka.ElectElected, kafka.ElectAlreadyPreferred, kafka.ReassignStarted, kafka.ReassignCancelled, kafka.ElectError} {
			if counts[o] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
			}
		}
		line := msg.Value.what + " of " + v.topic + ": " + strings.Join(parts, ", ")
		reload := v.load()
		if len(failed) > 0 {
			return true, tea.Batch(reload, Failure(errors.New(line+" ("+strings.Join(failed, "; ")+")")))
		}
		return true, tea.Batch(reload, Notice(line))
	}
	return false, nil
}

// replicaView renders the open dialog.
func (v *Partitions) replicaView() string {
	d := v.dialog
	th := v.c.Theme
	w := max(20, min(76, v.width-6))
	var b strings.Builder
	list := func(lines []string) {
		const most = 8
		for i, l := range lines {
			if i == most {
				b.WriteString(th.Muted.Render(fmt.Sprintf("… and %d more", len(lines)-most)) + "\n")
				break
			}
			b.WriteString(th.Text.Render(l) + "\n")
		}
		b.WriteString("\n")
	}
	switch d.kind {
	case dialogElect:
		b.WriteString(th.Warn.Render("Elect preferred leaders of "+v.topic) + "\n\n")
		if d.loading {
			b.WriteString(th.Muted.Render("planning…"))
			break
		}
		b.WriteString(th.Text.Width(w).Render(fmt.Sprintf("%s led by another replica than their preferred one move back:", text.CountOf(len(d.elect), "partition", "partitions"))) + "\n")
		var lines []string
		for _, m := range d.elect {
			l := fmt.Sprintf("  %d: leader %s → %d", m.Partition, leaderWord(m.Leader), m.Preferred)
			if !m.PreferredInSync {
				l += "  (not in sync: will fail)"
			}
			lines = append(lines, l)
		}
		list(lines)
		b.WriteString(d.footer(th, w, "Type the topic name to confirm:", "electing…", "elects"))
	case dialogMove:
		b.WriteString(th.Warn.Render("Reassign "+v.topic) + "\n\n")
		if d.typing || d.loading {
			b.WriteString(th.Text.Width(w).Render("Spread the replicas evenly over these brokers (the first replica of each partition is its preferred leader):") + "\n")
			b.WriteString(d.brokers.View() + "\n")
			switch {
			case d.loading:
				b.WriteString(th.Muted.Render("planning…"))
			case d.err != nil:
				b.WriteString(th.Error.Width(w).Render(d.err.Error()))
			default:
				b.WriteString(th.Muted.Render("enter plans · esc cancels"))
			}
			break
		}
		b.WriteString(th.Text.Width(w).Render(fmt.Sprintf("%s move, copying %s (unthrottled; kflow topic reassign --throttle caps it):",
			text.CountOf(len(d.plan.Moves), "partition", "partitions"), text.Bytes(d.plan.Bytes))) + "\n")
		var lines []string
		for _, m := range d.plan.Moves {
			lines = append(lines, fmt.Sprintf("  %d: %s → %s  %s", m.Partition, text.IDs(m.Current), text.IDs(m.Target), text.Bytes(m.Bytes)))
		}
		list(lines)
		b.WriteString(d.footer(th, w, "Type the topic name to start it:", "starting…", "starts it"))
	default:
		b.WriteString(th.Error.Render("Cancel the reassignment of "+v.topic) + "\n\n")
		b.WriteString(th.Text.Width(w).Render(fmt.Sprintf("%s go back to their replicas before it; what was copied is dropped:", text.CountOf(len(d.moving), "partition", "partitions"))) + "\n")
		var lines []string
		for _, r := range d.moving {
			what := []string{}
			if len(r.AddingReplicas) > 0 {
				what = append(what, "adding "+text.IDs(r.AddingReplicas))
			}
			if len(r.RemovingReplicas) > 0 {
				what = append(what, "removing "+text.IDs(r.RemovingReplicas))
			}
			if len(what) == 0 {
				what = append(what, "reordering")
			}
			lines = append(lines, fmt.Sprintf("  %d: %s  %s", r.Partition, text.IDs(r.Replicas), strings.Join(what, ", ")))
		}
		list(lines)
		b.WriteString(d.footer(th, w, "Type the topic name to confirm:", "cancelling…", "cancels it"))
	}
	return th.Overlay.MaxWidth(max(20, v.width)).Render(b.String())
}

func leaderWord(l int32) string {
	if l < 0 {
		return "none"
	}
	return strconv.Itoa(int(l))
}

// replicaKeys are the partitions view's election and reassignment keys.
type replicaKeys struct {
	Elect, Move, Cancel key.Binding
}

func defaultReplicaKeys() replicaKeys {
	return replicaKeys{
		Elect:  key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "elect preferred leaders")),
		Move:   key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "reassign replicas")),
		Cancel: key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "cancel reassignment")),
	}
}

// movingCell marks a partition's replicas while a reassignment moves
// them: "1,2,3 (+4 −1)".
func movingCell(base Cell, r kafka.Reassignment) Cell {
	var marks []string
	if len(r.AddingReplicas) > 0 {
		marks = append(marks, "+"+text.IDs(r.AddingReplicas))
	}
	if len(r.RemovingReplicas) > 0 {
		marks = append(marks, "−"+text.IDs(r.RemovingReplicas))
	}
	if len(marks) == 0 {
		marks = append(marks, "reordering") // the same replicas, another preferred leader
	}
	return Cell{Text: text.IDs(r.Replicas) + " (" + strings.Join(marks, " ") + ")", Tone: Accent}
}

// update hands a key to the name input.
func (d *replicaDialog) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	d.err = nil
	return cmd
}
