package ui

import (
	"context"

	"kflow/views"
)

// startLag starts the lag monitor of a new connection, after stopping the
// previous one: it samples every group in the background from now on
// (when the shell polls at all), so the groups views, opened now or
// later, show statuses built over the whole connection.
func (m *Model) startLag(cl views.Cluster) {
	m.stopLag()
	src, ok := cl.(views.GroupsSource)
	if !ok {
		return
	}
	mon := views.NewLagMonitor(m.common, src, m.opts.LagInterval)
	m.common.Lag = mon
	if m.deps.Refresh <= 0 {
		return // tests sample by key
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.lagCancel = cancel
	go mon.Run(ctx)
}

// stopLag ends the lag monitor's sampling; views still holding it keep
// its last snapshot.
func (m *Model) stopLag() {
	if m.lagCancel != nil {
		m.lagCancel()
		m.lagCancel = nil
	}
	m.common.Lag = nil
}
