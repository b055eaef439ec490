package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/themes"
	"kflow/views"
)

// argKind says what a palette command takes.
type argKind int

const (
	argNone argKind = iota
	argTopic
	argTopicOptional
	argTheme
	argContext
	argText
)

// command is one command of the palette.
type command struct {
	name string
	arg  argKind
	desc string
}

// commands are the palette's commands in the order they are offered.
var commands = []command{
	{"topics", argNone, "list topics"},
	{"partitions", argTopic, "partitions of TOPIC"},
	{"brokers", argNone, "list brokers"},
	{"tail", argTopic, "tail TOPIC"},
	{"groups", argNone, "consumer groups"},
	{"flow", argNone, "flow map of topics and groups"},
	{"trace", argText, "trace ID (a correlation id) across topics"},
	{"wordcount", argNone, "word count demo"},
	{"produce", argTopicOptional, "produce [TOPIC]"},
	{"schemas", argTopicOptional, "schema registry subjects [of TOPIC]"},
	{"acls", argNone, "ACLs: list, create, delete"},
	{"users", argNone, "SCRAM users: list, set password, delete"},
	{"theme", argTheme, "switch theme NAME"},
	{"context", argContext, "switch context NAME"},
	{"quit", argNone, "quit kflow"},
}

// PaletteKeys are the bindings of the command palette.
type PaletteKeys struct {
	Run      key.Binding
	Complete key.Binding
	Up       key.Binding
	Down     key.Binding
	Close    key.Binding
}

// DefaultPaletteKeys returns the palette's bindings.
func DefaultPaletteKeys() PaletteKeys {
	return PaletteKeys{
		Run:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		Up:       key.NewBinding(key.WithKeys("up", "ctrl+p", "shift+tab"), key.WithHelp("↑", "previous")),
		Down:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "next")),
		Close:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
	}
}

// palette is the ":" command line with completion.
type palette struct {
	m      *Model
	keys   PaletteKeys
	input  textinput.Model
	items  []candidate
	chosen int
	err    string
	width  int
}

// candidate is one completion: the whole line it completes to.
type candidate struct {
	line string
	desc string
}

func newPalette(m *Model) *palette {
	in := textinput.New()
	in.Prompt = ":"
	in.Placeholder = "command (tab completes)"
	in.SetStyles(m.common.Theme.Input())
	p := &palette{m: m, keys: DefaultPaletteKeys(), input: in}
	p.setWidth(m.width)
	p.refresh()
	return p
}

func (p *palette) setWidth(w int) {
	p.width = w
	p.input.SetWidth(max(10, min(60, w-8)))
}

func (p *palette) focus() tea.Cmd { return p.input.Focus() }

// ShortHelp returns the palette's bindings.
func (p *palette) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Run, p.keys.Complete, p.keys.Down, p.keys.Close}
}

// FullHelp returns the palette's bindings.
func (p *palette) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

func (p *palette) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

func (p *palette) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.keys.Close):
		p.m.palette = nil
		return nil
	case key.Matches(msg, p.keys.Down):
		if len(p.items) > 0 {
			p.chosen = (p.chosen + 1) % len(p.items)
		}
		return nil
	case key.Matches(msg, p.keys.Up):
		if len(p.items) > 0 {
			p.chosen = (p.chosen + len(p.items) - 1) % len(p.items)
		}
		return nil
	case key.Matches(msg, p.keys.Complete):
		if p.chosen < len(p.items) {
			p.input.SetValue(p.items[p.chosen].line)
			p.input.CursorEnd()
			p.refresh()
		}
		return nil
	case key.Matches(msg, p.keys.Run):
		line := strings.TrimSpace(p.input.Value())
		// An unfinished command word runs the chosen completion.
		if name, _, _ := strings.Cut(line, " "); lookup(name) == nil && p.chosen < len(p.items) {
			line = strings.TrimSpace(p.items[p.chosen].line)
		}
		cmd, err := p.m.run(line)
		if err != nil {
			p.err = err.Error()
			return nil
		}
		p.m.palette = nil
		return opening(line, nil, false, cmd)
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.err = ""
	p.refresh()
	return cmd
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// refresh recomputes the completions for what is typed.
func (p *palette) refresh() {
	line := strings.TrimLeft(p.input.Value(), " ")
	p.items = p.items[:0]
	name, arg, hasArg := strings.Cut(line, " ")
	if !hasArg {
		for _, c := range commands {
			if _, ok := views.Match(name, c.name); ok {
				l := c.name
				if c.arg != argNone {
					l += " "
				}
				p.items = append(p.items, candidate{line: l, desc: c.desc})
			}
		}
	} else if c := lookup(name); c != nil {
		arg = strings.TrimSpace(arg)
		for _, v := range p.m.argValues(c.arg) {
			if _, ok := views.Match(arg, v); ok {
				p.items = append(p.items, candidate{line: c.name + " " + v})
			}
		}
	}
	p.chosen = min(p.chosen, max(0, len(p.items)-1))
}

// argValues lists what an argument may be, for completion.
func (m *Model) argValues(k argKind) []string {
	switch k {
	case argTopic, argTopicOptional:
		return m.topicNames
	case argTheme:
		return themes.Names(m.opts.ConfigDir)
	case argContext:
		return m.opts.ContextNames
	}
	return nil
}

// run executes one palette line.
func (m *Model) run(line string) (tea.Cmd, error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return nil, errors.New("type a command; tab completes")
	}
	c := lookup(f[0])
	if c == nil {
		return nil, fmt.Errorf("unknown command %q", f[0])
	}
	args := f[1:]
	switch c.arg {
	case argNone:
		if len(args) > 0 {
			return nil, fmt.Errorf("%s takes no argument", c.name)
		}
	case argTopic, argTheme, argContext, argText:
		if len(args) != 1 {
			return nil, fmt.Errorf("usage: %s", c.desc)
		}
	case argTopicOptional:
		if len(args) > 1 {
			return nil, fmt.Errorf("usage: %s", c.desc)
		}
	}
	needConn := c.name == "topics" || c.name == "partitions" || c.name == "brokers" || c.name == "acls" || c.name == "users"
	if needConn && m.common.Cluster == nil {
		return nil, errors.New("not connected to a cluster")
	}
	switch c.name {
	case "quit":
		return m.quit(), nil
	case "topics":
		for len(m.stack) > 1 {
			m.pop()
		}
		return nil, nil
	case "partitions":
		if m.topicNames != nil && !slices.Contains(m.topicNames, args[0]) {
			return nil, fmt.Errorf("no topic %q", args[0])
		}
		return views.Push(views.NewPartitions(m.common, args[0])), nil
	case "brokers":
		return views.Push(views.NewBrokers(m.common)), nil
	case "acls":
		return views.Push(views.NewACLs(m.common, nil)), nil
	case "users":
		return views.Push(views.NewUsers(m.common, nil)), nil
	case "tail":
		return views.OpenTail(m.common, args[0], views.TailViewOptions{}), nil
	case "groups":
		return views.OpenGroups(m.common, ""), nil
	case "flow":
		return views.OpenFlow(m.common, ""), nil
	case "trace":
		return views.OpenTrace(m.common, args[0], false), nil
	case "wordcount":
		return views.OpenWordCount(m.common, views.WordCountViewOptions{}), nil
	case "produce":
		if m.common.ReadOnly {
			return nil, errors.New("produce is refused: kflow is in read-only mode")
		}
		topic := ""
		if len(args) == 1 {
			topic = args[0]
		}
		return views.Push(views.NewProduce(m.common, nil, topic, views.ProduceOptions{HistoryPath: views.HistoryPathIn(m.common.ConfigDir)})), nil
	case "schemas":
		topic := ""
		if len(args) == 1 {
			topic = args[0]
		}
		return views.Push(views.NewSchemas(m.common, topic)), nil
	case "theme":
		if err := m.setTheme(args[0]); err != nil {
			return nil, err
		}
		return views.Notice("theme " + m.common.Theme.Name), nil
	case "context":
		return m.switchContext(args[0]), nil
	}
	return nil, fmt.Errorf("unknown command %q", c.name)
}

func (p *palette) view() string {
	th := p.m.common.Theme
	var b strings.Builder
	b.WriteString(p.input.View())
	const show = 16 // every command, with room for one more
	start := max(0, p.chosen-show+1)
	for i := start; i < len(p.items) && i < start+show; i++ {
		it := p.items[i]
		line := fmt.Sprintf("%-24s %s", it.line, it.desc)
		w := max(10, min(60, p.width-8))
		line = fitLine(line, w)
		if i == p.chosen {
			b.WriteString("\n" + th.Chosen.Render(line))
		} else {
			b.WriteString("\n" + th.Suggestion.Render(line))
		}
	}
	if p.err != "" {
		b.WriteString("\n" + th.Error.Width(max(10, min(60, p.width-8))).Render(p.err))
	}
	return th.Overlay.Render(b.String())
}
