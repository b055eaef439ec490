package template

import (
	"fmt"
	"strings"
)

// Builtin is a record to start from: the form and `kflow produce
// --template NAME` fill key, value and headers from it.
type Builtin struct {
	// Name is what --template takes ("order-placed"); spaces, dashes and
	// underscores are interchangeable when looking one up.
	Name string
	// About says in a few words what the template is for.
	About string
	Spec  RecordSpec
}

// Builtins returns the built-in templates, in the order they are
// offered.
func Builtins() []Builtin {
	return []Builtin{
		{
			Name:  "order-placed",
			About: "JSON order event with event id, correlation id, timestamp, schema version",
			// The demo's order_events shape (OrderEvent), placeholders for values.
			Spec: orderPlacedSpec(),
		},
		{
			Name:  "text-line",
			About: "a line of plain text, for the word count",
			Spec: RecordSpec{
				Partition: -1,
				Value:     `{{pick "the quick brown fox jumps over the lazy dog" "to be or not to be that is the question" "all the world is a stage" "hello kafka hello streams"}}`,
			},
		},
	}
}

// Names lists the built-in templates' names.
func Names() []string {
	var out []string
	for _, t := range Builtins() {
		out = append(out, t.Name)
	}
	return out
}

// Find returns the built-in template called name ("order placed",
// "order-placed" and "order_placed" are the same).
func Find(name string) (Builtin, error) {
	norm := func(s string) string {
		return strings.NewReplacer(" ", "-", "_", "-").Replace(strings.ToLower(strings.TrimSpace(s)))
	}
	for _, t := range Builtins() {
		if norm(t.Name) == norm(name) {
			return t, nil
		}
	}
	return Builtin{}, fmt.Errorf("no template %q (there are: %s)", name, strings.Join(Names(), ", "))
}
