package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// jsonSchemaBase is where a JSON schema and its references live for
// $ref resolution: an in-memory scheme, so no $ref ever reaches a file
// or the network.
const jsonSchemaBase = "mem://kflow/"

// jsonSchema is a JSON Schema document, compiled for validation the first
// time a value is encoded (decoding only checks the body is JSON).
type jsonSchema struct {
	doc  any
	refs map[string]any // by URL

	once     sync.Once
	compiled *jsonschema.Schema
	err      error
}

func newJSONSchema(text string, refs []refDoc) (*jsonSchema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("json schema: %w", err)
	}
	js := &jsonSchema{doc: doc, refs: map[string]any{}}
	for _, ref := range refs {
		rd, err := jsonschema.UnmarshalJSON(strings.NewReader(ref.schema.Schema))
		if err != nil {
			return nil, fmt.Errorf("json schema: reference %q: %w", ref.name, err)
		}
		js.refs[refURL(ref.name)] = rd
	}
	return js, nil
}

// refURL is where a reference named name is found from the main schema.
func refURL(name string) string {
	if u, err := url.Parse(name); err == nil && u.IsAbs() {
		return name
	}
	return jsonSchemaBase + strings.TrimPrefix(name, "/")
}

func (js *jsonSchema) decode(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(body))
	if err := json.Compact(&buf, body); err != nil {
		return nil, fmt.Errorf("json schema: the body is not JSON: %w", err)
	}
	return buf.Bytes(), nil
}

func (js *jsonSchema) validator() (*jsonschema.Schema, error) {
	js.once.Do(func() {
		c := jsonschema.NewCompiler()
		c.UseLoader(jsonschema.SchemeURLLoader{}) // nothing outside the registry's answers
		main := jsonSchemaBase + "schema.json"
		urls := make([]string, 0, len(js.refs))
		for u := range js.refs {
			urls = append(urls, u)
		}
		sort.Strings(urls)
		for _, u := range urls {
			if err := c.AddResource(u, js.refs[u]); err != nil {
				js.err = fmt.Errorf("json schema: reference %s: %w", u, err)
				return
			}
		}
		if err := c.AddResource(main, js.doc); err != nil {
			js.err = fmt.Errorf("json schema: %w", err)
			return
		}
		js.compiled, js.err = c.Compile(main)
		if js.err != nil {
			js.err = fmt.Errorf("json schema: %w", js.err)
		}
	})
	return js.compiled, js.err
}

// encode validates jsonValue and returns it compacted.
func (js *jsonSchema) encode(b, jsonValue []byte) ([]byte, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(jsonValue))
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	sch, err := js.validator()
	if err != nil {
		return nil, err
	}
	if err := sch.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("json schema: %s", validationMessage(ve))
		}
		return nil, fmt.Errorf("json schema: %w", err)
	}
	buf := bytes.NewBuffer(b)
	if err := json.Compact(buf, jsonValue); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	return buf.Bytes(), nil
}

// validationMessage lists the leaf failures of ve, each at its instance
// path: "/customer/id: expected string, got number".
func validationMessage(ve *jsonschema.ValidationError) string {
	p := message.NewPrinter(language.English)
	var msgs []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		path := ""
		for _, step := range e.InstanceLocation {
			path += "/" + strings.ReplaceAll(strings.ReplaceAll(step, "~", "~0"), "/", "~1")
		}
		if path == "" {
			path = "/"
		}
		var msg string
		if t, ok := e.ErrorKind.(*kind.Type); ok {
			msg = fmt.Sprintf("expected %s, got %s", strings.Join(t.Want, " or "), t.Got)
		} else {
			msg = e.ErrorKind.LocalizedString(p)
		}
		msgs = append(msgs, path+": "+msg)
	}
	walk(ve)
	return strings.Join(msgs, "; ")
}

// jsonSkeleton is a JSON value of the schema with a placeholder in every
// property: enums and consts take their first value, oneOf/anyOf their
// first non-null branch, local and referenced $refs are followed.
func (js *jsonSchema) skeleton() []byte {
	v := js.skeletonOf(js.doc, js.doc, 0)
	out, err := json.Marshal(v)
	if err != nil {
		return []byte("null")
	}
	return out
}

func (js *jsonSchema) skeletonOf(s, root any, depth int) any {
	m, ok := s.(map[string]any)
	if !ok || depth > 32 {
		return nil
	}
	if ref, ok := m["$ref"].(string); ok {
		target, targetRoot := js.resolveRef(ref, root)
		return js.skeletonOf(target, targetRoot, depth+1)
	}
	if c, ok := m["const"]; ok {
		return c
	}
	if e, ok := m["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	if d, ok := m["default"]; ok {
		return d
	}
	for _, k := range []string{"oneOf", "anyOf", "allOf"} {
		if alts, ok := m[k].([]any); ok {
			for _, alt := range alts {
				if am, ok := alt.(map[string]any); ok && am["type"] == "null" {
					continue
				}
				return js.skeletonOf(alt, root, depth+1)
			}
		}
	}
	typ := m["type"]
	if list, ok := typ.([]any); ok {
		typ = nil
		for _, t := range list {
			if t != "null" {
				typ = t
				break
			}
		}
	}
	if typ == nil {
		if _, ok := m["properties"]; ok {
			typ = "object"
		}
	}
	switch typ {
	case "object":
		obj := map[string]any{}
		if props, ok := m["properties"].(map[string]any); ok {
			for k, p := range props {
				obj[k] = js.skeletonOf(p, root, depth+1)
			}
		}
		return obj
	case "array":
		if items, ok := m["items"]; ok {
			return []any{js.skeletonOf(items, root, depth+1)}
		}
		return []any{}
	case "string":
		return ""
	case "integer":
		return 0
	case "number":
		return 0.0
	case "boolean":
		return false
	}
	return nil
}

// resolveRef finds a $ref: "#/json/pointer" in root, or a reference's
// document (with an optional fragment).
func (js *jsonSchema) resolveRef(ref string, root any) (target, targetRoot any) {
	doc, frag, _ := strings.Cut(ref, "#")
	if doc != "" {
		d, ok := js.refs[refURL(doc)]
		if !ok {
			return nil, nil
		}
		root = d
	}
	cur := root
	for _, step := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		if step == "" {
			continue
		}
		step = strings.ReplaceAll(strings.ReplaceAll(step, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, nil
		}
		cur = m[step]
	}
	return cur, root
}
