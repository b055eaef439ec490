package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"kflow/kafka"
	"kflow/kafka/demo"
	"kflow/kafka/schema"
	"kflow/text"
)

// schemaActions are kflow schema's subcommands, as its usage error lists them.
const schemaActions = "subjects, versions, get, get-id, diff, check, register, delete"

// errNoRegistry is the usage error of a schema command with no registry.
func errNoRegistry() error {
	return usagef("no schema registry: give --registry URL, KFLOW_REGISTRY or a context's schema-registry")
}

func runSchema(ctx context.Context, e env, args []string) error {
	var g globals
	fs := newFlags("schema", e, &g)
	typ := fs.String("type", "", "the schema's `type`: AVRO, PROTOBUF or JSON (default: from the file's extension, .avsc, .proto or .json)")
	var refs multiFlag
	fs.Var(&refs, "ref", "a reference the schema imports, `name=subject:version` (a Protobuf import's file name); repeat for more")
	confirm := fs.String("confirm", "", "the subject's `name` again: delete without a prompt")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("schema takes an action (%s)", schemaActions)
	}
	action, rest := pos[0], pos[1:]
	want := map[string]struct {
		n    int
		what string
	}{
		"subjects": {0, "no arguments"},
		"versions": {1, "a subject"},
		"get":      {1, "a subject, optionally :VERSION"},
		"get-id":   {1, "a schema id"},
		"diff":     {3, "a subject and two versions"},
		"check":    {2, "a subject and a schema file"},
		"register": {2, "a subject and a schema file"},
		"delete":   {1, "a subject, optionally :VERSION"},
	}
	w, ok := want[action]
	if !ok {
		return usagef("schema: unknown action %q (%s)", action, schemaActions)
	}
	if err := wantArgs("schema "+action, rest, w.n, w.what); err != nil {
		return err
	}
	parsedRefs, err := parseRefs(refs)
	if err != nil {
		return err
	}
	res, err := resolve(&g, e)
	if err != nil {
		return err
	}
	if g.demo { // the demo's own registry, with its Avro order events' schemas
		dc, err := demo.Start(ctx, demo.Options{Listen: "127.0.0.1:0"})
		if err != nil {
			return fmt.Errorf("start the demo cluster: %w", err)
		}
		defer dc.Close()
		res.conn = res.conn.WithRegistryURL(dc.RegistryURL())
	}
	if res.conn.Registry == nil || res.conn.Registry.URL == "" {
		return errNoRegistry()
	}
	// Writes are refused before the registry is asked anything.
	if res.conn.ReadOnly && (action == "register" || action == "delete") {
		return fmt.Errorf("%s schema under subject %s: %w", action, rest[0], kafka.ErrReadOnly)
	}
	var file string
	var fileType schema.Type
	if action == "check" || action == "register" {
		file, fileType, err = readSchemaFile(e, rest[1], *typ)
		if err != nil {
			return err
		}
	}
	reg, err := kafka.OpenRegistry(ctx, res.conn)
	if err != nil {
		return err
	}
	s := schemaCmd{e: e, reg: reg, json: g.json}
	switch action {
	case "subjects":
		return s.subjects(ctx)
	case "versions":
		return s.versions(ctx, rest[0])
	case "get":
		subject, version, err := subjectVersion(rest[0], -1)
		if err != nil {
			return err
		}
		v, err := reg.Get(ctx, subject, version)
		if err != nil {
			return err
		}
		return s.show(v)
	case "get-id":
		id, err := strconv.Atoi(rest[0])
		if err != nil || id <= 0 {
			return usagef("schema get-id: %q is not a schema id", rest[0])
		}
		v, err := reg.GetByID(ctx, id)
		if err != nil {
			return err
		}
		return s.show(v)
	case "diff":
		v1, err := versionArg(rest[1])
		if err != nil {
			return err
		}
		v2, err := versionArg(rest[2])
		if err != nil {
			return err
		}
		return s.diff(ctx, rest[0], v1, v2)
	case "check":
		return s.check(ctx, rest[0], file, fileType, parsedRefs)
	case "register":
		v, err := reg.Register(ctx, rest[0], file, fileType, parsedRefs)
		if err != nil {
			return err
		}
		if g.json {
			return printJSON(e.stdout, v)
		}
		fmt.Fprintf(e.stdout, "registered subject %s version %d, schema id %d\n", text.SanitizeString(v.Subject), v.Version, v.ID)
		return nil
	}
	return s.delete(ctx, rest[0], *confirm)
}

// schemaCmd is one kflow schema run: where it prints and the registry.
type schemaCmd struct {
	e    env
	reg  *schema.Registry
	json bool
}

func (s schemaCmd) subjects(ctx context.Context) error {
	subs, err := s.reg.Subjects(ctx)
	if err != nil {
		return err
	}
	if s.json {
		if subs == nil {
			subs = []schema.Subject{}
		}
		return printJSON(s.e.stdout, subs)
	}
	return table(s.e.stdout, "SUBJECT\tLATEST\tID\tTYPE\tCOMPATIBILITY\tVERSIONS", func(w io.Writer) {
		for _, sub := range subs {
			level := sub.Compatibility
			if sub.CompatibilityFrom == "global" {
				level += " (global)"
			}
			fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\t%d\n", text.SanitizeString(sub.Name), sub.Latest, sub.LatestID, sub.Type, level, sub.Versions)
		}
	})
}

func (s schemaCmd) versions(ctx context.Context, subject string) error {
	vs, err := s.reg.Versions(ctx, subject)
	if err != nil {
		return err
	}
	if s.json {
		if vs == nil {
			vs = []int{}
		}
		return printJSON(s.e.stdout, vs)
	}
	for _, v := range vs {
		fmt.Fprintln(s.e.stdout, v)
	}
	return nil
}

// show prints one schema: a line naming it, its references, then its
// text (Avro and JSON Schema indented).
func (s schemaCmd) show(v schema.Version) error {
	if s.json {
		return printJSON(s.e.stdout, v)
	}
	head := fmt.Sprintf("id %d  type %s", v.ID, v.Type)
	if v.Subject != "" {
		head = fmt.Sprintf("subject %s  version %d  ", text.SanitizeString(v.Subject), v.Version) + head
	}
	fmt.Fprintln(s.e.stdout, head)
	for _, r := range v.References {
		fmt.Fprintf(s.e.stdout, "reference %s → subject %s version %d\n", text.SanitizeString(r.Name), text.SanitizeString(r.Subject), r.Version)
	}
	fmt.Fprintln(s.e.stdout)
	fmt.Fprintln(s.e.stdout, strings.Join(text.SanitizeLines([]byte(prettySchema(v))), "\n")) // --json keeps the exact text
	return nil
}

// prettySchema is the schema's text indented when it is JSON.
func prettySchema(v schema.Version) string {
	if v.Type != schema.Protobuf {
		var b bytes.Buffer
		if json.Indent(&b, []byte(v.Schema), "", "  ") == nil {
			return b.String()
		}
	}
	return strings.TrimRight(v.Schema, "\n")
}

// diffReport is kflow schema diff --json.
type diffReport struct {
	Subject string          `json:"subject"`
	Type    schema.Type     `json:"type"`
	From    schema.Version  `json:"from"`
	To      schema.Version  `json:"to"`
	Changes []schema.Change `json:"changes"`
	// Local is kflow's own verdict (Avro), Level its strongest level.
	Local      schema.Local `json:"local"`
	LocalLevel string       `json:"local_level,omitempty"`
	// Registry is the level the registry checks the subject at.
	Registry string `json:"registry_level"`
	// Allowed says whether the change keeps the registry's level, by
	// kflow's own rules (Avro only).
	Allowed *bool `json:"allowed_by_registry_level,omitempty"`
}

func (s schemaCmd) diff(ctx context.Context, subject string, v1, v2 int) error {
	a, err := s.reg.Get(ctx, subject, v1)
	if err != nil {
		return err
	}
	b, err := s.reg.Get(ctx, subject, v2)
	if err != nil {
		return err
	}
	if a.Type == schema.Protobuf {
		for _, v := range []*schema.Version{&a, &b} {
			if err := s.reg.Resolve(ctx, v); err != nil {
				return err
			}
		}
	}
	changes, err := schema.Diff(a, b)
	if err != nil {
		return fmt.Errorf("subject %s: %w", subject, err)
	}
	local, err := schema.LocalCompat(a, b)
	if err != nil {
		return fmt.Errorf("subject %s: %w", subject, err)
	}
	level, err := s.reg.Compatibility(ctx, subject)
	if err != nil {
		return err
	}
	rep := diffReport{Subject: subject, Type: a.Type, From: a, To: b, Changes: changes, Local: local, LocalLevel: local.Level(), Registry: level}
	if rep.Changes == nil {
		rep.Changes = []schema.Change{}
	}
	if local.Checked {
		ok := local.Allows(level)
		rep.Allowed = &ok
	}
	if s.json {
		return printJSON(s.e.stdout, rep)
	}
	out := s.e.stdout
	fmt.Fprintf(out, "subject %s  %s  version %d (id %d) → version %d (id %d)\n\n", text.SanitizeString(subject), a.Type, a.Version, a.ID, b.Version, b.ID)
	if len(changes) == 0 {
		fmt.Fprintln(out, "no changes")
	} else {
		if err := table(out, "CHANGE\tPATH\tOLD\tNEW", func(w io.Writer) {
			for _, c := range changes {
				path := c.Path
				if c.Number != 0 {
					path += fmt.Sprintf(" (%d)", c.Number)
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Kind, text.SanitizeString(path), text.SanitizeString(c.Old), text.SanitizeString(c.New))
			}
		}); err != nil {
			return err
		}
	}
	fmt.Fprintln(out)
	if !local.Checked {
		fmt.Fprintf(out, "compatibility: the registry checks %s; kflow computes no local verdict for %s\n", level, a.Type)
		return nil
	}
	keeps := "keeps"
	if !local.Allows(level) {
		keeps = "breaks"
	}
	fmt.Fprintf(out, "compatibility: version %d is %s compatible with version %d (kflow's Avro rules); that %s the registry's %s\n", b.Version, local.Level(), a.Version, keeps, level)
	writeBreaks(out, local.Breaks)
	return nil
}

// writeBreaks lists what breaks a direction, and says what the
// directions mean once.
func writeBreaks(w io.Writer, breaks []string) {
	for _, br := range breaks {
		fmt.Fprintf(w, "  %s\n", text.SanitizeString(br))
	}
	if len(breaks) > 0 {
		fmt.Fprintln(w, "  (BACKWARD: the new schema reads old data; FORWARD: the old schema reads new data)")
	}
}

// checkReport is kflow schema check --json.
type checkReport struct {
	schema.CompatVerdict
	// Local is kflow's own verdict against the latest version (Avro).
	Local *schema.Local `json:"local,omitempty"`
}

// check asks the registry whether the file may follow the subject's
// latest version: exit 0 when it may, 1 when not.
func (s schemaCmd) check(ctx context.Context, subject, file string, typ schema.Type, refs []schema.Reference) error {
	v, err := s.reg.Check(ctx, subject, file, typ, refs)
	if err != nil {
		return err
	}
	rep := checkReport{CompatVerdict: v}
	if typ == schema.Avro {
		if latest, err := s.reg.Get(ctx, subject, -1); err == nil {
			if l, err := schema.LocalCompat(latest, schema.Version{Type: typ, Schema: file}); err == nil {
				rep.Local = &l
			}
		}
	}
	if s.json {
		if err := printJSON(s.e.stdout, rep); err != nil {
			return err
		}
	} else {
		word := "compatible"
		if !v.Compatible {
			word = "NOT compatible"
		}
		fmt.Fprintf(s.e.stdout, "%s with subject %s's latest version at %s (the registry's check)\n", word, text.SanitizeString(subject), v.Level)
		for _, m := range v.Messages {
			fmt.Fprintf(s.e.stdout, "  %s\n", text.SanitizeString(m))
		}
		if rep.Local != nil {
			fmt.Fprintf(s.e.stdout, "kflow's Avro rules: %s\n", rep.Local.Level())
			writeBreaks(s.e.stdout, rep.Local.Breaks)
		}
	}
	if !v.Compatible {
		return fmt.Errorf("schema check: the schema is not compatible with subject %s at %s", subject, v.Level)
	}
	return nil
}

// delete soft-deletes a version, or the whole subject, once the subject's
// name is typed back or given to --confirm.
func (s schemaCmd) delete(ctx context.Context, arg, confirm string) error {
	subject, version, err := subjectVersion(arg, 0)
	if err != nil {
		return err
	}
	if version == -1 { // :latest is a number by the time it is deleted
		v, err := s.reg.Get(ctx, subject, -1)
		if err != nil {
			return err
		}
		version = v.Version
	}
	action, what := "delete subject", ""
	if version > 0 {
		action = fmt.Sprintf("delete version %d of subject", version)
		what = fmt.Sprintf("This soft-deletes version %d of subject %s.", version, subject)
	} else if vs, err := s.reg.Versions(ctx, subject); err == nil {
		what = fmt.Sprintf("This soft-deletes subject %s and its %s.", subject, text.CountOf(len(vs), "version", "versions"))
	}
	if err := confirmName(s.e, action, subject, confirm, what); err != nil {
		return err
	}
	if version == 0 {
		version = -1 // the whole subject
	}
	d, err := s.reg.Delete(ctx, subject, version)
	if err != nil {
		return err
	}
	if s.json {
		return printJSON(s.e.stdout, d)
	}
	vs := make([]string, len(d.Versions))
	for i, v := range d.Versions {
		vs[i] = strconv.Itoa(v)
	}
	if d.Whole {
		word := "versions"
		if len(vs) == 1 {
			word = "version"
		}
		fmt.Fprintf(s.e.stderr, "deleted subject %s (soft): %s %s\n", subject, word, strings.Join(vs, ", "))
	} else {
		fmt.Fprintf(s.e.stderr, "deleted version %s of subject %s (soft)\n", strings.Join(vs, ", "), subject)
	}
	return nil
}

// subjectVersion splits SUBJECT[:VERSION]: VERSION is a number or
// "latest" (-1); without one it is def.
func subjectVersion(arg string, def int) (string, int, error) {
	if i := strings.LastIndex(arg, ":"); i > 0 {
		if v, err := versionArg(arg[i+1:]); err == nil {
			return arg[:i], v, nil
		}
	}
	if arg == "" {
		return "", 0, usagef("schema: an empty subject")
	}
	return arg, def, nil
}

// versionArg reads a version: a positive number or "latest" (-1).
func versionArg(s string) (int, error) {
	if s == "latest" {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, usagef("schema: %q is not a version (a number, or latest)", s)
	}
	return n, nil
}

// parseRefs reads --ref name=subject:version.
func parseRefs(refs []string) ([]schema.Reference, error) {
	var out []schema.Reference
	for _, r := range refs {
		name, sv, ok := strings.Cut(r, "=")
		i := strings.LastIndex(sv, ":")
		if !ok || name == "" || i <= 0 {
			return nil, usagef("--ref %q: want name=subject:version, e.g. common/money.proto=common-value:1", r)
		}
		v, err := strconv.Atoi(sv[i+1:])
		if err != nil || v <= 0 {
			return nil, usagef("--ref %q: %q is not a version", r, sv[i+1:])
		}
		out = append(out, schema.Reference{Name: name, Subject: sv[:i], Version: v})
	}
	return out, nil
}

// maxSchemaFile bounds a schema file: registries refuse far smaller.
const maxSchemaFile = 8 << 20

// readSchemaFile reads a schema file ("-" is stdin) and its type: --type,
// else the extension.
func readSchemaFile(e env, path, typ string) (string, schema.Type, error) {
	var t schema.Type
	var err error
	switch {
	case typ != "":
		if t, err = schema.ParseType(typ); err != nil {
			return "", "", usagef("--type: %v", err)
		}
	default:
		switch strings.ToLower(filepath.Ext(path)) {
		case ".avsc":
			t = schema.Avro
		case ".proto":
			t = schema.Protobuf
		case ".json":
			t = schema.JSONSchema
		default:
			return "", "", usagef("schema file %s: give --type AVRO, PROTOBUF or JSON (the extension is not .avsc, .proto or .json)", path)
		}
	}
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", "", fmt.Errorf("schema file: %w", err)
		}
		defer func() { _ = f.Close() }()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSchemaFile+1))
	if err != nil {
		return "", "", fmt.Errorf("schema file %s: %w", path, err)
	}
	if len(b) > maxSchemaFile {
		return "", "", fmt.Errorf("schema file %s: larger than %d MiB", path, maxSchemaFile>>20)
	}
	return string(b), t, nil
}
