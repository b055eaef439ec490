package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"kflow/kafka/schema"
)

// Registry is an in-memory Schema Registry speaking the subset of
// Confluent's REST API kflow uses, with Confluent's error codes: the demo's
// registry and the fast tests' one, so neither needs Java. Identical
// schema text gets one id; deletes are soft; Avro versions are checked
// for compatibility by the rules kafka/schema computes its verdicts with.
type Registry struct {
	mu       sync.Mutex
	nextID   int
	schemas  map[int]*stored
	byKey    map[string]int
	subjects map[string]*subject
	global   string

	srv  *http.Server
	done chan struct{}
}

// stored is one distinct schema, under its id.
type stored struct {
	typ  schema.Type
	text string
	refs []schema.Reference
}

type subject struct {
	versions []*regVersion
	level    string // "" follows the global level
}

type regVersion struct {
	n, id   int
	deleted bool
}

// NewRegistry makes an empty registry whose global compatibility level is
// BACKWARD, Confluent's default.
func NewRegistry() *Registry {
	return &Registry{nextID: 1, schemas: map[int]*stored{}, byKey: map[string]int{}, subjects: map[string]*subject{}, global: "BACKWARD"}
}

// Start serves the registry on addr (host:port; port 0 picks a free one)
// until Close, and returns its base URL.
func (r *Registry) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("demo schema registry: listen on %s: %w", addr, err)
	}
	r.srv = &http.Server{Handler: r.handler(), ReadHeaderTimeout: 10 * time.Second}
	r.done = make(chan struct{})
	go func() {
		defer close(r.done)
		_ = r.srv.Serve(ln) // ends with http.ErrServerClosed at Close
	}()
	return "http://" + ln.Addr().String(), nil
}

// Close stops serving and waits until the server has ended.
func (r *Registry) Close() {
	if r.srv == nil {
		return
	}
	_ = r.srv.Close()
	<-r.done
}

// apiError is Confluent's error body.
type apiError struct {
	status int
	Code   int    `json:"error_code"`
	Msg    string `json:"message"`
}

func (e *apiError) Error() string { return e.Msg }

func errf(status, code int, format string, args ...any) *apiError {
	return &apiError{status: status, Code: code, Msg: fmt.Sprintf(format, args...)}
}

func subjectNotFound(s string) *apiError {
	return errf(404, schema.CodeSubjectNotFound, "Subject '%s' not found.", s)
}

func versionNotFound(v string) *apiError {
	return errf(404, schema.CodeVersionNotFound, "Version %s not found.", v)
}

func (r *Registry) handler() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, f func(*http.Request) (any, error)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, req *http.Request) {
			r.mu.Lock()
			v, err := f(req)
			r.mu.Unlock()
			reply(w, v, err)
		})
	}
	h("GET /subjects", r.listSubjects)
	h("GET /subjects/{subject}/versions", r.listVersions)
	h("POST /subjects/{subject}/versions", r.register)
	h("GET /subjects/{subject}/versions/{version}", r.getVersion)
	h("GET /subjects/{subject}/versions/{version}/referencedby", r.referencedBy)
	h("POST /subjects/{subject}", r.lookup)
	h("DELETE /subjects/{subject}", r.deleteSubject)
	h("DELETE /subjects/{subject}/versions/{version}", r.deleteVersion)
	h("GET /schemas/ids/{id}", r.getByID)
	h("GET /schemas/ids/{id}/versions", r.idVersions)
	h("GET /schemas/ids/{id}/subjects", r.idSubjects)
	h("GET /schemas/types", func(*http.Request) (any, error) { return []string{"JSON", "PROTOBUF", "AVRO"}, nil })
	h("GET /config", func(*http.Request) (any, error) { return map[string]string{"compatibilityLevel": r.global}, nil })
	h("PUT /config", r.putGlobalConfig)
	h("GET /config/{subject}", r.getConfig)
	h("PUT /config/{subject}", r.putConfig)
	h("DELETE /config/{subject}", r.deleteConfig)
	h("POST /compatibility/subjects/{subject}/versions/{version}", r.compatibility)
	h("/", func(req *http.Request) (any, error) {
		return nil, errf(404, 404, "HTTP 404 Not Found: %s %s", req.Method, req.URL.Path)
	})
	return mux
}

func reply(w http.ResponseWriter, v any, err error) {
	w.Header().Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	status := http.StatusOK
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = errf(500, 50001, "%v", err)
		}
		status, v = ae.status, ae
	}
	b, mErr := json.Marshal(v)
	if mErr != nil {
		status, b = 500, []byte(`{"error_code":50001,"message":"encode the answer"}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// live are a subject's versions not deleted.
func (s *subject) live() []*regVersion {
	var out []*regVersion
	for _, v := range s.versions {
		if !v.deleted {
			out = append(out, v)
		}
	}
	return out
}

// liveSubject is the subject if it has any version left.
func (r *Registry) liveSubject(name string) (*subject, error) {
	s, ok := r.subjects[name]
	if !ok || len(s.live()) == 0 {
		return nil, subjectNotFound(name)
	}
	return s, nil
}

// version finds a live version by number or "latest".
func (r *Registry) version(req *http.Request) (string, *subject, *regVersion, error) {
	name := req.PathValue("subject")
	s, err := r.liveSubject(name)
	if err != nil {
		return name, nil, nil, err
	}
	vs := s.live()
	text := req.PathValue("version")
	if text == "latest" || text == "-1" {
		return name, s, vs[len(vs)-1], nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n <= 0 {
		return name, s, nil, errf(422, 42202, "The specified version '%s' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", text)
	}
	for _, v := range vs {
		if v.n == n {
			return name, s, v, nil
		}
	}
	return name, s, nil, versionNotFound(text)
}

func (r *Registry) listSubjects(*http.Request) (any, error) {
	out := []string{}
	for name, s := range r.subjects {
		if len(s.live()) > 0 {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (r *Registry) listVersions(req *http.Request) (any, error) {
	s, err := r.liveSubject(req.PathValue("subject"))
	if err != nil {
		return nil, err
	}
	out := []int{}
	for _, v := range s.live() {
		out = append(out, v.n)
	}
	return out, nil
}

// subjectSchema is the answer for one subject version.
type subjectSchema struct {
	Subject    string             `json:"subject,omitempty"`
	Version    int                `json:"version,omitempty"`
	ID         int                `json:"id,omitempty"`
	Type       string             `json:"schemaType,omitempty"`
	Schema     string             `json:"schema"`
	References []schema.Reference `json:"references,omitempty"`
}

func (r *Registry) answer(subject string, v *regVersion) subjectSchema {
	st := r.schemas[v.id]
	return subjectSchema{Subject: subject, Version: v.n, ID: v.id, Type: wireType(st.typ), Schema: st.text, References: st.refs}
}

// wireType is the schemaType field: absent for Avro, as Confluent does.
func wireType(t schema.Type) string {
	if t == schema.Avro {
		return ""
	}
	return string(t)
}

func (r *Registry) getVersion(req *http.Request) (any, error) {
	name, _, v, err := r.version(req)
	if err != nil {
		return nil, err
	}
	return r.answer(name, v), nil
}

// request is a schema as POSTed.
type request struct {
	Schema     string             `json:"schema"`
	Type       string             `json:"schemaType"`
	References []schema.Reference `json:"references"`
}

// candidate reads and validates a POSTed schema: its type, that its
// references exist, and that it parses (Protobuf compiles with them).
func (r *Registry) candidate(req *http.Request) (schema.Version, error) {
	var body request
	b, err := io.ReadAll(io.LimitReader(req.Body, 8<<20))
	if err != nil {
		return schema.Version{}, errf(400, 400, "read the request: %v", err)
	}
	if err := json.Unmarshal(b, &body); err != nil {
		return schema.Version{}, errf(422, 42201, "Invalid schema: the request is not JSON: %v", err)
	}
	typ, err := schema.ParseType(body.Type)
	if err != nil {
		return schema.Version{}, errf(422, 42201, "Invalid schema: %v", err)
	}
	v := schema.Version{Type: typ, Schema: body.Schema, References: body.References, Imports: map[string]string{}}
	if err := r.imports(v.References, v.Imports, 0); err != nil {
		return v, err
	}
	if err := schema.Validate(v); err != nil {
		return v, errf(422, schema.CodeInvalidSchema, "Invalid schema %s: %v", strings.TrimSpace(body.Schema), err)
	}
	return v, nil
}

// imports resolves references, transitively, into their texts.
func (r *Registry) imports(refs []schema.Reference, into map[string]string, depth int) error {
	if depth > 32 {
		return errf(422, schema.CodeInvalidSchema, "Invalid schema: references nest deeper than 32")
	}
	for _, ref := range refs {
		s, ok := r.subjects[ref.Subject]
		var found *regVersion
		if ok {
			for _, v := range s.live() {
				if v.n == ref.Version {
					found = v
				}
			}
		}
		if found == nil {
			return errf(422, schema.CodeInvalidSchema, "Invalid schema: reference %q: subject %q version %d not found", ref.Name, ref.Subject, ref.Version)
		}
		st := r.schemas[found.id]
		into[ref.Name] = st.text
		if err := r.imports(st.refs, into, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func contentKey(v schema.Version) string {
	refs, _ := json.Marshal(v.References)
	return string(v.Type) + "\x00" + v.Schema + "\x00" + string(refs)
}

func (r *Registry) level(s *subject) string {
	if s != nil && s.level != "" {
		return s.level
	}
	return r.global
}

// incompatible lists why candidate may not follow the versions it is
// checked against at the subject's level (Avro only: other types pass).
func (r *Registry) incompatible(against []*regVersion, level string, candidate schema.Version) []string {
	var out []string
	for _, v := range against {
		st := r.schemas[v.id]
		old := schema.Version{Version: v.n, Type: st.typ, Schema: st.text}
		l, err := schema.LocalCompat(old, candidate)
		if err != nil {
			out = append(out, fmt.Sprintf("version %d: %v", v.n, err))
			continue
		}
		if l.Checked && !l.Allows(level) {
			for _, b := range l.Breaks {
				if strings.HasPrefix(level, strings.SplitN(b, ":", 2)[0]) || strings.HasPrefix(level, "FULL") {
					out = append(out, fmt.Sprintf("version %d: %s", v.n, b))
				}
			}
		}
	}
	return out
}

// against are the versions a new one is checked against at level: the
// latest, or all of them for a transitive level.
func against(s *subject, level string) []*regVersion {
	vs := s.live()
	if len(vs) == 0 || level == "NONE" {
		return nil
	}
	if strings.HasSuffix(level, "_TRANSITIVE") {
		return vs
	}
	return vs[len(vs)-1:]
}

func (r *Registry) register(req *http.Request) (any, error) {
	name := req.PathValue("subject")
	v, err := r.candidate(req)
	if err != nil {
		return nil, err
	}
	s := r.subjects[name]
	key := contentKey(v)
	if s != nil {
		for _, lv := range s.live() {
			if contentKey(r.stored(lv.id)) == key {
				return map[string]int{"id": lv.id}, nil
			}
		}
		level := r.level(s)
		if why := r.incompatible(against(s, level), level, v); len(why) > 0 {
			return nil, errf(409, schema.CodeIncompatible, "Schema being registered is incompatible with an earlier schema for subject %q (%s): %s", name, level, strings.Join(why, "; "))
		}
	} else {
		s = &subject{}
		r.subjects[name] = s
	}
	id, ok := r.byKey[key]
	if !ok {
		id = r.nextID
		r.nextID++
		r.byKey[key] = id
		r.schemas[id] = &stored{typ: v.Type, text: v.Schema, refs: v.References}
	}
	n := 1
	if len(s.versions) > 0 {
		n = s.versions[len(s.versions)-1].n + 1
	}
	s.versions = append(s.versions, &regVersion{n: n, id: id})
	return map[string]int{"id": id}, nil
}

// stored is the schema under id as a Version.
func (r *Registry) stored(id int) schema.Version {
	st := r.schemas[id]
	return schema.Version{ID: id, Type: st.typ, Schema: st.text, References: st.refs}
}

func (r *Registry) lookup(req *http.Request) (any, error) {
	name := req.PathValue("subject")
	s, err := r.liveSubject(name)
	if err != nil {
		return nil, err
	}
	v, err := r.candidate(req)
	if err != nil {
		return nil, err
	}
	key := contentKey(v)
	for _, lv := range s.live() {
		if contentKey(r.stored(lv.id)) == key {
			return r.answer(name, lv), nil
		}
	}
	return nil, errf(404, schema.CodeSchemaNotFound, "Schema not found")
}

func (r *Registry) deleteSubject(req *http.Request) (any, error) {
	s, err := r.liveSubject(req.PathValue("subject"))
	if err != nil {
		return nil, err
	}
	out := []int{}
	for _, v := range s.live() {
		v.deleted = true
		out = append(out, v.n)
	}
	return out, nil
}

func (r *Registry) deleteVersion(req *http.Request) (any, error) {
	_, _, v, err := r.version(req)
	if err != nil {
		return nil, err
	}
	v.deleted = true
	return v.n, nil
}

func (r *Registry) referencedBy(req *http.Request) (any, error) {
	name, _, v, err := r.version(req)
	if err != nil {
		return nil, err
	}
	out := []int{}
	for _, s := range r.subjects {
		for _, lv := range s.live() {
			for _, ref := range r.schemas[lv.id].refs {
				if ref.Subject == name && ref.Version == v.n && !slices.Contains(out, lv.id) {
					out = append(out, lv.id)
				}
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

func (r *Registry) schemaID(req *http.Request) (int, *stored, error) {
	id, err := strconv.Atoi(req.PathValue("id"))
	st := r.schemas[id]
	if err != nil || st == nil {
		return 0, nil, errf(404, schema.CodeSchemaNotFound, "Schema %s not found", req.PathValue("id"))
	}
	return id, st, nil
}

func (r *Registry) getByID(req *http.Request) (any, error) {
	_, st, err := r.schemaID(req)
	if err != nil {
		return nil, err
	}
	return subjectSchema{Type: wireType(st.typ), Schema: st.text, References: st.refs}, nil
}

type subjectVersion struct {
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// usages are the live subject versions holding schema id, sorted.
func (r *Registry) usages(id int) []subjectVersion {
	out := []subjectVersion{}
	for name, s := range r.subjects {
		for _, v := range s.live() {
			if v.id == id {
				out = append(out, subjectVersion{name, v.n})
			}
		}
	}
	slices.SortFunc(out, func(a, b subjectVersion) int {
		if c := strings.Compare(a.Subject, b.Subject); c != 0 {
			return c
		}
		return a.Version - b.Version
	})
	return out
}

func (r *Registry) idVersions(req *http.Request) (any, error) {
	id, _, err := r.schemaID(req)
	if err != nil {
		return nil, err
	}
	return r.usages(id), nil
}

func (r *Registry) idSubjects(req *http.Request) (any, error) {
	id, _, err := r.schemaID(req)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, u := range r.usages(id) {
		if !slices.Contains(out, u.Subject) {
			out = append(out, u.Subject)
		}
	}
	return out, nil
}

var levels = []string{"NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"}

func readLevel(req *http.Request) (string, error) {
	var body struct {
		Compatibility string `json:"compatibility"`
	}
	if err := json.NewDecoder(io.LimitReader(req.Body, 1<<16)).Decode(&body); err != nil {
		return "", errf(422, 42203, "Invalid compatibility level: %v", err)
	}
	l := strings.ToUpper(body.Compatibility)
	if !slices.Contains(levels, l) {
		return "", errf(422, 42203, "Invalid compatibility level %q", body.Compatibility)
	}
	return l, nil
}

func (r *Registry) putGlobalConfig(req *http.Request) (any, error) {
	l, err := readLevel(req)
	if err != nil {
		return nil, err
	}
	r.global = l
	return map[string]string{"compatibility": l}, nil
}

func (r *Registry) getConfig(req *http.Request) (any, error) {
	name := req.PathValue("subject")
	s := r.subjects[name]
	switch {
	case s != nil && s.level != "":
		return map[string]string{"compatibilityLevel": s.level}, nil
	case req.URL.Query().Get("defaultToGlobal") == "true":
		return map[string]string{"compatibilityLevel": r.global}, nil
	}
	return nil, errf(404, 40408, "Subject '%s' does not have subject-level compatibility configured", name)
}

func (r *Registry) putConfig(req *http.Request) (any, error) {
	l, err := readLevel(req)
	if err != nil {
		return nil, err
	}
	name := req.PathValue("subject")
	s := r.subjects[name]
	if s == nil {
		s = &subject{}
		r.subjects[name] = s
	}
	s.level = l
	return map[string]string{"compatibility": l}, nil
}

func (r *Registry) deleteConfig(req *http.Request) (any, error) {
	name := req.PathValue("subject")
	s := r.subjects[name]
	if s == nil || s.level == "" {
		return nil, errf(404, 40408, "Subject '%s' does not have subject-level compatibility configured", name)
	}
	l := s.level
	s.level = ""
	return map[string]string{"compatibilityLevel": l}, nil
}

func (r *Registry) compatibility(req *http.Request) (any, error) {
	_, s, v, err := r.version(req)
	if err != nil {
		return nil, err
	}
	c, err := r.candidate(req)
	if err != nil {
		return nil, err
	}
	level := r.level(s)
	why := []string{}
	if level != "NONE" {
		why = append(why, r.incompatible([]*regVersion{v}, level, c)...)
	}
	return map[string]any{"is_compatible": len(why) == 0, "messages": why}, nil
}
