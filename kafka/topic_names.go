package kafka

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// UnknownTopicError says a topic does not exist, with the existing names
// closest to it, so a typo is one glance away. errors.Is matches
// kerr.UnknownTopicOrPartition.
type UnknownTopicError struct {
	Topic   string
	Similar []string // closest first; empty when nothing is close
}

// Error reads `topic "x" does not exist (did you mean "y"?)`.
func (e *UnknownTopicError) Error() string {
	msg := fmt.Sprintf("topic %q does not exist", e.Topic)
	if len(e.Similar) == 0 {
		return msg
	}
	q := make([]string, len(e.Similar))
	for i, s := range e.Similar {
		q[i] = fmt.Sprintf("%q", s)
	}
	return msg + " (did you mean " + strings.Join(q, ", ") + "?)"
}

// Unwrap keeps Kafka's error for errors.Is.
func (e *UnknownTopicError) Unwrap() error { return kerr.UnknownTopicOrPartition }

// unknownTopic builds the error for a topic the cluster does not have,
// listing topics to find close names. The listing is best effort: when it
// fails the error still says the topic does not exist.
func (c *Client) unknownTopic(ctx context.Context, topic string) error {
	ctx, cancel := context.WithTimeout(ctx, min(c.cfg.timeout(), 5*time.Second))
	defer cancel()
	e := &UnknownTopicError{Topic: topic}
	if tds, err := c.adm.ListTopicsWithInternal(ctx); err == nil {
		e.Similar = similarTopics(topic, tds.Names())
	}
	return e
}

// maxSimilar is how many close names an UnknownTopicError lists.
const maxSimilar = 3

// similarTopics returns up to maxSimilar names close to name: equal but
// for case and separators, one a prefix of the other, or within an edit
// distance of about a third of the name. Closest first.
func similarTopics(name string, all []string) []string {
	norm := func(s string) string {
		return strings.NewReplacer("-", "", "_", "", ".", "").Replace(strings.ToLower(s))
	}
	n := norm(name)
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	for _, t := range all {
		if t == name {
			continue
		}
		tn := norm(t)
		d := editDistance(n, tn)
		switch {
		case tn == n:
			d = 0
		case len(n) >= 3 && (strings.HasPrefix(tn, n) || strings.HasPrefix(n, tn)):
			d = min(d, 1+abs(len(tn)-len(n))/4)
		case d > max(1, len(n)/3):
			continue
		}
		cs = append(cs, cand{t, d})
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.name, b.name)
	})
	var out []string
	for _, c := range cs[:min(len(cs), maxSimilar)] {
		out = append(out, c.name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
