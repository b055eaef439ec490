package kafka

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func configValue(t *testing.T, cfgs []ConfigEntry, key string) ConfigEntry {
	t.Helper()
	for _, e := range cfgs {
		if e.Name == key {
			return e
		}
	}
	t.Fatalf("configs lack %s", key)
	return ConfigEntry{}
}

func TestHumanConfigUnits(t *testing.T) {
	shown := map[[2]string]string{
		{"retention.ms", "604800000"}:                 "7d",
		{"retention.ms", "43200000"}:                  "12h",
		{"retention.ms", "-1"}:                        "unlimited",
		{"segment.ms", "90000"}:                       "90s",
		{"delete.retention.ms", "250"}:                "250ms",
		{"segment.bytes", "1073741824"}:               "1GiB",
		{"retention.bytes", "104857600"}:              "100MiB",
		{"retention.bytes", "-1"}:                     "unlimited",
		{"max.message.bytes", "1048588"}:              "1048588",
		{"min.compaction.lag.ms", "0"}:                "0",
		{"flush.ms", "9223372036854775807"}:           "max",
		{"cleanup.policy", "compact"}:                 "compact",
		{"min.insync.replicas", "2"}:                  "2",
		{"local.retention.ms", "-2"}:                  "-2",
		{"log.retention.bytes", "-1"}:                 "unlimited",
		{"message.timestamp.after.max.ms", "3600000"}: "1h",
	}
	for in, want := range shown {
		if got := HumanConfigValue(in[0], in[1]); got != want {
			t.Errorf("HumanConfigValue(%s, %s) = %q, want %q", in[0], in[1], got, want)
		}
		// What is shown parses back to the value.
		if back, err := ParseConfigValue(in[0], HumanConfigValue(in[0], in[1])); err != nil || back != in[1] {
			t.Errorf("ParseConfigValue(%s, %q) = %q, %v; want %s", in[0], want, back, err, in[1])
		}
	}
	typed := map[[2]string]string{
		{"retention.ms", "2d"}:         "172800000",
		{"retention.ms", "1h30m"}:      "5400000",
		{"retention.ms", "2w"}:         "1209600000",
		{"retention.ms", "unlimited"}:  "-1",
		{"segment.bytes", "100MiB"}:    "104857600",
		{"segment.bytes", "1gib"}:      "1073741824",
		{"segment.bytes", "1GB"}:       "1000000000",
		{"segment.bytes", "1.5KiB"}:    "1536",
		{"retention.ms", "abc"}:        "", // an error: see below
		{"cleanup.policy", " delete "}: "delete",
	}
	for in, want := range typed {
		got, err := ParseConfigValue(in[0], in[1])
		if want == "" {
			if err == nil || !strings.Contains(err.Error(), "retention.ms=abc") {
				t.Errorf("ParseConfigValue(%s, %s) = %q, %v; want an error naming it", in[0], in[1], got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("ParseConfigValue(%s, %s) = %q, %v; want %s", in[0], in[1], got, err, want)
		}
	}
}

// TestTopicConfigsSetValidateReset: a plan shows old → new, the broker
// validates it without applying it, apply writes it, a reset plan shows
// the default it falls back to and removes the topic's value.
func TestTopicConfigsSetValidateReset(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 1, map[string]string{"retention.ms": "3600000"})
		ch, err := ParseConfigChange("retention.ms=2d")
		if err != nil {
			t.Fatal(err)
		}
		plan, err := c.PlanConfigs(ctx, TopicTarget(name), []ConfigChange{ch})
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Valid || len(plan.Rows) != 1 || plan.Rows[0].Old != "3600000" || plan.Rows[0].New != "172800000" || !plan.Rows[0].Known {
			t.Fatalf("plan = %+v", plan)
		}
		cfgs, err := c.TopicConfigs(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if v := configValue(t, cfgs, "retention.ms").Value; v != "3600000" {
			t.Fatalf("the validate-only plan changed retention.ms to %s", v)
		}
		if err := c.ApplyConfigs(ctx, plan); err != nil {
			t.Fatal(err)
		}
		cfgs, err = c.TopicConfigs(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		e := configValue(t, cfgs, "retention.ms")
		if e.Value != "172800000" || e.Source != "DYNAMIC_TOPIC_CONFIG" || !e.Dynamic {
			t.Fatalf("after apply retention.ms = %+v", e)
		}

		reset, err := c.PlanConfigs(ctx, TopicTarget(name), []ConfigChange{{Key: "retention.ms", Reset: true}})
		if err != nil {
			t.Fatal(err)
		}
		if !reset.Valid || reset.Rows[0].Old != "172800000" || reset.Rows[0].New != e.Default {
			t.Fatalf("reset plan = %+v", reset)
		}
		if err := c.ApplyConfigs(ctx, reset); err != nil {
			t.Fatal(err)
		}
		cfgs, err = c.TopicConfigs(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if e := configValue(t, cfgs, "retention.ms"); e.Dynamic || e.Value != "604800000" {
			t.Fatalf("after reset retention.ms = %+v", e)
		}
	})
}

// TestTopicConfigsBadValueSaysWhy: the broker refuses a bad value or an
// unknown key in the validate-only step, the plan carries its words, and
// applying the plan is refused without writing.
func TestTopicConfigsBadValueSaysWhy(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 1, nil)
		type bad struct {
			target ConfigTarget
			change ConfigChange
		}
		// kfake validates broker values only; Kafka validates all.
		cases := []bad{{ClusterDefaultTarget(), ConfigChange{Key: "log.retention.ms", Value: "abc"}}}
		if b.real {
			cases = append(cases, bad{TopicTarget(name), ConfigChange{Key: "retention.ms", Value: "abc"}},
				bad{TopicTarget(name), ConfigChange{Key: "retention.ms", Value: "-5"}},
				bad{TopicTarget(name), ConfigChange{Key: "retention.mss", Value: "1"}})
		}
		for _, bc := range cases {
			ch := bc.change
			plan, err := c.PlanConfigs(ctx, bc.target, []ConfigChange{ch})
			if err != nil {
				t.Fatal(err)
			}
			if plan.Valid || plan.Problem == "" {
				t.Fatalf("plan of %+v = %+v, want the broker's refusal", ch, plan)
			}
			if b.real && !strings.Contains(plan.Problem, ch.Key) {
				t.Errorf("Kafka's refusal %q does not name %s", plan.Problem, ch.Key)
			}
			if ch.Key == "retention.mss" && plan.Rows[0].Known {
				t.Errorf("an unknown key is marked known: %+v", plan.Rows[0])
			}
			if err := c.ApplyConfigs(ctx, plan); !errors.Is(err, ErrConfigInvalid) {
				t.Errorf("applying a refused plan = %v, want ErrConfigInvalid", err)
			}
		}
		ro := connectReadOnly(t, b)
		plan, err := ro.PlanConfigs(ctx, TopicTarget(name), []ConfigChange{{Key: "retention.ms", Value: "1000"}})
		if err != nil || !plan.Valid {
			t.Fatalf("a read-only client still plans: %+v, %v", plan, err)
		}
		if err := ro.ApplyConfigs(ctx, plan); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("read-only apply = %v, want ErrReadOnly", err)
		}
	})
}

// TestBrokerConfigs: a broker's configs list dynamic ones first with
// their sources; a dynamic key is set and reset on the broker and on the
// cluster-wide default; a read-only key is refused with the reason.
func TestBrokerConfigs(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		info, err := c.Cluster(ctx)
		if err != nil {
			t.Fatal(err)
		}
		id := info.Brokers[0].ID
		const key = "log.cleaner.backoff.ms" // dynamic cluster-wide, harmless
		for _, target := range []ConfigTarget{BrokerTarget(id), ClusterDefaultTarget()} {
			plan, err := c.PlanConfigs(ctx, target, []ConfigChange{{Key: key, Value: "16000"}})
			if err != nil {
				t.Fatal(err)
			}
			if !plan.Valid {
				t.Fatalf("%s: plan = %+v", target, plan)
			}
			if err := c.ApplyConfigs(ctx, plan); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if p, err := c.PlanConfigs(ctx, target, []ConfigChange{{Key: key, Reset: true}}); err == nil {
					_ = c.ApplyConfigs(ctx, p)
				}
			})
			// KRaft brokers take a change from the metadata log a moment
			// after the controller answers.
			var cfgs []ConfigEntry
			eventually(t, 10*time.Second, key+" set on "+target.String(), func() bool {
				cfgs, err = c.BrokerConfigs(ctx, target)
				return err == nil && slices.ContainsFunc(cfgs, func(e ConfigEntry) bool { return e.Name == key && e.Value == "16000" })
			})
			e := configValue(t, cfgs, key)
			if e.Value != "16000" || !e.Dynamic || !cfgs[0].Dynamic {
				t.Fatalf("%s: %s = %+v (first %+v)", target, key, e, cfgs[0])
			}
			wantSrc := "DYNAMIC_BROKER_CONFIG"
			if target.ClusterDefault {
				wantSrc = "DYNAMIC_DEFAULT_BROKER_CONFIG"
			}
			if b.real && e.Source != wantSrc {
				t.Errorf("%s: source %s, want %s", target, e.Source, wantSrc)
			}
			reset, err := c.PlanConfigs(ctx, target, []ConfigChange{{Key: key, Reset: true}})
			if err != nil || !reset.Valid {
				t.Fatalf("reset plan %+v, %v", reset, err)
			}
			if err := c.ApplyConfigs(ctx, reset); err != nil {
				t.Fatal(err)
			}
		}
		if b.real {
			cfgs, err := c.BrokerConfigs(ctx, BrokerTarget(id))
			if err != nil {
				t.Fatal(err)
			}
			if e := configValue(t, cfgs, "log.dirs"); !e.ReadOnly || e.Dynamic || SourceWords(e.Source) != "static broker" {
				t.Errorf("log.dirs = %+v, want read-only and static", e)
			}
			plan, err := c.PlanConfigs(ctx, BrokerTarget(id), []ConfigChange{{Key: "log.dirs", Value: "/tmp/x"}})
			if err != nil {
				t.Fatal(err)
			}
			if plan.Valid || !strings.Contains(plan.Problem, "log.dirs is read-only") {
				t.Errorf("plan changing log.dirs = %+v, want refused as read-only", plan)
			}
		}
	})
}

// TestTruncate deletes records before an offset, before a time, and all
// of them, for chosen partitions and all, with the plan's counts.
func TestTruncate(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 3, nil)
		base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
		for p := range int32(3) {
			for i := range 10 {
				rec := Record{Topic: name, Partition: p, Value: []byte("v"), Timestamp: base.Add(time.Duration(i) * time.Minute)}
				if _, err := c.Produce(ctx, rec); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Before offset 4 on partitions 0 and 2 only; 99 is past the end
		// and stops there.
		plan, err := c.PlanTruncate(ctx, TruncateSpec{Topic: name, Partitions: []int32{2, 0}, Mode: TruncateOffset, Offset: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Rows) != 2 || plan.Rows[0].Partition != 0 || plan.Rows[0].NewLow != 4 || plan.Rows[0].Removed != 4 || plan.Removed != 8 {
			t.Fatalf("offset plan = %+v", plan)
		}
		got, err := c.Truncate(ctx, plan)
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != 4 || got[2] != 4 {
			t.Fatalf("new low watermarks %v, want 4 on 0 and 2", got)
		}
		// Before a time: the record at minute 6 is the first kept.
		plan, err = c.PlanTruncate(ctx, TruncateSpec{Topic: name, Mode: TruncateTime, Time: base.Add(6 * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Rows) != 3 {
			t.Fatalf("time plan = %+v", plan)
		}
		for _, r := range plan.Rows {
			want := TruncateRow{Partition: r.Partition, Low: 4, NewLow: 6, High: 10, Removed: 2}
			if r.Partition == 1 {
				want.Low, want.Removed = 0, 6
			}
			if r != want {
				t.Errorf("time plan row %+v, want %+v", r, want)
			}
		}
		if _, err := c.Truncate(ctx, plan); err != nil {
			t.Fatal(err)
		}
		// Past the end, then purge.
		plan, err = c.PlanTruncate(ctx, TruncateSpec{Topic: name, Partitions: []int32{1}, Mode: TruncateOffset, Offset: 99})
		if err != nil || plan.Rows[0].NewLow != 10 || plan.Rows[0].Removed != 4 {
			t.Fatalf("past-the-end plan = %+v, %v", plan, err)
		}
		plan, err = c.PlanTruncate(ctx, TruncateSpec{Topic: name, Mode: TruncateEnd})
		if err != nil || plan.Removed != 12 {
			t.Fatalf("end plan = %+v, %v", plan, err)
		}
		if _, err := c.Truncate(ctx, plan); err != nil {
			t.Fatal(err)
		}
		d, err := c.DescribeTopic(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range d.Partitions {
			if p.StartOffset != 10 || p.Records() != 0 {
				t.Errorf("after purge partition %+v", p)
			}
		}
		if _, err := c.PlanTruncate(ctx, TruncateSpec{Topic: name, Partitions: []int32{7}, Mode: TruncateEnd}); err == nil || !strings.Contains(err.Error(), "no partition 7") {
			t.Errorf("plan on partition 7 = %v", err)
		}
		ro := connectReadOnly(t, b)
		if _, err := ro.Truncate(ctx, TruncatePlan{Spec: TruncateSpec{Topic: name}, Rows: []TruncateRow{{NewLow: 1}}}); !errors.Is(err, ErrReadOnly) {
			t.Errorf("read-only truncate = %v", err)
		}
	})
}

func TestParseTruncateBefore(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]TruncateSpec{
		"end":                   {Mode: TruncateEnd},
		"42":                    {Mode: TruncateOffset, Offset: 42},
		"@2026-11-23T10:00:00Z": {Mode: TruncateTime, Time: now.Add(-2 * time.Hour)},
		"@2h":                   {Mode: TruncateTime, Time: now.Add(-2 * time.Hour)},
	} {
		m, o, at, err := ParseTruncateBefore(in, now)
		if err != nil || m != want.Mode || o != want.Offset || !at.Equal(want.Time) {
			t.Errorf("ParseTruncateBefore(%q) = %v %v %v %v", in, m, o, at, err)
		}
	}
	for _, bad := range []string{"-1", "x", "@yesterday", ""} {
		if _, _, _, err := ParseTruncateBefore(bad, now); err == nil {
			t.Errorf("ParseTruncateBefore(%q) took it", bad)
		}
	}
}

// connectReadOnly connects a read-only client to the backend.
func connectReadOnly(t *testing.T, b backend) *Client {
	t.Helper()
	c, err := Connect(testCtx(t), ConnConfig{Brokers: b.brokers, Timeout: 10 * time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestConfigsOfAMissingTopicSuggest: a typo names the topic and the close
// ones, as the other topic commands do.
func TestConfigsOfAMissingTopicSuggest(t *testing.T) {
	eachBackend(t, func(t *testing.T, c *Client, b backend) {
		ctx := testCtx(t)
		name := uniqueTopic(t)
		mustCreate(t, c, name, 1, nil)
		_, err := c.PlanConfigs(ctx, TopicTarget(name+"x"), []ConfigChange{{Key: "retention.ms", Value: "1000"}})
		var ute *UnknownTopicError
		if !errors.As(err, &ute) || !strings.Contains(err.Error(), name) {
			t.Fatalf("plan on a missing topic = %v, want an UnknownTopicError suggesting %s", err, name)
		}
	})
}
