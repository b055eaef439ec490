package views

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"kflow/kafka"
	"kflow/themes"
	"kflow/views/viewstest"
)

func TestProduceTopicMustExistAndCompletes(t *testing.T) {
	h := newProduceHarness(t, "", ProduceOptions{})
	h.keys("ctrl+s")
	if e := h.v.FieldError("topic"); !strings.Contains(e, "a topic is required") {
		t.Fatalf("empty topic: %q", e)
	}
	h.keys("ordrs")
	if e := h.v.FieldError("topic"); !strings.Contains(e, `no topic "ordrs"`) || !strings.Contains(e, "did you mean orders") {
		t.Fatalf("unknown topic: %q", e)
	}
	h.keys("ctrl+s")
	if n := len(h.fake.records()); n != 0 {
		t.Fatalf("sent %d records to a topic that does not exist", n)
	}
	h.keys("ctrl+u", "pay", "tab")
	if got := h.v.topic.Value(); got != "payments" || h.v.slotName(h.v.focused) != "topic" {
		t.Fatalf("tab completed to %q (focus %s), want payments and to stay", got, h.v.slotName(h.v.focused))
	}
	if h.v.FieldError("topic") != "" {
		t.Fatalf("completed topic still in error: %q", h.v.FieldError("topic"))
	}
	h.mustShow("3 partitions")
	h.keys("tab")
	if h.v.slotName(h.v.focused) != "partition" {
		t.Fatalf("second tab went to %s, want partition", h.v.slotName(h.v.focused))
	}
}

func TestProducePartitionAutoOrInRange(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.set("key", "customer-17")
	want := kafka.PartitionForKey([]byte("customer-17"), 6)
	h.mustShow(fmt.Sprintf("→ partition %d (murmur2 of key)", want))
	h.set("partition", "6")
	if e := h.v.FieldError("partition"); e != "partition 6 does not exist: orders has 6 (0 to 5)" {
		t.Fatalf("partition 6 of 6: %q", e)
	}
	h.set("partition", "two")
	if e := h.v.FieldError("partition"); !strings.Contains(e, "auto, or a partition number") {
		t.Fatalf("partition two: %q", e)
	}
	h.keys("ctrl+s")
	if len(h.fake.records()) != 0 {
		t.Fatal("sent with a bad partition")
	}
	if h.v.key.Value() != "customer-17" || h.v.partition.Value() != "two" {
		t.Fatalf("the form lost what was typed: key %q partition %q", h.v.key.Value(), h.v.partition.Value())
	}
	h.set("partition", "5")
	h.keys("ctrl+s")
	recs := h.fake.records()
	if len(recs) != 1 || recs[0].Partition != 5 {
		t.Fatalf("sent %+v, want one record to partition 5", recs)
	}
	h.mustShow("✓ orders · partition 5 · offset 1,000 · 2026-01-02 12:00:00.000")

	h.set("partition", "auto")
	h.keys("ctrl+s")
	if recs := h.fake.records(); len(recs) != 2 || recs[1].Partition != -1 {
		t.Fatalf("auto sent %+v, want partition -1 (the client's default partitioner)", recs[1])
	}
	h.mustShow(fmt.Sprintf("✓ orders · partition %d · offset 1,001", want))
}

func TestProduceJSONCheckPointsAtLineAndColumn(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.set("value", "{\"a\": 1,\n  \"b\": }")
	if h.v.FieldError("value") != "" {
		t.Fatalf("plain text checked as JSON: %q", h.v.FieldError("value"))
	}
	h.keys("alt+j")
	e := h.v.FieldError("value")
	if !strings.HasPrefix(e, "not JSON: line 2, column 8: invalid character '}'") {
		t.Fatalf("JSON error: %q", e)
	}
	h.mustShow("not JSON: line 2, column 8")
	h.keys("ctrl+s")
	if len(h.fake.records()) != 0 || h.v.Value() != "{\"a\": 1,\n  \"b\": }" {
		t.Fatalf("sent bad JSON or lost the value: %q", h.v.Value())
	}
	if h.v.slotName(h.v.focused) != "value" {
		t.Fatalf("focus on %s, want the value in error", h.v.slotName(h.v.focused))
	}
	h.keys("backspace", "2}")
	h.keys("ctrl+s")
	if recs := h.fake.records(); len(recs) != 1 || string(recs[0].Value) != "{\"a\": 1,\n  \"b\": 2}" {
		t.Fatalf("sent %+v", recs)
	}
	// A template's placeholder error names the placeholder.
	h.set("key", "k-{{rand 1}}")
	if e := h.v.FieldError("key"); !strings.Contains(e, "{{rand 1}}: wants two whole numbers") {
		t.Fatalf("placeholder error: %q", e)
	}
}

func TestProduceHeaderRowsAddAndRemove(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.set("value", "v")
	h.set("header 1", "trace=abc 1")
	h.keys("enter", "novalue")
	if e := h.v.FieldError("header 2"); e != `"novalue" is not key=value` {
		t.Fatalf("bad header: %q", e)
	}
	h.keys("enter", "src=a=b", "enter", "drop=me")
	if len(h.v.headers) != 4 {
		t.Fatalf("%d header rows, want 4", len(h.v.headers))
	}
	h.keys("ctrl+x")
	h.keys("up", "ctrl+x")
	if len(h.v.headers) != 2 || h.v.FieldError("header 2") != "" {
		t.Fatalf("rows after removing: %d, error %q", len(h.v.headers), h.v.FieldError("header 2"))
	}
	h.keys("ctrl+s")
	recs := h.fake.records()
	if len(recs) != 1 {
		t.Fatalf("sent %d", len(recs))
	}
	got := []string{}
	for _, hd := range recs[0].Headers {
		got = append(got, hd.Key+"="+string(hd.Value))
	}
	if strings.Join(got, ",") != "trace=abc 1,src=a=b" {
		t.Fatalf("headers sent: %q", got)
	}
}

func TestProduceCountAndRate(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.set("value", "n={{seq}}")
	for _, c := range []struct{ field, text, want string }{
		{"count", "0", "a whole number, 1 or more"},
		{"count", "ten", "a whole number, 1 or more"},
		{"rate", "-1", "records per second, 0 or more"},
		{"rate", "fast", "records per second, 0 or more"},
	} {
		h.set(c.field, c.text)
		if e := h.v.FieldError(c.field); !strings.Contains(e, c.want) {
			t.Errorf("%s %q: %q, want %q", c.field, c.text, e, c.want)
		}
		h.set(c.field, "")
	}
	h.set("count", "250")
	h.set("rate", "500/s")
	h.keys("ctrl+s")
	recs := h.fake.records()
	if len(recs) != 250 || string(recs[0].Value) != "n=1" || string(recs[249].Value) != "n=250" {
		t.Fatalf("sent %d records, first %q", len(recs), recs[0].Value)
	}
	if h.fake.stream.Count != 250 || h.fake.stream.Rate != 500 {
		t.Fatalf("stream options %+v", h.fake.stream)
	}
	h.mustShow("sent 250 of 250 records", "p50 2ms", "p99 9ms", "0 failed")
}

func TestProduceCancelRun(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.set("value", "x")
	h.set("count", "10000")
	h.fake.blockOn = make(chan struct{})
	_, cmd := h.v.Update(viewstest.Key("ctrl+s"))
	if h.v.run == nil || !h.v.Busy() {
		t.Fatal("no run in flight")
	}
	h.mustShow("esc cancels the run", "/ 10,000")
	_, c2 := h.v.Update(viewstest.Key("esc"))
	h.do(c2)
	h.mustShow("cancelling")
	h.do(cmd)
	if h.v.run != nil || h.popped {
		t.Fatalf("run still going (%v) or form closed (%v)", h.v.run != nil, h.popped)
	}
	// The cancel may land before the first record or after it.
	if !regexp.MustCompile(`cancelled: sent [01] of 10,000 records`).MatchString(h.screen()) {
		t.Fatalf("no cancelled summary:\n%s", h.screen())
	}
	if n := len(h.fake.records()); n > 1 {
		t.Fatalf("%d records sent after the cancel", n)
	}
	h.keys("esc")
	if !h.popped {
		t.Fatal("esc after the run did not close the form")
	}
}

func TestProduceBrokerErrorKeepsEverythingTyped(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.set("key", "k1")
	h.set("value", "{\"a\":1}")
	h.keys("alt+j")
	h.set("header 1", "h=1")
	for _, fail := range []error{
		errBrokerDown,
		errors.New(`produce to "orders": the record is larger than the topic accepts (max.message.bytes): MESSAGE_TOO_LARGE`),
		errors.New(`produce to "orders": not authorized to write: TOPIC_AUTHORIZATION_FAILED`),
		&TimeoutError{What: "produce to orders", After: 10 * time.Second, Err: context.DeadlineExceeded},
	} {
		h.fake.fail = fail
		h.keys("ctrl+s")
		h.mustShow("not sent:", "everything typed is kept")
		if h.v.key.Value() != "k1" || h.v.Value() != "{\"a\":1}" || h.v.headers[0].Value() != "h=1" || !h.v.json {
			t.Fatalf("form changed after %v", fail)
		}
	}
	if e := h.v.Err().Error(); !strings.Contains(e, "is the broker down or unreachable") {
		t.Fatalf("timeout in plain words: %q", e)
	}
	h.fake.fail = nil
	h.keys("ctrl+s")
	if len(h.fake.records()) != 1 || h.v.Err() != nil {
		t.Fatalf("retry: %d records, err %v", len(h.fake.records()), h.v.Err())
	}
	h.mustShow("✓ orders")
}

func TestProduceTemplatesAndHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	h := newProduceHarness(t, "payments", ProduceOptions{HistoryPath: path})
	h.keys("ctrl+t")
	h.mustShow("order-placed", "text-line", "no sends in the history yet")
	h.keys("enter")
	if !h.v.json || h.v.key.Value() != "ord-{{seq 6}}" || len(h.v.headers) != 4 || !strings.Contains(h.v.Value(), `"schema_version": 2`) {
		t.Fatalf("order template not applied: json %v key %q headers %d", h.v.json, h.v.key.Value(), len(h.v.headers))
	}
	h.set("count", "3")
	h.keys("ctrl+s")
	recs := h.fake.records()
	if len(recs) != 3 || string(recs[2].Key) != "ord-000003" || recs[0].Headers[1].Key != "correlation_id" {
		t.Fatalf("sent %+v", recs)
	}
	if !strings.Contains(string(recs[0].Value), string(recs[0].Headers[1].Value)) {
		t.Fatalf("correlation header %q not in the value", recs[0].Headers[1].Value)
	}

	// A new form reads the history and refills topic, count and all.
	h2 := newProduceHarness(t, "orders", ProduceOptions{HistoryPath: path})
	h2.keys("ctrl+t")
	h2.mustShow("last sends", "payments", "×3")
	h2.keys("down", "down", "enter")
	if h2.v.topic.Value() != "payments" || h2.v.count.Value() != "3" || h2.v.key.Value() != "ord-{{seq 6}}" || !h2.v.json {
		t.Fatalf("history entry not applied: topic %q count %q key %q", h2.v.topic.Value(), h2.v.count.Value(), h2.v.key.Value())
	}
}

func TestProduceEscClosesAndReadOnlyTopicsRefuse(t *testing.T) {
	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.keys("esc")
	if !h.popped {
		t.Fatal("esc did not close the form")
	}
	for _, ro := range []bool{false, true} {
		th, _ := themes.Load("", "", true)
		fake := viewstest.New()
		c := &Common{Ctx: context.Background(), Theme: th, Cluster: fake, ReadOnly: ro, Now: fake.Clock.Now, Timeout: time.Second}
		tv := NewTopics(c)
		tv.SetSize(100, 30)
		_, _ = tv.Update(tv.Init()())
		_, cmd := tv.Update(viewstest.Key("p"))
		msg := cmd()
		switch m := msg.(type) {
		case PushMsg:
			pv, ok := m.View.(*Produce)
			if ro || !ok || pv.topic.Value() == "" {
				t.Fatalf("read-only %v: pushed %T", ro, m.View)
			}
		case NoticeMsg:
			if !ro || !m.Err || !strings.Contains(m.Text, "read-only") {
				t.Fatalf("read-only %v: notice %+v", ro, m)
			}
		default:
			t.Fatalf("read-only %v: %T", ro, msg)
		}
	}
}

// TestProduceHistoryNoteAndOff: the form says where sends are kept; with
// NoHistory (--no-history, history: false) it says none are, and a send
// writes no file.
func TestProduceHistoryNoteAndOff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	h := newProduceHarness(t, "orders", ProduceOptions{HistoryPath: path})
	h.mustShow("sends kept in " + path + ", per cluster")

	off := newProduceHarness(t, "orders", ProduceOptions{HistoryPath: path}, func(c *Common) { c.NoHistory = true })
	off.mustShow("sends are not kept")
	off.set("value", "hello")
	off.keys("ctrl+s")
	if len(off.fake.records()) != 1 {
		t.Fatalf("sent %d records", len(off.fake.records()))
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a send with NoHistory wrote %s (%v)", path, err)
	}
	off.keys("ctrl+t")
	off.mustShow("no sends in the history yet")
}

// TestProduceValueFromFile: a value "@PATH" sends the file's bytes as
// they are (no placeholders), in a single send and in a run; "@@" is a
// literal "@"; a missing file, and a file that is not JSON in JSON mode,
// are errors on the value; a rate too small to pace is refused.
func TestProduceValueFromFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "value.bin")
	content := []byte("raw {{seq}} \x00\xff bytes")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}

	h := newProduceHarness(t, "orders", ProduceOptions{})
	h.set("value", "@"+path)
	h.keys("ctrl+s")
	h.set("count", "3")
	h.keys("ctrl+s")
	recs := h.fake.records()
	if len(recs) != 4 {
		t.Fatalf("sent %d records, want 1 + 3", len(recs))
	}
	for _, r := range recs {
		if string(r.Value) != string(content) {
			t.Fatalf("sent %q, want the file's bytes %q", r.Value, content)
		}
	}

	h.set("count", "1")
	h.set("value", "@@handle")
	h.keys("ctrl+s")
	if recs := h.fake.records(); string(recs[len(recs)-1].Value) != "@handle" {
		t.Errorf("@@handle sent %q", recs[len(recs)-1].Value)
	}

	h.set("value", "@"+filepath.Join(dir, "missing"))
	h.keys("ctrl+s")
	if e := h.v.FieldError("value"); !strings.Contains(e, "missing") {
		t.Errorf("missing file: value error %q", e)
	}
	h.set("value", "@"+path)
	h.keys("alt+j")
	h.keys("ctrl+s")
	if e := h.v.FieldError("value"); !strings.Contains(e, "not valid JSON") {
		t.Errorf("binary file in JSON mode: value error %q", e)
	}
	if n := len(h.fake.records()); n != 5 {
		t.Errorf("%d records sent, want nothing more after the errors", n)
	}
	h.set("rate", "1e-300")
	h.keys("ctrl+s")
	if e := h.v.FieldError("rate"); !strings.Contains(e, "0.001") {
		t.Errorf("rate 1e-300: error %q", e)
	}
}
