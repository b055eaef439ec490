package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// isolateHome points HOME and XDG_CONFIG_HOME at empty temporary
// directories, so that no test reads the developer's real config.
func isolateHome(t *testing.T) (home string) {
	t.Helper()
	home = t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "xdg"))
	return home
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigFull(t *testing.T) {
	isolateHome(t)
	path := filepath.Join("..", "testdata", "config", "full.yaml")
	f, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if f.Path != path || f.Source != path {
		t.Errorf("Path, Source = %q, %q; want both %q", f.Path, f.Source, path)
	}
	if f.CurrentContext != "local" || f.Theme != "dark" {
		t.Errorf("current-context %q theme %q; want local, dark", f.CurrentContext, f.Theme)
	}
	if got, want := f.Names(), []string{"cloud", "local", "msk", "prod", "staging"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	dir, _ := filepath.Abs(filepath.Join("..", "testdata", "config"))
	want := map[string]Context{
		"local": {Brokers: []string{"localhost:9092"}},
		"prod": {
			Brokers:  []string{"b1.example:9093", "b2.example:9092"},
			ReadOnly: true,
			Timeout:  15 * time.Second,
			TLS: &TLS{
				CAFile:     filepath.Join(dir, "certs", "ca.pem"), // relative to the file
				CertFile:   "/etc/kflow/client.pem",
				KeyFile:    "/etc/kflow/client-key.pem",
				ServerName: "kafka.example",
			},
			SASL: &SASL{Mechanism: "SCRAM-SHA-512", Username: "alice", Password: Secret{Env: "PROD_KAFKA_PASSWORD"}},
			Registry: &Registry{
				URL:       "https://sr.example:8081",
				BasicAuth: &BasicAuth{Username: "svc", Password: Secret{Env: "SR_PASSWORD"}},
				TLS:       &TLS{CAFile: filepath.Join(dir, "certs", "sr-ca.pem"), ServerName: "sr.example"},
			},
		},
		"staging": {
			Brokers:  []string{"s1.example:9092", "s2.example:9092"},
			TLS:      &TLS{},
			SASL:     &SASL{Mechanism: "PLAIN", Username: "bob", Password: Secret{Command: "pass show kafka/staging"}},
			Registry: &Registry{URL: "http://sr.staging.example:8081"},
		},
		"cloud": {
			Brokers:  []string{"c1.example:9098"},
			TLS:      &TLS{ServerName: "c1.example"},
			SASL:     &SASL{Mechanism: "OAUTHBEARER", Token: Secret{Command: "gcloud auth print-access-token"}},
			Registry: &Registry{URL: "https://sr.cloud.example/apis/ccompat/v7", Bearer: Secret{Command: "gcloud auth print-identity-token"}},
		},
		"msk": {
			Brokers: []string{"b-1.msk.eu-west-1.amazonaws.com:9098"},
			TLS:     &TLS{},
			SASL:    &SASL{Mechanism: "AWS_MSK_IAM"},
		},
	}
	for name, w := range want {
		if got := f.Contexts[name]; !reflect.DeepEqual(got, w) {
			t.Errorf("context %s:\n got %+v tls %+v sasl %+v registry %+v\nwant %+v tls %+v sasl %+v registry %+v",
				name, got, got.TLS, got.SASL, got.Registry, w, w.TLS, w.SASL, w.Registry)
		}
	}
}

// TestOAuthClientCredentialsConfig reads OAUTHBEARER's client_credentials
// and extensions; auth defaults to basic.
func TestOAuthClientCredentialsConfig(t *testing.T) {
	isolateHome(t)
	path := writeFile(t, filepath.Join(t.TempDir(), "config.yaml"), `contexts:
  idp:
    brokers: [k:9093]
    sasl:
      mechanism: oauthbearer
      client_credentials:
        token_url: https://idp.example/oauth2/token
        client_id: kflow
        client_secret: {command: "pass show idp/kflow"}
        scope: kafka.read kafka.write
        params: {audience: kafka-prod}
      extensions: {logicalCluster: lkc-1}
  body:
    brokers: [k:9093]
    sasl:
      mechanism: OAUTHBEARER
      client_credentials:
        token_url: http://127.0.0.1:8080/token
        client_id: c
        client_secret: {env: S}
        auth: Body
        tls: {insecure_skip_verify: true}
`)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &SASL{Mechanism: MechOAuthBearer, Extensions: map[string]string{"logicalCluster": "lkc-1"}, ClientCredentials: &OAuthClient{
		TokenURL: "https://idp.example/oauth2/token", ClientID: "kflow", ClientSecret: Secret{Command: "pass show idp/kflow"},
		Scope: "kafka.read kafka.write", Params: map[string]string{"audience": "kafka-prod"}, Auth: OAuthAuthBasic}}
	if got := f.Contexts["idp"].SASL; !reflect.DeepEqual(got, want) {
		t.Errorf("idp sasl = %+v %+v\nwant %+v %+v", got, got.ClientCredentials, want, want.ClientCredentials)
	}
	body := f.Contexts["body"].SASL.ClientCredentials
	if body.Auth != OAuthAuthBody || body.TLS == nil || !body.TLS.InsecureSkipVerify || body.ClientSecret.Env != "S" {
		t.Errorf("body = %+v", body)
	}
}

func TestConfigErrors(t *testing.T) {
	isolateHome(t)
	cases := []struct {
		name string
		yaml string
		line int
		msg  string
	}{
		{"unknown top-level key", "current-context: a\ncolour: red\n", 2, `unknown key "colour" in the config file (known keys: current-context, contexts, theme, history)`},
		{"unknown context key", "contexts:\n  a:\n    brokers: [h:1]\n    readonly: true\n", 4, `unknown key "readonly" in context "a"`},
		{"unknown tls key", "contexts:\n  a:\n    brokers: [h:1]\n    tls:\n      cafile: x\n", 5, `unknown key "cafile" in tls`},
		{"unknown mechanism", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: SCRAM\n      username: u\n      password: {env: P}\n", 5,
			`sasl mechanism "SCRAM" is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, AWS_MSK_IAM`},
		{"no mechanism", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      username: u\n", 5, "sasl needs a mechanism"},
		{"PLAIN without username", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: PLAIN\n      password: {env: P}\n", 5, "sasl PLAIN needs a username"},
		{"SCRAM without password", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: SCRAM-SHA-256\n      username: u\n", 5, "sasl SCRAM-SHA-256 needs a password"},
		{"OAUTHBEARER without token", "contexts:\n  a:\n    brokers: [h:1]\n    sasl: {mechanism: OAUTHBEARER}\n", 4, "sasl OAUTHBEARER needs a token"},
		{"client_credentials without token_url", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: OAUTHBEARER\n      client_credentials:\n        client_id: c\n        client_secret: {env: S}\n", 7, "sasl client_credentials needs a token_url"},
		{"client_credentials without client_id", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: OAUTHBEARER\n      client_credentials:\n        token_url: https://idp/token\n        client_secret: {env: S}\n", 7, "sasl client_credentials needs a client_id"},
		{"client_credentials without secret", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: OAUTHBEARER\n      client_credentials:\n        token_url: https://idp/token\n        client_id: c\n", 7, "sasl client_credentials needs a client_secret"},
		{"client_credentials literal secret", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: OAUTHBEARER\n      client_credentials:\n        token_url: https://idp/token\n        client_id: c\n        client_secret: shh\n", 9, "client_secret: a literal value is not allowed"},
		{"client_credentials token_url not http", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: OAUTHBEARER\n      client_credentials:\n        token_url: idp/token\n        client_id: c\n        client_secret: {env: S}\n", 7, `token_url "idp/token" is not an http:// or https:// URL`},
		{"client_credentials unknown auth", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: OAUTHBEARER\n      client_credentials:\n        token_url: https://idp/token\n        client_id: c\n        client_secret: {env: S}\n        auth: header\n", 10, `auth "header" is not basic (HTTP basic authentication) or body (form fields)`},
		{"client_credentials unknown key", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: OAUTHBEARER\n      client_credentials:\n        token_url: https://idp/token\n        audience: x\n", 8, `unknown key "audience" in sasl client_credentials`},
		{"token and client_credentials", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: OAUTHBEARER\n      token: {env: T}\n      client_credentials: {token_url: \"https://idp/t\", client_id: c, client_secret: {env: S}}\n", 7, "give token or client_credentials, not both"},
		{"extensions with PLAIN", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: PLAIN\n      username: u\n      password: {env: P}\n      extensions: {a: b}\n", 8, "sasl extensions is not used by PLAIN"},
		{"key of another mechanism", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: PLAIN\n      username: u\n      password: {env: P}\n      token: {env: T}\n", 8,
			"sasl token is not used by PLAIN, which takes username, password"},
		{"AWS access key without secret key", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: AWS_MSK_IAM\n      access_key: {env: K}\n", 5, "give access_key and secret_key together"},
		{"literal password", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: PLAIN\n      username: u\n      password: hunter2\n", 7,
			"password: a literal value is not allowed, secrets never live in the config file: use {env: VAR} or {command: \"...\"}"},
		{"literal value key", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: PLAIN\n      username: u\n      password:\n        value: hunter2\n", 8, "a literal value is not allowed"},
		{"secret with env and command", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: PLAIN\n      username: u\n      password:\n        env: P\n        command: pass p\n", 9, "give env or command, not both"},
		{"secret with neither", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: PLAIN\n      username: u\n      password: {}\n", 7, "password: give env or command"},
		{"secret with empty env", "contexts:\n  a:\n    brokers: [h:1]\n    sasl:\n      mechanism: PLAIN\n      username: u\n      password: {env: \"\"}\n", 7, "env needs a variable name"},
		{"cert without key", "contexts:\n  a:\n    brokers: [h:1]\n    tls:\n      cert_file: c.pem\n", 5, "cert_file is given without key_file"},
		{"key without cert", "contexts:\n  a:\n    brokers: [h:1]\n    tls:\n      ca_file: ca.pem\n      key_file: k.pem\n", 6, "key_file is given without cert_file"},
		{"empty brokers", "contexts:\n  a:\n    brokers: []\n", 3, "brokers: no broker address given"},
		{"bad broker port", "contexts:\n  a:\n    brokers:\n      - good:9092\n      - bad:99999\n", 4, `port "99999" is not a number from 1 to 65535`},
		{"missing brokers", "contexts:\n  a:\n    read-only: true\n  b:\n", 2, `context "a": brokers is required`},
		{"empty context", "contexts:\n  a:\n    brokers: [h:1]\n  b:\n", 4, `context "b": brokers is required`},
		{"read-only not a bool", "contexts:\n  a:\n    brokers: [h:1]\n    read-only: yes\n", 4, `read-only must be true or false, not "yes"`},
		{"timeout without unit", "contexts:\n  a:\n    brokers: [h:1]\n    timeout: 15\n", 4, `timeout "15" is not a positive duration`},
		{"unknown current context", "current-context: prod\ncontexts:\n  a:\n    brokers: [h:1]\n  b:\n    brokers: [h:2]\n", 1, `current-context "prod" is not one of the contexts: a, b`},
		{"key given twice", "contexts:\n  a:\n    brokers: [h:1]\n    brokers: [h:2]\n", 4, `key "brokers" is given twice`},
		{"contexts is a list", "contexts:\n  - a\n", 2, "contexts must be a mapping"},
		{"not YAML", "theme: dark\ncontexts:\n  a:\n\tbrokers: [h:1]\n", 4, "not valid YAML: a tab indents this line: YAML indents with spaces only"},
		{"tab on the first line", "\tcontexts:\n  a:\n    brokers: [h:1]\n", 1, "a tab indents this line"},
		{"tab before a list item", "contexts:\n  a:\n    brokers:\n\t- h:1\n", 4, "a tab indents this line"},
		// yaml.v3 numbers parser errors from 0 (the line above) and leaves
		// out line 1; these are the lines a reader points at.
		{"unclosed list", "contexts:\n  a:\n    brokers: [h:1\n  b: 3\n", 3, "not valid YAML: did not find expected ',' or ']'"},
		{"mis-indented key", "contexts:\n  a:\n    brokers: [h:1]\n   read-only: true\n", 4, "not valid YAML: did not find expected key"},
		{"unclosed mapping", "contexts:\n  a: {brokers: [h:1]\n", 2, "not valid YAML"},
		{"unclosed quote", "contexts:\n  a:\n    brokers: \"h:1\n", 3, "not valid YAML"},
		{"mapping in a value", "theme: a: b\n", 1, "not valid YAML: mapping values are not allowed in this context"},
		{"missing colon", "theme: dark\ncontexts\n", 2, "not valid YAML"},
		{"registry without url", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      basic-auth: {username: u, password: {env: P}}\n", 4,
			"schema-registry needs a url: give its url, e.g. schema-registry: http://localhost:8081"},
		{"registry empty", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n", 4, "schema-registry needs a url"},
		{"registry url empty", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: \"\"\n", 5, "schema-registry url is empty"},
		{"registry url not http", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: sr.example:8081\n", 5,
			`schema-registry url "sr.example:8081" is not an http:// or https:// URL, e.g. http://localhost:8081`},
		{"registry shorthand not http", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry: ftp://sr.example\n", 4, `schema-registry url "ftp://sr.example" is not an http:// or https:// URL`},
		{"registry shorthand without host", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry: \"http://\"\n", 4, "is not an http:// or https:// URL"},
		{"registry is a list", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry: [http://a:1]\n", 4, "schema-registry must be a mapping of keys to values"},
		{"unknown registry key", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: http://sr:8081\n      basic_auth: {username: u}\n", 6,
			`unknown key "basic_auth" in schema-registry (known keys: url, basic-auth, bearer, tls)`},
		{"unknown registry tls key", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: https://sr:8081\n      tls:\n        cafile: ca.pem\n", 7, `unknown key "cafile" in tls`},
		{"unknown basic-auth key", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: http://sr:8081\n      basic-auth:\n        user: u\n", 7,
			`unknown key "user" in schema-registry basic-auth (known keys: username, password)`},
		{"basic-auth without username", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: http://sr:8081\n      basic-auth:\n        password: {env: P}\n", 7,
			"schema-registry basic-auth needs a username: {username: NAME, password: {env: VAR}}"},
		{"basic-auth without password", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: http://sr:8081\n      basic-auth: {username: u}\n", 6,
			`schema-registry basic-auth needs a password: {env: VAR} or {command: "..."}`},
		{"basic-auth empty", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: http://sr:8081\n      basic-auth:\n", 6, "schema-registry basic-auth needs a username and a password"},
		{"basic-auth literal password", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: http://sr:8081\n      basic-auth:\n        username: u\n        password: hunter2\n", 8,
			"basic-auth password: a literal value is not allowed"},
		{"literal bearer", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: http://sr:8081\n      bearer: tok\n", 6, "schema-registry bearer: a literal value is not allowed"},
		{"basic-auth and bearer", "contexts:\n  a:\n    brokers: [h:1]\n    schema-registry:\n      url: http://sr:8081\n      basic-auth: {username: u, password: {env: P}}\n      bearer: {env: T}\n", 7,
			"schema-registry: give basic-auth or bearer, not both"},
	}
	dir := t.TempDir()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(dir, fmt.Sprintf("c%d.yaml", i)), tc.yaml)
			f, err := Load(path)
			if err == nil {
				t.Fatalf("Load accepted:\n%s\ngot %+v", tc.yaml, f)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %q (%T) is not a *Error", err, err)
			}
			if ce.Line != tc.line || ce.Path != path {
				t.Errorf("error at %s line %d, want %s line %d: %v", ce.Path, ce.Line, path, tc.line, err)
			}
			prefix := fmt.Sprintf("config %s line %d: ", path, tc.line)
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q\nwant prefix %q and %q", err, prefix, tc.msg)
			}
		})
	}
}

// TestConfigYAMLFeatures covers the shorthand tls: true|false and that
// a top-level anchor is still an unknown key.
func TestConfigYAMLFeatures(t *testing.T) {
	isolateHome(t)
	path := writeFile(t, filepath.Join(t.TempDir(), "config.yaml"), `
base: &base
  tls: {server_name: shared}
  timeout: 5s
contexts:
  a:
    <<: *base
    brokers: [h:1]
    timeout: 7s
`)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), `line 2: unknown key "base"`) {
		t.Fatalf("a stray top-level anchor key: got %v, want unknown key at line 2", err)
	}
	path = writeFile(t, path, "contexts:\n  on:\n    brokers: [h:1]\n    tls: true\n  off:\n    brokers: [h:1]\n    tls: false\n")
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if on, off := f.Contexts["on"], f.Contexts["off"]; on.TLS == nil || *on.TLS != (TLS{}) || off.TLS != nil {
		t.Errorf("tls: true gave %+v, tls: false gave %+v; want system-roots TLS and none", on.TLS, off.TLS)
	}
}

func TestConfigMergeKeys(t *testing.T) {
	isolateHome(t)
	path := writeFile(t, filepath.Join(t.TempDir(), "config.yaml"), `
contexts:
  a: &a
    brokers: [h:1]
    tls: {server_name: shared}
    timeout: 5s
  b:
    <<: *a
    brokers: [h:2]
    timeout: 7s
`)
	// Anchors and merge keys let contexts share settings; the context's own
	// keys win over merged ones.
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	b := f.Contexts["b"]
	if !reflect.DeepEqual(b.Brokers, []string{"h:2"}) || b.Timeout != 7*time.Second || b.TLS == nil || b.TLS.ServerName != "shared" {
		t.Errorf("merged context b = %+v tls %+v; want brokers h:2, timeout 7s, server_name shared", b, b.TLS)
	}
}

func TestContextSelection(t *testing.T) {
	isolateHome(t)
	f, err := Load(filepath.Join("..", "testdata", "config", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := f.Context("")
	if err != nil || !reflect.DeepEqual(cur.Brokers, []string{"localhost:9092"}) {
		t.Errorf(`Context("") = %+v, %v; want the current context "local"`, cur, err)
	}
	prod, err := f.Context("prod")
	if err != nil {
		t.Fatal(err)
	}
	if !prod.ReadOnly || prod.Timeout != 15*time.Second || prod.SASL == nil || prod.SASL.Username != "alice" || prod.TLS == nil {
		t.Errorf(`Context("prod") = %+v`, prod)
	}
	// The result is a copy: changing it leaves the config alone.
	prod.Brokers[0] = "changed:1"
	prod.SASL.Username = "mallory"
	prod.TLS.ServerName = "changed"
	again, _ := f.Context("prod")
	if again.Brokers[0] != "b1.example:9093" || again.SASL.Username != "alice" || again.TLS.ServerName != "kafka.example" {
		t.Errorf("changing a returned Context changed the config: %+v", again)
	}

	_, err = f.Context("qa")
	if err == nil || !strings.Contains(err.Error(), `no context "qa"`) ||
		!strings.Contains(err.Error(), "known contexts: cloud, local, msk, prod, staging") {
		t.Errorf(`Context("qa") error = %v; want one listing the known contexts`, err)
	}

	f.CurrentContext = ""
	if _, err := f.Context(""); err == nil || !strings.Contains(err.Error(), "sets no current-context") {
		t.Errorf(`Context("") with no current-context and several contexts: %v`, err)
	}
	one := &File{Contexts: map[string]Context{"only": {Brokers: []string{"o:1"}}}}
	if c, err := one.Context(""); err != nil || c.Brokers[0] != "o:1" {
		t.Errorf(`Context("") with a single context = %+v, %v; want it`, c, err)
	}
}

func TestDefaultConfigPath(t *testing.T) {
	home := isolateHome(t)
	if p, err := DefaultPath(); err != nil || p != filepath.Join(home, "xdg", "kflow", "config.yaml") {
		t.Errorf("with XDG_CONFIG_HOME: %q, %v", p, err)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	if p, err := DefaultPath(); err != nil || p != filepath.Join(home, ".config", "kflow", "config.yaml") {
		t.Errorf("without XDG_CONFIG_HOME: %q, %v", p, err)
	}
	t.Setenv("XDG_CONFIG_HOME", "relative/dir") // ignored, as XDG says
	if p, err := DefaultPath(); err != nil || p != filepath.Join(home, ".config", "kflow", "config.yaml") {
		t.Errorf("with a relative XDG_CONFIG_HOME: %q, %v", p, err)
	}
}

func TestLoadConfigMissing(t *testing.T) {
	home := isolateHome(t)
	missing := filepath.Join(home, "nope.yaml")
	if _, err := Load(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("explicit missing file: %v; want a not-exist error naming it", err)
	}

	f, err := Load("")
	if err != nil {
		t.Fatalf("missing default file (and no kaf config): %v", err)
	}
	if f.Source != "" || f.Path != filepath.Join(home, "xdg", "kflow", "config.yaml") || len(f.Names()) != 0 {
		t.Errorf("empty config = %+v", f)
	}
	if c, err := f.Context(""); err != nil || len(c.Brokers) != 0 || c.TLS != nil || c.SASL != nil {
		t.Errorf(`empty config Context("") = %+v, %v; want the defaults`, c, err)
	}
	if _, err := f.Context("prod"); err == nil || !strings.Contains(err.Error(), "there are none") {
		t.Errorf(`empty config Context("prod") = %v`, err)
	}

	// An existing default file is read.
	def := writeFile(t, filepath.Join(home, "xdg", "kflow", "config.yaml"), "contexts:\n  x:\n    brokers: [x:1]\n")
	f, err = Load("")
	if err != nil || f.Source != def || f.Names()[0] != "x" {
		t.Errorf("default file: %+v, %v", f, err)
	}
}

func TestKafImport(t *testing.T) {
	home := isolateHome(t)
	kaf, err := os.ReadFile(filepath.Join("..", "testdata", "config", "kaf.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(home, ".kaf", "config"), string(kaf))

	f, err := Load("")
	if err != nil {
		t.Fatalf("Load with only a kaf config: %v", err)
	}
	if f.Source != "kaf: ~/.kaf/config" || f.Path != filepath.Join(home, "xdg", "kflow", "config.yaml") {
		t.Errorf("Source %q Path %q", f.Source, f.Path)
	}
	if got, want := f.Names(), []string{"local", "oauth-client", "prod", "tls-only"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}

	prod, err := f.Context("") // kaf's current-cluster
	if err != nil {
		t.Fatal(err)
	}
	wantTLS := TLS{CAFile: "/etc/kaf/ca.pem", CertFile: "/etc/kaf/client.pem", KeyFile: "/etc/kaf/client.key", InsecureSkipVerify: true}
	if !reflect.DeepEqual(prod.Brokers, []string{"b1.example:9093", "b2.example:9093"}) || prod.TLS == nil || *prod.TLS != wantTLS {
		t.Errorf("prod = %+v tls %+v", prod, prod.TLS)
	}
	if prod.SASL == nil || prod.SASL.Mechanism != "SCRAM-SHA-512" || prod.SASL.Username != "alice" {
		t.Fatalf("prod sasl = %+v", prod.SASL)
	}
	// kaf's plain-text password is carried, usable, and never printed.
	pass, err := prod.SASL.Password.Resolve(context.Background())
	if err != nil || pass != "kaf-plaintext-password" {
		t.Errorf("imported password resolves to %q, %v", pass, err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, *prod.SASL); strings.Contains(s, "kaf-plaintext-password") {
			t.Errorf("%s of an imported SASL config prints the password: %s", verb, s)
		}
	}

	local, err := f.Context("local")
	if err != nil || local.TLS != nil || local.SASL != nil || local.Brokers[0] != "localhost:9092" {
		t.Errorf("local = %+v, %v", local, err)
	}
	tlsOnly, err := f.Context("tls-only")
	if err != nil || tlsOnly.TLS == nil || *tlsOnly.TLS != (TLS{}) || tlsOnly.SASL != nil {
		t.Errorf("security-protocol SSL = %+v, %v; want TLS with system roots", tlsOnly, err)
	}
	// kaf's OAuth client credentials become kflow's, the secret carried and never printed.
	oc, err := f.Context("oauth-client")
	if err != nil || oc.SASL == nil || oc.SASL.ClientCredentials == nil {
		t.Fatalf("kaf cluster with OAuth client credentials = %+v, %v", oc, err)
	}
	cc := oc.SASL.ClientCredentials
	if cc.TokenURL != "https://auth.example/token" || cc.ClientID != "kflow" || cc.Auth != OAuthAuthBasic || oc.TLS == nil {
		t.Errorf("client credentials = %+v, tls %+v", cc, oc.TLS)
	}
	if sec, err := cc.ClientSecret.Resolve(context.Background()); err != nil || sec != "shh" {
		t.Errorf("imported client secret resolves to %q, %v", sec, err)
	}
	if s := fmt.Sprintf("%+v %v", *cc, *oc.SASL); strings.Contains(s, "shh") {
		t.Errorf("an imported client credentials config prints its secret: %s", s)
	}

	// A kflow config, once written, wins over kaf's.
	def := writeFile(t, filepath.Join(home, "xdg", "kflow", "config.yaml"), "contexts:\n  mine:\n    brokers: [m:1]\n")
	f, err = Load("")
	if err != nil || f.Source != def || !reflect.DeepEqual(f.Names(), []string{"mine"}) {
		t.Errorf("kflow config beside kaf's: %+v, %v", f, err)
	}
}

// TestKafImportSyntaxErrorLine: a syntax error in kaf's file is reported
// at its line too (yaml.v3 said line 2 for the unclosed [ on line 3).
func TestKafImportSyntaxErrorLine(t *testing.T) {
	home := isolateHome(t)
	writeFile(t, filepath.Join(home, ".kaf", "config"), "clusters:\n- name: a\n  brokers: [h:1\n- name: b\n")
	_, err := Load("")
	if err == nil || !strings.Contains(err.Error(), "line 3: not valid YAML") {
		t.Errorf("kaf config with an unclosed list on line 3: %v", err)
	}
}

func TestKafImportBadFile(t *testing.T) {
	home := isolateHome(t)
	writeFile(t, filepath.Join(home, ".kaf", "config"), "clusters:\n  name: not-a-list\n")
	_, err := Load("")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(home, ".kaf", "config")) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("malformed kaf config: %v; want an error naming the file and line", err)
	}
}
