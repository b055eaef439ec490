package kafka

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// drain reads a bounded consumer to its end.
func drain(t *testing.T, c *Client, opts TailOptions) []Record {
	t.Helper()
	ctx := testCtx(t)
	opts.StopAtEnd = true
	cs, err := c.Consume(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	var out []Record
	for {
		recs, err := cs.Poll(ctx)
		out = append(out, recs...)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("poll: %v", err)
		}
	}
}

func TestProduceLandsWhereKafkaWould(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 4, nil)
		ts := time.UnixMilli(1795428000123)
		hs := []Header{{Key: "correlation_id", Value: []byte("c-1")}, {Key: "bin", Value: []byte{0, 0xff, 0x1b}}}
		r, err := c.Produce(ctx, Record{Topic: name, Partition: -1, Key: []byte("order-42"), Value: []byte(`{"a":1}`), Headers: hs, Timestamp: ts})
		if err != nil {
			t.Fatal(err)
		}
		if want := PartitionForKey([]byte("order-42"), 4); r.Partition != want || r.Offset != 0 || r.Topic != name {
			t.Errorf("keyed record landed at %+v, want partition %d offset 0", r, want)
		}
		if !r.Timestamp.Equal(ts) {
			t.Errorf("timestamp %v, want %v", r.Timestamp, ts)
		}
		r2, err := c.Produce(ctx, Record{Topic: name, Partition: 2, Value: []byte("explicit")})
		if err != nil || r2.Partition != 2 {
			t.Errorf("explicit partition: %+v, %v", r2, err)
		}
		if _, err := c.Produce(ctx, Record{Topic: name, Partition: 9, Value: []byte("x")}); err == nil || !bytes.Contains([]byte(err.Error()), []byte("partition 9 does not exist")) {
			t.Errorf("partition out of range = %v", err)
		}
		if _, err := c.Produce(ctx, Record{Topic: name + "-missing", Partition: -1, Value: []byte("x")}); err == nil {
			t.Error("producing to a missing topic succeeded")
		}

		got := drain(t, c, TailOptions{Topic: name, Start: Start{Kind: StartBeginning}})
		if len(got) != 2 {
			t.Fatalf("read back %d records", len(got))
		}
		var keyed Record
		for _, g := range got {
			if g.Key != nil {
				keyed = g
			}
		}
		if string(keyed.Key) != "order-42" || string(keyed.Value) != `{"a":1}` || len(keyed.Headers) != 2 ||
			!bytes.Equal(keyed.Headers[1].Value, []byte{0, 0xff, 0x1b}) || !keyed.Timestamp.Equal(ts) {
			t.Errorf("read back %+v", keyed)
		}
	})
}

func TestProduceStream(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		name := uniqueTopic(t)
		mustCreate(t, c, name, 3, nil)
		var progress int
		st, err := c.ProduceStream(testCtx(t), StreamOptions{Count: 3000, Progress: func(StreamStats) { progress++ }},
			func(i int) (Record, bool) {
				var key []byte
				if i%2 == 0 {
					key = fmt.Appendf(nil, "k%d", i)
				}
				return Record{Topic: name, Partition: -1, Key: key, Value: fmt.Appendf(nil, "v%d", i)}, true
			})
		if err != nil {
			t.Fatal(err)
		}
		if st.Sent != 3000 || st.Acked != 3000 || st.Failed != 0 || st.P50 <= 0 || st.P99 < st.P50 || progress == 0 {
			t.Errorf("stats %+v, progress calls %d", st, progress)
		}
		d, err := c.DescribeTopic(testCtx(t), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range d.Partitions {
			if p.EndOffset == 0 {
				t.Errorf("partition %d got nothing: null keys must spread", p.Partition)
			}
		}

		// A rate caps the run: 40 records at 400/s take about 0.1 s.
		start := time.Now()
		st, err = c.ProduceStream(testCtx(t), StreamOptions{Count: 40, Rate: 400}, func(i int) (Record, bool) {
			return Record{Topic: name, Partition: 0, Value: []byte("r")}, true
		})
		if err != nil || st.Acked != 40 {
			t.Fatalf("rated run: %+v, %v", st, err)
		}
		if d := time.Since(start); d < 90*time.Millisecond {
			t.Errorf("40 records at 400/s took %v, want at least ~97ms", d)
		}

		// Cancelling stops an endless run and still counts what was sent.
		ctx, cancel := context.WithCancel(testCtx(t))
		st, err = c.ProduceStream(ctx, StreamOptions{Rate: 1000}, func(i int) (Record, bool) {
			if i == 50 {
				cancel()
			}
			return Record{Topic: name, Partition: 1, Value: []byte("c")}, true
		})
		if err != nil || st.Sent < 50 || st.Acked+st.Failed != st.Sent {
			t.Errorf("cancelled run: %+v, %v", st, err)
		}

		// An error stops the run and is returned.
		_, err = c.ProduceStream(testCtx(t), StreamOptions{Count: 10}, func(i int) (Record, bool) {
			return Record{Topic: name, Partition: 7, Value: []byte("x")}, true
		})
		if err == nil {
			t.Error("a run into a missing partition succeeded")
		}
	})
}

func TestTailStarts(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 2, nil)
		base := time.UnixMilli(1795428000000)
		for i := range 20 {
			// Partition 0 gets offsets 0..9 at base+0..9 s, partition 1 likewise.
			_, err := c.Produce(ctx, Record{Topic: name, Partition: int32(i % 2), Value: fmt.Appendf(nil, "%d", i),
				Timestamp: base.Add(time.Duration(i/2) * time.Second)})
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			start Start
			parts []int32
			want  int
			first int64 // offset of the first record of partition 0
		}{
			{Start{Kind: StartBeginning}, nil, 20, 0},
			{Start{Kind: StartEnd}, nil, 0, -1},
			{Start{Kind: StartOffset, Offset: 7}, nil, 6, 7},
			{Start{Kind: StartLastN, Offset: 3}, nil, 6, 7},
			{Start{Kind: StartLastN, Offset: 50}, nil, 20, 0},
			{Start{Kind: StartTime, Time: base.Add(8 * time.Second)}, nil, 4, 8},
			{Start{Kind: StartBeginning}, []int32{1}, 10, -1},
		} {
			got := drain(t, c, TailOptions{Topic: name, Start: tc.start, Partitions: tc.parts})
			first := int64(-1)
			for _, r := range got {
				if r.Partition == 0 && first < 0 {
					first = r.Offset
				}
				if len(tc.parts) > 0 && r.Partition != tc.parts[0] {
					t.Errorf("start %v: record from partition %d", tc.start, r.Partition)
				}
			}
			if len(got) != tc.want || first != tc.first {
				t.Errorf("start %v parts %v: %d records from offset %d, want %d from %d", tc.start, tc.parts, len(got), first, tc.want, tc.first)
			}
		}
		if _, err := c.Consume(ctx, TailOptions{Topic: name, Partitions: []int32{5}}); err == nil {
			t.Error("tailing a missing partition succeeded")
		}
		if _, err := c.Consume(ctx, TailOptions{Topic: name + "-missing"}); err == nil {
			t.Error("tailing a missing topic succeeded")
		}

		// Progress of a bounded tail ends caught up everywhere.
		cs, err := c.Consume(ctx, TailOptions{Topic: name, Start: Start{Kind: StartBeginning}, StopAtEnd: true})
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		for {
			if _, err := cs.Poll(ctx); err != nil {
				break
			}
		}
		for _, p := range cs.Progress() {
			if !p.CaughtUp() || p.From != 0 || p.Target != 10 || p.Next != 10 {
				t.Errorf("progress %+v", p)
			}
		}
	})
}

// TestTailFollowsNewRecords runs an unbounded tail into a ring and sees
// records produced after it started, nothing from before.
func TestTailFollowsNewRecords(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 3, nil)
		if _, err := c.Produce(ctx, Record{Topic: name, Partition: 0, Value: []byte("old")}); err != nil {
			t.Fatal(err)
		}
		tail, err := c.Tail(ctx, TailOptions{Topic: name}, 5)
		if err != nil {
			t.Fatal(err)
		}
		defer tail.Close()
		for i := range 8 {
			if _, err := c.Produce(ctx, Record{Topic: name, Partition: int32(i % 3), Value: fmt.Appendf(nil, "new%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, 20*time.Second, "8 new records", func() bool { return tail.Ring().Stats().Received == 8 })
		st := tail.Ring().Stats()
		if st.Len != 5 || st.Evicted != 3 {
			t.Errorf("ring stats %+v", st)
		}
		for _, r := range tail.Ring().Snapshot(nil) {
			if string(r.Value) == "old" {
				t.Error("a tail from the end showed an old record")
			}
		}
		tail.Close()
		select {
		case <-tail.Done():
		default:
			t.Error("Close returned before the tail stopped")
		}
	})
}

// TestTailExitOverTransactionMarkers: a partition whose last offset is a
// commit marker must still count as read to the end.
func TestTailExitOverTransactionMarkers(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 1, nil)
		tx, err := kgo.NewClient(kgo.SeedBrokers(b.brokers...), kgo.TransactionalID(name), kgo.DefaultProduceTopic(name))
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Close()
		for _, commit := range []bool{true, false, true} {
			if err := tx.BeginTransaction(); err != nil {
				t.Fatal(err)
			}
			v := "committed"
			if !commit {
				v = "aborted"
			}
			if err := tx.ProduceSync(ctx, &kgo.Record{Value: []byte(v)}, &kgo.Record{Value: []byte(v)}).FirstErr(); err != nil {
				t.Fatal(err)
			}
			if err := tx.EndTransaction(ctx, kgo.TransactionEndTry(commit)); err != nil {
				t.Fatal(err)
			}
		}
		// The coordinator writes commit markers after EndTransaction
		// returns: wait until the last stable offset reaches the end.
		eventually(t, 10*time.Second, "the last stable offset to reach the end", func() bool {
			lso, err1 := c.adm.ListCommittedOffsets(ctx, name)
			hwm, err2 := c.adm.ListEndOffsets(ctx, name)
			l, _ := lso.Lookup(name, 0)
			h, _ := hwm.Lookup(name, 0)
			return err1 == nil && err2 == nil && h.Offset == 9 && l.Offset == h.Offset
		})
		got := drain(t, c, TailOptions{Topic: name, Start: Start{Kind: StartBeginning}})
		if len(got) != 4 {
			t.Fatalf("read %d records, want the 4 committed ones", len(got))
		}
		for _, r := range got {
			if string(r.Value) != "committed" {
				t.Errorf("read %q: aborted records must not show", r.Value)
			}
		}
	})
}

func TestTailTruncatesHugeValues(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 1, map[string]string{"max.message.bytes": "6000000"})
		big := bytes.Repeat([]byte("x"), 3<<20)
		if _, err := c.Produce(ctx, Record{Topic: name, Partition: 0, Value: big}); err != nil {
			t.Fatal(err)
		}
		got := drain(t, c, TailOptions{Topic: name, Start: Start{Kind: StartBeginning}, MaxBytes: 1 << 20})
		if len(got) != 1 || len(got[0].Value) != 1<<20 || got[0].ValueSize != 3<<20 || !got[0].Truncated() {
			t.Fatalf("got %d records; value %d of %d", len(got), len(got[0].Value), got[0].ValueSize)
		}
	})
}
