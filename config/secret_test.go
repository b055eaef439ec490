package config

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestSecretFromEnv(t *testing.T) {
	ctx := context.Background()
	t.Setenv("KFLOW_TEST_SECRET", "s3cret")
	if v, err := (Secret{Env: "KFLOW_TEST_SECRET"}).Resolve(ctx); err != nil || v != "s3cret" {
		t.Errorf("Resolve = %q, %v; want s3cret", v, err)
	}

	t.Setenv("KFLOW_TEST_EMPTY", "")
	_, err := (Secret{Env: "KFLOW_TEST_EMPTY"}).Resolve(ctx)
	if err == nil || !strings.Contains(err.Error(), "environment variable KFLOW_TEST_EMPTY is empty") {
		t.Errorf("empty variable: %v", err)
	}
	_, err = (Secret{Env: "KFLOW_TEST_UNSET_VARIABLE"}).Resolve(ctx)
	if err == nil || !strings.Contains(err.Error(), "environment variable KFLOW_TEST_UNSET_VARIABLE is not set") {
		t.Errorf("unset variable: %v", err)
	}
	if _, err := (Secret{}).Resolve(ctx); err == nil {
		t.Error("a zero Secret resolved")
	}
}

func TestSecretFromCommand(t *testing.T) {
	ctx := context.Background()
	for cmd, want := range map[string]string{
		`printf 'hunter2\n'`:           "hunter2",
		`printf 'no-newline'`:          "no-newline",
		`printf ' spaced \r\n'`:        " spaced ", // only the line ending is trimmed
		`printf 'two\nlines\n'`:        "two\nlines",
		`echo "$KFLOW_TEST_VIA_SHELL"`: "from-shell",
	} {
		t.Setenv("KFLOW_TEST_VIA_SHELL", "from-shell")
		if v, err := (Secret{Command: cmd}).Resolve(ctx); err != nil || v != want {
			t.Errorf("command %q: %q, %v; want %q", cmd, v, err, want)
		}
	}

	// A command that prints the secret, on either stream, and then fails:
	// the error says how it ended, never what it printed.
	// (The value comes from the environment so that the command's own
	// text, which errors name, does not hold it.)
	t.Setenv("KFLOW_TEST_LEAK", "hunter2-on-stderr")
	_, err := (Secret{Command: `printf 'leak%s\n' ed-stdout; echo "$KFLOW_TEST_LEAK" >&2; exit 3`}).Resolve(ctx)
	if err == nil {
		t.Fatal("a failing command resolved")
	}
	for _, want := range []string{"exit status 3", "secret command", "output is not shown"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("failing command error %q lacks %q", err, want)
		}
	}
	for _, leak := range []string{"leaked-stdout", "hunter2-on-stderr"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("failing command error shows its output %q: %q", leak, err)
		}
	}

	if _, err := (Secret{Command: `true`}).Resolve(ctx); err == nil || !strings.Contains(err.Error(), "printed nothing") {
		t.Errorf("silent command: %v", err)
	}

	// The context bounds the command.
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = (Secret{Command: `sleep 30`}).Resolve(short)
	if err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Errorf("slow command: %v; want a deadline error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("slow command took %v to be stopped", d)
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	const value = "hunter2-do-not-print"
	lit := literalSecret(value)
	sasl := SASL{Mechanism: "PLAIN", Username: "u", Password: lit, Token: Secret{Env: "PROD_KAFKA_PASSWORD"}}
	conn := Context{Brokers: []string{"h:1"}, SASL: &sasl}

	if got := fmt.Sprint(Secret{Env: "PROD_KAFKA_PASSWORD"}); got != "env:PROD_KAFKA_PASSWORD" {
		t.Errorf("env secret prints as %q", got)
	}
	if got := fmt.Sprint(Secret{Command: "pass show kafka/prod"}); got != "command:pass show kafka/prod" {
		t.Errorf("command secret prints as %q", got)
	}

	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		for _, x := range []any{lit, &lit, sasl, &sasl, conn, &conn} {
			outs = append(outs, verb+" "+fmt.Sprintf(verb, x))
		}
	}
	js, err := json.Marshal(conn)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, "json "+string(js))
	ys, err := yaml.Marshal(sasl)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, "yaml "+string(ys))
	for _, o := range outs {
		if strings.Contains(o, value) || strings.Contains(strings.ToLower(o), hex.EncodeToString([]byte(value))) {
			t.Errorf("secret value printed: %s", o)
		}
	}
	if !strings.Contains(string(js), `"password":"kaf-config"`) || !strings.Contains(string(js), `"token":"env:PROD_KAFKA_PASSWORD"`) {
		t.Errorf("json shows no source of the secrets: %s", js)
	}
	if s := fmt.Sprintf("%+v", sasl); !strings.Contains(s, "Token:env:PROD_KAFKA_PASSWORD") {
		t.Errorf("%%+v hides where the secret comes from: %s", s)
	}
}
