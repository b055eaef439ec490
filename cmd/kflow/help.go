package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// flagEntry is one flag as help shows it: its names (a short alias and
// the long name share a variable), the value it takes, its meaning and
// its default.
type flagEntry struct {
	names       []string // short first
	value, text string
	def         string
}

// spelled is how the entry is typed: -t, --topic TOPIC.
func (f flagEntry) spelled() string {
	ns := make([]string, len(f.names))
	for i, n := range f.names {
		ns[i] = dashed(n)
	}
	s := strings.Join(ns, ", ")
	if f.value != "" {
		s += " " + f.value
	}
	return s
}

// dashed writes a flag name as typed: -x for one letter, --name otherwise.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// flagEntries groups a flag set's flags by the variable they set, so an
// alias shows beside its long name, sorted by long name.
func flagEntries(fs *flag.FlagSet) []flagEntry {
	var out []flagEntry
	byValue := map[flag.Value]int{}
	fs.VisitAll(func(f *flag.Flag) {
		i, ok := byValue[f.Value]
		if !ok {
			i = len(out)
			byValue[f.Value] = i
			out = append(out, flagEntry{})
		}
		e := &out[i]
		e.names = append(e.names, f.Name)
		value, text := flag.UnquoteUsage(f)
		if len(f.Name) > 1 || e.text == "" {
			e.text = text
			e.value = strings.ToUpper(value)
			if _, isMulti := f.Value.(*multiFlag); isMulti && e.value == "VALUE" {
				e.value = "K=V"
			}
			e.def = f.DefValue
		}
	})
	for i := range out {
		slices.SortFunc(out[i].names, func(a, b string) int { return len(a) - len(b) })
	}
	slices.SortFunc(out, func(a, b flagEntry) int {
		return strings.Compare(a.names[len(a.names)-1], b.names[len(b.names)-1])
	})
	return out
}

// line is the entry's help line, with its default when it says
// something the text does not.
func (f flagEntry) line() string {
	text := f.text
	switch f.def {
	case "", "0", "false", "0s", "[]":
	default:
		if !strings.Contains(text, "default") && !strings.Contains(text, f.def+":") {
			text += " (default " + f.def + ")"
		}
	}
	return text
}

// commonFlags are the names every command's flag set defines (newFlags):
// the connection flags and --json.
func commonFlags() map[string]bool {
	var g globals
	names := map[string]bool{}
	newFlags("", env{}, &g).VisitAll(func(f *flag.Flag) { names[f.Name] = true })
	return names
}

// writeFlags prints a section of flag entries, aligned.
func writeFlags(w io.Writer, title string, es []flagEntry) {
	if len(es) == 0 {
		return
	}
	width := 0
	for _, e := range es {
		width = max(width, len(e.spelled()))
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	for _, e := range es {
		fmt.Fprintf(w, "  %-*s  %s\n", width, e.spelled(), e.line())
	}
}

// splitFlags separates a command's own flags, kept when keep says so,
// from the common ones.
func splitFlags(fs *flag.FlagSet, keep func(flagEntry) bool) (own, common []flagEntry) {
	cf := commonFlags()
	for _, e := range flagEntries(fs) {
		switch {
		case cf[e.names[0]]:
			common = append(common, e)
		case keep == nil || keep(e):
			own = append(own, e)
		}
	}
	return own, common
}

// writeHelp prints the help of the command whose flags were being parsed
// when -h or --help came, and says the run went well (exit 0).
func writeHelp(w io.Writer, he *helpError) int {
	name := he.fs.Name()
	d := docs()[name]
	if name == "kflow" {
		writeMainHelp(w, he.fs, d)
		return exitOK
	}
	c, _ := findCommand(name)
	var sub *subDoc
	for i, s := range d.subs {
		if len(he.pos) > 0 && he.pos[0] == s.name {
			sub = &d.subs[i]
		}
	}
	usage, about, examples := c.args, d.about, d.examples
	var keep func(flagEntry) bool
	if sub != nil {
		name += " " + sub.name
		usage, about, examples = sub.args, sub.about, sub.examples
		keep = func(e flagEntry) bool { return slices.Contains(sub.flags, e.names[len(e.names)-1]) }
	}
	fmt.Fprintf(w, "Usage: kflow %s", name)
	if usage != "" {
		fmt.Fprintf(w, " %s", usage)
	}
	fmt.Fprintf(w, " [flags]\n\n%s\n", about)
	if sub == nil && len(d.subs) > 0 {
		fmt.Fprintf(w, "\nSubcommands (kflow %s SUBCOMMAND --help for one):\n", name)
		width := 0
		for _, s := range d.subs {
			width = max(width, len(s.name+" "+s.args))
		}
		for _, s := range d.subs {
			fmt.Fprintf(w, "  %-*s  %s\n", width, s.name+" "+s.args, s.about)
		}
	}
	own, common := splitFlags(he.fs, keep)
	writeFlags(w, "Flags", own)
	if d.noConn {
		fmt.Fprintf(w, "\n(The connection flags, such as -b, are accepted and ignored.)\n")
	} else {
		writeFlags(w, "Connection and output flags (anywhere on the line)", common)
	}
	fmt.Fprintf(w, "\nExamples:\n  %s\n  %s\n", examples[0], examples[1])
	return exitOK
}

// writeMainHelp is kflow --help: the UI's usage, its flags, the commands.
func writeMainHelp(w io.Writer, fs *flag.FlagSet, d doc) {
	fmt.Fprintf(w, `kflow: see and drive the event flow of a Kafka cluster.

Usage:
  kflow [flags]                 open the terminal UI
  kflow --demo                  open the UI on an embedded demo cluster (no Kafka needed)
  kflow COMMAND [flags] [args]  run a headless command
  kflow help COMMAND            a command's usage, flags and examples (or kflow COMMAND --help)

%s

Commands:
`, d.about)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n             %s\n", c.name, c.args, c.summary)
	}
	own, common := splitFlags(fs, nil)
	writeFlags(w, "Connection and output flags (every command, anywhere on the line)", common)
	writeFlags(w, "UI flags", own)
	fmt.Fprintf(w, "\nExamples:\n  %s\n  %s\n\nExit codes: 0 ok, 1 runtime error, 2 usage error, 3 a group reached kflow lag --fail-on's status.\n",
		d.examples[0], d.examples[1])
}

// findCommand is the command by its name.
func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// runHelp is kflow help [COMMAND [SUBCOMMAND]]: the same text as
// kflow COMMAND [SUBCOMMAND] --help.
func runHelp(args []string, dispatch func([]string) error) error {
	if len(args) == 0 {
		return dispatch([]string{"--help"})
	}
	if _, ok := findCommand(args[0]); !ok {
		return usagef("help: unknown command %q", args[0])
	}
	return dispatch(append(slices.Clone(args), "--help"))
}

// flagSetOf is a command's flag set ("kflow": the UI's), as the command
// defines it: asked for --help, every command returns its flags unparsed.
func flagSetOf(ctx context.Context, name string) *flag.FlagSet {
	quiet := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	run := runUI
	if c, ok := findCommand(name); ok {
		run = c.run
	}
	var he *helpError
	if err := run(ctx, quiet, []string{"--help"}); errors.As(err, &he) {
		return he.fs
	}
	return flag.NewFlagSet(name, flag.ContinueOnError)
}
