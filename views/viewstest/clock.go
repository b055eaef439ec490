package viewstest

import (
	"sync"
	"time"
)

// Epoch is the fake clock's start: 2026-01-02 12:00:00 UTC.
var Epoch = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)

// Clock is a clock that moves only when told, so times on screen are
// fixed. It is safe for concurrent use: views read it from commands.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at Epoch.
func NewClock() *Clock { return &Clock{now: Epoch} }

// Now is the clock's time; pass it as Common.Now or Deps.Now.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
