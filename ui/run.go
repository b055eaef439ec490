package ui

import (
	"context"
	"errors"

	"kflow/kafka"
)

// Options is what the command line resolved for the UI.
type Options struct {
	Conn         kafka.ConnConfig                            // brokers, TLS/SASL, timeout, ReadOnly
	ContextName  string                                      // "" when from flags/env
	ContextNames []string                                    // for :context completion
	Context      func(name string) (kafka.ConnConfig, error) // resolves :context NAME; nil when no config
	Demo         bool                                        // start the embedded demo in-process
	Theme        string                                      // theme name; "" = default
	ConfigDir    string                                      // where user theme files live ($XDG_CONFIG_HOME/kflow)
}

// Run runs the UI until the user quits or ctx ends.
func Run(ctx context.Context, opts Options) error {
	return errors.New("the terminal UI is not built yet")
}
