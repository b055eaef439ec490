package kafka

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"

	"kflow/config"
)

// secureBackend is a cluster that enforces ACLs, with a super user and an
// ordinary user without ACLs: kfake with SASL and ACLs, and the real
// secure broker when scripts/kafka/start.sh made one (KFLOW_TEST_SASL_*).
type secureBackend struct {
	name        string
	brokers     []string
	admin, pass string // the super user
	user, upass string // the ordinary user
	real        bool
	mechanism   string
}

// secureBackends returns kfake with ACLs enforced, and the real secure
// listener when it is configured (skipped without it, failed under CI).
func secureBackends(t *testing.T) []secureBackend {
	t.Helper()
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0), kfake.EnableSASL(), kfake.EnableACLs(),
		kfake.Superuser("SCRAM-SHA-256", "kflow-admin", "admin-pw"),
		kfake.User("SCRAM-SHA-256", "kflow-user2", "user2-pw"))
	if err != nil {
		t.Fatalf("start kfake: %v", err)
	}
	t.Cleanup(fake.Close)
	bs := []secureBackend{{name: "kfake", brokers: fake.ListenAddrs(), admin: "kflow-admin", pass: "admin-pw", user: "kflow-user2", upass: "user2-pw", mechanism: "SCRAM-SHA-256"}}
	if s := os.Getenv("KFLOW_TEST_SASL_BROKERS"); s != "" {
		bs = append(bs, secureBackend{name: "kafka", brokers: strings.Split(s, ","), real: true, mechanism: "SCRAM-SHA-512",
			admin: os.Getenv("KFLOW_TEST_SASL_USER"), pass: os.Getenv("KFLOW_TEST_SASL_PASSWORD"),
			user: os.Getenv("KFLOW_TEST_SASL_USER2"), upass: os.Getenv("KFLOW_TEST_SASL_PASSWORD2")})
	} else if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but KFLOW_TEST_SASL_BROKERS is not set: run the tests with scripts/test.sh, which starts the secure listeners")
	} else {
		t.Log("KFLOW_TEST_SASL_BROKERS not set: real secure-broker half of this test not run")
	}
	return bs
}

// saslConnect connects as user with password through SCRAM.
func saslConnect(t *testing.T, brokers []string, mechanism, user, password string) (*Client, error) {
	t.Helper()
	return saslConnectRO(t, brokers, mechanism, user, password, false)
}

// saslConnectRO is saslConnect, read-only when ro says so.
func saslConnectRO(t *testing.T, brokers []string, mechanism, user, password string, ro bool) (*Client, error) {
	t.Helper()
	env := "KFLOW_TEST_PW_" + strings.NewReplacer("-", "_", ".", "_").Replace(strings.ToUpper(user))
	t.Setenv(env, password)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return Connect(ctx, ConnConfig{Brokers: brokers, Timeout: 5 * time.Second, ReadOnly: ro,
		SASL: &config.SASL{Mechanism: mechanism, Username: user, Password: config.Secret{Env: env}}})
}

func mustSASL(t *testing.T, brokers []string, mechanism, user, password string) *Client {
	t.Helper()
	c, err := saslConnect(t, brokers, mechanism, user, password)
	if err != nil {
		t.Fatalf("connect as %s: %v", user, err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestACLsGrantExactlyWhatTheySay: the super user creates ACLs for an
// ordinary user on one topic; the user may then describe, produce to and
// tail that topic, and is refused elsewhere with the operation, resource,
// principal and the ACL to ask for in words; list filters, the delete
// preview is exactly what the filter matches, and delete removes exactly
// those; read-only refuses create and delete.
func TestACLsGrantExactlyWhatTheySay(t *testing.T) {
	for _, b := range secureBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := testCtx(t)
			admin := mustSASL(t, b.brokers, b.mechanism, b.admin, b.pass)
			granted, denied := uniqueTopic(t), uniqueTopic(t)+"-denied"
			mustCreate(t, admin, granted, 1, nil)
			mustCreate(t, admin, denied, 1, nil)
			principal := "User:" + b.user
			acls, err := ACLSpec{AllowPrincipals: []string{principal}, Operations: []string{"describe", "Read", "WRITE"}, Topics: []string{granted}}.ACLs()
			if err != nil {
				t.Fatal(err)
			}
			if err := admin.CreateACLs(ctx, acls); err != nil {
				t.Fatalf("create ACLs: %v", err)
			}
			t.Cleanup(func() { _, _ = admin.DeleteACLs(context.Background(), acls) })

			// list filters by principal and resource, in Kafka's spelling;
			// a broker answers from its metadata, which the create reaches
			// a moment later
			var got []ACL
			eventually(t, 10*time.Second, "the ACLs to be listed", func() bool {
				got, err = admin.ListACLs(ctx, ACLFilter{Principal: principal, ResourceType: "topic", ResourceName: granted})
				return err != nil || len(got) == 3
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || got[0].Operation != "Describe" || got[0].Permission != "Allow" || got[0].PatternType != "Literal" || got[0].Host != "*" {
				t.Fatalf("listed %+v, want the 3 ACLs created (Describe, Read, Write)", got)
			}
			if only, _ := admin.ListACLs(ctx, ACLFilter{Principal: principal, Operation: "Write"}); len(only) != 1 || only[0].Operation != "Write" {
				t.Errorf("operation filter listed %+v", only)
			}

			user := mustSASL(t, b.brokers, b.mechanism, b.user, b.upass)
			eventually(t, 10*time.Second, "the granted topic to be described", func() bool {
				_, err = user.DescribeTopic(ctx, granted)
				return err == nil
			})
			if _, err := user.Produce(ctx, Record{Topic: granted, Value: []byte("ok")}); err != nil {
				t.Errorf("produce to the granted topic: %v", err)
			}
			_, err = user.DescribeTopic(ctx, denied)
			assertAuthErr(t, "describe", err, "Describe", "Topic", denied, principal)
			_, err = user.Produce(ctx, Record{Topic: denied, Value: []byte("no")})
			var ae *AuthorizationError
			if !errors.As(err, &ae) || ae.ResourceType != "Topic" || !errors.Is(err, kerr.TopicAuthorizationFailed) {
				t.Errorf("produce to the denied topic = %v, want an explained TOPIC_AUTHORIZATION_FAILED", err)
			}
			start := time.Now()
			tailCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
			_, err = user.Consume(tailCtx, TailOptions{Topic: denied, Start: Start{Kind: StartBeginning}, StopAtEnd: true})
			cancel()
			assertAuthErr(t, "tail", err, "Describe", "Topic", denied, principal)
			if d := time.Since(start); d > 12*time.Second {
				t.Errorf("the refused tail took %v", d)
			}
			// Describe without Read: the tail starts, and its first fetch
			// is refused in words instead of retried for ever (on the real
			// broker: kfake answers the refused fetch only after 5 s)
			if b.real {
				describeOnly := granted + "-describe-only"
				mustCreate(t, admin, describeOnly, 1, nil)
				dacl := []ACL{{Principal: principal, Operation: "Describe", ResourceType: "Topic", ResourceName: describeOnly}}
				if err := admin.CreateACLs(ctx, dacl); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _, _ = admin.DeleteACLs(context.Background(), dacl) })
				var cs *Consumer
				eventually(t, 10*time.Second, "the describe-only topic to be described", func() bool {
					cs, err = user.Consume(ctx, TailOptions{Topic: describeOnly, Start: Start{Kind: StartBeginning}})
					return err == nil
				})
				pollCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
				_, err = cs.Poll(pollCtx)
				cancel()
				cs.Close()
				assertAuthErr(t, "fetch without Read", err, "Read", "Topic", describeOnly, principal)
			}

			// the user itself may not list ACLs: explained as the cluster's
			_, err = user.ListACLs(ctx, ACLFilter{})
			assertAuthErr(t, "list ACLs", err, "Describe", "Cluster", ClusterResourceName, principal)

			// the delete preview is exactly what the filter matches
			plan, err := admin.PlanDeleteACLs(ctx, ACLFilter{Principal: principal, ResourceType: "Topic", ResourceName: granted, Operation: "Write"})
			if err != nil || len(plan) != 1 || plan[0].Operation != "Write" {
				t.Fatalf("plan = %+v, %v; want the one Write ACL", plan, err)
			}
			if _, err := admin.PlanDeleteACLs(ctx, ACLFilter{}); err == nil {
				t.Error("a delete filter matching every ACL was accepted")
			}
			ro, err := saslConnectRO(t, b.brokers, b.mechanism, b.admin, b.pass, true)
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			if _, err := ro.DeleteACLs(ctx, plan); !errors.Is(err, ErrReadOnly) {
				t.Errorf("delete under read-only = %v", err)
			}
			if err := ro.CreateACLs(ctx, acls); !errors.Is(err, ErrReadOnly) {
				t.Errorf("create under read-only = %v", err)
			}
			deleted, err := admin.DeleteACLs(ctx, plan)
			if err != nil || len(deleted) != 1 || deleted[0] != plan[0] {
				t.Fatalf("deleted %+v, %v; want exactly %+v", deleted, err, plan)
			}
			var left []ACL
			eventually(t, 10*time.Second, "the deleted ACL to go", func() bool {
				left, _ = admin.ListACLs(ctx, ACLFilter{Principal: principal, ResourceName: granted, ResourceType: "Topic"})
				return len(left) == 2
			})
			if len(left) != 2 {
				t.Errorf("after deleting Write, %d ACLs left: %+v", len(left), left)
			}
			eventually(t, 10*time.Second, "the write refused once its ACL is gone", func() bool {
				_, err := user.Produce(ctx, Record{Topic: granted, Value: []byte("no")})
				return errors.Is(err, kerr.TopicAuthorizationFailed)
			})
		})
	}
}

func assertAuthErr(t *testing.T, what string, err error, op, typ, name, principal string) {
	t.Helper()
	var ae *AuthorizationError
	if !errors.As(err, &ae) {
		t.Errorf("%s: %v, want an *AuthorizationError", what, err)
		return
	}
	if ae.Operation != op || ae.ResourceType != typ || ae.Resource != name || ae.Principal != principal {
		t.Errorf("%s: %+v, want %s on %s %q for %s", what, ae, op, typ, name, principal)
	}
	msg := err.Error()
	for _, want := range []string{"not authorized: " + op, principal, "(Kafka: ", "kflow acl create --allow-principal " + principal + " --operation " + op} {
		if !strings.Contains(msg, want) {
			t.Errorf("%s: %q lacks %q", what, msg, want)
		}
	}
}

// TestSCRAMUserSetConnectDelete: a SCRAM user set by kflow can connect with
// that password (and not with another), is listed with its mechanism and
// iterations, and cannot connect once deleted; read-only refuses both.
func TestSCRAMUserSetConnectDelete(t *testing.T) {
	for _, b := range secureBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := testCtx(t)
			admin := mustSASL(t, b.brokers, b.mechanism, b.admin, b.pass)
			name := "kflow-test-user-" + strings.ReplaceAll(uniqueTopic(t)[len("kflow-test-"):], "/", "-")
			if len(name) > 100 {
				name = name[:100]
			}
			ro, err := saslConnectRO(t, b.brokers, b.mechanism, b.admin, b.pass, true)
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			if err := ro.SetSCRAMUser(ctx, name, "SCRAM-SHA-512", 0, "s3cret"); !errors.Is(err, ErrReadOnly) {
				t.Errorf("set under read-only = %v", err)
			}
			// the ordinary user is refused in words, at once (Kafka 4.3
			// leaves a refused describe of all users unanswered)
			user := mustSASL(t, b.brokers, b.mechanism, b.user, b.upass)
			start := time.Now()
			_, err = user.ListSCRAMUsers(ctx)
			assertAuthErr(t, "list users", err, "Describe", "Cluster", ClusterResourceName, "User:"+b.user)
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("the refused list took %v", d)
			}
			err = user.SetSCRAMUser(ctx, name, "SCRAM-SHA-256", 0, "x-pw")
			assertAuthErr(t, "set user", err, "Alter", "Cluster", ClusterResourceName, "User:"+b.user)
			if err := admin.SetSCRAMUser(ctx, name, "sha-512", 1000, "s3cret"); err == nil || !strings.Contains(err.Error(), "4096 to 16384") {
				t.Errorf("1000 iterations = %v, want Kafka's range", err)
			}
			if err := admin.SetSCRAMUser(ctx, name, "SCRAM-SHA-512", 0, "s3cret-pw"); err != nil {
				t.Fatalf("set: %v", err)
			}
			t.Cleanup(func() { _ = admin.DeleteSCRAMUser(context.Background(), name, "SCRAM-SHA-512") })
			// the broker answers from its metadata, which the set reaches
			// a moment later
			var users []SCRAMUser
			eventually(t, 10*time.Second, "the new user to be listed", func() bool {
				users, err = admin.ListSCRAMUsers(ctx, name)
				return err != nil || len(users) > 0
			})
			if err != nil || len(users) != 1 || users[0].Mechanisms() != "SCRAM-SHA-512" || users[0].Credentials[0].Iterations != DefaultSCRAMIterations {
				t.Fatalf("list = %+v, %v; want %s with SCRAM-SHA-512 at %d iterations", users, err, name, DefaultSCRAMIterations)
			}
			all, err := admin.ListSCRAMUsers(ctx)
			if err != nil || !containsUser(all, name) {
				t.Errorf("list of all users lacks %s: %+v, %v", name, all, err)
			}
			var c *Client
			eventually(t, 10*time.Second, "the new user to connect", func() bool {
				c, err = saslConnect(t, b.brokers, "SCRAM-SHA-512", name, "s3cret-pw")
				return err == nil
			})
			c.Close()
			if c, err := saslConnect(t, b.brokers, "SCRAM-SHA-512", name, "wrong"); err == nil {
				c.Close()
				t.Error("connected with a wrong password")
			}
			if err := ro.DeleteSCRAMUser(ctx, name, "SCRAM-SHA-512"); !errors.Is(err, ErrReadOnly) {
				t.Errorf("delete under read-only = %v", err)
			}
			if err := admin.DeleteSCRAMUser(ctx, name, "SCRAM-SHA-512"); err != nil {
				t.Fatalf("delete: %v", err)
			}
			eventually(t, 10*time.Second, "the deleted user to be refused", func() bool {
				c, err := saslConnect(t, b.brokers, "SCRAM-SHA-512", name, "s3cret-pw")
				if err == nil {
					c.Close()
				}
				return err != nil
			})
			if err := admin.DeleteSCRAMUser(ctx, name, "SCRAM-SHA-512"); err == nil || !strings.Contains(err.Error(), "no SCRAM-SHA-512 credential") {
				t.Errorf("deleting again = %v", err)
			}
		})
	}
}

func containsUser(us []SCRAMUser, name string) bool {
	for _, u := range us {
		if u.Name == name {
			return true
		}
	}
	return false
}

// TestACLValidate: defaults filled, Kafka's spellings, and refusals in
// words for what an ACL cannot be.
func TestACLValidate(t *testing.T) {
	a := ACL{Principal: "User:alice", Operation: "describe-configs", ResourceType: "transactional_id", ResourceName: "tx"}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if a != (ACL{Principal: "User:alice", Host: "*", Operation: "DescribeConfigs", Permission: "Allow", ResourceType: "TransactionalId", ResourceName: "tx", PatternType: "Literal"}) {
		t.Errorf("validated %+v", a)
	}
	for _, bad := range []struct {
		acl  ACL
		want string
	}{
		{ACL{Principal: "alice", Operation: "Read", ResourceType: "Topic", ResourceName: "t"}, "TYPE:NAME"},
		{ACL{Principal: "User:a", Operation: "Reed", ResourceType: "Topic", ResourceName: "t"}, `unknown operation "Reed"`},
		{ACL{Principal: "User:a", Operation: "Any", ResourceType: "Topic", ResourceName: "t"}, "Any only filters"},
		{ACL{Principal: "User:a", Operation: "Read", ResourceType: "Topic"}, "a topic name is required"},
		{ACL{Principal: "User:a", Operation: "Read", ResourceType: "Topic", ResourceName: "t", PatternType: "match"}, "literal or prefixed"},
		{ACL{Principal: "User:a", Operation: "Alter", ResourceType: "Cluster", ResourceName: "other"}, "kafka-cluster"},
	} {
		if err := bad.acl.Validate(); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: %v, want %q", bad.acl, err, bad.want)
		}
	}
	c := ACL{Principal: "User:a", Operation: "Alter", ResourceType: "cluster"}
	if err := c.Validate(); err != nil || c.ResourceName != ClusterResourceName {
		t.Errorf("cluster ACL = %+v, %v", c, err)
	}
	acls, err := ACLSpec{AllowPrincipals: []string{"User:a", "User:b"}, DenyPrincipals: []string{"User:c"}, DenyHosts: []string{"10.0.0.1"},
		Operations: []string{"Read", "Write"}, Topics: []string{"t"}, Groups: []string{"g"}, PatternType: "prefixed"}.ACLs()
	if err != nil || len(acls) != 12 || acls[11].Permission != "Deny" || acls[11].Host != "10.0.0.1" || acls[0].PatternType != "Prefixed" {
		t.Errorf("spec expanded to %d ACLs: %+v, %v", len(acls), acls, err)
	}
	if _, err := (ACLSpec{AllowPrincipals: []string{"User:a"}, Operations: []string{"Read"}}).ACLs(); err == nil || !strings.Contains(err.Error(), "--topic") {
		t.Errorf("spec without a resource = %v", err)
	}
}

// TestAuthorizationErrorWords: each of Kafka's authorization codes becomes
// the operation, resource and principal in words with the ACL to ask for;
// the principal is unknown (and said so) without a SASL user name.
func TestAuthorizationErrorWords(t *testing.T) {
	c := &Client{cfg: ConnConfig{SASL: &config.SASL{Mechanism: "SCRAM-SHA-512", Username: "alice"}}}
	for _, tc := range []struct {
		err            error
		op, typ, name  string
		want           string
		wantIsKafkaErr error
	}{
		{kerr.TopicAuthorizationFailed, "Describe", "Topic", "orders",
			`not authorized: Describe on topic "orders" for User:alice (Kafka: TOPIC_AUTHORIZATION_FAILED); ask for an ACL such as kflow acl create --allow-principal User:alice --operation Describe --topic orders`, kerr.TopicAuthorizationFailed},
		{kerr.GroupAuthorizationFailed, "Describe", "Group", "billing",
			`Describe on group "billing" for User:alice (Kafka: GROUP_AUTHORIZATION_FAILED); ask for an ACL such as kflow acl create --allow-principal User:alice --operation Describe --group billing`, kerr.GroupAuthorizationFailed},
		{kerr.ClusterAuthorizationFailed, "Describe", "Topic", "orders",
			`Describe on cluster (kafka-cluster) for User:alice (Kafka: CLUSTER_AUTHORIZATION_FAILED); ask for an ACL such as kflow acl create --allow-principal User:alice --operation Describe --cluster`, kerr.ClusterAuthorizationFailed},
		{kerr.TransactionalIDAuthorizationFailed, "Write", "TransactionalId", "tx 1",
			`Write on transactional id "tx 1" for User:alice (Kafka: TRANSACTIONAL_ID_AUTHORIZATION_FAILED); ask for an ACL such as kflow acl create --allow-principal User:alice --operation Write --transactional-id 'tx 1'`, kerr.TransactionalIDAuthorizationFailed},
		{kerr.DelegationTokenAuthorizationFailed, "Describe", "DelegationToken", "tok",
			`(Kafka: DELEGATION_TOKEN_AUTHORIZATION_FAILED)`, kerr.DelegationTokenAuthorizationFailed},
	} {
		err := c.explainAuth(errors.Join(errors.New("wrapped"), tc.err), tc.op, tc.typ, tc.name)
		if !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.wantIsKafkaErr) {
			t.Errorf("%v: %q, want %q", tc.err, err, tc.want)
		}
	}
	anon := &Client{}
	err := anon.explainAuth(kerr.TopicAuthorizationFailed, "Read", "Topic", "t")
	if !strings.Contains(err.Error(), "for this connection's principal") || !strings.Contains(err.Error(), "--allow-principal User:NAME") {
		t.Errorf("without a user name: %q", err)
	}
	if err := anon.explainAuth(kerr.UnknownTopicOrPartition, "Read", "Topic", "t"); !errors.Is(err, kerr.UnknownTopicOrPartition) {
		t.Errorf("another error came back as %v", err)
	}
}
