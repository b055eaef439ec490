package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// TopicFormat is how one topic's keys and values are read when kflow should
// not guess (the context's formats:, or --key-format and --value-format):
// e.g. the word count output's values are 8-byte longs. "" is auto.
//
// A format may name a local schema file (avro:PATH, protobuf:PATH[:MESSAGE],
// json-schema:PATH), kept as written; a relative PATH is taken from Dir.
// The schema package compiles it: File, KeyLine and ValueLine say where the
// format was given, so an error compiling it points at its line.
type TopicFormat struct {
	Key   string `json:"key,omitempty"`
	Value string `json:"value,omitempty"`
	// Dir is the config file's directory, for a local schema's relative path.
	Dir string `json:"-"`
	// File is the config file; KeyLine and ValueLine the lines of the key's
	// and value's format (0 when not given there).
	File               string `json:"-"`
	KeyLine, ValueLine int    `json:"-"`
}

// LocalSchemaKinds are the formats that take a local schema file
// (KIND:PATH), as the schema package reads them.
func LocalSchemaKinds() []string { return []string{"avro", "protobuf", "json-schema"} }

// FormatNames are the format names formats: accepts: the ones kflow's
// schema package reads (a test holds the two lists equal).
func FormatNames() []string {
	return []string{"auto", "string", "json", "hex", "base64", "long", "int", "double", "msgpack"}
}

// formats reads a context's formats: a mapping of topic names to
// {key: F, value: F}, or to F alone for the value.
//
//	formats:
//	  streams-wordcount-output: {key: string, value: long}
//	  metrics: double
func (p *configParser) formats(n *yaml.Node) (map[string]TopicFormat, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errAt(n, "formats must map topic names to formats, e.g. formats: {streams-wordcount-output: {key: string, value: long}}")
	}
	out := map[string]TopicFormat{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		topic := strings.TrimSpace(k.Value)
		if topic == "" {
			return nil, p.errAt(k, "formats: empty topic name")
		}
		if _, dup := out[topic]; dup {
			return nil, p.errAt(k, "formats: topic %q is given twice", topic)
		}
		tf := TopicFormat{Dir: p.dir, File: p.path}
		if v.Kind == yaml.ScalarNode {
			f, err := p.formatName(v, "formats "+topic)
			if err != nil {
				return nil, err
			}
			tf.Value, tf.ValueLine = f, v.Line
		} else {
			err := p.fields(v, "formats "+topic, []string{"key", "value"}, func(field string, _, fv *yaml.Node) error {
				f, err := p.formatName(fv, "formats "+topic+" "+field)
				if field == "key" {
					tf.Key, tf.KeyLine = f, deref(fv).Line
				} else {
					tf.Value, tf.ValueLine = f, deref(fv).Line
				}
				return err
			})
			if err != nil {
				return nil, err
			}
		}
		out[topic] = tf
	}
	return out, nil
}

// formatName reads one format name, refusing unknown ones with the list.
// A local schema format is kept as written (a path's case matters) once
// its file is found; compiling it is the schema package's part.
func (p *configParser) formatName(n *yaml.Node, what string) (string, error) {
	s, err := p.str(n, what)
	if err != nil {
		return "", err
	}
	s = strings.TrimSpace(s)
	if kind, rest, ok := strings.Cut(s, ":"); ok && slices.Contains(LocalSchemaKinds(), strings.ToLower(kind)) {
		if err := p.schemaFile(strings.ToLower(kind), rest); err != nil {
			return "", p.errAt(deref(n), "%s: format %s: %v", what, s, err)
		}
		return s, nil
	}
	s = strings.ToLower(s)
	if !slices.Contains(FormatNames(), s) {
		return "", p.errAt(deref(n), "%s: unknown format %q: want one of %s, or %s", what, s, strings.Join(FormatNames(), ", "),
			"avro:FILE.avsc, protobuf:FILE.proto[:MESSAGE], json-schema:FILE.json")
	}
	return s, nil
}

// schemaFile checks a local schema format's file is there, relative to
// the config file's directory.
func (p *configParser) schemaFile(kind, path string) error {
	if kind == "protobuf" {
		if i := strings.LastIndexByte(path, ':'); i >= 0 && strings.HasSuffix(strings.ToLower(path[:i]), ".proto") {
			path = path[:i]
		}
	}
	if path == "" {
		return errors.New("no schema file given")
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(p.dir, path)
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("schema file " + path + " does not exist (a relative path is taken from the config file's directory)")
	case err != nil:
		return err
	case !st.Mode().IsRegular():
		return errors.New("schema file " + path + " is not a regular file")
	}
	return nil
}

// Format is how topic's keys and values are read in this context; zero
// (auto) for a topic the context does not name.
func (c Context) Format(topic string) TopicFormat { return c.Formats[topic] }
