package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	"kflow/internal/boundedfile"
)

// MaxSchemaFileBytes bounds a local schema file (and each .proto it
// imports): real schemas are kilobytes.
const MaxSchemaFileBytes = 4 << 20

// localSchema is a schema compiled from a local file, for records whose
// key or value is the plain body (no registry wire header): what
// avro:PATH, protobuf:PATH[:MESSAGE] and json-schema:PATH formats and
// --value-schema @PATH read and write with.
type localSchema struct {
	path string
	c    *compiled
	md   protoreflect.MessageDescriptor // Protobuf: the message read and written
}

// localTypes are the local schema formats by name, with the file type.
var localTypes = map[string]Type{"avro": Avro, "protobuf": Protobuf, "json-schema": JSONSchema}

// LocalFormats are the local schema formats' syntax, for help.
func LocalFormats() []string {
	return []string{"avro:FILE.avsc", "protobuf:FILE.proto[:MESSAGE]", "json-schema:FILE.json"}
}

// splitProtoMessage splits PATH.proto:MESSAGE; the message is "" when
// none is given.
func splitProtoMessage(s string) (path, message string) {
	if i := strings.LastIndexByte(s, ':'); i >= 0 && strings.HasSuffix(strings.ToLower(s[:i]), ".proto") {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// loadLocal reads and compiles the schema file at path (relative to dir
// when not absolute and dir is not ""). message picks a Protobuf message,
// full or relative to the file's package; "" is the file's first.
func loadLocal(t Type, path, message, dir string) (ls *localSchema, err error) {
	if path == "" {
		return nil, errors.New("no schema file given")
	}
	full := path
	if dir != "" && !filepath.IsAbs(path) {
		full = filepath.Join(dir, path)
	}
	defer func() {
		if p := recover(); p != nil {
			ls, err = nil, fmt.Errorf("%s: compiling the schema panicked: %v", full, p)
		}
	}()
	ls = &localSchema{path: full, c: &compiled{info: Info{Type: t}}}
	switch t {
	case Avro, JSONSchema:
		text, err := readSchemaFile(full)
		if err != nil {
			return nil, err
		}
		if err := jsonSyntax(full, text); err != nil {
			return nil, err
		}
		if t == Avro {
			if ls.c.avro, err = compileAvro(string(text), nil); err == nil {
				err = checkAvroLimits(ls.c.avro)
			}
		} else if ls.c.json, err = newJSONSchema(string(text), nil); err == nil {
			_, err = ls.c.json.validator() // a schema that does not compile fails now, not on the first value
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", full, err)
		}
	case Protobuf:
		if ls.c.proto, err = compileProtoFile(full); err != nil {
			return nil, err
		}
		if message == "" {
			ls.md, err = ls.c.proto.firstMessage()
		} else {
			ls.md, err = ls.c.proto.findMessage(message)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", full, err)
		}
	default:
		return nil, fmt.Errorf("unsupported schema type %s", t)
	}
	return ls, nil
}

// readSchemaFile reads a schema file, bounded.
func readSchemaFile(path string) ([]byte, error) {
	b, err := boundedfile.Read(path, MaxSchemaFileBytes)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("schema file %s does not exist", path)
		}
		return nil, fmt.Errorf("schema file: %w", err)
	}
	return b, nil
}

// jsonSyntax checks the text of the file at path is one JSON document,
// saying where it is not as "PATH:LINE:COLUMN: ...".
func jsonSyntax(path string, text []byte) error {
	dec := json.NewDecoder(bytes.NewReader(text))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			return lineCol(path, text, dec.InputOffset(), errors.New("bytes after the JSON document"))
		}
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return lineCol(path, text, se.Offset, err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return lineCol(path, text, int64(len(text)), errors.New("unexpected end of the JSON document"))
	}
	return fmt.Errorf("%s: %w", path, err)
}

// lineCol is err at the 1-based line and column of offset in the text of
// the file at path.
func lineCol(path string, text []byte, offset int64, err error) error {
	offset = min(max(offset, 0), int64(len(text)))
	before := text[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	if offset > 0 && col > 1 {
		col-- // the offset is just past the offending byte
	}
	return fmt.Errorf("%s:%d:%d: %w", path, line, col, err)
}

// compileProtoFile compiles the .proto at path, its imports resolved
// relative to its directory (and google/protobuf/*.proto from the standard
// imports), every file read bounded and refused when nested too deep.
func compileProtoFile(path string) (*protoSchema, error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if _, err := readSchemaFile(path); err != nil { // the file itself: a plain "does not exist", not the resolver's
		return nil, err
	}
	accessor := func(p string) (io.ReadCloser, error) {
		b, err := readSchemaFile(p)
		if err != nil {
			return nil, err
		}
		if protoNesting(string(b)) > maxProtoNesting {
			return nil, fmt.Errorf("protobuf: %s nests more than %d deep", p, maxProtoNesting)
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	comp := protocompile.Compiler{
		Resolver:       protocompile.WithStandardImports(&protocompile.SourceResolver{ImportPaths: []string{dir}, Accessor: accessor}),
		MaxParallelism: 1,
	}
	files, err := comp.Compile(context.Background(), name)
	if err != nil {
		return nil, fmt.Errorf("%s: protobuf: %w", path, err)
	}
	reg := new(protoregistry.Files)
	if err := registerFile(reg, files[0]); err != nil {
		return nil, fmt.Errorf("%s: protobuf: %w", path, err)
	}
	return &protoSchema{file: files[0], types: dynamicpb.NewTypes(reg)}, nil
}

// decode reads b as the plain body of the schema. Bytes that fail and look
// like the registry's wire format say so rather than leave the user to
// guess why.
func (ls *localSchema) decode(b []byte) ([]byte, error) {
	var out []byte
	var err error
	switch {
	case ls.c.avro != nil:
		out, err = decodeAvro(ls.c.avro, b)
	case ls.c.proto != nil:
		out, err = ls.c.proto.decodeMessage(ls.md, b)
	case ls.c.json != nil:
		out, err = ls.c.json.decode(b)
	default:
		err = errors.New("no schema")
	}
	if err != nil && IsWireFormat(b) {
		err = fmt.Errorf("%w; it starts with magic byte 0 and schema id %d: looks like the registry's wire format: use the registry (--registry)", err, WireID(b))
	}
	return out, err
}

// LocalEncoder reads and compiles the schema file at path for encoding
// plain bodies (no wire header, no registry): .avsc is Avro, .proto
// Protobuf (PATH.proto:MESSAGE picks the message, else the first), .json
// JSON Schema.
func LocalEncoder(path string) (*Encoder, error) {
	var t Type
	path, message := splitProtoMessage(path)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".avsc":
		t = Avro
	case ".proto":
		t = Protobuf
	case ".json":
		t = JSONSchema
	default:
		return nil, fmt.Errorf("%s: want a schema file FILE.avsc (Avro), FILE.proto[:MESSAGE] (Protobuf) or FILE.json (JSON Schema)", path)
	}
	ls, err := loadLocal(t, path, message, "")
	if err != nil {
		return nil, err
	}
	return &Encoder{c: ls.c, md: ls.md, file: ls.path}, nil
}
