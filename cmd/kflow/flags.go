package main

import (
	"errors"
	"flag"
	"io"
	"strings"
	"time"
)

var errHelp = errors.New("help shown")

// globals are the connection flags every command takes.
type globals struct {
	brokers  string
	context  string
	config   string
	readOnly bool
	timeout  time.Duration
	demo     bool
	json     bool
}

// newFlags makes a flag set with the connection flags; -x and --x are the
// same flag in Go's flag package, and short aliases share variables.
func newFlags(name string, e env, g *globals) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&g.brokers, "b", "", "")
	fs.StringVar(&g.brokers, "brokers", "", "")
	fs.StringVar(&g.context, "context", "", "")
	fs.StringVar(&g.config, "config", "", "")
	fs.BoolVar(&g.readOnly, "read-only", false, "")
	fs.DurationVar(&g.timeout, "timeout", 0, "")
	fs.BoolVar(&g.demo, "demo", false, "")
	fs.BoolVar(&g.json, "json", false, "")
	return fs
}

// parse parses flags anywhere among the arguments (kflow tail T -b X works
// like kflow tail -b X T) and returns the positional ones. "--" ends flags.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usagef("%s: %v", fs.Name(), err)
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
