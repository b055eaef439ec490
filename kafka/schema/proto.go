package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"
)

// maxMessageIndexes bounds the message-index path of the wire format (how
// deep a message is nested in its file); real schemas stay in single digits.
const maxMessageIndexes = 64

// maxProtoNesting bounds how deep a .proto file's braces nest: compiling a
// hostile file of a million nested messages takes the compiler seconds
// before it gives up, and no real file nests past a dozen.
const maxProtoNesting = 256

// protoNesting is the deepest brace nesting of a .proto text, outside
// strings and comments.
func protoNesting(text string) int {
	depth, deepest := 0, 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '"', '\'':
			for i++; i < len(text) && text[i] != c; i++ {
				if text[i] == '\\' {
					i++
				}
			}
		case '/':
			if i+1 < len(text) && text[i+1] == '/' {
				for i < len(text) && text[i] != '\n' {
					i++
				}
			} else if i+1 < len(text) && text[i+1] == '*' {
				end := strings.Index(text[i+2:], "*/")
				if end < 0 {
					return deepest
				}
				i += end + 3
			}
		case '{', '<', '[':
			if depth++; depth > deepest {
				deepest = depth
			}
		case '}', '>', ']':
			depth--
		}
	}
	return deepest
}

// protoSchema is a compiled .proto file and the types it can reach (for
// google.protobuf.Any in protojson).
type protoSchema struct {
	file  protoreflect.FileDescriptor
	types *dynamicpb.Types
}

// compileProto compiles text with its references as imports (each under
// the reference's name, its import path); google/protobuf/*.proto resolve
// from protocompile's standard imports.
func compileProto(ctx context.Context, text string, refs []refDoc) (*protoSchema, error) {
	srcs := make(map[string]string, len(refs)+1)
	for _, ref := range refs {
		if protoNesting(ref.schema.Schema) > maxProtoNesting {
			return nil, fmt.Errorf("protobuf: reference %q nests more than %d deep", ref.name, maxProtoNesting)
		}
		srcs[ref.name] = ref.schema.Schema
	}
	if protoNesting(text) > maxProtoNesting {
		return nil, fmt.Errorf("protobuf: the schema nests more than %d deep", maxProtoNesting)
	}
	main := "kflow-schema.proto"
	for srcs[main] != "" {
		main = "_" + main
	}
	srcs[main] = text
	comp := protocompile.Compiler{
		Resolver:       protocompile.WithStandardImports(&protocompile.SourceResolver{Accessor: protocompile.SourceAccessorFromMap(srcs)}),
		MaxParallelism: 1,
	}
	files, err := comp.Compile(ctx, main)
	if err != nil {
		return nil, fmt.Errorf("protobuf: %w", err)
	}
	fd := files[0]
	reg := new(protoregistry.Files)
	if err := registerFile(reg, fd); err != nil {
		return nil, fmt.Errorf("protobuf: %w", err)
	}
	return &protoSchema{file: fd, types: dynamicpb.NewTypes(reg)}, nil
}

// registerFile adds fd and its imports to reg, once each.
func registerFile(reg *protoregistry.Files, fd protoreflect.FileDescriptor) error {
	if _, err := reg.FindFileByPath(fd.Path()); err == nil {
		return nil
	}
	imports := fd.Imports()
	for i := range imports.Len() {
		if err := registerFile(reg, imports.Get(i).FileDescriptor); err != nil {
			return err
		}
	}
	return reg.RegisterFile(fd)
}

// message is the message the wire format's indexes name: the first into
// the file's top-level messages, each next into the previous's nested ones.
func (p *protoSchema) message(indexes []int) (protoreflect.MessageDescriptor, error) {
	if len(indexes) == 0 {
		indexes = []int{0}
	}
	msgs := p.file.Messages()
	var md protoreflect.MessageDescriptor
	for depth, i := range indexes {
		if i < 0 || i >= msgs.Len() {
			where := "the file"
			if md != nil {
				where = string(md.FullName())
			}
			return nil, fmt.Errorf("protobuf: message index %d (at depth %d) out of range: %s has %d messages", i, depth, where, msgs.Len())
		}
		md = msgs.Get(i)
		msgs = md.Messages()
	}
	return md, nil
}

// messageIndexes is the path of md in its file, as the wire format writes it.
func messageIndexes(md protoreflect.MessageDescriptor) []int {
	var path []int
	for d := protoreflect.Descriptor(md); ; {
		path = append([]int{d.Index()}, path...)
		parent, ok := d.Parent().(protoreflect.MessageDescriptor)
		if !ok {
			return path
		}
		d = parent
	}
}

// appendMessageIndexes appends the indexes: [0] is the single byte 0, any
// other path a count and the indexes, all zig-zag varints.
func appendMessageIndexes(b []byte, indexes []int) []byte {
	if len(indexes) == 1 && indexes[0] == 0 {
		return append(b, 0)
	}
	b = appendVarint(b, int64(len(indexes)))
	for _, i := range indexes {
		b = appendVarint(b, int64(i))
	}
	return b
}

// readMessageIndexes reads the indexes off the front of a body.
func readMessageIndexes(c *cursor) ([]int, error) {
	n, err := c.varint()
	if err != nil {
		return nil, fmt.Errorf("protobuf: message indexes: %w", err)
	}
	if n == 0 {
		return []int{0}, nil
	}
	if n < 0 || n > maxMessageIndexes {
		return nil, fmt.Errorf("protobuf: %d message indexes (at most %d)", n, maxMessageIndexes)
	}
	indexes := make([]int, n)
	for k := range indexes {
		i, err := c.int32()
		if err != nil {
			return nil, fmt.Errorf("protobuf: message index %d: %w", k, err)
		}
		indexes[k] = int(i)
	}
	return indexes, nil
}

func (p *protoSchema) decode(body []byte) ([]byte, error) {
	c := cursor{b: body}
	indexes, err := readMessageIndexes(&c)
	if err != nil {
		return nil, err
	}
	md, err := p.message(indexes)
	if err != nil {
		return nil, err
	}
	return p.decodeMessage(md, body[c.off:])
}

// decodeMessage turns the Protobuf encoding of one md into protojson.
func (p *protoSchema) decodeMessage(md protoreflect.MessageDescriptor, body []byte) ([]byte, error) {
	msg := dynamicpb.NewMessage(md)
	// The default options keep protobuf's own recursion limit (10000).
	if err := (proto.UnmarshalOptions{Resolver: p.types}).Unmarshal(body, msg); err != nil {
		return nil, fmt.Errorf("protobuf: %s: %w", md.FullName(), err)
	}
	out, err := protojson.MarshalOptions{Resolver: p.types}.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("protobuf: %s: %w", md.FullName(), err)
	}
	// protojson randomises its whitespace on purpose; compacting makes the
	// output the same for the same bytes.
	var buf bytes.Buffer
	buf.Grow(len(out))
	if err := json.Compact(&buf, out); err != nil {
		return nil, fmt.Errorf("protobuf: %s: %w", md.FullName(), err)
	}
	return buf.Bytes(), nil
}

// encode turns protojson into the wire format's body for md: its message
// indexes, then the message; plain leaves the indexes out (a body read
// without the registry).
func (p *protoSchema) encode(b []byte, md protoreflect.MessageDescriptor, jsonValue []byte, plain bool) ([]byte, error) {
	msg := dynamicpb.NewMessage(md)
	if err := (protojson.UnmarshalOptions{Resolver: p.types}).Unmarshal(jsonValue, msg); err != nil {
		return nil, fmt.Errorf("protobuf: %s: %w", md.FullName(), err)
	}
	if !plain {
		b = appendMessageIndexes(b, messageIndexes(md))
	}
	out, err := proto.MarshalOptions{Deterministic: true}.MarshalAppend(b, msg)
	if err != nil {
		return nil, fmt.Errorf("protobuf: %s: %w", md.FullName(), err)
	}
	return out, nil
}

// firstMessage is the file's first top-level message, the one encoded
// unless another is asked for.
func (p *protoSchema) firstMessage() (protoreflect.MessageDescriptor, error) {
	if p.file.Messages().Len() == 0 {
		return nil, errors.New("protobuf: the schema declares no message")
	}
	return p.file.Messages().Get(0), nil
}

// findMessage is the message named name (full, or relative to the file's
// package) in the file.
func (p *protoSchema) findMessage(name string) (protoreflect.MessageDescriptor, error) {
	if md := findIn(p.file.Messages(), protoreflect.FullName(name)); md != nil {
		return md, nil
	}
	if pkg := p.file.Package(); pkg != "" {
		if md := findIn(p.file.Messages(), protoreflect.FullName(string(pkg)+"."+name)); md != nil {
			return md, nil
		}
	}
	var names []string
	var walk func(msgs protoreflect.MessageDescriptors)
	walk = func(msgs protoreflect.MessageDescriptors) {
		for i := range msgs.Len() {
			if md := msgs.Get(i); !md.IsMapEntry() && len(names) < 20 {
				names = append(names, string(md.FullName()))
				walk(md.Messages())
			}
		}
	}
	walk(p.file.Messages())
	return nil, fmt.Errorf("protobuf: no message %q in the schema (it has %s)", name, strings.Join(names, ", "))
}

func findIn(msgs protoreflect.MessageDescriptors, full protoreflect.FullName) protoreflect.MessageDescriptor {
	for i := range msgs.Len() {
		md := msgs.Get(i)
		if md.FullName() == full {
			return md
		}
		if found := findIn(md.Messages(), full); found != nil {
			return found
		}
	}
	return nil
}

// protoSkeleton is a protojson value of md with a placeholder in every
// field: the first member of each oneof only (protojson takes one), no
// field that would recurse into a message already being expanded.
func protoSkeleton(md protoreflect.MessageDescriptor) []byte {
	return appendProtoMessage(nil, md, map[protoreflect.FullName]bool{})
}

func appendProtoMessage(b []byte, md protoreflect.MessageDescriptor, onPath map[protoreflect.FullName]bool) []byte {
	switch md.FullName() {
	case "google.protobuf.Timestamp":
		return append(b, `"1970-01-01T00:00:00Z"`...)
	case "google.protobuf.Duration":
		return append(b, `"0s"`...)
	case "google.protobuf.FieldMask":
		return append(b, `""`...)
	case "google.protobuf.Value":
		return append(b, "null"...)
	case "google.protobuf.ListValue":
		return append(b, "[]"...)
	case "google.protobuf.Struct", "google.protobuf.Any", "google.protobuf.Empty":
		return append(b, "{}"...)
	case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
		"google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
		"google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue":
		return appendProtoScalar(b, md.Fields().ByNumber(1), onPath)
	}
	onPath[md.FullName()] = true
	defer delete(onPath, md.FullName())
	b = append(b, '{')
	first := true
	fields := md.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		if oo := fd.ContainingOneof(); oo != nil && oo.Fields().Get(0) != fd {
			continue
		}
		if m := fd.Message(); m != nil && !fd.IsMap() && onPath[m.FullName()] {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(appendJSONString(b, fd.JSONName()), ':')
		switch {
		case fd.IsMap():
			b = append(b, '{')
			b = appendProtoMapKey(b, fd.MapKey())
			b = append(b, ':')
			if m := fd.MapValue().Message(); m != nil && onPath[m.FullName()] {
				b = append(b, "{}"...)
			} else {
				b = appendProtoScalar(b, fd.MapValue(), onPath)
			}
			b = append(b, '}')
		case fd.IsList():
			if m := fd.Message(); m != nil && onPath[m.FullName()] {
				b = append(b, "[]"...)
				continue
			}
			b = append(b, '[')
			b = appendProtoScalar(b, fd, onPath)
			b = append(b, ']')
		default:
			b = appendProtoScalar(b, fd, onPath)
		}
	}
	return append(b, '}')
}

func appendProtoMapKey(b []byte, fd protoreflect.FieldDescriptor) []byte {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return append(b, `"key"`...)
	case protoreflect.BoolKind:
		return append(b, `"false"`...)
	}
	return append(b, `"0"`...)
}

func appendProtoScalar(b []byte, fd protoreflect.FieldDescriptor, onPath map[protoreflect.FullName]bool) []byte {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return append(b, "false"...)
	case protoreflect.StringKind, protoreflect.BytesKind:
		return append(b, `""`...)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return append(b, "0.0"...)
	case protoreflect.EnumKind:
		if vals := fd.Enum().Values(); vals.Len() > 0 {
			return appendJSONString(b, string(vals.Get(0).Name()))
		}
		return append(b, '0')
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return appendProtoMessage(b, fd.Message(), onPath)
	}
	return append(b, '0')
}
