package kafka

import (
	"context"
	"errors"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
)

// coordinatorBusy reports whether err says a group's coordinator is not
// ready yet. A fresh cluster creates and loads __consumer_offsets on first
// use, and on a loaded machine franz-go's own retries can run out first.
// A stable offset fetch (kadm.RequireStable) is not ready either while a
// committed transaction's offsets await their marker: the transaction
// coordinator writes it after EndTxn has answered.
func coordinatorBusy(err error) bool {
	return errors.Is(err, kerr.CoordinatorNotAvailable) ||
		errors.Is(err, kerr.CoordinatorLoadInProgress) ||
		errors.Is(err, kerr.NotCoordinator) ||
		errors.Is(err, kerr.UnstableOffsetCommit)
}

// untilCoordinator runs fn again while it fails only because the group
// coordinator is not ready, backing off up to a second between tries,
// until it succeeds, fails otherwise, or ctx ends (then the last error).
func untilCoordinator(ctx context.Context, fn func() error) error {
	wait := 50 * time.Millisecond
	for {
		err := fn()
		if err == nil || !coordinatorBusy(err) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, time.Second)
	}
}
