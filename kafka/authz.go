package kafka

import (
	"errors"
	"fmt"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
)

// AuthorizationError says the cluster's authorizer refused a request:
// which operation on which resource, for which principal when kflow knows
// it (the context's SASL user), and the ACL that would allow it.
type AuthorizationError struct {
	// Operation is Kafka's name of what was refused: Describe, Read, Write.
	Operation string
	// ResourceType is Topic, Group, Cluster, TransactionalId or
	// DelegationToken.
	ResourceType string
	// Resource is the resource's name ("kafka-cluster" for the cluster).
	Resource string
	// Principal is User:NAME when the connection authenticates with a
	// user name; "" when kflow cannot tell (TLS certificates, tokens).
	Principal string
	// Err is Kafka's error (TOPIC_AUTHORIZATION_FAILED, ...).
	Err error
}

func (e *AuthorizationError) Error() string {
	who, grantee := "for this connection's principal", "User:NAME"
	if e.Principal != "" {
		who, grantee = "for "+e.Principal, e.Principal
	}
	code := e.Err.Error()
	var ke *kerr.Error
	if errors.As(e.Err, &ke) {
		code = ke.Message
	}
	return fmt.Sprintf("not authorized: %s on %s %s %s (Kafka: %s); ask for an ACL such as kflow acl create --allow-principal %s --operation %s %s",
		e.Operation, resourceWords(e.ResourceType), e.quotedName(), who, code, grantee, e.Operation, e.resourceFlag())
}

// quotedName is the resource's name as the message shows it.
func (e *AuthorizationError) quotedName() string {
	if e.ResourceType == "Cluster" {
		return "(" + ClusterResourceName + ")"
	}
	return fmt.Sprintf("%q", e.Resource)
}

func (e *AuthorizationError) resourceFlag() string {
	switch e.ResourceType {
	case "Cluster":
		return "--cluster"
	case "Group":
		return "--group " + shellWord(e.Resource)
	case "TransactionalId":
		return "--transactional-id " + shellWord(e.Resource)
	case "DelegationToken":
		return "--delegation-token " + shellWord(e.Resource)
	}
	return "--topic " + shellWord(e.Resource)
}

// Unwrap returns Kafka's error, so errors.Is(err, kerr.TopicAuthorizationFailed) holds.
func (e *AuthorizationError) Unwrap() error { return e.Err }

func resourceWords(rt string) string {
	switch rt {
	case "TransactionalId":
		return "transactional id"
	case "DelegationToken":
		return "delegation token"
	}
	return strings.ToLower(rt)
}

// shellWord quotes s when a shell would split or expand it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-:/@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Principal is the principal the connection authenticates as, User:NAME
// for PLAIN and SCRAM; "" when kflow cannot tell.
func (c *Client) Principal() string {
	if s := c.cfg.SASL; s != nil && s.Username != "" {
		switch strings.ToUpper(s.Mechanism) {
		case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
			return "User:" + s.Username
		}
	}
	return ""
}

// explainAuth turns Kafka's authorization refusals in err into an
// AuthorizationError saying that op on the resource (typ, name) was
// denied and for whom. When Kafka names another kind of resource than
// the caller's (a cluster refusal while listing a topic), the error says
// Kafka's. Any other error comes back as explain makes it.
func (c *Client) explainAuth(err error, op, typ, name string) error {
	if err == nil {
		return nil
	}
	var ae *AuthorizationError
	if errors.As(err, &ae) {
		return err
	}
	var ke *kerr.Error
	if !errors.As(err, &ke) {
		return explain(err)
	}
	kind := ""
	switch ke {
	case kerr.TopicAuthorizationFailed:
		kind = "Topic"
	case kerr.GroupAuthorizationFailed:
		kind = "Group"
	case kerr.ClusterAuthorizationFailed:
		kind = "Cluster"
	case kerr.TransactionalIDAuthorizationFailed:
		kind = "TransactionalId"
	case kerr.DelegationTokenAuthorizationFailed:
		kind = "DelegationToken"
	default:
		return explain(err)
	}
	if kind != typ {
		typ = kind
		switch kind {
		case "Cluster":
			name = ClusterResourceName
		case "Topic", "Group":
			// Kafka does not say which; the caller's name is the best guess
			// only when it is of that kind.
			if name == ClusterResourceName {
				name = "*"
			}
		}
		if op == "Alter" && kind != "Cluster" {
			op = "Describe"
		}
	}
	if typ == "Cluster" {
		name = ClusterResourceName
	}
	return &AuthorizationError{Operation: op, ResourceType: typ, Resource: name, Principal: c.Principal(), Err: err}
}
