package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kflow/kafka"
)

func TestUsageErrorsExit2(t *testing.T) {
	isolateConfig(t)
	for _, args := range [][]string{
		{"nosuchcommand"},
		{"topics", "--bogus"},
		{"topics", "extra"},
		{"produce", "value"},                  // no topic
		{"produce", "-t", "x", "a", "b"},      // two values
		{"tail", "-t", "x", "--from", "soon"}, // bad start
		{"tail"},                              // no topic
		{"-b", "host:notaport", "topics"},     // bad address
		{"--timeout", "-1s", "topics"},        // bad timeout
		{"group", "reset", "g"},               // no --to
		{"group", "reset", "g", "--to", "rewind"},
		{"topic", "create"},
		{"produce", "-t", "x", "-H", "novalue", "v"},
		{"--context", "nope", "topics"},
		{"--buffer", "0"},
		{"--lag-rules", "window=soon"},
	} {
		r := kflow(t, "", nil, args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "kflow: ") {
			t.Errorf("kflow %q: exit %d, stderr %q; want exit 2 with a message", args, r.code, r.stderr)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		if r := kflow(t, "", nil, args...); r.code != 0 || !strings.HasPrefix(r.stdout, "kflow ") {
			t.Errorf("kflow %q = %+v", args, r)
		}
	}
	r := kflow(t, "", nil, "help")
	for _, c := range commands() {
		if !strings.Contains(r.stdout, "  "+c.name+" ") {
			t.Errorf("help lacks %s", c.name)
		}
	}
}

func TestUnreachableBrokerExits1Fast(t *testing.T) {
	isolateConfig(t)
	start := time.Now()
	r := kflow(t, "", map[string]string{"KFLOW_BROKERS": "127.0.0.1:1"}, "topics")
	if r.code != exitRuntime || strings.Count(r.stderr, "127.0.0.1:1") != 1 || !strings.Contains(r.stderr, "refused") {
		t.Errorf("unreachable broker (named once, with the cause): %+v", r)
	}
	r = kflow(t, "", map[string]string{"KFLOW_BROKERS": "kafka.invalid:9092"}, "topics")
	if r.code != exitRuntime || strings.Count(r.stderr, "kafka.invalid:9092") != 1 || !strings.Contains(r.stderr, "does not resolve") ||
		strings.Contains(r.stderr, "is the broker running") {
		t.Errorf("a name that does not resolve: %+v", r)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestBrokerPrecedence: -b beats KFLOW_BROKERS beats the context.
func TestBrokerPrecedence(t *testing.T) {
	isolateConfig(t)
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("current-context: c\ncontexts:\n  c:\n    brokers: [ctxhost:1]\n    read-only: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g := globals{config: cfg}
	r, err := resolve(&g, env{getenv: func(string) string { return "" }})
	if err != nil || r.conn.Brokers[0] != "ctxhost:1" || !r.conn.ReadOnly || r.contextName != "c" {
		t.Fatalf("context: %+v, %v", r, err)
	}
	g.brokers = "flaghost:2"
	r, _ = resolve(&g, env{getenv: func(string) string { return "envhost:3" }})
	if r.conn.Brokers[0] != "flaghost:2" || !r.conn.ReadOnly {
		t.Errorf("-b with a context: %+v", r.conn)
	}
	r, _ = resolve(&globals{}, env{getenv: func(k string) string {
		if k == "KFLOW_BROKERS" {
			return "envhost:3"
		}
		return ""
	}})
	if r.conn.Brokers[0] != "envhost:3" {
		t.Errorf("env: %+v", r.conn)
	}
	r, _ = resolve(&globals{}, env{getenv: func(string) string { return "" }})
	if r.conn.Brokers[0] != kafka.DefaultBrokers {
		t.Errorf("default: %+v", r.conn)
	}
}

// TestHeadlessCommands drives every headless command against the real
// broker as a script would.
func TestHeadlessCommands(t *testing.T) {
	isolateConfig(t)
	b := realBrokers(t)
	topic := uniqueName(t)
	env := map[string]string{"KFLOW_BROKERS": b}
	must := func(stdin string, args ...string) result {
		t.Helper()
		r := kflow(t, stdin, env, args...)
		if r.code != 0 {
			t.Fatalf("kflow %q: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		return r
	}
	must("", "topic", "create", topic, "-p", "3", "-r", "1", "-c", "retention.ms=3600000")
	defer kflow(t, "", env, "topic", "delete", topic, "--confirm", topic)

	// One record per stdin line, key split off by -K.
	must("k1:v1\nk2:v2\nk3:v3\n", "produce", "-t", topic, "-K", ":", "-H", "source=test")
	if r := kflow(t, "no delimiter\n", env, "produce", "-t", topic, "-K", ":"); r.code != exitRuntime || !strings.Contains(r.stderr, "line 1") {
		t.Errorf("line without delimiter: %+v", r)
	}
	r := must("", "produce", "-t", topic, "-p", "1", "-k", "", "explicit", "--json")
	var res kafka.ProduceResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res.Partition != 1 {
		t.Errorf("produce --json: %q, %v", r.stdout, err)
	}

	r = must("", "tail", "-t", topic, "--from", "beginning", "--exit", "--json")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 4 {
		t.Fatalf("tail --exit read %d records: %q", len(lines), r.stdout)
	}
	keys := map[string]bool{}
	for _, l := range lines {
		var j kafka.JSONRecord
		if err := json.Unmarshal([]byte(l), &j); err != nil {
			t.Fatal(err)
		}
		if j.Key == nil {
			continue // a record without a key has nothing to match below
		}
		keys[*j.Key] = true
		if *j.Key == "k2" && (j.Value == nil || *j.Value != "v2" || len(j.Headers) != 1 || j.Headers[0].Key != "source") {
			t.Errorf("record %s", l)
		}
	}
	for _, k := range []string{"k1", "k2", "k3"} {
		if !keys[k] {
			t.Errorf("tail --exit --json: no record with key %q in %q", k, r.stdout)
		}
	}

	// Plain output is the value per line, key first with -K.
	r = must("", "tail", topic, "--from", "beginning", "--exit", "--partitions", "1", "-K", "=")
	if !strings.Contains(r.stdout, "=explicit\n") {
		t.Errorf("plain tail: %q", r.stdout)
	}

	// A saved JSON-lines file replays into another topic unchanged.
	saved := filepath.Join(t.TempDir(), "saved.jsonl")
	if err := os.WriteFile(saved, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	copyTopic := topic + "-copy"
	must("", "topic", "create", copyTopic, "-p", "3")
	defer kflow(t, "", env, "topic", "delete", copyTopic, "--confirm", copyTopic)
	must("", "produce", "-t", copyTopic, "--from-jsonl", saved, "--keep-partition")
	r = must("", "tail", "-t", copyTopic, "--from", "beginning", "--exit", "--json")
	if n := strings.Count(r.stdout, "\n"); n != 4 || !strings.Contains(r.stdout, `"key":"k3","value":"v3"`) {
		t.Errorf("replayed %d records: %s", n, r.stdout)
	}

	must("", "topic", "add-partitions", topic, "2")
	r = must("", "topic", "describe", topic, "--json")
	var d kafka.TopicDetail
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || len(d.Partitions) != 5 {
		t.Errorf("describe after adding: %v %s", err, r.stdout)
	}
	r = must("", "topics")
	if !strings.Contains(r.stdout, topic) || !strings.HasPrefix(r.stdout, "TOPIC") {
		t.Errorf("topics: %q", r.stdout)
	}
	r = must("", "topic", "configs", topic)
	if !strings.Contains(r.stdout, "retention.ms") || !strings.Contains(r.stdout, "3600000") {
		t.Errorf("configs: %q", r.stdout)
	}
	r = must("", "brokers", "--json")
	if !strings.Contains(r.stdout, `"cluster_id"`) {
		t.Errorf("brokers: %q", r.stdout)
	}

	// Groups: commit through a reset of a fresh group, see the lag.
	group := topic + "-g"
	r = must("", "group", "reset", group, "--to", "offset:1", "--topic", topic+":0,1,2")
	if !strings.Contains(r.stdout, "would move") || !strings.Contains(r.stderr, "dry run") {
		t.Errorf("dry run: %q %q", r.stdout, r.stderr)
	}
	if r := kflow(t, "", env, "lag", "--group", group); r.code == 0 {
		t.Errorf("a dry run created the group: %+v", r)
	}
	if r := kflow(t, "", env, "group", "reset", group, "--to", "offset:1", "--topic", topic, "--execute"); r.code != exitUsage || !strings.Contains(r.stderr, "--confirm") {
		t.Errorf("execute without confirmation: %+v", r)
	}
	must("", "group", "reset", group, "--to", "offset:1", "--topic", topic+":0,1,2", "--execute", "--confirm", group)
	r = must("", "lag", "--group", group, "--samples", "1")
	if !strings.Contains(r.stdout, "CURRENT-OFFSET") {
		t.Errorf("lag: %q", r.stdout)
	}
	r = must("", "lag", "--json", "--group", group, "--samples", "1")
	var lags []kafka.GroupLag
	if err := json.Unmarshal([]byte(r.stdout), &lags); err != nil || len(lags) != 1 {
		t.Fatalf("lag --json: %v %s", err, r.stdout)
	}
	var want int64
	for _, p := range d.Partitions[:3] {
		want += max(0, p.EndOffset-min(1, p.EndOffset))
	}
	if lags[0].TotalLag != want {
		t.Errorf("lag %d, want %d (%s)", lags[0].TotalLag, want, r.stdout)
	}
	r = must("", "groups")
	if !strings.Contains(r.stdout, group) || !strings.Contains(r.stdout, "MEMBERS") {
		t.Errorf("groups: %q", r.stdout)
	}
	must("", "group", "delete", group, "--confirm", group)

	// Read-only refuses writes with exit 1 and says why.
	r = kflow(t, "", env, "--read-only", "produce", "-t", topic, "v")
	if r.code != exitRuntime || !strings.Contains(r.stderr, "read-only") {
		t.Errorf("read-only produce: %+v", r)
	}
	if r := kflow(t, "", env, "topic", "delete", topic); r.code != exitUsage || !strings.Contains(r.stderr, "--confirm") {
		t.Errorf("delete without confirmation: %+v", r)
	}
}

func TestDemoBusyPortSuggestsListen(t *testing.T) {
	isolateConfig(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	r := kflow(t, "", nil, "demo", "--listen", l.Addr().String())
	if r.code != exitRuntime || !strings.Contains(r.stderr, l.Addr().String()) || !strings.Contains(r.stderr, "--listen") {
		t.Errorf("demo on a busy port: %+v", r)
	}
}

// TestDemoFlagServesHeadlessCommands: --demo gives any command a seeded
// in-process cluster.
func TestDemoFlagServesHeadlessCommands(t *testing.T) {
	isolateConfig(t)
	r := kflow(t, "", nil, "topics", "--demo", "--json")
	var ts []kafka.TopicSummary
	if err := json.Unmarshal([]byte(r.stdout), &ts); err != nil || r.code != 0 {
		t.Fatalf("topics --demo: %+v %v", r, err)
	}
	names := map[string]bool{}
	for _, t := range ts {
		names[t.Name] = true
	}
	for _, want := range []string{"order_events", "order_events.DLQ", "streams-plaintext-input", "streams-wordcount-output"} {
		if !names[want] {
			t.Errorf("demo lacks %s: %v", want, names)
		}
	}
	// Its groups have joined by the time a command runs.
	r = kflow(t, "", nil, "groups", "--demo", "--json")
	var gs []kafka.GroupSummary
	if err := json.Unmarshal([]byte(r.stdout), &gs); err != nil || r.code != 0 {
		t.Fatalf("groups --demo: %+v %v", r, err)
	}
	stable := 0
	for _, g := range gs {
		if g.State == "Stable" && g.Members == 1 {
			stable++
		}
	}
	if stable != 3 {
		t.Errorf("groups --demo: %+v, want inventory, notifications and shipping stable with a member each", gs)
	}
}

// TestPlainTailOnATerminalIsInert: what a terminal would act on (OSC 52,
// clear screen, bidi override, C1 CSI) is printed visibly, nothing raw;
// into a pipe the same bytes pass untouched.
func TestPlainTailOnATerminalIsInert(t *testing.T) {
	hostile := []byte("a\x1b]52;c;aGk=\x07b\x1b[2Jc\u202ed\xc2\x9be\xff")
	var term, pipe strings.Builder
	for _, tc := range []struct {
		w     *strings.Builder
		inert bool
	}{{&term, true}, {&pipe, false}} {
		p := printer{inert: tc.inert, delim: "|"}
		tc.w.Write(p.append(nil, &kafka.Record{Key: []byte("k\x1b"), Value: hostile, ValueSize: len(hostile)}, &kafka.JSONLines{}))
	}
	for _, bad := range []string{"\x1b", "\x07", "\u202e", "\xc2\x9b", "\xff"} {
		if strings.Contains(term.String(), bad) {
			t.Errorf("terminal output %q holds %q raw", term.String(), bad)
		}
	}
	if !strings.Contains(term.String(), "␛]52;c;aGk=") || !strings.Contains(term.String(), `\xff`) {
		t.Errorf("terminal output %q does not show the escapes", term.String())
	}
	if pipe.String() != "k\x1b|"+string(hostile)+"\n" {
		t.Errorf("pipe output %q changed the bytes", pipe.String())
	}
}
