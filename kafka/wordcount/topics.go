package wordcount

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"kflow/kafka"
)

// wordCountTopics names the engine's topics, checks the input and output,
// creates the missing ones and checks that the changelog is co-partitioned
// with the repartition topic: the count of the words of repartition
// partition p lives in changelog partition p.
//
// Nothing is created when a check fails: a mistyped input is reported,
// not created (unless opts.CreateInput), and an existing output that is
// no count topic is refused before any internal topic is made.
func wordCountTopics(ctx context.Context, c *kafka.Client, opts *Options) (wcTopics, error) {
	t := wcTopics{
		input:       opts.Input,
		output:      opts.Output,
		repartition: opts.App + "-counts-repartition",
		changelog:   opts.App + "-counts-changelog",
	}
	compact := map[string]string{"cleanup.policy": "compact"}
	inParts, err := c.TopicPartitions(ctx, t.input)
	if err != nil {
		return t, err
	}
	if inParts == 0 && !opts.CreateInput {
		return t, missingInput(ctx, c, t.input)
	}
	if t.outputParts, err = c.TopicPartitions(ctx, t.output); err != nil {
		return t, err
	}
	if t.outputParts > 0 {
		if err := checkCountTopic(ctx, c, t.output, t.outputParts); err != nil {
			return t, err
		}
	}
	// The input first: with Partitions zero, the internal topics take its
	// partition count, as Kafka Streams sizes repartition topics.
	if inParts == 0 {
		if inParts, err = ensureTopic(ctx, c, opts, kafka.TopicSpec{Name: t.input, Partitions: opts.Partitions}); err != nil {
			return t, err
		}
	}
	internal := opts.Partitions
	if internal == 0 {
		internal = inParts
	}
	if t.outputParts == 0 {
		if t.outputParts, err = ensureTopic(ctx, c, opts, kafka.TopicSpec{Name: t.output, Partitions: opts.Partitions, Configs: compact}); err != nil {
			return t, err
		}
	}
	// Not compacted: a word's repartition records must all be counted,
	// not just its latest. Kept without a time limit, as Kafka Streams
	// makes its repartition topics: the engine deletes what it counted
	// (wcPurger), and a record must not expire before it is counted, say
	// while the engine is down for a weekend.
	repart := kafka.TopicSpec{Name: t.repartition, Partitions: internal, Configs: map[string]string{"retention.ms": "-1"}}
	if t.repartitionParts, err = ensureTopic(ctx, c, opts, repart); err != nil {
		return t, err
	}
	chParts, err := ensureTopic(ctx, c, opts, kafka.TopicSpec{Name: t.changelog, Partitions: t.repartitionParts, Configs: compact})
	if err != nil {
		return t, err
	}
	if chParts != t.repartitionParts {
		return t, fmt.Errorf("changelog %q has %d partitions but repartition topic %q has %d: they must match (delete both to start over)",
			t.changelog, chParts, t.repartition, t.repartitionParts)
	}
	return t, nil
}

// missingInput is the MissingInputError for topic, with the existing
// topics whose names are close to it.
func missingInput(ctx context.Context, c *kafka.Client, topic string) error {
	e := &MissingInputError{Topic: topic}
	tds, err := c.Admin().ListTopics(ctx)
	if err == nil {
		e.Similar = kafka.SimilarTopics(topic, tds.Names())
	}
	return e
}

// ensureTopic creates the topic unless it exists, and returns its
// partition count. Another instance creating it at the same moment is not
// an error. It lists all topics rather than asking for this one: asking
// for a missing topic is retried by the client for over a second.
func ensureTopic(ctx context.Context, c *kafka.Client, opts *Options, spec kafka.TopicSpec) (int32, error) {
	n, err := c.TopicPartitions(ctx, spec.Name)
	if err != nil || n > 0 {
		return n, err
	}
	created := true
	if err := c.CreateTopic(ctx, spec); err != nil {
		if !errors.Is(err, kerr.TopicAlreadyExists) {
			return 0, err
		}
		created = false
	}
	// A new topic reaches every broker's metadata a moment later.
	ctx, cancel := context.WithTimeout(ctx, c.Timeout())
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if n, err := c.TopicPartitions(ctx, spec.Name); err != nil || n > 0 {
			if err == nil && created {
				opts.emit(Event{Kind: EventTopicCreated, Topic: spec.Name, Partitions: []int32{n}})
			}
			return n, err
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("topic %q: created, but not in the cluster's metadata after %v", spec.Name, c.Timeout())
		case <-tick.C:
		}
	}
}
