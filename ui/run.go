package ui

import (
	"context"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"kflow/kafka"
	"kflow/lag"
	"kflow/views"
)

// Options is what the command line resolved for the UI.
type Options struct {
	Conn         kafka.ConnConfig                            // brokers, TLS/SASL, timeout, ReadOnly
	ContextName  string                                      // "" when from flags/env
	ContextNames []string                                    // for :context completion
	Context      func(name string) (kafka.ConnConfig, error) // resolves :context NAME; nil when no config
	Pinned       Pinned                                      // command-line flags every connection keeps
	Demo         bool                                        // start the embedded demo in-process
	Theme        string                                      // theme name; "" = default
	LagRules     *lag.Rules                                  // lag status thresholds (--lag-rules); nil = KFLOW_LAG_RULES or defaults
	LagInterval  time.Duration                               // how often the lag monitor samples (--lag-interval); 0 = kafka.DefaultLagInterval
	TailBuffer   int                                         // records a tail view keeps (--buffer); 0 = kafka.DefaultBuffer
	ConfigDir    string                                      // where user theme files live ($XDG_CONFIG_HOME/kflow)
	NoHistory    bool                                        // keep no produce history (--no-history, history: false)
}

// noColor reports whether NO_COLOR asks for no colour: set and not empty,
// as no-color.org says (colorprofile alone accepts only boolean values).
func noColor() bool { return os.Getenv("NO_COLOR") != "" }

// Run runs the UI until the user quits or ctx ends.
func Run(ctx context.Context, opts Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := New(ctx, opts, Deps{Refresh: views.DefaultRefresh, Health: 5 * views.DefaultRefresh / 3, Timeout: views.DefaultTimeout})
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if noColor() {
		popts = append(popts, tea.WithColorProfile(colorprofile.Ascii))
	}
	p := tea.NewProgram(m, popts...)
	_, err := p.Run()
	m.shutdown()
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}
