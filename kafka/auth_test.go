package kafka

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
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
	"go.yaml.in/yaml/v3"
)

func TestSecretFromEnv(t *testing.T) {
	ctx := context.Background()
	t.Setenv("KFLOW_TEST_SECRET", "s3cret")
	if v, err := (Secret{Env: "KFLOW_TEST_SECRET"}).Resolve(ctx); err != nil || v != "s3cret" {
		t.Errorf("Resolve = %q, %v; want s3cret", v, err)
	}

	t.Setenv("KFLOW_TEST_EMPTY", "")
	_, err := (Secret{Env: "KFLOW_TEST_EMPTY"}).Resolve(ctx)
	if err == nil || !strings.Contains(err.Error(), "environment variable KFLOW_TEST_EMPTY is empty") {
		t.Errorf("empty variable: %v", err)
	}
	_, err = (Secret{Env: "KFLOW_TEST_UNSET_VARIABLE"}).Resolve(ctx)
	if err == nil || !strings.Contains(err.Error(), "environment variable KFLOW_TEST_UNSET_VARIABLE is not set") {
		t.Errorf("unset variable: %v", err)
	}
	if _, err := (Secret{}).Resolve(ctx); err == nil {
		t.Error("a zero Secret resolved")
	}
}

func TestSecretFromCommand(t *testing.T) {
	ctx := context.Background()
	for cmd, want := range map[string]string{
		`printf 'hunter2\n'`:           "hunter2",
		`printf 'no-newline'`:          "no-newline",
		`printf ' spaced \r\n'`:        " spaced ", // only the line ending is trimmed
		`printf 'two\nlines\n'`:        "two\nlines",
		`echo "$KFLOW_TEST_VIA_SHELL"`: "from-shell",
	} {
		t.Setenv("KFLOW_TEST_VIA_SHELL", "from-shell")
		if v, err := (Secret{Command: cmd}).Resolve(ctx); err != nil || v != want {
			t.Errorf("command %q: %q, %v; want %q", cmd, v, err, want)
		}
	}

	// A command that prints the secret, on either stream, and then fails:
	// the error says how it ended, never what it printed.
	// (The value comes from the environment so that the command's own
	// text, which errors name, does not hold it.)
	t.Setenv("KFLOW_TEST_LEAK", "hunter2-on-stderr")
	_, err := (Secret{Command: `printf 'leak%s\n' ed-stdout; echo "$KFLOW_TEST_LEAK" >&2; exit 3`}).Resolve(ctx)
	if err == nil {
		t.Fatal("a failing command resolved")
	}
	for _, want := range []string{"exit status 3", "secret command", "output is not shown"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("failing command error %q lacks %q", err, want)
		}
	}
	for _, leak := range []string{"leaked-stdout", "hunter2-on-stderr"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("failing command error shows its output %q: %q", leak, err)
		}
	}

	if _, err := (Secret{Command: `true`}).Resolve(ctx); err == nil || !strings.Contains(err.Error(), "printed nothing") {
		t.Errorf("silent command: %v", err)
	}

	// The context bounds the command.
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = (Secret{Command: `sleep 30`}).Resolve(short)
	if err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Errorf("slow command: %v; want a deadline error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("slow command took %v to be stopped", d)
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	const value = "hunter2-do-not-print"
	lit := literalSecret(value)
	sasl := SASLConfig{Mechanism: "PLAIN", Username: "u", Password: lit, Token: Secret{Env: "PROD_KAFKA_PASSWORD"}}
	conn := ConnConfig{Brokers: []string{"h:1"}, SASL: &sasl}

	if got := fmt.Sprint(Secret{Env: "PROD_KAFKA_PASSWORD"}); got != "env:PROD_KAFKA_PASSWORD" {
		t.Errorf("env secret prints as %q", got)
	}
	if got := fmt.Sprint(Secret{Command: "pass show kafka/prod"}); got != "command:pass show kafka/prod" {
		t.Errorf("command secret prints as %q", got)
	}

	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		for _, x := range []any{lit, &lit, sasl, &sasl, conn, &conn} {
			outs = append(outs, verb+" "+fmt.Sprintf(verb, x))
		}
	}
	js, err := json.Marshal(conn)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, "json "+string(js))
	ys, err := yaml.Marshal(sasl)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, "yaml "+string(ys))
	for _, o := range outs {
		if strings.Contains(o, value) || strings.Contains(strings.ToLower(o), hex.EncodeToString([]byte(value))) {
			t.Errorf("secret value printed: %s", o)
		}
	}
	if !strings.Contains(string(js), `"password":"kaf-config"`) || !strings.Contains(string(js), `"token":"env:PROD_KAFKA_PASSWORD"`) {
		t.Errorf("json shows no source of the secrets: %s", js)
	}
	if s := fmt.Sprintf("%+v", sasl); !strings.Contains(s, "Token:env:PROD_KAFKA_PASSWORD") {
		t.Errorf("%%+v hides where the secret comes from: %s", s)
	}
}

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
		{"missing CA file", ConnConfig{TLS: &TLSConfig{CAFile: filepath.Join(dir, "absent.pem")}}, filepath.Join(dir, "absent.pem")},
		{"CA file without PEM", ConnConfig{TLS: &TLSConfig{CAFile: notPEM}}, `ca_file "` + notPEM + `": no PEM certificate`},
		{"cert without key", ConnConfig{TLS: &TLSConfig{CertFile: cert}}, "must be given together"},
		{"key of another cert", ConnConfig{TLS: &TLSConfig{CertFile: otherCert, KeyFile: key}}, otherCert},
		{"unknown mechanism", ConnConfig{SASL: &SASLConfig{Mechanism: "GSSAPI"}}, `"GSSAPI" is not one of PLAIN`},
		{"PLAIN without username", ConnConfig{SASL: &SASLConfig{Mechanism: "PLAIN", Password: Secret{Env: "X"}}}, "username is required"},
		{"password variable unset", ConnConfig{SASL: &SASLConfig{Mechanism: "SCRAM-SHA-256", Username: "u", Password: Secret{Env: "KFLOW_TEST_UNSET_PW"}}},
			"sasl SCRAM-SHA-256 password: secret: environment variable KFLOW_TEST_UNSET_PW is not set"},
		{"OAUTHBEARER token command fails", ConnConfig{SASL: &SASLConfig{Mechanism: "OAUTHBEARER", Token: Secret{Command: "echo expired >&2; exit 1"}}}, "exit status 1"},
		{"AWS without keys", ConnConfig{SASL: &SASLConfig{Mechanism: "AWS_MSK_IAM"}}, "set AWS_ACCESS_KEY_ID in the environment"},
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
	if opts, err := securityOpts(ctx, ConnConfig{SASL: &SASLConfig{Mechanism: "AWS_MSK_IAM"}}); err != nil || len(opts) == 0 {
		t.Errorf("AWS keys from the environment: %d opts, %v", len(opts), err)
	}
	if opts, err := securityOpts(ctx, ConnConfig{TLS: &TLSConfig{CAFile: ca.file(t, dir), CertFile: cert, KeyFile: key}}); err != nil || len(opts) != 1 {
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
				SASL: &SASLConfig{Mechanism: mech, Username: "u", Password: Secret{Env: envVar}}}
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

			cfg.SASL.Password = Secret{Command: "echo not-the-password-x9"}
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
	f, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Context("")
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	c, err := Connect(ctx, cfg)
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

	c, err := Connect(ctx, ConnConfig{Brokers: fake.ListenAddrs(), Timeout: 5 * time.Second, TLS: &TLSConfig{CAFile: ca.file(t, dir)}})
	if err != nil {
		t.Fatalf("connect over TLS: %v", err)
	}
	defer c.Close()
	if _, err := c.Cluster(ctx); err != nil {
		t.Errorf("Cluster over TLS: %v", err)
	}

	start := time.Now()
	wrong := newTestCA(t).file(t, filepath.Join(dir, "other"))
	c2, err := Connect(ctx, ConnConfig{Brokers: fake.ListenAddrs(), Timeout: 5 * time.Second, TLS: &TLSConfig{CAFile: wrong}})
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
		TLS: &TLSConfig{CAFile: ca.file(t, dir), CertFile: cert, KeyFile: key}})
	if err != nil {
		t.Fatalf("connect with a client certificate: %v", err)
	}
	defer c.Close()
	if _, err := c.Cluster(ctx); err != nil {
		t.Errorf("Cluster over mutual TLS: %v", err)
	}

	c2, err := Connect(ctx, ConnConfig{Brokers: fake.ListenAddrs(), Timeout: 3 * time.Second, TLS: &TLSConfig{CAFile: ca.file(t, dir)}})
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
