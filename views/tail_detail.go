package views

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/kafka/schema"
	"kflow/text"
)

// tailDetail is the detail pane of one record: metadata, the whole key,
// every header, and the value pretty-printed when it is JSON, as text when
// it is text, as a hex dump when it is binary. Everything in it went
// through the sanitizer. Hex dumps are drawn a screen at a time, so a
// 1 MiB binary value costs what is on screen.
type tailDetail struct {
	c      *Common
	rec    kafka.Record
	seq    uint64 // the record's place in the view's store, for n and N
	filter *TailFilter
	segs   []detailSeg
	total  int // lines
	top    int
	width  int
	height int
	// key and val are the key and value decoded through the schema
	// registry, when they are in its wire format; raw shows their bytes.
	key, val typedPart
	raw      bool
	// keyFmt and valFmt are the formats the connection names for the
	// topic's keys and values.
	keyFmt, valFmt schema.Format
}

// detailSeg is a run of lines: ready text, or a hex dump of bytes.
type detailSeg struct {
	lines []string
	hex   []byte
}

func (s detailSeg) len() int {
	if s.hex != nil {
		return (len(s.hex) + 15) / 16
	}
	return len(s.lines)
}

// newTailDetail opens the pane on rec for the view viewID: read in the
// formats the connection names for its topic, its wire-format key and value
// looked up in the decoder's cache first, then laid out once. The command
// decodes what the cache did not have (nil when nothing is missing).
func newTailDetail(c *Common, rec kafka.Record, seq uint64, f *TailFilter, w, h, viewID int) (*tailDetail, tea.Cmd) {
	d := &tailDetail{c: c, rec: rec, seq: seq, filter: f}
	if c.Formats != nil {
		d.keyFmt, d.valFmt = c.Formats(rec.Topic)
	}
	cmd := d.decodeAll(viewID)
	d.setSize(w, h)
	return d, cmd
}

// scrollKey scrolls the pane if msg is one of its scrolling keys (a line,
// a page, the first or last line; an unset binding matches nothing) and
// reports whether it was.
func (d *tailDetail) scrollKey(msg tea.KeyPressMsg, up, down, pgUp, pgDown, top, bottom key.Binding) bool {
	switch {
	case key.Matches(msg, up):
		d.scroll(-1)
	case key.Matches(msg, down):
		d.scroll(1)
	case key.Matches(msg, pgUp):
		d.scroll(-max(1, d.height-1))
	case key.Matches(msg, pgDown):
		d.scroll(max(1, d.height-1))
	case key.Matches(msg, top):
		d.scroll(-d.total)
	case key.Matches(msg, bottom):
		d.scroll(d.total)
	default:
		return false
	}
	return true
}

// setSize sets the pane's area; its last line is the status line, the
// rest the record's lines.
func (d *tailDetail) setSize(w, h int) {
	if w != d.width {
		d.width, d.height = w, max(1, h-1)
		d.build()
	}
	d.width, d.height = w, max(1, h-1)
	d.scroll(0)
}

// build lays the record out for the current width.
func (d *tailDetail) build() {
	th := d.c.Theme
	r := &d.rec
	w := max(20, d.width)
	d.segs = d.segs[:0]
	add := func(lines ...string) { d.segs = append(d.segs, detailSeg{lines: lines}) }
	section := func(title string) { add("", th.Header.Render(title)) }

	add(th.Title.Render(fmt.Sprintf("%s · partition %d · offset %s", text.SanitizeString(r.Topic), r.Partition, text.Count(r.Offset))) +
		th.Muted.Render("  "+r.Timestamp.UTC().Format("2006-01-02 15:04:05.000 MST")))
	meta := fmt.Sprintf("key %s · value %s · %s · %s in all", tailSize(r.KeySize), tailSize(r.ValueSize), text.CountOf(len(r.Headers), "header", "headers"), tailSize(r.Size()))
	add(th.Muted.Render(meta))
	if len(r.Key) < r.KeySize {
		add(wrapLines(th.Warn.Render(fmt.Sprintf("key cut to its first %s of %s (kflow keeps at most its size cap)", tailSize(len(r.Key)), tailSize(r.KeySize))), w)...)
	}
	if len(r.Value) < r.ValueSize {
		add(wrapLines(th.Warn.Render(fmt.Sprintf("value cut to its first %s of %s (kflow keeps at most its size cap)", tailSize(len(r.Value)), tailSize(r.ValueSize))), w)...)
	}

	section("KEY")
	if !d.formatBody(r.Key, d.keyFmt, w, d.filter.MarksKey()) && !d.typedBody(&d.key, w, d.filter.MarksKey()) {
		d.body(r.Key, w, false, d.filter.MarksKey())
	}

	section(fmt.Sprintf("HEADERS (%d)", len(r.Headers)))
	if len(r.Headers) == 0 {
		add(th.Muted.Render("none"))
	}
	for _, h := range r.Headers {
		name := th.Key.Render(text.SanitizeString(h.Key)) + th.Muted.Render(": ")
		val := th.Muted.Render("∅ null")
		if h.Value != nil {
			val = markMatches(d.filter, d.filter.MarksHeader(h.Key), text.Sanitize(h.Value), th.Text, th.Match)
		}
		add(wrapLines(name+val, w)...)
	}

	kind := tailKind(r.Value)
	switch {
	case d.raw:
	case d.valFmt.Named() && r.Value != nil:
		kind = d.valFmt.String()
	case d.val.dec != nil:
		kind = strings.ToLower(string(d.val.dec.Schema.Type))
	}
	section("VALUE (" + kind + ")")
	if !d.formatBody(r.Value, d.valFmt, w, d.filter.MarksValue()) && !d.typedBody(&d.val, w, d.filter.MarksValue()) {
		d.body(r.Value, w, true, d.filter.MarksValue())
	}

	d.total = 0
	for _, s := range d.segs {
		d.total += s.len()
	}
}

// body adds a key or value: null, empty, JSON, text or a hex dump; mark
// highlights the filter's matches in it.
func (d *tailDetail) body(b []byte, w int, pretty, mark bool) {
	th := d.c.Theme
	switch {
	case b == nil:
		d.segs = append(d.segs, detailSeg{lines: []string{th.Muted.Render("∅ null")}})
	case len(b) == 0:
		d.segs = append(d.segs, detailSeg{lines: []string{th.Muted.Render("empty")}})
	case isBinary(b):
		d.segs = append(d.segs, detailSeg{hex: b})
	case pretty && isJSONDoc(b):
		var buf bytes.Buffer
		if json.Indent(&buf, b, "", "  ") == nil {
			d.segs = append(d.segs, detailSeg{lines: highlightJSON(d.c, buf.Bytes(), w, d.filter, mark)})
			return
		}
		fallthrough
	default:
		var out []string
		for _, l := range text.SanitizeLines(b) {
			out = append(out, wrapLines(markMatches(d.filter, mark, l, th.Text, th.Match), w)...)
		}
		d.segs = append(d.segs, detailSeg{lines: out})
	}
}

// isBinary reports whether b is better read as a hex dump: not UTF-8, or
// more than 30% control characters (newlines, tabs and ESC of coloured
// text aside) in its
// first KiB.
func isBinary(b []byte) bool {
	if !utf8.Valid(b) {
		return true
	}
	head := b[:min(len(b), 1024)]
	ctl := 0
	for _, c := range head {
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b) || c == 0x7f {
			ctl++
		}
	}
	return ctl*10 > 3*len(head)
}

// isJSONDoc reports whether b is a JSON object or array.
func isJSONDoc(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 1 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

// tailKind names what a value is, as the detail pane shows it.
func tailKind(b []byte) string {
	switch {
	case b == nil:
		return "null"
	case isBinary(b):
		return "binary"
	case isJSONDoc(b):
		return "json"
	}
	return "text"
}

func wrapLines(s string, w int) []string {
	if ansi.StringWidth(s) <= w {
		return []string{s}
	}
	return strings.Split(ansi.Hardwrap(s, w, true), "\n")
}

// line returns line i of the pane.
func (d *tailDetail) line(i int) string {
	for _, s := range d.segs {
		n := s.len()
		if i < n {
			if s.hex != nil {
				return hexLine(d.c, s.hex, i*16)
			}
			return s.lines[i]
		}
		i -= n
	}
	return ""
}

func (d *tailDetail) scroll(by int) {
	d.top = max(0, min(d.top+by, d.total-d.height))
}

// view draws the record's lines and, on the pane's last line, apart
// from them, the status line: which record of those shown (pos, 0-based,
// -1 when it left the buffer, of n) and which lines are on screen.
func (d *tailDetail) view(pos, n int) string {
	th := d.c.Theme
	lines := make([]string, 0, d.height+1)
	for i := d.top; i < d.total && len(lines) < d.height; i++ {
		lines = append(lines, d.line(i))
	}
	for len(lines) < d.height {
		lines = append(lines, "")
	}
	rec := "record " + text.Count(int64(pos+1)) + " of " + text.Count(int64(n))
	if pos < 0 {
		rec = "record no longer buffered"
	}
	shown := "all " + text.CountOf(d.total, "line", "lines")
	if d.total > d.height {
		shown = fmt.Sprintf("lines %d–%d of %d", d.top+1, min(d.top+d.height, d.total), d.total)
	}
	status := th.Accent.Render(rec) + th.Muted.Render(" · "+shown+" · n/N next/previous record · esc back")
	lines = append(lines, clipWithEllipsis(status, d.width))
	return Frame(strings.Join(lines, "\n"), d.width, d.height+1)
}

// hexLine is one line of a hex dump: offset, 16 bytes in hex, and the
// printable ASCII of them ('.' for the rest).
func hexLine(c *Common, b []byte, off int) string {
	th := c.Theme
	end := min(off+16, len(b))
	var hx, asc strings.Builder
	for i := off; i < off+16; i++ {
		if i == off+8 {
			hx.WriteByte(' ')
		}
		if i < end {
			hx.WriteString(hex2(b[i]) + " ")
			if b[i] >= 0x20 && b[i] < 0x7f {
				asc.WriteByte(b[i])
			} else {
				asc.WriteByte('.')
			}
		} else {
			hx.WriteString("   ")
		}
	}
	return th.Muted.Render(fmt.Sprintf("%08x  ", off)) + th.Text.Render(hx.String()) + th.Muted.Render(" |"+asc.String()+"|")
}

// highlightJSON styles indented JSON by token and wraps it to w: keys,
// strings, literals and punctuation each in their theme style, and, when
// mark, the filter f's matches inside a token in the Match style. Strings
// are sanitized: valid JSON may still hold bidi controls or zero-width
// characters.
func highlightJSON(c *Common, b []byte, w int, f *TailFilter, mark bool) []string {
	th := c.Theme
	var out []string
	for raw := range bytes.SplitSeq(b, []byte("\n")) {
		var sb strings.Builder
		i := 0
		for i < len(raw) {
			ch := raw[i]
			switch {
			case ch == '"':
				j := i + 1
				for j < len(raw) && raw[j] != '"' {
					if raw[j] == '\\' {
						j++
					}
					j++
				}
				j = min(j+1, len(raw))
				tok := text.Sanitize(raw[i:j])
				k := j
				for k < len(raw) && raw[k] == ' ' {
					k++
				}
				if k < len(raw) && raw[k] == ':' {
					sb.WriteString(markMatches(f, mark, tok, th.Key, th.Match))
				} else {
					sb.WriteString(markMatches(f, mark, tok, th.Text, th.Match))
				}
				i = j
			case ch == ' ':
				j := i
				for j < len(raw) && raw[j] == ' ' {
					j++
				}
				sb.Write(raw[i:j])
				i = j
			case strings.IndexByte("{}[],:", ch) >= 0:
				sb.WriteString(th.Muted.Render(string(ch)))
				i++
			default: // number, true, false, null
				j := i
				for j < len(raw) && strings.IndexByte("{}[],: \"", raw[j]) < 0 {
					j++
				}
				sb.WriteString(markMatches(f, mark, text.Sanitize(raw[i:j]), th.Accent, th.Match))
				i = j
			}
		}
		out = append(out, wrapLines(sb.String(), w)...)
	}
	return out
}

// tailSize formats a byte count: 512 B, 1.5 KiB, 5.0 MiB.
func tailSize(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}

// hex2 is c as two lower-case hex digits.
func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}
