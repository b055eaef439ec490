package template

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Text is a piece of record text (a key, a value, a header value) with
// placeholders, parsed once and expanded per record:
//
//	{{uuid}}          a random UUID (version 4)
//	{{uuid NAME}}     a UUID shared by every {{uuid NAME}} of one record,
//	                  so a value and a header can carry the same id
//	{{seq}}           the record's number in the run, from 1
//	{{seq WIDTH}}     the same, zero-padded to WIDTH digits ({{seq 6}}: 000001)
//	{{now}}           the time of sending, RFC 3339 with milliseconds, UTC
//	{{rand MIN MAX}}  a whole number from MIN to MAX, both included
//	{{rand MIN MAX NAME}} the same, shared by every {{rand ... NAME}} of
//	                  one record, so a total can repeat a price
//	{{pick "A" "B"}}  one of the quoted words, at random
//
// Text without "{{" is sent as typed.
type Text struct {
	src   string
	parts []part
}

// part is a literal run of text or one placeholder.
type part struct {
	lit   string
	kind  placeholderKind
	name  string   // uuid NAME, rand NAME
	width int      // seq WIDTH
	lo    int64    // rand
	hi    int64    // rand
	words []string // pick
	start int      // byte offsets of the part in the source
	end   int
}

type placeholderKind int

const (
	literal placeholderKind = iota
	phUUID
	phSeq
	phNow
	phRand
	phPick
)

// PlaceholderError says which placeholder of a text is wrong and why.
type PlaceholderError struct {
	Placeholder string // as typed, with its braces
	Offset      int    // byte offset of the placeholder in the text
	Msg         string
}

func (e *PlaceholderError) Error() string {
	return fmt.Sprintf("%s: %s", e.Placeholder, e.Msg)
}

// Placeholders is the one-line reminder of what may be written.
const Placeholders = `{{uuid}} {{uuid NAME}} {{seq}} {{now}} {{rand MIN MAX}} {{pick "A" "B"}}`

// ParseText parses s's placeholders. An error names the placeholder.
func ParseText(s string) (Text, error) {
	t := Text{src: s}
	i := 0
	for i < len(s) {
		open := strings.Index(s[i:], "{{")
		if open < 0 {
			t.parts = append(t.parts, part{lit: s[i:], start: i, end: len(s)})
			break
		}
		open += i
		if open > i {
			t.parts = append(t.parts, part{lit: s[i:open], start: i, end: open})
		}
		closeAt := strings.Index(s[open+2:], "}}")
		if closeAt < 0 {
			shown := s[open:]
			if len(shown) > 20 {
				shown = shown[:20] + "…"
			}
			return Text{}, &PlaceholderError{Placeholder: shown, Offset: open, Msg: `not closed: "}}" is missing`}
		}
		end := open + 2 + closeAt + 2
		p, err := parsePlaceholder(s[open:end])
		if err != nil {
			err.Offset = open
			return Text{}, err
		}
		p.start, p.end = open, end
		t.parts = append(t.parts, p)
		i = end
	}
	return t, nil
}

// MustParseText is ParseText for texts known to be right (the built-in
// templates); it panics on an error.
func MustParseText(s string) Text {
	t, err := ParseText(s)
	if err != nil {
		panic(err)
	}
	return t
}

func parsePlaceholder(ph string) (part, *PlaceholderError) {
	bad := func(format string, a ...any) (part, *PlaceholderError) {
		return part{}, &PlaceholderError{Placeholder: ph, Msg: fmt.Sprintf(format, a...)}
	}
	words, err := splitWords(ph[2 : len(ph)-2])
	if err != nil {
		return bad("%v", err)
	}
	if len(words) == 0 {
		return bad("empty placeholder (known: %s)", Placeholders)
	}
	args := words[1:]
	switch words[0] {
	case "uuid":
		if len(args) > 1 {
			return bad("takes at most one NAME, got %d words", len(args))
		}
		p := part{kind: phUUID}
		if len(args) == 1 {
			p.name = args[0]
		}
		return p, nil
	case "seq":
		if len(args) == 0 {
			return part{kind: phSeq}, nil
		}
		w, err := strconv.Atoi(args[0])
		if len(args) > 1 || err != nil || w < 1 || w > 20 {
			return bad("takes nothing or a WIDTH from 1 to 20, like {{seq 6}}, got %q", strings.Join(args, " "))
		}
		return part{kind: phSeq, width: w}, nil
	case "now":
		if len(args) > 0 {
			return bad("takes nothing, got %q", strings.Join(args, " "))
		}
		return part{kind: phNow}, nil
	case "rand":
		if len(args) != 2 && len(args) != 3 {
			return bad("wants two whole numbers, MIN and MAX, like {{rand 1 100}} (and a NAME to share it)")
		}
		lo, err1 := strconv.ParseInt(args[0], 10, 64)
		hi, err2 := strconv.ParseInt(args[1], 10, 64)
		if err1 != nil || err2 != nil {
			return bad("MIN and MAX must be whole numbers, got %q and %q", args[0], args[1])
		}
		if lo > hi {
			return bad("MIN %d is larger than MAX %d", lo, hi)
		}
		p := part{kind: phRand, lo: lo, hi: hi}
		if len(args) == 3 {
			p.name = args[2]
		}
		return p, nil
	case "pick":
		if len(args) == 0 {
			return bad(`wants one or more quoted words, like {{pick "a" "b"}}`)
		}
		return part{kind: phPick, words: args}, nil
	}
	return bad("unknown placeholder %q (known: %s)", words[0], Placeholders)
}

// splitWords splits a placeholder's inside on spaces; double-quoted words
// may hold spaces and \" escapes.
func splitWords(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ' || s[i] == '\t':
			i++
		case s[i] == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, fmt.Errorf("a quote is not closed: %s", s[i:])
			}
			w, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, fmt.Errorf("bad quoted word %s: %w", s[i:j+1], err)
			}
			out = append(out, w)
			i = j + 1
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out, nil
}

// Source returns the text as typed.
func (t Text) Source() string { return t.src }

// HasPlaceholders reports whether the text changes from record to record.
func (t Text) HasPlaceholders() bool {
	for _, p := range t.parts {
		if p.kind != literal {
			return true
		}
	}
	return false
}

// Env is what placeholders of one record draw on. Make one per record
// with NewEnv, or one per run moved from record to record with Reset:
// named UUIDs and rands are shared within a record.
type Env struct {
	// Seq is the record's number in the run, from 1.
	Seq int64
	// Now is the time {{now}} writes.
	Now time.Time
	// Rand draws uuids, rand and pick; nil uses math/rand/v2's source.
	Rand  *rand.Rand
	named []namedValue
	// nowText is {{now}} up to its seconds ("2006-01-02T15:04:05.") for
	// the UTC second nowSec: a run formats the date once a second.
	nowText []byte
	nowSec  int64
}

// namedValue is the value of a {{uuid NAME}} or a {{rand MIN MAX NAME}}
// in the record being expanded.
type namedValue struct {
	kind placeholderKind
	name string
	n    int64    // rand
	uuid [36]byte // uuid
}

// NewEnv returns the environment of record seq.
func NewEnv(seq int64, now time.Time, r *rand.Rand) *Env {
	return &Env{Seq: seq, Now: now, Rand: r}
}

// Reset makes e the environment of record seq, forgetting the named
// values of the record before and keeping its memory.
func (e *Env) Reset(seq int64, now time.Time) {
	e.Seq, e.Now, e.named = seq, now, e.named[:0]
}

func (e *Env) uint64() uint64 {
	if e.Rand != nil {
		return e.Rand.Uint64()
	}
	return rand.Uint64()
}

func (e *Env) intN(n uint64) uint64 {
	if e.Rand != nil {
		return e.Rand.Uint64N(n)
	}
	return rand.Uint64N(n)
}

func (e *Env) lookup(kind placeholderKind, name string) *namedValue {
	for i := range e.named {
		if e.named[i].kind == kind && e.named[i].name == name {
			return &e.named[i]
		}
	}
	return nil
}

// appendRand draws a {{rand}}, the same one for every use of a NAME.
func (e *Env) appendRand(dst []byte, p part) []byte {
	if p.name != "" {
		if v := e.lookup(phRand, p.name); v != nil {
			return strconv.AppendInt(dst, v.n, 10)
		}
	}
	span := uint64(p.hi - p.lo)
	var v int64
	if span == ^uint64(0) {
		v = int64(e.uint64())
	} else {
		v = p.lo + int64(e.intN(span+1))
	}
	if p.name != "" {
		e.named = append(e.named, namedValue{kind: phRand, name: p.name, n: v})
	}
	return strconv.AppendInt(dst, v, 10)
}

// appendUUID writes a version 4 UUID, the same one for every use of a
// NAME.
func (e *Env) appendUUID(dst []byte, name string) []byte {
	if name != "" {
		if v := e.lookup(phUUID, name); v != nil {
			return append(dst, v.uuid[:]...)
		}
	}
	var b [16]byte
	hi, lo := e.uint64(), e.uint64()
	for i := range 8 {
		b[i] = byte(hi >> (56 - 8*i))
		b[8+i] = byte(lo >> (56 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	var u [36]byte
	hex.Encode(u[0:8], b[0:4])
	hex.Encode(u[9:13], b[4:6])
	hex.Encode(u[14:18], b[6:8])
	hex.Encode(u[19:23], b[8:10])
	hex.Encode(u[24:36], b[10:16])
	u[8], u[13], u[18], u[23] = '-', '-', '-', '-'
	if name != "" {
		e.named = append(e.named, namedValue{kind: phUUID, name: name, uuid: u})
	}
	return append(dst, u[:]...)
}

// appendNow writes Now as RFC 3339 with milliseconds in UTC, as
// Format("2006-01-02T15:04:05.000Z07:00") would.
func (e *Env) appendNow(dst []byte) []byte {
	t := e.Now.UTC()
	if sec := t.Unix(); e.nowText == nil || sec != e.nowSec {
		e.nowText = t.Truncate(time.Second).AppendFormat(e.nowText[:0], "2006-01-02T15:04:05.")
		e.nowSec = sec
	}
	ms := t.Nanosecond() / 1e6
	return append(append(dst, e.nowText...), byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z')
}

// Expand writes the text for one record.
func (t Text) Expand(e *Env) string {
	if len(t.parts) == 1 && t.parts[0].kind == literal {
		return t.src
	}
	return string(t.AppendExpand(nil, e))
}

// AppendExpand appends the text for one record to dst, with no other
// allocation once e has met the record's names: the path of a repeat
// run.
func (t Text) AppendExpand(dst []byte, e *Env) []byte {
	return t.appendExpand(dst, e, nil)
}

// span maps a piece of the expanded text back to where it was typed.
type span struct {
	outStart, outEnd int
	p                part
}

func (t Text) appendExpand(dst []byte, e *Env, spans *[]span) []byte {
	base := len(dst)
	for _, p := range t.parts {
		start := len(dst) - base
		switch p.kind {
		case literal:
			dst = append(dst, p.lit...)
		case phUUID:
			dst = e.appendUUID(dst, p.name)
		case phSeq:
			var nb [24]byte
			num := strconv.AppendInt(nb[:0], e.Seq, 10)
			if pad := p.width - len(num); pad > 0 {
				dst = append(dst, zeros[:pad]...)
			}
			dst = append(dst, num...)
		case phNow:
			dst = e.appendNow(dst)
		case phRand:
			dst = e.appendRand(dst, p)
		case phPick:
			dst = append(dst, p.words[e.intN(uint64(len(p.words)))]...)
		}
		if spans != nil {
			*spans = append(*spans, span{start, len(dst) - base, p})
		}
	}
	return dst
}

// zeros pads a {{seq WIDTH}} (at most 20 wide).
const zeros = "00000000000000000000"

// ExpandWithMap expands the text and returns a function mapping a byte
// offset of the result back to the offset in the typed text (inside a
// placeholder's expansion: the placeholder's start), so an error found in
// the expanded text can point at what the user typed.
func (t Text) ExpandWithMap(e *Env) (string, func(int) int) {
	var spans []span
	s := string(t.appendExpand(nil, e, &spans))
	return s, func(off int) int {
		for _, sp := range spans {
			if off >= sp.outStart && off < sp.outEnd {
				if sp.p.kind == literal {
					return sp.p.start + off - sp.outStart
				}
				return sp.p.start
			}
		}
		return len(t.src)
	}
}
