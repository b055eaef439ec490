// Package securetest gives tests the secure listeners of the shared test broker
// (scripts/kafka/start.sh: SASL_PLAINTEXT, SSL, mutual TLS, SASL_SSL and an SSL listener with
// an expired certificate, ACLs enforced) and mints the unsigned JWTs its OAUTHBEARER listener
// accepts. It imports nothing of kflow, so every package's tests may use it.
package securetest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Env is the broker's secure listeners and credentials, as scripts/test.sh exports them.
type Env struct {
	SASL       string // KFLOW_TEST_SASL_BROKERS: PLAIN, SCRAM-SHA-256/512, OAUTHBEARER
	User       string // KFLOW_TEST_SASL_USER: a super user
	Password   string // KFLOW_TEST_SASL_PASSWORD
	User2      string // KFLOW_TEST_SASL_USER2: an ordinary user, no ACLs at start
	Password2  string // KFLOW_TEST_SASL_PASSWORD2
	TLS        string // KFLOW_TEST_TLS_BROKERS: SSL, no client certificate
	CA         string // KFLOW_TEST_TLS_CA: the CA's PEM file
	MTLS       string // KFLOW_TEST_MTLS_BROKERS: SSL with ssl.client.auth=required
	ClientCert string // KFLOW_TEST_TLS_CLIENT_CERT: PEM, CN is User (the super user)
	ClientKey  string // KFLOW_TEST_TLS_CLIENT_KEY
	SASLSSL    string // KFLOW_TEST_SASL_SSL_BROKERS: PLAIN, SCRAM-SHA-256/512 over TLS
	TLSExpired string // KFLOW_TEST_TLS_EXPIRED_BROKERS: SSL, server certificate expired in 2020
}

// Get reads the secure listeners from the environment. Without them the test is skipped,
// or fails under CI=true, where scripts/test.sh must have started the broker.
func Get(t testing.TB) Env {
	t.Helper()
	e := Env{
		SASL: os.Getenv("KFLOW_TEST_SASL_BROKERS"), User: os.Getenv("KFLOW_TEST_SASL_USER"),
		Password: os.Getenv("KFLOW_TEST_SASL_PASSWORD"), User2: os.Getenv("KFLOW_TEST_SASL_USER2"),
		Password2: os.Getenv("KFLOW_TEST_SASL_PASSWORD2"), TLS: os.Getenv("KFLOW_TEST_TLS_BROKERS"),
		CA: os.Getenv("KFLOW_TEST_TLS_CA"), MTLS: os.Getenv("KFLOW_TEST_MTLS_BROKERS"),
		ClientCert: os.Getenv("KFLOW_TEST_TLS_CLIENT_CERT"), ClientKey: os.Getenv("KFLOW_TEST_TLS_CLIENT_KEY"),
		SASLSSL: os.Getenv("KFLOW_TEST_SASL_SSL_BROKERS"), TLSExpired: os.Getenv("KFLOW_TEST_TLS_EXPIRED_BROKERS"),
	}
	for _, kv := range [][2]string{
		{"KFLOW_TEST_SASL_BROKERS", e.SASL}, {"KFLOW_TEST_SASL_USER", e.User}, {"KFLOW_TEST_SASL_PASSWORD", e.Password},
		{"KFLOW_TEST_SASL_USER2", e.User2}, {"KFLOW_TEST_SASL_PASSWORD2", e.Password2},
		{"KFLOW_TEST_TLS_BROKERS", e.TLS}, {"KFLOW_TEST_TLS_CA", e.CA}, {"KFLOW_TEST_MTLS_BROKERS", e.MTLS},
		{"KFLOW_TEST_TLS_CLIENT_CERT", e.ClientCert}, {"KFLOW_TEST_TLS_CLIENT_KEY", e.ClientKey},
		{"KFLOW_TEST_SASL_SSL_BROKERS", e.SASLSSL}, {"KFLOW_TEST_TLS_EXPIRED_BROKERS", e.TLSExpired},
	} {
		name, v := kv[0], kv[1]
		if v != "" {
			continue
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not set: run the tests with scripts/test.sh, whose broker has the secure listeners", name)
		}
		t.Skipf("%s not set: scripts/test.sh (scripts/kafka/start.sh) starts a broker with the secure listeners", name)
	}
	return e
}

// UnsecuredJWT is an unsigned JWT (alg "none") that Kafka's default OAUTHBEARER validator
// accepts: principal sub, issued at iat, expiring at exp, with scope when not empty.
func UnsecuredJWT(sub string, iat, exp time.Time, scope string) string {
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err) // maps of strings and numbers always marshal
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	claims := map[string]any{"sub": sub, "iat": iat.Unix(), "exp": exp.Unix()}
	if scope != "" {
		claims["scope"] = scope
	}
	return enc(map[string]string{"alg": "none"}) + "." + enc(claims) + "."
}

// TokenEndpoint is an OAuth 2 token endpoint for tests (httptest): it answers the
// client-credentials grant of client ID with secret Secret (HTTP basic authentication or form
// fields) with an UnsecuredJWT for Sub living Life, and counts the requests in Calls.
type TokenEndpoint struct {
	*httptest.Server
	Sub, ID, Secret string
	Life            time.Duration
	Calls           atomic.Int32

	mu    sync.Mutex
	form  map[string]string
	basic bool
	fail  func(w http.ResponseWriter, r *http.Request) bool
}

// NewTokenEndpoint starts a token endpoint minting tokens for sub, closed when the test ends.
// Its client is "kflow-client" with secret "kflow-client-secret-5e1d".
func NewTokenEndpoint(t testing.TB, sub string, life time.Duration) *TokenEndpoint {
	te := &TokenEndpoint{Sub: sub, ID: "kflow-client", Secret: "kflow-client-secret-5e1d", Life: life}
	te.Server = httptest.NewServer(http.HandlerFunc(te.serve))
	t.Cleanup(te.Close)
	return te
}

// SetFail has f answer the requests instead when it returns true (nil: none).
func (te *TokenEndpoint) SetFail(f func(w http.ResponseWriter, r *http.Request) bool) {
	te.mu.Lock()
	te.fail = f
	te.mu.Unlock()
}

// LastRequest is the last token request's form and whether it used basic authentication.
func (te *TokenEndpoint) LastRequest() (form map[string]string, basic bool) {
	te.mu.Lock()
	defer te.mu.Unlock()
	return te.form, te.basic
}

func (te *TokenEndpoint) serve(w http.ResponseWriter, r *http.Request) {
	te.Calls.Add(1)
	te.mu.Lock()
	fail := te.fail
	te.mu.Unlock()
	if fail != nil && fail(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost || r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_request"}`))
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	form := map[string]string{}
	for k := range r.PostForm {
		form[k] = r.PostForm.Get(k)
	}
	te.mu.Lock()
	te.form, te.basic = form, basic
	te.mu.Unlock()
	if id != te.ID || secret != te.Secret {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"client authentication failed"}`))
		return
	}
	now := time.Now()
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": UnsecuredJWT(te.Sub, now, now.Add(te.Life), r.PostForm.Get("scope")),
		"token_type":   "Bearer",
		"expires_in":   int(te.Life / time.Second),
	})
}
