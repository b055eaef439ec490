package schema

import (
	"context"
	"fmt"
	"strings"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// protoMain is the name the schema itself compiles under: registry
// schemas have no file name of their own.
const protoMain = "kflow-registry-schema.proto"

// compileProtoVersion compiles v's Protobuf text with its imports (v.Imports,
// and the well-known types).
func compileProtoVersion(v Version) (protoreflect.FileDescriptor, error) {
	files := map[string]string{protoMain: v.Schema}
	for name, text := range v.Imports {
		files[name] = text
	}
	c := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{Accessor: protocompile.SourceAccessorFromMap(files)}),
		Reporter: reporter.NewReporter(nil, func(reporter.ErrorWithPos) {}), // warnings are not kflow's to print
	}
	fds, err := c.Compile(context.Background(), protoMain)
	if err != nil {
		return nil, fmt.Errorf("protobuf schema: %s", strings.ReplaceAll(err.Error(), protoMain+":", "line "))
	}
	return fds[0], nil
}

// diffProto compares two Protobuf schemas message by message, fields by
// number. When either does not compile (an import the registry did not
// give), it falls back to a line diff and says so in a Note.
func diffProto(a, b Version) []Change {
	fa, errA := compileProtoVersion(a)
	fb, errB := compileProtoVersion(b)
	if errA != nil || errB != nil {
		err := errA
		if err == nil {
			err = errB
		}
		return append([]Change{{Kind: Note, New: "a line diff: the schemas do not compile (" + err.Error() + ")"}}, lineDiff(a.Schema, b.Schema)...)
	}
	ma, mb := protoMessages(fa.Messages()), protoMessages(fb.Messages())
	var out []Change
	for _, name := range ma.order {
		m := ma.byName[name]
		n, ok := mb.byName[name]
		if !ok {
			out = append(out, Change{Path: name, Kind: Removed, Old: "message"})
			continue
		}
		out = append(out, diffMessage(name, m, n)...)
	}
	for _, name := range mb.order {
		if _, ok := ma.byName[name]; !ok {
			out = append(out, Change{Path: name, Kind: Added, New: "message"})
		}
	}
	return out
}

type messageSet struct {
	order  []string
	byName map[string]protoreflect.MessageDescriptor
}

// protoMessages are the messages of a file, nested ones too, by full
// name (map entries are part of their map field, not messages).
func protoMessages(ms protoreflect.MessageDescriptors) messageSet {
	set := messageSet{byName: map[string]protoreflect.MessageDescriptor{}}
	var walk func(ms protoreflect.MessageDescriptors)
	walk = func(ms protoreflect.MessageDescriptors) {
		for i := range ms.Len() {
			m := ms.Get(i)
			if m.IsMapEntry() {
				continue
			}
			name := string(m.FullName())
			set.order = append(set.order, name)
			set.byName[name] = m
			walk(m.Messages())
		}
	}
	walk(ms)
	return set
}

func diffMessage(name string, a, b protoreflect.MessageDescriptor) []Change {
	var out []Change
	fa, fb := a.Fields(), b.Fields()
	for i := range fa.Len() {
		f := fa.Get(i)
		g := fb.ByNumber(f.Number())
		path := name + "." + string(f.Name())
		switch {
		case g == nil:
			out = append(out, Change{Path: path, Kind: Removed, Number: int(f.Number()), Old: protoFieldType(f)})
			continue
		case g.Name() != f.Name():
			out = append(out, Change{Path: path, Kind: Renamed, Number: int(f.Number()), Old: string(f.Name()), New: string(g.Name())})
		}
		if t, u := protoFieldType(f), protoFieldType(g); t != u {
			out = append(out, Change{Path: name + "." + string(g.Name()), Kind: TypeChanged, Number: int(f.Number()), Old: t, New: u})
		}
	}
	for i := range fb.Len() {
		g := fb.Get(i)
		if fa.ByNumber(g.Number()) == nil {
			out = append(out, Change{Path: name + "." + string(g.Name()), Kind: Added, Number: int(g.Number()), New: protoFieldType(g)})
		}
	}
	return out
}

// protoFieldType is a field's type as .proto text writes it: string,
// repeated int64, map<string, shop.Item>, optional common.Money.
func protoFieldType(f protoreflect.FieldDescriptor) string {
	if f.IsMap() {
		return "map<" + protoKind(f.MapKey()) + ", " + protoKind(f.MapValue()) + ">"
	}
	t := protoKind(f)
	if f.IsList() {
		return "repeated " + t
	}
	return t
}

func protoKind(f protoreflect.FieldDescriptor) string {
	switch f.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return string(f.Message().FullName())
	case protoreflect.EnumKind:
		return string(f.Enum().FullName())
	}
	return f.Kind().String()
}

// lineDiff is the lines removed from a and added in b, by a longest
// common subsequence of lines.
func lineDiff(a, b string) []Change {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(x)*len(y) > 4<<20 {
		return []Change{{Kind: Note, New: "the schemas are too long for a line diff"}}
	}
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Change
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, Change{Path: fmt.Sprintf("line %d", j+1), Kind: LineAdded, New: y[j]})
			j++
		default:
			out = append(out, Change{Path: fmt.Sprintf("line %d", i+1), Kind: LineRemoved, Old: x[i]})
			i++
		}
	}
	return out
}
