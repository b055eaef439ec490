package ui

import (
	"time"

	"kflow/kafka"
)

// Pinned are the connection settings given on the command line
// (--read-only, --timeout). They hold over every connection the UI makes
// afterwards: a :context switch, an edited address, the demo cluster. The
// address is not pinned: choosing another cluster is what those are for.
// Read-only only tightens: once any connection of the session was
// read-only, every later one is.
type Pinned struct {
	// ReadOnly refuses every write on every connection.
	ReadOnly bool
	// Timeout, when above zero, replaces the context's timeout.
	Timeout time.Duration
	// Registry, when set, replaces the context's Schema Registry URL
	// (keeping its credentials).
	Registry string
}

// apply lays the pinned settings over cfg.
func (p Pinned) apply(cfg kafka.ConnConfig) kafka.ConnConfig {
	if p.ReadOnly {
		cfg.ReadOnly = true
	}
	if p.Timeout > 0 {
		cfg.Timeout = p.Timeout
	}
	if p.Registry != "" {
		cfg = cfg.WithRegistryURL(p.Registry)
	}
	return cfg
}
