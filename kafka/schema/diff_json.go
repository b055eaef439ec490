package schema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// diffJSONSchema compares two JSON Schemas' properties, recursively
// through nested objects and array items: added, removed, type changed,
// and each object's required list.
func diffJSONSchema(a, b string) ([]Change, error) {
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		return nil, fmt.Errorf("diff: json schema: %w", err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		return nil, fmt.Errorf("diff: json schema: %w", err)
	}
	var out []Change
	diffJSONNode(x, y, "", &out, 0)
	return out, nil
}

func diffJSONNode(a, b any, path string, out *[]Change, depth int) {
	if depth > 64 {
		return
	}
	ma, _ := a.(map[string]any)
	mb, _ := b.(map[string]any)
	name := path
	if name == "" {
		name = "(root)"
	}
	if ta, tb := jsonType(a), jsonType(b); ta != tb {
		*out = append(*out, Change{Path: name, Kind: TypeChanged, Old: ta, New: tb})
	}
	if ra, rb := jsonRequired(ma), jsonRequired(mb); !slices.Equal(ra, rb) {
		*out = append(*out, Change{Path: name, Kind: RequiredChange, Old: "[" + strings.Join(ra, ",") + "]", New: "[" + strings.Join(rb, ",") + "]"})
	}
	pa, _ := ma["properties"].(map[string]any)
	pb, _ := mb["properties"].(map[string]any)
	for _, k := range sortedKeys(pa) {
		p := join(path, k)
		v, ok := pb[k]
		if !ok {
			*out = append(*out, Change{Path: p, Kind: Removed, Old: jsonType(pa[k])})
			continue
		}
		diffJSONNode(pa[k], v, p, out, depth+1)
	}
	for _, k := range sortedKeys(pb) {
		if _, ok := pa[k]; !ok {
			*out = append(*out, Change{Path: join(path, k), Kind: Added, New: jsonType(pb[k])})
		}
	}
	if ia, ib := ma["items"], mb["items"]; ia != nil && ib != nil {
		diffJSONNode(ia, ib, path+"[]", out, depth+1)
	}
}

// jsonType is a schema's type as the diff shows it: its "type" (a list
// joined by |), else its $ref, else "any".
func jsonType(s any) string {
	m, ok := s.(map[string]any)
	if !ok {
		return fmt.Sprint(s)
	}
	switch t := m["type"].(type) {
	case string:
		return t
	case []any:
		parts := make([]string, len(t))
		for i, p := range t {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, "|")
	}
	if r, ok := m["$ref"].(string); ok {
		return "$ref " + r
	}
	return "any"
}

func jsonRequired(m map[string]any) []string {
	rs, _ := m["required"].([]any)
	var out []string
	for _, r := range rs {
		if s, ok := r.(string); ok {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
