package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"kflow/config"
	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/lag"
)

// completeCommand is the hidden command the completion scripts call:
// kflow __complete WORD... CURRENT prints the candidates for CURRENT, one
// a line. The logic lives here, once, and the scripts stay thin.
const completeCommand = "__complete"

// completeTimeout bounds a completion's look-up of topic or group names:
// a shell must not hang on an unreachable broker.
const completeTimeout = time.Second

// runCompletion prints the completion script for a shell.
func runCompletion(_ context.Context, e env, args []string) error {
	var g globals
	pos, err := parse(newFlags("completion", e, &g), args)
	if err != nil {
		return err
	}
	if err := wantArgs("completion", pos, 1, "a shell: bash, zsh or fish"); err != nil {
		return err
	}
	script, ok := completionScripts[pos[0]]
	if !ok {
		return usagef("completion: %q is not a shell kflow completes (bash, zsh or fish)", pos[0])
	}
	_, err = io.WriteString(e.stdout, script)
	return err
}

// runComplete prints the candidates for the last word, given the words
// before it (without "kflow"). It never fails: no candidates is the
// answer to anything it cannot complete.
func runComplete(ctx context.Context, e env, words []string) error {
	if len(words) == 0 {
		words = []string{""}
	}
	cur, prev := words[len(words)-1], words[:len(words)-1]
	// bash splits --flag=value at "=": the word being completed is "="
	// right after it, and the value after that.
	if cur == "=" && len(prev) > 0 && strings.HasPrefix(prev[len(prev)-1], "-") {
		prev, cur = append(slices.Clone(prev), "="), ""
	}
	for _, c := range completions(ctx, e, prev, cur) {
		if strings.HasPrefix(c, cur) {
			fmt.Fprintln(e.stdout, c)
		}
	}
	return nil
}

// completions are the candidates for cur after the words prev.
func completions(ctx context.Context, e env, prev []string, cur string) []string {
	// The command is the first word that is not a flag or a flag's value.
	ui := flagSetOf(ctx, "kflow")
	cmd, rest := "", prev
	for i := 0; i < len(prev); i++ {
		a := prev[i]
		if strings.HasPrefix(a, "-") {
			if takesValueIn(ui, a) {
				i++
			}
			continue
		}
		cmd, rest = a, prev[i+1:]
		break
	}
	fs := ui
	if cmd != "" {
		fs = flagSetOf(ctx, cmd)
	}
	var pos []string
	for i := 0; i < len(rest); i++ {
		switch {
		case takesValueIn(fs, rest[i]):
			i++
			if i < len(rest) && rest[i] == "=" { // bash's --flag = value
				i++
			}
		case !strings.HasPrefix(rest[i], "-"):
			pos = append(pos, rest[i])
		}
	}
	if n := len(prev); n > 0 && takesValueIn(fs, prev[n-1]) {
		return flagValues(ctx, e, prev, strings.TrimLeft(prev[n-1], "-"))
	}
	if n := len(prev); n > 1 && prev[n-1] == "=" && takesValueIn(fs, prev[n-2]) {
		return flagValues(ctx, e, prev, strings.TrimLeft(prev[n-2], "-"))
	}
	if name, _, ok := strings.Cut(cur, "="); ok && takesValueIn(fs, name) {
		var out []string // zsh and fish keep --flag=value one word
		for _, v := range flagValues(ctx, e, prev, strings.TrimLeft(name, "-")) {
			out = append(out, name+"="+v)
		}
		return out
	}
	if strings.HasPrefix(cur, "-") {
		var out []string
		fs.VisitAll(func(f *flag.Flag) { out = append(out, dashed(f.Name)) })
		return out
	}
	subs := func(name string) []string {
		var out []string
		for _, s := range docs()[name].subs {
			out = append(out, s.name)
		}
		return out
	}
	switch {
	case cmd == "":
		return commandNames()
	case cmd == "help" && len(pos) == 0:
		return commandNames()
	case cmd == "help" && len(pos) == 1:
		return subs(pos[0])
	case cmd == "completion" && len(pos) == 0:
		return slices.Sorted(func(yield func(string) bool) {
			for k := range completionScripts {
				if !yield(k) {
					return
				}
			}
		})
	case (cmd == "topic" || cmd == "group" || cmd == "schema" || cmd == "dlq" || cmd == "broker" || cmd == "acl" || cmd == "user") && len(pos) == 0:
		return subs(cmd)
	case cmd == "topic" && len(pos) == 1 && pos[0] != "create":
		return clusterNames(ctx, e, prev, "topics")
	case cmd == "group" && len(pos) == 1:
		return clusterNames(ctx, e, prev, "groups")
	case cmd == "schema" && len(pos) == 1 && pos[0] != "subjects" && pos[0] != "get-id":
		return registrySubjects(ctx, e, prev)
	case cmd == "tail" && len(pos) == 0, cmd == "dlq" && len(pos) == 1:
		return clusterNames(ctx, e, prev, "topics")
	case cmd == "lag":
		return clusterNames(ctx, e, prev, "groups")
	}
	return nil
}

// commandNames are the commands a user types, and help.
func commandNames() []string {
	out := []string{"help"}
	for _, c := range commands() {
		out = append(out, c.name)
	}
	return out
}

// flagValues are the candidates for a flag's value.
func flagValues(ctx context.Context, e env, prev []string, flagName string) []string {
	switch flagName {
	case "t", "topic", "input", "output":
		return clusterNames(ctx, e, prev, "topics")
	case "g", "group":
		return clusterNames(ctx, e, prev, "groups")
	case "from":
		return []string{"beginning", "end"}
	case "operation":
		return kafka.ACLOperations()
	case "resource-pattern-type":
		return []string{"literal", "prefixed", "match", "any"}
	case "mechanism":
		return []string{"SCRAM-SHA-256", "SCRAM-SHA-512"}
	case "to":
		if slices.Contains(prev, "dlq") { // a redrive's target topic
			return clusterNames(ctx, e, prev, "topics")
		}
		return []string{"earliest", "latest", "offset:", "shift:", "time:"}
	case "fail-on":
		var out []string
		for _, s := range lag.FailStatuses {
			out = append(out, s.Word())
		}
		return out
	case "key-schema", "value-schema":
		return registrySubjects(ctx, e, prev)
	case "type":
		return []string{string(schema.Avro), string(schema.Protobuf), string(schema.JSONSchema)}
	case "theme":
		return []string{"dark", "light", "high-contrast"}
	case "context":
		g := connFlags(prev)
		f, err := config.Load(g.config)
		if err != nil {
			return nil
		}
		return f.Names()
	}
	return nil
}

// connFlags reads the connection flags among the words, leniently: the
// line is being typed, so anything else is skipped.
func connFlags(words []string) globals {
	var g globals
	fs := newFlags("", env{}, &g)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") {
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if fs.Lookup(name) == nil {
			continue
		}
		if !hasVal && takesValueIn(fs, w) {
			if i+1 >= len(words) {
				break
			}
			i++
			val, hasVal = words[i], true
		}
		if hasVal {
			_ = fs.Set(name, val)
		} else {
			_ = fs.Set(name, "true")
		}
	}
	return g
}

// clusterNames lists the cluster's topic or group names, when a broker
// answers within completeTimeout; nothing otherwise.
func clusterNames(ctx context.Context, e env, words []string, what string) []string {
	ctx, cancel := context.WithTimeout(ctx, completeTimeout)
	defer cancel()
	g := connFlags(words)
	if g.timeout <= 0 || g.timeout > completeTimeout {
		g.timeout = completeTimeout
	}
	quiet := e
	quiet.stdout, quiet.stderr = io.Discard, io.Discard
	c, done, err := connect(ctx, &g, quiet)
	if err != nil {
		return nil
	}
	defer done()
	var out []string
	switch what {
	case "topics":
		ts, err := c.ListTopics(ctx)
		if err != nil {
			return nil
		}
		for _, t := range ts {
			if !t.Internal {
				out = append(out, t.Name)
			}
		}
	case "groups":
		gs, err := c.ListGroups(ctx)
		if err != nil {
			return nil
		}
		for _, g := range gs {
			out = append(out, g.ID)
		}
	}
	return out
}

// registrySubjects lists the registry's subject names, when one is
// configured and answers within completeTimeout; nothing otherwise.
func registrySubjects(ctx context.Context, e env, words []string) []string {
	ctx, cancel := context.WithTimeout(ctx, completeTimeout)
	defer cancel()
	g := connFlags(words)
	if g.timeout <= 0 || g.timeout > completeTimeout {
		g.timeout = completeTimeout
	}
	r, err := resolve(&g, e)
	if err != nil {
		return nil
	}
	reg, err := kafka.OpenRegistry(ctx, r.conn)
	if err != nil || reg == nil {
		return nil
	}
	names, err := reg.SubjectNames(ctx)
	if err != nil {
		return nil
	}
	return names
}
