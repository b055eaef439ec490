package kafka

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"time"
)

// HistoryLimit is how many sends the history keeps.
const HistoryLimit = 20

// HistoryEntry is one send as it was typed (placeholders unexpanded), so
// picking it again sends the same kind of records.
type HistoryEntry struct {
	At   time.Time  `json:"at"`
	Spec RecordSpec `json:"record"`
	// Count and Rate are the repeat run's, 0 for a single record.
	Count int     `json:"count,omitempty"`
	Rate  float64 `json:"rate,omitempty"`
}

// History is the list of the last sends, kept as JSON lines in one file
// (newest last), bounded to HistoryLimit entries.
type History struct {
	path  string
	limit int
}

// NewHistory returns the history kept at path.
func NewHistory(path string) *History { return &History{path: path, limit: HistoryLimit} }

// DefaultHistoryPath is $XDG_CONFIG_HOME/kflow/history.jsonl, next to
// the config file.
func DefaultHistoryPath() (string, error) {
	cfg, err := DefaultConfigPath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(cfg), "history.jsonl"), nil
}

// Path is where the history is kept.
func (h *History) Path() string { return h.path }

// Load returns the entries, newest first. A missing file is an empty
// history; a line that does not parse (a torn write) is skipped.
func (h *History) Load() ([]HistoryEntry, error) {
	b, err := os.ReadFile(h.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	var out []HistoryEntry
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	for sc.Scan() {
		var e HistoryEntry
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			out = append(out, e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read history %s: %w", h.path, err)
	}
	if len(out) > h.limit {
		out = out[len(out)-h.limit:]
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// Add records a send and returns the history, newest first. Sending the
// same thing again moves it to the top instead of repeating it. The file
// is replaced whole (write, then rename), so a crash never leaves half a
// history.
func (h *History) Add(e HistoryEntry) ([]HistoryEntry, error) {
	old, err := h.Load()
	if err != nil {
		return nil, err
	}
	all := []HistoryEntry{e}
	for _, o := range old {
		if !sameSend(o, e) {
			all = append(all, o)
		}
	}
	if len(all) > h.limit {
		all = all[:h.limit]
	}
	var buf bytes.Buffer
	for i := len(all) - 1; i >= 0; i-- {
		line, err := json.Marshal(all[i])
		if err != nil {
			return nil, fmt.Errorf("save history: %w", err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return nil, fmt.Errorf("save history: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".history-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("save history: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("save history: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("save history: %w", err)
	}
	if err := os.Rename(tmp.Name(), h.path); err != nil {
		return nil, fmt.Errorf("save history: %w", err)
	}
	return all, nil
}

func sameSend(a, b HistoryEntry) bool {
	return a.Count == b.Count && a.Rate == b.Rate && reflect.DeepEqual(a.Spec, b.Spec)
}
