package views

import (
	"errors"

	tea "charm.land/bubbletea/v2"
)

// OpenGroups returns a command opening the consumer-lag dashboard, of
// every group or, with topic set, of the groups reading topic. It fails
// with a notice when the connection cannot read groups.
func OpenGroups(c *Common, topic string) tea.Cmd {
	src, ok := SourceOf(c)
	if !ok {
		return Failure(errors.New("consumer groups: not connected to a cluster that can list them"))
	}
	return Push(NewGroups(c, src, topic, GroupsOptions{}))
}
