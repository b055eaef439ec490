package views

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
)

// topicsLoaded is what one refresh of the topics view fetches.
type topicsLoaded = Result[[]kafka.TopicSummary]

// topicCreated and topicDeleted answer the form and the confirmation.
type topicCreated struct{ Name string }
type topicDeleted struct{ Name string }

func (v *Topics) load() tea.Cmd {
	v.gen++
	v.loading = true
	cl := v.c.Cluster
	return Call(v.c, v.id, v.gen, "list topics", func(ctx context.Context) ([]kafka.TopicSummary, error) {
		return cl.ListTopics(ctx)
	})
}

func (v *Topics) create(spec kafka.TopicSpec) tea.Cmd {
	cl := v.c.Cluster
	return Call(v.c, v.id, 0, "create topic "+spec.Name, func(ctx context.Context) (topicCreated, error) {
		return topicCreated{spec.Name}, cl.CreateTopic(ctx, spec)
	})
}

func (v *Topics) delete(name string) tea.Cmd {
	cl := v.c.Cluster
	return Call(v.c, v.id, 0, "delete topic "+name, func(ctx context.Context) (topicDeleted, error) {
		return topicDeleted{name}, cl.DeleteTopic(ctx, name)
	})
}
