package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The kinds of Change.
const (
	Added          = "added"
	Removed        = "removed"
	TypeChanged    = "type changed"
	DefaultChanged = "default changed"
	Renamed        = "renamed"
	RequiredChange = "required changed"
	SymbolsChanged = "symbols changed"
	LineAdded      = "line added"
	LineRemoved    = "line removed"
	// Note is not a change but says how the diff was made (a line diff
	// when a Protobuf schema does not compile).
	Note = "note"
)

// Change is one difference between two versions of a schema: a field (or
// property, or message) at Path, dotted through nested records, that was
// added, removed, renamed or changed its type, default or required list.
// Old and New say what it was and became, as text.
type Change struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	// Number is a Protobuf field's number.
	Number int    `json:"number,omitempty"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
}

func (c Change) String() string {
	s := c.Kind + " " + c.Path
	if c.Number != 0 {
		s += fmt.Sprintf(" (%d)", c.Number)
	}
	switch {
	case c.Old != "" && c.New != "":
		s += ": " + c.Old + " → " + c.New
	case c.New != "":
		s += ": " + c.New
	case c.Old != "":
		s += ": " + c.Old
	}
	return s
}

// Diff is what changed from version a to version b of a schema, field by
// field: Avro records (nested ones by dotted path), Protobuf messages
// (fields by number), JSON Schema properties. Both must be of one type.
func Diff(a, b Version) ([]Change, error) {
	if a.Type != b.Type {
		return nil, fmt.Errorf("diff: version %d is %s and version %d is %s", a.Version, a.Type, b.Version, b.Type)
	}
	switch a.Type {
	case Protobuf:
		return diffProto(a, b), nil
	case JSONSchema:
		return diffJSONSchema(a.Schema, b.Schema)
	}
	x, err := parseAvro(a.Schema)
	if err != nil {
		return nil, fmt.Errorf("diff: version %d: %w", a.Version, err)
	}
	y, err := parseAvro(b.Schema)
	if err != nil {
		return nil, fmt.Errorf("diff: version %d: %w", b.Version, err)
	}
	var out []Change
	diffAvro(x, y, "", &out, map[pair]bool{})
	return out, nil
}

// recordIn is the record a field's type holds: itself, or the one
// non-null branch of a union.
func recordIn(t *avroType) *avroType {
	if t.kind == "union" {
		var nonNull []*avroType
		for _, b := range t.branches {
			if b.kind != "null" {
				nonNull = append(nonNull, b)
			}
		}
		if len(nonNull) == 1 {
			return recordIn(nonNull[0])
		}
	}
	return t
}

func diffAvro(a, b *avroType, path string, out *[]Change, seen map[pair]bool) {
	ra, rb := recordIn(a), recordIn(b)
	if seen[pair{ra, rb}] {
		return // a recursive type, compared where it was first met
	}
	seen[pair{ra, rb}] = true
	name := path
	if name == "" {
		name = "(root)"
	}
	switch {
	case (ra.kind == "record" || ra.kind == "error") && ra.kind == rb.kind:
		if a.String() != b.String() && (a.kind == "union") != (b.kind == "union") {
			*out = append(*out, Change{Path: name, Kind: TypeChanged, Old: a.String(), New: b.String()})
		}
		for _, fa := range ra.fields {
			p := join(path, fa.name)
			fb, ok := rb.field(fa.name, nil)
			if !ok {
				*out = append(*out, Change{Path: p, Kind: Removed, Old: fieldText(fa)})
				continue
			}
			if fb.name != fa.name {
				*out = append(*out, Change{Path: p, Kind: Renamed, Old: fa.name, New: fb.name})
			}
			diffAvro(fa.typ, fb.typ, p, out, seen)
			if !sameDefault(fa.def, fb.def) {
				*out = append(*out, Change{Path: p, Kind: DefaultChanged, Old: defText(fa.def), New: defText(fb.def)})
			}
		}
		for _, fb := range rb.fields {
			if _, ok := ra.field(fb.name, fb.aliases); !ok {
				*out = append(*out, Change{Path: join(path, fb.name), Kind: Added, New: fieldText(fb)})
			}
		}
	case (a.kind == "array" && b.kind == "array") || (a.kind == "map" && b.kind == "map"):
		diffAvro(a.items, b.items, path+"[]", out, seen)
	case a.kind == "enum" && b.kind == "enum" && a.name == b.name:
		if !slices.Equal(a.symbols, b.symbols) {
			*out = append(*out, Change{Path: name, Kind: SymbolsChanged, Old: strings.Join(a.symbols, ","), New: strings.Join(b.symbols, ",")})
		}
	default:
		if a.String() != b.String() || a.size != b.size {
			*out = append(*out, Change{Path: name, Kind: TypeChanged, Old: a.String(), New: b.String()})
		}
	}
}

func fieldText(f avroField) string {
	s := f.typ.String()
	if f.def != nil {
		s += " (default " + defText(f.def) + ")"
	}
	return s
}

func defText(d json.RawMessage) string {
	if d == nil {
		return "none"
	}
	return string(d)
}

// Local is a compatibility verdict kflow computes itself, from two
// versions of an Avro schema by Avro's schema resolution rules: whether
// the new one is BACKWARD (its readers read old data), FORWARD (old
// readers read its data) and so FULL compatible with the old one.
type Local struct {
	// Checked is false for types kflow has no local rules for (Protobuf,
	// JSON Schema): the registry's check is the word there.
	Checked  bool `json:"checked"`
	Backward bool `json:"backward"`
	Forward  bool `json:"forward"`
	// Breaks say what breaks which direction, by field path: "BACKWARD:
	// " (the new schema reading old data) or "FORWARD: " (the old schema
	// reading new data), then the path and why.
	Breaks []string `json:"breaks,omitempty"`
}

// Full is both directions.
func (l Local) Full() bool { return l.Backward && l.Forward }

// Level is the strongest level the change keeps: FULL, BACKWARD,
// FORWARD or NONE ("" when not checked).
func (l Local) Level() string {
	switch {
	case !l.Checked:
		return ""
	case l.Full():
		return "FULL"
	case l.Backward:
		return "BACKWARD"
	case l.Forward:
		return "FORWARD"
	}
	return "NONE"
}

// Allows says whether the verdict keeps the registry's level (BACKWARD,
// FORWARD, FULL, their _TRANSITIVE forms against this one version, NONE).
func (l Local) Allows(level string) bool {
	switch strings.TrimSuffix(strings.ToUpper(level), "_TRANSITIVE") {
	case "BACKWARD":
		return l.Backward
	case "FORWARD":
		return l.Forward
	case "FULL":
		return l.Full()
	}
	return true
}

// LocalCompat is the local verdict on old → new: Avro only (Checked is
// false for the other types).
func LocalCompat(old, new Version) (Local, error) {
	if old.Type != Avro || new.Type != Avro {
		return Local{}, nil
	}
	o, err := parseAvro(old.Schema)
	if err != nil {
		return Local{}, fmt.Errorf("compatibility: version %d: %w", old.Version, err)
	}
	n, err := parseAvro(new.Schema)
	if err != nil {
		return Local{}, fmt.Errorf("compatibility: version %d: %w", new.Version, err)
	}
	back := canRead(n, o, "", map[pair]bool{})
	fwd := canRead(o, n, "", map[pair]bool{})
	l := Local{Checked: true, Backward: len(back) == 0, Forward: len(fwd) == 0}
	for _, b := range back {
		l.Breaks = append(l.Breaks, "BACKWARD: "+b) // the new schema reading old data
	}
	for _, f := range fwd {
		l.Breaks = append(l.Breaks, "FORWARD: "+f) // the old schema reading new data
	}
	return l, nil
}

// Validate checks that v's text is a schema of its type: Avro that
// parses, JSON Schema that is a JSON object or boolean, Protobuf that
// compiles with v.Imports.
func Validate(v Version) error {
	switch v.Type {
	case Avro:
		_, err := parseAvro(v.Schema)
		return err
	case JSONSchema:
		var x any
		if err := json.Unmarshal([]byte(v.Schema), &x); err != nil {
			return fmt.Errorf("json schema: not JSON: %w", err)
		}
		switch x.(type) {
		case map[string]any, bool:
			return nil
		}
		return fmt.Errorf("json schema: a schema is an object or a boolean, not %s", strings.TrimSpace(v.Schema))
	case Protobuf:
		_, err := compileProtoVersion(v)
		return err
	}
	return fmt.Errorf("unknown schema type %q", v.Type)
}
