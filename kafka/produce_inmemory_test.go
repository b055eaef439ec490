package kafka

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"kflow/template"
)

// TestProduceStreamInMemoryTemplate sends 20,000 template records (more
// than maxOutstanding, so the run fills up and waits for room) made on
// the sending goroutine from slabs (InMemory, TemplateRecords), with
// zstd, and reads them back: each key once, on the partition its key
// hashes to, its value and header carrying its own number and UUID, so a
// slab written over or a record sent twice or lost would show.
func TestProduceStreamInMemoryTemplate(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := testCtx(t)
			c, err := Connect(ctx, ConnConfig{Brokers: b.brokers, Timeout: 10 * time.Second, Compression: "zstd"})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			name := uniqueTopic(t)
			mustCreate(t, c, name, 3, nil)
			key := "k-{{seq}}"
			rt, err := template.CompileRecord(template.RecordSpec{Topic: name, Partition: -1, Key: &key,
				Value: `{"n":{{seq}},"id":"{{uuid x}}"}`, Headers: []template.HeaderSpec{{Key: "id", Value: "{{uuid x}}"}}})
			if err != nil {
				t.Fatal(err)
			}
			const n = 20000
			expand := TemplateRecords(rt, nil)
			st, err := c.ProduceStream(ctx, StreamOptions{Count: n, InMemory: true}, func(i int) (Record, bool) {
				return expand(int64(i+1), time.Now()), true
			})
			if err != nil || st.Sent != n || st.Acked != n || st.Failed != 0 || st.Unacked != 0 {
				t.Fatalf("run: %+v, %v", st, err)
			}
			recs, _, err := c.ReadDLQ(ctx, name, nil)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, r := range recs {
				var v struct {
					N  int    `json:"n"`
					ID string `json:"id"`
				}
				if err := json.Unmarshal(r.Value, &v); err != nil {
					t.Fatalf("value %q: %v", r.Value, err)
				}
				k := string(r.Key)
				if k != "k-"+strconv.Itoa(v.N) || seen[k] || len(r.Headers) != 1 || string(r.Headers[0].Value) != v.ID || len(v.ID) != 36 {
					t.Fatalf("record %s/%d: key %q value %q headers %v (seen before: %v)", name, r.Offset, k, r.Value, r.Headers, seen[k])
				}
				if p := PartitionForKey(r.Key, 3); r.Partition != p {
					t.Fatalf("key %q on partition %d, want %d", k, r.Partition, p)
				}
				seen[k] = true
			}
			if len(seen) != n {
				t.Fatalf("read %d distinct records, want %d", len(seen), n)
			}
		})
	}
}

// TestWarmProduce: WarmProduce looks the topic's partitions and size
// limit up in the background (they are then cached for the run), and a
// read-only client looks nothing up.
func TestWarmProduce(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		name := uniqueTopic(t)
		mustCreate(t, c, name, 5, nil)
		ro, err := Connect(testCtx(t), ConnConfig{Brokers: b.brokers, Timeout: 10 * time.Second, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		ro.WarmProduce(testCtx(t), name)
		fresh := connect(t, b)
		fresh.WarmProduce(testCtx(t), name)
		eventually(t, 10*time.Second, "partitions and limit cached", func() bool {
			fresh.partsMu.Lock()
			n := fresh.parts[name]
			fresh.partsMu.Unlock()
			fresh.lim.mu.Lock()
			_, lim := fresh.lim.max[name]
			fresh.lim.mu.Unlock()
			return n == 5 && lim
		})
		ro.partsMu.Lock()
		_, looked := ro.parts[name]
		ro.partsMu.Unlock()
		if looked {
			t.Error("a read-only client looked the topic up")
		}
		if _, err := fresh.Produce(testCtx(t), Record{Topic: name, Partition: -1, Value: []byte("x")}); err != nil {
			t.Fatal(err)
		}
	})
}
