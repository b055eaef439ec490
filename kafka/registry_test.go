package kafka

import (
	"context"
	"strings"
	"testing"
	"time"

	"kflow/config"
)

// noRegistry is an http URL nothing listens on: Connect must not contact
// the registry, so a registry that is down does not stop kflow connecting.
const noRegistry = "http://127.0.0.1:1/apis/ccompat/v7"

// TestConnectRegistry: a configured registry, its password from the
// environment, is on the client with the URL as given; none configured is
// nil. On kfake and the real broker.
func TestConnectRegistry(t *testing.T) {
	t.Setenv("KFLOW_TEST_SR_PASSWORD", "sr-secret")
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cfg := ConnConfig{Brokers: b.brokers, Timeout: 10 * time.Second, Registry: &config.Registry{
				URL:       noRegistry,
				BasicAuth: &config.BasicAuth{Username: "svc", Password: config.Secret{Env: "KFLOW_TEST_SR_PASSWORD"}},
			}}
			c, err := Connect(ctx, cfg)
			if err != nil {
				t.Fatalf("Connect with a registry that is down: %v; want it connected (the registry is asked on the first lookup)", err)
			}
			defer c.Close()
			if c.Registry() == nil || c.Registry().URL() != noRegistry {
				t.Fatalf("Registry() = %v; want one at %s", c.Registry(), noRegistry)
			}

			none, err := Connect(ctx, ConnConfig{Brokers: b.brokers, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer none.Close()
			if none.Registry() != nil {
				t.Errorf("Registry() without one configured = %v; want nil", none.Registry())
			}
		})
	}
}

// TestConnectRegistrySecretFails: a registry secret that cannot be had
// fails Connect with an error naming the registry and the secret's source,
// never what a failing command printed.
func TestConnectRegistrySecretFails(t *testing.T) {
	brokers := backends(t)[0].brokers
	t.Setenv("KFLOW_TEST_SR_LEAK", "leaked-on-stderr")
	cases := []struct {
		name string
		reg  config.Registry
		want []string
	}{
		{"failing command", config.Registry{URL: noRegistry, BasicAuth: &config.BasicAuth{Username: "svc",
			Password: config.Secret{Command: `printf 'leaked-%s\n' stdout; echo "$KFLOW_TEST_SR_LEAK" >&2; exit 3`}}},
			[]string{"schema registry " + noRegistry, "basic-auth password", "exit status 3"}},
		{"bearer from an unset variable", config.Registry{URL: noRegistry, Bearer: config.Secret{Env: "KFLOW_TEST_SR_UNSET"}},
			[]string{"schema registry " + noRegistry, "bearer", "KFLOW_TEST_SR_UNSET is not set"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			c, err := Connect(ctx, ConnConfig{Brokers: brokers, Timeout: 10 * time.Second, Registry: &tc.reg})
			if err == nil {
				c.Close()
				t.Fatal("Connect succeeded with a registry secret that cannot be resolved")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, leak := range []string{"leaked-stdout", "leaked-on-stderr"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error shows the command's output %q: %q", leak, err)
				}
			}
		})
	}
}

// TestWithRegistryURL: --registry replaces the URL and keeps the
// context's credentials and TLS, without changing the context's registry.
func TestWithRegistryURL(t *testing.T) {
	ctxReg := &config.Registry{URL: "https://ctx:8081", BasicAuth: &config.BasicAuth{Username: "svc"}, TLS: &config.TLS{ServerName: "sr"}}
	got := ConnConfig{Registry: ctxReg}.WithRegistryURL("http://flag:8081")
	if r := got.Registry; r.URL != "http://flag:8081" || r.BasicAuth == nil || r.BasicAuth.Username != "svc" || r.TLS == nil || r.TLS.ServerName != "sr" {
		t.Errorf("WithRegistryURL = %+v; want the flag's URL with the context's basic-auth and tls", r)
	}
	if ctxReg.URL != "https://ctx:8081" {
		t.Errorf("WithRegistryURL changed the context's registry to %+v", ctxReg)
	}
	if r := (ConnConfig{}).WithRegistryURL("http://flag:8081").Registry; r == nil || r.URL != "http://flag:8081" || r.BasicAuth != nil {
		t.Errorf("WithRegistryURL without a context registry = %+v; want the URL alone", r)
	}
}
