package kafka

import (
	"strings"
	"testing"
	"time"

	"kflow/config"
	"kflow/internal/securetest"
)

// TestSecureListenersConnect connects to each secure listener of the real
// broker (scripts/kafka/start.sh) with each mechanism it serves, secrets
// from the environment and from a command, and lists the topics through it.
func TestSecureListenersConnect(t *testing.T) {
	e := securetest.Get(t)
	t.Setenv("KFLOW_TEST_SECURE_PW", e.Password)
	t.Setenv("KFLOW_TEST_SECURE_JWT", securetest.UnsecuredJWT(e.User, time.Now(), time.Now().Add(time.Hour), ""))
	env := config.Secret{Env: "KFLOW_TEST_SECURE_PW"}
	cmd := config.Secret{Command: `printf '%s\n' "$KFLOW_TEST_SECURE_PW"`}
	ca := &config.TLS{CAFile: e.CA}
	for _, tc := range []struct {
		name string
		cfg  ConnConfig
	}{
		{"SASL_PLAINTEXT PLAIN", ConnConfig{Brokers: []string{e.SASL}, SASL: &config.SASL{Mechanism: "PLAIN", Username: e.User, Password: env}}},
		{"SASL_PLAINTEXT SCRAM-SHA-256", ConnConfig{Brokers: []string{e.SASL}, SASL: &config.SASL{Mechanism: "SCRAM-SHA-256", Username: e.User, Password: cmd}}},
		{"SASL_PLAINTEXT SCRAM-SHA-512", ConnConfig{Brokers: []string{e.SASL}, SASL: &config.SASL{Mechanism: "SCRAM-SHA-512", Username: e.User, Password: env}}},
		{"SASL_PLAINTEXT OAUTHBEARER token", ConnConfig{Brokers: []string{e.SASL}, SASL: &config.SASL{Mechanism: "OAUTHBEARER", Token: config.Secret{Env: "KFLOW_TEST_SECURE_JWT"}}}},
		{"SASL_PLAINTEXT OAUTHBEARER token command", ConnConfig{Brokers: []string{e.SASL}, SASL: &config.SASL{Mechanism: "OAUTHBEARER", Token: config.Secret{Command: `echo "$KFLOW_TEST_SECURE_JWT"`}}}},
		{"SSL", ConnConfig{Brokers: []string{e.TLS}, TLS: ca}},
		{"SSL server_name localhost", ConnConfig{Brokers: []string{e.TLS}, TLS: &config.TLS{CAFile: e.CA, ServerName: "localhost"}}},
		{"SSL mutual TLS", ConnConfig{Brokers: []string{e.MTLS}, TLS: &config.TLS{CAFile: e.CA, CertFile: e.ClientCert, KeyFile: e.ClientKey}}},
		{"SASL_SSL SCRAM-SHA-512", ConnConfig{Brokers: []string{e.SASLSSL}, TLS: ca, SASL: &config.SASL{Mechanism: "SCRAM-SHA-512", Username: e.User, Password: cmd}}},
		{"SASL_SSL SCRAM-SHA-256", ConnConfig{Brokers: []string{e.SASLSSL}, TLS: ca, SASL: &config.SASL{Mechanism: "SCRAM-SHA-256", Username: e.User, Password: env}}},
		{"SASL_SSL PLAIN", ConnConfig{Brokers: []string{e.SASLSSL}, TLS: ca, SASL: &config.SASL{Mechanism: "PLAIN", Username: e.User, Password: env}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			tc.cfg.Timeout = 10 * time.Second
			c, err := Connect(ctx, tc.cfg)
			if err != nil {
				t.Fatalf("connect: %v", err)
			}
			defer c.Close()
			if _, err := c.ListTopics(ctx); err != nil {
				t.Fatalf("list topics: %v", err)
			}
			info, err := c.Cluster(ctx)
			if err != nil {
				t.Fatalf("cluster: %v", err)
			}
			// Every broker is reached through the listener dialled.
			for _, b := range info.Brokers {
				if b.Addr() != tc.cfg.Brokers[0] {
					t.Errorf("broker %d at %s, want the listener %s", b.ID, b.Addr(), tc.cfg.Brokers[0])
				}
			}
		})
	}
}

// TestSecureListenerErrors: each way a secure connection is refused fails
// Connect well within the timeout, naming the listener and the cause in
// words, never the password.
func TestSecureListenerErrors(t *testing.T) {
	e := securetest.Get(t)
	const wrong = "kflow-wrong-pw-7f3a9c"
	t.Setenv("KFLOW_TEST_WRONG_PW", wrong)
	t.Setenv("KFLOW_TEST_SECURE_PW", e.Password)
	bad := config.Secret{Env: "KFLOW_TEST_WRONG_PW"}
	good := config.Secret{Env: "KFLOW_TEST_SECURE_PW"}
	ca := &config.TLS{CAFile: e.CA}
	expired := securetest.UnsecuredJWT(e.User, time.Now().Add(-2*time.Hour), time.Now().Add(-time.Hour), "")
	t.Setenv("KFLOW_TEST_EXPIRED_JWT", expired)
	for _, tc := range []struct {
		name string
		cfg  ConnConfig
		want []string
	}{
		{"wrong SCRAM-SHA-256 password", ConnConfig{Brokers: []string{e.SASL}, SASL: &config.SASL{Mechanism: "SCRAM-SHA-256", Username: e.User, Password: bad}},
			[]string{"authentication failed (SASL SCRAM-SHA-256, user " + e.User + ")", "wrong username or password"}},
		{"wrong PLAIN password over TLS", ConnConfig{Brokers: []string{e.SASLSSL}, TLS: ca, SASL: &config.SASL{Mechanism: "PLAIN", Username: e.User, Password: bad}},
			[]string{"authentication failed (SASL PLAIN, user " + e.User + ")"}},
		{"unknown SCRAM-SHA-512 user", ConnConfig{Brokers: []string{e.SASL}, SASL: &config.SASL{Mechanism: "SCRAM-SHA-512", Username: "nobody-here", Password: good}},
			[]string{"authentication failed (SASL SCRAM-SHA-512, user nobody-here)"}},
		{"expired OAUTHBEARER token", ConnConfig{Brokers: []string{e.SASL}, SASL: &config.SASL{Mechanism: "OAUTHBEARER", Token: config.Secret{Env: "KFLOW_TEST_EXPIRED_JWT"}}},
			[]string{"authentication failed (SASL OAUTHBEARER)", "refused the token", "invalid_token"}},
		{"mechanism the listener does not enable", ConnConfig{Brokers: []string{e.SASLSSL}, TLS: ca, SASL: &config.SASL{Mechanism: "OAUTHBEARER", Token: config.Secret{Env: "KFLOW_TEST_EXPIRED_JWT"}}},
			[]string{"authentication failed (SASL OAUTHBEARER)", "does not enable this mechanism"}},
		{"unknown CA", ConnConfig{Brokers: []string{e.TLS}, TLS: &config.TLS{}},
			[]string{"certificate signed by unknown authority", "tls.ca_file"}},
		{"wrong host", ConnConfig{Brokers: []string{e.TLS}, TLS: &config.TLS{CAFile: e.CA, ServerName: "kafka.example.com"}},
			[]string{"certificate is for localhost, 127.0.0.1, not kafka.example.com", "tls.server_name"}},
		{"expired certificate", ConnConfig{Brokers: []string{e.TLSExpired}, TLS: ca},
			[]string{"certificate expired on 2020-01-02 00:00:00 UTC"}},
		{"mutual TLS without a client certificate", ConnConfig{Brokers: []string{e.MTLS}, TLS: ca},
			[]string{"refused the connection without a client certificate", "tls.cert_file"}},
		{"TLS listener without tls", ConnConfig{Brokers: []string{e.SASLSSL}, SASL: &config.SASL{Mechanism: "PLAIN", Username: e.User, Password: good}},
			[]string{"the listener speaks TLS and this context does not"}},
		{"tls on a SASL_PLAINTEXT listener", ConnConfig{Brokers: []string{e.SASL}, TLS: ca, SASL: &config.SASL{Mechanism: "PLAIN", Username: e.User, Password: good}},
			[]string{"does not speak TLS"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			tc.cfg.Timeout = 5 * time.Second
			start := time.Now()
			c, err := Connect(ctx, tc.cfg)
			if err == nil {
				c.Close()
				t.Fatal("connected")
			}
			if d := time.Since(start); d > tc.cfg.Timeout {
				t.Errorf("took %v to fail, more than the %v timeout", d, tc.cfg.Timeout)
			}
			msg := err.Error()
			for _, want := range append([]string{"cannot connect to " + tc.cfg.Brokers[0] + ": "}, tc.want...) {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%s", want, msg)
				}
			}
			for _, secret := range []string{wrong, e.Password, expired} {
				if strings.Contains(msg, secret) {
					t.Errorf("error holds a secret: %s", msg)
				}
			}
		})
	}
}

// TestSecureTailThroughSASLSSL produces and tails through SASL_SSL: the
// consumer's own connections (a client of their own) authenticate too.
func TestSecureTailThroughSASLSSL(t *testing.T) {
	e := securetest.Get(t)
	t.Setenv("KFLOW_TEST_SECURE_PW", e.Password)
	ctx := testCtx(t)
	c, err := Connect(ctx, ConnConfig{Brokers: []string{e.SASLSSL}, Timeout: 10 * time.Second, TLS: &config.TLS{CAFile: e.CA},
		SASL: &config.SASL{Mechanism: "SCRAM-SHA-512", Username: e.User, Password: config.Secret{Env: "KFLOW_TEST_SECURE_PW"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	topic := uniqueTopic(t)
	mustCreate(t, c, topic, 1, nil)
	if _, err := c.Produce(ctx, Record{Topic: topic, Partition: -1, Value: []byte("over sasl_ssl")}); err != nil {
		t.Fatalf("produce: %v", err)
	}
	recs := drain(t, c, TailOptions{Topic: topic, Start: Start{Kind: StartBeginning}})
	if len(recs) != 1 || string(recs[0].Value) != "over sasl_ssl" {
		t.Fatalf("tailed %+v", recs)
	}
}

// TestSecureBrokerEnforcesACLs: the test broker runs the StandardAuthorizer
// with no ACLs for KFLOW_TEST_SASL_USER2, which authenticates but may see
// and do nothing, while the super user sees the same topic.
func TestSecureBrokerEnforcesACLs(t *testing.T) {
	e := securetest.Get(t)
	t.Setenv("KFLOW_TEST_SECURE_PW", e.Password)
	t.Setenv("KFLOW_TEST_SECURE_PW2", e.Password2)
	ctx := testCtx(t)
	admin, err := Connect(ctx, ConnConfig{Brokers: []string{e.SASL}, Timeout: 10 * time.Second,
		SASL: &config.SASL{Mechanism: "SCRAM-SHA-256", Username: e.User, Password: config.Secret{Env: "KFLOW_TEST_SECURE_PW"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	topic := uniqueTopic(t)
	mustCreate(t, admin, topic, 1, nil)

	user, err := Connect(ctx, ConnConfig{Brokers: []string{e.SASLSSL}, Timeout: 10 * time.Second, TLS: &config.TLS{CAFile: e.CA},
		SASL: &config.SASL{Mechanism: "SCRAM-SHA-512", Username: e.User2, Password: config.Secret{Env: "KFLOW_TEST_SECURE_PW2"}}})
	if err != nil {
		t.Fatalf("the ordinary user does not authenticate: %v", err)
	}
	defer user.Close()
	ts, err := user.ListTopics(ctx)
	if err != nil {
		t.Fatalf("list topics as %s: %v", e.User2, err)
	}
	for _, s := range ts {
		if s.Name == topic {
			t.Errorf("%s, with no ACLs, sees topic %s", e.User2, topic)
		}
	}
	if err := user.CreateTopic(ctx, TopicSpec{Name: uniqueTopic(t), Partitions: 1, ReplicationFactor: 1}); err == nil ||
		!strings.Contains(strings.ToLower(err.Error()), "authoriz") {
		t.Errorf("create topic as %s with no ACLs = %v, want an authorization error", e.User2, err)
	}
}
