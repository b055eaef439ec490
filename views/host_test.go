package views

import (
	"sync"

	tea "charm.land/bubbletea/v2"

	"kflow/views/viewstest"
)

// The test host of the views' screen tests; the rest of the harness is
// in package viewstest.

// host runs one view as a program the way the shell would, minus the
// chrome: it sizes the view, feeds it messages, and remembers the screen.
type host struct {
	stack  []View
	w, h   int
	screen viewstest.Screen // what the front view showed last
	mu     sync.Mutex
	notice string
}

func (h *host) front() View { return h.stack[len(h.stack)-1] }

func (h *host) Init() tea.Cmd { return h.front().Init() }

func (h *host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.w, h.h = msg.Width, msg.Height
		for _, v := range h.stack {
			v.SetSize(msg.Width, msg.Height)
		}
	case PushMsg:
		msg.View.SetSize(h.w, h.h)
		h.stack = append(h.stack, msg.View)
		cmd = msg.View.Init()
	case PopMsg:
		if len(h.stack) > 1 {
			h.front().Close()
			h.stack = h.stack[:len(h.stack)-1]
		}
	case NoticeMsg:
		h.mu.Lock()
		h.notice = msg.Text
		h.mu.Unlock()
	case tea.KeyPressMsg:
		_, cmd = h.front().Update(msg)
	default:
		var cmds []tea.Cmd
		for _, v := range h.stack {
			_, c := v.Update(msg)
			cmds = append(cmds, c)
		}
		cmd = tea.Batch(cmds...)
	}
	h.screen.Set(h.front().View())
	return h, cmd
}

func (h *host) View() tea.View { return tea.NewView(h.front().View()) }
