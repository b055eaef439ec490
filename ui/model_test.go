package ui

import (
	tea "charm.land/bubbletea/v2"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views"
)

func TestStartListsTopics(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.wantStack("topics")
	d.wantScreen("orders", "payments", "audit-log", "● connected", "3 brokers", "tail – rec/s", "1 under-rep")
	d.notScreen("__consumer_offsets")
}

func TestInternalToggle(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.wantScreen("1 internal hidden (i)")
	d.keys("i")
	d.wantScreen("__consumer_offsets", "1 internal shown")
	d.keys("i")
	d.notScreen("__consumer_offsets")
}

func TestNavigation(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	// Sorted by name: audit-log is first.
	d.keys("enter")
	d.wantStack("topics", "partitions · audit-log")
	d.wantScreen("PARTITION", "LEADER", "REPLICAS", "ISR")
	d.keys("esc")
	d.wantStack("topics")
	d.keys("j", "enter")
	d.wantStack("topics", "partitions · clickstream.raw.events.from-the-web-frontend")
	d.keys("C")
	d.wantStack("topics", "partitions · clickstream.raw.events.from-the-web-frontend", "configs · clickstream.raw.events.from-the-web-frontend")
	d.wantScreen("cleanup.policy", "compact", "(sensitive)")
	d.keys("q") // q goes back from an inner view
	d.keys("q")
	d.wantStack("topics")
	if d.run.Quit {
		t.Fatal("q quit from an inner view")
	}
	d.keys("q")
	if !d.run.Quit {
		t.Fatal("q did not quit from the top view")
	}
}

func TestCtrlCQuitsWhileCallInFlight(t *testing.T) {
	d := newDriver(t, Options{}, 80, 24)
	d.fake.Block = make(chan struct{})
	d.keys("r")
	if !d.m.busy() {
		t.Fatal("refresh not in flight")
	}
	d.wantScreen("loading…")
	d.keys("ctrl+c")
	if !d.run.Quit {
		t.Fatal("ctrl+c did not quit while a call was in flight")
	}
}

func TestCtrlCQuitsFromOverlays(t *testing.T) {
	for _, open := range [][]string{{":"}, {"?"}, {"/"}, {"c"}} {
		d := newDriver(t, Options{}, 80, 24)
		d.keys(open...)
		d.keys("ctrl+c")
		if !d.run.Quit {
			t.Fatalf("ctrl+c did not quit after %q", open)
		}
	}
}

func TestFilter(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys("/")
	d.typ("pay")
	d.wantScreen("/pay", "1 of 4")
	d.notScreen("orders")
	d.keys("enter") // keep the filter, leave the input
	d.keys("enter") // opens the only match
	d.wantStack("topics", "partitions · payments")
	d.keys("esc")
	d.wantScreen("/pay", "esc clears")
	d.keys("esc") // clears, does not pop
	d.wantStack("topics")
	d.wantScreen("orders", "payments")
	// Fuzzy: the letters in order.
	d.keys("/")
	d.typ("clkfrnt")
	d.wantScreen("1 of 4", "clickstream")
	d.keys("esc")
	d.wantScreen("orders", "payments")
	// Nothing matches.
	d.keys("/")
	d.typ("zzz")
	d.wantScreen(`nothing matches "zzz"`)
}

func TestFilterHighlightsMatch(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys("/")
	d.typ("ment")
	styled := d.m.Render()
	want := d.m.Theme().Match.Render("ment")
	if !strings.Contains(styled, want) {
		t.Fatalf("the match is not highlighted: %q", styled)
	}
}

func TestSortKeys(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	first := func() string {
		r, _ := d.m.Front().(*views.Topics).Table().Selected()
		return r.Key
	}
	d.keys("g")
	if first() != "audit-log" {
		t.Fatalf("first by name = %s", first())
	}
	d.keys("s", "g") // by partitions, ascending
	if first() != "audit-log" {
		t.Fatalf("first by partitions = %s", first())
	}
	d.keys("S", "g") // descending
	if first() != "clickstream.raw.events.from-the-web-frontend" {
		t.Fatalf("first by partitions descending = %s", first())
	}
	d.wantScreen("▼PARTS")
	d.keys("s", "s", "g") // records ascending
	if first() != "audit-log" {
		t.Fatalf("first by records = %s", first())
	}
	d.keys("G")
	if r, _ := d.m.Front().(*views.Topics).Table().Selected(); r.Key != "clickstream.raw.events.from-the-web-frontend" {
		t.Fatalf("last by records = %s", r.Key)
	}
}

func TestPalette(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys(":")
	d.wantScreen("topics", "partitions", "brokers", "tail", "groups", "wordcount", "produce", "theme", "context", "quit")
	d.typ("bro")
	d.keys("enter")
	d.wantStack("topics", "brokers")
	d.wantScreen("broker-2.kafka.local:9092", "★ controller", "eu-west-1c", "MkU3OEVBNTcwNTJENDM2Qk")

	// Argument completion from the topic list.
	d.keys(":")
	d.typ("partitions pay")
	d.keys("tab")
	if v := d.m.palette.input.Value(); v != "partitions payments" {
		t.Fatalf("completion = %q", v)
	}
	d.keys("enter")
	// It replaces the brokers view the palette opened.
	d.wantStack("topics", "partitions · payments")
	d.wantScreen("1,2 (−3)") // payments/2 misses replica 3

	d.keys(":")
	d.typ("topics")
	d.keys("enter")
	d.wantStack("topics")

	d.keys(":")
	d.typ("theme li")
	d.keys("tab", "enter")
	if d.m.Theme().Name != "light" {
		t.Fatalf("theme = %s", d.m.Theme().Name)
	}

	d.keys(":")
	d.typ("context prod")
	d.keys("enter")
	if msg, isErr := d.m.Message(); !isErr || !strings.Contains(msg, "no contexts") {
		t.Fatalf(":context without config said %q", msg)
	}

	d.keys(":")
	d.typ("frobnicate")
	d.keys("enter")
	d.wantScreen(`unknown command "frobnicate"`)
	d.keys("esc")
	if d.m.palette != nil {
		t.Fatal("esc did not close the palette")
	}

	d.keys(":")
	d.typ("quit")
	d.keys("enter")
	if !d.run.Quit {
		t.Fatal(":quit did not quit")
	}
}

func TestPaletteContext(t *testing.T) {
	var asked string
	d := newDriver(t, Options{ContextNames: []string{"prod", "staging"}, Context: func(name string) (kafka.ConnConfig, error) {
		asked = name
		return kafka.ConnConfig{Brokers: []string{"staging:9092"}}, nil
	}}, 120, 30)
	d.keys(":")
	d.typ("context st")
	d.keys("tab")
	if v := d.m.palette.input.Value(); v != "context staging" {
		t.Fatalf("completion = %q", v)
	}
	d.keys("enter")
	if asked != "staging" {
		t.Fatalf("context asked = %q", asked)
	}
	d.wantScreen("ctx staging", "staging:9092", "● connected")
}

func TestHelpIsBuiltFromTheViewInFront(t *testing.T) {
	d := newDriver(t, Options{}, 120, 40)
	d.keys("?")
	d.wantScreen("topics keys", "create topic", "delete topic", "show internal", "configs", "filter", "command")
	d.keys("?")
	d.notScreen("topics keys")
	d.keys("enter", "?")
	d.wantScreen("partitions · audit-log keys", "tail partition", "topic configs")
	d.notScreen("create topic")
	d.keys("esc")
	d.notScreen("keys")
}

func TestCreateTopicForm(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys("c")
	d.wantScreen("Create topic", "Name", "Partitions", "Replication factor", "Configs")
	d.typ("bad name!")
	d.wantScreen("only letters, digits")
	for range "bad name!" {
		d.keys("backspace")
	}
	d.keys("tab")
	d.typ("x")
	d.wantScreen("a whole number")
	d.keys("backspace")
	d.typ("4")
	d.keys("tab")
	d.typ("2")
	d.keys("tab")
	d.typ("cleanup.policy=compact, retention.ms=1000")
	d.keys("enter") // enter on the last field submits; the name is missing
	d.wantScreen("a name is required")
	if len(d.fake.Created) != 0 {
		t.Fatal("created with a missing name")
	}
	d.typ("new-topic") // focus moved to the name field
	d.keys("ctrl+s")
	if len(d.fake.Created) != 1 {
		t.Fatalf("created = %v", d.fake.Created)
	}
	got := d.fake.Created[0]
	if got.Name != "new-topic" || got.Partitions != 4 || got.ReplicationFactor != 2 ||
		got.Configs["cleanup.policy"] != "compact" || got.Configs["retention.ms"] != "1000" {
		t.Fatalf("spec = %+v", got)
	}
	d.notScreen("Create topic")
	d.wantScreen("created topic new-topic", "new-topic")
	if r, _ := d.m.Front().(*views.Topics).Table().Selected(); r.Key != "new-topic" {
		t.Fatalf("selected %s, want the new topic", r.Key)
	}
}

func TestCreateTopicKeepsInputOnError(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys("c")
	d.typ("orders")
	d.keys("tab")
	d.typ("3")
	d.keys("ctrl+s")
	d.wantScreen("Create topic", "TOPIC_ALREADY_EXISTS", "orders", "fix and press enter again")
	d.keys("esc")
	d.notScreen("Create topic")
	d.wantScreen("create topic cancelled")
}

func TestDeleteTopicNeedsTheNameTyped(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys("/")
	d.typ("payments")
	d.keys("enter", "d")
	d.wantScreen("Delete topic payments", "All 3 partitions and 48,2", "records will be lost")
	d.typ("paymnts")
	d.keys("enter")
	d.wantScreen("type payments exactly")
	if len(d.fake.Deleted) != 0 {
		t.Fatal("deleted with the wrong name typed")
	}
	d.keys("backspace", "backspace", "backspace", "backspace")
	d.typ("ments")
	d.keys("enter")
	if len(d.fake.Deleted) != 1 || d.fake.Deleted[0] != "payments" {
		t.Fatalf("deleted = %v", d.fake.Deleted)
	}
	d.wantScreen("deleted topic payments")
	// esc cancels a confirmation.
	d.keys("esc", "d")
	d.wantScreen("Delete topic")
	d.keys("esc")
	d.wantScreen("nothing was deleted")
}

func TestDeleteRefusesInternalTopics(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys("i", "/")
	d.typ("__consumer")
	d.keys("enter", "d")
	d.notScreen("Delete topic")
	d.wantScreen("internal topic")
}

func TestReadOnlyHidesAndRefusesWrites(t *testing.T) {
	d := newDriver(t, Options{Conn: kafka.ConnConfig{ReadOnly: true}}, 120, 40)
	d.wantScreen("read-only")
	d.keys("?")
	d.notScreen("create topic", "delete topic", "produce")
	d.keys("?")
	for _, k := range []string{"c", "d", "p"} {
		d.keys(k)
		msg, isErr := d.m.Message()
		if !isErr || !strings.Contains(msg, "read-only") {
			t.Fatalf("%s in read-only said %q", k, msg)
		}
		d.notScreen("Create topic", "Delete topic")
	}
}

func TestConnectionScreen(t *testing.T) {
	d := newDriver(t, Options{}, 100, 30)
	fails := true
	var dialed []string
	d.m.deps.Connect = func(ctx context.Context, cfg kafka.ConnConfig) (views.Cluster, func(), error) {
		dialed = append(dialed, strings.Join(cfg.Brokers, ","))
		if fails {
			return nil, nil, &kafka.UnreachableError{Brokers: cfg.Brokers, Causes: []string{cfg.Brokers[0] + ": connection refused"}}
		}
		return d.fake, func() {}, nil
	}
	d.do(d.m.connect(kafka.ConnConfig{Brokers: []string{"nowhere:9092"}}))
	d.wantScreen("Cannot connect to Kafka", "nowhere:9092", "connection refused", "retry", "edit the address", "demo")
	d.keys("r")
	if len(dialed) != 2 {
		t.Fatalf("retry dialed %v", dialed)
	}
	d.keys("e")
	for range "nowhere:9092" {
		d.keys("backspace")
	}
	d.typ("bad:port")
	d.keys("enter")
	d.wantScreen("not a number")
	for range "bad:port" {
		d.keys("backspace")
	}
	fails = false
	d.typ("somewhere:9093")
	d.keys("enter")
	d.wantStack("topics")
	d.wantScreen("somewhere:9093", "● connected", "orders")
}

func TestConnectionScreenDemo(t *testing.T) {
	d := newDriver(t, Options{}, 100, 30)
	d.m.deps.Connect = func(ctx context.Context, cfg kafka.ConnConfig) (views.Cluster, func(), error) {
		if cfg.Brokers[0] != "127.0.0.1:39092" {
			return nil, nil, errors.New("refused")
		}
		return d.fake, func() {}, nil
	}
	d.do(d.m.connect(kafka.ConnConfig{Brokers: []string{"nowhere:9092"}}))
	d.keys("d")
	d.wantStack("topics")
	d.wantScreen("ctx demo", "127.0.0.1:39092", "● connected")
}

func TestDemoFlag(t *testing.T) {
	d := newDriver(t, Options{Demo: true}, 100, 30)
	d.wantScreen("ctx demo", "127.0.0.1:39092")
}

func TestBrokerLostMarksStale(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.fake.SetFail(errors.New("connection refused"))
	d.send(healthTickMsg{gen: d.m.connGen})
	d.wantScreen("disconnected (data stale)", "lost the cluster")
	d.keys("r")
	d.wantScreen("STALE", "orders", "connection refused") // last data kept
	d.fake.SetFail(nil)
	d.send(healthTickMsg{gen: d.m.connGen})
	d.wantScreen("● connected")
	d.keys("r")
	d.notScreen("STALE")
}

func TestStaleResultsAreDropped(t *testing.T) {
	d := newDriver(t, Options{}, 120, 30)
	d.keys("enter") // partitions of audit-log
	d.send(views.Result[[]kafka.TopicSummary]{ID: 9999, Value: []kafka.TopicSummary{{Name: "ghost"}}})
	d.keys("esc")
	d.notScreen("ghost")
}

func TestEveryLineFits(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}, {60, 15}, {40, 10}} {
		d := newDriver(t, Options{}, size[0], size[1])
		check := func(what string) {
			t.Helper()
			lines := strings.Split(d.m.Render(), "\n")
			if len(lines) != size[1] {
				t.Fatalf("%dx%d %s: %d lines", size[0], size[1], what, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Fatalf("%dx%d %s: line %d is %d wide: %q", size[0], size[1], what, i, w, ansi.Strip(l))
				}
			}
		}
		check("topics")
		d.keys("c")
		check("create form")
		d.keys("esc", "?")
		check("help")
		d.keys("?", ":")
		check("palette")
		d.keys("esc", "enter")
		check("partitions")
		d.keys("esc", ":")
		d.typ("brokers")
		d.keys("enter")
		check("brokers")
	}
}

func TestResizeReflows(t *testing.T) {
	d := newDriver(t, Options{}, 160, 48)
	d.wantScreen("clickstream.raw.events.from-the-web-frontend", "TREND", "HEALTH")
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	d.notScreen("TREND")
	d.wantScreen("TOPIC", "RECORDS")
}

func TestNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	d := newDriver(t, Options{}, 120, 30)
	d.keys("/")
	d.typ("ord")
	s := d.m.Render()
	for _, esc := range []string{"[38;", "[48;", "[3", "[9"} {
		for _, seq := range strings.Split(s, "\x1b")[1:] {
			if strings.HasPrefix(seq, esc) && !strings.HasPrefix(seq, "[39m") {
				t.Fatalf("colour escape %q under NO_COLOR", "\\x1b"+seq[:min(len(seq), 12)])
			}
		}
	}
	if !d.m.Theme().NoColor {
		t.Fatal("theme not no-color")
	}
}

// TestStatusBarHealth: the status bar counts under-replicated,
// under-min-ISR and offline partitions from the topics view's listing, and
// drops each count when it is back to zero.
func TestStatusBarHealth(t *testing.T) {
	d := newDriver(t, Options{}, 160, 30)
	d.wantScreen("│ 1 under-replicated │")
	d.notScreen("offline", "under-min-isr")
	d.fake.KillBroker(3, false)
	d.keys("r")
	line := d.statusLine()
	if !strings.Contains(line, "under-replicated") || strings.Contains(line, "1 under-replicated") || strings.Contains(line, "offline") {
		t.Fatalf("status bar with broker 3 dead: want more than one under-replicated, none offline:\n%s", line)
	}
	d.fake.SetMinISR("orders", 3)
	d.keys("r")
	if line := d.statusLine(); !strings.Contains(line, "under-min-isr") {
		t.Fatalf("orders with min ISR 3 and a broker dead: no under-min-isr in\n%s", line)
	}
	d.fake.SetMinISR("orders", 2)
	// clickstream's RF-2 partitions on brokers 3 and 1 have no replica left.
	d.fake.KillBroker(1, false)
	d.keys("r")
	if line := d.statusLine(); !strings.Contains(line, "✗ 4 offline │") {
		t.Fatalf("brokers 1 and 3 dead: want the 4 clickstream partitions on them offline:\n%s", line)
	}
	for _, b := range d.fake.Info.Brokers {
		d.fake.ReviveBroker(b)
	}
	d.keys("r")
	if line := d.statusLine(); strings.Contains(line, "under-") || strings.Contains(line, "offline") {
		t.Fatalf("status bar after the brokers returned:\n%s", line)
	}
}

// statusLine is the screen's last line.
func (d *driver) statusLine() string {
	lines := strings.Split(d.screen(), "\n")
	return lines[len(lines)-1]
}
