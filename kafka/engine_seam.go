package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The seam engines built on the client (kafka/wordcount) use instead of
// its internals: they open franz-go clients of their own (group
// sessions, transactional producers) on the same connection and make
// admin requests the client does not wrap, under the client's read-only
// rule, timeout and error wording.

// Options are the client's connection options (seed brokers, client id,
// dial and request timeouts, TLS, SASL), a fresh copy: an engine appends
// its own (a group, a transactional id) to open a franz-go client that
// reaches the cluster exactly as this one does.
func (c *Client) Options() []kgo.Opt { return slices.Clone(c.baseOpts) }

// Admin is the client's admin client, for the admin requests an engine
// needs that the client does not wrap (ListEndOffsets, DeleteRecords).
// Writing through it skips the read-only check: call Writable first.
func (c *Client) Admin() *kadm.Client { return c.adm }

// Writable returns nil, or ErrReadOnly wrapped with what, when the client
// is read-only: the check every writing operation makes first, so an
// engine refuses to start with the client's own words.
func (c *Client) Writable(what string) error { return c.writable(what) }

// Timeout bounds dialing and each request of the client (ConnConfig's
// Timeout or DefaultTimeout): engines bound their own waits by it.
func (c *Client) Timeout() time.Duration { return c.cfg.timeout() }

// Explain turns franz-go's errors into words a user can act on (a
// timeout, a listener that does not speak SASL), keeping the original
// for errors.Is; engines wrap their franz-go errors with it as the
// client does.
func Explain(err error) error { return explain(err) }

// SimilarTopics returns up to three of all's names close to name (case
// and separators aside, a prefix, or a few edits away), closest first:
// what a user who mistyped name may have meant.
func SimilarTopics(name string, all []string) []string { return similarTopics(name, all) }

// StartEndOffsets lists the start and end offsets of the topics'
// partitions; partitions whose offsets could not be listed (offline) are
// left out. An engine reads a topic's newest records with them.
func (c *Client) StartEndOffsets(ctx context.Context, topics ...string) (starts, ends Offsets, err error) {
	return c.startEnd(ctx, topics...)
}

// TopicPartitions is the topic's partition count, 0 when it does not
// exist, read fresh from the cluster (see TopicPartitionCounts); an error
// the cluster gives for the topic (not authorized, say) is returned.
func (c *Client) TopicPartitions(ctx context.Context, topic string) (int32, error) {
	resp, err := c.allTopicsMetadata(ctx)
	if err != nil {
		return 0, err
	}
	for _, t := range resp.Topics {
		if t.Topic == nil || *t.Topic != topic {
			continue
		}
		if err := kerr.ErrorForCode(t.ErrorCode); err != nil && !errors.Is(err, kerr.UnknownTopicOrPartition) {
			return 0, fmt.Errorf("topic %q: %w", topic, err)
		}
		return int32(len(t.Partitions)), nil
	}
	return 0, nil
}

// TopicPartitionCounts is every topic's partition count, from one
// metadata request for all topics sent to the cluster now. kadm's
// ListTopics answers from franz-go's cache for MetadataMinAge (a second
// here), so a topic created a moment ago would stay missing for that
// second; and asking for a missing topic by name is retried by franz-go
// for over a second. An engine waiting for the topics it created uses
// this. Topics with an error or no partitions are left out.
func (c *Client) TopicPartitionCounts(ctx context.Context) (map[string]int32, error) {
	resp, err := c.allTopicsMetadata(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int32, len(resp.Topics))
	for _, t := range resp.Topics {
		if t.Topic == nil || t.ErrorCode != 0 || len(t.Partitions) == 0 {
			continue
		}
		out[*t.Topic] = int32(len(t.Partitions))
	}
	return out, nil
}

// allTopicsMetadata sends one metadata request for all topics (Topics
// nil), which franz-go answers from the cluster, not from its cache.
func (c *Client) allTopicsMetadata(ctx context.Context) (*kmsg.MetadataResponse, error) {
	resp, err := kmsg.NewPtrMetadataRequest().RequestWith(ctx, c.cl)
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", explain(err))
	}
	return resp, nil
}
