package kafka

import (
	"fmt"
	"strings"
)

// Template is a record to start from: the form and `kflow produce
// --template NAME` fill key, value and headers from it.
type Template struct {
	// Name is what --template takes ("order-placed"); spaces, dashes and
	// underscores are interchangeable when looking one up.
	Name string
	// About says in a few words what the template is for.
	About string
	Spec  RecordSpec
}

// orderPlacedValue is an order event with the metadata event designers
// recommend: an event id, a correlation id (also sent as a header), a
// timestamp and a schema version.
const orderPlacedValue = `{
  "event_id": "{{uuid}}",
  "event_type": "order.placed",
  "schema_version": 1,
  "occurred_at": "{{now}}",
  "correlation_id": "{{uuid corr}}",
  "data": {
    "order_id": "order-{{seq}}",
    "customer_id": "customer-{{rand 1 100}}",
    "amount_cents": {{rand 500 50000}},
    "currency": "{{pick "EUR" "USD" "GBP"}}"
  }
}`

// Templates returns the built-in templates, in the order they are
// offered.
func Templates() []Template {
	orderKey := "order-{{seq}}"
	return []Template{
		{
			Name:  "order-placed",
			About: "JSON order event with event id, correlation id, timestamp, schema version",
			Spec: RecordSpec{
				Partition: -1,
				Key:       &orderKey,
				Value:     orderPlacedValue,
				Headers: []HeaderSpec{
					{Key: "correlation_id", Value: "{{uuid corr}}"},
					{Key: "content-type", Value: "application/json"},
				},
				JSON: true,
			},
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

// TemplateNames lists the built-in templates' names.
func TemplateNames() []string {
	var out []string
	for _, t := range Templates() {
		out = append(out, t.Name)
	}
	return out
}

// FindTemplate returns the built-in template called name ("order placed",
// "order-placed" and "order_placed" are the same).
func FindTemplate(name string) (Template, error) {
	norm := func(s string) string {
		return strings.NewReplacer(" ", "-", "_", "-").Replace(strings.ToLower(strings.TrimSpace(s)))
	}
	for _, t := range Templates() {
		if norm(t.Name) == norm(name) {
			return t, nil
		}
	}
	return Template{}, fmt.Errorf("no template %q (there are: %s)", name, strings.Join(TemplateNames(), ", "))
}
