package kafka

import (
	"encoding/base64"
	"math/bits"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSONLine appends the record's JSON line (the JSONRecord shape,
// byte for byte what encoding/json writes for ToJSON(r)) to dst, without
// the newline. It is the tail's hot path: no reflection and no
// intermediate strings, several times faster than json.Marshal. A loop
// over many records uses JSONLines, which also remembers what they share.
func AppendJSONLine(dst []byte, r Record) []byte { return appendJSONLineTo(dst, &r, nil, nil) }

// appendJSONLine is AppendJSONLine; with t, a decoded key or value is
// written as its JSON value (see AppendTypedJSONLine).
func appendJSONLine(dst []byte, r Record, t *Typed) []byte { return appendJSONLineTo(dst, &r, t, nil) }

// appendJSONLineTo is appendJSONLine, through j's remembered topic and
// second when j is not nil.
func appendJSONLineTo(dst []byte, r *Record, t *Typed, j *JSONLines) []byte {
	dst = append(dst, `{"topic":`...)
	if j != nil {
		dst = j.appendTopic(dst, r.Topic)
	} else {
		dst = appendJSONString(dst, r.Topic)
	}
	dst = append(dst, `,"partition":`...)
	dst = appendInt(dst, int64(r.Partition))
	dst = append(dst, `,"offset":`...)
	dst = appendInt(dst, r.Offset)
	dst = append(dst, `,"timestamp":"`...)
	if j != nil {
		dst = j.appendTimes(dst, r.Timestamp)
	} else {
		dst = appendTimesFull(dst, r.Timestamp)
	}
	dst = append(dst, `,"key":`...)
	if t == nil {
		dst = appendJSONBytes(dst, r.Key, "key_encoding")
	} else {
		dst = t.appendField(dst, r.Key, t.Key, t.KeyErr, t.KeyFormat, "key")
	}
	dst = append(dst, `,"value":`...)
	if t == nil {
		dst = appendJSONBytes(dst, r.Value, "value_encoding")
	} else {
		dst = t.appendField(dst, r.Value, t.Value, t.ValueErr, t.ValueFormat, "value")
	}
	dst = append(dst, `,"headers":[`...)
	for i, h := range r.Headers {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"key":`...)
		dst = appendHeaderKey(dst, h.Key)
		dst = append(dst, `,"value":`...)
		dst = appendJSONBytes(dst, h.Value, "value_encoding")
		dst = append(dst, '}')
	}
	dst = append(dst, `],"key_size":`...)
	dst = appendInt(dst, int64(r.KeySize))
	dst = append(dst, `,"value_size":`...)
	dst = appendInt(dst, int64(r.ValueSize))
	if r.Truncated() {
		dst = append(dst, `,"truncated":true`...)
	}
	return append(dst, '}')
}

// appendJSONBytes writes b as a JSON string, null, or base64 followed by
// its encoding field, as encodeBytes decides.
func appendJSONBytes(dst, b []byte, encField string) []byte {
	if b == nil {
		return append(dst, "null"...)
	}
	mark := len(dst)
	dst, ok := appendJSONStr(dst, b, true)
	if ok {
		return dst
	}
	dst = append(dst[:mark], '"') // not UTF-8: one scan found it, base64 instead
	dst = base64.StdEncoding.AppendEncode(dst, b)
	dst = append(dst, `","`...)
	dst = append(dst, encField...)
	return append(dst, `":"base64"`...)
}

// appendHeaderKey writes a header key as a string, or, when it is not
// valid UTF-8, in base64 followed by "key_encoding":"base64", so that
// --from-jsonl gets its bytes back.
func appendHeaderKey(dst []byte, k string) []byte {
	if utf8.ValidString(k) {
		return appendJSONString(dst, k)
	}
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, []byte(k))
	return append(dst, `","key_encoding":"base64"`...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes valid UTF-8 as encoding/json does — HTML-safe
// (<, >, & as \u003c...), \b \f \n \r \t, other controls as \u00XX,
// U+2028/U+2029 escaped, invalid UTF-8 (a topic name could hold some) as
// \ufffd — and, to stay inert on a terminal, the invisible characters
// (DEL, C1 controls, bidi and zero-width format characters) as \uXXXX:
// byte for byte InertJSON of encoding/json's output.
func appendJSONString[S ~string | ~[]byte](dst []byte, s S) []byte {
	dst, _ = appendJSONStr(dst, s, false)
	return dst
}

// jsonPlain marks the bytes a JSON string holds as they are: printable
// ASCII but for '"', '\\', '<', '>', '&' and DEL. Read only.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONStr is appendJSONString; with strict it stops at the first
// invalid UTF-8 and reports false (dst then holds a partial string), so
// a value is checked and quoted in one scan instead of two.
func appendJSONStr[S ~string | ~[]byte](dst []byte, s S, strict bool) ([]byte, bool) {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && !jsonSpecial8(load8(s, i)) {
			i += 8 // eight plain bytes at once: most values are plain ASCII
			continue
		}
		c := s[i]
		if jsonPlain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if r == utf8.RuneError && size == 1 { // invalid UTF-8, as encoding/json writes it
			if strict {
				return dst, false
			}
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			start = i + size
		}
		if r == '\u2028' || r == '\u2029' || invisible(r) {
			dst = append(dst, s[start:i]...)
			dst = appendRuneEscape(dst, r)
			start = i + size
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), true
}

// Byte lanes of a uint64, for jsonSpecial8.
const (
	lanes1    = 0x0101010101010101
	lanesHigh = 0x8080808080808080
)

// load8 is the eight bytes of s from i as a little-endian uint64 (the
// compiler makes it one load).
func load8[S ~string | ~[]byte](s S, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// jsonSpecial8 reports whether any of the eight bytes in x is not
// jsonPlain: a control (< 0x20), DEL or above, '"', '\\', '<', '>' or
// '&'. It never misses one; the scalar loop then handles those eight
// bytes one by one.
func jsonSpecial8(x uint64) bool {
	if x&lanesHigh != 0 {
		return true // a byte >= 0x80: below, every byte is ASCII, so no lane carries
	}
	ctl := (x - 0x20*lanes1) &^ x         // a byte < 0x20
	del := x + lanes1                     // 0x7f becomes 0x80
	bs := x ^ 0x5c*lanes1                 // '\\' becomes 0
	qa := (x | 0x04*lanes1) ^ 0x26*lanes1 // '"' (0x22) and '&' (0x26) become 0
	lg := (x | 0x02*lanes1) ^ 0x3e*lanes1 // '<' (0x3c) and '>' (0x3e) become 0
	zero := (bs-lanes1)&^bs | (qa-lanes1)&^qa | (lg-lanes1)&^lg
	return (ctl|del|zero)&lanesHigh != 0
}

// appendTimestamp writes t in UTC as 2006-01-02T15:04:05.000Z, the
// format ToJSON uses, without time.Format's general machinery.
func appendTimestamp(dst []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
	}
	h, mi, s := t.Clock()
	ms := t.Nanosecond() / 1e6
	return append(dst,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(mo)/10), byte('0'+int(mo)%10), '-',
		byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+h/10), byte('0'+h%10), ':',
		byte('0'+mi/10), byte('0'+mi%10), ':',
		byte('0'+s/10), byte('0'+s%10), '.',
		byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z')
}

// appendInt is strconv.AppendInt(dst, v, 10) writing the digits in place,
// two at a time, when dst has room: no scratch buffer and copy for the
// five numbers of every line on the tail's hot path.
func appendInt(dst []byte, v int64) []byte {
	if uint64(v) < 100 { // partitions and small sizes: most of a line's numbers
		if v < 10 {
			return append(dst, byte('0'+v))
		}
		return append(dst, digitPairs[v*2], digitPairs[v*2+1])
	}
	if v < 0 || cap(dst)-len(dst) < 20 {
		return strconv.AppendInt(dst, v, 10)
	}
	u := uint64(v)
	n := int(bits.Len64(u)*1233>>12) + 1 // log10 from log2, then one check
	if n < len(pow10) && u < pow10[n-1] {
		n--
	} else if n < len(pow10) && u >= pow10[n] {
		n++
	}
	n = max(n, 1)
	l := len(dst)
	dst = dst[:l+n]
	i := l + n
	for u >= 100 {
		q := u / 100
		j := (u - q*100) * 2
		i -= 2
		dst[i], dst[i+1] = digitPairs[j], digitPairs[j+1]
		u = q
	}
	if u >= 10 {
		dst[i-2], dst[i-1] = digitPairs[u*2], digitPairs[u*2+1]
	} else {
		dst[i-1] = byte('0' + u)
	}
	return dst
}

// digitPairs holds "00" to "99".
const digitPairs = "00010203040506070809" +
	"10111213141516171819" + "20212223242526272829" + "30313233343536373839" +
	"40414243444546474849" + "50515253545556575859" + "60616263646566676869" +
	"70717273747576777879" + "80818283848586878889" + "90919293949596979899"

// pow10[i] is 10^i.
var pow10 = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
