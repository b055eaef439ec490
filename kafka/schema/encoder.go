package schema

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// Encoder turns JSON into the wire format for one registered schema, for
// the produce paths. It is safe for concurrent use.
type Encoder struct {
	c  *compiled
	md protoreflect.MessageDescriptor // Protobuf: the message encoded
	// file, for a schema read from a local file (LocalEncoder), is its
	// path: Encode then writes the plain body, no wire header.
	file string
}

// Encoder fetches the schema registered under subject at version (-1 for
// the latest) and compiles it for encoding.
func (r *Registry) Encoder(ctx context.Context, subject string, version int) (*Encoder, error) {
	ss, err := r.cl.SchemaByVersion(ctx, subject, version)
	if err != nil {
		return nil, fmt.Errorf("schema %s version %s: %w", subject, versionText(version), r.timedOut(ctx, err))
	}
	c, err := r.compile(ctx, Info{ID: ss.ID, Subject: ss.Subject, Version: ss.Version}, ss.Schema)
	if err != nil {
		return nil, fmt.Errorf("schema %s version %d (id %d): %w", ss.Subject, ss.Version, ss.ID, err)
	}
	if c.info.Subject == "" {
		c.info.Subject = subject
	}
	e := &Encoder{c: c}
	if c.proto != nil {
		if e.md, err = c.proto.firstMessage(); err != nil {
			return nil, fmt.Errorf("schema %s version %d (id %d): %w", ss.Subject, ss.Version, ss.ID, err)
		}
	}
	return e, nil
}

// EncoderByID fetches and compiles the schema with the registry-wide id,
// for replaying a record saved with only its id; a Protobuf schema encodes
// its first message, as Encoder does.
func (r *Registry) EncoderByID(ctx context.Context, id int) (*Encoder, error) {
	c, err := r.fetchByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("schema id %d: %w", id, err)
	}
	e := &Encoder{c: c}
	if c.proto != nil {
		if e.md, err = c.proto.firstMessage(); err != nil {
			return nil, fmt.Errorf("schema id %d: %w", id, err)
		}
	}
	return e, nil
}

// EncodeError is a JSON value a schema refused. Its Error keeps the
// schema's id; Reason is the failure alone, at its field's path
// ("/customer/id: expected string"), for messages that name the schema
// their own way.
type EncodeError struct {
	Schema Info
	// File is the schema's file when it was read from one (LocalEncoder).
	File   string
	Reason string
	Err    error
}

func (e *EncodeError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("schema %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("schema id %d: %v", e.Schema.ID, e.Err)
}

// Unwrap is the encoder's error.
func (e *EncodeError) Unwrap() error { return e.Err }

func versionText(v int) string {
	if v == -1 {
		return "latest"
	}
	return fmt.Sprint(v)
}

// Info names the schema the Encoder writes with (only its Type for a
// local file's).
func (e *Encoder) Info() Info { return e.c.info }

// File is the schema file a LocalEncoder read, "" for a registry's schema.
func (e *Encoder) File() string { return e.file }

// Message returns an Encoder of the Protobuf message named name (full, or
// relative to the file's package) instead of the file's first one.
func (e *Encoder) Message(name string) (*Encoder, error) {
	if e.c.proto == nil {
		return nil, fmt.Errorf("schema id %d: %s schemas have no messages", e.c.info.ID, e.c.info.Type)
	}
	md, err := e.c.proto.findMessage(name)
	if err != nil {
		return nil, fmt.Errorf("schema id %d: %w", e.c.info.ID, err)
	}
	return &Encoder{c: e.c, md: md, file: e.file}, nil
}

// Encode turns jsonValue (in the JSON Decode writes) into the wire format:
// magic byte, schema id, Protobuf message indexes, body; for a local
// file's schema, the body alone. Errors name the field's path.
func (e *Encoder) Encode(jsonValue []byte) ([]byte, error) {
	b := make([]byte, 0, len(jsonValue)+16)
	if e.file == "" {
		b = appendWireHeader(b, e.c.info.ID)
	}
	var out []byte
	var err error
	switch {
	case e.c.avro != nil:
		out, err = encodeAvro(b, e.c.avro, jsonValue)
	case e.c.proto != nil:
		out, err = e.c.proto.encode(b, e.md, jsonValue, e.file != "")
	case e.c.json != nil:
		out, err = e.c.json.encode(b, jsonValue)
	default:
		err = errors.New("no schema")
	}
	if err != nil {
		reason := err.Error()
		for _, kind := range []string{"avro: ", "json schema: "} {
			reason = strings.TrimPrefix(reason, kind)
		}
		return nil, &EncodeError{Schema: e.c.info, File: e.file, Reason: reason, Err: err}
	}
	return out, nil
}

// Skeleton is a JSON value of the schema with a typed placeholder in every
// field (enums their first symbol, unions their first non-null branch,
// nested records expanded), to start the produce form from.
func (e *Encoder) Skeleton() []byte {
	switch {
	case e.c.avro != nil:
		return avroSkeleton(e.c.avro)
	case e.c.proto != nil:
		return protoSkeleton(e.md)
	case e.c.json != nil:
		return e.c.json.skeleton()
	}
	return []byte("null")
}
