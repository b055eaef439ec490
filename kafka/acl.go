package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ACL is one access control entry of the cluster's authorizer: Principal
// (User:alice) from Host may, or may not (Permission), do Operation on
// the resources of ResourceType named ResourceName (exactly, or all names
// starting with it when PatternType is Prefixed). The names are Kafka's
// own as kafka-acls.sh prints them: Read, Topic, Allow, Literal.
type ACL struct {
	Principal    string `json:"principal"`
	Host         string `json:"host"`
	Operation    string `json:"operation"`
	Permission   string `json:"permission"`
	ResourceType string `json:"resource_type"`
	ResourceName string `json:"resource_name"`
	PatternType  string `json:"pattern_type"`
}

// String is the entry in one line, as a preview lists it.
func (a ACL) String() string {
	return fmt.Sprintf("%s %s %s from %s on %s %q (%s)", a.Permission, a.Principal, a.Operation, a.Host,
		strings.ToLower(a.ResourceType), a.ResourceName, strings.ToLower(a.PatternType))
}

// ACLFilter selects ACLs, for list and delete: an empty field matches
// any value. PatternType is literal, prefixed, match (every pattern that
// applies to ResourceName: literal, the wildcard and matching prefixes)
// or any (every pattern type of that exact name); Operation and
// Permission may also be Any.
type ACLFilter struct {
	Principal    string `json:"principal,omitempty"`
	Host         string `json:"host,omitempty"`
	Operation    string `json:"operation,omitempty"`
	Permission   string `json:"permission,omitempty"`
	ResourceType string `json:"resource_type,omitempty"`
	ResourceName string `json:"resource_name,omitempty"`
	PatternType  string `json:"pattern_type,omitempty"`
}

// The names kflow uses for Kafka's ACL enums, in the order kafka-acls.sh
// documents them. Parsing ignores case, '-' and '_'.
var (
	aclOperations = aclEnum[kmsg.ACLOperation]{
		{"Any", kmsg.ACLOperationAny}, {"All", kmsg.ACLOperationAll}, {"Read", kmsg.ACLOperationRead},
		{"Write", kmsg.ACLOperationWrite}, {"Create", kmsg.ACLOperationCreate}, {"Delete", kmsg.ACLOperationDelete},
		{"Alter", kmsg.ACLOperationAlter}, {"Describe", kmsg.ACLOperationDescribe},
		{"ClusterAction", kmsg.ACLOperationClusterAction}, {"DescribeConfigs", kmsg.ACLOperationDescribeConfigs},
		{"AlterConfigs", kmsg.ACLOperationAlterConfigs}, {"IdempotentWrite", kmsg.ACLOperationIdempotentWrite},
		{"CreateTokens", kmsg.ACLOperationCreateTokens}, {"DescribeTokens", kmsg.ACLOperationDescribeTokens},
	}
	aclResources = aclEnum[kmsg.ACLResourceType]{
		{"Any", kmsg.ACLResourceTypeAny}, {"Topic", kmsg.ACLResourceTypeTopic}, {"Group", kmsg.ACLResourceTypeGroup},
		{"Cluster", kmsg.ACLResourceTypeCluster}, {"TransactionalId", kmsg.ACLResourceTypeTransactionalId},
		{"DelegationToken", kmsg.ACLResourceTypeDelegationToken}, {"User", kmsg.ACLResourceTypeUser},
	}
	aclPatterns = aclEnum[kmsg.ACLResourcePatternType]{
		{"Any", kmsg.ACLResourcePatternTypeAny}, {"Match", kmsg.ACLResourcePatternTypeMatch},
		{"Literal", kmsg.ACLResourcePatternTypeLiteral}, {"Prefixed", kmsg.ACLResourcePatternTypePrefixed},
	}
	aclPermissions = aclEnum[kmsg.ACLPermissionType]{
		{"Any", kmsg.ACLPermissionTypeAny}, {"Allow", kmsg.ACLPermissionTypeAllow}, {"Deny", kmsg.ACLPermissionTypeDeny},
	}
)

// ClusterResourceName is the only name a Cluster resource has.
const ClusterResourceName = "kafka-cluster"

func fold(s string) string {
	return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(strings.TrimSpace(s)))
}

// ACLOperations are the operations an ACL may grant (Any, which only
// filters, left out).
func ACLOperations() []string { return aclOperations.names() }

// ACLResourceTypes are the resource types an ACL may name.
func ACLResourceTypes() []string { return aclResources.names() }

// NormalizeACLOperation returns Kafka's spelling of an operation
// (describe-configs: DescribeConfigs), or an error listing them.
func NormalizeACLOperation(s string) (string, error) {
	if o, ok := aclOperations.lookup(s); ok {
		return o.name, nil
	}
	return "", fmt.Errorf("unknown operation %q (one of %s)", s, strings.Join(ACLOperations(), ", "))
}

// NormalizeACLResourceType returns Kafka's spelling of a resource type
// (transactional-id: TransactionalId), or an error listing them.
func NormalizeACLResourceType(s string) (string, error) {
	if r, ok := aclResources.lookup(s); ok {
		return r.name, nil
	}
	return "", fmt.Errorf("unknown resource type %q (one of %s)", s, strings.Join(ACLResourceTypes(), ", "))
}

// NormalizeACLPattern returns Kafka's spelling of a pattern type; create
// takes only Literal and Prefixed (filter false), a filter also Match and
// Any.
func NormalizeACLPattern(s string, filter bool) (string, error) {
	if p, ok := aclPatterns.lookup(s); ok && (filter || p.v == kmsg.ACLResourcePatternTypeLiteral || p.v == kmsg.ACLResourcePatternTypePrefixed) {
		return p.name, nil
	}
	if filter {
		return "", fmt.Errorf("unknown resource pattern type %q (literal, prefixed, match or any)", s)
	}
	return "", fmt.Errorf("resource pattern type %q: an ACL is literal or prefixed (match and any only filter)", s)
}

// NormalizeACLPermission returns Allow or Deny (or Any, for a filter).
func NormalizeACLPermission(s string) (string, error) {
	if p, ok := aclPermissions.lookup(s); ok {
		return p.name, nil
	}
	return "", fmt.Errorf("unknown permission %q (allow or deny)", s)
}

// ValidatePrincipal checks the TYPE:NAME form Kafka's authorizer needs.
func ValidatePrincipal(p string) error {
	typ, name, ok := strings.Cut(p, ":")
	if !ok || typ == "" || name == "" {
		return fmt.Errorf("principal %q: want TYPE:NAME, such as User:alice", p)
	}
	return nil
}

// Validate checks an ACL for create and fills its defaults: host *,
// permission Allow, pattern Literal, the cluster's one name. Enum values
// come back in Kafka's spelling.
func (a *ACL) Validate() error {
	var err error
	if a.Principal == "" {
		return errors.New("a principal is required (User:NAME)")
	}
	if err := ValidatePrincipal(a.Principal); err != nil {
		return err
	}
	if a.Host == "" {
		a.Host = "*"
	}
	if a.Permission == "" {
		a.Permission = "Allow"
	}
	if a.Permission, err = NormalizeACLPermission(a.Permission); err != nil {
		return err
	}
	if a.Permission == "Any" {
		return errors.New("permission: an ACL allows or denies (Any only filters)")
	}
	if a.Operation == "" {
		return errors.New("an operation is required (Read, Write, Describe, ...)")
	}
	if a.Operation, err = NormalizeACLOperation(a.Operation); err != nil {
		return err
	}
	if a.Operation == "Any" {
		return errors.New("operation: Any only filters; use All to grant every operation")
	}
	if a.ResourceType == "" {
		return errors.New("a resource type is required (Topic, Group, Cluster, TransactionalId)")
	}
	if a.ResourceType, err = NormalizeACLResourceType(a.ResourceType); err != nil {
		return err
	}
	if a.ResourceType == "Any" {
		return errors.New("resource type: Any only filters")
	}
	if a.ResourceType == "Cluster" && a.ResourceName == "" {
		a.ResourceName = ClusterResourceName
	}
	if a.ResourceName == "" {
		return fmt.Errorf("a %s name is required (* for every one)", strings.ToLower(a.ResourceType))
	}
	if a.ResourceType == "Cluster" && a.ResourceName != ClusterResourceName {
		return fmt.Errorf("the cluster resource is named %s, not %q", ClusterResourceName, a.ResourceName)
	}
	if a.PatternType == "" {
		a.PatternType = "Literal"
	}
	if a.PatternType, err = NormalizeACLPattern(a.PatternType, false); err != nil {
		return err
	}
	return nil
}

// Validate checks a filter and returns it with Kafka's spellings.
func (f ACLFilter) normalized() (ACLFilter, error) {
	var err error
	if f.Principal != "" {
		if err := ValidatePrincipal(f.Principal); err != nil {
			return f, err
		}
	}
	if f.Operation != "" {
		if f.Operation, err = NormalizeACLOperation(f.Operation); err != nil {
			return f, err
		}
	}
	if f.Permission != "" {
		if f.Permission, err = NormalizeACLPermission(f.Permission); err != nil {
			return f, err
		}
	}
	if f.ResourceType != "" {
		if f.ResourceType, err = NormalizeACLResourceType(f.ResourceType); err != nil {
			return f, err
		}
	}
	if f.PatternType != "" {
		if f.PatternType, err = NormalizeACLPattern(f.PatternType, true); err != nil {
			return f, err
		}
	}
	return f, nil
}

// Empty reports whether the filter matches every ACL.
func (f ACLFilter) Empty() bool {
	any := func(s string) bool { return s == "" || fold(s) == "any" }
	return f.Principal == "" && f.Host == "" && f.ResourceName == "" && any(f.Operation) && any(f.Permission) &&
		any(f.ResourceType) && any(f.PatternType)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ListACLs lists the ACLs the filter selects, sorted by resource, then
// principal, operation and host. It needs Describe on the cluster.
func (c *Client) ListACLs(ctx context.Context, f ACLFilter) ([]ACL, error) {
	f, err := f.normalized()
	if err != nil {
		return nil, fmt.Errorf("list ACLs: %w", err)
	}
	req := kmsg.NewPtrDescribeACLsRequest()
	req.ResourceType = aclResources.of(f.ResourceType)
	req.ResourceName = optional(f.ResourceName)
	req.ResourcePatternType = aclPatterns.of(f.PatternType)
	req.Principal = optional(f.Principal)
	req.Host = optional(f.Host)
	req.Operation = aclOperations.of(f.Operation)
	req.PermissionType = aclPermissions.of(f.Permission)
	resp, err := req.RequestWith(ctx, c.cl)
	if err == nil {
		err = kerr.ErrorForCode(resp.ErrorCode)
		if err != nil && resp.ErrorMessage != nil && *resp.ErrorMessage != "" {
			err = fmt.Errorf("%w: %s", err, *resp.ErrorMessage)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("list ACLs: %w", c.explainAuth(err, "Describe", "Cluster", ClusterResourceName))
	}
	out := []ACL{}
	for _, r := range resp.Resources {
		for _, a := range r.ACLs {
			out = append(out, ACL{Principal: a.Principal, Host: a.Host, Operation: aclOperations.nameOf(a.Operation), Permission: aclPermissions.nameOf(a.PermissionType),
				ResourceType: aclResources.nameOf(r.ResourceType), ResourceName: r.ResourceName, PatternType: aclPatterns.nameOf(r.ResourcePatternType)})
		}
	}
	SortACLs(out)
	return out, nil
}

// SortACLs orders ACLs by resource type, name, pattern, principal,
// operation, permission and host: how lists and previews show them.
func SortACLs(acls []ACL) {
	slices.SortFunc(acls, func(a, b ACL) int {
		for _, p := range [][2]string{{a.ResourceType, b.ResourceType}, {a.ResourceName, b.ResourceName}, {a.PatternType, b.PatternType},
			{a.Principal, b.Principal}, {a.Operation, b.Operation}, {a.Permission, b.Permission}, {a.Host, b.Host}} {
			if c := strings.Compare(p[0], p[1]); c != 0 {
				return c
			}
		}
		return 0
	})
}

// CreateACLs creates the entries, each validated first (nothing is sent
// when one is wrong). Kafka answers per entry; the first refusal is the
// error, naming its entry. It needs Alter on the cluster.
func (c *Client) CreateACLs(ctx context.Context, acls []ACL) error {
	if err := c.writable("create ACLs"); err != nil {
		return err
	}
	if len(acls) == 0 {
		return errors.New("create ACLs: no ACL given")
	}
	req := kmsg.NewPtrCreateACLsRequest()
	for i := range acls {
		if err := acls[i].Validate(); err != nil {
			return fmt.Errorf("create ACLs: %w", err)
		}
		a := acls[i]
		cr := kmsg.NewCreateACLsRequestCreation()
		cr.ResourceType, cr.ResourceName, cr.ResourcePatternType = aclResources.of(a.ResourceType), a.ResourceName, aclPatterns.of(a.PatternType)
		cr.Principal, cr.Host, cr.Operation, cr.PermissionType = a.Principal, a.Host, aclOperations.of(a.Operation), aclPermissions.of(a.Permission)
		req.Creations = append(req.Creations, cr)
	}
	resp, err := req.RequestWith(ctx, c.cl)
	if err != nil {
		return fmt.Errorf("create ACLs: %w", c.explainAuth(err, "Alter", "Cluster", ClusterResourceName))
	}
	for i, r := range resp.Results {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil && i < len(acls) {
			if r.ErrorMessage != nil && *r.ErrorMessage != "" {
				err = fmt.Errorf("%w: %s", err, *r.ErrorMessage)
			}
			return fmt.Errorf("create ACL %s: %w", acls[i], c.explainAuth(err, "Alter", "Cluster", ClusterResourceName))
		}
	}
	return nil
}

// PlanDeleteACLs is the preview of a delete: the ACLs the filter matches
// now, which DeleteACLs then deletes exactly. A filter that matches every
// ACL is refused: name at least one field.
func (c *Client) PlanDeleteACLs(ctx context.Context, f ACLFilter) ([]ACL, error) {
	if f.Empty() {
		return nil, errors.New("delete ACLs: the filter matches every ACL; name a principal, a resource or an operation")
	}
	return c.ListACLs(ctx, f)
}

// DeleteACLs deletes exactly the given ACLs (a preview's), each by a
// filter naming every one of its fields, so an ACL created since the
// preview is never deleted with them. It returns the ACLs deleted.
func (c *Client) DeleteACLs(ctx context.Context, acls []ACL) ([]ACL, error) {
	if err := c.writable("delete ACLs"); err != nil {
		return nil, err
	}
	if len(acls) == 0 {
		return []ACL{}, nil
	}
	req := kmsg.NewPtrDeleteACLsRequest()
	for _, a := range acls {
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("delete ACL %s: %w", a, err)
		}
		df := kmsg.NewDeleteACLsRequestFilter()
		df.ResourceType, df.ResourceName, df.ResourcePatternType = aclResources.of(a.ResourceType), optional(a.ResourceName), aclPatterns.of(a.PatternType)
		df.Principal, df.Host, df.Operation, df.PermissionType = optional(a.Principal), optional(a.Host), aclOperations.of(a.Operation), aclPermissions.of(a.Permission)
		req.Filters = append(req.Filters, df)
	}
	resp, err := req.RequestWith(ctx, c.cl)
	if err != nil {
		return nil, fmt.Errorf("delete ACLs: %w", c.explainAuth(err, "Alter", "Cluster", ClusterResourceName))
	}
	out := []ACL{}
	for _, r := range resp.Results {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
			if r.ErrorMessage != nil && *r.ErrorMessage != "" {
				err = fmt.Errorf("%w: %s", err, *r.ErrorMessage)
			}
			return out, fmt.Errorf("delete ACLs: %w", c.explainAuth(err, "Alter", "Cluster", ClusterResourceName))
		}
		for _, m := range r.MatchingACLs {
			out = append(out, ACL{Principal: m.Principal, Host: m.Host, Operation: aclOperations.nameOf(m.Operation), Permission: aclPermissions.nameOf(m.PermissionType),
				ResourceType: aclResources.nameOf(m.ResourceType), ResourceName: m.ResourceName, PatternType: aclPatterns.nameOf(m.ResourcePatternType)})
		}
	}
	SortACLs(out)
	return out, nil
}

// ACLSpec is what kafka-acls.sh's flags say: principals allowed or denied
// from hosts, operations, resources and their pattern type. ACLs expands
// it into entries, one per principal, host, operation and resource.
type ACLSpec struct {
	AllowPrincipals, DenyPrincipals  []string
	AllowHosts, DenyHosts            []string
	Operations                       []string
	Topics, Groups, TransactionalIDs []string
	DelegationTokens                 []string
	Cluster                          bool
	PatternType                      string
}

// ACLResource is one resource an ACL is on: its type, in Kafka's
// spelling, and its name.
type ACLResource struct{ Type, Name string }

// Resources are the resources the spec names, in the order of its fields
// (topics, groups, transactional ids, delegation tokens, the cluster):
// what an ACL is created on, or a filter selects.
func (s ACLSpec) Resources() []ACLResource {
	var rs []ACLResource
	for _, t := range s.Topics {
		rs = append(rs, ACLResource{"Topic", t})
	}
	for _, g := range s.Groups {
		rs = append(rs, ACLResource{"Group", g})
	}
	for _, x := range s.TransactionalIDs {
		rs = append(rs, ACLResource{"TransactionalId", x})
	}
	for _, x := range s.DelegationTokens {
		rs = append(rs, ACLResource{"DelegationToken", x})
	}
	if s.Cluster {
		rs = append(rs, ACLResource{"Cluster", ClusterResourceName})
	}
	return rs
}

// ACLs expands the spec into the entries to create: every allowed
// principal from every allowed host (* when none is given), the same for
// denied ones, times every operation and resource.
func (s ACLSpec) ACLs() ([]ACL, error) {
	rs := s.Resources()
	if len(rs) == 0 {
		return nil, errors.New("name a resource: --topic, --group, --transactional-id, --delegation-token or --cluster")
	}
	if len(s.AllowPrincipals)+len(s.DenyPrincipals) == 0 {
		return nil, errors.New("name a principal: --allow-principal or --deny-principal User:NAME")
	}
	if len(s.Operations) == 0 {
		return nil, errors.New("name an operation: --operation Read (repeat for more)")
	}
	hosts := func(h []string) []string {
		if len(h) == 0 {
			return []string{"*"}
		}
		return h
	}
	var out []ACL
	add := func(perm string, principals, hs []string) {
		for _, p := range principals {
			for _, h := range hosts(hs) {
				for _, op := range s.Operations {
					for _, r := range rs {
						out = append(out, ACL{Principal: p, Host: h, Operation: op, Permission: perm, ResourceType: r.Type, ResourceName: r.Name, PatternType: s.PatternType})
					}
				}
			}
		}
	}
	add("Allow", s.AllowPrincipals, s.AllowHosts)
	add("Deny", s.DenyPrincipals, s.DenyHosts)
	for i := range out {
		if err := out[i].Validate(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
