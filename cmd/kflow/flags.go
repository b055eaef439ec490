package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// helpError is what parse returns for -h/--help: it carries the flag set,
// so help is generated from the flags as defined, and the positional
// arguments seen before it (a subcommand such as topic create).
type helpError struct {
	fs  *flag.FlagSet
	pos []string
}

func (e *helpError) Error() string { return "help shown" }

// globals are the connection flags every command takes.
type globals struct {
	brokers  string
	context  string
	config   string
	readOnly bool
	timeout  time.Duration
	demo     bool
	json     bool
	registry string
	// compression is produce's --compression (kafka.ConnConfig.Compression).
	compression string
}

// newFlags makes a flag set with the connection flags; -x and --x are the
// same flag in Go's flag package, and short aliases share variables.
func newFlags(name string, e env, g *globals) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&g.brokers, "b", "", "bootstrap brokers, comma separated (env KFLOW_BROKERS; default localhost:9092)")
	fs.StringVar(&g.brokers, "brokers", "", "bootstrap `brokers`, comma separated (env KFLOW_BROKERS; default localhost:9092)")
	fs.StringVar(&g.context, "context", "", "the `name` of a context in the config file")
	fs.StringVar(&g.config, "config", "", "config `file` (default $XDG_CONFIG_HOME/kflow/config.yaml)")
	fs.BoolVar(&g.readOnly, "read-only", false, "refuse produce, create, delete and offset resets")
	fs.DurationVar(&g.timeout, "timeout", 0, "dial and request timeout, a `duration` (default 10s)")
	fs.BoolVar(&g.demo, "demo", false, "run against an in-process demo cluster")
	fs.BoolVar(&g.json, "json", false, "print JSON instead of text")
	fs.StringVar(&g.registry, "registry", "", "Schema Registry `url` (env KFLOW_REGISTRY; default the context's schema-registry)")
	return fs
}

// parse parses flags anywhere among the arguments (kflow tail T -b X works
// like kflow tail -b X T) and returns the positional ones. "--" ends flags.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpError{fs: fs, pos: pos}
			}
			return nil, flagError(fs, err, args)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// multiFlag collects a repeated flag such as -H k=v.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// wantArgs checks the count of positional arguments.
func wantArgs(cmd string, pos []string, n int, what string) error {
	if len(pos) != n {
		return usagef("%s takes %s, got %d argument(s): %q", cmd, what, len(pos), pos)
	}
	return nil
}

// flagError turns the flag package's error into a usage error that names
// the flag as typed and points to the command's --help.
func flagError(fs *flag.FlagSet, err error, args []string) error {
	help, prefix := "kflow --help", "" // the UI's errors need no "kflow:" twice
	if fs.Name() != "kflow" {
		help, prefix = "kflow "+fs.Name()+" --help", fs.Name()+": "
	}
	if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -"); ok {
		typed := "--" + name
		for _, a := range args {
			if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); n == name && strings.HasPrefix(a, "-") {
				typed, _, _ = strings.Cut(a, "=")
				break
			}
		}
		return &usageError{msg: fmt.Sprintf("%sunknown flag %s", prefix, typed), hint: help}
	}
	return &usageError{msg: fmt.Sprintf("%s%v", prefix, err), hint: help}
}

// takesValueIn says whether the word is a flag of fs that takes the next
// word as its value (not a bool flag, no =value).
func takesValueIn(fs *flag.FlagSet, word string) bool {
	if !strings.HasPrefix(word, "-") || strings.Contains(word, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(word, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}
