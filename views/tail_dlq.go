package views

import (
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// isDLQ reports whether the tail's topic is one the flow map calls a
// dead-letter topic (by its name), where R opens its reasons and redrive.
func (v *Tail) isDLQ() bool {
	_, ok := kafka.DLQSource(v.topic)
	return ok
}

// openDLQ opens the dead-letter view of the tail's topic, offering the
// selected record and the filter as selections.
func (v *Tail) openDLQ() tea.Cmd {
	from := DLQFrom{Filter: v.filter}
	if i := v.selected(); i >= 0 {
		r, _ := v.store.at(i)
		rec := *r
		from.Record = &rec
	}
	return OpenDLQ(v.c, v.topic, from)
}
