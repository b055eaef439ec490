// Command kflow observes and drives the event flow of an Apache Kafka
// cluster: a terminal UI when run without a subcommand, and headless
// commands (topics, produce, tail, lag, groups, acl, user, schema, wordcount, demo) that print
// plain text or --json and compose in shell pipelines.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

// Exit codes, as scripts rely on them.
const (
	exitOK      = 0
	exitRuntime = 1
	exitUsage   = 2
)

// usageError marks a mistake in how kflow was called (exit code 2); hint,
// when set, is the help command that explains it.
type usageError struct{ msg, hint string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// env is what a command runs with: its streams and environment, so tests
// can run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"topics", "[--all] [--unhealthy] [--fail-on MARK]", "list topics with partitions, replication, record counts and health", runTopics},
		{"topic", "describe [--fail-on MARK]|configs|create|delete|add-partitions|set-config K=V...|reset-config K...|truncate --before OFFSET|@TIME|end|elect-leaders|reassign NAME", "one topic: partitions, configs, create, delete, grow, change configs, delete records, elect leaders, move replicas", runTopic},
		{"brokers", "", "cluster id, controller and brokers with state, leaders and replicas", runBrokers},
		{"broker", "configs|set-config K=V...|reset-config K... ID|--default", "one broker's configs (or the cluster-wide default's), and changing the dynamic ones", runBroker},
		{"produce", "-t TOPIC [-k KEY] [-H k=v]... [-p N] [-K DELIM] [--template NAME] [--count N] [--rate R] [--literal] [--value-file F] [--max-line-bytes N] [--from-jsonl F] [VALUE]", "produce VALUE (placeholders such as {{uuid}} expanded), a file's bytes, or one record per stdin line", runProduce},
		{"tail", "-t TOPIC [--from beginning|end|N|-N|@TIME] [--exit] [--json]", "print records as they arrive", runTail},
		{"lag", "[--group G] [--samples N] [--interval D] [--watch] [--fail-on STATUS] [--json]", "consumer group lag and status (OK, WARN, STALL, ...), per group or per partition", runLag},
		{"flow", "[--samples N] [--interval D] [--json|--dot]", "the flow map: topics, groups, who reads and writes what, DLQs, with rates, lags and statuses", runFlow},
		{"dlq", "summary|redrive DLQ_TOPIC [--filter F] [--reason R] [--record P/O]... [--to TOPIC] [--max-retries N] [--dry-run|--execute --confirm DLQ_TOPIC]", "a dead-letter topic: its records by error reason, and a redrive back to their source topics (a plan first, exactly once)", runDLQ},
		{"trace", "ID [--topics a,b] [--since 1h | --from T --to T] [--key] [--json]", "find every record carrying a correlation id (or a key) across topics, and which groups consumed it", runTrace},
		{"search", "-t TOPIC --filter EXPR [--since D | --from T] [--to T] [--json]", "search a whole topic's time range with the tail's filter", runSearch},
		{"groups", "", "list consumer groups", runGroups},
		{"group", "describe|reset|delete G", "one group: members, offset reset (dry run first), delete", runGroup},
		{"acl", "list|create|delete [--allow-principal P] [--operation OP]... [--topic T|--group G|--cluster|--transactional-id X] [--dry-run|--confirm NAME|--force]", "the cluster's ACLs: list with filters, create, delete (the matches previewed first)", runACL},
		{"user", "list|set NAME --mechanism M [--password-env VAR|--password-stdin]|delete NAME --mechanism M", "SCRAM users: list their mechanisms, set a password (never echoed), delete", runUser},
		{"schema", "subjects|versions|get|get-id|diff|check|register|delete [SUBJECT[:VERSION]] ...", "Schema Registry subjects and versions: list, show, diff with a compatibility verdict, check, register, delete", runSchema},
		{"wordcount", "[--app ID] [--input T] [--output T] [--create-input] [--updates]", "run the streaming word count (Kafka Streams' WordCount)", runWordCount},
		{"demo", "[--listen 127.0.0.1:9092]", "run the embedded demo cluster until Ctrl-C", runDemo},
		{"version", "", "print kflow's version", runVersion},
		{"completion", "bash|zsh|fish", "print a shell completion script", runCompletion},
	}
}

// run dispatches the arguments and maps errors to exit codes.
func run(ctx context.Context, args []string, e env) int {
	err := dispatch(ctx, args, e)
	var ue *usageError
	var he *helpError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &he):
		return writeHelp(e.stdout, he)
	case errors.As(err, &ue):
		hint := ue.hint
		if hint == "" {
			hint = "kflow help"
		}
		fmt.Fprintf(e.stderr, "kflow: %v\nRun '%s' for usage.\n", err, hint)
		return exitUsage
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return exitOK // Ctrl-C is how long-running commands end
	case isThreshold(err):
		fmt.Fprintf(e.stderr, "kflow: %v\n", err)
		return exitThreshold
	default:
		fmt.Fprintf(e.stderr, "kflow: %v\n", err)
		return exitRuntime
	}
}

func dispatch(ctx context.Context, args []string, e env) error {
	if len(args) > 0 {
		switch args[0] {
		case "help":
			return runHelp(args[1:], func(a []string) error { return dispatch(ctx, a, e) })
		case completeCommand:
			return runComplete(ctx, e, args[1:])
		case "--version", "-version":
			return runVersion(ctx, e, nil)
		}
	}
	// The command is the first word that is not a flag or a flag's value,
	// so connection flags may come before it: kflow -b host:9092 topics.
	// Which flags take a value, the UI's flag set says.
	ui := flagSetOf(ctx, "kflow")
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") {
			if takesValueIn(ui, a) {
				i++
			}
			continue
		}
		for _, c := range commands() {
			if a == c.name {
				return c.run(ctx, e, append(slices.Clone(args[:i]), args[i+1:]...))
			}
		}
		return usagef("unknown command %q", a)
	}
	return runUI(ctx, e, args)
}
