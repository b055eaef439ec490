package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/views"
)

// Connector opens a connection; close ends it.
type Connector func(ctx context.Context, cfg kafka.ConnConfig) (cl views.Cluster, close func(), err error)

// DemoStarter starts the embedded demo cluster and returns it.
type DemoStarter func(ctx context.Context) (Demo, error)

// Demo is a running demo cluster: where its broker and its schema registry
// are, and how to stop it.
type Demo struct {
	Addr     string
	Registry string // the registry's URL; "" when it has none
	Stop     func()
}

// connectKafka is the real Connector.
func connectKafka(ctx context.Context, cfg kafka.ConnConfig) (views.Cluster, func(), error) {
	c, err := kafka.Connect(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return c, c.Close, nil
}

// connectedMsg answers a connection attempt; gen tells it from an older
// attempt that was overtaken.
type connectedMsg struct {
	gen     int
	cfg     kafka.ConnConfig
	cluster views.Cluster
	close   func()
	info    kafka.ClusterInfo
	err     error
}

// demoMsg answers starting the demo.
type demoMsg struct {
	demo Demo
	err  error
}

// healthMsg answers a cluster check: the periodic one, or a probe asked
// by a view's call (which schedules no next check).
type healthMsg struct {
	gen   int
	info  kafka.ClusterInfo
	err   error
	probe bool
}

// healthTickMsg schedules the next check.
type healthTickMsg struct{ gen int }

// topicNamesMsg feeds the palette's completion.
type topicNamesMsg struct {
	gen   int
	names []string
}

// connect connects with cfg under the command line's pinned settings;
// every connection of the UI goes through here, so a context switch, an
// edited address or the demo cannot drop --read-only or --timeout.
func (m *Model) connect(cfg kafka.ConnConfig) tea.Cmd {
	cfg = m.pins.apply(cfg)
	if cfg.ReadOnly {
		m.pins.ReadOnly = true // never loosened while kflow runs
	}
	m.connGen++
	gen := m.connGen
	m.state = stateConnecting
	m.connCfg = cfg
	ctx, conn := m.ctx, m.deps.Connect
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = kafka.DefaultTimeout
	}
	return func() tea.Msg {
		// Connect bounds itself by cfg.Timeout; the extra second is for
		// the cluster call that follows.
		cctx, cancel := context.WithTimeout(ctx, 2*timeout+time.Second)
		defer cancel()
		cl, closeFn, err := conn(cctx, cfg)
		if err != nil {
			return connectedMsg{gen: gen, cfg: cfg, err: err}
		}
		info, err := cl.Cluster(cctx)
		if err != nil {
			closeFn()
			return connectedMsg{gen: gen, cfg: cfg, err: fmt.Errorf("describe cluster at %s: %w", strings.Join(cfg.Brokers, ","), err)}
		}
		return connectedMsg{gen: gen, cfg: cfg, cluster: cl, close: closeFn, info: info}
	}
}

func (m *Model) startDemo() tea.Cmd {
	m.state = stateStartingDemo
	ctx, start := m.ctx, m.deps.StartDemo
	return func() tea.Msg {
		d, err := start(ctx)
		return demoMsg{demo: d, err: err}
	}
}

func (m *Model) checkHealth() tea.Cmd { return m.checkHealthProbe(false) }

func (m *Model) checkHealthProbe(probe bool) tea.Cmd {
	cl, gen, timeout := m.common.Cluster, m.connGen, m.common.Timeout
	ctx := m.ctx
	return func() tea.Msg {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		// Cluster asks a broker each time, never a cache: a lost
		// cluster fails here.
		info, err := cl.Cluster(cctx)
		return healthMsg{gen: gen, info: info, err: err, probe: probe}
	}
}

func (m *Model) healthTick() tea.Cmd {
	if m.deps.Health <= 0 {
		return nil
	}
	gen := m.connGen
	return tea.Tick(m.deps.Health, func(time.Time) tea.Msg { return healthTickMsg{gen: gen} })
}

func (m *Model) fetchTopicNames() tea.Cmd {
	if m.common.Cluster == nil {
		return nil
	}
	cl, gen, timeout, ctx := m.common.Cluster, m.connGen, m.common.Timeout, m.ctx
	return func() tea.Msg {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		ts, err := cl.ListTopics(cctx)
		if err != nil {
			return nil
		}
		names := make([]string, 0, len(ts))
		for _, t := range ts {
			names = append(names, t.Name)
		}
		return topicNamesMsg{gen: gen, names: names}
	}
}
