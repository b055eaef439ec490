package schema

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/sr"
)

// DefaultTimeout bounds each registry request when Config.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// Config says how to reach a Schema Registry. Secrets arrive resolved: the
// config package keeps them as references until the client connects.
type Config struct {
	// URL is the registry's base URL, e.g. http://localhost:8081 (for
	// Apicurio's Confluent API: http://host:8080/apis/ccompat/v7).
	URL string
	// Username and Password, when Username is set, are HTTP basic auth.
	Username, Password string
	// Bearer, when set, is sent as an Authorization: Bearer token.
	Bearer string
	// TLS, when set, is used for https URLs.
	TLS *tls.Config
	// Timeout bounds each request; DefaultTimeout when zero.
	Timeout time.Duration
}

// Enabled reports whether a registry is configured at all.
func (c Config) Enabled() bool { return c.URL != "" }

func (c Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// Registry is one Schema Registry. It is safe for concurrent use.
type Registry struct {
	url     string
	timeout time.Duration
	cl      *sr.Client
}

// New makes a Registry client. It does not contact the registry: the first
// request does, bounded by cfg.Timeout.
func New(cfg Config) (*Registry, error) {
	if cfg.URL == "" {
		return nil, errors.New("schema registry: no URL")
	}
	if !strings.HasPrefix(cfg.URL, "http://") && !strings.HasPrefix(cfg.URL, "https://") {
		return nil, fmt.Errorf("schema registry %q: the URL must start with http:// or https://", cfg.URL)
	}
	t := cfg.timeout()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.TLS != nil {
		tr.TLSClientConfig = cfg.TLS
	}
	opts := []sr.ClientOpt{
		sr.URLs(strings.TrimRight(cfg.URL, "/")),
		sr.HTTPClient(&http.Client{Timeout: t, Transport: limitedTransport{rt: tr, max: maxRegistryAnswer}}),
		sr.UserAgent("kflow"),
	}
	if cfg.Username != "" {
		opts = append(opts, sr.BasicAuth(cfg.Username, cfg.Password))
	}
	if cfg.Bearer != "" {
		opts = append(opts, sr.BearerToken(cfg.Bearer))
	}
	cl, err := sr.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("schema registry %s: %w", cfg.URL, err)
	}
	return &Registry{url: cfg.URL, timeout: t, cl: cl}, nil
}

// URL is the registry's base URL, for messages.
func (r *Registry) URL() string { return r.url }
