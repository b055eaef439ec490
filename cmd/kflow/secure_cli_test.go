package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kflow/internal/securetest"
)

// secureConfig writes a config file with a context per secure listener and
// mechanism of the test broker, secrets from the environment and from
// commands, and returns its path. tokenURL is a token endpoint for the
// client-credentials context.
func secureConfig(t *testing.T, e securetest.Env, tokenURL string) string {
	t.Helper()
	yaml := fmt.Sprintf(`contexts:
  sasl-plain:
    brokers: [%[1]s]
    sasl: {mechanism: PLAIN, username: %[2]s, password: {env: KFLOW_TEST_CTX_PW}}
  sasl-scram256:
    brokers: [%[1]s]
    sasl: {mechanism: SCRAM-SHA-256, username: %[2]s, password: {command: "printf '%%s' \"$KFLOW_TEST_CTX_PW\""}}
  sasl-scram512:
    brokers: [%[1]s]
    sasl: {mechanism: SCRAM-SHA-512, username: %[2]s, password: {env: KFLOW_TEST_CTX_PW}}
  oauth-token:
    brokers: [%[1]s]
    sasl: {mechanism: OAUTHBEARER, token: {command: "echo \"$KFLOW_TEST_CTX_JWT\""}}
  oauth-client:
    brokers: [%[1]s]
    sasl:
      mechanism: OAUTHBEARER
      client_credentials: {token_url: "%[7]s", client_id: kflow-client, client_secret: {env: KFLOW_TEST_CTX_CLIENT_SECRET}, scope: kafka}
  tls:
    brokers: [%[3]s]
    tls: {ca_file: %[4]s}
  mtls:
    brokers: [%[5]s]
    tls: {ca_file: %[4]s, cert_file: %[8]s, key_file: %[9]s}
  sasl-ssl:
    brokers: [%[6]s]
    tls: {ca_file: %[4]s, server_name: localhost}
    sasl: {mechanism: SCRAM-SHA-512, username: %[2]s, password: {command: "printf '%%s\n' \"$KFLOW_TEST_CTX_PW\""}}
  bad-password:
    brokers: [%[1]s]
    timeout: 5s
    sasl: {mechanism: SCRAM-SHA-256, username: %[2]s, password: {env: KFLOW_TEST_CTX_WRONG_PW}}
  unknown-ca:
    brokers: [%[3]s]
    timeout: 5s
    tls: {}
  wrong-host:
    brokers: [%[3]s]
    timeout: 5s
    tls: {ca_file: %[4]s, server_name: kafka.example.com}
  expired:
    brokers: [%[10]s]
    timeout: 5s
    tls: {ca_file: %[4]s}
  mtls-no-cert:
    brokers: [%[5]s]
    timeout: 5s
    tls: {ca_file: %[4]s}
`, e.SASL, e.User, e.TLS, e.CA, e.MTLS, e.SASLSSL, tokenURL, e.ClientCert, e.ClientKey, e.TLSExpired)
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// secretWatch collects everything kflow printed in a test, to be searched
// for the secrets at the end.
type secretWatch struct {
	mu  sync.Mutex
	out []string
}

func (w *secretWatch) add(r result) result {
	w.mu.Lock()
	w.out = append(w.out, r.stdout, r.stderr)
	w.mu.Unlock()
	return r
}

// TestSecureContextsHeadless runs the headless commands through every
// secure listener of the real broker from config-file contexts (secrets
// from the environment and from commands, OAUTHBEARER with a static token
// and with client credentials), checks that each refusal says which
// listener and why, and that no secret shows in any output, --json, or
// file kflow wrote under HOME.
func TestSecureContextsHeadless(t *testing.T) {
	e := securetest.Get(t)
	te := securetest.NewTokenEndpoint(t, e.User, time.Hour)
	jwt := securetest.UnsecuredJWT(e.User, time.Now(), time.Now().Add(time.Hour), "")
	const wrong = "kflow-wrong-pw-c41d07"
	t.Setenv("KFLOW_TEST_CTX_PW", e.Password)
	t.Setenv("KFLOW_TEST_CTX_JWT", jwt)
	t.Setenv("KFLOW_TEST_CTX_CLIENT_SECRET", te.Secret)
	t.Setenv("KFLOW_TEST_CTX_WRONG_PW", wrong)
	home := t.TempDir()
	env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "xdg")}
	cfg := secureConfig(t, e, te.URL+"/token")
	var w secretWatch
	run := func(t *testing.T, ctxName, stdin string, args ...string) result {
		t.Helper()
		return w.add(kflow(t, stdin, env, append([]string{"--config", cfg, "--context", ctxName}, args...)...))
	}
	must := func(t *testing.T, ctxName, stdin string, args ...string) string {
		t.Helper()
		r := run(t, ctxName, stdin, args...)
		if r.code != 0 {
			t.Fatalf("kflow --context %s %s: exit %d\n%s%s", ctxName, strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
		return r.stdout
	}

	t.Run("listeners", func(t *testing.T) {
		// One of each listener runs every command; the other mechanisms
		// list and describe a topic.
		for _, name := range []string{"sasl-scram256", "tls", "mtls", "sasl-ssl"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				topic, group := uniqueName(t), uniqueName(t)+"-g"
				must(t, name, "", "topic", "create", topic, "-p", "2")
				t.Cleanup(func() { run(t, name, "", "topic", "delete", topic, "--confirm", topic) })
				must(t, name, "one\ntwo\n", "produce", "-t", topic)
				if out := must(t, name, "", "tail", "-t", topic, "--from", "beginning", "--exit", "--json"); strings.Count(out, `"topic"`) != 2 || !strings.Contains(out, `"one"`) {
					t.Errorf("tail --json read:\n%s", out)
				}
				if out := must(t, name, "", "topics"); !strings.Contains(out, topic) {
					t.Errorf("topics lacks %s:\n%s", topic, out)
				}
				if out := must(t, name, "", "topic", "describe", topic, "--json"); !strings.Contains(out, topic) {
					t.Errorf("topic describe:\n%s", out)
				}
				must(t, name, "", "group", "reset", group, "--to", "offset:0", "--topic", topic, "--execute", "--confirm", group)
				t.Cleanup(func() { run(t, name, "", "group", "delete", group, "--confirm", group) })
				if out := must(t, name, "", "groups"); !strings.Contains(out, group) {
					t.Errorf("groups lacks %s:\n%s", group, out)
				}
				if out := must(t, name, "", "lag", "--group", group, "--samples", "2", "--interval", "100ms", "--json"); !strings.Contains(out, `"total_lag":2`) {
					t.Errorf("lag --json of %s:\n%s", group, out)
				}
			})
		}
		for _, name := range []string{"sasl-plain", "sasl-scram512", "oauth-token", "oauth-client"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				must(t, name, "", "topics", "--json")
				must(t, name, "", "brokers")
			})
		}
	})
	// One token per command, however many connections it opens.
	if n := te.Calls.Load(); n != 2 {
		t.Errorf("the token endpoint was asked %d times for two commands, want 2", n)
	}

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			ctx, addr string
			want      []string
		}{
			{"bad-password", e.SASL, []string{"authentication failed (SASL SCRAM-SHA-256, user " + e.User + ")", "wrong username or password"}},
			{"unknown-ca", e.TLS, []string{"certificate signed by unknown authority", "set tls.ca_file"}},
			{"wrong-host", e.TLS, []string{"certificate is for localhost, 127.0.0.1, not kafka.example.com"}},
			{"expired", e.TLSExpired, []string{"certificate expired on 2020-01-02"}},
			{"mtls-no-cert", e.MTLS, []string{"without a client certificate", "tls.cert_file and tls.key_file"}},
		} {
			t.Run(tc.ctx, func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				r := run(t, tc.ctx, "", "topics")
				if r.code == 0 {
					t.Fatalf("connected:\n%s", r.stdout)
				}
				if d := time.Since(start); d > 5*time.Second {
					t.Errorf("took %v, more than the context's 5s timeout", d)
				}
				for _, want := range append([]string{"kflow: cannot connect to " + tc.addr + ": "}, tc.want...) {
					if !strings.Contains(r.stderr, want) {
						t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
					}
				}
			})
		}
	})

	secrets := map[string]string{"password": e.Password, "wrong password": wrong, "token": jwt, "client secret": te.Secret}
	for what, s := range secrets {
		for _, out := range w.out {
			if strings.Contains(out, s) {
				t.Errorf("the %s shows in kflow's output:\n%s", what, out)
			}
		}
	}
	grepTree(t, home, secrets)
}

// grepTree fails the test when a file under dir holds one of the secrets.
func grepTree(t *testing.T, dir string, secrets map[string]string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for what, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("the %s is in %s", what, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files under %s hold no secret", files, dir)
}

// TestSecureContextsTUI opens the terminal UI through the SASL_SSL listener
// from a config-file context (password from a command), finds a topic and
// produces to it from the form, switches with :context to the mutual TLS,
// TLS, SCRAM and OAuth client-credentials listeners, is told why a wrong
// password is refused, and leaves no secret in the files it wrote (the
// produce history among them).
func TestSecureContextsTUI(t *testing.T) {
	e := securetest.Get(t)
	te := securetest.NewTokenEndpoint(t, e.User, time.Hour)
	t.Setenv("KFLOW_TEST_CTX_PW", e.Password)
	t.Setenv("KFLOW_TEST_CTX_JWT", securetest.UnsecuredJWT(e.User, time.Now(), time.Now().Add(time.Hour), ""))
	t.Setenv("KFLOW_TEST_CTX_CLIENT_SECRET", te.Secret)
	t.Setenv("KFLOW_TEST_CTX_WRONG_PW", "kflow-wrong-pw-c41d07")
	cfg := secureConfig(t, e, te.URL+"/token")
	xdg := t.TempDir()
	env := map[string]string{"HOME": xdg, "XDG_CONFIG_HOME": xdg}
	topic := uniqueName(t)
	if r := kflow(t, "", env, "--config", cfg, "--context", "sasl-ssl", "topic", "create", topic); r.code != 0 {
		t.Fatalf("create over SASL_SSL: %+v", r)
	}
	t.Cleanup(func() {
		kflow(t, "", env, "--config", cfg, "--context", "sasl-ssl", "topic", "delete", topic, "--confirm", topic)
	})

	s := startTUIIn(t, xdg, 120, 32, "--config", cfg, "--context", "sasl-ssl")
	s.waitFor(30*time.Second, "● connected", "sasl-ssl", e.SASLSSL, "TOPIC")
	s.keys("/")
	s.text(topic)
	s.keys("Enter")
	s.waitUntil(15*time.Second, "a row for "+topic, func(scr string) bool { return row(scr, topic) != "" })

	s.keys(":")
	s.text("produce " + topic)
	s.keys("Enter")
	s.waitFor(15*time.Second, "Produce", "1 partition")
	s.text("k-1")
	s.keys("Tab")
	s.text("sent through SASL_SSL")
	s.keys("C-s")
	s.waitFor(15*time.Second, "✓ "+topic)
	s.keys("Escape")
	s.waitFor(10*time.Second, "enter partitions") // the topics again: a key right after Escape would read as alt+key

	for _, c := range []struct{ name, addr string }{
		{"mtls", e.MTLS}, {"tls", e.TLS}, {"sasl-scram256", e.SASL}, {"oauth-client", e.SASL},
	} {
		s.keys(":")
		s.text("context " + c.name)
		s.keys("Enter")
		s.waitFor(30*time.Second, "● connected", c.name, c.addr)
	}
	s.keys(":")
	s.text("context bad-password")
	s.keys("Enter")
	s.waitFor(15*time.Second, "Cannot connect to Kafka", "authentication failed (SASL SCRAM-SHA-", "user kflow-admin")

	s.keys("C-c")
	s.waitFor(10*time.Second, "KFLOW_EXIT=0")

	hist := filepath.Join(xdg, "kflow", "history.jsonl")
	if b, err := os.ReadFile(hist); err != nil || !strings.Contains(string(b), "sent through SASL_SSL") {
		t.Errorf("produce history %s: %v\n%s", hist, err, b)
	}
	grepTree(t, xdg, map[string]string{"password": e.Password, "client secret": te.Secret, "wrong password": "kflow-wrong-pw-c41d07"})
}
