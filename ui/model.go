package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/themes"
	"kflow/views"
)

// connState is where the connection stands.
type connState int

const (
	stateConnecting connState = iota
	stateStartingDemo
	stateConnected // common.Link says whether the cluster still answers
	stateFailed    // never connected: the connection screen shows
)

// Deps are what the shell reaches the outside world through; tests swap
// them for fakes.
type Deps struct {
	Connect   Connector
	StartDemo DemoStarter
	// Now is the clock views read; nil is the wall clock.
	Now func() time.Time
	// Refresh is how often views poll; zero turns polling off.
	Refresh time.Duration
	// Health is how often the shell checks the cluster; zero turns it off.
	Health time.Duration
	// Timeout bounds each call of the views.
	Timeout time.Duration
}

// Model is the root model: the view stack, the status bar, the message
// line and the overlays (help, command palette, connection screen).
type Model struct {
	ctx    context.Context
	opts   Options
	deps   Deps
	keys   KeyMap
	common *views.Common

	stack []views.View
	slots []slot // per view of stack: how it was opened (history.go)

	width, height int

	help     help.Model
	showHelp bool
	palette  *palette
	conn     *connectScreen

	message    string
	messageErr bool

	spinner  spinner.Model
	spinning bool

	state     connState
	probing   bool // a check of the cluster, asked by a view's call, is in flight
	connGen   int
	connCfg   kafka.ConnConfig
	connErr   error
	closeConn func()
	lagCancel func() // stops the connection's lag monitor
	stopDemo  func()
	demo      bool
	info      kafka.ClusterInfo
	ctxName   string
	pins      Pinned // command-line settings every connection keeps

	topicNames []string
	themeErr   error
}

// New makes the root model. It connects (or starts the demo) in Init.
func New(ctx context.Context, opts Options, deps Deps) *Model {
	if deps.Connect == nil {
		deps.Connect = connectKafka
	}
	if deps.StartDemo == nil {
		deps.StartDemo = startKafkaDemo
	}
	if deps.Timeout <= 0 {
		deps.Timeout = views.DefaultTimeout
	}
	th, err := themes.Load(opts.ConfigDir, opts.Theme, noColor())
	if err != nil {
		th, _ = themes.Load(opts.ConfigDir, "", noColor())
	}
	m := &Model{
		ctx:      ctx,
		opts:     opts,
		deps:     deps,
		keys:     DefaultKeyMap(),
		help:     help.New(),
		ctxName:  opts.ContextName,
		themeErr: err,
		common: &views.Common{
			Ctx:      ctx,
			Theme:    th,
			ReadOnly: opts.Conn.ReadOnly,
			Now:      deps.Now,
			Refresh:  deps.Refresh,
			Timeout:  deps.Timeout,
			// Views keep files (produce history) in the config dir.
			ConfigDir:  opts.ConfigDir,
			NoHistory:  opts.NoHistory,
			TailBuffer: opts.TailBuffer,
			LagRules:   opts.LagRules,
		},
		connCfg: opts.Conn,
		pins:    opts.Pinned,
	}
	m.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.applyTheme()
	return m
}

// Init connects, or starts the demo when asked to.
func (m *Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	if m.themeErr != nil {
		cmds = append(cmds, views.Failure(fmt.Errorf("theme: %w (using the default)", m.themeErr)))
	}
	if m.opts.Demo {
		cmds = append(cmds, m.startDemo())
	} else {
		cmds = append(cmds, m.connect(m.opts.Conn))
	}
	return tea.Batch(cmds...)
}

func (m *Model) applyTheme() {
	th := m.common.Theme
	m.help.Styles = th.Help()
	m.spinner.Style = th.Spinner
}

// front is the view in front, nil before the first connection.
func (m *Model) front() views.View {
	if len(m.stack) == 0 {
		return nil
	}
	return m.stack[len(m.stack)-1]
}

// Stack returns the titles of the open views, bottom first (for tests).
func (m *Model) Stack() []string {
	out := make([]string, len(m.stack))
	for i, v := range m.stack {
		out[i] = v.Title()
	}
	return out
}

// Front returns the view in front, for tests.
func (m *Model) Front() views.View { return m.front() }

// Message returns the message line's text and whether it is an error.
func (m *Model) Message() (string, bool) { return m.message, m.messageErr }

// Theme is the theme in use.
func (m *Model) Theme() *themes.Theme { return m.common.Theme }

func (m *Model) bodySize() (int, int) { return m.width, max(0, m.height-3) }

func (m *Model) push(v views.View) tea.Cmd {
	v.SetSize(m.bodySize())
	m.stack = append(m.stack, v)
	m.slots = append(m.slots, slot{})
	return v.Init()
}

func (m *Model) pop() {
	if len(m.stack) <= 1 {
		return
	}
	m.front().Close()
	m.stack = m.stack[:len(m.stack)-1]
	m.slots = m.slots[:len(m.slots)-1]
}

// resetStack closes every view and opens a fresh topics view.
func (m *Model) resetStack() tea.Cmd {
	for _, v := range m.stack {
		v.Close()
	}
	m.stack, m.slots = nil, nil
	return m.push(views.NewTopics(m.common))
}

func (m *Model) setMessage(text string, isErr bool) {
	m.message, m.messageErr = text, isErr
}

// Update routes a message: window sizes to every view, connection and
// health results to the shell, keys to the overlay or view in front,
// results to the view whose id they carry (see route).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	return m, tea.Batch(cmd, m.spin())
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		for _, v := range m.stack {
			v.SetSize(m.bodySize())
		}
		if m.palette != nil {
			m.palette.setWidth(m.width)
		}
		if m.conn != nil {
			m.conn.setWidth(m.width)
		}
		return nil
	case tea.KeyPressMsg:
		return m.key(msg)
	case spinner.TickMsg:
		if !m.busy() {
			m.spinning = false
			return nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return cmd
	case connectedMsg:
		return m.connected(msg)
	case demoMsg:
		if msg.err != nil {
			m.state = stateFailed
			m.connErr = fmt.Errorf("start the demo cluster: %w", msg.err)
			m.conn = newConnectScreen(m)
			return nil
		}
		m.stopDemo = msg.demo.Stop
		m.demo = true
		m.ctxName = "demo"
		cfg := m.opts.Conn
		cfg.Brokers = []string{msg.demo.Addr}
		cfg.TLS, cfg.SASL, cfg.Registry = nil, nil, nil
		if msg.demo.Registry != "" {
			cfg = cfg.WithRegistryURL(msg.demo.Registry)
		}
		return m.connect(cfg)
	case healthTickMsg:
		if msg.gen != m.connGen || m.common.Cluster == nil {
			return nil
		}
		return m.checkHealth()
	case healthMsg:
		if msg.gen != m.connGen {
			return nil
		}
		m.setLink(msg.err)
		if msg.err == nil {
			m.info = msg.info
		}
		if msg.probe {
			m.probing = false
			return nil
		}
		return m.healthTick()
	case topicNamesMsg:
		if msg.gen == m.connGen {
			m.topicNames = msg.names
			if m.palette != nil {
				m.palette.refresh()
			}
		}
		return nil
	case views.PushMsg:
		return m.push(msg.View)
	case paletteOpenMsg:
		return m.openFromPalette(msg)
	case views.PopMsg:
		return m.back()
	case views.NoticeMsg:
		m.setMessage(msg.Text, msg.Err)
		return nil
	}
	return m.route(msg)
}

// route hands a message that is not the shell's to the views: an
// Addressed one (a result, a tick, a feed's wake-up, a start) to the view
// with its id and no other, so no view ever mistakes another's start for
// its own restart; one whose view has closed is dropped. Anything else
// (a cursor blink) goes to the view in front and the overlays.
func (m *Model) route(msg tea.Msg) tea.Cmd {
	if a, ok := msg.(views.Addressed); ok {
		var probe tea.Cmd
		if r, ok := msg.(interface{ Failed() error }); ok {
			probe = m.observe(r.Failed())
		}
		id := a.ViewID()
		for i, v := range m.stack {
			if v.ID() == id {
				nv, cmd := v.Update(msg)
				m.stack[i] = nv
				return tea.Batch(probe, cmd)
			}
		}
		return probe
	}
	var cmds []tea.Cmd
	if v := m.front(); v != nil {
		nv, cmd := v.Update(msg)
		m.stack[len(m.stack)-1] = nv
		cmds = append(cmds, cmd)
	}
	if m.conn != nil {
		cmds = append(cmds, m.conn.update(msg))
	}
	if m.palette != nil {
		cmds = append(cmds, m.palette.update(msg))
	}
	return tea.Batch(cmds...)
}

// setLink records whether the cluster answered (err nil) in the one
// state the status bar and the views read, and says when that changes.
func (m *Model) setLink(err error) {
	l := &m.common.Link
	switch {
	case err != nil && !l.Lost:
		l.Lost, l.Since = true, time.Now()
		if m.common.Now != nil {
			l.Since = m.common.Now()
		}
		m.setMessage("lost the cluster: "+err.Error()+" (views keep their last data)", true)
	case err == nil && l.Lost:
		*l = views.Link{}
		m.setMessage("reconnected to the cluster", false)
	}
}

// observe checks the cluster at once when a view's call found otherwise
// than the shared state says (failed while connected, answered while
// lost), so the status bar never lags the views by a health period.
func (m *Model) observe(err error) tea.Cmd {
	if m.state != stateConnected || m.probing || m.common.Cluster == nil || (err != nil) == m.common.Link.Lost {
		return nil
	}
	m.probing = true
	return m.checkHealthProbe(true)
}

func (m *Model) connected(msg connectedMsg) tea.Cmd {
	if msg.gen != m.connGen {
		if msg.close != nil {
			msg.close()
		}
		return nil
	}
	if msg.err != nil {
		m.state = stateFailed
		m.connErr = msg.err
		m.conn = newConnectScreen(m)
		return nil
	}
	if m.closeConn != nil {
		m.closeConn()
	}
	m.closeConn = msg.close
	m.conn = nil
	m.connErr = nil
	m.state = stateConnected
	m.common.Link, m.probing = views.Link{}, false
	m.common.Health = views.HealthCounts{}
	m.connCfg = msg.cfg
	m.info = msg.info
	m.common.Cluster = msg.cluster
	m.common.Decoder, m.common.Registry, m.common.Formats = nil, nil, nil
	if rc, ok := msg.cluster.(views.RegistrySource); ok && rc.Registry() != nil {
		m.common.Decoder = schema.NewDecoder(rc.Registry(), schema.DecoderOptions{})
		m.common.Registry = rc.Registry()
	}
	if fs, ok := msg.cluster.(views.FormatSource); ok {
		m.common.Formats = fs.Formats
	}
	m.startLag(msg.cluster)
	m.common.ReadOnly = msg.cfg.ReadOnly
	m.topicNames = nil
	m.setMessage("connected to "+strings.Join(msg.cfg.Brokers, ","), false)
	if m.themeErr != nil {
		// Said once, on the first connection, instead of being
		// overwritten by "connected to …".
		m.setMessage(fmt.Sprintf("theme: %v (using the default) · connected to %s", m.themeErr, strings.Join(msg.cfg.Brokers, ",")), true)
		m.themeErr = nil
	}
	return tea.Batch(m.resetStack(), m.healthTick())
}

func (m *Model) busy() bool {
	if m.state == stateConnecting || m.state == stateStartingDemo {
		return true
	}
	if v := m.front(); v != nil {
		return v.Busy()
	}
	return false
}

// spin starts the spinner when something became busy.
func (m *Model) spin() tea.Cmd {
	if m.spinning || !m.busy() {
		return nil
	}
	m.spinning = true
	return m.spinner.Tick
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Quit) {
		return m.quit()
	}
	if m.conn != nil && m.state != stateConnected {
		return m.conn.key(msg)
	}
	if m.palette != nil {
		return m.palette.key(msg)
	}
	if m.showHelp {
		if key.Matches(msg, m.keys.Help, m.keys.Back, m.keys.QuitTop) {
			m.showHelp = false
		}
		return nil
	}
	v := m.front()
	if v == nil {
		if key.Matches(msg, m.keys.QuitTop) {
			return m.quit()
		}
		return nil
	}
	if v.Capturing() {
		nv, cmd := v.Update(msg)
		m.stack[len(m.stack)-1] = nv
		return cmd
	}
	m.message, m.messageErr = "", false
	switch {
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
		return nil
	case key.Matches(msg, m.keys.Palette):
		m.palette = newPalette(m)
		return tea.Batch(m.palette.focus(), m.fetchTopicNames())
	case key.Matches(msg, m.keys.Back) && !wantsEsc(v):
		return m.back()
	case key.Matches(msg, m.keys.QuitTop):
		if len(m.stack) <= 1 {
			return m.quit()
		}
		return m.back()
	}
	nv, cmd := v.Update(msg)
	m.stack[len(m.stack)-1] = nv
	return cmd
}

// wantsEsc asks a view whether esc means something inside it.
func wantsEsc(v views.View) bool {
	w, ok := v.(interface{ WantsEsc() bool })
	return ok && w.WantsEsc()
}

func (m *Model) quit() tea.Cmd {
	m.shutdown()
	return tea.Quit
}

// shutdown closes the views, the connection and the demo.
func (m *Model) shutdown() {
	for _, v := range m.stack {
		v.Close()
	}
	m.stopLag()
	if m.closeConn != nil {
		m.closeConn()
		m.closeConn = nil
	}
	if m.stopDemo != nil {
		m.stopDemo()
		m.stopDemo = nil
	}
}

// setTheme switches theme at run time.
func (m *Model) setTheme(name string) error {
	th, err := themes.Load(m.opts.ConfigDir, name, noColor())
	if err != nil {
		return err
	}
	m.common.Theme = th
	m.applyTheme()
	return nil
}

// switchContext connects to another configured context.
func (m *Model) switchContext(name string) tea.Cmd {
	if m.opts.Context == nil {
		return views.Failure(errors.New("context: no contexts are configured (they live in the kflow config file)"))
	}
	cfg, err := m.opts.Context(name)
	if err != nil {
		return views.Failure(fmt.Errorf("context %s: %w", name, err))
	}
	m.ctxName = name
	m.demo = false
	m.setMessage("connecting to context "+name+"…", false)
	return m.connect(cfg)
}
