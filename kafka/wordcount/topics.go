package wordcount

import (
	"context"
	"errors"
	"fmt"
	"sync"
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
//
// The topics it creates are in the CreateTopics responses at once but
// reach the brokers' metadata up to a second later (Kafka 4's KRaft
// brokers take about that); waiting for that is left to visible, which
// the engine calls while its split stage already reads the input, so the
// wait overlaps work instead of coming before it.
func wordCountTopics(ctx context.Context, c *kafka.Client, opts *Options) (t wcTopics, visible func(context.Context) error, err error) {
	visible = func(context.Context) error { return nil }
	t, created, err := wordCountTopicsCreate(ctx, c, opts)
	if err != nil || len(created) == 0 {
		return t, visible, err
	}
	return t, func(ctx context.Context) error { return waitTopics(ctx, c, created) }, nil
}

// wordCountTopicsCreate is wordCountTopics but for the wait: it returns
// the topics it created, which may not be in the metadata yet.
func wordCountTopicsCreate(ctx context.Context, c *kafka.Client, opts *Options) (wcTopics, []string, error) {
	var created []string
	t := wcTopics{
		input:       opts.Input,
		output:      opts.Output,
		repartition: opts.App + "-counts-repartition",
		changelog:   opts.App + "-counts-changelog",
	}
	compact := map[string]string{"cleanup.policy": "compact"}
	// One listing of all topics answers which exist: asking for missing
	// topics by name is retried by franz-go for over a second.
	have, err := topicPartitions(ctx, c)
	if err != nil {
		return t, nil, err
	}
	inParts := have[t.input]
	if inParts == 0 && !opts.CreateInput {
		return t, nil, missingInput(ctx, c, t.input)
	}
	t.outputParts = have[t.output]
	if t.outputParts > 0 {
		if err := checkCountTopic(ctx, c, t.output, t.outputParts); err != nil {
			return t, nil, err
		}
	}
	// The input first: with Partitions zero, the internal topics take its
	// partition count, as Kafka Streams sizes repartition topics.
	if inParts == 0 {
		// And in the metadata before the split stage subscribes to it: a
		// member is assigned none of a topic its client does not know.
		got, names, err := ensureTopics(ctx, c, opts, kafka.TopicSpec{Name: t.input, Partitions: opts.Partitions})
		if err == nil {
			err = waitTopics(ctx, c, names)
		}
		if err != nil {
			return t, nil, err
		}
		inParts = got[t.input]
	}
	internal := opts.Partitions
	if internal == 0 {
		internal = inParts
	}
	// Not compacted: a word's repartition records must all be counted,
	// not just its latest. Kept without a time limit, as Kafka Streams
	// makes its repartition topics: the engine deletes what it counted
	// (wcPurger), and a record must not expire before it is counted, say
	// while the engine is down for a weekend.
	var missing []kafka.TopicSpec
	for _, spec := range []kafka.TopicSpec{
		{Name: t.output, Partitions: opts.Partitions, Configs: compact},
		{Name: t.repartition, Partitions: internal, Configs: map[string]string{"retention.ms": "-1"}},
		{Name: t.changelog, Partitions: internal, Configs: compact},
	} {
		if have[spec.Name] == 0 {
			missing = append(missing, spec)
		}
	}
	// The missing ones at once: they do not depend on each other.
	got, names, err := ensureTopics(ctx, c, opts, missing...)
	if err != nil {
		return t, nil, err
	}
	created = append(created, names...)
	for name, n := range got {
		have[name] = n
	}
	t.outputParts, t.repartitionParts = have[t.output], have[t.repartition]
	if chParts := have[t.changelog]; chParts != t.repartitionParts {
		return t, nil, fmt.Errorf("changelog %q has %d partitions but repartition topic %q has %d: they must match (delete both to start over)",
			t.changelog, chParts, t.repartition, t.repartitionParts)
	}
	return t, created, nil
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

// topicPartitions lists all topics with their partition counts, fresh
// from the cluster (one request, never retried for a missing one, not
// franz-go's cached metadata).
func topicPartitions(ctx context.Context, c *kafka.Client) (map[string]int32, error) {
	return c.TopicPartitionCounts(ctx)
}

// ensureTopics creates the topics of specs at once, a request each sent
// together, and returns their partition counts and the names of those it
// created, which may not be in the brokers' metadata yet (waitTopics).
// Another instance creating one at the same moment is not an error; its
// partition count is then read once the topic shows in the metadata.
func ensureTopics(ctx context.Context, c *kafka.Client, opts *Options, specs ...kafka.TopicSpec) (map[string]int32, []string, error) {
	parts := make([]int32, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i], errs[i] = createTopic(ctx, c, spec)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	out := make(map[string]int32, len(specs))
	var created, raced []string
	for i, spec := range specs {
		if parts[i] > 0 {
			out[spec.Name] = parts[i]
			created = append(created, spec.Name)
			opts.emit(Event{Kind: EventTopicCreated, Topic: spec.Name, Partitions: []int32{parts[i]}})
		} else {
			raced = append(raced, spec.Name)
		}
	}
	if len(raced) > 0 {
		if err := waitTopics(ctx, c, raced); err != nil {
			return nil, nil, err
		}
		have, err := topicPartitions(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		for _, name := range raced {
			out[name] = have[name]
		}
	}
	return out, created, nil
}

// waitTopics waits until every topic of names is in the cluster's
// metadata, at most the client's timeout. It lists all topics rather than
// asking for these: asking for a missing topic is retried by the client
// for over a second.
func waitTopics(ctx context.Context, c *kafka.Client, names []string) error {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout())
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		have, err := topicPartitions(ctx, c)
		if err != nil && ctx.Err() == nil {
			return err
		}
		missing := ""
		for _, name := range names {
			if have[name] == 0 {
				missing = name
				break
			}
		}
		if missing == "" && err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			if context.Cause(ctx) == context.DeadlineExceeded && missing != "" {
				return fmt.Errorf("topic %q: created, but not in the cluster's metadata after %v", missing, c.Timeout())
			}
			return fmt.Errorf("wait for topic %q: %w", missing, ctx.Err())
		case <-tick.C:
		}
	}
}

// createTopic sends one CreateTopics request for spec (zero partitions:
// the broker's default; replication: the broker's default) and returns the
// partition count it was created with, zero when it already existed
// (which is not an error).
func createTopic(ctx context.Context, c *kafka.Client, spec kafka.TopicSpec) (int32, error) {
	p := spec.Partitions
	if p == 0 {
		p = -1
	}
	cfgs := make(map[string]*string, len(spec.Configs))
	for k, v := range spec.Configs {
		cfgs[k] = &v
	}
	resp, err := c.Admin().CreateTopic(ctx, p, -1, cfgs, spec.Name)
	if err == nil {
		err = resp.Err
		if err != nil && resp.ErrMessage != "" {
			err = fmt.Errorf("%w: %s", err, resp.ErrMessage)
		}
	}
	switch {
	case errors.Is(err, kerr.TopicAlreadyExists):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("create topic %q: %w", spec.Name, kafka.Explain(err))
	}
	if resp.NumPartitions > 0 {
		return resp.NumPartitions, nil
	}
	// An old broker's response (CreateTopics before v5) has no count.
	if spec.Partitions > 0 {
		return spec.Partitions, nil
	}
	if err := waitTopics(ctx, c, []string{spec.Name}); err != nil {
		return 0, err
	}
	have, err := topicPartitions(ctx, c)
	if err != nil {
		return 0, err
	}
	return have[spec.Name], nil
}
