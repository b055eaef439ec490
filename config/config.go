package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"kflow/internal/boundedfile"
)

// File is kflow's config file: named connection contexts and the
// UI's settings. It comes from kflow's own file or, when that does not
// exist, from kaf's (see Load).
type File struct {
	// CurrentContext is the context used when none is named.
	CurrentContext string `json:"current-context,omitempty"`
	// Contexts are the clusters by name.
	Contexts map[string]Context `json:"contexts"`
	// Theme is the UI's colour theme; the UI validates the name.
	Theme string `json:"theme,omitempty"`
	// History, when false ("history: false"), keeps no produce history.
	History *bool `json:"history,omitempty"`
	// Path is kflow's config file: the one read, or where it would be
	// when the contexts came from elsewhere.
	Path string `json:"path"`
	// Source says where the contexts came from: Path, "kaf: ~/.kaf/config",
	// or "" when no file was found and kflow runs on defaults.
	Source string `json:"source"`

	// broken are imported contexts kflow cannot use, with the reason;
	// Context(name) returns it.
	broken map[string]error
}

// Context is one named cluster of the config file.
type Context struct {
	// Brokers are the bootstrap addresses, host:port each.
	Brokers []string `json:"brokers"`
	// ReadOnly refuses every writing operation, for production clusters.
	ReadOnly bool `json:"read-only,omitempty"`
	// Timeout bounds dialing and each request; the client's default (kafka.DefaultTimeout) when zero.
	Timeout time.Duration `json:"timeout,omitempty"`
	// TLS, when set, encrypts connections ("tls: {}" or "tls: true" for
	// the system's roots).
	TLS *TLS `json:"tls,omitempty"`
	// SASL, when set, authenticates connections.
	SASL *SASL `json:"sasl,omitempty"`
	// Registry, when set, is the cluster's Schema Registry
	// ("schema-registry:" in the file).
	Registry *Registry `json:"schema-registry,omitempty"`
	// Formats are how named topics' keys and values are read (formats:).
	Formats map[string]TopicFormat `json:"formats,omitempty"`
}

// Error is a mistake in a config file, at the line it is on, so that
// the message points the user at what to fix.
type Error struct {
	Path string // the file
	Line int    // 1-based; 0 when not known
	Msg  string // what is wrong and how to fix it
}

// Error reads "config PATH line N: MSG".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("config %s line %d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("config %s: %s", e.Path, e.Msg)
}

// DefaultPath is $XDG_CONFIG_HOME/kflow/config.yaml, with XDG's
// default of ~/.config on every OS so that the path is easy to document.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) { // XDG says to ignore relative paths
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find config directory: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "kflow", "config.yaml"), nil
}

// Load reads the config file at path, or at DefaultPath when
// path is "". A missing explicit file is an error; a missing default one is
// not: kaf's config (~/.kaf/config) is imported instead when it exists, and
// an empty config (Source "") returned when it does not either.
func Load(path string) (*File, error) {
	if path != "" {
		return loadKflowConfig(path)
	}
	def, err := DefaultPath()
	if err != nil {
		return nil, err
	}
	f, err := loadKflowConfig(def)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	empty := &File{Path: def, Contexts: map[string]Context{}}
	kafPath, err := kafConfigPath()
	if err != nil {
		return empty, nil // no home directory: nothing to import
	}
	k, err := loadKafConfig(kafPath)
	if errors.Is(err, fs.ErrNotExist) {
		return empty, nil
	}
	if err != nil {
		return nil, err
	}
	k.Path = def
	return k, nil
}

// MaxBytes bounds a config file (kflow's or kaf's): a real one is a
// few KiB, and --config /dev/zero must be an error, not a process growing
// until it dies.
const MaxBytes = 4 << 20

// loadKflowConfig reads and validates one kflow config file.
func loadKflowConfig(path string) (*File, error) {
	data, err := boundedfile.Read(path, MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	f, err := parseConfig(path, data)
	if err != nil {
		return nil, err
	}
	f.Path, f.Source = path, path
	return f, nil
}

// Context returns the connection settings of the named context; "" means
// current-context (or the only context when the file names none, or
// kflow's defaults when there is no context at all).
func (f *File) Context(name string) (Context, error) {
	if name == "" {
		name = f.CurrentContext
	}
	if name == "" {
		names := f.Names()
		switch len(names) {
		case 0:
			return Context{}, nil
		case 1:
			name = names[0]
		default:
			return Context{}, fmt.Errorf("%s sets no current-context: name a context, one of %s",
				f.where(), strings.Join(names, ", "))
		}
	}
	if err, ok := f.broken[name]; ok {
		return Context{}, err
	}
	c, ok := f.Contexts[name]
	if !ok {
		known := "there are none"
		if names := f.Names(); len(names) > 0 {
			known = "known contexts: " + strings.Join(names, ", ")
		}
		return Context{}, fmt.Errorf("no context %q in %s (%s)", name, f.where(), known)
	}
	return c.clone(), nil
}

// Names lists the contexts, sorted.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Contexts)+len(f.broken))
	for n := range f.Contexts {
		names = append(names, n)
	}
	for n := range f.broken {
		names = append(names, n)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// where names the config for messages.
func (f *File) where() string {
	switch {
	case f.Source != "":
		return "config " + f.Source
	case f.Path != "":
		return "config " + f.Path + " (which does not exist)"
	}
	return "the config"
}

// clone is a deep copy of the context, sharing nothing with the config so
// that a caller's changes do not leak back into it.
func (c Context) clone() Context {
	cc := Context{
		Brokers:  slices.Clone(c.Brokers),
		ReadOnly: c.ReadOnly,
		Timeout:  c.Timeout,
	}
	if c.TLS != nil {
		t := *c.TLS
		cc.TLS = &t
	}
	if c.SASL != nil {
		s := *c.SASL
		cc.SASL = &s
	}
	if c.Registry != nil {
		r := *c.Registry
		if r.BasicAuth != nil {
			b := *r.BasicAuth
			r.BasicAuth = &b
		}
		if r.TLS != nil {
			t := *r.TLS
			r.TLS = &t
		}
		cc.Registry = &r
	}
	cc.Formats = maps.Clone(c.Formats)
	return cc
}

// configParser walks the YAML tree by hand rather than decoding into
// structs, so that every mistake (unknown key, bad value, missing field)
// is reported with the line it is on.
type configParser struct {
	path string
	dir  string // relative TLS file names are taken from here
}

func (p *configParser) errAt(n *yaml.Node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{Path: p.path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// parseConfig validates a kflow config file's content.
func parseConfig(path string, data []byte) (*File, error) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	p := &configParser{path: path, dir: dir}
	f := &File{Contexts: map[string]Context{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.syntaxError(data, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return f, nil // empty file
	}
	root := deref(doc.Content[0])
	if isNull(root) {
		return f, nil
	}
	var current *yaml.Node
	err = p.fields(root, "the config file", []string{"current-context", "contexts", "theme", "history"}, func(k string, key, v *yaml.Node) error {
		var err error
		switch k {
		case "history":
			var on bool
			on, err = p.boolean(v, k)
			f.History = &on
		case "current-context":
			current = v
			f.CurrentContext, err = p.str(v, k)
		case "theme":
			f.Theme, err = p.str(v, k)
		case "contexts":
			err = p.contexts(v, f)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if f.CurrentContext != "" {
		if _, ok := f.Contexts[f.CurrentContext]; !ok {
			names := f.Names()
			if len(names) == 0 {
				return nil, p.errAt(current, "current-context %q: the file defines no contexts", f.CurrentContext)
			}
			return nil, p.errAt(current, "current-context %q is not one of the contexts: %s", f.CurrentContext, strings.Join(names, ", "))
		}
	}
	return f, nil
}

// syntaxError turns a YAML syntax error into a Error at the line a
// reader would point at. yaml.v3's own line is not it: parser errors are
// numbered from 0 (one line early), an error on line 1 has no line at all,
// and a parser error names the line where the enclosing block began rather
// than the line that broke it. The line taken is the first one at which the
// file, cut after it, fails with the same error: the parse is the same up to
// the offending token, which that line holds.
func (p *configParser) syntaxError(data []byte, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
		var n int
		if _, scanErr := fmt.Sscanf(msg, "line %d:", &n); scanErr == nil {
			msg = rest
		}
	}
	lines := strings.SplitAfter(string(data), "\n")
	same := func(k int) bool { // does the file cut after k lines fail the same way?
		var doc yaml.Node
		e := yaml.Unmarshal([]byte(strings.Join(lines[:k], "")), &doc)
		return e != nil && e.Error() == err.Error()
	}
	// From k on every cut holds the offending token; search for the first.
	lo, hi := 1, len(lines)
	if !same(hi) {
		return &Error{Path: p.path, Msg: "not valid YAML: " + msg}
	}
	for lo < hi {
		if mid := (lo + hi) / 2; same(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	line := lines[lo-1]
	if indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]; strings.Contains(indent, "\t") {
		msg = "a tab indents this line: YAML indents with spaces only"
	}
	return &Error{Path: p.path, Line: lo, Msg: "not valid YAML: " + msg}
}

func (p *configParser) contexts(n *yaml.Node, f *File) error {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return p.errAt(n, "contexts must be a mapping of context names to settings")
	}
	return p.fields(n, "contexts", nil, func(name string, key, v *yaml.Node) error {
		if strings.TrimSpace(name) == "" {
			return p.errAt(key, "a context needs a name")
		}
		c, err := p.context(name, key, v)
		if err != nil {
			return err
		}
		f.Contexts[name] = c
		return nil
	})
}

func (p *configParser) context(name string, key, n *yaml.Node) (Context, error) {
	var c Context
	n = deref(n)
	if isNull(n) {
		return c, p.errAt(key, "context %q: brokers is required", name)
	}
	what := fmt.Sprintf("context %q", name)
	var brokers *yaml.Node
	err := p.fields(n, what, []string{"brokers", "read-only", "timeout", "tls", "sasl", "schema-registry", "formats"}, func(k string, key, v *yaml.Node) error {
		var err error
		switch k {
		case "brokers":
			brokers = v
			c.Brokers, err = p.brokers(v)
		case "read-only":
			c.ReadOnly, err = p.boolean(v, k)
		case "timeout":
			c.Timeout, err = p.duration(v, k)
		case "tls":
			c.TLS, err = p.tls(v)
		case "sasl":
			c.SASL, err = p.sasl(v)
		case "schema-registry":
			c.Registry, err = p.registry(key, v)
		case "formats":
			c.Formats, err = p.formats(v)
		}
		return err
	})
	if err != nil {
		return c, err
	}
	if brokers == nil {
		return c, p.errAt(key, "context %q: brokers is required", name)
	}
	return c, nil
}

// brokers takes a list of addresses or one comma-separated string.
func (p *configParser) brokers(n *yaml.Node) ([]string, error) {
	n = deref(n)
	var parts []string
	switch n.Kind {
	case yaml.ScalarNode:
		if !isNull(n) {
			parts = append(parts, n.Value)
		}
	case yaml.SequenceNode:
		for _, e := range n.Content {
			s, err := p.str(e, "brokers")
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(s) == "" {
				return nil, p.errAt(e, "brokers: empty address")
			}
			parts = append(parts, s)
		}
	default:
		return nil, p.errAt(n, "brokers must be a list of host:port addresses")
	}
	bs, err := ParseBrokers(strings.Join(parts, ","))
	if err != nil {
		return nil, p.errAt(n, "brokers: %v", err)
	}
	return bs, nil
}

func (p *configParser) tls(n *yaml.Node) (*TLS, error) {
	n = deref(n)
	t := &TLS{}
	if isNull(n) {
		return t, nil // "tls:" alone means TLS with the system's roots
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" { // tls: true
		on, err := p.boolean(n, "tls")
		if err != nil || !on {
			return nil, err
		}
		return t, nil
	}
	var cert, key *yaml.Node
	err := p.fields(n, "tls", []string{"ca_file", "cert_file", "key_file", "insecure_skip_verify", "server_name"}, func(k string, _, v *yaml.Node) error {
		var err error
		switch k {
		case "ca_file":
			t.CAFile, err = p.file(v, k)
		case "cert_file":
			cert = v
			t.CertFile, err = p.file(v, k)
		case "key_file":
			key = v
			t.KeyFile, err = p.file(v, k)
		case "insecure_skip_verify":
			t.InsecureSkipVerify, err = p.boolean(v, k)
		case "server_name":
			t.ServerName, err = p.str(v, k)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if t.CertFile != "" && t.KeyFile == "" {
		return nil, p.errAt(cert, "tls cert_file is given without key_file: give both, or neither")
	}
	if t.KeyFile != "" && t.CertFile == "" {
		return nil, p.errAt(key, "tls key_file is given without cert_file: give both, or neither")
	}
	return t, nil
}

// registry reads a context's schema-registry: a mapping with url,
// basic-auth or bearer, and tls (the context's tls keys), or a string that
// is the url alone. key is the "schema-registry:" line, for a block that
// gives no url.
func (p *configParser) registry(key, n *yaml.Node) (*Registry, error) {
	n = deref(n)
	const hint = "give its url, e.g. schema-registry: http://localhost:8081"
	if isNull(n) {
		return nil, p.errAt(key, "schema-registry needs a url: %s", hint)
	}
	r := &Registry{}
	if n.Kind == yaml.ScalarNode { // schema-registry: http://host:8081
		if err := p.registryURL(n, r); err != nil {
			return nil, err
		}
		return r, nil
	}
	var urlN, basicN, bearerN *yaml.Node
	err := p.fields(n, "schema-registry", []string{"url", "basic-auth", "bearer", "tls"}, func(k string, key, v *yaml.Node) error {
		var err error
		switch k {
		case "url":
			urlN = v
			err = p.registryURL(v, r)
		case "basic-auth":
			basicN = key
			r.BasicAuth, err = p.basicAuth(key, v)
		case "bearer":
			bearerN = key
			r.Bearer, err = p.secret(v, "schema-registry bearer")
		case "tls":
			r.TLS, err = p.tls(v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if urlN == nil {
		return nil, p.errAt(key, "schema-registry needs a url: %s", hint)
	}
	if basicN != nil && bearerN != nil {
		return nil, p.errAt(bearerN, "schema-registry: give basic-auth or bearer, not both")
	}
	return r, nil
}

// registryURL sets r.URL from n, refusing what is not an http or https URL.
func (p *configParser) registryURL(n *yaml.Node, r *Registry) error {
	s, err := p.str(n, "schema-registry url")
	if err != nil {
		return err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return p.errAt(deref(n), "schema-registry url is empty: give it, e.g. http://localhost:8081")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return p.errAt(deref(n), "schema-registry url %q is not an http:// or https:// URL, e.g. http://localhost:8081", s)
	}
	r.URL = s
	return nil
}

// basicAuth reads schema-registry basic-auth: a username and a password
// secret, both required.
func (p *configParser) basicAuth(key, n *yaml.Node) (*BasicAuth, error) {
	n = deref(n)
	const hint = `{username: NAME, password: {env: VAR}}`
	if isNull(n) {
		return nil, p.errAt(key, "schema-registry basic-auth needs a username and a password: %s", hint)
	}
	b := &BasicAuth{}
	err := p.fields(n, "schema-registry basic-auth", []string{"username", "password"}, func(k string, _, v *yaml.Node) error {
		var err error
		switch k {
		case "username":
			b.Username, err = p.str(v, "basic-auth username")
		case "password":
			b.Password, err = p.secret(v, "basic-auth password")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(b.Username) == "" {
		return nil, p.errAt(n, "schema-registry basic-auth needs a username: %s", hint)
	}
	if b.Password.IsZero() {
		return nil, p.errAt(n, "schema-registry basic-auth needs a password: {env: VAR} or {command: \"...\"}")
	}
	return b, nil
}

// saslKeys says which keys each mechanism uses, so that a key given for
// the wrong one (a token with PLAIN) is reported rather than ignored.
var saslKeys = map[string][]string{
	MechPlain:       {"username", "password"},
	MechScramSHA256: {"username", "password"},
	MechScramSHA512: {"username", "password"},
	MechOAuthBearer: {"token", "client_credentials", "extensions"},
	MechAWSMSKIAM:   {"access_key", "secret_key", "session_token"},
}

func (p *configParser) sasl(n *yaml.Node) (*SASL, error) {
	n = deref(n)
	if isNull(n) {
		return nil, p.errAt(n, "sasl needs a mechanism, one of %s", strings.Join(Mechanisms(), ", "))
	}
	s := &SASL{}
	keys := map[string]*yaml.Node{}
	var mech *yaml.Node
	err := p.fields(n, "sasl", []string{"mechanism", "username", "password", "token", "client_credentials", "extensions", "access_key", "secret_key", "session_token"}, func(k string, key, v *yaml.Node) error {
		keys[k] = key
		var err error
		switch k {
		case "mechanism":
			mech = v
			s.Mechanism, err = p.str(v, k)
		case "username":
			s.Username, err = p.str(v, k)
		case "password":
			s.Password, err = p.secret(v, k)
		case "token":
			s.Token, err = p.secret(v, k)
		case "client_credentials":
			s.ClientCredentials, err = p.oauthClient(key, v)
		case "extensions":
			s.Extensions, err = p.stringMap(v, "sasl extensions")
		case "access_key":
			s.AccessKey, err = p.secret(v, k)
		case "secret_key":
			s.SecretKey, err = p.secret(v, k)
		case "session_token":
			s.SessionToken, err = p.secret(v, k)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if mech == nil {
		return nil, p.errAt(n, "sasl needs a mechanism, one of %s", strings.Join(Mechanisms(), ", "))
	}
	canon := strings.ToUpper(strings.TrimSpace(s.Mechanism))
	allowed, ok := saslKeys[canon]
	if !ok {
		return nil, p.errAt(mech, "sasl mechanism %q is not one of %s", s.Mechanism, strings.Join(Mechanisms(), ", "))
	}
	s.Mechanism = canon
	for k, key := range keys {
		if k != "mechanism" && !slices.Contains(allowed, k) {
			return nil, p.errAt(key, "sasl %s is not used by %s, which takes %s", k, canon, strings.Join(allowed, ", "))
		}
	}
	switch canon {
	case MechPlain, MechScramSHA256, MechScramSHA512:
		if s.Username == "" {
			return nil, p.errAt(n, "sasl %s needs a username", canon)
		}
		if s.Password.IsZero() {
			return nil, p.errAt(n, "sasl %s needs a password: {env: VAR} or {command: \"...\"}", canon)
		}
	case MechOAuthBearer:
		if s.Token.IsZero() && s.ClientCredentials == nil {
			return nil, p.errAt(n, "sasl OAUTHBEARER needs a token ({env: VAR} or {command: \"...\"}) or client_credentials (token_url, client_id, client_secret)")
		}
		if !s.Token.IsZero() && s.ClientCredentials != nil {
			return nil, p.errAt(keys["client_credentials"], "sasl OAUTHBEARER: give token or client_credentials, not both")
		}
	case MechAWSMSKIAM:
		if s.AccessKey.IsZero() != s.SecretKey.IsZero() {
			return nil, p.errAt(n, "sasl AWS_MSK_IAM: give access_key and secret_key together, or neither to use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
		}
	}
	return s, nil
}

// oauthClient reads OAUTHBEARER's client_credentials: token_url, client_id
// and client_secret are required; scope, params, auth and tls are not.
func (p *configParser) oauthClient(key, n *yaml.Node) (*OAuthClient, error) {
	n = deref(n)
	const hint = "give token_url, client_id and client_secret ({env: VAR} or {command: \"...\"})"
	if isNull(n) {
		return nil, p.errAt(key, "sasl client_credentials: %s", hint)
	}
	o := &OAuthClient{}
	var authN *yaml.Node
	err := p.fields(n, "sasl client_credentials", []string{"token_url", "client_id", "client_secret", "scope", "params", "auth", "tls"}, func(k string, _, v *yaml.Node) error {
		var err error
		switch k {
		case "token_url":
			if o.TokenURL, err = p.str(v, k); err != nil {
				return err
			}
			u, perr := url.Parse(strings.TrimSpace(o.TokenURL))
			if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return p.errAt(deref(v), "sasl client_credentials token_url %q is not an http:// or https:// URL", o.TokenURL)
			}
			o.TokenURL = strings.TrimSpace(o.TokenURL)
		case "client_id":
			o.ClientID, err = p.str(v, k)
		case "client_secret":
			o.ClientSecret, err = p.secret(v, "client_secret")
		case "scope":
			o.Scope, err = p.str(v, k)
		case "params":
			o.Params, err = p.stringMap(v, "sasl client_credentials params")
		case "auth":
			authN = v
			o.Auth, err = p.str(v, k)
		case "tls":
			o.TLS, err = p.tls(v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	switch {
	case o.TokenURL == "":
		return nil, p.errAt(n, "sasl client_credentials needs a token_url: %s", hint)
	case strings.TrimSpace(o.ClientID) == "":
		return nil, p.errAt(n, "sasl client_credentials needs a client_id: %s", hint)
	case o.ClientSecret.IsZero():
		return nil, p.errAt(n, "sasl client_credentials needs a client_secret: {env: VAR} or {command: \"...\"}")
	}
	switch strings.ToLower(strings.TrimSpace(o.Auth)) {
	case "", OAuthAuthBasic:
		o.Auth = OAuthAuthBasic
	case OAuthAuthBody:
		o.Auth = OAuthAuthBody
	default:
		return nil, p.errAt(deref(authN), "sasl client_credentials auth %q is not %s (HTTP basic authentication) or %s (form fields)", o.Auth, OAuthAuthBasic, OAuthAuthBody)
	}
	return o, nil
}

// stringMap reads a mapping of names to scalar values.
func (p *configParser) stringMap(n *yaml.Node, what string) (map[string]string, error) {
	m := map[string]string{}
	err := p.fields(n, what, nil, func(k string, _, v *yaml.Node) error {
		s, err := p.str(v, what+" "+k)
		m[k] = s
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// secret reads {env: VAR} or {command: "..."}. A literal value is refused:
// the config file is not a place for secrets.
func (p *configParser) secret(n *yaml.Node, what string) (Secret, error) {
	n = deref(n)
	literal := func(at *yaml.Node) error {
		return p.errAt(at, "%s: a literal value is not allowed, secrets never live in the config file: use {env: VAR} or {command: \"...\"}", what)
	}
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		return Secret{}, literal(n)
	}
	var s Secret
	var envN, cmdN *yaml.Node
	err := p.fields(n, what, []string{"env", "command", "value"}, func(k string, key, v *yaml.Node) error {
		var err error
		switch k {
		case "env":
			envN = v
			s.Env, err = p.str(v, what+" env")
		case "command":
			cmdN = v
			s.Command, err = p.str(v, what+" command")
		case "value":
			err = literal(key)
		}
		return err
	})
	if err != nil {
		return Secret{}, err
	}
	switch {
	case envN != nil && cmdN != nil:
		return Secret{}, p.errAt(cmdN, "%s: give env or command, not both", what)
	case envN != nil && strings.TrimSpace(s.Env) == "":
		return Secret{}, p.errAt(envN, "%s: env needs a variable name", what)
	case cmdN != nil && strings.TrimSpace(s.Command) == "":
		return Secret{}, p.errAt(cmdN, "%s: command is empty", what)
	case envN == nil && cmdN == nil:
		return Secret{}, p.errAt(n, "%s: give env or command", what)
	}
	return s, nil
}

// fields calls fn for each key of mapping n, in order, refusing keys not in
// known (nil: any key) and keys given twice. YAML merge keys (<<) are
// followed, with the mapping's own keys taking precedence.
func (p *configParser) fields(n *yaml.Node, what string, known []string, fn func(k string, key, v *yaml.Node) error) error {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return p.errAt(n, "%s must be a mapping of keys to values", what)
	}
	type pair struct{ key, v *yaml.Node }
	var merged []pair
	own := map[string]bool{}
	var order []string
	seen := map[string]pair{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, v := n.Content[i], n.Content[i+1]
		if key.Kind != yaml.ScalarNode {
			return p.errAt(key, "%s: keys must be plain names", what)
		}
		if key.Value == "<<" && key.ShortTag() == "!!merge" {
			src := deref(v)
			srcs := []*yaml.Node{src}
			if src.Kind == yaml.SequenceNode {
				srcs = src.Content
			}
			for _, m := range srcs {
				m = deref(m)
				if m.Kind != yaml.MappingNode {
					return p.errAt(m, "%s: << must merge a mapping", what)
				}
				for j := 0; j+1 < len(m.Content); j += 2 {
					merged = append(merged, pair{m.Content[j], m.Content[j+1]})
				}
			}
			continue
		}
		if own[key.Value] {
			return p.errAt(key, "%s: key %q is given twice", what, key.Value)
		}
		own[key.Value] = true
		order = append(order, key.Value)
		seen[key.Value] = pair{key, v}
	}
	for _, m := range merged {
		if _, ok := seen[m.key.Value]; !ok {
			order = append(order, m.key.Value)
			seen[m.key.Value] = m
		}
	}
	for _, k := range order {
		pr := seen[k]
		if known != nil && !slices.Contains(known, k) {
			return p.errAt(pr.key, "unknown key %q in %s (known keys: %s)", k, what, strings.Join(known, ", "))
		}
		if err := fn(k, pr.key, pr.v); err != nil {
			return err
		}
	}
	return nil
}

func (p *configParser) str(n *yaml.Node, what string) (string, error) {
	n = deref(n)
	if isNull(n) {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", p.errAt(n, "%s must be a single value, not a list or mapping", what)
	}
	return n.Value, nil
}

func (p *configParser) boolean(n *yaml.Node, what string) (bool, error) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		return false, p.errAt(n, "%s must be true or false, not %q", what, n.Value)
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", nil
}

func (p *configParser) duration(n *yaml.Node, what string) (time.Duration, error) {
	s, err := p.str(n, what)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, p.errAt(deref(n), "%s %q is not a positive duration such as 15s or 1m", what, s)
	}
	return d, nil
}

// file reads a file name: ~/ is the home directory and a relative name is
// taken from the config file's directory, so the file works from any cwd.
func (p *configParser) file(n *yaml.Node, what string) (string, error) {
	s, err := p.str(n, what)
	if err != nil || s == "" {
		return s, err
	}
	return resolvePath(s, p.dir)
}

// resolvePath expands ~/ and makes a relative path relative to dir.
func resolvePath(s, dir string) (string, error) {
	if s == "~" || strings.HasPrefix(s, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("expand %q: %w", s, err)
		}
		return filepath.Join(home, s[1:]), nil
	}
	if !filepath.IsAbs(s) {
		return filepath.Join(dir, s), nil
	}
	return s, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}
