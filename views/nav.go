package views

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// View is one screen of the UI. The shell keeps a stack of them; the one
// on top gets the keys, every one gets window sizes.
type View interface {
	help.KeyMap
	// Init starts the view's first load.
	Init() tea.Cmd
	// Update handles a message meant for this view.
	Update(msg tea.Msg) (View, tea.Cmd)
	// View renders the view in exactly the size last set.
	View() string
	// SetSize gives the view the area it may draw in.
	SetSize(width, height int)
	// Title names the view in the breadcrumb ("partitions · orders").
	Title() string
	// Capturing reports whether the view is taking text (a filter, a
	// form), so the shell must pass it every key but ctrl+c.
	Capturing() bool
	// Busy reports whether a call of the view is in flight (the shell
	// shows a spinner).
	Busy() bool
	// Close ends whatever the view runs in the background.
	Close()
	// ID is the view's id (Common.NewID): the shell hands a message that
	// is Addressed to the view with this id, and to no other.
	ID() int
}

// Addressed is a message for one view: an async result, a tick, a feed's
// wake-up. The shell delivers it to the view whose ID is ViewID, only; a
// view that closed meanwhile gets nothing, and a view never sees another
// view's start (which it would take for its own restart).
type Addressed interface {
	ViewID() int
}

// PushMsg asks the shell to open a view on top of the stack.
type PushMsg struct{ View View }

// PopMsg asks the shell to close the view on top.
type PopMsg struct{}

// NoticeMsg asks the shell to show a line in the message line; Err makes
// it an error.
type NoticeMsg struct {
	Text string
	Err  bool
}

// Push returns a command opening v.
func Push(v View) tea.Cmd { return func() tea.Msg { return PushMsg{View: v} } }

// Pop returns a command closing the view on top.
func Pop() tea.Cmd { return func() tea.Msg { return PopMsg{} } }

// Notice returns a command showing text in the message line.
func Notice(text string) tea.Cmd { return func() tea.Msg { return NoticeMsg{Text: text} } }

// Failure returns a command showing err in the message line.
func Failure(err error) tea.Cmd {
	return func() tea.Msg { return NoticeMsg{Text: err.Error(), Err: true} }
}

// Tailing is a view that consumes records live; the status bar shows the
// rate of the topmost one.
type Tailing interface {
	// TailRate is records/s over the last sample; false before the first.
	TailRate() (float64, bool)
}
