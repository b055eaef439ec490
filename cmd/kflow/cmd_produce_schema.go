package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"kflow/kafka"
	"kflow/kafka/schema"
)

// registryHint names the three ways to give kflow a registry.
const registryHint = "--registry URL, KFLOW_REGISTRY, or a context's schema-registry: in the config file"

// schemaRef is a --key-schema / --value-schema argument: SUBJECT, or
// SUBJECT:VERSION with a number or latest (-1), or @FILE, a local schema
// file encoding the plain body without a registry.
type schemaRef struct {
	subject string
	version int
	// local is @FILE's encoder, compiled when the flag is read.
	local *schema.Encoder
	// message is the Protobuf message to encode (--value-message), "" for
	// the schema's first.
	message string
}

// parseSchemaRef reads SUBJECT[:VERSION], or @FILE (FILE.avsc,
// FILE.proto[:MESSAGE], FILE.json), which it reads and compiles: a file
// that is missing or does not compile is a usage error naming it. A colon
// followed by something that is not a version is part of the subject.
func parseSchemaRef(flagName, s string) (schemaRef, error) {
	if file, ok := strings.CutPrefix(s, "@"); ok {
		if file == "" {
			return schemaRef{}, usagef("--%s @: want @FILE.avsc, @FILE.proto[:MESSAGE] or @FILE.json", flagName)
		}
		enc, err := schema.LocalEncoder(file)
		if err != nil {
			return schemaRef{}, usagef("--%s %s: %v", flagName, s, err)
		}
		return schemaRef{local: enc}, nil
	}
	ref := schemaRef{subject: s, version: -1}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		v := s[i+1:]
		switch n, err := strconv.Atoi(v); {
		case v == "latest":
			ref.subject = s[:i]
		case err == nil && n >= 1:
			ref.subject, ref.version = s[:i], n
		case err == nil:
			return ref, usagef("--%s %s: a version is a number from 1, or latest", flagName, s)
		}
	}
	if ref.subject == "" {
		return ref, usagef("--%s %q: want SUBJECT or SUBJECT:VERSION (a number or latest)", flagName, s)
	}
	return ref, nil
}

// openEncoder fetches the encoder of ref. A subject the registry does not
// have is said with the close names it does have.
func openEncoder(ctx context.Context, reg *schema.Registry, flagName string, ref schemaRef) (*schema.Encoder, error) {
	if ref.local != nil {
		return ref.local, nil
	}
	enc, err := reg.Encoder(ctx, ref.subject, ref.version)
	if err == nil && ref.message != "" {
		msgFlag := strings.TrimSuffix(flagName, "schema") + "message"
		if enc, err = enc.Message(ref.message); err != nil {
			return nil, usagef("--%s %s: %v", msgFlag, ref.message, err)
		}
	}
	if err == nil {
		return enc, nil
	}
	names, lerr := reg.SubjectNames(ctx)
	if lerr != nil || slices.Contains(names, ref.subject) {
		if lerr == nil && ref.version != -1 {
			if vs, verr := reg.Versions(ctx, ref.subject); verr == nil && !slices.Contains(vs, ref.version) {
				return nil, usagef("--%s: subject %q has no version %d (it has %s)", flagName, ref.subject, ref.version, versionList(vs))
			}
		}
		return nil, fmt.Errorf("--%s: schema registry %s: %w", flagName, reg.URL(), err)
	}
	msg := fmt.Sprintf("--%s: no subject %q in the schema registry %s", flagName, ref.subject, reg.URL())
	if close := similarSubjects(ref.subject, names); len(close) > 0 {
		msg += "; did you mean " + strings.Join(close, ", ") + "?"
	} else {
		msg += " (kflow schema subjects lists them)"
	}
	return nil, usagef("%s", msg)
}

// versionList is "1, 2, 3", or "none".
func versionList(vs []int) string {
	if len(vs) == 0 {
		return "none"
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strconv.Itoa(v)
	}
	return strings.Join(out, ", ")
}

// similarSubjects are the subject names close to name, as for topics.
func similarSubjects(name string, all []string) []string { return kafka.SimilarTopics(name, all) }

// produceSchemas encodes keys and values through the registry before they
// are sent: with the --key-schema / --value-schema encoders, and for
// replayed lines with the schema each line names (value_schema), fetched
// once per schema.
type produceSchemas struct {
	ctx        context.Context
	reg        *schema.Registry // nil: no registry (the flags name local files, or nothing)
	key, value *schema.Encoder  // from the flags; nil when not given

	mu    sync.Mutex
	cache map[string]*schema.Encoder
	errs  map[string]error
}

// newProduceSchemas opens the encoders the flags name; nil when neither
// is given and reg is nil (nothing to encode with). Without a registry
// the flags name local files only (the caller checked).
func newProduceSchemas(ctx context.Context, reg *schema.Registry, keyRef, valueRef *schemaRef) (*produceSchemas, error) {
	if reg == nil && keyRef == nil && valueRef == nil {
		return nil, nil
	}
	p := &produceSchemas{ctx: ctx, reg: reg, cache: map[string]*schema.Encoder{}, errs: map[string]error{}}
	var err error
	if keyRef != nil {
		if p.key, err = openEncoder(ctx, reg, "key-schema", *keyRef); err != nil {
			return nil, err
		}
	}
	if valueRef != nil {
		if p.value, err = openEncoder(ctx, reg, "value-schema", *valueRef); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// encode encodes rec's key and value with the flags' encoders; a null key
// or value (no key, a tombstone) stays null. p may be nil.
func (p *produceSchemas) encode(rec *kafka.Record) error {
	if p == nil {
		return nil
	}
	if p.key != nil && rec.Key != nil {
		b, err := encodeWith(p.key, "key", rec.Key)
		if err != nil {
			return err
		}
		rec.Key, rec.KeySize = b, len(b)
	}
	if p.value != nil && rec.Value != nil {
		b, err := encodeWith(p.value, "value", rec.Value)
		if err != nil {
			return err
		}
		rec.Value, rec.ValueSize = b, len(b)
	}
	return nil
}

// encodeWith encodes one key or value, an error naming which and the
// field's path: `value: /customer/id: expected string (schema s version
// 2, id 7)`.
func encodeWith(enc *schema.Encoder, what string, jsonValue []byte) ([]byte, error) {
	b, err := enc.Encode(jsonValue)
	if err == nil {
		return b, nil
	}
	in := enc.Info()
	var ee *schema.EncodeError
	reason := err.Error()
	if errors.As(err, &ee) {
		reason = ee.Reason
	}
	if f := enc.File(); f != "" {
		return nil, fmt.Errorf("%s: %s (schema %s, %s)", what, reason, f, in.Type)
	}
	return nil, fmt.Errorf("%s: %s (schema %s version %d, id %d, %s)", what, reason, in.Subject, in.Version, in.ID, in.Type)
}

// forLine is the encoder of a replayed line's key or value: the flag's
// when given, else the schema the line names (by subject and version,
// else by id); nil when neither (the bytes are sent as saved).
func (p *produceSchemas) forLine(what string, flag *schema.Encoder, in *schema.Info) (*schema.Encoder, error) {
	if flag != nil {
		return flag, nil
	}
	if in == nil {
		return nil, nil
	}
	if p == nil || p.reg == nil {
		return nil, fmt.Errorf("%s was decoded with schema id %d (%s_schema): encoding it again needs a schema registry: %s", what, in.ID, what, registryHint)
	}
	key := "#" + strconv.Itoa(in.ID)
	if in.Subject != "" && in.Version > 0 {
		key = in.Subject + "\x00" + strconv.Itoa(in.Version)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if enc, ok := p.cache[key]; ok {
		return enc, nil
	}
	if err, ok := p.errs[key]; ok {
		return nil, err
	}
	var enc *schema.Encoder
	var err error
	if in.Subject != "" && in.Version > 0 {
		enc, err = p.reg.Encoder(p.ctx, in.Subject, in.Version)
	} else {
		enc, err = p.reg.EncoderByID(p.ctx, in.ID)
	}
	if err != nil {
		err = fmt.Errorf("%s_schema: schema registry %s: %w", what, p.reg.URL(), err)
		p.errs[key] = err
		return nil, err
	}
	p.cache[key] = enc
	return enc, nil
}

// keyFlag and valueFlag are the flags' encoders, nil-safe.
func (p *produceSchemas) keyFlag() *schema.Encoder {
	if p == nil {
		return nil
	}
	return p.key
}

func (p *produceSchemas) valueFlag() *schema.Encoder {
	if p == nil {
		return nil
	}
	return p.value
}
