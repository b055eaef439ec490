package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/text"
	"kflow/views"
)

// View draws the breadcrumb, the view in front (or the connection
// screen), the message line and the status bar, with overlays on top.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.WindowTitle = "kflow"
	return v
}

// Render is the screen as a string, exactly width by height cells.
func (m *Model) Render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	w, h := m.width, m.height
	bw, bh := m.bodySize()
	var body string
	switch {
	case m.conn != nil && m.state != stateConnected:
		body = views.Overlay("", m.conn.view(bw, bh), bw, bh)
	case m.front() == nil:
		body = views.Frame(m.spinner.View()+" "+m.common.Theme.Muted.Render(m.waitingText()), bw, bh)
	default:
		body = m.front().View()
	}
	if m.showHelp {
		body = views.Overlay(body, m.helpView(), bw, bh)
	}
	if m.palette != nil {
		body = views.Overlay(body, m.palette.view(), bw, bh)
	}
	screen := strings.Join([]string{
		m.breadcrumb(),
		views.Frame(body, bw, bh),
		m.messageLine(),
		m.statusBar(),
	}, "\n")
	return views.Frame(screen, w, h)
}

func (m *Model) waitingText() string {
	if m.state == stateStartingDemo {
		return "starting the demo cluster…"
	}
	return "connecting to " + strings.Join(m.connCfg.Brokers, ",") + "…"
}

func (m *Model) breadcrumb() string {
	th := m.common.Theme
	parts := []string{th.Title.Render("kflow")}
	for i, v := range m.stack {
		if i == len(m.stack)-1 {
			parts = append(parts, th.Text.Bold(true).Render(v.Title()))
		} else {
			parts = append(parts, th.Muted.Render(v.Title()))
		}
	}
	return fitLine(strings.Join(parts, th.Muted.Render(" › ")), m.width)
}

// messageLine shows, in order: a call in flight, the last message, or the
// short help of what has the keys.
func (m *Model) messageLine() string {
	th := m.common.Theme
	switch {
	case m.message != "" && m.messageErr:
		return fitLine(th.MessageError.Render("✗ "+text.OneLine(m.message)), m.width)
	case m.busy() && m.front() != nil:
		line := m.spinner.View() + th.Muted.Render(" loading…")
		if m.message != "" {
			line += th.MessageInfo.Render("  " + text.OneLine(m.message))
		}
		return fitLine(line, m.width)
	case m.message != "":
		return fitLine(th.MessageInfo.Render(text.OneLine(m.message)), m.width)
	}
	m.help.SetWidth(m.width)
	return fitLine(m.help.ShortHelpView(m.shortHelp()), m.width)
}

// shortHelp is the one-line help of whatever has the keys.
func (m *Model) shortHelp() []key.Binding {
	switch {
	case m.conn != nil && m.state != stateConnected:
		return m.conn.ShortHelp()
	case m.palette != nil:
		return m.palette.ShortHelp()
	case m.showHelp:
		return []key.Binding{m.keys.Help, m.keys.Back}
	}
	v := m.front()
	if v == nil {
		return []key.Binding{m.keys.Quit}
	}
	if v.Capturing() {
		return v.ShortHelp()
	}
	quit := m.keys.QuitTop
	if len(m.stack) > 1 {
		quit = key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "back"))
	}
	return append(v.ShortHelp(), m.keys.Help, m.keys.Palette, quit)
}

// helpView is the "?" overlay, built from the bindings of the view in
// front and the shell's own.
func (m *Model) helpView() string {
	th := m.common.Theme
	title := "keys"
	var groups [][]key.Binding
	if v := m.front(); v != nil {
		title = v.Title() + " keys"
		groups = append(groups, v.FullHelp()...)
	}
	hm := m.help
	hm.SetWidth(max(20, m.width-6))
	// The view's keys, then the shell's on their own rows, so neither is
	// cut at 80 columns.
	body := hm.FullHelpView(groups)
	if body != "" {
		body += "\n\n"
	}
	body += hm.FullHelpView(m.keys.FullHelp())
	return th.Overlay.Render(th.OverlayTitle.Render(title) + "\n\n" + body + "\n\n" + th.Muted.Render("? or esc closes"))
}

// statusBar shows context, address, cluster, connection state, broker
// count and the tail rate.
func (m *Model) statusBar() string {
	th := m.common.Theme
	sep := th.StatusBar.Render(" │ ")
	type part struct {
		text string
		drop int // higher goes first when narrow
	}
	var parts []part
	add := func(drop int, text string) { parts = append(parts, part{text, drop}) }
	ctx := m.ctxName
	if ctx == "" {
		ctx = "flags"
	}
	add(0, th.StatusLabel.Render(" ctx ")+th.StatusValue.Render(ctx))
	add(0, th.StatusValue.Render(strings.Join(m.connCfg.Brokers, ",")))
	if m.info.ClusterID != "" {
		add(3, th.StatusLabel.Render("cluster ")+th.StatusValue.Render(m.info.ClusterID))
	}
	switch m.state {
	case stateConnected:
		if m.common.Link.Lost {
			add(0, th.StatusError.Render("✗ disconnected (data stale)"))
		} else {
			add(0, th.StatusOK.Render("● connected"))
		}
	case stateConnecting:
		add(0, th.StatusWarn.Render("◌ connecting"))
	case stateStartingDemo:
		add(0, th.StatusWarn.Render("◌ starting demo"))
	case stateFailed:
		add(0, th.StatusError.Render("✗ not connected"))
	}
	if n := len(m.info.Brokers); n > 0 {
		add(2, th.StatusValue.Render(fmt.Sprintf("%d", n))+th.StatusLabel.Render(text.Plural(n, " broker", " brokers")))
	}
	if h := m.common.Health; m.state == stateConnected && h.Bad() {
		// Worst first, kept when narrow: the tail rate, the broker count
		// and the cluster id give way to them.
		if h.Offline > 0 {
			add(0, th.StatusError.Render(fmt.Sprintf("✗ %d offline", h.Offline)))
		}
		if h.UnderMinISR > 0 {
			add(0, th.StatusError.Render(fmt.Sprintf("%d under-min-isr", h.UnderMinISR)))
		}
		if h.UnderReplicated > 0 {
			add(0, th.StatusWarn.Render(fmt.Sprintf("%d under-replicated", h.UnderReplicated)))
		}
	}
	add(1, th.StatusLabel.Render("tail ")+th.StatusValue.Render(m.tailRate())+th.StatusLabel.Render(" rec/s"))
	if m.common.ReadOnly {
		add(0, th.StatusWarn.Render("read-only"))
	}
	join := func() string {
		ss := make([]string, len(parts))
		for i, p := range parts {
			ss[i] = p.text
		}
		return strings.Join(ss, sep)
	}
	line := join()
	// Drop the least important parts until the line fits.
	for ansi.StringWidth(line) > m.width {
		worst := -1
		for i, p := range parts {
			if p.drop > 0 && (worst < 0 || p.drop > parts[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		parts = append(parts[:worst], parts[worst+1:]...)
		line = join()
	}
	line = fitLine(line, m.width)
	if pad := m.width - ansi.StringWidth(line); pad > 0 {
		line += th.StatusBar.Render(strings.Repeat(" ", pad))
	}
	return line
}

// fitLine cuts a rendered line to w cells, marking the cut.
func fitLine(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// tailRate is the records/s of the topmost view that tails, or a dash.
func (m *Model) tailRate() string {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if t, ok := m.stack[i].(views.Tailing); ok {
			if r, ok := t.TailRate(); ok {
				return text.Rate(r)
			}
			break
		}
	}
	return text.Dash
}
