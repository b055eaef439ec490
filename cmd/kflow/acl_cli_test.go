package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// secureCluster is a cluster enforcing ACLs with a super user and an
// ordinary user without ACLs, and a config file with a context for each
// (admin, user2), passwords from the environment.
type secureCluster struct {
	name, brokers, mechanism string
	admin, user2             string
	config                   string
}

// secureClusters are kfake with SASL and ACLs, and the real secure broker
// when scripts/kafka/start.sh made one (KFLOW_TEST_SASL_*; failed under
// CI without it).
func secureClusters(t *testing.T) []secureCluster {
	t.Helper()
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0), kfake.EnableSASL(), kfake.EnableACLs(),
		kfake.Superuser("SCRAM-SHA-256", "kflow-admin", "admin-pw"),
		kfake.User("SCRAM-SHA-256", "kflow-user2", "user2-pw"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	type c struct {
		secureCluster
		apw, upw string
	}
	cs := []c{{secureCluster{name: "kfake", brokers: strings.Join(fake.ListenAddrs(), ","), mechanism: "SCRAM-SHA-256", admin: "kflow-admin", user2: "kflow-user2"}, "admin-pw", "user2-pw"}}
	if s := os.Getenv("KFLOW_TEST_SASL_BROKERS"); s != "" {
		cs = append(cs, c{secureCluster{name: "kafka", brokers: s, mechanism: "SCRAM-SHA-512", admin: os.Getenv("KFLOW_TEST_SASL_USER"), user2: os.Getenv("KFLOW_TEST_SASL_USER2")},
			os.Getenv("KFLOW_TEST_SASL_PASSWORD"), os.Getenv("KFLOW_TEST_SASL_PASSWORD2")})
	} else if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but KFLOW_TEST_SASL_BROKERS is not set: run the tests with scripts/test.sh")
	} else {
		t.Log("KFLOW_TEST_SASL_BROKERS not set: the real secure broker's half of this test not run")
	}
	out := make([]secureCluster, len(cs))
	for i, x := range cs {
		t.Setenv("KFLOW_TEST_ADMIN_PW_"+x.name, x.apw)
		t.Setenv("KFLOW_TEST_USER2_PW_"+x.name, x.upw)
		x.config = filepath.Join(t.TempDir(), "config.yaml")
		writeSASLConfig(t, x.config, x.brokers, x.mechanism, map[string][2]string{
			"admin": {x.admin, "KFLOW_TEST_ADMIN_PW_" + x.name}, "user2": {x.user2, "KFLOW_TEST_USER2_PW_" + x.name}})
		out[i] = x.secureCluster
	}
	return out
}

// writeSASLConfig writes contexts NAME: {user, password env} on brokers.
func writeSASLConfig(t *testing.T, path, brokers, mechanism string, users map[string][2]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("contexts:\n")
	for name, u := range users {
		fmt.Fprintf(&b, "  %s:\n    brokers: [%s]\n    timeout: 5s\n    sasl:\n      mechanism: %s\n      username: %s\n      password: {env: %s}\n", name, brokers, mechanism, u[0], u[1])
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (s secureCluster) as(ctx string, args ...string) []string {
	return append([]string{"--config", s.config, "--context", ctx}, args...)
}

// TestACLCommands: kflow acl create grants the ordinary user exactly one
// topic, which it may then describe, produce to and tail, while every
// other topic is refused with the operation, resource, principal and the
// ACL to ask for; acl list filters (plain and --json); acl delete
// previews, asks for the principal typed back, deletes exactly the
// matches; read-only refuses create and delete. On kfake and the real
// secure broker.
func TestACLCommands(t *testing.T) {
	isolateConfig(t)
	for _, s := range secureClusters(t) {
		t.Run(s.name, func(t *testing.T) {
			granted, other := uniqueName(t), uniqueName(t)+"-other"
			for _, topic := range []string{granted, other} {
				if r := kflow(t, "", nil, s.as("admin", "topic", "create", topic, "-p", "1", "-r", "1")...); r.code != 0 {
					t.Fatalf("create %s: %+v", topic, r)
				}
				t.Cleanup(func() { kflow(t, "", nil, s.as("admin", "topic", "delete", topic, "--confirm", topic)...) })
			}
			p := "User:" + s.user2
			grant := s.as("admin", "acl", "create", "--allow-principal", p, "--operation", "Describe", "--operation", "read", "--operation", "WRITE", "--topic", granted)
			if r := kflow(t, "", nil, append(grant, "--read-only")...); r.code != 1 || !strings.Contains(r.stderr, "read-only") {
				t.Errorf("create under --read-only = %+v", r)
			}
			if r := kflow(t, "", nil, grant...); r.code != 0 || !strings.Contains(r.stderr, "created 3 ACLs") {
				t.Fatalf("acl create = %+v", r)
			}
			t.Cleanup(func() {
				kflow(t, "", nil, s.as("admin", "acl", "delete", "--principal", p, "--topic", granted, "--force")...)
			})
			// a broker answers from its metadata, which a write reaches a
			// moment later
			var r result
			var listed []struct{ Principal, Operation, Permission, Resource_Type, Resource_Name, Pattern_Type string }
			waitFor(t, 10*time.Second, "the ACLs to be listed", func() bool {
				r = kflow(t, "", nil, s.as("admin", "acl", "list", "--principal", p, "--topic", granted, "--json")...)
				listed = nil
				return json.Unmarshal([]byte(r.stdout), &listed) == nil && len(listed) == 3
			})
			if listed[0].Operation != "Describe" || listed[0].Principal != p {
				t.Fatalf("acl list --json = %+v", r)
			}
			if r := kflow(t, "", nil, s.as("admin", "acl", "list", "--principal", p)...); !strings.Contains(r.stdout, "PRINCIPAL") || strings.Count(r.stdout, p) != 3 {
				t.Errorf("acl list = %+v", r)
			}

			waitFor(t, 10*time.Second, "user2 to describe the granted topic", func() bool {
				return kflow(t, "", nil, s.as("user2", "topic", "describe", granted)...).code == 0
			})
			if r := kflow(t, "", nil, s.as("user2", "produce", "-t", granted, "granted-value")...); r.code != 0 {
				t.Errorf("user2 produce = %+v", r)
			}
			if r := kflow(t, "", nil, s.as("user2", "tail", "-t", granted, "--from", "beginning", "--exit")...); r.code != 0 || !strings.Contains(r.stdout, "granted-value") {
				t.Errorf("user2 tail = %+v", r)
			}
			explained := func(what string, r result, op string) {
				t.Helper()
				want := fmt.Sprintf(`not authorized: %s on topic %q for %s`, op, other, p)
				hint := fmt.Sprintf("kflow acl create --allow-principal %s --operation %s --topic %s", p, op, other)
				if r.code != 1 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, hint) || !strings.Contains(r.stderr, "TOPIC_AUTHORIZATION_FAILED") {
					t.Errorf("%s on the other topic = %+v, want %q and %q", what, r, want, hint)
				}
			}
			explained("describe", kflow(t, "", nil, s.as("user2", "topic", "describe", other)...), "Describe")
			explained("produce", kflow(t, "", nil, s.as("user2", "produce", "-t", other, "v")...), "Write")
			start := time.Now()
			explained("tail", kflow(t, "", nil, s.as("user2", "tail", "-t", other, "--from", "beginning", "--exit")...), "Describe")
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("the refused tail took %v", d)
			}
			if r := kflow(t, "", nil, s.as("user2", "group", "describe", other)...); r.code != 1 ||
				!strings.Contains(r.stderr, fmt.Sprintf(`not authorized: Describe on group %q for %s`, other, p)) || !strings.Contains(r.stderr, "--group "+other) {
				t.Errorf("user2 group describe = %+v", r)
			}
			if r := kflow(t, "", nil, s.as("user2", "lag", "--group", other)...); r.code != 1 ||
				!strings.Contains(r.stderr, fmt.Sprintf(`not authorized: Describe on group %q for %s`, other, p)) {
				t.Errorf("user2 lag --group = %+v", r)
			}
			explained("search", kflow(t, "", nil, s.as("user2", "search", "-t", other, "--filter", "x")...), "Describe")
			// a list of topics shows the granted one only, as Kafka lists
			// what the principal may describe
			if r := kflow(t, "", nil, s.as("user2", "topics")...); r.code != 0 || !strings.Contains(r.stdout, granted) || strings.Contains(r.stdout, other) {
				t.Errorf("user2 topics = %+v", r)
			}
			if r := kflow(t, "", nil, s.as("user2", "acl", "list")...); r.code != 1 || !strings.Contains(r.stderr, "on cluster (kafka-cluster) for "+p) {
				t.Errorf("user2 acl list = %+v", r)
			}

			del := s.as("admin", "acl", "delete", "--principal", p, "--topic", granted, "--operation", "Write")
			r = kflow(t, "", nil, append(del, "--dry-run")...)
			if r.code != 0 || !strings.Contains(r.stdout, "The filter matches 1 ACL") || !strings.Contains(r.stdout, "Write") || strings.Contains(r.stdout, "Describe") ||
				!strings.Contains(r.stderr, "nothing deleted") || !strings.Contains(r.stderr, "--confirm "+p) {
				t.Errorf("delete --dry-run = %+v", r)
			}
			if r := kflow(t, "", nil, del...); r.code != exitUsage || !strings.Contains(r.stderr, "give --confirm "+p) {
				t.Errorf("delete without confirmation = %+v", r)
			}
			if r := kflow(t, "", nil, append(del, "--confirm", "User:someone")...); r.code != exitUsage {
				t.Errorf("delete with a wrong --confirm = %+v", r)
			}
			if r := kflow(t, "", nil, append(del, "--confirm", p, "--read-only")...); r.code != 1 || !strings.Contains(r.stderr, "read-only") {
				t.Errorf("delete under --read-only = %+v", r)
			}
			if r := kflow(t, "", nil, append(del, "--confirm", p)...); r.code != 0 || !strings.Contains(r.stderr, "deleted 1 ACL") {
				t.Errorf("delete = %+v", r)
			}
			waitFor(t, 10*time.Second, "the deleted ACL to go", func() bool {
				r := kflow(t, "", nil, s.as("admin", "acl", "list", "--principal", p, "--topic", granted)...)
				return strings.Count(r.stdout, p) == 2 && !strings.Contains(r.stdout, "Write")
			})
			if r := kflow(t, "", nil, s.as("admin", "acl", "delete")...); r.code != exitUsage {
				t.Errorf("delete of everything = %+v, want refused", r)
			}
		})
	}
}

// TestUserCommands: kflow user set creates a SCRAM user from an
// environment variable, stdin or a command, which can then connect with
// that password; user list shows its mechanism and Kafka's default
// iterations; user delete asks for the name and then the user can no
// longer connect; the password appears in no output; read-only refuses.
func TestUserCommands(t *testing.T) {
	isolateConfig(t)
	for _, s := range secureClusters(t) {
		t.Run(s.name, func(t *testing.T) {
			name := fmt.Sprintf("kflow-cli-user-%d", time.Now().UnixNano())
			const pw, pw2 = "pw-never-printed-1", "pw-never-printed-2"
			t.Setenv("KFLOW_TEST_NEW_PW", pw)
			newCfg := filepath.Join(t.TempDir(), "new.yaml")
			writeSASLConfig(t, newCfg, s.brokers, "SCRAM-SHA-512", map[string][2]string{"new": {name, "KFLOW_TEST_NEW_PW"}})
			var outputs []result
			run := func(stdin string, args ...string) result {
				r := kflow(t, stdin, map[string]string{"MY_PW": pw}, args...)
				outputs = append(outputs, r)
				return r
			}
			set := s.as("admin", "user", "set", name, "--mechanism", "scram-sha-512")
			if r := run("", append(set, "--password-env", "MY_PW", "--read-only")...); r.code != 1 || !strings.Contains(r.stderr, "read-only") {
				t.Errorf("set under --read-only = %+v", r)
			}
			if r := run("", set...); r.code != exitUsage || !strings.Contains(r.stderr, "--password-stdin") {
				t.Errorf("set without a password source = %+v", r)
			}
			if r := run("", append(set, "--iterations", "100", "--password-env", "MY_PW")...); r.code != exitUsage || !strings.Contains(r.stderr, "4096 to 16384") {
				t.Errorf("set with 100 iterations = %+v", r)
			}
			if r := run("", append(set, "--password-env", "MY_PW")...); r.code != 0 || !strings.Contains(r.stderr, "4096 iterations") {
				t.Fatalf("set = %+v", r)
			}
			t.Cleanup(func() {
				kflow(t, "", nil, s.as("admin", "user", "delete", name, "--mechanism", "SCRAM-SHA-512", "--confirm", name)...)
			})
			var r result
			found := false
			// the broker lists from its metadata, which the set reaches a
			// moment later
			for deadline := time.Now().Add(10 * time.Second); !found && time.Now().Before(deadline); {
				r = run("", s.as("admin", "user", "list", "--json")...)
				var users []struct {
					Name        string
					Credentials []struct {
						Mechanism  string
						Iterations int
					}
				}
				if err := json.Unmarshal([]byte(r.stdout), &users); err != nil {
					t.Fatalf("user list --json = %+v: %v", r, err)
				}
				for _, u := range users {
					if u.Name == name {
						found = len(u.Credentials) == 1 && u.Credentials[0].Mechanism == "SCRAM-SHA-512" && u.Credentials[0].Iterations == 4096
					}
				}
			}
			if !found {
				t.Errorf("user list lacks %s with SCRAM-SHA-512 at 4096: %s", name, r.stdout)
			}
			if r := run("", s.as("admin", "user", "list")...); !strings.Contains(r.stdout, name) || !strings.Contains(r.stdout, "SCRAM-SHA-512") {
				t.Errorf("user list = %+v", r)
			}
			connects := func() result { return run("", "--config", newCfg, "--context", "new", "topics") }
			var last result
			deadline := time.Now().Add(10 * time.Second)
			for last = connects(); last.code != 0 && time.Now().Before(deadline); last = connects() {
			}
			if last.code != 0 {
				t.Fatalf("the new user cannot connect: %+v", last)
			}
			// it has no ACLs: the empty list says why
			if !strings.Contains(last.stderr, "no topics that User:"+name+" may describe") {
				t.Errorf("the new user's topics = %+v", last)
			}
			// a new password from stdin replaces it; the old one stops working
			// kfake's SCRAM verifies only Kafka's default iteration count
			its := "4096"
			if s.name == "kafka" {
				its = "8192"
			}
			if r := run(pw2+"\n", append(set, "--password-stdin", "--iterations", its)...); r.code != 0 || !strings.Contains(r.stderr, its+" iterations") {
				t.Fatalf("set --password-stdin = %+v", r)
			}
			t.Setenv("KFLOW_TEST_NEW_PW", pw2)
			if r := connects(); r.code != 0 {
				t.Errorf("the new password from stdin does not connect: %+v", r)
			}
			if r := run("", append(set, "--password-command", "printf '%s\\n' "+pw)...); r.code != 0 {
				t.Fatalf("set --password-command = %+v", r)
			}
			t.Setenv("KFLOW_TEST_NEW_PW", pw)
			if r := connects(); r.code != 0 {
				t.Errorf("the password from the command does not connect: %+v", r)
			}

			del := s.as("admin", "user", "delete", name, "--mechanism", "SCRAM-SHA-512")
			if r := run("", del...); r.code != exitUsage || !strings.Contains(r.stderr, "--confirm "+name) {
				t.Errorf("delete without confirmation = %+v", r)
			}
			if r := run("", append(del, "--confirm", name, "--read-only")...); r.code != 1 || !strings.Contains(r.stderr, "read-only") {
				t.Errorf("delete under --read-only = %+v", r)
			}
			if r := run("", append(del, "--confirm", name)...); r.code != 0 {
				t.Fatalf("delete = %+v", r)
			}
			deadline = time.Now().Add(10 * time.Second)
			for last = connects(); last.code == 0 && time.Now().Before(deadline); last = connects() {
			}
			if last.code == 0 {
				t.Error("the deleted user still connects")
			}
			for _, o := range outputs {
				if strings.Contains(o.stdout+o.stderr, pw) || strings.Contains(o.stdout+o.stderr, pw2) {
					t.Errorf("a password appears in output: %+v", o)
				}
			}
		})
	}
}
