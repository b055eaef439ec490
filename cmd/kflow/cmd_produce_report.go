package main

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"kflow/kafka"
	"kflow/text"
)

// progressEvery is how often a long produce run says how it goes on
// stderr, and how often it repeats that it waits for the broker.
const progressEvery = 3 * time.Second

// produceOutput prints what a produce command did: where a single record
// landed, a run's progress while it lasts and its counts at the end.
type produceOutput struct {
	e     env
	json  bool
	topic string
}

// one prints where a single record landed.
func (o produceOutput) one(res kafka.ProduceResult, err error) error {
	if err != nil {
		return err
	}
	if o.json {
		return printJSON(o.e.stdout, res)
	}
	fmt.Fprintf(o.e.stdout, "%s/%d@%d\n", text.SanitizeString(res.Topic), res.Partition, res.Offset)
	return nil
}

// progress returns a StreamOptions.Progress that prints a line on stderr
// every few seconds of a long run, and at once when the run starts
// waiting for a silent broker, so a hung broker is never silence.
func (o produceOutput) progress() func(kafka.StreamStats) {
	var last time.Duration
	waiting := false
	return func(s kafka.StreamStats) {
		nowWaiting := !s.WaitingSince.IsZero()
		if s.Elapsed-last < progressEvery && (!nowWaiting || waiting) {
			return
		}
		last, waiting = s.Elapsed, nowWaiting
		if nowWaiting {
			fmt.Fprintf(o.e.stderr, "kflow: waiting for the broker since %s (%v): %d sent, %d acknowledged, %d waiting, %d failed\n",
				s.WaitingSince.Format("15:04:05"), time.Since(s.WaitingSince).Round(time.Second), s.Sent, s.Acked, s.Unacked, s.Failed)
			return
		}
		fmt.Fprintf(o.e.stderr, "kflow: %d sent, %d acknowledged, %d failed (%.0f/s)\n", s.Sent, s.Acked, s.Failed, s.Rate())
	}
}

// run prints a run's counts and returns its error: the run's own, or the
// input's (inputErr), or one saying records failed. Any record failed or
// not acknowledged makes the command fail (exit 1).
func (o produceOutput) run(st kafka.StreamStats, err, inputErr error) error {
	if err == nil {
		err = inputErr
	} else if inputErr != nil {
		err = errors.Join(inputErr, err)
	}
	if err == nil && (st.Failed > 0 || st.Unacked > 0) {
		err = fmt.Errorf("%d failed, %d not acknowledged", st.Failed, st.Unacked)
	}
	if o.json {
		if jerr := printJSON(o.e.stdout, st); jerr != nil && err == nil {
			err = jerr
		}
		return err
	}
	how := ""
	if st.Interrupted {
		how = ", interrupted"
	}
	fmt.Fprintf(o.e.stderr, "produced %s to %s (%d failed, %d not acknowledged%s) in %v",
		text.CountOf(int(st.Acked), "record", "records"), text.SanitizeString(o.topic), st.Failed, st.Unacked, how, st.Elapsed.Round(time.Millisecond))
	if st.Acked > 1 {
		fmt.Fprintf(o.e.stderr, ": %.0f/s, p50 %v, p99 %v", st.Rate(), st.P50.Round(10*time.Microsecond), st.P99.Round(10*time.Microsecond))
	}
	fmt.Fprintln(o.e.stderr)
	if len(st.FailedRecords) > 0 {
		more := ""
		if n := st.Failed - int64(len(st.FailedRecords)); n > 0 {
			more = fmt.Sprintf(" and %d more", n)
		}
		fmt.Fprintf(o.e.stderr, "failed records (numbered from 1 in input order): %s%s\n", numberRanges(st.FailedRecords), more)
	}
	if len(st.UnackedRecords) > 0 {
		more := ""
		if n := st.Unacked - int64(len(st.UnackedRecords)); n > 0 {
			more = fmt.Sprintf(" and %d more", n)
		}
		fmt.Fprintf(o.e.stderr, "not acknowledged, may or may not be written (numbered from 1 in input order): %s%s\n", numberRanges(st.UnackedRecords), more)
	}
	return err
}

// numberRanges writes ascending numbers as runs: 3-5, 9.
func numberRanges(ns []int64) string {
	var b []byte
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if len(b) > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, ns[i], 10)
		if j > i {
			b = append(b, '-')
			b = strconv.AppendInt(b, ns[j], 10)
		}
		i = j + 1
	}
	return string(b)
}

// inputErr holds the error of a record source read on the produce run's
// goroutine.
type inputErr struct {
	mu  sync.Mutex
	err error
}

func (i *inputErr) set(err error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.err == nil {
		i.err = err
	}
}

func (i *inputErr) get() error {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.err
}
