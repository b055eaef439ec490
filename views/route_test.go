package views

import (
	"testing"

	"kflow/kafka"
)

// TestAsyncMessagesAreAddressed: every message a view's command answers
// with names the view it is for, so the shell hands it to that view only.
func TestAsyncMessagesAreAddressed(t *testing.T) {
	for _, m := range []any{
		Result[int32]{ID: 7}, Result[[]kafka.TopicSummary]{ID: 7}, TickMsg{ID: 7},
		tailWakeMsg{ID: 7}, tailStartedMsg{ID: 7}, tailSavedMsg{ID: 7},
		wcWakeMsg{ID: 7}, wcTailMsg{ID: 7}, wcEngineMsg{ID: 7}, wcEngineDoneMsg{ID: 7},
		produceProgress{ID: 7}, produceDone{ID: 7},
	} {
		a, ok := m.(Addressed)
		if !ok || a.ViewID() != 7 {
			t.Errorf("%T is not addressed to its view", m)
		}
	}
}
