package kafka

import (
	"fmt"
	"testing"
)

// TestDLQHeadersReadsTheLastRecords: the headers of the last records of
// each partition, no more, and nothing for an empty topic; the graph
// built on them links the DLQ to the source topic and group they name.
func TestDLQHeadersReadsTheLastRecords(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		src := uniqueTopic(t)
		dlq, empty := src+".DLQ", src+"-dlq"
		mustCreate(t, c, src, 1, nil)
		mustCreate(t, c, dlq, 2, nil)
		mustCreate(t, c, empty, 1, nil)
		for p := range int32(2) {
			for i := range 4 {
				hs := []Header{{Key: "original.topic", Value: []byte(src)}, {Key: "n", Value: fmt.Appendf(nil, "%d-%d", p, i)}}
				if i == 3 {
					hs = append(hs, Header{Key: "original.group", Value: []byte("billing")})
				}
				if _, err := c.Produce(ctx, Record{Topic: dlq, Partition: p, Value: []byte("x"), Headers: hs}); err != nil {
					t.Fatal(err)
				}
			}
		}
		got, err := c.DLQHeaders(ctx, []string{dlq, empty}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got[dlq]) != 4 || len(got[empty]) != 0 {
			t.Fatalf("headers of %d and %d records, want 4 (2 per partition) and 0: %v", len(got[dlq]), len(got[empty]), got)
		}
		for _, hs := range got[dlq] {
			if n := headerValue(hs, []string{"n"}); n != "0-2" && n != "0-3" && n != "1-2" && n != "1-3" {
				t.Errorf("read record %s, not one of the last two", n)
			}
		}
		topics, err := c.ListTopics(ctx)
		if err != nil {
			t.Fatal(err)
		}
		g := BuildFlow(FlowInput{Topics: topics, DLQHeaders: got,
			Groups: []GroupStatus{{GroupLag: GroupLag{Group: GroupDetail{GroupSummary: GroupSummary{ID: "billing"}}}}}})
		var source, group bool
		for _, e := range g.Edges {
			source = source || e.From == FlowTopicID(src) && e.To == FlowTopicID(dlq) && e.Kind == FlowDeadLetters
			group = group || e.From == FlowGroupID("billing") && e.To == FlowTopicID(dlq) && e.Kind == FlowFails
		}
		if !source || !group {
			t.Errorf("DLQ links: source %v group %v", source, group)
		}
	})
}
