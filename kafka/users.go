package kafka

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// DefaultSCRAMIterations is the iteration count of a SCRAM credential
// when none is given: Kafka's own default (kafka-configs.sh and
// kafka-storage.sh --add-scram), also its minimum.
const DefaultSCRAMIterations = 4096

// MaxSCRAMIterations is the most iterations Kafka accepts.
const MaxSCRAMIterations = 16384

// SCRAMCredential is one mechanism a user has a password for.
type SCRAMCredential struct {
	Mechanism  string `json:"mechanism"` // SCRAM-SHA-256 or SCRAM-SHA-512
	Iterations int32  `json:"iterations"`
}

// SCRAMUser is a user with SCRAM credentials, as Kafka describes it: its
// mechanisms and their iterations, never a password nor a salt.
type SCRAMUser struct {
	Name        string            `json:"name"`
	Credentials []SCRAMCredential `json:"credentials"`
}

// Mechanisms is the user's mechanisms, comma separated.
func (u SCRAMUser) Mechanisms() string {
	ms := make([]string, len(u.Credentials))
	for i, c := range u.Credentials {
		ms[i] = c.Mechanism
	}
	return strings.Join(ms, ",")
}

// NormalizeSCRAMMechanism returns SCRAM-SHA-256 or SCRAM-SHA-512 for any
// spelling of them (sha-256, scram-sha-512), or an error.
func NormalizeSCRAMMechanism(s string) (string, error) {
	switch strings.TrimPrefix(fold(s), "scram") {
	case "sha256":
		return "SCRAM-SHA-256", nil
	case "sha512":
		return "SCRAM-SHA-512", nil
	}
	return "", fmt.Errorf("unknown SCRAM mechanism %q (SCRAM-SHA-256 or SCRAM-SHA-512)", s)
}

func scramMech(s string) (kadm.ScramMechanism, error) {
	m, err := NormalizeSCRAMMechanism(s)
	if err != nil {
		return 0, err
	}
	if m == "SCRAM-SHA-512" {
		return kadm.ScramSha512, nil
	}
	return kadm.ScramSha256, nil
}

// ListSCRAMUsers lists the users that have SCRAM credentials, by name, or
// only the named ones (a named user without credentials is left out). It
// needs Describe on the cluster.
func (c *Client) ListSCRAMUsers(ctx context.Context, names ...string) ([]SCRAMUser, error) {
	if len(names) == 0 {
		// Kafka (4.3) fails to write its refusal of a describe of every
		// user and leaves the request unanswered until the timeout; the
		// same permission (Describe on the cluster) is asked first with a
		// describe of ACLs that matches nothing, whose refusal it writes.
		_, err := c.ListACLs(ctx, ACLFilter{Principal: "User:kflow-permission-probe", ResourceType: "Topic", ResourceName: "kflow-permission-probe", PatternType: "Literal"})
		var ae *AuthorizationError
		if errors.As(err, &ae) {
			return nil, fmt.Errorf("describe SCRAM users: %w", ae)
		}
	}
	ds, err := c.adm.DescribeUserSCRAMs(ctx, names...)
	if err != nil {
		return nil, fmt.Errorf("describe SCRAM users: %w", c.explainAuth(err, "Describe", "Cluster", ClusterResourceName))
	}
	out := []SCRAMUser{}
	for _, d := range ds.Sorted() {
		if errors.Is(d.Err, kerr.ResourceNotFound) {
			continue
		}
		if d.Err != nil {
			return nil, fmt.Errorf("describe SCRAM user %q: %w", d.User, c.explainAuth(d.Err, "Describe", "Cluster", ClusterResourceName))
		}
		u := SCRAMUser{Name: d.User, Credentials: []SCRAMCredential{}}
		for _, ci := range d.CredInfos {
			u.Credentials = append(u.Credentials, SCRAMCredential{Mechanism: ci.Mechanism.String(), Iterations: ci.Iterations})
		}
		sort.Slice(u.Credentials, func(i, j int) bool { return u.Credentials[i].Mechanism < u.Credentials[j].Mechanism })
		out = append(out, u)
	}
	return out, nil
}

// SetSCRAMUser creates or replaces the user's password for one mechanism,
// salted with random bytes and hashed here (the password never reaches
// the broker, nor any error). Zero iterations is DefaultSCRAMIterations.
// It needs Alter on the cluster.
func (c *Client) SetSCRAMUser(ctx context.Context, user, mechanism string, iterations int32, password string) error {
	if err := c.writable("set SCRAM user " + user); err != nil {
		return err
	}
	if strings.TrimSpace(user) == "" {
		return errors.New("set SCRAM user: the name is empty")
	}
	m, err := scramMech(mechanism)
	if err != nil {
		return fmt.Errorf("set SCRAM user %q: %w", user, err)
	}
	if iterations == 0 {
		iterations = DefaultSCRAMIterations
	}
	if iterations < DefaultSCRAMIterations || iterations > MaxSCRAMIterations {
		return fmt.Errorf("set SCRAM user %q: iterations %d: Kafka takes %d to %d", user, iterations, DefaultSCRAMIterations, MaxSCRAMIterations)
	}
	if password == "" {
		return fmt.Errorf("set SCRAM user %q: the password is empty", user)
	}
	res, err := c.adm.AlterUserSCRAMs(ctx, nil, []kadm.UpsertSCRAM{{User: user, Mechanism: m, Iterations: iterations, Password: password}})
	if err == nil {
		err = alteredErr(res)
	}
	if err != nil {
		return fmt.Errorf("set SCRAM user %q (%s): %w", user, m, c.explainAuth(err, "Alter", "Cluster", ClusterResourceName))
	}
	return nil
}

// DeleteSCRAMUser deletes the user's credential of one mechanism; a user
// left with none can no longer authenticate with SCRAM. It needs Alter on
// the cluster.
func (c *Client) DeleteSCRAMUser(ctx context.Context, user, mechanism string) error {
	if err := c.writable("delete SCRAM user " + user); err != nil {
		return err
	}
	m, err := scramMech(mechanism)
	if err != nil {
		return fmt.Errorf("delete SCRAM user %q: %w", user, err)
	}
	res, err := c.adm.AlterUserSCRAMs(ctx, []kadm.DeleteSCRAM{{User: user, Mechanism: m}}, nil)
	if err == nil {
		err = alteredErr(res)
	}
	if errors.Is(err, kerr.ResourceNotFound) {
		return fmt.Errorf("delete SCRAM user %q: it has no %s credential", user, m)
	}
	if err != nil {
		return fmt.Errorf("delete SCRAM user %q (%s): %w", user, m, c.explainAuth(err, "Alter", "Cluster", ClusterResourceName))
	}
	return nil
}

func alteredErr(res kadm.AlteredUserSCRAMs) error {
	for _, a := range res.Sorted() {
		if a.Err != nil {
			if a.ErrMessage != "" && !strings.Contains(a.Err.Error(), a.ErrMessage) {
				return fmt.Errorf("%w: %s", a.Err, a.ErrMessage)
			}
			return a.Err
		}
	}
	return nil
}
