// Package themes holds kflow's colours and styles. A Theme is built once
// from a Palette of semantic colours and passed to every view; views
// define no colours of their own, so switching theme (or honouring
// NO_COLOR) is a matter of building another Theme. Theme.Style maps a
// Tone (what a value means: Good, Warning, Bad...) to its style, the one
// mapping the table and the tail share.
package themes
