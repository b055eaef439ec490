// Package text is the wording shared by the CLI and the screens: the
// sanitizer that draws record bytes inert (no escape sequence reaches the
// terminal), and the formats of counts, rates, ages, plurals and one-line
// messages.
//
// It is its own package so that cmd/kflow prints exactly what the views
// show without importing the screens package: it imports neither franz-go
// nor Bubble Tea, and nothing else of kflow.
package text
