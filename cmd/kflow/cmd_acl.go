package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"

	"kflow/kafka"
	"kflow/text"
)

// aclFlags are kafka-acls.sh's flags where kflow's overlap: principals
// allowed or denied, their hosts, operations, resources and the pattern.
type aclFlags struct {
	principal, allow, deny, allowHosts, denyHosts, ops multiFlag
	topics, groups, txIDs, tokens                      multiFlag
	cluster                                            bool
	pattern                                            string
}

func (a *aclFlags) define(fs *flag.FlagSet) {
	fs.Var(&a.principal, "principal", "list or delete the ACLs of this `principal` (User:NAME), allowed or denied; repeat for more")
	fs.Var(&a.allow, "allow-principal", "the `principal` (User:NAME) an ACL allows; list/delete: only its Allow ACLs; repeat for more")
	fs.Var(&a.deny, "deny-principal", "the `principal` (User:NAME) an ACL denies; list/delete: only its Deny ACLs; repeat for more")
	fs.Var(&a.allowHosts, "allow-host", "the `host` allowed principals connect from (default *); repeat for more")
	fs.Var(&a.denyHosts, "deny-host", "the `host` denied principals connect from (default *); repeat for more")
	fs.Var(&a.ops, "operation", "an `operation`: Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, CreateTokens, DescribeTokens, All; repeat for more")
	fs.Var(&a.topics, "topic", "a topic `name` the ACL is on (* for every topic); repeat for more")
	fs.Var(&a.groups, "group", "a consumer group `id` the ACL is on (* for every group); repeat for more")
	fs.Var(&a.txIDs, "transactional-id", "a transactional `id` the ACL is on; repeat for more")
	fs.Var(&a.tokens, "delegation-token", "a delegation token `id` the ACL is on; repeat for more")
	fs.BoolVar(&a.cluster, "cluster", false, "the ACL is on the cluster (kafka-cluster)")
	fs.StringVar(&a.pattern, "resource-pattern-type", "", "`type` of the resource name: literal or prefixed; list and delete also take match (every ACL that applies to the name) and any (default: literal for create and delete, any for list)")
}

// spec is the flags as entries to create.
func (a *aclFlags) spec() kafka.ACLSpec {
	return kafka.ACLSpec{AllowPrincipals: a.allow, DenyPrincipals: a.deny, AllowHosts: a.allowHosts, DenyHosts: a.denyHosts,
		Operations: a.ops, Topics: a.topics, Groups: a.groups, TransactionalIDs: a.txIDs, DelegationTokens: a.tokens,
		Cluster: a.cluster, PatternType: a.pattern}
}

// filters are the flags as filters, one per principal, host, operation
// and resource given (kafka-acls.sh's product); none given matches all.
func (a *aclFlags) filters(defPattern string) ([]kafka.ACLFilter, error) {
	type pp struct{ principal, perm string }
	var ps []pp
	for _, p := range a.principal {
		ps = append(ps, pp{p, ""})
	}
	for _, p := range a.allow {
		ps = append(ps, pp{p, "Allow"})
	}
	for _, p := range a.deny {
		ps = append(ps, pp{p, "Deny"})
	}
	if len(ps) == 0 {
		ps = []pp{{}}
	}
	hosts := append(slices.Clone(a.allowHosts), a.denyHosts...)
	if len(hosts) == 0 {
		hosts = []string{""}
	}
	ops := []string(a.ops)
	if len(ops) == 0 {
		ops = []string{""}
	}
	rs := a.spec().Resources()
	if len(rs) == 0 {
		rs = []kafka.ACLResource{{}}
	}
	pattern := a.pattern
	if pattern == "" {
		pattern = defPattern
	}
	if _, err := kafka.NormalizeACLPattern(pattern, true); err != nil {
		return nil, usagef("--resource-pattern-type: %v", err)
	}
	var out []kafka.ACLFilter
	for _, p := range ps {
		if p.principal != "" {
			if err := kafka.ValidatePrincipal(p.principal); err != nil {
				return nil, usagef("%v", err)
			}
		}
		for _, h := range hosts {
			for _, op := range ops {
				if op != "" {
					if _, err := kafka.NormalizeACLOperation(op); err != nil {
						return nil, usagef("--operation: %v", err)
					}
				}
				for _, r := range rs {
					f := kafka.ACLFilter{Principal: p.principal, Permission: p.perm, Host: h, Operation: op, ResourceType: r.Type, ResourceName: r.Name}
					if r.Type != "" || pattern != "any" {
						f.PatternType = pattern
					}
					out = append(out, f)
				}
			}
		}
	}
	return out, nil
}

// matching lists the ACLs any of the filters selects, once each, sorted.
func matching(ctx context.Context, c *kafka.Client, fs []kafka.ACLFilter, plan bool) ([]kafka.ACL, error) {
	seen := map[kafka.ACL]bool{}
	out := []kafka.ACL{}
	for _, f := range fs {
		list := c.ListACLs
		if plan {
			list = c.PlanDeleteACLs
		}
		acls, err := list(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, a := range acls {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	kafka.SortACLs(out)
	return out, nil
}

func printACLs(w io.Writer, acls []kafka.ACL) error {
	return table(w, "PRINCIPAL\tHOST\tOPERATION\tPERMISSION\tRESOURCE-TYPE\tNAME\tPATTERN", func(tw io.Writer) {
		for _, a := range acls {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", text.SanitizeString(a.Principal), text.SanitizeString(a.Host), a.Operation, a.Permission,
				a.ResourceType, text.SanitizeString(a.ResourceName), a.PatternType)
		}
	})
}

func runACL(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("acl", e, &g)
	var a aclFlags
	a.define(fs)
	dryRun := fs.Bool("dry-run", false, "delete: print the ACLs the flags match and delete nothing")
	force := fs.Bool("force", false, "delete: delete the matching ACLs without a prompt (kafka-acls.sh's --force)")
	confirm := fs.String("confirm", "", "delete: the `name` of the filter's principal or resource again, to delete without a prompt")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("acl takes an action: list, create or delete")
	}
	action := pos[0]
	switch action {
	case "list", "create", "delete":
	default:
		return usagef("acl: unknown action %q (list, create, delete)", action)
	}
	var fl []kafka.ACLFilter
	var create []kafka.ACL
	switch action {
	case "list":
		fl, err = a.filters("any")
	case "delete":
		fl, err = a.filters("literal")
		if err == nil && len(fl) == 1 && fl[0].Empty() {
			err = usagef("acl delete: name a principal, a resource or an operation (a filter matching every ACL is refused)")
		}
	case "create":
		if len(a.principal) > 0 {
			return usagef("acl create: use --allow-principal or --deny-principal (--principal only filters)")
		}
		if create, err = a.spec().ACLs(); err != nil {
			err = usagef("acl create: %v", err)
		}
	}
	if err != nil {
		return err
	}
	c, done, err := connect(ctx, &g, e)
	if err != nil {
		return err
	}
	defer done()
	switch action {
	case "list":
		acls, err := matching(ctx, c, fl, false)
		return printAs(g.json, e.stdout, acls, err, printACLs)
	case "create":
		if err := c.CreateACLs(ctx, create); err != nil {
			return err
		}
		if g.json {
			return printJSON(e.stdout, create)
		}
		fmt.Fprintf(e.stderr, "created %s\n", text.CountOf(len(create), "ACL", "ACLs"))
		return printACLs(e.stdout, create)
	}
	// delete: the preview first, then exactly those.
	if c.ReadOnly() && !*dryRun {
		return fmt.Errorf("delete ACLs: %w; nothing was deleted", kafka.ErrReadOnly)
	}
	plan, err := matching(ctx, c, fl, true)
	if err != nil {
		return err
	}
	if g.json && (*dryRun || len(plan) == 0) {
		if err := printJSON(e.stdout, plan); err != nil {
			return err
		}
	} else if !g.json {
		fmt.Fprintf(e.stdout, "The filter matches %s:\n\n", text.CountOf(len(plan), "ACL", "ACLs"))
		if err := printACLs(e.stdout, plan); err != nil {
			return err
		}
	}
	if len(plan) == 0 {
		fmt.Fprintln(e.stderr, "no ACL matches: nothing to delete")
		return nil
	}
	if *dryRun {
		fmt.Fprintf(e.stderr, "dry run: nothing deleted. Add --confirm %s (or --force) to delete them.\n", confirmWord(fl))
		return nil
	}
	if !*force {
		if err := confirmName(e, "delete ACLs matching", confirmWord(fl), *confirm, "This deletes the ACLs listed above."); err != nil {
			return err
		}
	}
	deleted, err := c.DeleteACLs(ctx, plan)
	if err != nil {
		return err
	}
	if g.json {
		return printJSON(e.stdout, deleted)
	}
	fmt.Fprintf(e.stderr, "deleted %s\n", text.CountOf(len(deleted), "ACL", "ACLs"))
	return nil
}

// confirmWord is what a delete asks to be typed back: the filter's
// principal when it names one, else its resource's name.
func confirmWord(fl []kafka.ACLFilter) string {
	for _, f := range fl {
		if f.Principal != "" {
			return f.Principal
		}
	}
	for _, f := range fl {
		if f.ResourceName != "" {
			return f.ResourceName
		}
	}
	for _, f := range fl {
		if f.Operation != "" {
			return f.Operation
		}
	}
	return "delete"
}
