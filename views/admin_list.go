package views

import (
	"context"
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// panel is the overlay a list view opens over its table (a form, a delete
// preview): it takes the keys and messages the view does not, and draws
// itself over the table.
type panel interface {
	update(msg tea.Msg) tea.Cmd
	view() string
	resize(w, h int)
	// help is the panel's bindings, for the help line.
	help() []key.Binding
	// failed takes the broker's refusal of what the panel sent: the panel
	// stays open with what was typed (submission.failed).
	failed(err error)
}

// either is the panel open of a view's two, form first, or nil.
func either[F interface {
	*E
	panel
}, D interface {
	*G
	panel
}, E, G any](form F, del D) panel {
	if form != nil {
		return form
	}
	return opened(del)
}

// opened is p as a panel: nil, not a nil pointer in an interface, when p
// is not open.
func opened[P interface {
	*E
	panel
}, E any](p P) panel {
	if p == nil {
		return nil
	}
	return p
}

// adminList is what the list views that write to the cluster (ACLs, SCRAM
// users) share: a table reloaded on every tick, the writes in flight, the
// panel open over it (a form or a delete confirmation), the selected item
// and the refusal of writes under --read-only. Each view keeps its
// columns, rows, panels and writes.
type adminList[T any] struct {
	c *Common
	tableView
	items   []T
	updated time.Time
	busyOps int

	what  string                             // the load, for errors: "list ACLs"
	fetch func(context.Context) ([]T, error) // nil when the cluster cannot administer
	keyOf func(T) string                     // the row key of an item
	rows  func([]T) []Row                    // the table's rows for the items
	open  func() panel
	// writes are the view's bindings that write, left out of the help
	// under --read-only.
	writes []key.Binding // the panel open now, or nil
}

// newAdminList makes the list of a view: its table of cols says empty
// when there is nothing, with hint (how to create one) unless writes are
// refused.
func newAdminList[T any](c *Common, cols []Column, empty, hint string) adminList[T] {
	l := adminList[T]{c: c, tableView: tableView{id: c.NewID(), table: NewTable(c, cols)}}
	l.table.Empty = empty
	if !c.ReadOnly {
		l.table.Empty += hint
	}
	return l
}

// Init loads the list.
func (l *adminList[T]) Init() tea.Cmd { return l.load() }

// Capturing reports whether the open panel or the filter takes keys.
func (l *adminList[T]) Capturing() bool { return l.open() != nil || l.table.Typing() }

// WantsEsc reports whether esc closes something inside the view.
func (l *adminList[T]) WantsEsc() bool { return l.Capturing() || l.table.WantsEsc() }

// Busy reports whether a call is in flight.
func (l *adminList[T]) Busy() bool { return l.loading || l.busyOps > 0 }

// SetSize sets the view's area, the open panel's too.
func (l *adminList[T]) SetSize(w, h int) {
	l.tableView.SetSize(w, h)
	if p := l.open(); p != nil {
		p.resize(w, h)
	}
}

func (l *adminList[T]) load() tea.Cmd {
	l.gen++
	l.loading = true
	fetch := l.fetch
	return Call(l.c, l.id, l.gen, l.what, func(ctx context.Context) ([]T, error) {
		if fetch == nil {
			return nil, errNoAdmin
		}
		return fetch(ctx)
	})
}

// updateList handles the list's loads and ticks; handled is false for
// any other message.
func (l *adminList[T]) updateList(msg tea.Msg) (handled bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case Result[[]T]:
		fresh, fail := settle(&l.tableView, msg)
		if !fresh {
			return true, nil
		}
		next := l.c.tick(l.id)
		if fail != nil {
			return true, tea.Batch(next, fail)
		}
		l.updated = msg.At
		l.items = msg.Value
		l.table.SetRows(l.rows(msg.Value))
		return true, next
	case TickMsg:
		if msg.ID != l.id || l.loading {
			return true, nil
		}
		return true, l.load()
	}
	return false, nil
}

// forward gives a message that is not a key to the open panel, else to
// the table.
func (l *adminList[T]) forward(msg tea.Msg) tea.Cmd {
	if p := l.open(); p != nil {
		return p.update(msg)
	}
	_, cmd := l.table.Update(msg)
	return cmd
}

// listKey handles the keys of the list itself once no panel is open: the
// table's (moving, filtering) and refresh; handled is false for the
// view's own.
func (l *adminList[T]) listKey(msg tea.KeyPressMsg, refresh key.Binding) (handled bool, cmd tea.Cmd) {
	if used, cmd := l.table.Update(msg); used {
		return true, cmd
	}
	if key.Matches(msg, refresh) {
		if l.loading {
			return true, nil
		}
		return true, l.load()
	}
	return false, nil
}

// refuse is the failure of a write under --read-only (nil otherwise);
// what names the write: "create ACL".
func (l *adminList[T]) refuse(what string) tea.Cmd {
	if !l.c.ReadOnly {
		return nil
	}
	return Failure(fmt.Errorf("%s: %w", what, kafka.ErrReadOnly))
}

// selected is the item of the selected row.
func (l *adminList[T]) selected() (T, bool) {
	var zero T
	sel, ok := l.table.Selected()
	if !ok {
		return zero, false
	}
	for _, it := range l.items {
		if l.keyOf(it) == sel.Key {
			return it, true
		}
	}
	return zero, false
}

// wrote takes the answer to one of the view's writes: mine is false for
// another view's. A refusal goes to from, the panel that sent the write
// (nil if it was closed meanwhile), and comes back as the failure to show.
func wrote[T, R any](l *adminList[T], r Result[R], from panel) (mine bool, fail tea.Cmd) {
	if r.ID != l.id {
		return false, nil
	}
	l.busyOps--
	if r.Err != nil {
		if from != nil {
			from.failed(r.Err)
		}
		return true, Failure(r.Err)
	}
	return true, nil
}

// shortHelp is the open panel's bindings, else bs less the writes under
// --read-only.
func (l *adminList[T]) shortHelp(bs ...key.Binding) []key.Binding {
	if p := l.open(); p != nil {
		return p.help()
	}
	return l.writable(bs...)
}

// fullHelp is the open panel's bindings, else the table's, refresh and the
// writes (none under --read-only), grouped.
func (l *adminList[T]) fullHelp(t TableKeys, refresh key.Binding) [][]key.Binding {
	if p := l.open(); p != nil {
		return [][]key.Binding{p.help()}
	}
	return [][]key.Binding{t.Nav(), append(t.List(), refresh), l.writable(l.writes...)}
}

// writable leaves the writes out of bs in read-only mode.
func (l *adminList[T]) writable(bs ...key.Binding) []key.Binding {
	if !l.c.ReadOnly {
		return bs
	}
	out := bs[:0:0]
	for _, b := range bs {
		if !slices.ContainsFunc(l.writes, func(w key.Binding) bool { return w.Help() == b.Help() }) {
			out = append(out, b)
		}
	}
	return out
}
