package ui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"kflow/views"
)

// A palette command replaces the view in front when that view was itself
// opened from the palette (as k9s's commands do), so `:tail a` then
// `:tail b` leaves one tail running, not two, each with its consumer and
// buffer; esc then reopens `:tail a`. Over a view opened by a key (enter,
// t, l, p: a drill-down) or over the topics it opens on top, and esc goes
// back to that view as it was.

// slot is what the shell knows of one view of the stack: the palette
// line that opened it ("" when a key did) and the palette lines it
// replaced, oldest first, which esc reopens one by one.
type slot struct {
	line string
	prev []string
}

// paletteOpenMsg is a view a palette line opened; reopen says esc asked
// for it back (it goes on top with the history it had).
type paletteOpenMsg struct {
	view   views.View
	line   string
	prev   []string
	reopen bool
}

// opening turns the view that cmd opens (a views.PushMsg) into a
// paletteOpenMsg for line; other messages (notices) pass as they are.
func opening(line string, prev []string, reopen bool, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch msg := cmd().(type) {
		case views.PushMsg:
			return paletteOpenMsg{view: msg.View, line: line, prev: prev, reopen: reopen}
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = opening(line, prev, reopen, c)
			}
			return out
		default:
			return msg
		}
	}
}

// openFromPalette puts a palette-opened view in place of the front one
// when that one came from the palette too, else on top.
func (m *Model) openFromPalette(msg paletteOpenMsg) tea.Cmd {
	s := slot{line: msg.line, prev: msg.prev}
	if n := len(m.stack); !msg.reopen && n > 1 && m.slots[n-1].line != "" {
		old := m.slots[n-1]
		m.pop()
		s.prev = append(slices.Clone(old.prev), old.line)
	}
	cmd := m.push(msg.view)
	m.slots[len(m.slots)-1] = s
	return cmd
}

// back closes the view in front; when it had replaced others, the last
// of them opens again in its place.
func (m *Model) back() tea.Cmd {
	if len(m.stack) <= 1 {
		return nil
	}
	s := m.slots[len(m.slots)-1]
	m.pop()
	if len(s.prev) == 0 {
		return nil
	}
	line := s.prev[len(s.prev)-1]
	cmd, err := m.run(line)
	if err != nil {
		m.setMessage(line+": "+err.Error(), true)
		return nil
	}
	return opening(line, s.prev[:len(s.prev)-1], true, cmd)
}
