package views

import (
	"errors"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// LagRulesEnv names the environment variable holding the status
// thresholds (window=15,min=4,stop=2m; see docs/lag-status.md).
const LagRulesEnv = "KFLOW_LAG_RULES"

// GroupsOptionsFromEnv returns the groups views' options with the
// thresholds of KFLOW_LAG_RULES, or the defaults and an error saying why
// the variable was not understood.
func GroupsOptionsFromEnv() (GroupsOptions, error) {
	s := os.Getenv(LagRulesEnv)
	r, err := kafka.ParseLagRules(s)
	if err != nil {
		return GroupsOptions{}, fmt.Errorf("%s: %w (using the defaults)", LagRulesEnv, err)
	}
	return GroupsOptions{Rules: r}, nil
}

// OpenGroups returns a command opening the consumer-lag dashboard, of
// every group or, with topic set, of the groups reading topic. It fails
// with a notice when the connection cannot read groups.
func OpenGroups(c *Common, topic string) tea.Cmd {
	src, ok := SourceOf(c)
	if !ok {
		return Failure(errors.New("consumer groups: not connected to a cluster that can list them"))
	}
	opts, err := GroupsOptions{}, error(nil)
	if c.LagRules != nil {
		opts.Rules = *c.LagRules
	} else {
		opts, err = GroupsOptionsFromEnv()
	}
	open := Push(NewGroups(c, src, topic, opts))
	if err != nil {
		return tea.Batch(open, Failure(err))
	}
	return open
}
