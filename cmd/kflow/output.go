package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/charmbracelet/x/term"

	"kflow/kafka"
)

// printJSON writes v as one line of JSON, inert on a terminal: C1
// controls, DEL and invisible format characters (bidi, zero-width) are
// escaped as \uXXXX like the tail's JSON lines.
func printJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	_, err = w.Write(append(kafka.InertJSON(b), '\n'))
	return err
}

// printAs prints what a command read, once it read it without err: as
// JSON under --json (asJSON), else through plain.
func printAs[T any](asJSON bool, w io.Writer, v T, err error, plain func(io.Writer, T) error) error {
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(w, v)
	}
	return plain(w, v)
}

// table writes tab-separated rows aligned in columns.
func table(w io.Writer, header string, rows func(tw io.Writer)) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	rows(tw)
	return tw.Flush()
}

// isTerminal reports whether w is a terminal: there, record bytes are made
// inert; in a pipe they pass through untouched, as kcat passes them.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
