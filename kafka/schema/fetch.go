package schema

import (
	"context"
	"errors"
	"fmt"

	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"
)

const (
	// maxRefDepth bounds how deep references may chain (a references b
	// references c ...); a registry's answers must not lead us on forever.
	maxRefDepth = 16
	// maxRefs bounds how many distinct schemas one schema may pull in.
	maxRefs = 256
)

// refDoc is one referenced schema: the name the referrer uses for it (an
// import path, a $ref URL, an Avro full name) and its text.
type refDoc struct {
	name    string
	subject string
	version int
	schema  sr.Schema
}

// compiled is a schema ready to decode and encode: exactly one of avro,
// proto, json is set.
type compiled struct {
	info  Info
	avro  avro.Schema
	proto *protoSchema
	json  *jsonSchema
}

func typeOf(t sr.SchemaType) (Type, error) {
	switch t {
	case sr.TypeAvro:
		return Avro, nil
	case sr.TypeProtobuf:
		return Protobuf, nil
	case sr.TypeJSON:
		return JSONSchema, nil
	}
	return "", fmt.Errorf("unsupported schema type %v", t)
}

// references fetches the schemas refs name, recursively, returned so that a
// schema comes after everything it references. A reference back to a schema
// still being resolved is a cycle and an error; one reached twice by
// different paths is fetched once.
func (r *Registry) references(ctx context.Context, refs []sr.SchemaReference) ([]refDoc, error) {
	var out []refDoc
	done := map[string]bool{}
	onPath := map[string]bool{}
	var walk func(refs []sr.SchemaReference, depth int) error
	walk = func(refs []sr.SchemaReference, depth int) error {
		if len(refs) > 0 && depth >= maxRefDepth {
			return fmt.Errorf("references nest more than %d deep", maxRefDepth)
		}
		for _, ref := range refs {
			key := fmt.Sprintf("%s\x00%d", ref.Subject, ref.Version)
			if onPath[key] {
				return fmt.Errorf("reference %q (%s version %d) refers back to itself", ref.Name, ref.Subject, ref.Version)
			}
			if done[key] {
				continue
			}
			if len(done) >= maxRefs {
				return fmt.Errorf("more than %d referenced schemas", maxRefs)
			}
			ss, err := r.cl.SchemaByVersion(ctx, ref.Subject, ref.Version)
			if err != nil {
				return fmt.Errorf("reference %q (%s version %d): %w", ref.Name, ref.Subject, ref.Version, r.timedOut(ctx, err))
			}
			onPath[key] = true
			if err := walk(ss.References, depth+1); err != nil {
				return fmt.Errorf("reference %q: %w", ref.Name, err)
			}
			delete(onPath, key)
			done[key] = true
			out = append(out, refDoc{name: ref.Name, subject: ref.Subject, version: ss.Version, schema: ss.Schema})
		}
		return nil
	}
	if err := walk(refs, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// compile fetches s's references and compiles s. A panic in a parser fed a
// hostile schema becomes an error: the record is shown raw, kflow lives on.
func (r *Registry) compile(ctx context.Context, info Info, s sr.Schema) (c *compiled, err error) {
	t, err := typeOf(s.Type)
	if err != nil {
		return nil, err
	}
	info.Type = t
	refs, err := r.references(ctx, s.References)
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			c, err = nil, fmt.Errorf("%s: compiling the schema panicked: %v", t, p)
		}
	}()
	c = &compiled{info: info}
	switch t {
	case Avro:
		if c.avro, err = compileAvro(s.Schema, refs); err == nil {
			err = checkAvroLimits(c.avro)
		}
	case Protobuf:
		c.proto, err = compileProto(ctx, s.Schema, refs)
	case JSONSchema:
		c.json, err = newJSONSchema(s.Schema, refs)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// fetchByID fetches and compiles the schema with id, naming its subject and
// version when the registry says cheaply (GET /schemas/ids/ID/versions,
// which Apicurio serves): a failure there leaves them empty.
func (r *Registry) fetchByID(ctx context.Context, id int) (*compiled, error) {
	s, err := r.cl.SchemaByID(ctx, id)
	if err != nil {
		var re *sr.ResponseError
		if errors.As(err, &re) && re.StatusCode == 404 {
			return nil, fmt.Errorf("not in the registry %s (HTTP 404)", r.url)
		}
		return nil, fmt.Errorf("fetching from %s: %w", r.url, r.timedOut(ctx, err))
	}
	info := Info{ID: id}
	if vs, err := r.cl.SchemaVersionsByID(ctx, id); err == nil && len(vs) > 0 {
		info.Subject, info.Version = vs[0].Subject, vs[0].Version
	}
	return r.compile(ctx, info, s)
}

// decode turns a body (after the magic byte and id) into JSON.
func (c *compiled) decode(body []byte) ([]byte, error) {
	switch {
	case c.avro != nil:
		return decodeAvro(c.avro, body)
	case c.proto != nil:
		return c.proto.decode(body)
	case c.json != nil:
		return c.json.decode(body)
	}
	return nil, errors.New("no schema")
}

// timedOut says so when err is the registry's timeout running out rather
// than the caller's context ending.
func (r *Registry) timedOut(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("no answer within the timeout of %v: %w", r.timeout, err)
	}
	return err
}
