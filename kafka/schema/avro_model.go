package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// avroType is an Avro schema parsed just far enough to compare two
// versions: names, fields with their defaults, and the shapes inside.
// Named types are shared pointers, so a recursive record is a cycle.
type avroType struct {
	kind     string // a primitive, record, error, enum, array, map, fixed, union, or ref (a name defined elsewhere)
	name     string // the full name of a named type (record, enum, fixed, ref)
	logical  string
	fields   []avroField
	symbols  []string
	items    *avroType // array items, map values
	branches []*avroType
	size     int
}

type avroField struct {
	name    string
	aliases []string
	typ     *avroType
	def     json.RawMessage // nil: no default
}

var avroPrimitives = map[string]bool{"null": true, "boolean": true, "int": true, "long": true, "float": true, "double": true, "bytes": true, "string": true}

// parseAvro parses an Avro schema's JSON text.
func parseAvro(text string) (*avroType, error) {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var raw any
	if err := d.Decode(&raw); err != nil {
		return nil, fmt.Errorf("avro schema: not JSON: %w", err)
	}
	p := avroParser{names: map[string]*avroType{}}
	return p.parse(raw, "", 0)
}

type avroParser struct {
	names map[string]*avroType
}

func fullName(name, ns string) string {
	if strings.Contains(name, ".") || ns == "" {
		return name
	}
	return ns + "." + name
}

func (p *avroParser) parse(raw any, ns string, depth int) (*avroType, error) {
	if depth > 64 {
		return nil, errors.New("avro schema: nests deeper than 64")
	}
	switch v := raw.(type) {
	case string:
		if avroPrimitives[v] {
			return &avroType{kind: v}, nil
		}
		if t, ok := p.names[fullName(v, ns)]; ok {
			return t, nil
		}
		if t, ok := p.names[v]; ok {
			return t, nil
		}
		return &avroType{kind: "ref", name: fullName(v, ns)}, nil
	case []any:
		u := &avroType{kind: "union"}
		for _, b := range v {
			t, err := p.parse(b, ns, depth+1)
			if err != nil {
				return nil, err
			}
			u.branches = append(u.branches, t)
		}
		return u, nil
	case map[string]any:
		return p.parseObject(v, ns, depth)
	}
	return nil, fmt.Errorf("avro schema: %v is not a type", raw)
}

func (p *avroParser) parseObject(m map[string]any, ns string, depth int) (*avroType, error) {
	kind, _ := m["type"].(string)
	logical, _ := m["logicalType"].(string)
	if kind == "" {
		if _, ok := m["type"]; !ok {
			return nil, errors.New(`avro schema: an object without "type"`)
		}
		// {"type": {...}} or {"type": [...]}: the inner type.
		return p.parse(m["type"], ns, depth+1)
	}
	named := func() (*avroType, string, error) {
		name, _ := m["name"].(string)
		if name == "" {
			return nil, "", fmt.Errorf("avro schema: a %s without a name", kind)
		}
		if n, ok := m["namespace"].(string); ok && !strings.Contains(name, ".") {
			ns = n
		}
		full := fullName(name, ns)
		if i := strings.LastIndex(full, "."); i >= 0 {
			ns = full[:i]
		}
		t := &avroType{kind: kind, name: full, logical: logical}
		p.names[full] = t
		return t, ns, nil
	}
	switch kind {
	case "record", "error":
		t, ns, err := named()
		if err != nil {
			return nil, err
		}
		fs, _ := m["fields"].([]any)
		if _, ok := m["fields"]; !ok {
			return nil, fmt.Errorf("avro schema: record %s has no fields", t.name)
		}
		for _, f := range fs {
			fm, ok := f.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("avro schema: record %s: a field that is not an object", t.name)
			}
			name, _ := fm["name"].(string)
			if name == "" {
				return nil, fmt.Errorf("avro schema: record %s: a field without a name", t.name)
			}
			ft, err := p.parse(fm["type"], ns, depth+1)
			if err != nil {
				return nil, fmt.Errorf("field %s.%s: %w", t.name, name, err)
			}
			af := avroField{name: name, typ: ft}
			if d, ok := fm["default"]; ok {
				af.def, _ = json.Marshal(d)
			}
			if as, ok := fm["aliases"].([]any); ok {
				for _, a := range as {
					if s, ok := a.(string); ok {
						af.aliases = append(af.aliases, s)
					}
				}
			}
			t.fields = append(t.fields, af)
		}
		return t, nil
	case "enum":
		t, _, err := named()
		if err != nil {
			return nil, err
		}
		ss, _ := m["symbols"].([]any)
		for _, s := range ss {
			if s, ok := s.(string); ok {
				t.symbols = append(t.symbols, s)
			}
		}
		if d, ok := m["default"].(string); ok {
			t.logical = "default:" + d // an enum default lets a reader take unknown symbols
		}
		return t, nil
	case "fixed":
		t, _, err := named()
		if err != nil {
			return nil, err
		}
		if n, ok := m["size"].(json.Number); ok {
			i, _ := n.Int64()
			t.size = int(i)
		}
		return t, nil
	case "array", "map":
		key := "items"
		if kind == "map" {
			key = "values"
		}
		if _, ok := m[key]; !ok {
			return nil, fmt.Errorf("avro schema: %s without %s", kind, key)
		}
		it, err := p.parse(m[key], ns, depth+1)
		if err != nil {
			return nil, err
		}
		return &avroType{kind: kind, items: it}, nil
	}
	if avroPrimitives[kind] {
		return &avroType{kind: kind, logical: logical}, nil
	}
	return p.parse(kind, ns, depth+1)
}

// String is the type as the diff shows it: int, long(timestamp-millis),
// array<string>, map<long>, union[null,string], record shop.Order.
func (t *avroType) String() string {
	switch t.kind {
	case "record", "error", "enum", "fixed", "ref":
		if t.kind == "ref" {
			return t.name
		}
		return t.kind + " " + t.name
	case "array":
		return "array<" + t.items.String() + ">"
	case "map":
		return "map<" + t.items.String() + ">"
	case "union":
		bs := make([]string, len(t.branches))
		for i, b := range t.branches {
			bs[i] = b.String()
		}
		return "union[" + strings.Join(bs, ",") + "]"
	}
	if t.logical != "" {
		return t.kind + "(" + t.logical + ")"
	}
	return t.kind
}

// short is a named type's name without its namespace, as Avro's schema
// resolution matches them.
func short(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 {
		return name[i+1:]
	}
	return name
}

// promotes says whether data written as w can be read as r by Avro's
// promotions.
func promotes(w, r string) bool {
	switch w {
	case "int":
		return r == "long" || r == "float" || r == "double"
	case "long":
		return r == "float" || r == "double"
	case "float":
		return r == "double"
	case "string":
		return r == "bytes"
	case "bytes":
		return r == "string"
	}
	return false
}

// field finds the reader's field for the writer's, by name or alias.
func (t *avroType) field(name string, aliases []string) (avroField, bool) {
	for _, f := range t.fields {
		if f.name == name || slices.Contains(f.aliases, name) || slices.Contains(aliases, f.name) {
			return f, true
		}
	}
	return avroField{}, false
}

type pair struct{ r, w *avroType }

// canRead lists why a reader with schema r cannot read data written with
// schema w (nothing: it can), by Avro's schema resolution rules. path
// names the place in the schema.
func canRead(r, w *avroType, path string, seen map[pair]bool) []string {
	if seen[pair{r, w}] {
		return nil
	}
	seen[pair{r, w}] = true
	at := func(s string) string {
		if path == "" {
			return s
		}
		return path + ": " + s
	}
	if w.kind == "union" {
		var out []string
		for _, b := range w.branches {
			out = append(out, canRead(r, b, path, seen)...)
		}
		return out
	}
	if r.kind == "union" {
		for _, b := range r.branches {
			if len(canRead(b, w, path, map[pair]bool{})) == 0 {
				return nil
			}
		}
		return []string{at(fmt.Sprintf("%s data fits no branch of %s", w, r))}
	}
	if r.kind != w.kind && !(r.kind == "error" && w.kind == "record" || r.kind == "record" && w.kind == "error") {
		if promotes(w.kind, r.kind) {
			return nil
		}
		return []string{at(fmt.Sprintf("%s data cannot be read as %s", w, r))}
	}
	switch r.kind {
	case "ref":
		if short(r.name) != short(w.name) {
			return []string{at(fmt.Sprintf("%s data cannot be read as %s", w, r))}
		}
	case "record", "error":
		if short(r.name) != short(w.name) {
			return []string{at(fmt.Sprintf("record %s is read as %s", w.name, r.name))}
		}
		var out []string
		for _, rf := range r.fields {
			wf, ok := w.field(rf.name, rf.aliases)
			if !ok {
				if rf.def == nil {
					out = append(out, join(path, rf.name)+": the reader's field has no default and the data lacks it")
				}
				continue
			}
			out = append(out, canRead(rf.typ, wf.typ, join(path, rf.name), seen)...)
		}
		return out
	case "enum":
		if short(r.name) != short(w.name) {
			return []string{at(fmt.Sprintf("enum %s is read as %s", w.name, r.name))}
		}
		if strings.HasPrefix(r.logical, "default:") {
			return nil
		}
		var missing []string
		for _, s := range w.symbols {
			if !slices.Contains(r.symbols, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) > 0 {
			return []string{at(fmt.Sprintf("enum %s lacks symbol(s) %s", r.name, strings.Join(missing, ",")))}
		}
	case "fixed":
		if short(r.name) != short(w.name) || r.size != w.size {
			return []string{at(fmt.Sprintf("%s(%d) data cannot be read as %s(%d)", w, w.size, r, r.size))}
		}
	case "array", "map":
		return canRead(r.items, w.items, path+"[]", seen)
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// sameDefault says whether two defaults are the same JSON value.
func sameDefault(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}
