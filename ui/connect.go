package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/config"
	"kflow/kafka"
)

// ConnectKeys are the bindings of the connection screen.
type ConnectKeys struct {
	Retry key.Binding
	Edit  key.Binding
	Demo  key.Binding
	Quit  key.Binding
	// While editing the address:
	Accept key.Binding
	Cancel key.Binding
}

// DefaultConnectKeys returns the connection screen's bindings.
func DefaultConnectKeys() ConnectKeys {
	return ConnectKeys{
		Retry:  key.NewBinding(key.WithKeys("r", "enter"), key.WithHelp("r", "retry")),
		Edit:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit address")),
		Demo:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "start the demo cluster")),
		Quit:   key.NewBinding(key.WithKeys("q", "esc"), key.WithHelp("q", "quit")),
		Accept: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "connect")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel edit")),
	}
}

// connectScreen is shown when kflow cannot connect: the error, the
// address, and what to do about it.
type connectScreen struct {
	m       *Model
	keys    ConnectKeys
	editing bool
	input   textinput.Model
	err     error // a bad address typed
	width   int
}

func newConnectScreen(m *Model) *connectScreen {
	in := textinput.New()
	in.Prompt = "address › "
	in.SetStyles(m.common.Theme.Input())
	in.SetValue(strings.Join(m.connCfg.Brokers, ","))
	c := &connectScreen{m: m, keys: DefaultConnectKeys(), input: in}
	c.setWidth(m.width)
	return c
}

func (c *connectScreen) setWidth(w int) {
	c.width = w
	c.input.SetWidth(max(10, min(60, w-16)))
}

// ShortHelp returns the connection screen's bindings.
func (c *connectScreen) ShortHelp() []key.Binding {
	if c.editing {
		return []key.Binding{c.keys.Accept, c.keys.Cancel}
	}
	return []key.Binding{c.keys.Retry, c.keys.Edit, c.keys.Demo, c.keys.Quit}
}

// FullHelp returns the connection screen's bindings.
func (c *connectScreen) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }

func (c *connectScreen) update(msg tea.Msg) tea.Cmd {
	if !c.editing {
		return nil
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return cmd
}

func (c *connectScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	m := c.m
	busy := m.state == stateConnecting || m.state == stateStartingDemo
	if c.editing {
		switch {
		case key.Matches(msg, c.keys.Accept):
			brokers, err := config.ParseBrokers(c.input.Value())
			if err != nil {
				c.err = err
				return nil
			}
			c.editing, c.err = false, nil
			c.input.Blur()
			cfg := m.connCfg
			cfg.Brokers = brokers
			return m.connect(cfg)
		case key.Matches(msg, c.keys.Cancel):
			c.editing, c.err = false, nil
			c.input.Blur()
			c.input.SetValue(strings.Join(m.connCfg.Brokers, ","))
			return nil
		}
		c.err = nil
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, c.keys.Quit):
		return m.quit()
	case busy:
		return nil
	case key.Matches(msg, c.keys.Retry):
		return m.connect(m.connCfg)
	case key.Matches(msg, c.keys.Edit):
		c.editing = true
		c.input.CursorEnd()
		return c.input.Focus()
	case key.Matches(msg, c.keys.Demo):
		return m.startDemo()
	}
	return nil
}

func (c *connectScreen) view(w, h int) string {
	m := c.m
	th := m.common.Theme
	tw := max(20, min(76, w-6))
	var b strings.Builder
	b.WriteString(th.Error.Render("Cannot connect to Kafka") + "\n\n")
	b.WriteString(th.Label.Render("address  ") + th.Text.Render(strings.Join(m.connCfg.Brokers, ",")) + "\n")
	if m.ctxName != "" {
		b.WriteString(th.Label.Render("context  ") + th.Text.Render(m.ctxName) + "\n")
	}
	b.WriteString("\n")
	if m.connErr != nil {
		b.WriteString(th.Text.Width(tw).Render(explainConn(m.connErr)) + "\n\n")
	}
	switch {
	case m.state == stateConnecting:
		b.WriteString(m.spinner.View() + th.Muted.Render(" connecting to "+strings.Join(m.connCfg.Brokers, ",")+"…"))
	case m.state == stateStartingDemo:
		b.WriteString(m.spinner.View() + th.Muted.Render(" starting the demo cluster…"))
	case c.editing:
		b.WriteString(c.input.View() + "\n")
		if c.err != nil {
			b.WriteString(th.Error.Width(tw).Render(c.err.Error()) + "\n")
		}
		b.WriteString(th.Muted.Render("enter connects · esc cancels"))
	default:
		b.WriteString(th.Key.Render("r") + th.Text.Render(" retry   ") +
			th.Key.Render("e") + th.Text.Render(" edit the address   ") +
			th.Key.Render("d") + th.Text.Render(" start the embedded demo cluster   ") +
			th.Key.Render("q") + th.Text.Render(" quit"))
	}
	return th.Overlay.MaxWidth(w).Render(b.String())
}

// explainConn words a connection error; the client's errors already say
// what to check, so this only adds for timeouts.
func explainConn(err error) string {
	var ue *kafka.UnreachableError
	if errors.As(err, &ue) {
		return ue.Error()
	}
	return fmt.Sprint(err)
}
