package kafka

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/config"
	"kflow/internal/securetest"
)

// tokenEndpoint is an OAuth token endpoint for tests: it mints the
// unsigned JWTs Kafka's default OAUTHBEARER validator accepts for the
// client-credentials grant, and counts the requests.
type tokenEndpoint struct {
	*httptest.Server
	sub, id, secret string
	life            time.Duration

	calls atomic.Int32
	mu    sync.Mutex
	form  map[string]string // the last request's form
	basic bool              // whether it used basic authentication
	fail  func(w http.ResponseWriter, r *http.Request) bool
}

func newTokenEndpoint(t *testing.T, sub string, life time.Duration) *tokenEndpoint {
	te := &tokenEndpoint{sub: sub, id: "kflow-client", secret: "kflow-client-secret-5e1d", life: life}
	te.Server = httptest.NewServer(http.HandlerFunc(te.serve))
	t.Cleanup(te.Close)
	return te
}

func (te *tokenEndpoint) serve(w http.ResponseWriter, r *http.Request) {
	te.calls.Add(1)
	te.mu.Lock()
	fail := te.fail
	te.mu.Unlock()
	if fail != nil && fail(w, r) {
		return
	}
	if r.Method != http.MethodPost || r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	te.mu.Lock()
	te.form = map[string]string{}
	for k := range r.PostForm {
		te.form[k] = r.PostForm.Get(k)
	}
	te.basic = basic
	te.mu.Unlock()
	if id != te.id || secret != te.secret {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"client authentication failed"}`))
		return
	}
	now := time.Now()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": securetest.UnsecuredJWT(te.sub, now, now.Add(te.life), r.PostForm.Get("scope")),
		"token_type":   "Bearer",
		"expires_in":   int(te.life / time.Second),
	})
}

func (te *tokenEndpoint) setFail(f func(w http.ResponseWriter, r *http.Request) bool) {
	te.mu.Lock()
	te.fail = f
	te.mu.Unlock()
}

func (te *tokenEndpoint) client(auth string) *config.OAuthClient {
	return &config.OAuthClient{TokenURL: te.URL + "/oauth2/token", ClientID: te.id, ClientSecret: config.Secret{Env: "KFLOW_TEST_CLIENT_SECRET"},
		Scope: "kafka", Params: map[string]string{"audience": "kflow-test"}, Auth: auth}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// TestOAuthClientCredentialsSource: the token is fetched with the
// client-credentials grant (basic or form credentials, scope, extra
// params), reused while fresh, fetched again when less than a fifth of its
// life is left, kept when a refresh fails before it expires.
func TestOAuthClientCredentialsSource(t *testing.T) {
	te := newTokenEndpoint(t, "kflow-admin", time.Hour)
	t.Setenv("KFLOW_TEST_CLIENT_SECRET", te.secret)
	ctx := testCtx(t)
	for _, auth := range []string{config.OAuthAuthBasic, config.OAuthAuthBody} {
		t.Run(auth, func(t *testing.T) {
			te.calls.Store(0)
			clock := &fakeClock{now: time.Now()}
			src, err := newOAuthSource(ctx, *te.client(auth), map[string]string{"logicalCluster": "lkc-1"}, 5*time.Second, clock.Now)
			if err != nil {
				t.Fatal(err)
			}
			a, err := src.auth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if a.Token == "" || a.Extensions["logicalCluster"] != "lkc-1" {
				t.Errorf("auth = %+v", a)
			}
			te.mu.Lock()
			form, basic := te.form, te.basic
			te.mu.Unlock()
			if basic != (auth == config.OAuthAuthBasic) || form["scope"] != "kafka" || form["audience"] != "kflow-test" {
				t.Errorf("request: basic %v form %v", basic, form)
			}
			if _, inBody := form["client_secret"]; inBody == (auth == config.OAuthAuthBasic) {
				t.Errorf("auth %s: client_secret in the form = %v", auth, inBody)
			}

			clock.Add(47 * time.Minute) // 13 min left of 60: fresh
			if b, _ := src.auth(ctx); b.Token != a.Token || te.calls.Load() != 1 {
				t.Errorf("a fresh token was not reused: %d calls", te.calls.Load())
			}
			clock.Add(2 * time.Minute) // 11 min left: under a fifth of the hour, but the margin is at most 60 s
			if _, err := src.auth(ctx); err != nil || te.calls.Load() != 1 {
				t.Errorf("refetched with 11 min left: %d calls, %v", te.calls.Load(), err)
			}
			clock.Add(10*time.Minute + 30*time.Second) // 30 s left: refresh
			if _, err := src.auth(ctx); err != nil || te.calls.Load() != 2 {
				t.Errorf("not refreshed 30 s before expiry: %d calls, %v", te.calls.Load(), err)
			}

			// A failing refresh keeps the token while it lasts, then fails.
			te.setFail(func(w http.ResponseWriter, _ *http.Request) bool {
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			})
			defer te.setFail(nil)
			clock.Add(59*time.Minute + 10*time.Second) // 50 s left of the second token
			if _, err := src.auth(ctx); err != nil {
				t.Errorf("a refresh failure before expiry failed the connection: %v", err)
			}
			clock.Add(time.Minute)
			if _, err := src.auth(ctx); err == nil || !strings.Contains(err.Error(), "503") {
				t.Errorf("an expired token with a failing endpoint = %v", err)
			}
		})
	}
}

// TestOAuthClientCredentialsErrors: a refusing, broken or silent token
// endpoint fails Connect at once with the endpoint and the cause, never the
// client secret.
func TestOAuthClientCredentialsErrors(t *testing.T) {
	te := newTokenEndpoint(t, "kflow-admin", time.Hour)
	ctx := testCtx(t)
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	for _, tc := range []struct {
		name   string
		secret string
		fail   func(w http.ResponseWriter, r *http.Request) bool
		want   []string
	}{
		{"wrong secret", "not-the-secret-81b2", nil, []string{"answered 401 Unauthorized: invalid_client (client authentication failed)", "check client_id and client_secret"}},
		{"not JSON", te.secret, func(w http.ResponseWriter, _ *http.Request) bool {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>Sign in</body></html>"))
			return true
		}, []string{"not a JSON token response", `content type "text/html", starting "<html><body>Sign in</body></html>"`}},
		{"no access_token", te.secret, func(w http.ResponseWriter, _ *http.Request) bool {
			_, _ = w.Write([]byte(`{"token_type":"Bearer"}`))
			return true
		}, []string{"the answer has no access_token"}},
		{"timeout", te.secret, func(_ http.ResponseWriter, r *http.Request) bool {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
			return true
		}, []string{"no answer within 500ms (timed out)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KFLOW_TEST_CLIENT_SECRET", tc.secret)
			te.setFail(tc.fail)
			defer te.setFail(nil)
			start := time.Now()
			c, err := Connect(ctx, ConnConfig{Brokers: []string{"127.0.0.1:1"}, Timeout: 500 * time.Millisecond,
				SASL: &config.SASL{Mechanism: "OAUTHBEARER", ClientCredentials: te.client(config.OAuthAuthBasic)}})
			if err == nil {
				c.Close()
				t.Fatal("connected")
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			for _, want := range append([]string{"sasl OAUTHBEARER: get a token from " + te.URL + "/oauth2/token: "}, tc.want...) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
			if strings.Contains(err.Error(), tc.secret) {
				t.Errorf("error holds the client secret: %v", err)
			}
		})
	}
}

// TestOAuthClientCredentialsBroker connects through the real broker's
// OAUTHBEARER listener with tokens from a local token endpoint: one token
// serves the client and its consumers' connections, and once it is about to
// expire the next connection authenticates with a fresh one.
func TestOAuthClientCredentialsBroker(t *testing.T) {
	e := securetest.Get(t)
	te := newTokenEndpoint(t, e.User, time.Hour)
	t.Setenv("KFLOW_TEST_CLIENT_SECRET", te.secret)
	ctx := testCtx(t)
	clock := &fakeClock{now: time.Now()}
	cfg := ConnConfig{Brokers: []string{e.SASL}, Timeout: 10 * time.Second, now: clock.Now,
		SASL: &config.SASL{Mechanism: "OAUTHBEARER", ClientCredentials: te.client(config.OAuthAuthBasic)}}
	c, err := Connect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	topic := uniqueTopic(t)
	mustCreate(t, c, topic, 1, nil)
	if _, err := c.Produce(ctx, Record{Topic: topic, Partition: -1, Value: []byte("v")}); err != nil {
		t.Fatal(err)
	}
	if recs := drain(t, c, TailOptions{Topic: topic, Start: Start{Kind: StartBeginning}}); len(recs) != 1 {
		t.Fatalf("tailed %d records", len(recs))
	}
	if n := te.calls.Load(); n != 1 {
		t.Errorf("token endpoint called %d times for one client and its consumer, want 1", n)
	}

	clock.Add(59*time.Minute + 30*time.Second)
	cl, err := kgo.NewClient(c.baseOpts...) // a new connection, as a consumer opens
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Ping(ctx); err != nil {
		t.Fatalf("a connection with the refreshed token: %v", err)
	}
	if n := te.calls.Load(); n != 2 {
		t.Errorf("token endpoint called %d times after the token neared expiry, want 2", n)
	}
}
