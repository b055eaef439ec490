package kafka

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

// TestProduceSizesBatchesFromTopicLimit sends a 3 MB record, singly and
// in a stream, to a topic that accepts 8 MiB records, reads it back byte
// for byte, and sees a record over the limit refused with the limit
// named and nothing after it written. franz-go's own cap (1 MB) refused
// the 3 MB record and blamed the topic.
func TestProduceSizesBatchesFromTopicLimit(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 1, map[string]string{"max.message.bytes": "8388608"})
		big := bytes.Repeat([]byte("0123456789abcdef"), 3<<20/16)
		big[12345] = 0xff // not text: every byte must come back
		if _, err := c.Produce(ctx, Record{Topic: name, Partition: 0, Value: big}); err != nil {
			t.Fatalf("single 3 MB record: %v", err)
		}
		huge := make([]byte, 9<<20)
		i := 0
		st, err := c.ProduceStream(ctx, StreamOptions{}, func(int) (Record, bool) {
			i++
			switch i {
			case 1:
				return Record{Topic: name, Partition: 0, Value: big}, true
			case 2:
				return Record{Topic: name, Partition: 0, Value: huge}, true
			case 3:
				return Record{Topic: name, Partition: 0, Value: []byte("after the error")}, true
			}
			return Record{}, false
		})
		var tl *TooLargeError
		if !errors.As(err, &tl) || !errors.Is(err, kerr.MessageTooLarge) || tl.Limit != 8388608 ||
			!strings.Contains(err.Error(), "8388608") || !strings.Contains(err.Error(), "max.message.bytes") {
			t.Fatalf("9 MiB record: err %v, want a TooLargeError naming 8388608", err)
		}
		if st.Acked != 1 || st.Sent != 1 {
			t.Errorf("stream stats %+v: want the 3 MB record acknowledged and nothing else sent", st)
		}
		got := drain(t, c, TailOptions{Topic: name, Start: Start{Kind: StartBeginning}, MaxBytes: -1})
		if len(got) != 2 {
			t.Fatalf("read back %d records, want the two 3 MB ones", len(got))
		}
		for _, r := range got {
			if !bytes.Equal(r.Value, big) {
				t.Errorf("record at %d: %d bytes back, not the %d sent", r.Offset, len(r.Value), len(big))
			}
		}
	})
}
