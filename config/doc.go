// Package config reads kflow's YAML config file (named contexts, theme,
// history switch), imports kaf's when kflow has none, parses broker lists
// and holds the TLS and SASL settings with their secrets (env or command,
// never printed).
//
// It is its own package because it is pure input: it imports neither
// franz-go nor Bubble Tea, so the CLI, the UI and the client share one
// parser and its tests need no broker. package kafka turns a Context's TLS
// and SASL settings into franz-go options (kafka.ContextConn, auth.go).
package config
