package views

import (
	"errors"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/lag"
)

// GroupsOptionsFromEnv returns the groups views' options with the
// thresholds of KFLOW_LAG_RULES, or the defaults and an error saying why
// the variable was not understood.
func GroupsOptionsFromEnv() (GroupsOptions, error) {
	s := os.Getenv(lag.RulesEnv)
	r, err := lag.ParseRules(s)
	if err != nil {
		return GroupsOptions{}, fmt.Errorf("%s: %w (using the defaults)", lag.RulesEnv, err)
	}
	return GroupsOptions{Rules: r}, nil
}

// lagRulesOf is the status thresholds for c: --lag-rules, else
// KFLOW_LAG_RULES, else the defaults (with the error saying why the
// variable was not understood).
func lagRulesOf(c *Common) (lag.Rules, error) {
	if c.LagRules != nil {
		return *c.LagRules, nil
	}
	opts, err := GroupsOptionsFromEnv()
	return opts.Rules, err
}

// NewLagMonitor makes the lag monitor of a connection: src sampled every
// interval (kafka.DefaultLagInterval when zero) with c's thresholds,
// timeout and clock. The shell runs it for as long as the connection
// lasts and puts it in Common.Lag for every view to read. A bad
// KFLOW_LAG_RULES leaves the defaults; the dashboard says so.
func NewLagMonitor(c *Common, src GroupsSource, interval time.Duration) *kafka.LagMonitor {
	rules, _ := lagRulesOf(c)
	return kafka.NewLagMonitor(src, kafka.LagMonitorOptions{Rules: rules, Interval: interval, Timeout: c.Timeout, Now: c.Now})
}

// OpenGroups returns a command opening the consumer-lag dashboard, of
// every group or, with topic set, of the groups reading topic. It fails
// with a notice when the connection cannot read groups.
func OpenGroups(c *Common, topic string) tea.Cmd {
	src, ok := SourceOf(c)
	if !ok {
		return Failure(errors.New("consumer groups: not connected to a cluster that can list them"))
	}
	rules, err := lagRulesOf(c)
	open := Push(NewGroups(c, src, topic, GroupsOptions{Rules: rules}))
	if err != nil {
		return tea.Batch(open, Failure(err))
	}
	return open
}
