package kafka

import (
	"context"
	"fmt"

	"kflow/config"
	"kflow/kafka/schema"
)

// registryConfig resolves the connection's Schema Registry settings (its
// secrets and TLS files) for the schema package. The zero Config, and no
// error, when none is configured.
func registryConfig(ctx context.Context, cfg ConnConfig) (schema.Config, error) {
	r := cfg.Registry
	if r == nil || r.URL == "" {
		return schema.Config{}, nil
	}
	out := schema.Config{URL: r.URL, Timeout: cfg.timeout()}
	if r.BasicAuth != nil {
		out.Username = r.BasicAuth.Username
		pw, err := r.BasicAuth.Password.Resolve(ctx)
		if err != nil {
			return out, fmt.Errorf("schema registry %s: basic-auth password: %w", r.URL, err)
		}
		out.Password = pw
	}
	if !r.Bearer.IsZero() {
		tok, err := r.Bearer.Resolve(ctx)
		if err != nil {
			return out, fmt.Errorf("schema registry %s: bearer: %w", r.URL, err)
		}
		out.Bearer = tok
	}
	if r.TLS != nil {
		tc, err := tlsClientConfig(*r.TLS)
		if err != nil {
			return out, fmt.Errorf("schema registry %s: %w", r.URL, err)
		}
		out.TLS = tc
	}
	return out, nil
}

// connectRegistry makes the client's registry, when one is configured. It
// sends nothing: an unreachable registry shows on the first lookup, and the
// records are shown raw meanwhile.
func (c *Client) connectRegistry(ctx context.Context) error {
	sc, err := registryConfig(ctx, c.cfg)
	if err != nil || !sc.Enabled() {
		return err
	}
	c.reg, err = schema.New(sc)
	return err
}

// Registry is the connection's Schema Registry, nil when none is
// configured (--registry, KFLOW_REGISTRY or the context's schema-registry).
func (c *Client) Registry() *schema.Registry { return c.reg }

// WithRegistryURL is cfg pointed at the registry at url, keeping the
// context's registry credentials and TLS (as -b keeps its SASL): what
// --registry and KFLOW_REGISTRY do.
func (cfg ConnConfig) WithRegistryURL(url string) ConnConfig {
	r := &config.Registry{}
	if cfg.Registry != nil {
		cp := *cfg.Registry
		r = &cp
	}
	r.URL = url
	cfg.Registry = r
	return cfg
}

// Formats are how topic's keys and values are read by the connection's
// settings (a context's formats:): auto for a topic not named there.
func (c *Client) Formats(topic string) (key, value schema.Format) {
	tf := c.cfg.Formats[topic]
	key, _ = schema.ParseFormat(tf.Key) // config checked the names
	value, _ = schema.ParseFormat(tf.Value)
	return key, value
}
