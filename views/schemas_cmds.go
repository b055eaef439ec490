package views

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"kflow/kafka/schema"
)

// errNoRegistry is what a schema call says on a connection without a
// registry.
var errNoRegistry = errors.New("no schema registry: start kflow with --registry URL, KFLOW_REGISTRY or a context's schema-registry")

// Answers of the schema views' calls.
type (
	subjectsLoaded = Result[[]schema.Subject]
	schemaDeleted  = Result[schema.Deleted]
	// subjectLoaded is one subject's versions and level.
	subjectLoaded = Result[subjectInfo]
	versionLoaded = Result[schema.Version]
	diffLoaded    = Result[schemaDiffResult]
	checkDone     = Result[schemaCheckResult]
	registered    = Result[schema.Version]
)

// subjectInfo is what the subject view asks of the registry besides the
// schemas: the versions it lists and the level new ones are checked at.
type subjectInfo struct {
	Versions []int
	Level    string
	// Latest is the version the registry serves as the latest: Apicurio
	// keeps listing versions that were soft-deleted, so the last listed
	// is not always it. 0 when none is served.
	Latest int
}

// schemaDiffResult is a diff of two versions with the local verdict.
type schemaDiffResult struct {
	From, To schema.Version
	Changes  []schema.Change
	Local    schema.Local
	Level    string
}

// schemaCheckResult is the registry's verdict on a candidate schema, and
// kflow's own against the latest version (Avro).
type schemaCheckResult struct {
	// Text and Type are the schema checked: as typed, or File's.
	Text    string
	Type    schema.Type
	File    string
	Verdict schema.CompatVerdict
	Local   *schema.Local
}

// schemaRefresh is how often the schema views poll at most: listing the
// subjects asks the registry three requests per subject, and schemas
// change far less often than offsets; r refreshes at once.
const schemaRefresh = 30 * time.Second

// schemaTick schedules view id's next refresh: Common.Refresh, but no
// sooner than schemaRefresh; nothing when polling is off.
func schemaTick(c *Common, id int) tea.Cmd {
	if c.Refresh <= 0 {
		return nil
	}
	return tea.Tick(max(c.Refresh, schemaRefresh), func(time.Time) tea.Msg { return TickMsg{ID: id} })
}

// registryCall runs f against the connection's registry as a call of view
// id: bounded by the call timeout, answered with a Result.
func registryCall[T any](c *Common, id, gen int, what string, f func(ctx context.Context, r *schema.Registry) (T, error)) tea.Cmd {
	reg := c.Registry
	return Call(c, id, gen, what, func(ctx context.Context) (T, error) {
		if reg == nil {
			var zero T
			return zero, errNoRegistry
		}
		return f(ctx, reg)
	})
}

func loadSubjects(c *Common, id, gen int) tea.Cmd {
	return registryCall(c, id, gen, "list subjects", func(ctx context.Context, r *schema.Registry) ([]schema.Subject, error) {
		return r.Subjects(ctx)
	})
}

func loadSubject(c *Common, id, gen int, subject string) tea.Cmd {
	return registryCall(c, id, gen, "read subject "+subject, func(ctx context.Context, r *schema.Registry) (subjectInfo, error) {
		vs, err := r.Versions(ctx, subject)
		if err != nil {
			return subjectInfo{}, err
		}
		level, err := r.Compatibility(ctx, subject)
		if err != nil {
			return subjectInfo{}, err
		}
		info := subjectInfo{Versions: vs, Level: level}
		latest, err := r.Get(ctx, subject, -1)
		switch {
		case err == nil:
			info.Latest = latest.Version
		case !schema.IsNotFound(err):
			return subjectInfo{}, err
		}
		return info, nil
	})
}

func loadVersion(c *Common, id, gen int, subject string, version int) tea.Cmd {
	return registryCall(c, id, gen, fmt.Sprintf("read subject %s version %d", subject, version), func(ctx context.Context, r *schema.Registry) (schema.Version, error) {
		return r.Get(ctx, subject, version)
	})
}

func deleteSchema(c *Common, id int, subject string, version int) tea.Cmd {
	what := "delete subject " + subject
	if version > 0 {
		what = fmt.Sprintf("delete version %d of subject %s", version, subject)
	}
	return registryCall(c, id, 0, what, func(ctx context.Context, r *schema.Registry) (schema.Deleted, error) {
		return r.Delete(ctx, subject, version)
	})
}

// loadDiff fetches two versions and compares them, off the UI's
// goroutine: Protobuf versions compile with their references.
func loadDiff(c *Common, id, gen int, subject string, from, to int) tea.Cmd {
	return registryCall(c, id, gen, fmt.Sprintf("diff subject %s versions %d and %d", subject, from, to), func(ctx context.Context, r *schema.Registry) (schemaDiffResult, error) {
		a, err := r.Get(ctx, subject, from)
		if err != nil {
			return schemaDiffResult{}, err
		}
		b, err := r.Get(ctx, subject, to)
		if err != nil {
			return schemaDiffResult{}, err
		}
		if a.Type == schema.Protobuf {
			for _, v := range []*schema.Version{&a, &b} {
				if err := r.Resolve(ctx, v); err != nil {
					return schemaDiffResult{}, err
				}
			}
		}
		changes, err := schema.Diff(a, b)
		if err != nil {
			return schemaDiffResult{}, fmt.Errorf("subject %s: %w", subject, err)
		}
		local, err := schema.LocalCompat(a, b)
		if err != nil {
			return schemaDiffResult{}, fmt.Errorf("subject %s: %w", subject, err)
		}
		level, err := r.Compatibility(ctx, subject)
		if err != nil {
			return schemaDiffResult{}, err
		}
		return schemaDiffResult{From: a, To: b, Changes: changes, Local: local, Level: level}, nil
	})
}

// checkSchema asks the registry whether the candidate may be subject's
// next version, and for Avro compares it with the latest version by
// kflow's own rules too, as kflow schema check does. A candidate that is
// one line "@PATH" is the file's text, its type from the extension
// (.avsc, .proto, .json) or else typ; the file is read here, off the UI's
// goroutine.
func checkSchema(c *Common, id, gen int, subject, candidate string, typ schema.Type) tea.Cmd {
	return registryCall(c, id, gen, "check a schema against subject "+subject, func(ctx context.Context, r *schema.Registry) (schemaCheckResult, error) {
		res := schemaCheckResult{Text: candidate, Type: typ}
		if path, literal := splitValueFile(candidate); path != "" {
			b, err := readSchemaFile(path)
			if err != nil {
				return res, err
			}
			res.File, res.Text, res.Type = path, string(b), typeOfFile(path, typ)
		} else {
			res.Text = literal
		}
		if strings.TrimSpace(res.Text) == "" {
			return res, errors.New("the schema is empty: type one, or @PATH to load a file")
		}
		v, err := r.Check(ctx, subject, res.Text, res.Type, nil)
		if err != nil {
			return res, err
		}
		res.Verdict = v
		if res.Type == schema.Avro {
			if latest, err := r.Get(ctx, subject, -1); err == nil {
				if l, err := schema.LocalCompat(latest, schema.Version{Type: res.Type, Schema: res.Text}); err == nil {
					res.Local = &l
				}
			}
		}
		return res, nil
	})
}

// maxSchemaFile bounds a schema file "@PATH" loads: registries refuse far
// smaller.
const maxSchemaFile = 8 << 20

// readSchemaFile reads an "@PATH" schema, bounded by maxSchemaFile.
func readSchemaFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("schema @%s: %w", path, err)
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxSchemaFile+1))
	if err != nil {
		return nil, fmt.Errorf("schema @%s: %w", path, err)
	}
	if len(b) > maxSchemaFile {
		return nil, fmt.Errorf("schema @%s is larger than %d MiB", path, maxSchemaFile>>20)
	}
	return b, nil
}

// typeOfFile is a schema file's type by its extension, else def.
func typeOfFile(path string, def schema.Type) schema.Type {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".avsc":
		return schema.Avro
	case ".proto":
		return schema.Protobuf
	case ".json":
		return schema.JSONSchema
	}
	return def
}

func registerSchema(c *Common, id int, subject, text string, typ schema.Type) tea.Cmd {
	return registryCall(c, id, 0, "register a schema under subject "+subject, func(ctx context.Context, r *schema.Registry) (schema.Version, error) {
		return r.Register(ctx, subject, text, typ, nil)
	})
}
