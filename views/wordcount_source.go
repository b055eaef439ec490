package views

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/wordcount"
)

// WordCountEngine is a running word count engine instance as the panel
// drives it. *wordcount.Engine satisfies it.
type WordCountEngine interface {
	// Stats are the instance's counters.
	Stats() wordcount.Stats
	// Done is closed when the engine has stopped.
	Done() <-chan struct{}
	// Err says why the engine stopped, nil after a clean stop.
	Err() error
	// Close stops the engine and waits for it.
	Close() error
}

var _ WordCountEngine = (*wordcount.Engine)(nil)

// WordCountSource is what the word count panel needs from a connection:
// read the output topic, send lines into the input topic, read the
// engine's groups and start an engine in-process. Views never see
// franz-go; WordCountSourceOf adapts a *kafka.Client.
type WordCountSource interface {
	// Tail reads a topic into a ring.
	Tail(ctx context.Context, opts kafka.TailOptions, buffer int) (*kafka.Tail, error)
	// Produce sends one record.
	Produce(ctx context.Context, rec kafka.Record) (kafka.ProduceResult, error)
	// ListGroups lists the cluster's consumer groups.
	ListGroups(ctx context.Context) ([]kafka.GroupSummary, error)
	// Lag is the lag of the named groups.
	Lag(ctx context.Context, groups ...string) ([]kafka.GroupLag, error)
	// StartWordCount starts an engine instance that runs until ctx ends
	// or it is closed.
	StartWordCount(ctx context.Context, opts wordcount.Options) (WordCountEngine, error)
}

// clientWordCount adapts a client to WordCountSource: the client reads
// and writes the topics, wordcount.Run starts the engine on it.
type clientWordCount struct{ *kafka.Client }

var _ WordCountSource = clientWordCount{}

// StartWordCount runs the engine on the client.
func (c clientWordCount) StartWordCount(ctx context.Context, opts wordcount.Options) (WordCountEngine, error) {
	wc, err := wordcount.Run(ctx, c.Client, opts)
	if err != nil {
		return nil, err
	}
	return wc, nil
}

// WordCountSourceOf returns the Common's cluster as a WordCountSource,
// when it can be one.
func WordCountSourceOf(c *Common) (WordCountSource, bool) {
	switch cl := c.Cluster.(type) {
	case WordCountSource:
		return cl, true
	case *kafka.Client:
		return clientWordCount{cl}, true
	}
	return nil, false
}

// WordCountViewOptions say which engine the panel shows. Zero values take
// the engine's defaults (wordcount.Default*).
type WordCountViewOptions struct {
	// App is the engine's application id: its groups are App-split and
	// App-count.
	App string
	// Input is the topic of text lines the input line sends to.
	Input string
	// Output is the topic of counts the panel reads.
	Output string
	// Buffer is the ring the output topic is read into (wordCountBuffer
	// when zero).
	Buffer int
}

func (o WordCountViewOptions) withDefaults() WordCountViewOptions {
	if o.App == "" {
		o.App = wordcount.DefaultApp
	}
	if o.Input == "" {
		o.Input = wordcount.DefaultInput
	}
	if o.Output == "" {
		o.Output = wordcount.DefaultOutput
	}
	if o.Buffer <= 0 {
		o.Buffer = wordCountBuffer
	}
	return o
}

// OpenWordCount returns the command opening the word count panel on the
// connection in c, or a failure when the connection cannot run it.
func OpenWordCount(c *Common, opts WordCountViewOptions) tea.Cmd {
	src, ok := WordCountSourceOf(c)
	if !ok || c.Cluster == nil {
		return Failure(errors.New("word count: not connected to a cluster that can run it"))
	}
	return Push(NewWordCount(c, src, opts))
}
