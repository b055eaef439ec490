package kafka

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/sasl/oauth"

	"kflow/config"
)

// oauthRefreshMargin caps how long before its expiry a token is replaced:
// a fifth of its lifetime, at most this.
const oauthRefreshMargin = 60 * time.Second

// oauthDefaultLifetime is how long a token is kept when the endpoint says
// nothing of its expiry (no expires_in, not a JWT with exp).
const oauthDefaultLifetime = 5 * time.Minute

// oauthMaxBody bounds what is read of a token endpoint's answer.
const oauthMaxBody = 1 << 20

// oauthSource fetches OAUTHBEARER tokens with the OAuth client-credentials
// grant (RFC 6749 §4.4) and hands the current one to every new broker
// connection, fetching the next when less than a fifth of its lifetime (at
// most oauthRefreshMargin) is left. Fetches are serialised, so connections
// opened together share one.
type oauthSource struct {
	cc      config.OAuthClient
	secret  string // the resolved client secret
	ext     map[string]string
	hc      *http.Client
	timeout time.Duration
	now     func() time.Time

	mu        sync.Mutex
	token     string
	expires   time.Time // when the current token expires
	refreshAt time.Time // when to fetch the next one
}

// newOAuthSource resolves the client secret (once, bounded by ctx) and
// prepares the HTTP client of the token endpoint.
func newOAuthSource(ctx context.Context, cc config.OAuthClient, ext map[string]string, timeout time.Duration, now func() time.Time) (*oauthSource, error) {
	secret, err := cc.ClientSecret.Resolve(ctx)
	if err != nil {
		return nil, fmt.Errorf("sasl OAUTHBEARER client_secret: %w", err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if cc.TLS != nil {
		tc, err := tlsClientConfig(*cc.TLS)
		if err != nil {
			return nil, fmt.Errorf("sasl OAUTHBEARER token endpoint: %w", err)
		}
		tr.TLSClientConfig = tc
	}
	if now == nil {
		now = time.Now
	}
	return &oauthSource{cc: cc, secret: secret, ext: ext, timeout: timeout, now: now,
		hc: &http.Client{Transport: tr, Timeout: timeout}}, nil
}

// auth is the franz-go callback, called for every connection (and
// re-authentication): the cached token while it is fresh, else a new one.
// A failed refresh falls back on a token that has not expired yet.
func (s *oauthSource) auth(ctx context.Context) (oauth.Auth, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.token != "" && now.Before(s.refreshAt) {
		return oauth.Auth{Token: s.token, Extensions: s.ext}, nil
	}
	tok, life, err := s.fetch(ctx)
	if err != nil {
		if s.token != "" && now.Before(s.expires) {
			return oauth.Auth{Token: s.token, Extensions: s.ext}, nil
		}
		return oauth.Auth{}, err
	}
	s.token = tok
	s.expires = now.Add(life)
	s.refreshAt = s.expires.Add(-min(life/5, oauthRefreshMargin))
	return oauth.Auth{Token: tok, Extensions: s.ext}, nil
}

// endpoint is the token URL for messages, without any user info in it.
func (s *oauthSource) endpoint() string {
	if u, err := url.Parse(s.cc.TokenURL); err == nil {
		return u.Redacted()
	}
	return s.cc.TokenURL
}

// fetch posts one client-credentials request and returns the access token
// and its lifetime. Its errors name the endpoint and never hold the client
// secret or a token.
func (s *oauthSource) fetch(ctx context.Context) (string, time.Duration, error) {
	fail := func(format string, args ...any) (string, time.Duration, error) {
		return "", 0, fmt.Errorf("sasl OAUTHBEARER: get a token from %s: %s", s.endpoint(), fmt.Sprintf(format, args...))
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	if s.cc.Scope != "" {
		form.Set("scope", s.cc.Scope)
	}
	for k, v := range s.cc.Params {
		form.Set(k, v)
	}
	if s.cc.Auth == config.OAuthAuthBody {
		form.Set("client_id", s.cc.ClientID)
		form.Set("client_secret", s.secret)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cc.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fail("%v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if s.cc.Auth != config.OAuthAuthBody {
		// RFC 6749 §2.3.1: both form-encoded before basic authentication.
		req.SetBasicAuth(url.QueryEscape(s.cc.ClientID), url.QueryEscape(s.secret))
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ue) && ue.Timeout()) {
			return fail("no answer within %v (timed out)", s.timeout)
		}
		if errors.As(err, &ue) {
			err = ue.Err // the URL is said already
		}
		if cause, hint := describeSecurity(err, ConnConfig{TLS: s.cc.TLS}); cause != "" {
			return fail("%s: %s", cause, hint)
		}
		return fail("%v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, oauthMaxBody))
	if err != nil {
		return fail("read the answer: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fail("%s", oauthHTTPError(resp.Status, resp.StatusCode, body))
	}
	var tr struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &tr); err != nil {
		return fail("the answer is not a JSON token response (%v; %s)", err, oauthSnippet(resp.Header.Get("Content-Type"), body))
	}
	if tr.AccessToken == "" {
		return fail("the answer has no access_token")
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
		return fail("the token_type is %q, not Bearer", tr.TokenType)
	}
	life, ok := expiresIn(tr.ExpiresIn)
	if !ok {
		life, ok = jwtLifetime(tr.AccessToken, s.now())
	}
	if !ok {
		life = oauthDefaultLifetime
	}
	return tr.AccessToken, life, nil
}

// oauthHTTPError words a refused token request with the provider's
// RFC 6749 §5.2 error, when it gave one.
func oauthHTTPError(status string, code int, body []byte) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	msg := "answered " + status
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		msg += ": " + e.Error
		if e.Description != "" {
			msg += " (" + truncateRunes(e.Description, 200) + ")"
		}
	}
	switch {
	case code == http.StatusUnauthorized || e.Error == "invalid_client":
		msg += ": check client_id and client_secret (and auth: basic or body, as the provider expects)"
	case e.Error == "invalid_scope":
		msg += ": check scope"
	case code == http.StatusNotFound:
		msg += ": check token_url"
	}
	return msg
}

// oauthSnippet shows the start of an answer that is not JSON (an HTML
// login page, a proxy's error), never more than a line.
func oauthSnippet(contentType string, body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	return fmt.Sprintf("content type %q, starting %q", contentType, truncateRunes(s, 60))
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// expiresIn reads expires_in, a number of seconds (some providers send it
// as a string).
func expiresIn(raw json.RawMessage) (time.Duration, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f <= 0 {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}

// jwtLifetime is how long a JWT access token has left by its exp claim.
// The token is only read, not verified: the broker verifies it.
func jwtLifetime(token string, now time.Time) (time.Duration, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return 0, false
	}
	var c struct {
		Exp float64 `json:"exp"`
	}
	if json.Unmarshal(payload, &c) != nil || c.Exp == 0 {
		return 0, false
	}
	life := time.Unix(int64(c.Exp), 0).Sub(now)
	return life, life > 0
}
