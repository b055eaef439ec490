package wordcount

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

// TestTransientErrors: the failures a dead or hung broker explains reopen
// a stage; the others (authorisation, a fenced producer, a bad topic)
// still stop the engine.
func TestTransientErrors(t *testing.T) {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: &timeoutErr{}}
	for _, err := range []error{
		fmt.Errorf("count stage: end transaction: %w", timeout),
		fmt.Errorf("split stage: %w", io.EOF),
		fmt.Errorf("dial: %w", syscall.ECONNREFUSED),
		fmt.Errorf("end: %w", context.DeadlineExceeded),
		fmt.Errorf("end: %w", kerr.NotCoordinator),
		fmt.Errorf("end: %w", kerr.CoordinatorNotAvailable),
		fmt.Errorf("produce: %w", kerr.NotEnoughReplicas),
	} {
		if !transient(err) {
			t.Errorf("transient(%v) = false, want a reopen", err)
		}
	}
	for _, err := range []error{
		fmt.Errorf("end: %w", kerr.TransactionalIDAuthorizationFailed),
		fmt.Errorf("end: %w", kerr.ProducerFenced),
		fmt.Errorf("poll: %w", kerr.TopicAuthorizationFailed),
		errors.New("output holds a value that is no count"),
	} {
		if transient(err) {
			t.Errorf("transient(%v) = true, want the engine stopped", err)
		}
	}
}

type timeoutErr struct{}

func (*timeoutErr) Error() string   { return "i/o timeout" }
func (*timeoutErr) Timeout() bool   { return true }
func (*timeoutErr) Temporary() bool { return true }
