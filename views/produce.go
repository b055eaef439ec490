package views

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/template"
)

// Producer is what the produce form needs from a connection.
// *kafka.Client satisfies it; tests use a fake with fixed results.
type Producer interface {
	// Produce sends one record and waits for its acknowledgement.
	Produce(ctx context.Context, rec kafka.Record) (kafka.ProduceResult, error)
	// ProduceStream sends many records without waiting for each one.
	ProduceStream(ctx context.Context, opts kafka.StreamOptions, next func(i int) (kafka.Record, bool)) (kafka.StreamStats, error)
	// ListTopics lists the topics, for completion and partition counts.
	ListTopics(ctx context.Context) ([]kafka.TopicSummary, error)
}

var _ Producer = (*kafka.Client)(nil)

// ProduceOptions shape a produce form.
type ProduceOptions struct {
	// HistoryPath is the file of the last sends; "" is
	// template.DefaultHistoryPath, "-" keeps no history.
	HistoryPath string
	// Template, when set, fills the form from a built-in template.
	Template string
	// Rand draws placeholders; nil is random. Tests fix it.
	Rand *rand.Rand
}

// Produce is the produce form: a topic, a partition (or auto), a key, a
// value, headers, and a count and rate for repeat runs. A failed send
// keeps everything typed.
type Produce struct {
	c    *Common
	id   int
	gen  int
	p    Producer
	opts ProduceOptions
	keys ProduceKeys
	hist *template.History

	topic     textinput.Model
	partition textinput.Model
	key       textinput.Model
	value     textarea.Model
	headers   []textinput.Model
	count     textinput.Model
	rate      textinput.Model
	json      bool
	focused   int

	errs  map[int]string // by focus slot
	tried bool

	topics       []kafka.TopicSummary
	topicsLoaded bool
	topicsErr    error
	history      []template.HistoryEntry
	picker       *templatePicker

	// The value's and the key's encodings through the registry, by
	// encValue and encKey.
	spick     *schemaPicker
	encs      [2]encoding
	schemaGen int

	sending bool
	sent    []kafka.ProduceResult // newest first
	err     error                 // the last send's failure
	run     *produceRun
	last    *runSummary // the last finished run

	width, height int
}

// NewProduce makes the produce form for topic (may be empty). p nil takes
// the producer from c.Cluster.
func NewProduce(c *Common, p Producer, topic string, opts ProduceOptions) *Produce {
	if p == nil {
		p, _ = c.Cluster.(Producer)
	}
	v := &Produce{c: c, id: c.NewID(), p: p, opts: opts, keys: DefaultProduceKeys(), errs: map[int]string{}}
	if c.NoHistory {
		opts.HistoryPath = "-"
	}
	switch opts.HistoryPath {
	case "-":
	case "":
		if path, err := template.DefaultHistoryPath(); err == nil {
			v.hist = template.NewHistory(path)
		}
	default:
		v.hist = template.NewHistory(opts.HistoryPath)
	}
	if v.hist != nil {
		v.hist = v.hist.ForCluster(historyCluster(p))
	}
	v.topic = v.newInput("topic name")
	v.topic.ShowSuggestions = true
	v.topic.SetValue(topic)
	v.partition = v.newInput("auto")
	v.key = v.newInput("none (null key)")
	v.value = v.newValue()
	v.headers = []textinput.Model{v.newInput("key=value")}
	v.count = v.newInput("1")
	v.rate = v.newInput("0 = as fast as the broker takes")
	if opts.Template != "" {
		if t, err := template.Find(opts.Template); err == nil {
			v.apply(t.Spec, 0, 0, false)
		} else {
			v.err = err
		}
	}
	if topic == "" {
		v.focused = slotTopic
	} else {
		v.focused = slotKey
	}
	v.focus()
	return v
}

func (v *Produce) newInput(placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.SetStyles(v.c.Theme.Input())
	return in
}

func (v *Produce) newValue() textarea.Model {
	ta := textarea.New()
	ta.Prompt = ""
	ta.Placeholder = "the record's value"
	ta.ShowLineNumbers = true
	ta.CharLimit = 0
	ta.MaxHeight = 99 // the line numbers' width: fitGutter widens it with the value
	ta.MaxContentHeight = math.MaxInt32
	ta.SetStyles(textareaStyles(v.c.Theme))
	return ta
}

// ID is the view's id; results carrying another are not its.
func (v *Produce) ID() int { return v.id }

// Init loads the topics and the history.
func (v *Produce) Init() tea.Cmd {
	return tea.Batch(v.focus(), v.loadTopics(), v.loadHistory())
}

// Title names the view.
func (v *Produce) Title() string {
	if t := v.topic.Value(); t != "" {
		return "produce · " + t
	}
	return "produce"
}

// Capturing is always true: the form takes every key but ctrl+c.
func (v *Produce) Capturing() bool { return true }

// WantsEsc reports that esc belongs to the form (it cancels a run or
// closes the form).
func (v *Produce) WantsEsc() bool { return true }

// Busy reports whether a send or a run is in flight.
func (v *Produce) Busy() bool { return v.sending || v.run != nil }

// Close cancels a run in flight.
func (v *Produce) Close() {
	if v.run != nil {
		v.run.cancel()
	}
}

// SetSize sets the view's area.
func (v *Produce) SetSize(w, h int) {
	v.width, v.height = w, h
	iw := max(16, min(60, w-labelWidth-34))
	for _, in := range v.inputs() {
		in.SetWidth(iw)
	}
	v.value.SetWidth(v.editorWidth())
}

// inputs are the single-line inputs, for sizing.
func (v *Produce) inputs() []*textinput.Model {
	out := []*textinput.Model{&v.topic, &v.partition, &v.key, &v.count, &v.rate}
	for i := range v.headers {
		out = append(out, &v.headers[i])
	}
	return out
}

// Value returns what is typed in the value editor, for tests.
func (v *Produce) Value() string { return v.value.Value() }

// Err returns the last send's failure, for tests.
func (v *Produce) Err() error { return v.err }

// FieldError returns the error shown under the field named by label
// ("topic", "partition", "key", "value", "header 1", "count", "rate").
func (v *Produce) FieldError(label string) string {
	for slot, e := range v.errs {
		if v.slotName(slot) == label {
			return e
		}
	}
	return ""
}

// HistoryPathIn is the history file in kflow's config directory; "" for
// an empty directory, which makes NewProduce use the default.
func HistoryPathIn(configDir string) string {
	if configDir == "" {
		return ""
	}
	return filepath.Join(configDir, "history.jsonl")
}

// historyCluster names the cluster a producer writes to, for the history:
// its bootstrap addresses, so sends to one cluster are not offered for
// another.
func historyCluster(p Producer) string {
	b, ok := p.(interface{ Brokers() []string })
	if !ok {
		return ""
	}
	bs := slices.Clone(b.Brokers())
	slices.Sort(bs)
	return strings.Join(bs, ",")
}

// historyNote is the form's line saying where sends are kept.
func (v *Produce) historyNote() string {
	if v.hist == nil {
		return "sends are not kept (--no-history or history: false)"
	}
	path := v.hist.Path()
	if home, err := os.UserHomeDir(); err == nil && home != "" && strings.HasPrefix(path, home+string(filepath.Separator)) {
		path = "~" + path[len(home):]
	}
	return "sends kept in " + path + ", per cluster · --no-history: none"
}
