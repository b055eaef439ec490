package kafka

import (
	"context"
	"errors"
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
	if f, ok := c.formats[topic]; ok {
		return f[0], f[1]
	}
	if _, ok := c.cfg.Formats[topic]; !ok || c.formats != nil {
		return schema.FormatAuto, schema.FormatAuto
	}
	f, _ := parseTopicFormat(topic, c.cfg.Formats[topic]) // a Client made without Connect
	return f[0], f[1]
}

// ParseFormats parses a context's formats:, reading and compiling each
// local schema file once. An error is a *config.Error at the format's line
// in the config file, naming the schema file (and its own line:column
// where the schema's compiler says).
func ParseFormats(tfs map[string]config.TopicFormat) (map[string][2]schema.Format, error) {
	out := make(map[string][2]schema.Format, len(tfs))
	for topic, tf := range tfs {
		f, err := parseTopicFormat(topic, tf)
		if err != nil {
			return nil, err
		}
		out[topic] = f
	}
	return out, nil
}

func parseTopicFormat(topic string, tf config.TopicFormat) (f [2]schema.Format, err error) {
	for i, side := range []struct {
		what, spec string
		line       int
	}{{"key", tf.Key, tf.KeyLine}, {"value", tf.Value, tf.ValueLine}} {
		if f[i], err = schema.ParseFormatIn(side.spec, tf.Dir); err != nil {
			msg := fmt.Sprintf("formats %s %s: %v", topic, side.what, err)
			if tf.File == "" {
				return f, errors.New(msg)
			}
			return f, &config.Error{Path: tf.File, Line: side.line, Msg: msg}
		}
	}
	return f, nil
}
