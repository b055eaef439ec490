package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/term"

	"kflow/config"
	"kflow/kafka"
	"kflow/text"
)

func runUser(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("user", e, &g)
	mech := fs.String("mechanism", "", "set/delete: the SCRAM `mechanism`, SCRAM-SHA-256 or SCRAM-SHA-512")
	iterations := fs.Int("iterations", 0, fmt.Sprintf("set: the SCRAM iteration `count`, %d to %d (default %d, as Kafka's)", kafka.DefaultSCRAMIterations, kafka.MaxSCRAMIterations, kafka.DefaultSCRAMIterations))
	pwEnv := fs.String("password-env", "", "set: read the password from this environment `variable`")
	pwCmd := fs.String("password-command", "", "set: run this `command` (sh -c) and take the password from its output, less the trailing newline")
	pwStdin := fs.Bool("password-stdin", false, "set: read the password from the first line of standard input (without these, a terminal prompts, never echoing it)")
	confirm := fs.String("confirm", "", "delete: the user's `name` again, to delete without a prompt")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("user takes an action: list, set NAME or delete NAME")
	}
	action := pos[0]
	var name, mechanism string
	switch action {
	case "list":
		if err := wantArgs("user list", pos[1:], 0, "no arguments"); err != nil {
			return err
		}
	case "set", "delete":
		if err := wantArgs("user "+action, pos[1:], 1, "a user name"); err != nil {
			return err
		}
		name = pos[1]
		if *mech == "" {
			return usagef("user %s needs --mechanism SCRAM-SHA-256 or SCRAM-SHA-512", action)
		}
		if mechanism, err = kafka.NormalizeSCRAMMechanism(*mech); err != nil {
			return usagef("--mechanism: %v", err)
		}
	default:
		return usagef("user: unknown action %q (list, set, delete)", action)
	}
	var password string
	if action == "set" {
		if *iterations != 0 && (*iterations < kafka.DefaultSCRAMIterations || *iterations > kafka.MaxSCRAMIterations) {
			return usagef("--iterations %d: Kafka takes %d to %d", *iterations, kafka.DefaultSCRAMIterations, kafka.MaxSCRAMIterations)
		}
		if g.readOnly {
			return fmt.Errorf("set SCRAM user %s: %w; nothing was written", name, kafka.ErrReadOnly)
		}
		if password, err = readPassword(ctx, e, name, *pwEnv, *pwCmd, *pwStdin); err != nil {
			return err
		}
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	switch action {
	case "list":
		users, err := c.ListSCRAMUsers(ctx)
		return printAs(g.json, e.stdout, users, err, printSCRAMUsers)
	case "set":
		if err := c.SetSCRAMUser(ctx, name, mechanism, int32(*iterations), password); err != nil {
			return err
		}
		its := *iterations
		if its == 0 {
			its = kafka.DefaultSCRAMIterations
		}
		fmt.Fprintf(e.stderr, "set the %s password of user %s (%d iterations)\n", mechanism, name, its)
		return nil
	}
	if c.ReadOnly() {
		return fmt.Errorf("delete SCRAM user %s: %w; nothing was deleted", name, kafka.ErrReadOnly)
	}
	if err := confirmName(e, "delete the "+mechanism+" credential of user", name, *confirm,
		"User "+name+" can no longer authenticate with "+mechanism+"."); err != nil {
		return err
	}
	if err := c.DeleteSCRAMUser(ctx, name, mechanism); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "deleted the %s credential of user %s\n", mechanism, name)
	return nil
}

// readPassword takes the password from exactly one source: an
// environment variable, a command's output, standard input's first line,
// or a prompt on the terminal that never echoes it (asked twice).
func readPassword(ctx context.Context, e env, user, envVar, command string, stdin bool) (string, error) {
	n := 0
	for _, given := range []bool{envVar != "", command != "", stdin} {
		if given {
			n++
		}
	}
	if n > 1 {
		return "", usagef("user set: give one of --password-env, --password-command and --password-stdin")
	}
	var pw string
	switch {
	case envVar != "":
		pw = e.getenv(envVar)
		if pw == "" {
			return "", fmt.Errorf("user set: --password-env %s: the variable is empty or not set", envVar)
		}
	case command != "":
		v, err := config.Secret{Command: command}.Resolve(ctx)
		if err != nil {
			return "", fmt.Errorf("user set: --password-command: %w", err)
		}
		pw = v
	case stdin:
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("user set: read the password from standard input: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
	default:
		f, ok := e.stdin.(*os.File)
		if !ok || !term.IsTerminal(f.Fd()) {
			return "", usagef("user set %s: give --password-env VAR, --password-command CMD or --password-stdin (no terminal to prompt on)", user)
		}
		fmt.Fprintf(e.stderr, "Password for %s: ", user)
		first, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("user set: read the password: %w", err)
		}
		fmt.Fprintf(e.stderr, "Again: ")
		again, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("user set: read the password: %w", err)
		}
		if string(first) != string(again) {
			return "", errors.New("user set: the passwords typed differ; nothing was written")
		}
		pw = string(first)
	}
	if pw == "" {
		return "", errors.New("user set: the password is empty; nothing was written")
	}
	return pw, nil
}

// printSCRAMUsers is the plain user list: a user a line with its
// mechanisms and iteration counts.
func printSCRAMUsers(w io.Writer, users []kafka.SCRAMUser) error {
	return table(w, "USER\tMECHANISMS\tITERATIONS", func(tw io.Writer) {
		for _, u := range users {
			its := make([]string, len(u.Credentials))
			for i, cr := range u.Credentials {
				its[i] = strconv.Itoa(int(cr.Iterations))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", text.SanitizeString(u.Name), dash(u.Mechanisms()), dash(strings.Join(its, ",")))
		}
	})
}
