package config

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestRegistryForms: the mapping with each kind of credential, the string
// shorthand, and a context without one.
func TestRegistryForms(t *testing.T) {
	isolateHome(t)
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "config.yaml"), `
contexts:
  basic:
    brokers: [h:1]
    schema-registry:
      url: https://sr.example:8081/
      basic-auth:
        username: svc
        password: {command: "pass show sr"}
      tls: {ca_file: sr-ca.pem, cert_file: ~/c.pem, key_file: /k.pem, insecure_skip_verify: true}
  bearer:
    brokers: [h:1]
    schema-registry: {url: "http://sr:8081", bearer: {env: SR_TOKEN}}
  short:
    brokers: [h:1]
    schema-registry: http://sr.local:8081/apis/ccompat/v7
  none:
    brokers: [h:1]
`)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*Registry{
		"basic": {
			URL:       "https://sr.example:8081/",
			BasicAuth: &BasicAuth{Username: "svc", Password: Secret{Command: "pass show sr"}},
			TLS:       &TLS{CAFile: filepath.Join(dir, "sr-ca.pem") /* relative to the file */, CertFile: filepath.Join(homeDir(t), "c.pem"), KeyFile: "/k.pem", InsecureSkipVerify: true},
		},
		"bearer": {URL: "http://sr:8081", Bearer: Secret{Env: "SR_TOKEN"}},
		"short":  {URL: "http://sr.local:8081/apis/ccompat/v7"},
		"none":   nil,
	}
	for name, w := range want {
		c, err := f.Context(name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(c.Registry, w) {
			t.Errorf("context %s: registry %+v, want %+v", name, c.Registry, w)
		}
	}
}

func homeDir(t *testing.T) string {
	t.Helper()
	p, err := resolvePath("~", "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRegistryMergeKey: a registry shared through an anchor, as the
// other settings can be.
func TestRegistryMergeKey(t *testing.T) {
	isolateHome(t)
	path := writeFile(t, filepath.Join(t.TempDir(), "config.yaml"), `
contexts:
  a: &a
    brokers: [h:1]
    schema-registry: {url: "http://sr:8081", basic-auth: {username: u, password: {env: P}}}
  b:
    <<: *a
    brokers: [h:2]
`)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if r := f.Contexts["b"].Registry; r == nil || r.URL != "http://sr:8081" || r.BasicAuth == nil || r.BasicAuth.Username != "u" {
		t.Errorf("merged registry = %+v; want a's", r)
	}
}

// TestRegistryClone: a Context's registry is a copy; changing it, its
// basic-auth or its TLS leaves the config alone.
func TestRegistryClone(t *testing.T) {
	isolateHome(t)
	f, err := Load(filepath.Join("..", "testdata", "config", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.Context("prod")
	if err != nil {
		t.Fatal(err)
	}
	if c.Registry == nil || c.Registry.BasicAuth == nil || c.Registry.TLS == nil {
		t.Fatalf("prod's registry = %+v; want one with basic-auth and tls", c.Registry)
	}
	c.Registry.URL = "http://changed:1"
	c.Registry.BasicAuth.Username = "mallory"
	c.Registry.BasicAuth.Password = Secret{Env: "OTHER"}
	c.Registry.TLS.ServerName = "changed"
	again, _ := f.Context("prod")
	r := again.Registry
	if r.URL != "https://sr.example:8081" || r.BasicAuth.Username != "svc" || r.BasicAuth.Password.Env != "SR_PASSWORD" || r.TLS.ServerName != "sr.example" {
		t.Errorf("changing a returned Context's registry changed the config: %+v basic-auth %+v tls %+v", r, r.BasicAuth, r.TLS)
	}
	c.Registry = nil
	if again, _ := f.Context("prod"); again.Registry == nil {
		t.Error("dropping a returned Context's registry dropped the config's")
	}
}

// TestRegistrySecretNeverPrinted: a context with a registry prints, and
// marshals to JSON and YAML, where its secrets come from and never their
// values.
func TestRegistrySecretNeverPrinted(t *testing.T) {
	const pw, tok = "sr-password-do-not-print", "sr-bearer-do-not-print"
	c := Context{Brokers: []string{"h:1"}, Registry: &Registry{
		URL:       "http://sr:8081",
		BasicAuth: &BasicAuth{Username: "svc", Password: literalSecret(pw)},
		Bearer:    literalSecret(tok),
	}}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		for _, x := range []any{c, &c, *c.Registry, c.Registry, *c.Registry.BasicAuth} {
			outs = append(outs, verb+" "+fmt.Sprintf(verb, x))
		}
	}
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	ys, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, "json "+string(js), "yaml "+string(ys))
	for _, o := range outs {
		if strings.Contains(o, pw) || strings.Contains(o, tok) || strings.Contains(o, fmt.Sprintf("%x", pw)) {
			t.Errorf("registry secret printed: %s", o)
		}
	}
	if !strings.Contains(string(js), `"schema-registry":{"url":"http://sr:8081","basic-auth":{"username":"svc","password":"kaf-config"},"bearer":"kaf-config"}`) {
		t.Errorf("json of a context's registry = %s; want its url, username and where the secrets come from", js)
	}

	env := Context{Registry: &Registry{URL: "http://sr:8081", BasicAuth: &BasicAuth{Username: "svc", Password: Secret{Env: "SR_PASSWORD"}}}}
	ys, err = yaml.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ys), "env: SR_PASSWORD") {
		t.Errorf("yaml of an env password = %s; want it spelled as the file does", ys)
	}
}
