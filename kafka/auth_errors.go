package kafka

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"kflow/config"
)

// SecurityError is a connection that TLS or SASL refused: which listener,
// what failed in words ("authentication failed (SASL SCRAM-SHA-256, user
// alice)", "certificate signed by unknown authority"), and what to check,
// instead of the library's bare error. It never holds a secret.
type SecurityError struct {
	Addr  string // the listener dialled: the bootstrap addresses, comma separated
	Cause string // what failed, in words
	Hint  string // what to check; may be empty
	Err   error  // the library's error, for errors.Is and the details
}

// Error reads "cannot connect to ADDR: CAUSE: HINT (library error)".
func (e *SecurityError) Error() string {
	var b strings.Builder
	if e.Addr != "" {
		fmt.Fprintf(&b, "cannot connect to %s: ", e.Addr)
	}
	b.WriteString(e.Cause)
	if e.Hint != "" {
		b.WriteString(": ")
		b.WriteString(e.Hint)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, " (%v)", e.Err)
	}
	return b.String()
}

func (e *SecurityError) Unwrap() error { return e.Err }

// securityError words err when TLS or SASL refused the connection, naming
// addr, and returns nil for any other error.
func securityError(err error, cfg ConnConfig, addr string) *SecurityError {
	if err == nil {
		return nil
	}
	var se *SecurityError
	if errors.As(err, &se) {
		c := *se
		if c.Addr == "" {
			c.Addr = addr
		}
		return &c
	}
	cause, hint := describeSecurity(err, cfg)
	if cause == "" {
		return nil
	}
	return &SecurityError{Addr: addr, Cause: cause, Hint: hint, Err: err}
}

// saslWho is "SASL SCRAM-SHA-256, user alice" for messages.
func saslWho(s *config.SASL) string {
	if s == nil {
		return "SASL"
	}
	who := "SASL " + strings.ToUpper(strings.TrimSpace(s.Mechanism))
	if s.Username != "" {
		who += ", user " + s.Username
	}
	return who
}

// describeSecurity says what TLS or SASL failure err is, and what to check;
// "" when it is neither.
func describeSecurity(err error, cfg ConnConfig) (cause, hint string) {
	var (
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		firstEOF  *kgo.ErrFirstReadEOF
		opErr     *net.OpError
	)
	tlsCfg := cfg.TLS
	switch {
	case errors.Is(err, kerr.SaslAuthenticationFailed):
		cause = "authentication failed (" + saslWho(cfg.SASL) + ")"
		hint = "the broker refused the credentials: wrong username or password, or no such user for this mechanism"
		if cfg.SASL != nil && strings.EqualFold(cfg.SASL.Mechanism, config.MechOAuthBearer) {
			hint = "the broker refused the token"
		}
		return cause, hint
	case errors.Is(err, kerr.UnsupportedSaslMechanism):
		return "authentication failed (" + saslWho(cfg.SASL) + ")",
			"the listener does not enable this mechanism (its sasl.enabled.mechanisms): pick one it offers"
	case errors.As(err, &unknownCA):
		cause = "TLS: certificate signed by unknown authority"
		if c := unknownCA.Cert; c != nil {
			cause += fmt.Sprintf(" (the broker's certificate is issued by %q)", c.Issuer.String())
		}
		if tlsCfg != nil && tlsCfg.CAFile != "" {
			return cause, fmt.Sprintf("the CA in tls.ca_file %s did not sign it: point ca_file at the CA that did", tlsCfg.CAFile)
		}
		return cause, "this machine's roots do not trust it: set tls.ca_file to the PEM of the CA that signed it"
	case errors.As(err, &hostErr):
		cause = "TLS: " + certNamesError(hostErr)
		if tlsCfg != nil && tlsCfg.ServerName != "" {
			return cause, fmt.Sprintf("tls.server_name is %s: set it to a name the certificate holds, or remove it", tlsCfg.ServerName)
		}
		return cause, "connect by a name the certificate holds, or set tls.server_name to one"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "TLS: " + certDatesError(invalid.Cert, time.Now()), "the broker's certificate must be renewed (or this machine's clock is wrong)"
	case errors.As(err, &invalid):
		return "TLS: the broker's certificate is not valid: " + invalid.Error(), ""
	case errors.As(err, &opErr) && opErr.Op == "remote error" && strings.HasPrefix(opErr.Err.Error(), "tls:"):
		return describeTLSAlert(opErr.Err.Error(), tlsCfg)
	case errors.As(err, &firstEOF) && tlsCfg != nil:
		return "TLS: the listener closed the connection at the TLS handshake",
			"it does not speak TLS (security.protocol PLAINTEXT or SASL_PLAINTEXT?): use its SSL or SASL_SSL port, or remove tls from the context"
	case strings.Contains(err.Error(), "appear to be a tls alert record"):
		return "the listener speaks TLS and this context does not",
			"add tls to the context (tls: {ca_file: ca.pem}), or use the broker's PLAINTEXT or SASL_PLAINTEXT port"
	}
	return "", ""
}

// describeTLSAlert words a TLS alert the broker sent: most often that it
// requires a client certificate (mutual TLS) or rejected the one given.
func describeTLSAlert(alert string, tlsCfg *config.TLS) (cause, hint string) {
	switch {
	case strings.Contains(alert, "certificate required"), strings.Contains(alert, "bad certificate"),
		strings.Contains(alert, "unknown certificate"), strings.Contains(alert, "certificate unknown"),
		strings.Contains(alert, "unknown certificate authority"), strings.Contains(alert, "certificate expired"):
		if tlsCfg == nil || tlsCfg.CertFile == "" {
			return "TLS: the broker refused the connection without a client certificate (mutual TLS, " + alert + ")",
				"this listener requires one (ssl.client.auth=required): set tls.cert_file and tls.key_file"
		}
		return "TLS: the broker refused the client certificate " + tlsCfg.CertFile + " (" + alert + ")",
			"it must be signed by a CA the broker trusts (its ssl.truststore) and be valid now"
	}
	return "TLS: the broker ended the handshake (" + alert + ")", "check the listener's TLS settings (protocol versions, cipher suites)"
}

// certNamesError is "certificate is for localhost, 127.0.0.1, not HOST".
func certNamesError(h x509.HostnameError) string {
	c := h.Certificate
	if c == nil {
		return h.Error()
	}
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName+" (common name only, which TLS no longer checks)")
	}
	if len(names) == 0 {
		return fmt.Sprintf("certificate holds no host name, so it is not for %s", h.Host)
	}
	return fmt.Sprintf("certificate is for %s, not %s", strings.Join(names, ", "), h.Host)
}

// certDatesError is "certificate expired on DATE" (or is not valid yet).
func certDatesError(c *x509.Certificate, now time.Time) string {
	const layout = "2006-01-02 15:04:05 MST"
	if c == nil {
		return "certificate expired or is not yet valid"
	}
	if now.Before(c.NotBefore) {
		return fmt.Sprintf("certificate is not valid before %s (it is now %s)", c.NotBefore.UTC().Format(layout), now.UTC().Format(layout))
	}
	return fmt.Sprintf("certificate expired on %s (it is now %s)", c.NotAfter.UTC().Format(layout), now.UTC().Format(layout))
}

// oauthRejection words the error JSON an OAUTHBEARER broker sends back for a
// token it refuses (RFC 7628 §3.2.2: {"status":"invalid_token",...}).
func oauthRejection(resp []byte) error {
	var e struct {
		Status string `json:"status"`
		Scope  string `json:"scope"`
	}
	detail := ""
	if json.Unmarshal(resp, &e) == nil && e.Status != "" {
		detail = "status " + e.Status
		if e.Scope != "" {
			detail += ", scope " + e.Scope
		}
	}
	return &SecurityError{
		Cause: "authentication failed (SASL OAUTHBEARER)",
		Hint:  "the broker refused the token (" + strings.TrimPrefix(detail+"; ", "; ") + "expired, not yet valid, a scope or audience it does not accept, or not signed as its validator expects)",
		Err:   kerr.SaslAuthenticationFailed,
	}
}
