package kafka

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"kflow/lag"
)

// kafkaTool runs one of Kafka's command-line tool classes through
// scripts/kafka/tool.sh. Under CI=true a missing Kafka classpath fails the
// test; otherwise it skips.
func kafkaTool(t *testing.T, ctx context.Context, class string, args ...string) string {
	t.Helper()
	if os.Getenv("KFLOW_KAFKA_LIBS") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but KFLOW_KAFKA_LIBS is not set: run the tests with scripts/test.sh")
		}
		t.Skip("KFLOW_KAFKA_LIBS not set: Kafka's own tools are not available (scripts/test.sh sets it)")
	}
	_, here, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(here), "..", "scripts", "kafka", "tool.sh")
	cmd := exec.CommandContext(ctx, "bash", append([]string{script, class}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\nstdout:\n%s\nstderr:\n%s", class, args, err, out.String(), errb.String())
	}
	return out.String()
}

// toolRow is one partition row of kafka-consumer-groups.sh --describe.
type toolRow struct {
	topic     string
	partition int32
	current   int64 // -1 for "-"
	end       int64
	lag       int64 // -1 for "-"
}

// describeWithTool runs ConsumerGroupCommand --describe on group and
// parses its table, keyed "topic[p]".
func describeWithTool(t *testing.T, ctx context.Context, broker, group string) map[string]toolRow {
	t.Helper()
	out := kafkaTool(t, ctx, "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
		"--bootstrap-server", broker, "--describe", "--group", group)
	rows := map[string]toolRow{}
	var cols map[string]int
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if f[0] == "GROUP" {
			cols = map[string]int{}
			for i, c := range f {
				cols[c] = i
			}
			continue
		}
		if cols == nil || f[0] != group || len(f) < len(cols)-3 {
			continue
		}
		num := func(name string) int64 {
			s := f[cols[name]]
			if s == "-" {
				return -1
			}
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				t.Fatalf("column %s of %q: %v", name, line, err)
			}
			return n
		}
		r := toolRow{topic: f[cols["TOPIC"]], partition: int32(num("PARTITION")), current: num("CURRENT-OFFSET"),
			end: num("LOG-END-OFFSET"), lag: num("LAG")}
		rows[fmt.Sprintf("%s[%d]", r.topic, r.partition)] = r
	}
	if len(rows) == 0 {
		t.Fatalf("no rows for %s in:\n%s", group, out)
	}
	return rows
}

// compareWithTool checks that kflow's lag of group equals the tool's, row
// by row, and returns kflow's.
func compareWithTool(t *testing.T, c *Client, broker, group string) GroupLag {
	t.Helper()
	ctx := testCtx(t)
	want := describeWithTool(t, ctx, broker, group)
	lags, err := c.Lag(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	gl := lags[0]
	if gl.Err != "" {
		t.Fatalf("lag of %s: %s", group, gl.Err)
	}
	got := map[string]lag.Partition{}
	for _, p := range gl.Partitions {
		got[fmt.Sprintf("%s[%d]", p.Topic, p.Partition)] = p
	}
	var total int64
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: the tool lists %s, kflow does not", group, k)
			continue
		}
		if g.Committed != w.current || g.EndOffset != w.end {
			t.Errorf("%s %s: kflow committed %d end %d, the tool %d %d", group, k, g.Committed, g.EndOffset, w.current, w.end)
		}
		// The tool prints "-" for the lag of a partition with no commit;
		// kflow counts it from the start offset (what a consumer from the
		// beginning would read).
		if w.lag >= 0 && g.Lag != w.lag {
			t.Errorf("%s %s: kflow lag %d, the tool %d", group, k, g.Lag, w.lag)
		}
		if w.lag >= 0 {
			total += w.lag
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: kflow lists %s, the tool does not", group, k)
		}
	}
	var committedTotal int64
	for _, p := range gl.Partitions {
		if p.Committed >= 0 {
			committedTotal += p.Lag
		}
	}
	if committedTotal != total {
		t.Errorf("%s: total lag of committed partitions %d, the tool's %d", group, committedTotal, total)
	}
	return gl
}

// TestLagMatchesKafkaTool compares kflow's lag with kafka-consumer-groups.sh
// --describe on the real broker: a classic group whose offsets were
// committed with kadm, and a KIP-848 consumer-protocol group made by
// Kafka's own console consumer.
func TestLagMatchesKafkaTool(t *testing.T) {
	brokers := realBrokers(t)
	if brokers == nil {
		t.Skip("no real broker")
	}
	b := backend{name: "kafka", brokers: brokers, real: true}
	c := connect(t, b)
	ctx := testCtx(t)
	topic := uniqueTopic(t)
	mustCreate(t, c, topic, 3, nil)
	for p := range int32(3) {
		for i := range 20 + 5*int(p) {
			if _, err := c.Produce(ctx, Record{Topic: topic, Partition: p, Value: fmt.Appendf(nil, "%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
	}

	t.Run("classic", func(t *testing.T) {
		group := topic + "-classic"
		commit(t, c, group, topic, map[int32]int64{0: 20, 1: 7, 2: 3})
		gl := compareWithTool(t, c, brokers[0], group)
		if gl.TotalLag != 0+18+27 || gl.Group.Type != "classic" {
			t.Errorf("classic group: %+v", gl)
		}
	})

	t.Run("consumer-protocol", func(t *testing.T) {
		group := topic + "-kip848"
		tctx, cancel := context.WithTimeout(ctx, 45*time.Second)
		defer cancel()
		kafkaTool(t, tctx, "org.apache.kafka.tools.consumer.ConsoleConsumer",
			"--bootstrap-server", brokers[0], "--topic", topic, "--group", group,
			"--consumer-property", "group.protocol=consumer", "--max-messages", "30", "--from-beginning")
		var gl GroupLag
		eventually(t, 20*time.Second, "the console consumer's group to be empty with commits", func() bool {
			lags, err := c.Lag(ctx, group)
			if err != nil || len(lags) == 0 {
				return false
			}
			gl = lags[0]
			return gl.Group.Members == 0 && len(gl.Partitions) > 0
		})
		if gl.Group.Type != "consumer" {
			t.Fatalf("console consumer with group.protocol=consumer made a %q group", gl.Group.Type)
		}
		gl = compareWithTool(t, c, brokers[0], group)
		var consumed int64
		for _, p := range gl.Partitions {
			consumed += max(0, p.Committed)
		}
		if consumed < 30 || gl.TotalLag != 75-consumed {
			t.Errorf("after 30 of 75 records: committed %d, lag %d", consumed, gl.TotalLag)
		}
	})
}
