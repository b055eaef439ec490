// Package template holds the produce templates: placeholder text
// ({{uuid}}, {{seq}}, {{now}}, {{rand}}, {{pick}}), record specs as the
// user types them, their compiled form and JSON check, the built-in
// templates, the order event shape the demo writes and the
// order-placed template imitates, and the produce history (the sends the
// form offers again, per cluster, in a capped private file).
//
// It is its own package because it is pure text work: it imports neither
// franz-go nor Bubble Tea, so the produce form, `kflow produce` and the
// demo share it and test it without a broker. package kafka turns an
// expanded spec into a record (kafka.TemplateRecord).
package template
