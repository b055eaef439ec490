package views

// tableView is what the views that are one table under a header line
// (brokers, partitions, configs) share: the table, whether a load is in
// flight, and the area they draw in.
type tableView struct {
	table         *Table
	loading       bool
	width, height int
}

// Capturing reports whether the filter takes keys.
func (v *tableView) Capturing() bool { return v.table.Typing() }

// WantsEsc reports whether esc clears the filter rather than going back.
func (v *tableView) WantsEsc() bool { return v.table.WantsEsc() }

// Busy reports whether a load is in flight.
func (v *tableView) Busy() bool { return v.loading }

// Close does nothing: nothing runs between refreshes.
func (v *tableView) Close() {}

// Table exposes the table, for tests.
func (v *tableView) Table() *Table { return v.table }

// SetSize gives the table the area below the header line.
func (v *tableView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(0, h-1))
}
