package wordcount

import (
	"fmt"
	"strings"
	"time"
)

// EventKind says what a Event reports.
type EventKind int

// The kinds of Event.
const (
	// EventTopicCreated: the engine created Topic (Partitions holds one
	// element, its partition count).
	EventTopicCreated EventKind = iota + 1
	// EventAssigned, EventRevoked and EventLost: Stage's group gave it Partitions
	// of Topic, took them back in a rebalance, or lost them (session
	// expired, fenced).
	EventAssigned
	EventRevoked
	EventLost
	// EventRestored: the counting stage rebuilt the counts of Partitions
	// from N changelog records in Took.
	EventRestored
	// EventUnreachable: Broker could not be reached since Since (Err the
	// last failure); the engine keeps retrying. Sent when the outage
	// begins and again every wordCountOutageReminder while it lasts.
	EventUnreachable
	// EventReachable: Broker answers again after an outage that began at
	// Since.
	EventReachable
	// EventPurgeFailed: deleting consumed repartition records failed (Err);
	// the next purge tries again. The topic only grows meanwhile.
	EventPurgeFailed
	// EventStats: the engine's counters changed since the last EventStats
	// (sent at most every Options.StatsEvery).
	EventStats
	// EventStopped: the engine stopped; Stats are its final committed
	// totals and Err what stopped it (nil after a clean stop). The last
	// event.
	EventStopped
	// EventReopened: Stage's transaction failed on a broker that died or
	// hung under it (Err); the stage aborted it and joined again with a
	// new session, redoing the work from the committed offsets.
	EventReopened
)

// Event is something an engine instance did or met: topics
// created, partitions assigned and revoked, counts restored, brokers lost
// and found, changed counters, the stop. The engine passes events to
// Options.OnEvent; String is the log line for them.
type Event struct {
	At   time.Time
	Kind EventKind
	// Stage is "split" or "count" for assignments and restores.
	Stage      string
	Topic      string
	Partitions []int32
	// Broker is the address of an unreachable or recovered broker.
	Broker string
	// Since is when an outage began.
	Since time.Time
	// N is the records a restore read.
	N    int64
	Took time.Duration
	// Stats are the counters of EventStats and EventStopped.
	Stats Stats
	Err   error
}

// String is the event as one log line, without its time.
func (e Event) String() string {
	switch e.Kind {
	case EventTopicCreated:
		n := int32(0)
		if len(e.Partitions) > 0 {
			n = e.Partitions[0]
		}
		return fmt.Sprintf("created topic %s (%s)", e.Topic, plural(int64(n), "partition"))
	case EventAssigned:
		return fmt.Sprintf("%s stage: assigned %s partitions %s", e.Stage, e.Topic, partsText(e.Partitions))
	case EventRevoked:
		return fmt.Sprintf("%s stage: revoked %s partitions %s (rebalance or stop)", e.Stage, e.Topic, partsText(e.Partitions))
	case EventLost:
		return fmt.Sprintf("%s stage: lost %s partitions %s (session expired or fenced)", e.Stage, e.Topic, partsText(e.Partitions))
	case EventRestored:
		return fmt.Sprintf("%s stage: restored the counts of partitions %s from %s (%s in %v)",
			e.Stage, partsText(e.Partitions), e.Topic, plural(e.N, "record"), e.Took.Round(time.Millisecond))
	case EventUnreachable:
		return fmt.Sprintf("broker %s unreachable since %s (%v): retrying", e.Broker, e.Since.Format("15:04:05"), e.Err)
	case EventReachable:
		return fmt.Sprintf("broker %s reachable again, after %v unreachable since %s",
			e.Broker, e.At.Sub(e.Since).Round(100*time.Millisecond), e.Since.Format("15:04:05"))
	case EventPurgeFailed:
		return fmt.Sprintf("purge %s: %v (retried at the next commit)", e.Topic, e.Err)
	case EventStats:
		return e.Stats.String()
	case EventReopened:
		return fmt.Sprintf("%s stage: %v; transaction aborted, rejoined with a new session", e.Stage, e.Err)
	case EventStopped:
		s := e.Stats
		line := fmt.Sprintf("stopped; committed: lines %d  words %d  counted %d  updates %d  txns %d (aborted %d)",
			s.LinesIn, s.Words, s.Counted, s.UpdatesOut, s.Committed, s.Aborted)
		if e.Err != nil {
			line += ": " + e.Err.Error()
		}
		return line
	}
	return fmt.Sprintf("event %d", e.Kind)
}

// String is the counters as the stats line of `kflow wordcount`.
func (s Stats) String() string {
	return fmt.Sprintf("lines %d  words %d  updates %d  txns %d (aborted %d)  words held %d  partitions: input %s, counting %s",
		s.LinesIn, s.Words, s.UpdatesOut, s.Committed, s.Aborted, s.StateWords, partsText(s.InputPartitions), partsText(s.CountPartitions))
}

// partsText is a partition list, "none" when empty.
func partsText(ps []int32) string {
	if len(ps) == 0 {
		return "none"
	}
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = fmt.Sprint(p)
	}
	return strings.Join(s, ",")
}

// plural is "1 record", "2 records".
func plural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// emit sends e to the OnEvent callback, if any, stamped with the time.
func (o *Options) emit(e Event) {
	if o.OnEvent == nil {
		return
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	o.OnEvent(e)
}
