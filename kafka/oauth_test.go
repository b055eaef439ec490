package kafka

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/config"
	"kflow/internal/securetest"
)

func newTokenEndpoint(t *testing.T, sub string, life time.Duration) *securetest.TokenEndpoint {
	return securetest.NewTokenEndpoint(t, sub, life)
}

// oauthClient is the client-credentials config of te, its secret in
// KFLOW_TEST_CLIENT_SECRET.
func oauthClient(te *securetest.TokenEndpoint, auth string) *config.OAuthClient {
	return &config.OAuthClient{TokenURL: te.URL + "/oauth2/token", ClientID: te.ID, ClientSecret: config.Secret{Env: "KFLOW_TEST_CLIENT_SECRET"},
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
	t.Setenv("KFLOW_TEST_CLIENT_SECRET", te.Secret)
	ctx := testCtx(t)
	for _, auth := range []string{config.OAuthAuthBasic, config.OAuthAuthBody} {
		t.Run(auth, func(t *testing.T) {
			te.Calls.Store(0)
			clock := &fakeClock{now: time.Now()}
			src, err := newOAuthSource(ctx, *oauthClient(te, auth), map[string]string{"logicalCluster": "lkc-1"}, 5*time.Second, clock.Now)
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
			form, basic := te.LastRequest()
			if basic != (auth == config.OAuthAuthBasic) || form["scope"] != "kafka" || form["audience"] != "kflow-test" {
				t.Errorf("request: basic %v form %v", basic, form)
			}
			if _, inBody := form["client_secret"]; inBody == (auth == config.OAuthAuthBasic) {
				t.Errorf("auth %s: client_secret in the form = %v", auth, inBody)
			}

			clock.Add(47 * time.Minute) // 13 min left of 60: fresh
			if b, _ := src.auth(ctx); b.Token != a.Token || te.Calls.Load() != 1 {
				t.Errorf("a fresh token was not reused: %d calls", te.Calls.Load())
			}
			clock.Add(2 * time.Minute) // 11 min left: under a fifth of the hour, but the margin is at most 60 s
			if _, err := src.auth(ctx); err != nil || te.Calls.Load() != 1 {
				t.Errorf("refetched with 11 min left: %d calls, %v", te.Calls.Load(), err)
			}
			clock.Add(10*time.Minute + 30*time.Second) // 30 s left: refresh
			if _, err := src.auth(ctx); err != nil || te.Calls.Load() != 2 {
				t.Errorf("not refreshed 30 s before expiry: %d calls, %v", te.Calls.Load(), err)
			}

			// A failing refresh keeps the token while it lasts, then fails.
			te.SetFail(func(w http.ResponseWriter, _ *http.Request) bool {
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			})
			defer te.SetFail(nil)
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
		{"not JSON", te.Secret, func(w http.ResponseWriter, _ *http.Request) bool {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>Sign in</body></html>"))
			return true
		}, []string{"not a JSON token response", `content type "text/html", starting "<html><body>Sign in</body></html>"`}},
		{"no access_token", te.Secret, func(w http.ResponseWriter, _ *http.Request) bool {
			_, _ = w.Write([]byte(`{"token_type":"Bearer"}`))
			return true
		}, []string{"the answer has no access_token"}},
		{"timeout", te.Secret, func(_ http.ResponseWriter, r *http.Request) bool {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
			return true
		}, []string{"no answer within 500ms (timed out)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KFLOW_TEST_CLIENT_SECRET", tc.secret)
			te.SetFail(tc.fail)
			defer te.SetFail(nil)
			start := time.Now()
			c, err := Connect(ctx, ConnConfig{Brokers: []string{"127.0.0.1:1"}, Timeout: 500 * time.Millisecond,
				SASL: &config.SASL{Mechanism: "OAUTHBEARER", ClientCredentials: oauthClient(te, config.OAuthAuthBasic)}})
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
	t.Setenv("KFLOW_TEST_CLIENT_SECRET", te.Secret)
	ctx := testCtx(t)
	clock := &fakeClock{now: time.Now()}
	cfg := ConnConfig{Brokers: []string{e.SASL}, Timeout: 10 * time.Second, now: clock.Now,
		SASL: &config.SASL{Mechanism: "OAUTHBEARER", ClientCredentials: oauthClient(te, config.OAuthAuthBasic)}}
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
	if n := te.Calls.Load(); n != 1 {
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
	if n := te.Calls.Load(); n != 2 {
		t.Errorf("token endpoint called %d times after the token neared expiry, want 2", n)
	}
}
