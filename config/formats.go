package config

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// TopicFormat is how one topic's keys and values are read when kflow should
// not guess (the context's formats:, or --key-format and --value-format):
// e.g. the word count output's values are 8-byte longs. "" is auto.
type TopicFormat struct {
	Key   string `json:"key,omitempty"`
	Value string `json:"value,omitempty"`
}

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
		var tf TopicFormat
		if v.Kind == yaml.ScalarNode {
			f, err := p.formatName(v, "formats "+topic)
			if err != nil {
				return nil, err
			}
			tf.Value = f
		} else {
			err := p.fields(v, "formats "+topic, []string{"key", "value"}, func(field string, _, fv *yaml.Node) error {
				f, err := p.formatName(fv, "formats "+topic+" "+field)
				if field == "key" {
					tf.Key = f
				} else {
					tf.Value = f
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
func (p *configParser) formatName(n *yaml.Node, what string) (string, error) {
	s, err := p.str(n, what)
	if err != nil {
		return "", err
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if !slices.Contains(FormatNames(), s) {
		return "", p.errAt(deref(n), "%s: unknown format %q: want one of %s", what, s, strings.Join(FormatNames(), ", "))
	}
	return s, nil
}

// Format is how topic's keys and values are read in this context; zero
// (auto) for a topic the context does not name.
func (c Context) Format(topic string) TopicFormat { return c.Formats[topic] }
