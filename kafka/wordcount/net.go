package wordcount

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// wcNet turns the engine's connection attempts into outage events: a
// broker that cannot be dialled is unreachable from the first failure
// until a connection to it succeeds again. The stages' clients retry by
// themselves (heartbeats, fetches, metadata), so their dials are a steady
// probe while the broker is gone, and the first one that works after it
// came back is the recovery.
//
// It is a franz-go hook (HookBrokerConnect), called on the clients'
// goroutines.
type wcNet struct {
	opts *Options
	mu   sync.Mutex
	down map[string]*wcOutage // by broker address
}

// wcOutage is one broker's outage.
type wcOutage struct {
	since, said time.Time
}

var _ kgo.HookBrokerConnect = (*wcNet)(nil)

// OnBrokerConnect implements kgo.HookBrokerConnect.
func (n *wcNet) OnBrokerConnect(meta kgo.BrokerMetadata, took time.Duration, _ net.Conn, err error) {
	if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, kgo.ErrClientClosed)) {
		return // the engine is stopping, not the broker
	}
	addr := net.JoinHostPort(meta.Host, strconv.Itoa(int(meta.Port)))
	now := time.Now()
	n.mu.Lock()
	defer n.mu.Unlock() // events of one broker stay in order
	o := n.down[addr]
	switch {
	case err != nil && o == nil:
		// Since the failed attempt began: a hung broker takes the dial
		// timeout to fail, a refusing one no time.
		since := now.Add(-took)
		n.down[addr] = &wcOutage{since: since, said: now}
		n.opts.emit(Event{At: now, Kind: EventUnreachable, Broker: addr, Since: since, Err: err})
	case err != nil && now.Sub(o.said) >= wordCountOutageReminder:
		o.said = now
		n.opts.emit(Event{At: now, Kind: EventUnreachable, Broker: addr, Since: o.since, Err: err})
	case err == nil && o != nil:
		delete(n.down, addr)
		n.opts.emit(Event{At: now, Kind: EventReachable, Broker: addr, Since: o.since})
	}
}
