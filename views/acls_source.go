package views

import (
	"context"
	"errors"

	"kflow/kafka"
)

// ACLSource is what the ACLs view needs from a connection: list with a
// filter, create, and a delete of exactly what a preview listed.
// *kafka.Client satisfies it; tests use a fake.
type ACLSource interface {
	ListACLs(ctx context.Context, f kafka.ACLFilter) ([]kafka.ACL, error)
	CreateACLs(ctx context.Context, acls []kafka.ACL) error
	PlanDeleteACLs(ctx context.Context, f kafka.ACLFilter) ([]kafka.ACL, error)
	DeleteACLs(ctx context.Context, acls []kafka.ACL) ([]kafka.ACL, error)
}

// SCRAMSource is what the users view needs: list SCRAM users, set a
// password, delete a mechanism's credential. *kafka.Client satisfies it.
type SCRAMSource interface {
	ListSCRAMUsers(ctx context.Context, names ...string) ([]kafka.SCRAMUser, error)
	SetSCRAMUser(ctx context.Context, user, mechanism string, iterations int32, password string) error
	DeleteSCRAMUser(ctx context.Context, user, mechanism string) error
}

var (
	_ ACLSource   = (*kafka.Client)(nil)
	_ SCRAMSource = (*kafka.Client)(nil)
)

// errNoAdmin is what the views say when the connection cannot do it.
var errNoAdmin = errors.New("this connection cannot manage ACLs or users")

// aclSourceOf is the Common's cluster as an ACLSource, or nil.
func aclSourceOf(c *Common) ACLSource {
	s, _ := c.Cluster.(ACLSource)
	return s
}

// scramSourceOf is the Common's cluster as a SCRAMSource, or nil.
func scramSourceOf(c *Common) SCRAMSource {
	s, _ := c.Cluster.(SCRAMSource)
	return s
}
