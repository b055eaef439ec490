package main

import (
	"context"
	"flag"
	"strings"
	"testing"
)

// helpCase is one command line whose help is checked: a command, or a
// command and one of its subcommands.
type helpCase struct {
	cmd, sub string
}

func (h helpCase) args() []string {
	var a []string
	if h.cmd != "kflow" {
		a = append(a, h.cmd)
	}
	if h.sub != "" {
		a = append(a, h.sub)
	}
	return a
}

func (h helpCase) name() string { return strings.Join(append([]string{"kflow"}, h.args()...), " ") }

// helpCases are the UI, every command and every subcommand.
func helpCases(t *testing.T) []helpCase {
	cases := []helpCase{{cmd: "kflow"}}
	for _, c := range commands() {
		cases = append(cases, helpCase{cmd: c.name})
		d, ok := docs()[c.name]
		if !ok {
			t.Errorf("command %s has no help text (docs)", c.name)
		}
		for _, s := range d.subs {
			cases = append(cases, helpCase{cmd: c.name, sub: s.name})
		}
	}
	return cases
}

// TestEveryCommandHelp: kflow CMD --help and -h print the usage line, what
// the command does, every flag it defines (each with a meaning and its
// default) and two examples, and exit 0. The flags come from the command's
// own flag set, so a flag added without help text fails here.
func TestEveryCommandHelp(t *testing.T) {
	isolateConfig(t)
	ctx := context.Background()
	common := commonFlags()
	for _, h := range helpCases(t) {
		t.Run(h.name(), func(t *testing.T) {
			fs := flagSetOf(ctx, h.cmd)
			if fs.Lookup("brokers") == nil {
				t.Fatalf("%s: no flag set came back from --help", h.name())
			}
			d := docs()[h.cmd]
			var sub *subDoc
			for i := range d.subs {
				if d.subs[i].name == h.sub {
					sub = &d.subs[i]
				}
			}
			for _, hf := range []string{"--help", "-h", "-help"} {
				r := kflow(t, "", nil, append(h.args(), hf)...)
				if r.code != 0 || r.stderr != "" {
					t.Fatalf("%s %s: exit %d, stderr %q", h.name(), hf, r.code, r.stderr)
				}
				out := r.stdout
				about, examples := d.about, d.examples
				if sub != nil {
					about, examples = sub.about, sub.examples
				}
				if h.cmd != "kflow" && !strings.HasPrefix(out, "Usage: "+h.name()+" ") {
					t.Errorf("%s %s: no usage line first:\n%s", h.name(), hf, out)
				}
				if h.cmd == "kflow" && !strings.Contains(out, "Usage:\n  kflow [flags]") {
					t.Errorf("kflow %s: no usage line:\n%s", hf, out)
				}
				if about == "" || !strings.Contains(out, about) {
					t.Errorf("%s %s: lacks what it does (%q)", h.name(), hf, about)
				}
				if i := strings.Index(out, "Examples:\n"); i < 0 || strings.Count(out[i:], "\n  ") != 2 ||
					!strings.Contains(out, examples[0]) || !strings.Contains(out, examples[1]) {
					t.Errorf("%s %s: want two examples:\n%s", h.name(), hf, out)
				}
				fs.VisitAll(func(f *flag.Flag) {
					if common[f.Name] && d.noConn {
						return
					}
					if sub != nil && !common[f.Name] && !sub.uses(fs, f) {
						if listed(out, f.Name) {
							t.Errorf("%s: lists %s, which it does not use", h.name(), dashed(f.Name))
						}
						return
					}
					if strings.TrimSpace(f.Usage) == "" {
						t.Errorf("%s: flag %s has no help text", h.name(), dashed(f.Name))
					}
					if !listed(out, f.Name) {
						t.Errorf("%s %s: flag %s not listed:\n%s", h.name(), hf, dashed(f.Name), out)
					}
					if _, text := flag.UnquoteUsage(f); !strings.Contains(out, text) {
						t.Errorf("%s %s: the meaning of %s (%q) not shown", h.name(), hf, dashed(f.Name), text)
					}
					switch f.DefValue {
					case "", "0", "false", "0s", "[]":
					default:
						if !strings.Contains(out, f.DefValue) {
							t.Errorf("%s %s: the default of %s (%s) not shown", h.name(), hf, dashed(f.Name), f.DefValue)
						}
					}
				})
			}
		})
	}
}

// listed says whether help lists the flag at the start of a line of the
// flags, alone or after its short alias.
func listed(out, name string) bool {
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "  -") {
			continue
		}
		spelled, _, _ := strings.Cut(strings.TrimSpace(l), "  ")
		for _, tok := range strings.Fields(strings.ReplaceAll(spelled, ",", " ")) {
			if tok == dashed(name) {
				return true
			}
		}
	}
	return false
}

// uses says whether the subcommand lists the flag (or its long alias).
func (s subDoc) uses(fs *flag.FlagSet, f *flag.Flag) bool {
	for _, n := range s.flags {
		if g := fs.Lookup(n); g != nil && g.Value == f.Value {
			return true
		}
	}
	return false
}

// TestSubcommandFlagsExist: each subcommand's flags are flags of its
// command, and every flag of a command with subcommands belongs to one,
// so a subcommand's help can neither name a missing flag nor drop one.
func TestSubcommandFlagsExist(t *testing.T) {
	common := commonFlags()
	for name, d := range docs() {
		if len(d.subs) == 0 {
			continue
		}
		fs := flagSetOf(context.Background(), name)
		for _, s := range d.subs {
			for _, n := range s.flags {
				if fs.Lookup(n) == nil {
					t.Errorf("kflow %s %s: names flag --%s, which %s does not define", name, s.name, n, name)
				}
			}
		}
		fs.VisitAll(func(f *flag.Flag) {
			if common[f.Name] {
				return
			}
			for _, s := range d.subs {
				if s.uses(fs, f) {
					return
				}
			}
			t.Errorf("kflow %s: flag %s belongs to no subcommand", name, dashed(f.Name))
		})
	}
}

// TestHelpCommandEqualsHelpFlag: kflow help CMD [SUB] prints what
// kflow CMD [SUB] --help does; kflow help what kflow --help does.
func TestHelpCommandEqualsHelpFlag(t *testing.T) {
	isolateConfig(t)
	for _, h := range helpCases(t) {
		want := kflow(t, "", nil, append(h.args(), "--help")...)
		got := kflow(t, "", nil, append([]string{"help"}, h.args()...)...)
		if got != want || got.code != 0 || got.stdout == "" {
			t.Errorf("kflow help %s = %+v\nwant %+v", strings.Join(h.args(), " "), got, want)
		}
	}
	r := kflow(t, "", nil, "help", "nosuchcommand")
	if r.code != exitUsage || !strings.Contains(r.stderr, "nosuchcommand") {
		t.Errorf("kflow help nosuchcommand = %+v, want exit 2 naming it", r)
	}
}

// TestUnknownFlagNamesItself: an unknown flag exits 2, names itself as
// typed and points to the command's --help.
func TestUnknownFlagNamesItself(t *testing.T) {
	isolateConfig(t)
	for _, h := range helpCases(t) {
		if h.sub != "" {
			continue
		}
		for _, bad := range []string{"--no-such-flag", "-Z", "--no-such-flag=3"} {
			r := kflow(t, "", nil, append(h.args(), bad)...)
			typed, _, _ := strings.Cut(bad, "=")
			if r.code != exitUsage || !strings.Contains(r.stderr, "unknown flag "+typed) || !strings.Contains(r.stderr, "'"+h.name()+" --help'") {
				t.Errorf("%s %s = %+v; want exit 2 naming %s and pointing to %s --help", h.name(), bad, r, typed, h.name())
			}
			if strings.Contains(r.stderr, "kflow: kflow:") {
				t.Errorf("%s %s: %q says kflow twice", h.name(), bad, r.stderr)
			}
		}
	}
}

// TestFlagsBeforeCommand: the flags before a command, with their values,
// are told from the command by the UI's flag definitions; a UI flag
// before a command is that command's unknown flag, not a command.
func TestFlagsBeforeCommand(t *testing.T) {
	isolateConfig(t)
	for _, args := range [][]string{
		{"-b", "h:1", "--context=x", "--timeout", "2s", "version"},
		{"--config", "f", "--read-only", "version", "--json"},
	} {
		if r := kflow(t, "", nil, args...); r.code != 0 || !strings.HasPrefix(r.stdout, "kflow ") {
			t.Errorf("kflow %q = %+v, want the version", args, r)
		}
	}
	for _, flag := range []string{"--theme", "--buffer", "--lag-interval"} {
		r := kflow(t, "", nil, flag, "3", "version")
		if r.code != exitUsage || !strings.Contains(r.stderr, "version: unknown flag "+flag) {
			t.Errorf("kflow %s 3 version = %+v, want version's unknown flag %s", flag, r, flag)
		}
	}
}
