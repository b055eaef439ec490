// Package demo is kflow's embedded demo cluster: an in-process fake broker
// (kfake) with seeded topics, a live order flow, text for the word count
// and consumer groups that keep up, fall behind, stall and sit idle, so a
// newcomer can explore kflow with nothing installed. `kflow demo`, the
// `--demo` flag and the UI's connect screen start it with Start. It builds
// on the client layer (kafka) for the shared order event shape.
package demo
