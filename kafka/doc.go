// Package kafka is kflow's client layer: the only package that imports
// franz-go. It lists and describes the cluster, its topics and consumer
// groups, produces, tails, computes lag and resets offsets. What is built on
// it lives below: kafka/demo, the embedded demo cluster, and
// kafka/wordcount, the exactly-once engine, which uses the client through
// a small seam (engine_seam.go) rather than its internals. Every function takes a context.Context and returns
// kflow's own types, so the terminal UI and the headless commands share it
// and tests can drive it without a terminal. What needs no broker lives
// in the pure packages it imports: config (the config file and secrets),
// template (produce templates), lag (status rules, time-lag maths).
package kafka
