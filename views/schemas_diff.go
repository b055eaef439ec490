package views

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka/schema"
	"kflow/text"
)

// SchemaDiff is what changed between two versions of a subject, field by
// field with paths, and the compatibility verdict: kflow's own (Avro's
// resolution rules) beside the level the registry checks the subject at.
type SchemaDiff struct {
	c        *Common
	id, gen  int
	keys     SchemaDiffKeys
	subject  string
	versions []int
	from, to int // indexes into versions, from < to
	table    *Table

	loading bool
	res     *schemaDiffResult
	err     error

	width, height int
}

// NewSchemaDiff makes the diff of subject's versions[from] → versions[to].
func NewSchemaDiff(c *Common, subject string, versions []int, from, to int) *SchemaDiff {
	v := &SchemaDiff{c: c, id: c.NewID(), keys: DefaultSchemaDiffKeys(), subject: subject, versions: versions, from: from, to: to}
	v.table = NewTable(c, []Column{
		{Title: "CHANGE", Width: 16}, // "required changed"
		{Title: "PATH", Width: 12, Flex: true},
		{Title: "OLD", Width: 10, Flex: true, Drop: 1, Min: 6},
		{Title: "NEW", Width: 10, Flex: true, Min: 6},
	})
	v.table.SortBy(-1, false) // in the order the diff found them
	return v
}

// ID is the view's id; results carrying another are not its.
func (v *SchemaDiff) ID() int { return v.id }

// Init compares the two versions.
func (v *SchemaDiff) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *SchemaDiff) Title() string {
	return fmt.Sprintf("diff · %s v%d → v%d", text.SanitizeString(v.subject), v.versions[v.from], v.versions[v.to])
}

// Capturing reports whether the filter takes keys.
func (v *SchemaDiff) Capturing() bool { return v.table.Typing() }

// WantsEsc reports whether esc clears the filter.
func (v *SchemaDiff) WantsEsc() bool { return v.table.WantsEsc() }

// Busy reports whether the comparison is in flight.
func (v *SchemaDiff) Busy() bool { return v.loading }

// Close does nothing: nothing runs in the background.
func (v *SchemaDiff) Close() {}

// Table exposes the changes, for tests.
func (v *SchemaDiff) Table() *Table { return v.table }

// Versions are the two versions compared, older first.
func (v *SchemaDiff) Versions() (from, to int) { return v.versions[v.from], v.versions[v.to] }

// SetSize sets the view's area.
func (v *SchemaDiff) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(0, h-1-len(v.verdictLines())))
}

func (v *SchemaDiff) load() tea.Cmd {
	v.gen++
	v.loading = true
	return loadDiff(v.c, v.id, v.gen, v.subject, v.versions[v.from], v.versions[v.to])
}

// Update handles the comparison and keys.
func (v *SchemaDiff) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case diffLoaded:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.loading = false
		if msg.Err != nil {
			v.err, v.res = msg.Err, nil
			v.table.SetRows(nil)
			v.SetSize(v.width, v.height)
			return v, Failure(msg.Err)
		}
		res := msg.Value
		v.err, v.res = nil, &res
		v.setRows()
		v.SetSize(v.width, v.height)
		return v, nil
	case tea.KeyPressMsg:
		if used, cmd := v.table.Update(msg); used {
			return v, cmd
		}
		k := v.keys
		from, to := v.from, v.to
		switch {
		case key.Matches(msg, k.FromPrev) && from > 0:
			from--
		case key.Matches(msg, k.FromNext) && from+1 < to:
			from++
		case key.Matches(msg, k.ToPrev) && to-1 > from:
			to--
		case key.Matches(msg, k.ToNext) && to+1 < len(v.versions):
			to++
		default:
			return v, nil
		}
		v.from, v.to = from, to
		return v, v.load()
	}
	_, cmd := v.table.Update(msg)
	return v, cmd
}

func (v *SchemaDiff) setRows() {
	a, b := v.Versions()
	v.table.Empty = fmt.Sprintf("no changes between version %d and version %d", a, b)
	rows := make([]Row, 0, len(v.res.Changes))
	for i, ch := range v.res.Changes {
		kind := Text(ch.Kind)
		switch ch.Kind {
		case schema.Added, schema.LineAdded:
			kind.Tone = Good
		case schema.Removed, schema.LineRemoved:
			kind.Tone = Bad
		case schema.Note:
			kind.Tone = Muted
		default:
			kind.Tone = Warning
		}
		path := ch.Path
		if ch.Number != 0 {
			path += fmt.Sprintf(" (%d)", ch.Number)
		}
		rows = append(rows, Row{Key: fmt.Sprint(i), Cells: []Cell{
			kind,
			Text(text.SanitizeString(path)),
			{Text: text.SanitizeString(ch.Old), Tone: Muted},
			Text(text.SanitizeString(ch.New)),
		}})
	}
	v.table.SetRows(rows)
}

// maxBreaks is how many of the verdict's breaks the view lists.
const maxBreaks = 4

// verdictLines are the lines under the changes: the verdict, what breaks
// it, and what the directions mean.
func (v *SchemaDiff) verdictLines() []string {
	th := v.c.Theme
	w := max(1, v.width)
	switch {
	case v.err != nil:
		return wrapLines(th.Error.Render(v.err.Error()), w)
	case v.res == nil:
		return nil
	}
	r := v.res
	a, b := v.Versions()
	if !r.Local.Checked {
		return wordWrap(th.Text.Render("compatibility: the registry checks ")+th.Accent.Render(r.Level)+
			th.Muted.Render(fmt.Sprintf("; kflow computes no local verdict for %s", r.From.Type)), w)
	}
	level := r.Local.Level()
	tone := th.OK
	keeps := "keeps"
	if !r.Local.Allows(r.Level) {
		tone, keeps = th.Error, "breaks"
	}
	out := wordWrap(th.Text.Render(fmt.Sprintf("compatibility: version %d is ", b))+tone.Render(level)+
		th.Text.Render(fmt.Sprintf(" compatible with version %d", a))+th.Muted.Render(" (kflow's Avro rules)")+
		th.Text.Render("; that ")+tone.Render(keeps)+th.Text.Render(" the subject's ")+th.Accent.Render(r.Level), w)
	for i, br := range r.Local.Breaks {
		if i == maxBreaks {
			out = append(out, th.Muted.Render(clipWithEllipsis(fmt.Sprintf("  … and %d more", len(r.Local.Breaks)-maxBreaks), w)))
			break
		}
		out = append(out, clipWithEllipsis(th.Warn.Render("  "+text.SanitizeString(br)), w))
	}
	if len(r.Local.Breaks) > 0 {
		out = append(out, th.Muted.Render(clipWithEllipsis("  (BACKWARD: the new schema reads old data; FORWARD: the old schema reads new data)", w)))
	}
	return out
}

// wordWrap breaks a styled line at spaces to fit w cells (a word wider
// than w is broken), for verdicts that must be read whole.
func wordWrap(s string, w int) []string {
	if ansi.StringWidth(s) <= w {
		return []string{s}
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

// View renders the versions compared, the changes and the verdict.
func (v *SchemaDiff) View() string {
	th := v.c.Theme
	a, b := v.Versions()
	parts := []headPart{{th.Title.Render("diff " + text.SanitizeString(v.subject)), 0}}
	if v.res != nil {
		r := v.res
		parts = append(parts,
			headPart{th.Accent.Render(fmt.Sprintf("v%d", a)) + th.Muted.Render(fmt.Sprintf(" (id %d)", r.From.ID)) + th.Text.Render(" → ") +
				th.Accent.Render(fmt.Sprintf("v%d", b)) + th.Muted.Render(fmt.Sprintf(" (id %d)", r.To.ID)), 0},
			headPart{th.Text.Render(string(r.From.Type)), 1},
			headPart{th.Muted.Render(text.CountOf(len(r.Changes), "change", "changes")), 2})
	} else {
		parts = append(parts, headPart{th.Accent.Render(fmt.Sprintf("v%d", a)) + th.Text.Render(" → ") + th.Accent.Render(fmt.Sprintf("v%d", b)), 0})
		if v.loading {
			parts = append(parts, headPart{th.Muted.Render("comparing…"), 0})
		}
	}
	head := headLine(th.Muted.Render(" · "), v.width, parts...)
	body := head + "\n" + v.table.View()
	if vl := v.verdictLines(); len(vl) > 0 {
		body += "\n" + strings.Join(vl, "\n")
	}
	return Frame(body, v.width, v.height)
}

// ensure the view satisfies the shell's interface.
var _ View = (*SchemaDiff)(nil)
