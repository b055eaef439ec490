package views

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/text"
)

// SchemaSubject is one subject: its versions, and the selected version's
// schema pretty-printed with its id and type. It opens on the latest.
type SchemaSubject struct {
	c       *Common
	id      int
	gen     int // of the subject's loads
	vgen    int // of the selected version's load
	keys    SchemaKeys
	sub     schema.Subject
	parents []int // views to tell when a version is deleted

	versions []int
	level    string
	latest   int          // the version the registry serves as latest
	deleted  map[int]bool // versions this view deleted (Apicurio still lists them)
	sel      int          // index into versions
	cache    map[int]schema.Version

	loading    bool
	loaded     bool
	loadingVer bool
	busyOps    int
	err        error // of the last subject load
	verErr     error // of the selected version's load
	updated    time.Time

	lines  []string // the selected version's body, rendered for width
	linesW int
	linesV int // the version lines was built for
	offset int

	confirm *schemaConfirm

	width, height int
}

// schemaHeadLines is how many lines the subject view draws above the
// schema: summary, versions, the version's id and type, a rule.
const schemaHeadLines = 4

// NewSchemaSubject makes the view of subject sub (as the list read it).
// parents are the views (the list) told when a version is deleted.
func NewSchemaSubject(c *Common, sub schema.Subject, parents []int) *SchemaSubject {
	return &SchemaSubject{c: c, id: c.NewID(), keys: DefaultSchemaKeys(), sub: sub, parents: parents,
		level: sub.Compatibility, latest: sub.Latest, cache: map[int]schema.Version{}, deleted: map[int]bool{}}
}

// ID is the view's id; results carrying another are not its.
func (v *SchemaSubject) ID() int { return v.id }

// Init loads the subject's versions.
func (v *SchemaSubject) Init() tea.Cmd { return v.load() }

// Title names the view.
func (v *SchemaSubject) Title() string { return "schema · " + text.SanitizeString(v.sub.Name) }

// Capturing reports whether the delete confirmation takes keys.
func (v *SchemaSubject) Capturing() bool { return v.confirm != nil }

// WantsEsc reports whether esc closes the confirmation.
func (v *SchemaSubject) WantsEsc() bool { return v.confirm != nil }

// Busy reports whether a call is in flight.
func (v *SchemaSubject) Busy() bool { return v.loading || v.loadingVer || v.busyOps > 0 }

// Close does nothing: nothing runs between refreshes.
func (v *SchemaSubject) Close() {}

// SetSize sets the view's area.
func (v *SchemaSubject) SetSize(w, h int) {
	v.width, v.height = w, h
	if v.confirm != nil {
		v.confirm.setWidth(w)
	}
	v.scroll(0)
}

// Selected is the version shown (0 before the versions are known).
func (v *SchemaSubject) Selected() int {
	if v.sel < 0 || v.sel >= len(v.versions) {
		return 0
	}
	return v.versions[v.sel]
}

func (v *SchemaSubject) load() tea.Cmd {
	v.gen++
	v.loading = true
	return loadSubject(v.c, v.id, v.gen, v.sub.Name)
}

// fetch loads the selected version unless it is cached.
func (v *SchemaSubject) fetch() tea.Cmd {
	n := v.Selected()
	v.verErr = nil
	if _, ok := v.cache[n]; ok || n == 0 {
		v.loadingVer = false
		return nil
	}
	v.vgen++
	v.loadingVer = true
	return loadVersion(v.c, v.id, v.vgen, v.sub.Name, n)
}

// Update handles results and keys.
func (v *SchemaSubject) Update(msg tea.Msg) (View, tea.Cmd) {
	switch msg := msg.(type) {
	case subjectLoaded:
		if msg.ID != v.id || msg.Gen != v.gen {
			return v, nil
		}
		v.loading = false
		next := schemaTick(v.c, v.id)
		if msg.Err != nil {
			v.err = msg.Err
			return v, tea.Batch(next, Failure(msg.Err))
		}
		v.setVersions(msg.Value)
		v.err, v.updated = nil, msg.At
		return v, tea.Batch(next, v.fetch())
	case TickMsg:
		if msg.ID != v.id || v.loading {
			return v, nil
		}
		return v, v.load()
	case versionLoaded:
		if msg.ID != v.id {
			return v, nil
		}
		if msg.Gen == v.vgen {
			v.loadingVer = false
		}
		if msg.Err != nil {
			if msg.Gen == v.vgen {
				v.verErr = msg.Err
				return v, Failure(msg.Err)
			}
			return v, nil
		}
		v.cache[msg.Value.Version] = msg.Value
		v.scroll(0)
		return v, nil
	case schemaDeleted:
		if msg.ID != v.id {
			return v, nil
		}
		if cmd := answered(v.confirm, &v.busyOps, msg.Err); cmd != nil {
			return v, cmd
		}
		v.confirm = nil
		for _, n := range msg.Value.Versions {
			delete(v.cache, n)
			v.deleted[n] = true
		}
		return v, tea.Batch(Notice(deletedText(msg.Value)), v.load(), schemaChanged(v.parents))
	case SchemaChangedMsg: // the check told the list too
		if msg.ID != v.id || v.loading {
			return v, nil
		}
		return v, v.load()
	case tea.KeyPressMsg:
		return v.key(msg)
	}
	if v.confirm != nil {
		return v, v.confirm.update(msg)
	}
	return v, nil
}

// setVersions takes a load: the selection stays on its version, else goes
// to the latest.
func (v *SchemaSubject) setVersions(info subjectInfo) {
	was := v.Selected()
	v.versions, v.level, v.latest = info.Versions, info.Level, info.Latest
	v.loaded = true
	v.sel = len(v.versions) - 1
	if i := slices.Index(v.versions, v.latest); i >= 0 {
		v.sel = i
	}
	if i := slices.Index(v.versions, was); i >= 0 && !v.deleted[was] {
		v.sel = i
	}
	if len(v.versions) > 0 {
		v.sub.Versions = len(v.versions)
	}
}

func (v *SchemaSubject) key(msg tea.KeyPressMsg) (View, tea.Cmd) {
	if v.confirm != nil {
		return v, v.confirmKey(msg)
	}
	k := v.keys
	page := max(1, v.bodyHeight()-1)
	switch {
	case key.Matches(msg, k.Refresh):
		if v.loading {
			return v, nil
		}
		return v, v.load()
	case key.Matches(msg, k.Prev):
		return v, v.selectAt(v.sel - 1)
	case key.Matches(msg, k.Next):
		return v, v.selectAt(v.sel + 1)
	case key.Matches(msg, k.Up):
		v.scroll(-1)
	case key.Matches(msg, k.Down):
		v.scroll(1)
	case key.Matches(msg, k.PageUp):
		v.scroll(-page)
	case key.Matches(msg, k.PageDown):
		v.scroll(page)
	case key.Matches(msg, k.Top):
		v.offset = 0
	case key.Matches(msg, k.Bottom):
		v.scroll(len(v.lines))
	case key.Matches(msg, k.Diff):
		if len(v.versions) < 2 {
			return v, Failure(fmt.Errorf("subject %s has %s: nothing to diff", v.sub.Name, text.CountOf(len(v.versions), "version", "versions")))
		}
		to := max(1, v.sel)
		return v, Push(NewSchemaDiff(v.c, v.sub.Name, v.versions, to-1, to))
	case key.Matches(msg, k.Check):
		typ, start := v.sub.Type, ""
		if sv, ok := v.cache[v.Selected()]; ok {
			typ, start = sv.Type, prettySchemaText(sv)
		}
		return v, Push(NewSchemaCheck(v.c, v.sub.Name, typ, start, append(slices.Clone(v.parents), v.id)))
	case key.Matches(msg, k.Delete):
		n := v.Selected()
		if v.c.ReadOnly {
			return v, Failure(fmt.Errorf("delete version %d of subject %s: %w", n, v.sub.Name, kafka.ErrReadOnly))
		}
		if n == 0 {
			return v, nil
		}
		if v.deleted[n] {
			return v, Failure(fmt.Errorf("version %d of subject %s is deleted already", n, v.sub.Name))
		}
		what := fmt.Sprintf("This soft-deletes version %d of subject %s.", n, v.sub.Name)
		if sv, ok := v.cache[n]; ok {
			what = fmt.Sprintf("This soft-deletes version %d (schema id %d) of subject %s; records written with id %d still decode while the registry keeps the schema.", n, sv.ID, v.sub.Name, sv.ID)
		}
		v.confirm = newSchemaConfirm(v.c, v.sub.Name, n, fmt.Sprintf("Delete version %d of subject %s", n, v.sub.Name), what, "deleting…", "deletes")
		v.confirm.setWidth(v.width)
		return v, v.confirm.focus()
	}
	return v, nil
}

func (v *SchemaSubject) selectAt(i int) tea.Cmd {
	if i < 0 || i >= len(v.versions) || i == v.sel {
		return nil
	}
	v.sel, v.offset = i, 0
	return v.fetch()
}

func (v *SchemaSubject) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	d := v.confirm
	cmd, cancelled := d.key(msg, &v.busyOps, func() tea.Cmd { return deleteSchema(v.c, v.id, d.subject, d.version) })
	if cancelled {
		v.confirm = nil
	}
	return cmd
}

func (v *SchemaSubject) bodyHeight() int { return max(0, v.height-schemaHeadLines) }

// scroll moves the schema by d lines, within its length.
func (v *SchemaSubject) scroll(d int) {
	v.build()
	v.offset = max(0, min(v.offset+d, len(v.lines)-v.bodyHeight()))
}

// build renders the selected version's schema for the width, once per
// version and width.
func (v *SchemaSubject) build() {
	sv, ok := v.cache[v.Selected()]
	if !ok {
		v.lines, v.linesV = nil, 0
		return
	}
	if v.linesV == sv.Version && v.linesW == v.width && v.lines != nil {
		return
	}
	v.lines = schemaBody(v.c, sv, max(1, v.width))
	v.linesV, v.linesW = sv.Version, v.width
}

// schemaBody is a schema's text for the screen: its references, then
// Avro and JSON Schema as indented, highlighted JSON, Protobuf as its
// text; every line made inert and wrapped to w.
func schemaBody(c *Common, sv schema.Version, w int) []string {
	th := c.Theme
	var out []string
	for _, r := range sv.References {
		out = append(out, wrapLines(th.Muted.Render(fmt.Sprintf("reference %s → subject %s version %d",
			text.SanitizeString(r.Name), text.SanitizeString(r.Subject), r.Version)), w)...)
	}
	if len(sv.References) > 0 {
		out = append(out, "")
	}
	if sv.Type != schema.Protobuf {
		var b bytes.Buffer
		if json.Indent(&b, []byte(sv.Schema), "", "  ") == nil {
			return append(out, highlightJSON(c, b.Bytes(), w, nil, false)...)
		}
	}
	for _, l := range text.SanitizeLines([]byte(strings.TrimRight(sv.Schema, "\n"))) {
		out = append(out, wrapLines(th.Text.Render(l), w)...)
	}
	return out
}

// prettySchemaText is a schema's text as the check editor starts with it:
// JSON indented, Protobuf as it is.
func prettySchemaText(sv schema.Version) string {
	if sv.Type != schema.Protobuf {
		var b bytes.Buffer
		if json.Indent(&b, []byte(sv.Schema), "", "  ") == nil {
			return b.String()
		}
	}
	return strings.TrimRight(sv.Schema, "\n")
}

// ensure the view satisfies the shell's interface.
var _ View = (*SchemaSubject)(nil)
