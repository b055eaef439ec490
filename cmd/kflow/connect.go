package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"kflow/config"
	"kflow/kafka"
	"kflow/kafka/demo"
)

// resolved is what the flags, the environment and the config file say
// about the connection.
type resolved struct {
	conn        kafka.ConnConfig
	contextName string
	file        *config.File
}

// resolve applies precedence: -b over KFLOW_BROKERS over the context
// (--context, else the file's current one) over localhost:9092. -b keeps
// the context's TLS and SASL: it only redirects the address.
func resolve(g *globals, e env) (resolved, error) {
	var r resolved
	// "" reads the default file, or kaf's contexts when it is missing.
	f, err := config.Load(g.config)
	if err != nil {
		return r, err
	}
	if g.config == "" && g.context == "" && len(f.Names()) == 0 {
		f = nil
	}
	r.file = f
	if f != nil && (g.context != "" || f.CurrentContext != "") {
		c, err := f.Context(g.context)
		if err != nil {
			return r, usagef("%v", err)
		}
		r.conn = kafka.ContextConn(c)
		r.contextName = g.context
		if r.contextName == "" {
			r.contextName = f.CurrentContext
		}
	}
	brokers := g.brokers
	if brokers == "" && len(r.conn.Brokers) == 0 {
		brokers = e.getenv("KFLOW_BROKERS")
	}
	if brokers == "" && len(r.conn.Brokers) == 0 {
		brokers = kafka.DefaultBrokers
	}
	if brokers != "" {
		bs, err := config.ParseBrokers(brokers)
		if err != nil {
			return r, usagef("-b/--brokers: %v", err)
		}
		r.conn.Brokers = bs
	}
	reg := g.registry
	if reg == "" && (r.conn.Registry == nil || r.conn.Registry.URL == "") {
		reg = e.getenv("KFLOW_REGISTRY")
	}
	if reg != "" {
		r.conn = r.conn.WithRegistryURL(reg)
	}
	if g.readOnly {
		r.conn.ReadOnly = true
	}
	if g.timeout < 0 {
		return r, usagef("--timeout must be positive, not %v", g.timeout)
	}
	if g.timeout > 0 {
		r.conn.Timeout = g.timeout
	}
	r.conn.Compression = g.compression
	return r, nil
}

// connect resolves the flags and connects, or starts an in-process demo
// cluster with --demo. The returned cleanup closes both.
func connect(ctx context.Context, g *globals, e env) (*kafka.Client, func(), error) {
	r, err := resolve(g, e)
	if err != nil {
		return nil, nil, err
	}
	var dc *demo.Cluster
	if g.demo {
		dc, err = demo.Start(ctx, demo.Options{Listen: "127.0.0.1:0"})
		if err != nil {
			return nil, nil, fmt.Errorf("start the demo cluster: %w", err)
		}
		r.conn.Brokers = []string{dc.Addr()}
		r.conn = r.conn.WithRegistryURL(dc.RegistryURL())
	}
	c, err := kafka.Connect(ctx, r.conn)
	if err != nil {
		if dc != nil {
			dc.Close()
		}
		return nil, nil, err
	}
	return c, func() {
		c.Close()
		if dc != nil {
			dc.Close()
		}
	}, nil
}

// configDir is where user themes and history live.
func configDir(e env) string {
	if d := e.getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "kflow")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".config", "kflow")
	}
	return ""
}

// setupNoArgs parses the flags of a command that takes no positional
// arguments, and connects: the preamble those commands share.
func setupNoArgs(ctx context.Context, e env, fs *flag.FlagSet, g *globals, args []string) (*kafka.Client, func(), error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if err := wantArgs(fs.Name(), pos, 0, "no arguments"); err != nil {
		return nil, nil, err
	}
	return connect(ctx, g, e)
}
