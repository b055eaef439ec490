package config

// TLS encrypts connections. Empty files mean the system's roots and
// no client certificate.
type TLS struct {
	// CAFile is a PEM bundle of the authorities to trust instead of the
	// system's.
	CAFile string `yaml:"ca_file" json:"ca_file,omitempty"`
	// CertFile and KeyFile are the PEM client certificate and its key, for
	// clusters that authenticate clients by certificate (mTLS).
	CertFile string `yaml:"cert_file" json:"cert_file,omitempty"`
	KeyFile  string `yaml:"key_file" json:"key_file,omitempty"`
	// InsecureSkipVerify accepts any server certificate: for test clusters
	// only.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify" json:"insecure_skip_verify,omitempty"`
	// ServerName is checked against the certificate instead of the host
	// dialled.
	ServerName string `yaml:"server_name" json:"server_name,omitempty"`
}

// SASL mechanism names, as the config file and Kafka spell them.
const (
	MechPlain       = "PLAIN"
	MechScramSHA256 = "SCRAM-SHA-256"
	MechScramSHA512 = "SCRAM-SHA-512"
	MechOAuthBearer = "OAUTHBEARER"
	MechAWSMSKIAM   = "AWS_MSK_IAM"
)

// Mechanisms lists the SASL mechanisms kflow speaks, for messages and
// completion.
func Mechanisms() []string {
	return []string{MechPlain, MechScramSHA256, MechScramSHA512, MechOAuthBearer, MechAWSMSKIAM}
}

// SASL authenticates connections. Its secrets are resolved once per
// Connect and never printed.
type SASL struct {
	// Mechanism is PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or
	// AWS_MSK_IAM.
	Mechanism string `yaml:"mechanism" json:"mechanism"`
	// Username and Password are for PLAIN and SCRAM.
	Username string `yaml:"username" json:"username,omitempty"`
	Password Secret `yaml:"password" json:"password,omitzero"`
	// Token is the OAUTHBEARER token, when the context gives one.
	Token Secret `yaml:"token" json:"token,omitzero"`
	// ClientCredentials, instead of Token, has kflow fetch OAUTHBEARER
	// tokens from an OAuth token endpoint itself.
	ClientCredentials *OAuthClient `yaml:"client_credentials" json:"client_credentials,omitempty"`
	// Extensions are OAUTHBEARER's SASL extensions (RFC 7628 §3.1), such
	// as a cloud provider's logicalCluster and identityPoolId.
	Extensions map[string]string `yaml:"extensions" json:"extensions,omitempty"`
	// AWS_MSK_IAM: keys from the secrets, else from the environment
	// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
	AccessKey    Secret `yaml:"access_key" json:"access_key,omitzero"`
	SecretKey    Secret `yaml:"secret_key" json:"secret_key,omitzero"`
	SessionToken Secret `yaml:"session_token" json:"session_token,omitzero"`
}

// OAuth client authentication styles: how the client id and secret reach
// the token endpoint.
const (
	// OAuthAuthBasic sends them as HTTP basic authentication (RFC 6749
	// §2.3.1, what every provider accepts), the default.
	OAuthAuthBasic = "basic"
	// OAuthAuthBody sends them as client_id and client_secret form fields.
	OAuthAuthBody = "body"
)

// OAuthClient is OAUTHBEARER with the OAuth client-credentials grant
// (RFC 6749 §4.4): kflow posts its client id and secret to TokenURL, uses
// the access token it gets, and fetches a new one before it expires.
type OAuthClient struct {
	// TokenURL is the provider's token endpoint (http or https).
	TokenURL string `yaml:"token_url" json:"token_url"`
	// ClientID and ClientSecret identify kflow to the provider.
	ClientID     string `yaml:"client_id" json:"client_id"`
	ClientSecret Secret `yaml:"client_secret" json:"client_secret,omitzero"`
	// Scope, when given, is asked for (space separated scopes).
	Scope string `yaml:"scope" json:"scope,omitempty"`
	// Params are extra form fields of the token request, such as audience
	// or resource.
	Params map[string]string `yaml:"params" json:"params,omitempty"`
	// Auth is OAuthAuthBasic (default) or OAuthAuthBody.
	Auth string `yaml:"auth" json:"auth,omitempty"`
	// TLS configures an https token endpoint (the keys of a context's tls).
	TLS *TLS `yaml:"tls" json:"tls,omitempty"`
}

// Registry is a context's Schema Registry. Its secrets are resolved once per
// Connect and never printed, as SASL's are.
type Registry struct {
	// URL is the registry's base URL (for Apicurio's Confluent API, the
	// /apis/ccompat/v7 path included).
	URL string `yaml:"url" json:"url"`
	// BasicAuth, when set, authenticates with a username and password.
	BasicAuth *BasicAuth `yaml:"basic-auth" json:"basic-auth,omitempty"`
	// Bearer, when set, is sent as a bearer token.
	Bearer Secret `yaml:"bearer" json:"bearer,omitzero"`
	// TLS configures https URLs.
	TLS *TLS `yaml:"tls" json:"tls,omitempty"`
}

// BasicAuth is HTTP basic authentication.
type BasicAuth struct {
	Username string `yaml:"username" json:"username"`
	Password Secret `yaml:"password" json:"password,omitzero"`
}
