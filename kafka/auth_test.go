package kafka

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"kflow/config"
)

func TestSecurityOptsErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notPEM := writeFile(t, filepath.Join(dir, "not.pem"), "hello")
	ca := newTestCA(t)
	cert, key := ca.issueFiles(t, dir, "client", false)
	otherCert, _ := newTestCA(t).issueFiles(t, dir, "other", false)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")

	for _, tc := range []struct {
		name string
		cfg  ConnConfig
		want string
	}{
		{"missing CA file", ConnConfig{TLS: &config.TLS{CAFile: filepath.Join(dir, "absent.pem")}}, filepath.Join(dir, "absent.pem")},
		{"CA file without PEM", ConnConfig{TLS: &config.TLS{CAFile: notPEM}}, `ca_file "` + notPEM + `": no PEM certificate`},
		{"cert without key", ConnConfig{TLS: &config.TLS{CertFile: cert}}, "must be given together"},
		{"key of another cert", ConnConfig{TLS: &config.TLS{CertFile: otherCert, KeyFile: key}}, otherCert},
		{"unknown mechanism", ConnConfig{SASL: &config.SASL{Mechanism: "GSSAPI"}}, `"GSSAPI" is not one of PLAIN`},
		{"PLAIN without username", ConnConfig{SASL: &config.SASL{Mechanism: "PLAIN", Password: config.Secret{Env: "X"}}}, "username is required"},
		{"password variable unset", ConnConfig{SASL: &config.SASL{Mechanism: "SCRAM-SHA-256", Username: "u", Password: config.Secret{Env: "KFLOW_TEST_UNSET_PW"}}},
			"sasl SCRAM-SHA-256 password: secret: environment variable KFLOW_TEST_UNSET_PW is not set"},
		{"OAUTHBEARER token command fails", ConnConfig{SASL: &config.SASL{Mechanism: "OAUTHBEARER", Token: config.Secret{Command: "echo expired >&2; exit 1"}}}, "exit status 1"},
		{"AWS without keys", ConnConfig{SASL: &config.SASL{Mechanism: "AWS_MSK_IAM"}}, "set AWS_ACCESS_KEY_ID in the environment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, err := securityOpts(ctx, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("securityOpts = %d opts, %v; want an error containing %q", len(opts), err, tc.want)
			}
		})
	}

	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "example-secret")
	if opts, err := securityOpts(ctx, ConnConfig{SASL: &config.SASL{Mechanism: "AWS_MSK_IAM"}}); err != nil || len(opts) == 0 {
		t.Errorf("AWS keys from the environment: %d opts, %v", len(opts), err)
	}
	if opts, err := securityOpts(ctx, ConnConfig{TLS: &config.TLS{CAFile: ca.file(t, dir), CertFile: cert, KeyFile: key}}); err != nil || len(opts) != 1 {
		t.Errorf("valid TLS files: %d opts, %v", len(opts), err)
	}
}

// TestSASLConnect authenticates against kfake with each mechanism it
// serves: the right password connects and answers, a wrong one fails fast
// saying authentication failed.
func TestSASLConnect(t *testing.T) {
	for _, mech := range []string{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"} {
		t.Run(mech, func(t *testing.T) {
			fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0), kfake.EnableSASL(), kfake.Superuser(mech, "u", "p"))
			if err != nil {
				t.Fatalf("start kfake: %v", err)
			}
			t.Cleanup(fake.Close)
			envVar := "KFLOW_TEST_PW_" + strings.ReplaceAll(mech, "-", "_")
			t.Setenv(envVar, "p")

			ctx := testCtx(t)
			cfg := ConnConfig{Brokers: fake.ListenAddrs(), Timeout: 5 * time.Second,
				SASL: &config.SASL{Mechanism: mech, Username: "u", Password: config.Secret{Env: envVar}}}
			c, err := Connect(ctx, cfg)
			if err != nil {
				t.Fatalf("connect with the right password: %v", err)
			}
			defer c.Close()
			info, err := c.Cluster(ctx)
			if err != nil {
				t.Fatalf("Cluster over %s: %v", mech, err)
			}
			if len(info.Brokers) != 1 {
				t.Errorf("Cluster over %s: %d brokers, want 1", mech, len(info.Brokers))
			}

			cfg.SASL.Password = config.Secret{Command: "echo not-the-password-x9"}
			start := time.Now()
			c2, err := Connect(ctx, cfg)
			if err == nil {
				c2.Close()
				t.Fatal("connected with a wrong password")
			}
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("wrong password took %v to fail", d)
			}
			if !strings.Contains(strings.ToLower(err.Error()), "authentication failed") {
				t.Errorf("wrong password error %q does not say authentication failed", err)
			}
			if strings.Contains(err.Error(), "not-the-password-x9") {
				t.Errorf("error shows the password: %q", err)
			}
		})
	}
}

// TestConfigFileToSASLCluster goes from a config file through Context to a
// connection, the way the CLI does.
func TestConfigFileToSASLCluster(t *testing.T) {
	isolateHome(t)
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0), kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-512", "alice", "wonderland"))
	if err != nil {
		t.Fatalf("start kfake: %v", err)
	}
	t.Cleanup(fake.Close)
	path := writeFile(t, filepath.Join(t.TempDir(), "config.yaml"), fmt.Sprintf(`current-context: fake
contexts:
  fake:
    brokers: [%s]
    timeout: 5s
    read-only: true
    sasl:
      mechanism: SCRAM-SHA-512
      username: alice
      password: {command: "printf '%%s\n' \"$KFLOW_TEST_ALICE\""}
`, strings.Join(fake.ListenAddrs(), ", ")))
	t.Setenv("KFLOW_TEST_ALICE", "wonderland")
	f, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Context("")
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	c, err := Connect(ctx, ContextConn(cfg))
	if err != nil {
		t.Fatalf("connect from config: %v", err)
	}
	defer c.Close()
	if !c.ReadOnly() {
		t.Error("read-only context gave a writable client")
	}
	if _, err := c.Cluster(ctx); err != nil {
		t.Errorf("Cluster: %v", err)
	}
}

// TestTLSConnect serves kfake over TLS with a certificate from a CA made
// here: trusting that CA connects, trusting another fails naming the
// certificate.
func TestTLSConnect(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t)
	fake := tlsCluster(t, ca, tls.NoClientCert)
	ctx := testCtx(t)

	c, err := Connect(ctx, ConnConfig{Brokers: fake.ListenAddrs(), Timeout: 5 * time.Second, TLS: &config.TLS{CAFile: ca.file(t, dir)}})
	if err != nil {
		t.Fatalf("connect over TLS: %v", err)
	}
	defer c.Close()
	if _, err := c.Cluster(ctx); err != nil {
		t.Errorf("Cluster over TLS: %v", err)
	}

	start := time.Now()
	wrong := newTestCA(t).file(t, filepath.Join(dir, "other"))
	c2, err := Connect(ctx, ConnConfig{Brokers: fake.ListenAddrs(), Timeout: 5 * time.Second, TLS: &config.TLS{CAFile: wrong}})
	if err == nil {
		c2.Close()
		t.Fatal("connected trusting the wrong CA")
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("wrong CA took %v to fail", d)
	}
	if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("wrong CA error %q does not mention the certificate", err)
	}
}

// TestMutualTLSConnect has the broker require a client certificate: the
// configured cert_file and key_file are presented, and without them the
// connection fails.
func TestMutualTLSConnect(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t)
	fake := tlsCluster(t, ca, tls.RequireAndVerifyClientCert)
	cert, key := ca.issueFiles(t, dir, "client", false)
	ctx := testCtx(t)

	c, err := Connect(ctx, ConnConfig{Brokers: fake.ListenAddrs(), Timeout: 5 * time.Second,
		TLS: &config.TLS{CAFile: ca.file(t, dir), CertFile: cert, KeyFile: key}})
	if err != nil {
		t.Fatalf("connect with a client certificate: %v", err)
	}
	defer c.Close()
	if _, err := c.Cluster(ctx); err != nil {
		t.Errorf("Cluster over mutual TLS: %v", err)
	}

	c2, err := Connect(ctx, ConnConfig{Brokers: fake.ListenAddrs(), Timeout: 3 * time.Second, TLS: &config.TLS{CAFile: ca.file(t, dir)}})
	if err == nil {
		c2.Close()
		t.Fatal("connected without the client certificate the broker requires")
	}
	if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("missing client certificate error %q does not mention the certificate", err)
	}
}

// tlsCluster starts kfake serving a certificate of ca for localhost.
func tlsCluster(t *testing.T, ca testCA, clientAuth tls.ClientAuthType) *kfake.Cluster {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	fake, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(0), kfake.TLS(&tls.Config{
		Certificates: []tls.Certificate{ca.issue(t, "localhost", true)},
		ClientAuth:   clientAuth,
		ClientCAs:    pool,
		MinVersion:   tls.VersionTLS12,
	}))
	if err != nil {
		t.Fatalf("start kfake with TLS: %v", err)
	}
	t.Cleanup(fake.Close)
	return fake
}

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "kflow test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return testCA{cert: cert, key: key}
}

// file writes the CA certificate as PEM into dir.
func (ca testCA) file(t *testing.T, dir string) string {
	t.Helper()
	return writeFile(t, filepath.Join(dir, "ca.pem"), string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw})))
}

// issue signs a certificate for a server (localhost, 127.0.0.1, ::1) or a
// client.
func (ca testCA) issue(t *testing.T, cn string, server bool) tls.Certificate {
	t.Helper()
	certPEM, keyPEM := ca.issuePEM(t, cn, server)
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return pair
}

// issueFiles writes a client or server certificate and its key into dir.
func (ca testCA) issueFiles(t *testing.T, dir, cn string, server bool) (certFile, keyFile string) {
	t.Helper()
	certPEM, keyPEM := ca.issuePEM(t, cn, server)
	return writeFile(t, filepath.Join(dir, cn+".pem"), string(certPEM)), writeFile(t, filepath.Join(dir, cn+"-key.pem"), string(keyPEM))
}

func (ca testCA) issuePEM(t *testing.T, cn string, server bool) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}

// TestAWSMSKIAMFirstMessage: AWS MSK IAM cannot be served here (neither
// kfake nor Apache Kafka speak it), so this checks what kflow sends: the
// signed kafka-cluster:Connect request for the broker's host, with the
// access key in its credential scope and never the secret key.
func TestAWSMSKIAMFirstMessage(t *testing.T) {
	t.Setenv("KFLOW_TEST_AWS_SECRET", "aws-secret-key-never-sent-9d1")
	m, err := saslMechanism(context.Background(), config.SASL{Mechanism: "AWS_MSK_IAM",
		AccessKey: config.Secret{Command: "echo AKIAKFLOWTEST"}, SecretKey: config.Secret{Env: "KFLOW_TEST_AWS_SECRET"}}, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, first, err := m.Authenticate(context.Background(), "b-1.example.kafka.eu-west-1.amazonaws.com:9098")
	if err != nil {
		t.Fatal(err)
	}
	var msg map[string]string
	if err := json.Unmarshal(first, &msg); err != nil {
		t.Fatalf("first message is not JSON: %v\n%s", err, first)
	}
	if msg["action"] != "kafka-cluster:Connect" || msg["host"] != "b-1.example.kafka.eu-west-1.amazonaws.com" ||
		!strings.HasPrefix(msg["x-amz-credential"], "AKIAKFLOWTEST/") || !strings.Contains(msg["x-amz-credential"], "/eu-west-1/kafka-cluster/aws4_request") ||
		len(msg["x-amz-signature"]) != 64 {
		t.Errorf("first message = %s", first)
	}
	if strings.Contains(string(first), "aws-secret-key-never-sent-9d1") {
		t.Errorf("the secret key is sent: %s", first)
	}
}
