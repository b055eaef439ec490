package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	"kflow/config"
)

// HistoryLimit is how many sends the history keeps per cluster.
const HistoryLimit = 20

// The history file's caps: it never grows past these, whatever the
// number of clusters or the size of what was sent.
const (
	// HistoryMaxEntries bounds the entries of all clusters together.
	HistoryMaxEntries = 200
	// HistoryMaxBytes bounds the file; the oldest entries go first.
	HistoryMaxBytes = 1 << 20
	// HistoryMaxEntryBytes is the largest send kept: a bigger value is
	// sent but not remembered.
	HistoryMaxEntryBytes = 64 << 10
)

// HistoryEntry is one send as it was typed (placeholders unexpanded), so
// picking it again sends the same kind of records.
type HistoryEntry struct {
	At   time.Time  `json:"at"`
	Spec RecordSpec `json:"record"`
	// Count and Rate are the repeat run's, 0 for a single record.
	Count int     `json:"count,omitempty"`
	Rate  float64 `json:"rate,omitempty"`
	// Cluster is the cluster it was sent to (see History.ForCluster):
	// a send to one cluster is not offered for another.
	Cluster string `json:"cluster,omitempty"`
}

// History is the list of the last sends, kept as JSON lines in one file
// (newest last) readable by the user only, bounded per cluster and in
// all (HistoryLimit, HistoryMaxEntries, HistoryMaxBytes).
type History struct {
	path    string
	limit   int
	cluster string
}

// NewHistory returns the history kept at path.
func NewHistory(path string) *History { return &History{path: path, limit: HistoryLimit} }

// ForCluster returns the history of one cluster (a context name or its
// bootstrap addresses) in the same file: Load shows only its sends and
// Add files new ones under it.
func (h *History) ForCluster(cluster string) *History {
	c := *h
	c.cluster = cluster
	return &c
}

// DefaultHistoryPath is $XDG_CONFIG_HOME/kflow/history.jsonl, next to
// the config file.
func DefaultHistoryPath() (string, error) {
	cfg, err := config.DefaultPath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(cfg), "history.jsonl"), nil
}

// Path is where the history is kept.
func (h *History) Path() string { return h.path }

// Load returns the cluster's entries, newest first. A missing file is an
// empty history; a line that does not parse (a torn write) is skipped.
func (h *History) Load() ([]HistoryEntry, error) {
	all, err := h.loadAll()
	if err != nil {
		return nil, err
	}
	var out []HistoryEntry
	for _, e := range all {
		if e.Cluster == h.cluster && len(out) < h.limit {
			out = append(out, e)
		}
	}
	return out, nil
}

// loadAll returns every cluster's entries, newest first, reading at most
// the newest HistoryMaxBytes of the file.
func (h *History) loadAll() ([]HistoryEntry, error) {
	f, err := os.Open(h.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	defer func() { _ = f.Close() }()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read history %s: not a regular file", h.path)
	}
	skipFirst := false
	if st.Size() > HistoryMaxBytes {
		if _, err := f.Seek(st.Size()-HistoryMaxBytes, io.SeekStart); err != nil {
			return nil, fmt.Errorf("read history: %w", err)
		}
		skipFirst = true // it starts mid-line
	}
	b, err := io.ReadAll(io.LimitReader(f, HistoryMaxBytes))
	if err != nil {
		return nil, fmt.Errorf("read history %s: %w", h.path, err)
	}
	var out []HistoryEntry
	for i, line := range bytes.Split(b, []byte("\n")) {
		if i == 0 && skipFirst {
			continue
		}
		var e HistoryEntry
		if json.Unmarshal(line, &e) == nil {
			out = append(out, e)
		}
	}
	slices.Reverse(out)
	return out, nil
}

// Add records a send to the history's cluster and returns that
// cluster's history, newest first. Sending the same thing again moves it
// to the top instead of repeating it; a send larger than
// HistoryMaxEntryBytes is not kept. The file is replaced whole (write,
// then rename) and created 0600, so a crash never leaves half a history
// and other users cannot read what was sent.
func (h *History) Add(e HistoryEntry) ([]HistoryEntry, error) {
	e.Cluster = h.cluster
	old, err := h.loadAll()
	if err != nil {
		return nil, err
	}
	first, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("save history: %w", err)
	}
	if len(first) > HistoryMaxEntryBytes {
		return h.Load()
	}
	lines := [][]byte{first}
	total, mine := len(first)+1, 1
	for _, o := range old {
		if o.Cluster == h.cluster && (sameSend(o, e) || mine >= h.limit) {
			continue
		}
		line, err := json.Marshal(o)
		if err != nil {
			return nil, fmt.Errorf("save history: %w", err)
		}
		if len(lines) >= HistoryMaxEntries || total+len(line)+1 > HistoryMaxBytes {
			break // the rest are older
		}
		if o.Cluster == h.cluster {
			mine++
		}
		lines = append(lines, line)
		total += len(line) + 1
	}
	var buf bytes.Buffer
	for i := len(lines) - 1; i >= 0; i-- {
		buf.Write(lines[i])
		buf.WriteByte('\n')
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return nil, fmt.Errorf("save history: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".history-*.jsonl") // 0600
	if err != nil {
		return nil, fmt.Errorf("save history: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		_ = tmp.Close()
		return nil, fmt.Errorf("save history: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("save history: %w", err)
	}
	if err := os.Rename(tmp.Name(), h.path); err != nil {
		return nil, fmt.Errorf("save history: %w", err)
	}
	return h.Load()
}

func sameSend(a, b HistoryEntry) bool {
	return a.Count == b.Count && a.Rate == b.Rate && reflect.DeepEqual(a.Spec, b.Spec)
}
