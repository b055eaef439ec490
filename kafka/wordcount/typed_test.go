package wordcount

import (
	"context"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"

	"kflow/internal/kafkatest"
	"kflow/kafka"
	"kflow/kafka/demo"
	"kflow/kafka/schema"
)

// TestWordCountCountsTypedInput: with a decoder, input lines written as
// Avro strings in the registry's wire format are counted as their text,
// beside plain lines, and a wire-format value with an unknown id is
// counted as its bytes (never dropped): the counts equal the oracle's over
// the same texts.
func TestWordCountCountsTypedInput(t *testing.T) {
	reg := demo.NewRegistry()
	url, err := reg.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reg.Close)
	rc, err := sr.NewClient(sr.URLs(url))
	if err != nil {
		t.Fatal(err)
	}
	ss, err := rc.CreateSchema(context.Background(), "lines-value", sr.Schema{Schema: `"string"`, Type: sr.TypeAvro})
	if err != nil {
		t.Fatal(err)
	}
	client, err := schema.New(schema.Config{URL: url, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	kafkatest.EachBackend(t, func(t *testing.T, c *kafka.Client, _ kafkatest.Backend) {
		lines := corpusLines(300)
		opts := wcApp(t, c)
		opts.Decoder = schema.NewDecoder(client, schema.DecoderOptions{})
		ctx := kafkatest.Ctx(t)
		if err := c.CreateTopic(ctx, kafka.TopicSpec{Name: opts.Input, Partitions: 2, ReplicationFactor: 1}); err != nil {
			t.Fatal(err)
		}
		var h sr.ConfluentHeader
		unknown, _ := h.AppendEncode(nil, 424242, nil)
		unknown = append(unknown, "stray words"...)
		texts := append([]string(nil), lines...)
		texts = append(texts, string(unknown)) // the unknown id's bytes, as the tokenizer sees them
		_, err := c.ProduceStream(ctx, kafka.StreamOptions{Count: len(lines) + 1}, func(i int) (kafka.Record, bool) {
			if i == len(lines) {
				return kafka.Record{Topic: opts.Input, Partition: -1, Value: unknown}, true
			}
			if i%2 == 1 { // every other line plain text
				return kafka.Record{Topic: opts.Input, Partition: -1, Value: []byte(lines[i])}, true
			}
			body, err := avro.Marshal(avro.MustParse(`"string"`), lines[i])
			if err != nil {
				t.Error(err)
			}
			v, _ := h.AppendEncode(nil, ss.ID, nil)
			return kafka.Record{Topic: opts.Input, Partition: -1, Value: append(v, body...)}, true
		})
		if err != nil {
			t.Fatal(err)
		}
		wc, err := Run(ctx, c, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = wc.Close() })
		waitCounts(t, c, opts.Output, oracleCounts(texts), time.Minute)
	})
}
