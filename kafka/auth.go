package kafka

import (
	"context"
	"errors"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TLSConfig encrypts connections. Empty files mean the system's roots and
// no client certificate.
type TLSConfig struct {
	CAFile             string `yaml:"ca_file" json:"ca_file,omitempty"`
	CertFile           string `yaml:"cert_file" json:"cert_file,omitempty"`
	KeyFile            string `yaml:"key_file" json:"key_file,omitempty"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify" json:"insecure_skip_verify,omitempty"`
	ServerName         string `yaml:"server_name" json:"server_name,omitempty"`
}

// SASLConfig authenticates connections. Mechanism is PLAIN,
// SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or AWS_MSK_IAM.
type SASLConfig struct {
	Mechanism string `yaml:"mechanism" json:"mechanism"`
	Username  string `yaml:"username" json:"username,omitempty"`
	Password  Secret `yaml:"password" json:"-"`
	Token     Secret `yaml:"token" json:"-"` // OAUTHBEARER
	// AWS_MSK_IAM: keys from the secrets, else from the environment.
	AccessKey    Secret `yaml:"access_key" json:"-"`
	SecretKey    Secret `yaml:"secret_key" json:"-"`
	SessionToken Secret `yaml:"session_token" json:"-"`
}

// Secret is a credential taken from an environment variable or the output
// of a command, never printed.
type Secret struct {
	Env     string `yaml:"env" json:"-"`
	Command string `yaml:"command" json:"-"`
}

// securityOpts turns TLS and SASL settings into franz-go options.
func securityOpts(ctx context.Context, cfg ConnConfig) ([]kgo.Opt, error) {
	if cfg.TLS != nil || cfg.SASL != nil {
		return nil, errors.New("TLS and SASL: not wired yet")
	}
	return nil, nil
}
