package views

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views/viewstest"
)

// fakeAdmin is an ACL and SCRAM source with fixed data: what the views
// list, and the writes they made.
type fakeAdmin struct {
	mu        sync.Mutex
	acls      []kafka.ACL
	users     []kafka.SCRAMUser
	createErr error
	created   [][]kafka.ACL
	deleted   [][]kafka.ACL
	filters   []kafka.ACLFilter
	passwords []string // what SetSCRAMUser got
	sets      []string
	userDels  []string
}

func newFakeAdmin() *fakeAdmin {
	f := &fakeAdmin{}
	for _, op := range []string{"Describe", "Read"} {
		f.acls = append(f.acls, kafka.ACL{Principal: "User:analytics", Host: "*", Operation: op, Permission: "Allow", ResourceType: "Topic", ResourceName: "orders", PatternType: "Literal"})
	}
	f.acls = append(f.acls,
		kafka.ACL{Principal: "User:analytics", Host: "*", Operation: "Read", Permission: "Allow", ResourceType: "Group", ResourceName: "analytics-", PatternType: "Prefixed"},
		kafka.ACL{Principal: "User:billing-service", Host: "10.1.2.3", Operation: "Write", Permission: "Allow", ResourceType: "Topic", ResourceName: "payments", PatternType: "Literal"},
		kafka.ACL{Principal: "User:billing-service", Host: "*", Operation: "Write", Permission: "Deny", ResourceType: "Topic", ResourceName: "orders", PatternType: "Literal"},
		kafka.ACL{Principal: "User:ops", Host: "*", Operation: "All", Permission: "Allow", ResourceType: "Cluster", ResourceName: "kafka-cluster", PatternType: "Literal"},
		kafka.ACL{Principal: "User:ops", Host: "*", Operation: "Describe", Permission: "Allow", ResourceType: "Topic", ResourceName: "*", PatternType: "Literal"},
	)
	kafka.SortACLs(f.acls)
	f.users = []kafka.SCRAMUser{
		{Name: "analytics", Credentials: []kafka.SCRAMCredential{{Mechanism: "SCRAM-SHA-512", Iterations: 8192}}},
		{Name: "billing-service", Credentials: []kafka.SCRAMCredential{{Mechanism: "SCRAM-SHA-256", Iterations: 4096}, {Mechanism: "SCRAM-SHA-512", Iterations: 4096}}},
		{Name: "ops", Credentials: []kafka.SCRAMCredential{{Mechanism: "SCRAM-SHA-256", Iterations: 16384}}},
	}
	return f
}

func matches(f kafka.ACLFilter, a kafka.ACL) bool {
	eq := func(want, got string) bool { return want == "" || want == got }
	return eq(f.Principal, a.Principal) && eq(f.Host, a.Host) && eq(f.Operation, a.Operation) && eq(f.Permission, a.Permission) &&
		eq(f.ResourceType, a.ResourceType) && eq(f.ResourceName, a.ResourceName) && eq(f.PatternType, a.PatternType)
}

func (f *fakeAdmin) ListACLs(_ context.Context, flt kafka.ACLFilter) ([]kafka.ACL, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []kafka.ACL
	for _, a := range f.acls {
		if matches(flt, a) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (f *fakeAdmin) CreateACLs(_ context.Context, acls []kafka.ACL) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.createErr != nil {
		return f.createErr
	}
	f.created = append(f.created, acls)
	f.acls = append(f.acls, acls...)
	kafka.SortACLs(f.acls)
	return nil
}

func (f *fakeAdmin) PlanDeleteACLs(ctx context.Context, flt kafka.ACLFilter) ([]kafka.ACL, error) {
	f.mu.Lock()
	f.filters = append(f.filters, flt)
	f.mu.Unlock()
	return f.ListACLs(ctx, flt)
}

func (f *fakeAdmin) DeleteACLs(_ context.Context, acls []kafka.ACL) ([]kafka.ACL, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deleted = append(f.deleted, acls)
	f.acls = slices.DeleteFunc(f.acls, func(a kafka.ACL) bool { return slices.Contains(acls, a) })
	return acls, nil
}

func (f *fakeAdmin) ListSCRAMUsers(context.Context, ...string) ([]kafka.SCRAMUser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.users), nil
}

func (f *fakeAdmin) SetSCRAMUser(_ context.Context, user, mechanism string, iterations int32, password string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.passwords = append(f.passwords, password)
	f.sets = append(f.sets, fmt.Sprintf("%s %s %d", user, mechanism, iterations))
	return nil
}

func (f *fakeAdmin) DeleteSCRAMUser(_ context.Context, user, mechanism string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.userDels = append(f.userDels, user+" "+mechanism)
	return nil
}

func newACLsHost(t *testing.T, readOnly bool) (*syncHost, *fakeAdmin, *ACLs) {
	clock := viewstest.NewClock()
	c := newLagCommon(clock)
	c.ReadOnly = readOnly
	src := newFakeAdmin()
	v := NewACLs(c, src)
	return newSyncHost(t, c, v), src, v
}

// TestACLsCreateKeepsWhatWasTyped: the form refuses a wrong field in
// words and keeps every field; the broker's refusal keeps them too; a
// good form creates one ACL per operation, in Kafka's spelling.
func TestACLsCreateKeepsWhatWasTyped(t *testing.T) {
	s, src, v := newACLsHost(t, false)
	s.want("7 ACLs", "User:analytics", "kafka-cluster")
	s.keys("n")
	s.typ("alice")
	s.want("TYPE:NAME, such as User:alice")
	s.keys("ctrl+a")
	s.keys("ctrl+k")
	s.typ("User:alice")
	s.keys("tab", "tab")
	s.typ("read, describe")
	s.keys("tab", "tab")
	s.typ("topic")
	s.keys("tab")
	s.typ("clicks")
	s.keys("tab")
	s.typ("match")
	s.want("Literal or Prefixed")
	s.keys("enter")
	if len(src.created) != 0 {
		t.Fatal("a refused field was sent")
	}
	if got := v.form.Value(aclPrincipal); got != "User:alice" {
		t.Errorf("principal = %q after a refusal", got)
	}
	s.keys("backspace", "backspace", "backspace", "backspace", "backspace")
	src.createErr = errors.New("create ACLs: SECURITY_DISABLED: no authorizer is configured on the broker")
	s.keys("enter")
	s.want("no authorizer is configured", "fix and press enter again")
	if v.form == nil || v.form.Value(aclResourceName) != "clicks" || v.form.Value(aclOperations) != "read, describe" {
		t.Fatal("the form lost what was typed after the broker refused")
	}
	src.createErr = nil
	s.keys("ctrl+s")
	if v.form != nil || len(src.created) != 1 || len(src.created[0]) != 2 {
		t.Fatalf("created %+v", src.created)
	}
	if a := src.created[0][0]; a != (kafka.ACL{Principal: "User:alice", Host: "*", Operation: "Read", Permission: "Allow", ResourceType: "Topic", ResourceName: "clicks", PatternType: "Literal"}) {
		t.Errorf("created %+v", a)
	}
	s.want("9 ACLs", "clicks")
}

// TestACLsDeletePreviewsExactly: d previews the selected ACL, tab widens
// to every ACL of its principal on the resource, enter refuses until the
// principal is typed, and the delete removes exactly the preview's ACLs.
func TestACLsDeletePreviewsExactly(t *testing.T) {
	s, src, v := newACLsHost(t, false)
	s.want("7 ACLs")
	s.typ("/orders")
	s.keys("enter", "home")
	sel, _ := v.selected()
	if sel.ResourceName != "orders" || sel.Principal != "User:analytics" {
		t.Fatalf("selected %+v", sel)
	}
	s.keys("d")
	s.want("Delete ACLs", "This ACL is deleted", "Type the principal")
	s.keys("tab")
	s.want("These 2 ACLs are deleted", "every ACL of User:analytics on topic orders")
	if f := src.filters[len(src.filters)-1]; f.Operation != "" || f.Principal != "User:analytics" || f.ResourceName != "orders" {
		t.Errorf("wide filter %+v", f)
	}
	s.keys("enter")
	s.want("type User:analytics exactly")
	if len(src.deleted) != 0 {
		t.Fatal("deleted without the principal typed")
	}
	s.typ("User:analytics")
	s.keys("enter")
	if v.del != nil || len(src.deleted) != 1 || len(src.deleted[0]) != 2 {
		t.Fatalf("deleted %+v", src.deleted)
	}
	for _, a := range src.deleted[0] {
		if a.Principal != "User:analytics" || a.ResourceName != "orders" || a.ResourceType != "Topic" {
			t.Errorf("deleted %+v, not of the preview", a)
		}
	}
	s.want("5 ACLs")
}

// TestACLsReadOnlyRefuses: n and d are refused with a message, and their
// keys leave the help.
func TestACLsReadOnlyRefuses(t *testing.T) {
	s, _, v := newACLsHost(t, true)
	s.want("7 ACLs", "read-only")
	for _, k := range []string{"n", "d"} {
		s.keys(k)
		if v.form != nil || v.del != nil {
			t.Fatalf("%s opened a dialog under read-only", k)
		}
		s.h.mu.Lock()
		notice := s.h.notice
		s.h.mu.Unlock()
		if !strings.Contains(notice, "read-only") {
			t.Errorf("%s: notice %q", k, notice)
		}
	}
	for _, b := range v.ShortHelp() {
		if b.Help().Desc == "new ACL" || b.Help().Desc == "delete" {
			t.Errorf("read-only help shows %q", b.Help().Desc)
		}
	}
}

// TestACLsStaleResultsDropped: an answer for another view or an older
// load changes nothing.
func TestACLsStaleResultsDropped(t *testing.T) {
	s, _, v := newACLsHost(t, false)
	s.want("7 ACLs")
	v.Update(Result[[]kafka.ACL]{ID: v.id + 100, Gen: v.gen, Value: nil})
	v.Update(Result[[]kafka.ACL]{ID: v.id, Gen: v.gen - 1, Value: nil})
	if !strings.Contains(ansi.Strip(v.View()), "7 ACLs") {
		t.Error("a stale answer replaced the list")
	}
}

func newUsersHost(t *testing.T, readOnly bool) (*syncHost, *fakeAdmin, *Users) {
	clock := viewstest.NewClock()
	c := newLagCommon(clock)
	c.ReadOnly = readOnly
	src := newFakeAdmin()
	v := NewUsers(c, src)
	return newSyncHost(t, c, v), src, v
}

// TestUsersPasswordNeverShown: the password is masked as typed, two that
// differ are refused and emptied, the one sent reaches the source and
// leaves the form; e keeps the user's name and mechanism.
func TestUsersPasswordNeverShown(t *testing.T) {
	s, src, v := newUsersHost(t, false)
	s.want("3 SCRAM users", "billing-service", "SCRAM-SHA-256, SCRAM-SHA-512", "16384")
	s.keys("n")
	s.typ("carol")
	s.keys("tab")
	s.typ("sha-512")
	s.keys("tab", "tab")
	s.typ("hunter22")
	s.keys("tab")
	s.typ("hunter23")
	if strings.Contains(s.screen(), "hunter2") {
		t.Fatal("the password is shown as typed")
	}
	s.want("••••••••", "the two passwords differ")
	s.keys("enter")
	if len(src.passwords) != 0 || v.form.inputs[userPassword].Value() != "" {
		t.Fatal("differing passwords were sent or kept")
	}
	s.typ("hunter22")
	s.keys("tab")
	s.typ("hunter22")
	s.keys("enter")
	if v.form != nil || len(src.passwords) != 1 || src.passwords[0] != "hunter22" || src.sets[0] != "carol SCRAM-SHA-512 4096" {
		t.Fatalf("sets %v", src.sets)
	}
	s.keys("down", "e")
	s.want("Set the password of billing-service")
	if v.form.Value(userMechanism) != "SCRAM-SHA-256" || v.form.Value(userIterations) != "4096" || v.form.focused != userPassword {
		t.Errorf("e prefilled %q %q focus %d", v.form.Value(userMechanism), v.form.Value(userIterations), v.form.focused)
	}
	s.keys("esc")
	s.keys("d")
	s.want("Delete user billing-service", "2 credentials (SCRAM-SHA-256, SCRAM-SHA-512)")
	s.keys("enter")
	s.want("type billing-service exactly")
	s.typ("billing-service")
	s.keys("enter")
	if len(src.userDels) != 2 || src.userDels[1] != "billing-service SCRAM-SHA-512" {
		t.Errorf("deleted %v", src.userDels)
	}
}

// TestUsersReadOnlyRefuses: n, e and d are refused in read-only mode.
func TestUsersReadOnlyRefuses(t *testing.T) {
	s, _, v := newUsersHost(t, true)
	s.want("3 SCRAM users", "read-only")
	for _, k := range []string{"n", "e", "d"} {
		s.keys(k)
		if v.form != nil || v.del != nil {
			t.Fatalf("%s opened a dialog under read-only", k)
		}
	}
}

// TestACLsGolden renders the ACLs view, the create form with a refused
// field, the delete preview and the users view at 80x24 and 160x48.
// KFLOW_UPDATE_GOLDEN=1 go test ./views -run TestACLsGolden rewrites them.
func TestACLsGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	cases := []struct {
		name  string
		users bool
		steps []step
	}{
		{"acls", false, []step{{wait: []string{"updated 12:00:00"}}}},
		{"acls_create_refused", false, []step{{wait: []string{"updated 12:00:00"}},
			{append(append(press("n"), typed("User:alice")...), append(press("tab", "tab"), typed("Reed")...)...), []string{"is not an operation"}}}},
		{"acls_delete", false, []step{{wait: []string{"updated 12:00:00"}},
			{append(typed("/orders"), "enter", "home", "d", "tab"), []string{"These 2 ACLs"}}}},
		{"users", true, []step{{wait: []string{"updated 12:00:00"}}}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				clock := viewstest.NewClock()
				c := newLagCommon(clock)
				var v View = NewACLs(c, newFakeAdmin())
				if tc.users {
					v = NewUsers(c, newFakeAdmin())
				}
				h := &host{stack: []View{v}}
				tm := viewstest.StartProgram(t, h, size[0], size[1])
				for _, s := range tc.steps {
					tm.Keys(s.keys...)
					h.screen.Wait(t, s.wait...)
				}
				tm.Stop(t)
				screen := h.screen.Frame()
				viewstest.RequireGolden(t, name, ansi.Strip(screen))
				viewstest.RequireGolden(t, name+".ansi", screen)
			})
		}
	}
}

// principalCluster is the fake cluster authenticating as a user.
type principalCluster struct{ *fakeCluster }

func (principalCluster) Principal() string { return "User:kflow-user" }

// TestTopicsEmptySaysWhoMayDescribe: under a known principal, an empty
// topic list says Kafka lists only what that principal may describe.
func TestTopicsEmptySaysWhoMayDescribe(t *testing.T) {
	fake := viewstest.New()
	for _, name := range []string{"orders", "payments", "clickstream.raw.events.from-the-web-frontend", "audit-log", "__consumer_offsets"} {
		_ = fake.DeleteTopic(context.Background(), name)
	}
	c := newLagCommon(fake.Clock)
	c.Cluster = principalCluster{fake}
	s := newSyncHost(t, c, NewTopics(c))
	s.want("no topics that User:kflow-user may describe")
}
