package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"

	"kflow/lag"
)

// ListGroups lists the cluster's groups, sorted by ID, with their type
// ("classic" or "consumer", the KIP-848 protocol Kafka 4 adds), state,
// assignor and member count. Kafka's list answer has neither of the last
// two, so they come from one describe per protocol; a group whose
// describe failed keeps the list's state and 0 members.
func (c *Client) ListGroups(ctx context.Context) ([]GroupSummary, error) {
	gs, err := c.listGroups(ctx)
	if err != nil || len(gs) == 0 {
		return gs, err
	}
	details, _ := c.describe(ctx, gs)
	for i, g := range gs {
		gs[i] = details[g.ID].GroupSummary
	}
	return gs, nil
}

// listGroups is ListGroups without the describe: IDs, types and states.
func (c *Client) listGroups(ctx context.Context) ([]GroupSummary, error) {
	lg, err := c.adm.ListGroups(ctx)
	if err != nil && !isShardErr(err) {
		return nil, fmt.Errorf("list groups: %w", c.explainAuth(err, "Describe", "Cluster", ClusterResourceName))
	}
	// Brokers without group types (before 3.8) refuse the filter; their
	// groups are all classic.
	byType, _ := c.adm.ListGroupsByType(ctx, []string{"consumer"})
	out := make([]GroupSummary, 0, len(lg))
	for _, g := range lg.Sorted() {
		s := GroupSummary{ID: g.Group, State: g.State, Type: "classic", ProtocolType: g.ProtocolType, Coordinator: g.Coordinator}
		if _, ok := byType[g.Group]; ok {
			s.Type = "consumer"
		}
		out = append(out, s)
	}
	return out, nil
}

// DescribeGroup describes one group of either protocol: state, assignor,
// and each member with its client id, host and assignment.
func (c *Client) DescribeGroup(ctx context.Context, group string) (GroupDetail, error) {
	gs, err := c.listGroups(ctx)
	if err != nil {
		return GroupDetail{}, err
	}
	i := slices.IndexFunc(gs, func(g GroupSummary) bool { return g.ID == group })
	if i < 0 {
		return GroupDetail{}, fmt.Errorf("describe group %q: %w", group, c.unlisted(ctx, group))
	}
	ds, errs := c.describe(ctx, gs[i:i+1])
	if err := errs[group]; err != nil {
		return GroupDetail{}, fmt.Errorf("describe group %q: %w", group, err)
	}
	return ds[group], nil
}

// unlisted is why a group is not in the list: Kafka lists only the
// groups the principal may describe, so the group is asked for, and a
// refusal is said as one (an AuthorizationError), else GroupIDNotFound.
func (c *Client) unlisted(ctx context.Context, group string) error {
	dgs, err := c.adm.DescribeGroups(ctx, group)
	if err == nil {
		err = dgs[group].Err
	}
	if errors.Is(err, kerr.GroupAuthorizationFailed) {
		return c.explainAuth(err, "Describe", "Group", group)
	}
	return kerr.GroupIDNotFound
}

// describe describes groups, classic and consumer ones with their own
// requests, and returns the details and per-group errors by ID.
func (c *Client) describe(ctx context.Context, groups []GroupSummary) (map[string]GroupDetail, map[string]error) {
	out := map[string]GroupDetail{}
	errs := map[string]error{}
	var classic, consumer []string
	for _, g := range groups {
		out[g.ID] = GroupDetail{GroupSummary: g, MemberList: []GroupMember{}}
		if g.Type == "consumer" {
			consumer = append(consumer, g.ID)
		} else {
			classic = append(classic, g.ID)
		}
	}
	// One describe per protocol; each fills the same detail shape.
	failed := func(ids []string, err error) {
		if err != nil && !isShardErr(err) {
			for _, g := range ids {
				errs[g] = c.explainAuth(err, "Describe", "Group", g)
			}
		}
	}
	set := func(group string, gerr error, state, ptype, proto string, coord int32, members []GroupMember) {
		if gerr != nil {
			errs[group] = c.explainAuth(gerr, "Describe", "Group", group)
			return
		}
		d := out[group]
		d.State, d.ProtocolType, d.Protocol, d.Coordinator = state, ptype, proto, coord
		if members == nil {
			members = []GroupMember{}
		}
		d.MemberList, d.Members = members, len(members)
		out[group] = d
	}
	if len(classic) > 0 {
		dgs, err := c.adm.DescribeGroups(ctx, classic...)
		failed(classic, err)
		for _, dg := range dgs {
			var ms []GroupMember
			for _, m := range dg.Members {
				var assigned []TopicPartitions
				if ca, ok := m.Assigned.AsConsumer(); ok {
					for _, t := range ca.Topics {
						assigned = append(assigned, TopicPartitions{Topic: t.Topic, Partitions: sorted32(t.Partitions)})
					}
				}
				ms = append(ms, member(m.MemberID, m.InstanceID, m.ClientID, m.ClientHost, assigned))
			}
			set(dg.Group, dg.Err, dg.State, dg.ProtocolType, dg.Protocol, dg.Coordinator.NodeID, ms)
		}
	}
	if len(consumer) > 0 {
		dgs, err := c.adm.DescribeConsumerGroups(ctx, consumer...)
		failed(consumer, err)
		for _, dg := range dgs {
			var ms []GroupMember
			for _, m := range dg.Members {
				var assigned []TopicPartitions
				for _, t := range m.Assignment.Sorted() {
					if t.Topic != "" { // kfake names KIP-848 assignments by topic ID only
						assigned = append(assigned, TopicPartitions{Topic: t.Topic, Partitions: sorted32(t.Partitions)})
					}
				}
				ms = append(ms, member(m.MemberID, m.InstanceID, m.ClientID, m.ClientHost, assigned))
			}
			set(dg.Group, dg.Err, dg.State, "consumer", dg.AssignorName, dg.Coordinator.NodeID, ms)
		}
	}
	return out, errs
}

// member builds a GroupMember; lists are never nil, so JSON shows [].
func member(id string, instance *string, client, host string, assigned []TopicPartitions) GroupMember {
	m := GroupMember{MemberID: id, ClientID: client, Host: host, Assigned: assigned}
	if instance != nil {
		m.InstanceID = *instance
	}
	if m.Assigned == nil {
		m.Assigned = []TopicPartitions{}
	}
	return m
}

func sorted32(s []int32) []int32 {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// Lag computes the lag of the named groups, or of every group when none
// is named, with a fixed number of requests whatever the group count: one
// list, one describe per protocol, one offset fetch and one start and end
// offset listing per broker. A named group that does not exist is an error.
func (c *Client) Lag(ctx context.Context, groups ...string) ([]GroupLag, error) {
	all, err := c.listGroups(ctx)
	if err != nil {
		return nil, err
	}
	want := all
	if len(groups) > 0 {
		want = want[:0:0]
		for _, g := range groups {
			i := slices.IndexFunc(all, func(s GroupSummary) bool { return s.ID == g })
			if i < 0 {
				return nil, fmt.Errorf("lag of group %q: %w", g, c.unlisted(ctx, g))
			}
			want = append(want, all[i])
		}
	}
	if len(want) == 0 {
		return []GroupLag{}, nil
	}
	details, derrs := c.describe(ctx, want)
	ids := make([]string, len(want))
	for i, g := range want {
		ids[i] = g.ID
	}
	fetched := c.adm.FetchManyOffsets(ctx, ids...)

	topicSet := map[string]bool{}
	for _, f := range fetched {
		for t := range f.Fetched {
			topicSet[t] = true
		}
	}
	for _, d := range details {
		for _, m := range d.MemberList {
			for _, a := range m.Assigned {
				topicSet[a.Topic] = true
			}
		}
	}
	topics := make([]string, 0, len(topicSet))
	for t := range topicSet {
		topics = append(topics, t)
	}
	starts, ends, err := c.startEnd(ctx, topics...)
	if err != nil {
		return nil, fmt.Errorf("lag: %w", err)
	}

	out := make([]GroupLag, 0, len(want))
	for _, g := range want {
		gl := GroupLag{Group: details[g.ID], Partitions: []lag.Partition{}}
		if err := derrs[g.ID]; err != nil {
			gl.Err = "describe: " + err.Error()
		}
		f := fetched[g.ID]
		if f.Err != nil {
			gl.Err = "fetch offsets: " + c.explainAuth(f.Err, "Describe", "Group", g.ID).Error()
		}
		gl.Partitions = lagRows(gl.Group, f.Fetched, starts, ends)
		for _, p := range gl.Partitions {
			if p.Lag > 0 {
				gl.TotalLag += p.Lag
			}
		}
		out = append(out, gl)
	}
	return out, nil
}

// lagRows joins commits, assignments and offsets into one row per
// partition that the group has committed to or is assigned.
func lagRows(d GroupDetail, commits kadm.OffsetResponses, starts, ends Offsets) []lag.Partition {
	type tp struct {
		t string
		p int32
	}
	rows := map[tp]*lag.Partition{}
	row := func(t string, p int32) *lag.Partition {
		k := tp{t, p}
		if rows[k] == nil {
			rows[k] = &lag.Partition{Topic: t, Partition: p, Committed: -1}
		}
		return rows[k]
	}
	commits.Each(func(o kadm.OffsetResponse) {
		r := row(o.Topic, o.Partition)
		if o.Err != nil {
			r.Err = o.Err.Error()
			return
		}
		r.Committed, r.CommitMetadata = o.At, o.Metadata
	})
	for _, m := range d.MemberList {
		for _, a := range m.Assigned {
			for _, p := range a.Partitions {
				r := row(a.Topic, p)
				r.MemberID, r.ClientID, r.Host = m.MemberID, m.ClientID, m.Host
			}
		}
	}
	out := make([]lag.Partition, 0, len(rows))
	for _, r := range rows {
		start, okS := starts[r.Topic][r.Partition]
		end, okE := ends[r.Topic][r.Partition]
		r.StartOffset, r.EndOffset = start, end
		switch {
		case r.Err != "":
			r.Lag = -1
		case !okE || !okS:
			r.Lag = -1
			r.Err = "end offset unknown (partition offline or deleted)"
		case r.Committed >= 0:
			r.Lag = max(0, end-r.Committed)
		default:
			r.Lag = end - start
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	return out
}

// DeleteGroup deletes a group and its committed offsets. Kafka refuses
// while the group has members.
func (c *Client) DeleteGroup(ctx context.Context, group string) error {
	if err := c.writable("delete group " + group); err != nil {
		return err
	}
	resp, err := c.adm.DeleteGroup(ctx, group)
	if err == nil {
		err = resp.Err
	}
	if errors.Is(err, kerr.NonEmptyGroup) {
		active := &GroupActiveError{Group: group, Action: "deletes"}
		// Kafka's refusal does not say who is in the group: ask, so
		// the message says it as a reset's does.
		if d, derr := c.DescribeGroup(ctx, group); derr == nil {
			active.Members, active.State = d.Members, d.State
		}
		return fmt.Errorf("delete group %q: %w", group, active)
	}
	if err != nil {
		return fmt.Errorf("delete group %q: %w", group, c.explainAuth(err, "Delete", "Group", group))
	}
	return nil
}

// GroupActiveError explains why Kafka refused to change a group: it only
// resets offsets of, or deletes, a group with no members.
type GroupActiveError struct {
	Group   string
	Members int
	State   string
	Action  string // "resets offsets of", "deletes"
}

func (e *GroupActiveError) Error() string {
	return fmt.Sprintf("group %q is %s: Kafka only %s a group with no members; stop its consumers and try again",
		e.Group, e.activeText(), e.Action)
}

// activeText is "active (1 member, state Stable)", or "active (it has
// members)" when the count is unknown: the wording the UI and the CLI use
// too.
func (e *GroupActiveError) activeText() string {
	who := "it has members"
	switch {
	case e.Members == 1:
		who = "1 member"
	case e.Members > 1:
		who = fmt.Sprintf("%d members", e.Members)
	}
	if e.State != "" {
		who += ", state " + e.State
	}
	return "active (" + who + ")"
}
