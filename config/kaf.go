package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"kflow/internal/boundedfile"
)

// kafConfig is the part of kaf's ~/.kaf/config (github.com/birdayz/kaf,
// pkg/config) that says how to connect. Other keys are ignored: it is
// kaf's file, not ours to police.
type kafConfig struct {
	CurrentCluster string        `yaml:"current-cluster"`
	Clusters       []*kafCluster `yaml:"clusters"`
}

type kafCluster struct {
	Name             string   `yaml:"name"`
	Brokers          []string `yaml:"brokers"`
	SASL             *kafSASL `yaml:"SASL"`
	TLS              *kafTLS  `yaml:"TLS"`
	SecurityProtocol string   `yaml:"security-protocol"`
}

type kafSASL struct {
	Mechanism    string `yaml:"mechanism"`
	Username     string `yaml:"username"`
	Password     string `yaml:"password"`
	ClientID     string `yaml:"clientID"`
	ClientSecret string `yaml:"clientSecret"`
	TokenURL     string `yaml:"tokenURL"`
	Token        string `yaml:"token"`
}

type kafTLS struct {
	Cafile        string `yaml:"cafile"`
	Clientfile    string `yaml:"clientfile"`
	Clientkeyfile string `yaml:"clientkeyfile"`
	Insecure      bool   `yaml:"insecure"`
}

// kafConfigPath is where kaf keeps its config: ~/.kaf/config.
func kafConfigPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find kaf config: %w", err)
	}
	return filepath.Join(home, ".kaf", "config"), nil
}

// loadKafConfig imports kaf's clusters as contexts. A cluster kflow cannot
// use (say, OAuth client credentials) is listed but reports why when
// chosen, rather than failing the whole import.
func loadKafConfig(path string) (*File, error) {
	data, err := boundedfile.Read(path, MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("read kaf config: %w", err)
	}
	var kc kafConfig
	if err := yaml.Unmarshal(data, &kc); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) { // a syntax error: at the line that broke
			err = (&configParser{path: path}).syntaxError(data, err)
		}
		return nil, fmt.Errorf("read kaf config %q: %w", path, err)
	}
	source := "kaf: " + tildePath(path)
	f := &File{
		CurrentContext: kc.CurrentCluster,
		Contexts:       map[string]Context{},
		Source:         source,
		broken:         map[string]error{},
	}
	for _, cl := range kc.Clusters {
		if cl == nil || cl.Name == "" {
			continue // kaf cannot select an unnamed cluster either
		}
		if _, dup := f.Contexts[cl.Name]; dup {
			continue // kaf uses the first of a name
		}
		if _, dup := f.broken[cl.Name]; dup {
			continue
		}
		c, err := kafContext(cl)
		if err != nil {
			f.broken[cl.Name] = fmt.Errorf("context %q imported from %s: %w", cl.Name, source, err)
			continue
		}
		f.Contexts[cl.Name] = c
	}
	return f, nil
}

// kafContext maps one kaf cluster the way kaf itself connects: TLS when a
// TLS block is given or the protocol is SSL or SASL_SSL, SASL when a SASL
// block is given.
func kafContext(cl *kafCluster) (Context, error) {
	var c Context
	bs, err := ParseBrokers(strings.Join(cl.Brokers, ","))
	if err != nil {
		return c, err
	}
	c.Brokers = bs
	proto := strings.ToUpper(strings.TrimSpace(cl.SecurityProtocol))
	if cl.TLS != nil || proto == "SSL" || proto == "SASL_SSL" {
		c.TLS = &TLS{}
		if t := cl.TLS; t != nil {
			c.TLS.InsecureSkipVerify = t.Insecure
			if c.TLS.CAFile, err = kafPath(t.Cafile); err != nil {
				return c, err
			}
			// kaf ignores a client certificate given without its key.
			if t.Clientfile != "" && t.Clientkeyfile != "" {
				if c.TLS.CertFile, err = kafPath(t.Clientfile); err != nil {
					return c, err
				}
				if c.TLS.KeyFile, err = kafPath(t.Clientkeyfile); err != nil {
					return c, err
				}
			}
		}
	}
	if cl.SASL == nil {
		if strings.HasPrefix(proto, "SASL_") {
			return c, fmt.Errorf("security-protocol %s but no SASL settings", proto)
		}
		return c, nil
	}
	s, err := kafSASLConfig(cl.SASL)
	if err != nil {
		return c, err
	}
	c.SASL = s
	return c, nil
}

func kafSASLConfig(k *kafSASL) (*SASL, error) {
	mech := strings.ToUpper(strings.TrimSpace(k.Mechanism))
	if mech == "" {
		mech = MechPlain // sarama's default, which kaf used
	}
	s := &SASL{Mechanism: mech}
	switch mech {
	case MechPlain, MechScramSHA256, MechScramSHA512:
		if k.Username == "" || k.Password == "" {
			return nil, fmt.Errorf("SASL %s needs a username and a password", mech)
		}
		s.Username = k.Username
		s.Password = literalSecret(k.Password)
	case MechOAuthBearer:
		switch {
		case k.Token != "":
			s.Token = literalSecret(k.Token)
		case k.TokenURL != "" && k.ClientID != "" && k.ClientSecret != "":
			// kaf posts the credentials as HTTP basic authentication too.
			s.ClientCredentials = &OAuthClient{TokenURL: k.TokenURL, ClientID: k.ClientID,
				ClientSecret: literalSecret(k.ClientSecret), Auth: OAuthAuthBasic}
		default:
			return nil, fmt.Errorf("SASL OAUTHBEARER needs a token, or tokenURL, clientID and clientSecret")
		}
	case MechAWSMSKIAM:
		// Keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
	default:
		return nil, fmt.Errorf("SASL mechanism %q is not supported by kflow (it speaks %s)", k.Mechanism, strings.Join(Mechanisms(), ", "))
	}
	return s, nil
}

// kafPath expands ~/ as a shell would have for kaf; other names are kept
// as kaf would use them.
func kafPath(s string) (string, error) {
	if s == "~" || strings.HasPrefix(s, "~/") {
		return resolvePath(s, "")
	}
	return s, nil
}

// tildePath abbreviates the home directory to ~ for messages.
func tildePath(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return p
	}
	if rel, err := filepath.Rel(home, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.Join("~", rel)
	}
	return p
}
