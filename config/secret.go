package config

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// SecretCommandTimeout bounds a secret's command (a password manager may
// wait for an unlock prompt), so that a stuck command fails the connection
// instead of hanging it.
const SecretCommandTimeout = 30 * time.Second

// Secret is a credential taken from an environment variable or the output
// of a command, never printed: secrets never live in kflow's config file.
// Contexts imported from kaf's config, which stores passwords in plain
// text, carry the value itself in an unexported field.
type Secret struct {
	// Env names the environment variable holding the secret.
	Env string `yaml:"env" json:"-"`
	// Command is run with sh -c; its standard output, less the trailing
	// newline, is the secret.
	Command string `yaml:"command" json:"-"`

	// literal is the value of a secret imported from kaf's config. It is a
	// pointer so that reflection-based printers show an address, not it.
	literal *string
}

// literalSecret holds a value read from another tool's config file (kaf
// keeps passwords in plain text). kflow's own file cannot express one.
func literalSecret(v string) Secret { return Secret{literal: &v} }

// IsZero reports whether the secret says nowhere to take a value from.
func (s Secret) IsZero() bool { return s.Env == "" && s.Command == "" && s.literal == nil }

// String says where the secret comes from ("env:PROD_KAFKA_PASSWORD",
// "command:pass show kafka/prod", "kaf-config"), never its value.
func (s Secret) String() string {
	switch {
	case s.literal != nil:
		return "kaf-config"
	case s.Env != "" && s.Command != "":
		return "env:" + s.Env + "+command:" + s.Command
	case s.Env != "":
		return "env:" + s.Env
	case s.Command != "":
		return "command:" + s.Command
	}
	return "none"
}

// GoString is String for %#v, which would otherwise print the fields.
func (s Secret) GoString() string { return "config.Secret(" + s.String() + ")" }

// Format prints String for every verb (GoString for %#v), so that no
// verb such as %d or %x falls back to printing the fields.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, s.GoString())
		return
	}
	_, _ = io.WriteString(f, s.String())
}

// MarshalJSON shows where the secret comes from, as a string.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalYAML writes the secret back as the file spells it ({env: ...} or
// {command: ...}); an imported kaf value is written as a marker, not itself.
func (s Secret) MarshalYAML() (any, error) {
	switch {
	case s.literal != nil:
		return "kaf-config", nil
	case s.Env != "":
		return map[string]string{"env": s.Env}, nil
	case s.Command != "":
		return map[string]string{"command": s.Command}, nil
	}
	return nil, nil
}

// Resolve returns the secret's value: the environment variable's, or the
// command's standard output (run under ctx and SecretCommandTimeout). Its
// errors name the variable or command and never contain the value.
func (s Secret) Resolve(ctx context.Context) (string, error) {
	switch {
	case s.literal != nil:
		return *s.literal, nil
	case s.Env != "" && s.Command != "":
		return "", fmt.Errorf("secret gives both env %s and command %q: give one", s.Env, s.Command)
	case s.Env != "":
		v, ok := os.LookupEnv(s.Env)
		if !ok {
			return "", fmt.Errorf("secret: environment variable %s is not set", s.Env)
		}
		if v == "" {
			return "", fmt.Errorf("secret: environment variable %s is empty", s.Env)
		}
		return v, nil
	case s.Command != "":
		return runSecretCommand(ctx, s.Command)
	}
	return "", errors.New("secret: none given (set env or command)")
}

// runSecretCommand runs command with sh -c and returns its output less the
// trailing newline. Its errors say how the command ended (exit status,
// timeout) and never carry what it printed, on either stream: a command
// that fails may have printed the secret before failing.
func runSecretCommand(ctx context.Context, command string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, SecretCommandTimeout)
	defer cancel()
	var stdout bytes.Buffer
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Stdout = &stdout
	cmd.Stderr = nil // discarded: it may hold the secret
	// A child left holding the pipes must not keep us waiting after a kill.
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return "", fmt.Errorf("secret command %q failed: %w (its output is not shown, since it may hold the secret: run the command yourself to see why)", command, err)
	}
	v := strings.TrimSuffix(stdout.String(), "\n")
	v = strings.TrimSuffix(v, "\r")
	if v == "" {
		return "", fmt.Errorf("secret command %q printed nothing", command)
	}
	return v, nil
}
