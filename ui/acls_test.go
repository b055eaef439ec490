package ui

import (
	"context"
	"testing"

	"kflow/kafka"
)

// admin is the wired fake with ACLs and SCRAM users, as *kafka.Client has
// them.
type admin struct{ wired }

func (admin) ListACLs(context.Context, kafka.ACLFilter) ([]kafka.ACL, error) {
	return []kafka.ACL{{Principal: "User:alice", Host: "*", Operation: "Read", Permission: "Allow", ResourceType: "Topic", ResourceName: "orders", PatternType: "Literal"}}, nil
}
func (admin) CreateACLs(context.Context, []kafka.ACL) error { return nil }
func (a admin) PlanDeleteACLs(ctx context.Context, f kafka.ACLFilter) ([]kafka.ACL, error) {
	return a.ListACLs(ctx, f)
}
func (admin) DeleteACLs(_ context.Context, acls []kafka.ACL) ([]kafka.ACL, error) { return acls, nil }
func (admin) ListSCRAMUsers(context.Context, ...string) ([]kafka.SCRAMUser, error) {
	return []kafka.SCRAMUser{{Name: "alice", Credentials: []kafka.SCRAMCredential{{Mechanism: "SCRAM-SHA-512", Iterations: 4096}}}}, nil
}
func (admin) SetSCRAMUser(context.Context, string, string, int32, string) error { return nil }
func (admin) DeleteSCRAMUser(context.Context, string, string) error             { return nil }

// TestACLsAndUsersFromPalette: :acls and :users open their views on the
// connection; under read-only they open and refuse their writes; a
// connection that cannot manage ACLs says so.
func TestACLsAndUsersFromPalette(t *testing.T) {
	for _, ro := range []bool{false, true} {
		opts := Options{}
		opts.Conn.ReadOnly = ro
		fake := newDriver(t, opts, 120, 30).fake
		d := newDriverOn(t, opts, 120, 30, fake, admin{wired{fake}})
		d.keys(":")
		d.typ("acls")
		d.keys("enter")
		d.wantStack("topics", "acls")
		d.wantScreen("1 ACL", "User:alice", "orders")
		d.keys("n")
		if ro {
			d.wantScreen("read-only")
			d.notScreen("Create ACL")
		} else {
			d.wantScreen("Create ACL")
			d.keys("esc")
		}
		d.keys("esc")
		d.keys(":")
		d.typ("users")
		d.keys("enter")
		d.wantStack("topics", "users")
		d.wantScreen("1 SCRAM user", "alice", "SCRAM-SHA-512")
		d.keys("esc")
	}
	d := newDriver(t, Options{}, 120, 30)
	d.keys(":")
	d.typ("acls")
	d.keys("enter")
	d.wantScreen("cannot manage ACLs")
}
