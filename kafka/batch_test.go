package kafka

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestPollBatchMatchesPoll: a consumer reading in place (its records in
// franz-go's pooled fetch memory, reused as soon as they are read) gives
// the same records as one that copies them, line for line, over many
// batches reused in turn: compressed, with headers, null keys, bytes that
// are not UTF-8 and values cut by MaxBytes. Reading it with Poll is refused.
func TestPollBatchMatchesPoll(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 3, nil)
		const n, chunks = 90000, 10 // 2.7 MiB a partition: more than a 1 MiB partition fetch holds
		for k := range chunks {
			st, err := c.ProduceStream(ctx, StreamOptions{Count: n / chunks}, func(i int) (Record, bool) {
				i += k * n / chunks
				// Bytes that do not compress, so the fetches are many.
				v := fmt.Appendf(nil, "value %d ", i)
				rnd := rand.New(rand.NewPCG(uint64(i), 1))
				for range 20 + i%100 {
					v = append(v, byte(' '+rnd.IntN(95)))
				}
				r := Record{Topic: name, Partition: int32(i % 3), Value: v}
				if i%5 != 0 {
					r.Key = strconv.AppendInt(nil, int64(i), 10)
				}
				if i%7 == 0 {
					r.Headers = []Header{{Key: "h", Value: []byte{0xff, byte(i)}}, {Key: "id", Value: strconv.AppendInt(nil, int64(i), 10)}}
				}
				return r, true
			})
			if err != nil || st.Acked != n/chunks {
				t.Fatalf("produce: %+v, %v", st, err)
			}
		}
		opts := TailOptions{Topic: name, Start: Start{Kind: StartBeginning}, MaxBytes: 150}
		want := map[int32][]string{}
		for _, r := range drain(t, c, opts) {
			want[r.Partition] = append(want[r.Partition], string(AppendJSONLine(nil, r)))
		}

		opts.StopAtEnd, opts.InPlace = true, true
		cs, err := c.Consume(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		if _, err := cs.Poll(ctx); err == nil {
			t.Fatal("Poll on a consumer reading in place: no error")
		}
		got := map[int32][]string{}
		var batch Batch
		polls := 0
		for {
			err := cs.PollBatch(ctx, &batch)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			polls++
			half := batch.Len() / 2 // two readers of one batch, as the tail has
			done := make(chan []string)
			go func() {
				var lines []string
				batch.Each(half, batch.Len(), func(r *Record) { lines = append(lines, string(AppendJSONLine(nil, *r))) })
				done <- lines
			}()
			var first []string
			batch.Each(0, half, func(r *Record) { first = append(first, string(AppendJSONLine(nil, *r))) })
			for _, l := range append(first, <-done...) {
				var p int32
				if _, err := fmt.Sscanf(l[len(`{"topic":"`)+len(name)+len(`","partition":`):], "%d", &p); err != nil {
					t.Fatalf("line %q: %v", l, err)
				}
				got[p] = append(got[p], l)
			}
		}
		batch.Release()
		total := 0
		for p := range int32(3) {
			total += len(got[p])
			if len(got[p]) != len(want[p]) {
				t.Fatalf("partition %d: %d records in place, %d copied", p, len(got[p]), len(want[p]))
			}
			for i := range got[p] {
				if got[p][i] != want[p][i] {
					t.Fatalf("partition %d record %d:\nin place %s\ncopied   %s", p, i, got[p][i], want[p][i])
				}
			}
		}
		if total != n {
			t.Fatalf("%d records, want %d", total, n)
		}
		if polls < 2 {
			t.Fatalf("%d records in %d poll: the batch was never reused", total, polls)
		}
		t.Logf("%d records in %d polls", total, polls)
	})
}

// TestTailRingTakesWholeFetches: a tail's ring fed whole fetches much
// larger than itself holds the newest records, as copies that outlive the
// fetch, and counts every record and byte it never held, as Push of the
// whole batch did.
func TestTailRingTakesWholeFetches(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 1, nil)
		const n, keep = 5000, 50
		var size uint64
		st, err := c.ProduceStream(ctx, StreamOptions{Count: n}, func(i int) (Record, bool) {
			r := Record{Topic: name, Partition: 0, Key: strconv.AppendInt(nil, int64(i), 10), Value: fmt.Appendf(nil, "value %d", i),
				Headers: []Header{{Key: "i", Value: strconv.AppendInt(nil, int64(i), 10)}}}
			size += uint64(len(r.Key) + len(r.Value) + len("i") + len(r.Headers[0].Value))
			return r, true
		})
		if err != nil || st.Acked != n {
			t.Fatalf("produce: %+v, %v", st, err)
		}
		tail, err := c.Tail(ctx, TailOptions{Topic: name, Start: Start{Kind: StartBeginning}, StopAtEnd: true}, keep)
		if err != nil {
			t.Fatal(err)
		}
		<-tail.Done()
		stats := tail.Ring().Stats()
		if stats.Received != n || stats.Evicted != n-keep || stats.Len != keep || stats.Bytes != size {
			t.Fatalf("ring stats %+v, want %d received, %d evicted, %d held, %d bytes", stats, n, n-keep, keep, size)
		}
		for i, r := range tail.Ring().Snapshot(nil) {
			want := n - keep + i
			if r.Offset != int64(want) || string(r.Value) != fmt.Sprintf("value %d", want) || len(r.Headers) != 1 || string(r.Headers[0].Value) != strconv.Itoa(want) {
				t.Fatalf("held record %d: offset %d value %q headers %v, want offset %d", i, r.Offset, r.Value, r.Headers, want)
			}
		}
	})
}
