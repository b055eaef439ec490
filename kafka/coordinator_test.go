package kafka

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// TestUntilCoordinator: a coordinator still loading is waited for, any
// other error returns at once, and an ended context stops the waiting
// with the coordinator's error.
func TestUntilCoordinator(t *testing.T) {
	calls := 0
	err := untilCoordinator(context.Background(), func() error {
		calls++
		if calls < 3 {
			return fmt.Errorf("fetch offsets: %w", kerr.CoordinatorNotAvailable)
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("err %v after %d calls, want nil after 3", err, calls)
	}

	calls = 0
	other := errors.New("boom")
	if err := untilCoordinator(context.Background(), func() error { calls++; return other }); err != other || calls != 1 {
		t.Fatalf("err %v after %d calls, want boom after 1", err, calls)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if err := untilCoordinator(ctx, func() error { return kerr.CoordinatorLoadInProgress }); !errors.Is(err, kerr.CoordinatorLoadInProgress) {
		t.Fatalf("err %v, want COORDINATOR_LOAD_IN_PROGRESS once the context ended", err)
	}
}
