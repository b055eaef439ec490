package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRegistryPrecedence: --registry beats KFLOW_REGISTRY beats nothing;
// the context's schema-registry is used when neither names one (beating
// KFLOW_REGISTRY, as a context's brokers beat KFLOW_BROKERS), and
// --registry keeps the context's basic-auth and tls.
func TestRegistryPrecedence(t *testing.T) {
	isolateConfig(t)
	noEnv := env{getenv: func(string) string { return "" }}
	withEnv := env{getenv: func(k string) string {
		if k == "KFLOW_REGISTRY" {
			return "http://env:8081"
		}
		return ""
	}}
	parse := func(e env, args ...string) *globals {
		t.Helper()
		var g globals
		if err := newFlags("kflow", e, &g).Parse(args); err != nil {
			t.Fatalf("parse %v: %v", args, err)
		}
		return &g
	}
	url := func(g *globals, e env) string {
		t.Helper()
		r, err := resolve(g, e)
		if err != nil {
			t.Fatalf("resolve: %v", err)
		}
		if r.conn.Registry == nil {
			return ""
		}
		return r.conn.Registry.URL
	}

	if got := url(parse(noEnv), noEnv); got != "" {
		t.Errorf("no flag, no env, no context: registry %q; want none", got)
	}
	if got := url(parse(withEnv), withEnv); got != "http://env:8081" {
		t.Errorf("KFLOW_REGISTRY: registry %q; want http://env:8081", got)
	}
	if got := url(parse(withEnv, "--registry", "http://flag:8081"), withEnv); got != "http://flag:8081" {
		t.Errorf("--registry with KFLOW_REGISTRY set: registry %q; want the flag's", got)
	}
	if got := url(parse(noEnv, "-registry=http://flag:8081"), noEnv); got != "http://flag:8081" {
		t.Errorf("-registry=: registry %q; want the flag's", got)
	}

	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte(`current-context: c
contexts:
  c:
    brokers: [ctxhost:1]
    schema-registry:
      url: https://ctx:8081
      basic-auth: {username: svc, password: {env: SR_PASSWORD}}
      tls: {server_name: sr.ctx}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := url(parse(withEnv, "--config", cfg), withEnv); got != "https://ctx:8081" {
		t.Errorf("context with KFLOW_REGISTRY set: registry %q; want the context's", got)
	}
	r, err := resolve(parse(withEnv, "--config", cfg, "--registry", "http://flag:8081"), withEnv)
	if err != nil {
		t.Fatal(err)
	}
	reg := r.conn.Registry
	if reg == nil || reg.URL != "http://flag:8081" || reg.BasicAuth == nil || reg.BasicAuth.Username != "svc" ||
		reg.BasicAuth.Password.Env != "SR_PASSWORD" || reg.TLS == nil || reg.TLS.ServerName != "sr.ctx" {
		t.Errorf("--registry over a context: %+v; want the flag's URL with the context's basic-auth and tls", reg)
	}
	// The file's context is unchanged: a context switch in the UI starts from it again.
	if c, err := r.file.Context("c"); err != nil || c.Registry.URL != "https://ctx:8081" {
		t.Errorf("the file's context after --registry: %+v, %v; want its own url", c.Registry, err)
	}
}
