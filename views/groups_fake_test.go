package views

import (
	"context"
	"fmt"
	"sync"
	"time"

	"kflow/kafka"
	"kflow/lag"
	"kflow/themes"
	"kflow/views/viewstest"
)

// fakeGroups is a GroupsSource replaying a fixed series of samples: the
// n-th Lag call answers script(n) and moves the clock two seconds on.
type fakeGroups struct {
	mu      sync.Mutex
	clock   *viewstest.Clock
	calls   int
	script  func(n int) []kafka.GroupLag
	fail    error
	planned []kafka.ResetSpec
	applied []kafka.ResetPlan
	deleted []string
}

func (f *fakeGroups) Lag(_ context.Context, groups ...string) ([]kafka.GroupLag, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	if f.calls > 0 {
		f.clock.Advance(2 * time.Second)
	}
	all := f.script(f.calls)
	f.calls++
	if len(groups) == 0 {
		return all, nil
	}
	var out []kafka.GroupLag
	for _, g := range all {
		for _, want := range groups {
			if g.Group.ID == want {
				out = append(out, g)
			}
		}
	}
	return out, nil
}

func (f *fakeGroups) current(group string) kafka.GroupLag {
	for _, g := range f.script(max(0, f.calls-1)) {
		if g.Group.ID == group {
			return g
		}
	}
	return kafka.GroupLag{}
}

func (f *fakeGroups) PlanReset(_ context.Context, spec kafka.ResetSpec) (kafka.ResetPlan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.planned = append(f.planned, spec)
	g := f.current(spec.Group)
	p := kafka.ResetPlan{Group: spec.Group, State: g.Group.State, Members: g.Group.Members}
	for _, pl := range g.Partitions {
		n := pl.StartOffset
		switch spec.Mode {
		case kafka.ResetLatest:
			n = pl.EndOffset
		case kafka.ResetShift:
			n = min(max(pl.StartOffset, pl.Committed+spec.Offset), pl.EndOffset)
		}
		p.Rows = append(p.Rows, kafka.ResetRow{Topic: pl.Topic, Partition: pl.Partition, Old: pl.Committed, New: n,
			LagBefore: pl.Lag, LagAfter: pl.EndOffset - n})
	}
	return p, nil
}

func (f *fakeGroups) ApplyReset(_ context.Context, p kafka.ResetPlan) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p.Members > 0 {
		return fmt.Errorf("reset offsets of group %q: %w", p.Group,
			&kafka.GroupActiveError{Group: p.Group, Members: p.Members, State: p.State, Action: "resets offsets of"})
	}
	f.applied = append(f.applied, p)
	return nil
}

func (f *fakeGroups) DeleteGroup(_ context.Context, group string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deleted = append(f.deleted, group)
	return nil
}

// RecordTimes dates records as if orders got 30 records a second with
// offset 120,000 at the epoch, and payments one a second with offset
// 2,000 at the epoch; audit's records cannot be read, so their time lag
// is estimated from its produce rate.
func (f *fakeGroups) RecordTimes(_ context.Context, offs []lag.PartitionOffset) (map[lag.PartitionOffset]time.Time, error) {
	out := map[lag.PartitionOffset]time.Time{}
	for _, po := range offs {
		switch po.Topic {
		case "orders":
			out[po] = viewstest.Epoch.Add(time.Duration(po.Offset-120_000) * time.Second / 30)
		case "payments":
			out[po] = viewstest.Epoch.Add(time.Duration(po.Offset-2_000) * time.Second)
		}
	}
	return out, nil
}

// part is one partition's position.
func part(topic string, p int32, committed, end int64, client string) lag.Partition {
	pl := lag.Partition{Topic: topic, Partition: p, Committed: committed, EndOffset: end, Lag: max(0, end-committed)}
	if committed < 0 {
		pl.Lag = end
	}
	if client != "" {
		pl.ClientID, pl.Host, pl.MemberID = client, "/10.0.1."+fmt.Sprint(7+p), client+"-"+fmt.Sprint(p)
	}
	return pl
}

// group makes a group's lag from its partitions.
func group(id, typ, state string, members []kafka.GroupMember, parts ...lag.Partition) kafka.GroupLag {
	gl := kafka.GroupLag{Group: kafka.GroupDetail{GroupSummary: kafka.GroupSummary{ID: id, Type: typ, State: state,
		ProtocolType: "consumer", Protocol: "range", Members: len(members), Coordinator: 1}, MemberList: members}, Partitions: parts}
	for _, p := range parts {
		gl.TotalLag += max(0, p.Lag)
	}
	return gl
}

func member(client string, topic string, ps ...int32) kafka.GroupMember {
	return kafka.GroupMember{MemberID: client + "-1f0c", ClientID: client, Host: "/10.0.1.7",
		Assigned: []kafka.TopicPartitions{{Topic: topic, Partitions: ps}}}
}

// dashboardScript is the fixed series the golden screens replay, one
// sample every two seconds:
//   - inventory keeps up: its lag touches zero every other sample (OK);
//   - notifications commits 5 records a sample while 3 partitions grow by
//     20 each: lag grows every interval (WARN);
//   - shipping commits until the fourth sample, then never again (STALL);
//   - archiver has not moved since it was first seen (STOP, with a 15 s
//     threshold);
//   - replay had its offsets reset backwards at the eighth sample (REWIND);
//   - billing cannot be described (ERROR).
func dashboardScript(n int) []kafka.GroupLag {
	i := int64(n)
	end := 120_000 + 60*i
	inv := member("inventory-service", "orders", 0, 1, 2)
	notif := member("notification-service", "orders", 0, 1, 2)
	ship := member("shipping-service", "orders", 0, 1, 2)
	shipAt := min(i, 3)
	replayAt := 500 + 50*i
	if n >= 7 {
		replayAt = 10*i - 60
	}
	var parts [6]lag.Partition
	for p := range int32(3) {
		parts[0+p] = part("orders", p, end-3*(i%2), end, "inventory-service")
		parts[3+p] = part("orders", p, 118_000+5*i, 118_000+20*i+40*int64(p), "notification-service")
	}
	billing := group("billing", "classic", "Stable", []kafka.GroupMember{member("billing-svc", "payments", 0)},
		part("payments", 0, 4_000, 4_100, "billing-svc"))
	billing.Err = "describe: COORDINATOR_NOT_AVAILABLE: the coordinator is not available"
	return []kafka.GroupLag{
		group("inventory", "consumer", "Stable", []kafka.GroupMember{inv}, parts[0], parts[1], parts[2]),
		group("notifications", "classic", "Stable", []kafka.GroupMember{notif}, parts[3], parts[4], parts[5]),
		group("shipping", "classic", "Stable", []kafka.GroupMember{ship},
			part("orders", 0, 1_000+100*shipAt, end, "shipping-service"),
			part("orders", 1, 1_000+100*shipAt, end, "shipping-service"),
			part("orders", 2, 1_000+100*shipAt, end, "shipping-service")),
		group("archiver", "classic", "Empty", nil,
			part("audit", 0, 300, 900+10*i, ""), part("orders", 0, 90_000, end, "")),
		group("replay", "consumer", "Empty", nil, part("payments", 0, replayAt, 2_000, "")),
		billing,
	}
}

// lagRules are the golden screens' thresholds: short, so a few samples
// show every status.
var lagRules = lag.Rules{Window: 5, MinSamples: 3, StopAfter: 15 * time.Second}

// newLagCommon is a Common with the default theme, a fixed clock and no
// polling.
func newLagCommon(clock *viewstest.Clock) *Common {
	th, err := themes.Load("", "", false)
	if err != nil {
		panic(err)
	}
	return &Common{Ctx: context.Background(), Theme: th, Now: clock.Now, Timeout: 2 * time.Second}
}
