package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// complete runs kflow __complete in-process and returns its candidates.
func complete(t *testing.T, environ map[string]string, words ...string) []string {
	t.Helper()
	r := kflow(t, "", environ, append([]string{completeCommand}, words...)...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("kflow __complete %q: exit %d, stderr %q", words, r.code, r.stderr)
	}
	return strings.Fields(r.stdout)
}

// TestCompletionScriptsAreValid: each shell's script parses in that shell.
func TestCompletionScriptsAreValid(t *testing.T) {
	isolateConfig(t)
	for shell, check := range map[string][]string{"bash": {"-n"}, "zsh": {"-n"}, "fish": {"--no-execute"}} {
		t.Run(shell, func(t *testing.T) {
			sh := needTool(t, shell)
			r := kflow(t, "", nil, "completion", shell)
			if r.code != 0 || !strings.Contains(r.stdout, "__complete") {
				t.Fatalf("kflow completion %s = %+v", shell, r)
			}
			f := filepath.Join(t.TempDir(), "kflow."+shell)
			if err := os.WriteFile(f, []byte(r.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(sh, append(check, f)...).CombinedOutput(); err != nil {
				t.Errorf("%s %v: %v\n%s\n%s", shell, check, err, out, r.stdout)
			}
		})
	}
	if r := kflow(t, "", nil, "completion", "tcsh"); r.code != exitUsage || !strings.Contains(r.stderr, "tcsh") {
		t.Errorf("kflow completion tcsh = %+v, want exit 2 naming it", r)
	}
	if r := kflow(t, "", nil, "completion"); r.code != exitUsage {
		t.Errorf("kflow completion without a shell = %+v, want exit 2", r)
	}
}

// TestCompleteWords: commands, subcommands, flags and flag values, with
// no broker needed.
func TestCompleteWords(t *testing.T) {
	isolateConfig(t)
	noBroker := map[string]string{"KFLOW_BROKERS": "127.0.0.1:1"}
	for _, c := range []struct {
		words []string
		want  []string
	}{
		{[]string{"to"}, []string{"topics", "topic"}},
		{[]string{"-b", "h:1", "gro"}, []string{"groups", "group"}},
		{[]string{"topic", ""}, []string{"describe", "configs", "create", "add-partitions", "delete", "set-config", "reset-config", "truncate", "elect-leaders", "reassign"}},
		{[]string{"broker", ""}, []string{"configs", "set-config", "reset-config"}},
		{[]string{"group", "r"}, []string{"reset"}},
		{[]string{"acl", ""}, []string{"list", "create", "delete"}},
		{[]string{"user", ""}, []string{"list", "set", "delete"}},
		{[]string{"acl", "create", "--operation", "Describe"}, []string{"Describe", "DescribeConfigs", "DescribeTokens"}},
		{[]string{"acl", "list", "--resource-pattern-type", ""}, []string{"literal", "prefixed", "match", "any"}},
		{[]string{"user", "set", "alice", "--mechanism", ""}, []string{"SCRAM-SHA-256", "SCRAM-SHA-512"}},
		{[]string{"tail", "--f"}, []string{"--from"}},
		{[]string{"tail", "-t", "x", "--from", ""}, []string{"beginning", "end"}},
		{[]string{"produce", "--ra"}, []string{"--rate"}},
		{[]string{"group", "reset", "g", "--to", "e"}, []string{"earliest"}},
		{[]string{"lag", "--fail-on", "S"}, []string{"STALL", "STOP"}},
		{[]string{"help", "gr"}, []string{"groups", "group"}},
		{[]string{"help", "topic", "d"}, []string{"describe", "delete"}},
		{[]string{"completion", ""}, []string{"bash", "fish", "zsh"}},
		{[]string{"--th"}, []string{"--theme"}},
		{[]string{"--theme", "l"}, []string{"light"}},
		{[]string{"topic", "create", ""}, nil}, // a new name: nothing to offer
		{[]string{"tail", "--from=b"}, []string{"--from=beginning"}},
		{[]string{"tail", "--from", "=", "b"}, []string{"beginning"}}, // as bash splits it
		{[]string{"tail", "--from", "="}, []string{"beginning", "end"}},
		{[]string{"group", "--to", "=", "latest", ""}, []string{"describe", "reset", "delete"}},
	} {
		if got := complete(t, noBroker, c.words...); !slices.Equal(got, c.want) {
			t.Errorf("complete %q = %q, want %q", c.words, got, c.want)
		}
	}
	all := complete(t, noBroker, "")
	for _, c := range commands() {
		if !slices.Contains(all, c.name) {
			t.Errorf("complete \"\" lacks %s: %q", c.name, all)
		}
	}
	if slices.Contains(all, completeCommand) {
		t.Errorf("the hidden %s is offered: %q", completeCommand, all)
	}
}

// TestCompleteClusterNames: topic and group names come from the cluster
// the line (or KFLOW_BROKERS) names, on kfake and on the real broker.
func TestCompleteClusterNames(t *testing.T) {
	for _, b := range []struct {
		name    string
		brokers func(*testing.T) string
	}{{"kfake", demoBrokers}, {"kafka", realBrokers}} {
		t.Run(b.name, func(t *testing.T) {
			isolateConfig(t)
			addr := b.brokers(t)
			env := map[string]string{"KFLOW_BROKERS": addr}
			topic, group := "order_events", "inventory"
			if b.name == "kafka" {
				topic = uniqueName(t)
				if r := kflow(t, "", env, "topic", "create", topic, "-p", "1"); r.code != 0 {
					t.Fatalf("create topic: %+v", r)
				}
				t.Cleanup(func() { kflow(t, "", env, "topic", "delete", topic, "--confirm", topic) })
				if r := kflow(t, "", env, "produce", "-t", topic, "v"); r.code != 0 {
					t.Fatalf("produce: %+v", r)
				}
				group = topic + "-g"
				if r := kflow(t, "", env, "group", "reset", group, "--to", "earliest", "--topic", topic, "--execute", "--confirm", group); r.code != 0 {
					t.Fatalf("commit offsets of a group: %+v", r)
				}
				t.Cleanup(func() { kflow(t, "", env, "group", "delete", group, "--confirm", group) })
			}
			prefix := topic[:len(topic)-3]
			for _, words := range [][]string{
				{"tail", "-t", prefix},
				{"tail", prefix},
				{"produce", "--topic", prefix},
				{"topic", "describe", prefix},
				{"-b", addr, "topic", "delete", prefix},
			} {
				e := env
				if words[0] == "-b" {
					e = map[string]string{"KFLOW_BROKERS": "127.0.0.1:1"} // the line's -b wins
				}
				if got := complete(t, e, words...); !slices.Contains(got, topic) {
					t.Errorf("complete %q = %q, want %s among them", words, got, topic)
				}
			}
			gprefix := group[:len(group)-2]
			for _, words := range [][]string{
				{"group", "describe", gprefix},
				{"lag", "--group", gprefix},
				{"lag", gprefix},
			} {
				if got := complete(t, env, words...); !slices.Contains(got, group) {
					t.Errorf("complete %q = %q, want %s among them", words, got, group)
				}
			}
		})
	}
}

// TestCompleteUnreachableIsQuick: with a broker that never answers, or
// none at all, completion offers nothing and returns within about a
// second, so the shell never hangs.
func TestCompleteUnreachableIsQuick(t *testing.T) {
	isolateConfig(t)
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = silent.Close() })
	go func() {
		var held []net.Conn // open, never answered
		for {
			c, err := silent.Accept()
			if err != nil {
				for _, c := range held {
					_ = c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()
	for _, addr := range []string{silent.Addr().String(), "127.0.0.1:1"} {
		start := time.Now()
		got := complete(t, nil, "-b", addr, "tail", "-t", "")
		if d := time.Since(start); d > completeTimeout+500*time.Millisecond {
			t.Errorf("complete against %s took %v", addr, d)
		}
		if len(got) != 0 {
			t.Errorf("complete against %s = %q, want nothing", addr, got)
		}
	}
}

// TestShellCompletes: the bash script, sourced in bash, completes a
// command and a topic name from kfake through the built binary; so do
// the zsh and fish scripts in their shells.
func TestShellCompletes(t *testing.T) {
	isolateConfig(t)
	bin := kflowBinary(t)
	addr := demoBrokers(t)
	environ := append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "KFLOW_BROKERS="+addr)
	t.Run("bash", func(t *testing.T) {
		bash := needTool(t, "bash")
		script := `source <(kflow completion bash)
complete -p kflow
COMP_WORDS=(kflow to); COMP_CWORD=1; _kflow; echo "commands: ${COMPREPLY[*]}"
COMP_WORDS=(kflow tail -t order_ev); COMP_CWORD=3; _kflow; echo "topics: ${COMPREPLY[*]}"
COMP_WORDS=(kflow group describe inv); COMP_CWORD=3; _kflow; echo "groups: ${COMPREPLY[*]}"
COMP_WORDS=(kflow tail --topic = order_events.D); COMP_CWORD=4; _kflow; echo "topic=: ${COMPREPLY[*]}"
COMP_WORDS=(kflow tail --from =); COMP_CWORD=3; _kflow; echo "from=: ${COMPREPLY[*]}"
`
		cmd := exec.Command(bash, "-c", script)
		cmd.Env = environ
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		for _, want := range []string{"complete -o default -F _kflow kflow", "commands: topics topic\n",
			"topics: order_events order_events.DLQ order_events.avro\n", "groups: inventory\n", "topic=: order_events.DLQ\n", "from=: beginning end\n"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("bash completion: want %q in\n%s", want, out)
			}
		}
	})
	t.Run("zsh", func(t *testing.T) {
		zsh := needTool(t, "zsh")
		// Outside an interactive completion, compdef and compadd are
		// stand-ins: compadd prints what it is given.
		script := `compdef() { :; }
compadd() { shift; print -l -- "$@"; }
source <(kflow completion zsh)
words=(kflow to); CURRENT=2; _kflow
words=(kflow tail -t order_ev); CURRENT=4; _kflow
`
		cmd := exec.Command(zsh, "-f", "-c", script)
		cmd.Env = environ
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("zsh: %v\n%s", err, out)
		}
		if want := "topics\ntopic\norder_events\norder_events.DLQ\norder_events.avro\n"; string(out) != want {
			t.Errorf("zsh completion = %q, want %q", out, want)
		}
	})
	t.Run("fish", func(t *testing.T) {
		fish := needTool(t, "fish")
		cmd := exec.Command(fish, "--no-config", "-c", `kflow completion fish | source; complete -C "kflow to"; complete -C "kflow tail -t order_ev"`)
		cmd.Env = environ
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		for _, want := range []string{"topics\n", "topic\n", "order_events\n", "order_events.DLQ\n"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("fish completion: want %q in\n%s", want, out)
			}
		}
	})
}
