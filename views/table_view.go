package views

import tea "charm.land/bubbletea/v2"

// tableView is what the views that are one table under a header line
// (brokers, partitions, configs) share: the table, their loads (the
// view's id, the newest request, whether one is in flight, the last
// error, whether any answered) and the area they draw in.
type tableView struct {
	table         *Table
	id, gen       int
	loading       bool
	loaded        bool
	err           error
	width, height int
}

// settle takes the answer to one of v's loads. It reports false for an
// answer that is not the newest of this view (an older request, or one
// of a view since closed), which the caller drops. An error stays in
// v.err beside the last data and comes back as the failure to show.
func settle[T any](v *tableView, r Result[T]) (fresh bool, fail tea.Cmd) {
	if r.ID != v.id || r.Gen != v.gen {
		return false, nil
	}
	v.loading = false
	if r.Err != nil {
		v.err = r.Err
		return true, Failure(r.Err)
	}
	v.err, v.loaded = nil, true
	return true, nil
}

// Capturing reports whether the filter takes keys.
func (v *tableView) Capturing() bool { return v.table.Typing() }

// WantsEsc reports whether esc clears the filter rather than going back.
func (v *tableView) WantsEsc() bool { return v.table.WantsEsc() }

// Busy reports whether a load is in flight.
func (v *tableView) Busy() bool { return v.loading }

// ID is the view's id; results carrying another are not its.
func (v *tableView) ID() int { return v.id }

// Close does nothing: nothing runs between refreshes.
func (v *tableView) Close() {}

// Table exposes the table, for tests.
func (v *tableView) Table() *Table { return v.table }

// SetSize gives the table the area below the header line.
func (v *tableView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(0, h-1))
}
