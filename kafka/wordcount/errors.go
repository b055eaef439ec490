package wordcount

import (
	"fmt"
	"strings"
)

// MissingInputError says the word count's input topic does not exist and
// the engine was not asked to create it (Options.CreateInput).
type MissingInputError struct {
	// Topic is the input topic asked for.
	Topic string
	// Similar are existing topics whose names are close to Topic, closest
	// first: what the user may have meant.
	Similar []string
}

func (e *MissingInputError) Error() string {
	msg := fmt.Sprintf("input topic %q does not exist", e.Topic)
	if len(e.Similar) > 0 {
		q := make([]string, len(e.Similar))
		for i, s := range e.Similar {
			q[i] = fmt.Sprintf("%q", s)
		}
		msg += " (did you mean " + strings.Join(q, ", ") + "?)"
	}
	return msg
}
