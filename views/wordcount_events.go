package views

import (
	"slices"
	"sync"

	"kflow/kafka/wordcount"
)

// wcOutages keeps what the in-process engine last said of each broker it
// could not reach. The engine calls add from its goroutines; the panel
// reads down when it renders, so an outage shows within a tick without a
// message of its own.
type wcOutages struct {
	mu   sync.Mutex
	down map[string]wordcount.Event // by broker address
}

// add is the engine's OnEvent: it keeps outages and forgets them on
// recovery; other events are the CLI's to print.
func (o *wcOutages) add(e wordcount.Event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch e.Kind {
	case wordcount.EventUnreachable:
		if o.down == nil {
			o.down = map[string]wordcount.Event{}
		}
		o.down[e.Broker] = e
	case wordcount.EventReachable:
		delete(o.down, e.Broker)
	}
}

// lines are the outages going on, as the engine says them, by broker.
func (o *wcOutages) lines() []string {
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]string, 0, len(o.down))
	for _, e := range o.down {
		out = append(out, e.String())
	}
	slices.Sort(out)
	return out
}
