package views

import (
	"testing"

	"kflow/kafka"
	"kflow/views/viewstest"
)

// TestTailBufferFromCommon: --buffer reaches every tail view through
// Common; a view's own option still wins.
func TestTailBufferFromCommon(t *testing.T) {
	c := newTailCommon(t, viewstest.NewClock())
	c.TailBuffer = 7
	if got := NewTail(c, nil, "t", TailViewOptions{}).opts.Buffer; got != 7 {
		t.Errorf("buffer %d, want 7 from --buffer", got)
	}
	if got := NewTail(c, nil, "t", TailViewOptions{Buffer: 3}).opts.Buffer; got != 3 {
		t.Errorf("buffer %d, want the view's own 3", got)
	}
	c.TailBuffer = 0
	if got := NewTail(c, nil, "t", TailViewOptions{}).opts.Buffer; got != kafka.DefaultBuffer {
		t.Errorf("buffer %d, want the default %d", got, kafka.DefaultBuffer)
	}
}
