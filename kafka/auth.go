package kafka

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/aws"
	"github.com/twmb/franz-go/pkg/sasl/oauth"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"kflow/config"
)

// securityOpts turns TLS and SASL settings into franz-go options. Secrets
// are resolved here, once per Connect, bounded by ctx.
func securityOpts(ctx context.Context, cfg ConnConfig) ([]kgo.Opt, error) {
	var opts []kgo.Opt
	if cfg.TLS != nil {
		tc, err := tlsClientConfig(*cfg.TLS)
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}
	if cfg.SASL != nil {
		m, err := saslMechanism(ctx, *cfg.SASL, cfg.timeout(), cfg.now)
		if err != nil {
			return nil, err
		}
		w := &authWatch{mech: m, user: cfg.SASL.Username}
		opts = append(opts, kgo.SASL(w), kgo.WithHooks(w))
	}
	return opts, nil
}

// tlsClientConfig loads the CA bundle and client certificate named by c.
func tlsClientConfig(c config.TLS) (*tls.Config, error) {
	tc := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         c.ServerName,
		InsecureSkipVerify: c.InsecureSkipVerify, //nolint:gosec // the user asked for it, for test clusters
	}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("tls ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls ca_file %q: no PEM certificate found in it", c.CAFile)
		}
		tc.RootCAs = pool
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		return nil, fmt.Errorf("tls: cert_file %q and key_file %q must be given together", c.CertFile, c.KeyFile)
	}
	if c.CertFile != "" {
		pair, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("tls client certificate %q with key %q: %w", c.CertFile, c.KeyFile, err)
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	return tc, nil
}

// saslMechanism resolves the secrets of s and builds its franz-go
// mechanism. The callbacks hand back what was resolved here, so a
// reconnect does not rerun a password command. OAUTHBEARER with client
// credentials fetches its first token here, within timeout, so that a
// token endpoint's refusal fails Connect with its own words; now is the
// clock of the token's expiry (nil: time.Now).
func saslMechanism(ctx context.Context, s config.SASL, timeout time.Duration, now func() time.Time) (sasl.Mechanism, error) {
	mech := strings.ToUpper(strings.TrimSpace(s.Mechanism))
	secret := func(what string, sec config.Secret) (string, error) {
		v, err := sec.Resolve(ctx)
		if err != nil {
			return "", fmt.Errorf("sasl %s %s: %w", mech, what, err)
		}
		return v, nil
	}
	switch mech {
	case config.MechPlain, config.MechScramSHA256, config.MechScramSHA512:
		if s.Username == "" {
			return nil, fmt.Errorf("sasl %s: username is required", mech)
		}
		pass, err := secret("password", s.Password)
		if err != nil {
			return nil, err
		}
		switch mech {
		case config.MechPlain:
			a := plain.Auth{User: s.Username, Pass: pass}
			return plain.Plain(func(context.Context) (plain.Auth, error) { return a, nil }), nil
		case config.MechScramSHA256:
			a := scram.Auth{User: s.Username, Pass: pass}
			return scram.Sha256(func(context.Context) (scram.Auth, error) { return a, nil }), nil
		default:
			a := scram.Auth{User: s.Username, Pass: pass}
			return scram.Sha512(func(context.Context) (scram.Auth, error) { return a, nil }), nil
		}
	case config.MechOAuthBearer:
		if s.ClientCredentials != nil {
			src, err := newOAuthSource(ctx, *s.ClientCredentials, s.Extensions, timeout, now)
			if err != nil {
				return nil, err
			}
			if _, err := src.auth(ctx); err != nil {
				return nil, err
			}
			return oauth.Oauth(src.auth), nil
		}
		tok, err := secret("token", s.Token)
		if err != nil {
			return nil, err
		}
		a := oauth.Auth{Token: tok, Extensions: s.Extensions}
		return oauth.Oauth(func(context.Context) (oauth.Auth, error) { return a, nil }), nil
	case config.MechAWSMSKIAM:
		a, err := awsAuth(ctx, s)
		if err != nil {
			return nil, err
		}
		return aws.ManagedStreamingIAM(func(context.Context) (aws.Auth, error) { return a, nil }), nil
	}
	return nil, fmt.Errorf("sasl mechanism %q is not one of %s", s.Mechanism, strings.Join(config.Mechanisms(), ", "))
}

// awsAuth takes the MSK IAM keys from the secrets given, else from the
// standard AWS environment variables (no AWS SDK: no profiles or roles).
func awsAuth(ctx context.Context, s config.SASL) (aws.Auth, error) {
	get := func(what string, sec config.Secret, env string, required bool) (string, error) {
		if !sec.IsZero() {
			v, err := sec.Resolve(ctx)
			if err != nil {
				return "", fmt.Errorf("sasl AWS_MSK_IAM %s: %w", what, err)
			}
			return v, nil
		}
		v := os.Getenv(env)
		if v == "" && required {
			return "", fmt.Errorf("sasl AWS_MSK_IAM: no %s: set %s in the environment or %s in the context", what, env, what)
		}
		return v, nil
	}
	ak, err := get("access_key", s.AccessKey, "AWS_ACCESS_KEY_ID", true)
	if err != nil {
		return aws.Auth{}, err
	}
	sk, err := get("secret_key", s.SecretKey, "AWS_SECRET_ACCESS_KEY", true)
	if err != nil {
		return aws.Auth{}, err
	}
	st, err := get("session_token", s.SessionToken, "AWS_SESSION_TOKEN", false)
	if err != nil {
		return aws.Auth{}, err
	}
	return aws.Auth{AccessKey: ak, SecretKey: sk, SessionToken: st}, nil
}

// authWatch wraps a SASL mechanism to notice brokers that reject
// credentials by hanging up mid-authentication (kfake, brokers speaking
// the pre-KIP-152 flow, some proxies) instead of answering
// SASL_AUTHENTICATION_FAILED. franz-go retries such an EOF until its
// timeout and then reports only "EOF"; after the second hang-up in a row
// the next attempt fails at once, saying authentication failed.
type authWatch struct {
	mech sasl.Mechanism
	user string

	mu      sync.Mutex
	hangups int // consecutive hang-ups during SASLAuthenticate
}

// authHangupsBeforeFailing is how many hang-ups in a row are taken to mean
// rejected credentials rather than a flaky network.
const authHangupsBeforeFailing = 2

// Name is the wrapped mechanism's.
func (w *authWatch) Name() string { return w.mech.Name() }

// Authenticate starts a session of the wrapped mechanism, or fails when the
// broker keeps hanging up on this one's credentials.
func (w *authWatch) Authenticate(ctx context.Context, host string) (sasl.Session, []byte, error) {
	w.mu.Lock()
	n := w.hangups
	if n >= authHangupsBeforeFailing {
		w.hangups = 0 // let a later attempt try again
	}
	w.mu.Unlock()
	if n >= authHangupsBeforeFailing {
		return nil, nil, &SecurityError{
			Addr:  host,
			Cause: "authentication failed (" + saslWho(&config.SASL{Mechanism: w.mech.Name(), Username: w.user}) + ")",
			Hint: fmt.Sprintf("the broker closed the connection during authentication %d times in a row "+
				"(wrong username or password, a mechanism the broker does not enable, or a listener that does not speak SASL: "+
				"check the port and the listener's security.protocol?)", n),
		}
	}
	s, first, err := w.mech.Authenticate(ctx, host)
	if err != nil {
		return nil, nil, err
	}
	return &watchedSession{Session: s, w: w}, first, nil
}

// OnBrokerRead implements kgo.HookBrokerRead, counting hang-ups during
// SASLAuthenticate.
func (w *authWatch) OnBrokerRead(_ kgo.BrokerMetadata, key int16, _ int, _, _ time.Duration, err error) {
	if key != int16(kmsg.SASLAuthenticate) || err == nil {
		return
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) {
		w.mu.Lock()
		w.hangups++
		w.mu.Unlock()
	}
}

// watchedSession clears the hang-up count when authentication completes.
type watchedSession struct {
	sasl.Session
	w *authWatch
}

// Challenge is the wrapped session's, noting success.
func (s *watchedSession) Challenge(resp []byte) (bool, []byte, error) {
	done, out, err := s.Session.Challenge(resp)
	if err != nil && len(resp) > 0 && s.w.mech.Name() == config.MechOAuthBearer {
		// The broker answered the token with its error JSON, which
		// franz-go reports only as "unexpected data".
		return false, nil, oauthRejection(resp)
	}
	if done && err == nil {
		s.w.mu.Lock()
		s.w.hangups = 0
		s.w.mu.Unlock()
	}
	return done, out, err
}
