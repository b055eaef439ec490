package schema

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/twmb/franz-go/pkg/sr"
)

// Reference is one schema another imports or names (a Protobuf import, an
// Avro named type kept elsewhere): the name it is imported by and the
// subject version that holds it.
type Reference struct {
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// Version is one registered version of a subject: what the schemas view
// shows and `kflow schema get` prints.
type Version struct {
	Subject    string      `json:"subject,omitempty"`
	Version    int         `json:"version,omitempty"`
	ID         int         `json:"id"`
	Type       Type        `json:"type"`
	Schema     string      `json:"schema"`
	References []Reference `json:"references,omitempty"`
	// Imports are the texts of the schemas References name, by import
	// name, when Resolve has fetched them: Diff and Validate compile a
	// Protobuf schema with them.
	Imports map[string]string `json:"-"`
}

// Subject is one subject as the schemas view lists it.
type Subject struct {
	Name string `json:"subject"`
	// Latest is the latest version, 0 when none is readable (all deleted).
	Latest   int  `json:"latest_version"`
	LatestID int  `json:"latest_id"`
	Type     Type `json:"type"`
	// Compatibility is the level the registry checks new versions at:
	// the subject's own when set, else the global one (CompatibilityFrom
	// says which).
	Compatibility     string `json:"compatibility"`
	CompatibilityFrom string `json:"compatibility_from"`
	// Versions counts the versions the registry lists.
	Versions int `json:"versions"`
}

// CompatVerdict is the registry's answer to "may this schema be
// registered as the subject's next version?".
type CompatVerdict struct {
	Subject    string `json:"subject"`
	Compatible bool   `json:"compatible"`
	// Level is the compatibility level the subject is checked at.
	Level string `json:"level"`
	// Messages are the registry's reasons, when it gives any.
	Messages []string `json:"messages,omitempty"`
}

// Deleted says what a Delete removed.
type Deleted struct {
	Subject  string `json:"subject"`
	Versions []int  `json:"versions"`
	// Whole is true when the subject itself was deleted.
	Whole bool `json:"whole_subject"`
}

// Error is a failed registry request: the registry, the operation and
// why, as `schema registry URL: get subject "s" version 3: subject not
// found`. Code is the registry's error_code (40401 and the like), 0 when
// the request did not get an answer.
type Error struct {
	URL, Op string
	Code    int
	Status  int
	Reason  string
	Err     error
}

func (e *Error) Error() string {
	return "schema registry " + e.URL + ": " + e.Op + ": " + e.Reason
}

// Unwrap is the underlying error (an *sr.ResponseError, a transport
// error).
func (e *Error) Unwrap() error { return e.Err }

// The registry's error codes kflow tells apart.
const (
	CodeSubjectNotFound = 40401
	CodeVersionNotFound = 40402
	CodeSchemaNotFound  = 40403
	CodeIncompatible    = 409
	CodeInvalidSchema   = 42201
	codeNoSubjectConfig = 40408
)

// IsNotFound reports whether err says a subject, version or schema id does
// not exist.
func IsNotFound(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code >= CodeSubjectNotFound && e.Code <= 40409 || e.Status == 404
}

// fail wraps a request's error with the registry and the operation.
func (r *Registry) fail(op string, err error) error {
	e := &Error{URL: r.url, Op: op, Err: err}
	var re *sr.ResponseError
	var ue *url.Error
	switch {
	case errors.As(err, &re):
		e.Code, e.Status = re.ErrorCode, re.StatusCode
		if e.Code == 0 && re.StatusCode == 409 {
			e.Code = CodeIncompatible
		}
		msg := strings.TrimSpace(re.Message)
		if msg == "" {
			msg = strings.TrimSpace(string(re.Raw))
		}
		switch e.Code {
		case CodeSubjectNotFound:
			e.Reason = "subject not found"
		case CodeVersionNotFound:
			e.Reason = "version not found"
		case CodeSchemaNotFound:
			e.Reason = "schema not found"
		case CodeIncompatible:
			e.Reason = "incompatible with an earlier version: " + msg
		case CodeInvalidSchema:
			e.Reason = "invalid schema: " + msg
		default:
			e.Reason = fmt.Sprintf("HTTP %d: %s", re.StatusCode, msg)
		}
	case errors.As(err, &ue):
		e.Reason = ue.Err.Error() // the URL is said once, up front
	default:
		e.Reason = err.Error()
	}
	return e
}

func fromSR(t sr.SchemaType) Type {
	switch t {
	case sr.TypeProtobuf:
		return Protobuf
	case sr.TypeJSON:
		return JSONSchema
	}
	return Avro
}

// ParseType reads a schema type as the registry or a user names it: AVRO,
// PROTOBUF or JSON (any case; JSON-SCHEMA too).
func ParseType(s string) (Type, error) {
	switch strings.ToUpper(s) {
	case "", "AVRO":
		return Avro, nil
	case "PROTOBUF", "PROTO":
		return Protobuf, nil
	case "JSON", "JSON-SCHEMA", "JSONSCHEMA":
		return JSONSchema, nil
	}
	return "", fmt.Errorf("schema type %q: want AVRO, PROTOBUF or JSON", s)
}

func (t Type) sr() sr.SchemaType {
	switch t {
	case Protobuf:
		return sr.TypeProtobuf
	case JSONSchema:
		return sr.TypeJSON
	}
	return sr.TypeAvro
}

func toSRRefs(refs []Reference) []sr.SchemaReference {
	var out []sr.SchemaReference
	for _, r := range refs {
		out = append(out, sr.SchemaReference(r))
	}
	return out
}

func versionOf(ss sr.SubjectSchema) Version {
	v := Version{Subject: ss.Subject, Version: ss.Version, ID: ss.ID, Type: fromSR(ss.Type), Schema: ss.Schema.Schema}
	for _, r := range ss.References {
		v.References = append(v.References, Reference(r))
	}
	return v
}

func versionName(v int) string {
	if v == -1 {
		return "latest"
	}
	return strconv.Itoa(v)
}

// SubjectNames lists the registry's subject names, sorted: one request,
// for completion and pickers (Subjects asks three per subject).
func (r *Registry) SubjectNames(ctx context.Context) ([]string, error) {
	names, err := r.cl.Subjects(ctx)
	if err != nil {
		return nil, r.fail("list subjects", err)
	}
	slices.Sort(names)
	return names, nil
}

// Subjects lists the registry's subjects, sorted, each with its latest
// version, type, compatibility level and count of versions.
func (r *Registry) Subjects(ctx context.Context) ([]Subject, error) {
	names, err := r.SubjectNames(ctx)
	if err != nil {
		return nil, err
	}
	global, err := r.globalLevel(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Subject, len(names))
	errs := make([]error, len(names))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = r.subject(ctx, name, global)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first: a registry that fails fails them all alike
		}
	}
	return out, nil
}

// subject is one row of Subjects.
func (r *Registry) subject(ctx context.Context, name, global string) (Subject, error) {
	s := Subject{Name: name, Type: Avro}
	vs, err := r.Versions(ctx, name)
	if err != nil {
		return s, err
	}
	s.Versions = len(vs)
	latest, err := r.Get(ctx, name, -1)
	switch {
	case err == nil:
		s.Latest, s.LatestID, s.Type = latest.Version, latest.ID, latest.Type
	case !IsNotFound(err):
		return s, err
	}
	s.Compatibility, s.CompatibilityFrom, err = r.level(ctx, name, global)
	return s, err
}

// globalLevel is the registry's global compatibility level.
func (r *Registry) globalLevel(ctx context.Context) (string, error) {
	res := r.cl.Compatibility(ctx)
	if err := res[0].Err; err != nil {
		return "", r.fail("get the global compatibility level", err)
	}
	return res[0].Level.String(), nil
}

// level is the subject's compatibility level and whether it is the
// subject's own ("subject") or the global one ("global").
func (r *Registry) level(ctx context.Context, subject, global string) (string, string, error) {
	res := r.cl.Compatibility(ctx, subject)
	if err := res[0].Err; err != nil {
		var re *sr.ResponseError
		if errors.As(err, &re) && (re.ErrorCode == codeNoSubjectConfig || re.ErrorCode == CodeSubjectNotFound || re.StatusCode == 404) {
			return global, "global", nil
		}
		return "", "", r.fail(fmt.Sprintf("get the compatibility level of subject %q", subject), err)
	}
	return res[0].Level.String(), "subject", nil
}

// Compatibility is the level new versions of subject are checked at (its
// own, else the global one).
func (r *Registry) Compatibility(ctx context.Context, subject string) (string, error) {
	global, err := r.globalLevel(ctx)
	if err != nil {
		return "", err
	}
	l, _, err := r.level(ctx, subject, global)
	return l, err
}

// SetCompatibility sets subject's compatibility level (BACKWARD, FORWARD,
// FULL, NONE, or a *_TRANSITIVE one); "" as subject sets the global one.
func (r *Registry) SetCompatibility(ctx context.Context, subject, level string) error {
	var l sr.CompatibilityLevel
	op := fmt.Sprintf("set the compatibility level of subject %q to %s", subject, level)
	if subject == "" {
		op = "set the global compatibility level to " + level
	}
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		return &Error{URL: r.url, Op: op, Reason: err.Error(), Err: err}
	}
	var subjects []string
	if subject != "" {
		subjects = []string{subject}
	}
	if err := r.cl.SetCompatibility(ctx, sr.SetCompatibility{Level: l}, subjects...)[0].Err; err != nil {
		return r.fail(op, err)
	}
	return nil
}

// Versions lists subject's versions, ascending. (Apicurio keeps listing
// versions that were soft deleted; Confluent does not.)
func (r *Registry) Versions(ctx context.Context, subject string) ([]int, error) {
	vs, err := r.cl.SubjectVersions(ctx, subject)
	if err != nil {
		return nil, r.fail(fmt.Sprintf("list the versions of subject %q", subject), err)
	}
	slices.Sort(vs)
	return vs, nil
}

// Get is one version of subject; -1 is the latest.
func (r *Registry) Get(ctx context.Context, subject string, version int) (Version, error) {
	ss, err := r.cl.SchemaByVersion(ctx, subject, version)
	if err != nil {
		return Version{}, r.fail(fmt.Sprintf("get subject %q version %s", subject, versionName(version)), err)
	}
	v := versionOf(ss)
	if v.Subject == "" {
		v.Subject = subject
	}
	return v, nil
}

// GetByID is the schema with the registry-wide id, with the first subject
// version that holds it when the registry says (Subject and Version are
// empty otherwise).
func (r *Registry) GetByID(ctx context.Context, id int) (Version, error) {
	s, err := r.cl.SchemaByID(ctx, id)
	if err != nil {
		return Version{}, r.fail(fmt.Sprintf("get schema id %d", id), err)
	}
	v := Version{ID: id, Type: fromSR(s.Type), Schema: s.Schema}
	for _, ref := range s.References {
		v.References = append(v.References, Reference(ref))
	}
	// GET /schemas/ids/ID/versions is served by Confluent and Apicurio
	// alike (Apicurio 2.4 lacks .../subjects); it only adds names, so a
	// failure leaves them out.
	if svs, err := r.cl.SchemaVersionsByID(ctx, id); err == nil && len(svs) > 0 {
		slices.SortFunc(svs, func(a, b sr.SubjectVersion) int {
			return cmpOr(strings.Compare(a.Subject, b.Subject), a.Version-b.Version)
		})
		v.Subject, v.Version = svs[0].Subject, svs[0].Version
	}
	return v, nil
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// Register registers text as a version of subject (or finds it: the same
// schema registers once) and returns that version.
func (r *Registry) Register(ctx context.Context, subject, text string, typ Type, refs []Reference) (Version, error) {
	op := fmt.Sprintf("register a %s schema under subject %q", typ, subject)
	s := sr.Schema{Schema: text, Type: typ.sr(), References: toSRRefs(refs)}
	id, err := r.cl.RegisterSchema(ctx, subject, s, -1, -1)
	if err != nil {
		return Version{}, r.fail(op, err)
	}
	ss, err := r.cl.LookupSchema(ctx, subject, s)
	if err != nil {
		return Version{}, r.fail(op+fmt.Sprintf(": look up the registered id %d", id), err)
	}
	v := versionOf(ss)
	if v.Subject == "" {
		v.Subject = subject
	}
	if v.ID == 0 {
		v.ID = id
	}
	if len(v.References) == 0 {
		v.References = refs
	}
	v.Type = typ
	return v, nil
}

// Delete soft-deletes one version of subject, or with version -1 the
// whole subject, and says which versions went.
func (r *Registry) Delete(ctx context.Context, subject string, version int) (Deleted, error) {
	if version == -1 {
		vs, err := r.cl.DeleteSubject(ctx, subject, sr.SoftDelete)
		if err != nil {
			return Deleted{}, r.fail(fmt.Sprintf("delete subject %q", subject), err)
		}
		return Deleted{Subject: subject, Versions: vs, Whole: true}, nil
	}
	if version <= 0 {
		return Deleted{}, &Error{URL: r.url, Op: fmt.Sprintf("delete subject %q version %d", subject, version), Reason: "a version is a positive number"}
	}
	if err := r.cl.DeleteSchema(ctx, subject, version, sr.SoftDelete); err != nil {
		return Deleted{}, r.fail(fmt.Sprintf("delete subject %q version %d", subject, version), err)
	}
	return Deleted{Subject: subject, Versions: []int{version}}, nil
}

// Check asks the registry's compatibility endpoint whether text may be
// registered as subject's next version, at the level the subject is
// checked at.
func (r *Registry) Check(ctx context.Context, subject, text string, typ Type, refs []Reference) (CompatVerdict, error) {
	op := fmt.Sprintf("check a %s schema against subject %q", typ, subject)
	level, err := r.Compatibility(ctx, subject)
	if err != nil {
		return CompatVerdict{}, err
	}
	// The endpoint r.cl.CheckCompatibility calls, read with Apicurio's
	// "reason" as well as Confluent's "messages".
	var res struct {
		Is       bool     `json:"is_compatible"`
		Messages []string `json:"messages"`
		Reason   *string  `json:"reason"`
	}
	path := "/compatibility/subjects/" + url.PathEscape(subject) + "/versions/latest"
	s := sr.Schema{Schema: text, Type: typ.sr(), References: toSRRefs(refs)}
	if err := r.cl.Do(sr.WithParams(ctx, sr.Verbose), "POST", path, s, &res); err != nil {
		return CompatVerdict{}, r.fail(op, err)
	}
	v := CompatVerdict{Subject: subject, Compatible: res.Is, Level: level, Messages: res.Messages}
	if res.Reason != nil && *res.Reason != "" {
		v.Messages = append(v.Messages, *res.Reason)
	}
	return v, nil
}

// Resolve fills v.Imports with the texts of the schemas v references,
// and theirs in turn, so that a Protobuf schema compiles with its imports.
func (r *Registry) Resolve(ctx context.Context, v *Version) error {
	imports := map[string]string{}
	seen := map[Reference]bool{}
	var walk func(refs []Reference, depth int) error
	walk = func(refs []Reference, depth int) error {
		if depth > 32 {
			return &Error{URL: r.url, Op: fmt.Sprintf("resolve the references of subject %q", v.Subject), Reason: "references nest deeper than 32"}
		}
		for _, ref := range refs {
			if seen[ref] {
				continue
			}
			seen[ref] = true
			dep, err := r.Get(ctx, ref.Subject, ref.Version)
			if err != nil {
				return fmt.Errorf("reference %q: %w", ref.Name, err)
			}
			imports[ref.Name] = dep.Schema
			if err := walk(dep.References, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(v.References, 0); err != nil {
		return err
	}
	v.Imports = imports
	return nil
}
