package schema

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"
)

// Format is how a key or value is read when the user says so
// (--key-format, --value-format) instead of kflow guessing: a topic whose
// values are Kafka's LongSerializer output (the word count's) reads as
// numbers, not as eight binary bytes. A format may carry a schema compiled
// from a local file (avro:PATH, protobuf:PATH[:MESSAGE], json-schema:PATH)
// for values that are the schema's plain body, without the registry's wire
// header. The zero Format is auto. Formats compare equal when they are the
// same simple format, or the same parsed local schema.
type Format struct {
	name  string       // the simple format's name, or avro, protobuf, json-schema
	spec  string       // a local schema's format as given: "avro:schemas/order.avsc"
	local *localSchema // a local schema's, compiled once
}

// The simple formats a key or value can be read as. They are values, never
// assigned to: a Format has no exported fields to change.
var (
	// FormatAuto decodes the wire format through the registry and shows
	// anything else as its bytes (text, or base64 when not UTF-8).
	FormatAuto    = Format{name: "auto"}
	FormatString  = Format{name: "string"}  // the bytes as text (invalid UTF-8 replaced)
	FormatJSON    = Format{name: "json"}    // the bytes are a JSON document, written as a JSON value
	FormatHex     = Format{name: "hex"}     // lower-case hex digits
	FormatBase64  = Format{name: "base64"}  // standard base64
	FormatLong    = Format{name: "long"}    // 8-byte big-endian signed, as Kafka's LongSerializer
	FormatInt     = Format{name: "int"}     // 4-byte big-endian signed, as Kafka's IntegerSerializer
	FormatDouble  = Format{name: "double"}  // 8-byte big-endian IEEE 754, as Kafka's DoubleSerializer
	FormatMsgpack = Format{name: "msgpack"} // MessagePack, written as the JSON value it holds
)

// Formats lists the simple formats by name, for help and completion
// (LocalFormats are the ones that take a schema file).
func Formats() []string {
	return []string{"auto", "string", "json", "hex", "base64", "long", "int", "double", "msgpack"}
}

// Named reports whether f is a format the user named, not auto (or unset).
func (f Format) Named() bool { return f.name != "" && f.name != "auto" }

// String is the format as the user gives it: "long", "avro:order.avsc".
func (f Format) String() string {
	if f.spec != "" {
		return f.spec
	}
	if f.name == "" {
		return "auto"
	}
	return f.name
}

// Schema is the type of a local schema format (Avro, Protobuf, JSON
// Schema), "" for a simple format.
func (f Format) Schema() Type {
	if f.local == nil {
		return ""
	}
	return f.local.c.info.Type
}

// ParseFormat reads a format; "" is FormatAuto. A local schema format's
// file is read and compiled now (relative to the working directory), so a
// missing file or a schema that does not compile is an error here, naming
// the file, not one per record.
func ParseFormat(s string) (Format, error) { return ParseFormatIn(s, "") }

// ParseFormatIn is ParseFormat with a local schema's relative path
// resolved against dir (a config file's directory); "" is the working
// directory.
func ParseFormatIn(s, dir string) (Format, error) {
	if s == "" {
		return FormatAuto, nil
	}
	if kind, rest, ok := strings.Cut(s, ":"); ok {
		t, known := localTypes[strings.ToLower(kind)]
		if !known {
			return Format{}, fmt.Errorf("unknown format %q: want one of %s, or %s", s, strings.Join(Formats(), ", "), strings.Join(LocalFormats(), ", "))
		}
		path, message := rest, ""
		if t == Protobuf {
			path, message = splitProtoMessage(rest)
		}
		ls, err := loadLocal(t, path, message, dir)
		if err != nil {
			return Format{}, fmt.Errorf("format %s: %w", s, err)
		}
		return Format{name: strings.ToLower(kind), spec: s, local: ls}, nil
	}
	name := strings.ToLower(s)
	for _, n := range Formats() {
		if name == n {
			return Format{name: n}, nil
		}
	}
	if _, local := localTypes[name]; local {
		return Format{}, fmt.Errorf("format %s needs a schema file: %s", s, strings.Join(LocalFormats(), ", "))
	}
	return Format{}, fmt.Errorf("unknown format %q: want one of %s, or %s", s, strings.Join(Formats(), ", "), strings.Join(LocalFormats(), ", "))
}

// JSON writes b as a JSON value read in format f (not FormatAuto): a
// string, a number, or, for FormatJSON, the document itself compacted. A
// null b is JSON null. Bytes that do not fit the format are an error
// saying why (a long needs 8 bytes), so the caller shows them as they are.
func (f Format) JSON(b []byte) ([]byte, error) {
	if b == nil {
		return []byte("null"), nil
	}
	if f.local != nil {
		out, err := f.local.decode(b)
		if err != nil {
			return nil, fmt.Errorf("format %s: %w", f.spec, err)
		}
		return out, nil
	}
	switch f {
	case FormatString:
		if !utf8.Valid(b) {
			b = []byte(strings.ToValidUTF8(string(b), "\uFFFD"))
		}
		return json.Marshal(string(b))
	case FormatJSON:
		var out bytes.Buffer
		if err := json.Compact(&out, b); err != nil {
			return nil, fmt.Errorf("format json: the %d bytes are not a JSON document: %w", len(b), err)
		}
		return out.Bytes(), nil
	case FormatHex:
		return json.Marshal(hex.EncodeToString(b))
	case FormatBase64:
		return json.Marshal(base64.StdEncoding.EncodeToString(b))
	case FormatLong:
		if len(b) != 8 {
			return nil, fmt.Errorf("format long needs 8 bytes, got %d", len(b))
		}
		return strconv.AppendInt(nil, int64(binary.BigEndian.Uint64(b)), 10), nil
	case FormatInt:
		if len(b) != 4 {
			return nil, fmt.Errorf("format int needs 4 bytes, got %d", len(b))
		}
		return strconv.AppendInt(nil, int64(int32(binary.BigEndian.Uint32(b))), 10), nil
	case FormatDouble:
		if len(b) != 8 {
			return nil, fmt.Errorf("format double needs 8 bytes, got %d", len(b))
		}
		v := math.Float64frombits(binary.BigEndian.Uint64(b))
		if math.IsNaN(v) || math.IsInf(v, 0) { // not JSON numbers
			return json.Marshal(strconv.FormatFloat(v, 'g', -1, 64))
		}
		return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
	case FormatMsgpack:
		return msgpackJSON(b)
	}
	return nil, fmt.Errorf("format %q does not write JSON by itself", f.String())
}

// msgpackJSON decodes one MessagePack value into JSON. Map keys that are not
// strings (MessagePack allows any) are written as their text; binary as
// base64, as encoding/json writes []byte. Nesting is bounded so hostile
// input cannot exhaust the stack.
func msgpackJSON(b []byte) ([]byte, error) {
	if err := msgpackDepth(b, maxMsgpackDepth); err != nil {
		return nil, err
	}
	dec := msgpack.NewDecoder(bytes.NewReader(b))
	dec.SetMapDecoder(decodeMsgpackMap)
	v, err := dec.DecodeInterfaceLoose()
	if err != nil {
		return nil, fmt.Errorf("format msgpack: %w", err)
	}
	v, err = jsonable(v, 0)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("format msgpack: %w", err)
	}
	return out, nil
}

// decodeMsgpackMap decodes a map whose keys may be of any type (MessagePack
// allows binary, numbers, even maps as keys; the library's own untyped map
// panics on a binary key): keys become their text, binary that is not UTF-8
// in base64.
func decodeMsgpackMap(d *msgpack.Decoder) (any, error) {
	n, err := d.DecodeMapLen()
	if err != nil || n < 0 {
		return nil, err
	}
	m := make(map[string]any, min(n, 1024))
	for range n {
		k, err := d.DecodeInterfaceLoose()
		if err != nil {
			return nil, err
		}
		v, err := d.DecodeInterfaceLoose()
		if err != nil {
			return nil, err
		}
		var key string
		switch k := k.(type) {
		case string:
			key = k
		case []byte:
			key = string(k)
			if !utf8.Valid(k) {
				key = base64.StdEncoding.EncodeToString(k)
			}
		default: // a number or bool as its text; a map or list as its JSON
			key = fmt.Sprint(k)
			if j, err := jsonable(k, 0); err != nil {
				return nil, err
			} else if kb, err := json.Marshal(j); err == nil && len(kb) > 0 && (kb[0] == '{' || kb[0] == '[') {
				key = string(kb)
			}
		}
		m[key] = v
	}
	return m, nil
}

// maxMsgpackDepth bounds how deep a MessagePack value may nest.
const maxMsgpackDepth = 64

// jsonable checks a decoded MessagePack value's depth and makes its floats
// ones encoding/json writes (NaN and infinities as strings).
func jsonable(v any, depth int) (any, error) {
	if depth > maxMsgpackDepth {
		return nil, fmt.Errorf("format msgpack: nested deeper than %d", maxMsgpackDepth)
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			j, err := jsonable(e, depth+1)
			if err != nil {
				return nil, err
			}
			x[k] = j
		}
		return x, nil
	case []any:
		for i, e := range x {
			j, err := jsonable(e, depth+1)
			if err != nil {
				return nil, err
			}
			x[i] = j
		}
		return x, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		}
	case float32:
		if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
			return strconv.FormatFloat(f, 'g', -1, 32), nil
		}
	}
	return v, nil
}

// Text is b read in format f for plain output: a string format's text, a
// number's digits, JSON compacted (a local schema's value too).
func (f Format) Text(b []byte) ([]byte, error) {
	j, err := f.JSON(b)
	if err != nil || b == nil {
		return j, err
	}
	switch f {
	case FormatString:
		return b, nil
	case FormatHex:
		return []byte(hex.EncodeToString(b)), nil
	case FormatBase64:
		return []byte(base64.StdEncoding.EncodeToString(b)), nil
	}
	return j, nil
}

// msgpackDepth walks MessagePack bytes without recursion and fails when
// containers nest deeper than max or a length runs past the end, so that
// the decoder, which recurses, never sees hostile nesting.
func msgpackDepth(b []byte, max int) error {
	var left []uint64 // items still to read in each open container
	i := 0
	need := func(n uint64) error {
		if uint64(len(b)-i) < n {
			return errors.New("format msgpack: a length runs past the end")
		}
		i += int(n)
		return nil
	}
	be := func(n int) (uint64, error) {
		if len(b)-i < n {
			return 0, errors.New("format msgpack: truncated")
		}
		var v uint64
		for _, c := range b[i : i+n] {
			v = v<<8 | uint64(c)
		}
		i += n
		return v, nil
	}
	for {
		if i >= len(b) {
			if len(left) > 0 {
				return errors.New("format msgpack: truncated")
			}
			return nil
		}
		c := b[i]
		i++
		var items uint64 // items of a container opened here
		open := false
		var err error
		switch {
		case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		case c >= 0x80 && c <= 0x8f:
			items, open = 2*uint64(c&0x0f), true
		case c >= 0x90 && c <= 0x9f:
			items, open = uint64(c&0x0f), true
		case c >= 0xa0 && c <= 0xbf:
			err = need(uint64(c & 0x1f))
		case c == 0xdc || c == 0xdd || c == 0xde || c == 0xdf:
			n := 2
			if c == 0xdd || c == 0xdf {
				n = 4
			}
			items, err = be(n)
			if c == 0xde || c == 0xdf {
				items *= 2
			}
			open = true
		case c == 0xc4 || c == 0xd9:
			var n uint64
			if n, err = be(1); err == nil {
				err = need(n)
			}
		case c == 0xc5 || c == 0xda:
			var n uint64
			if n, err = be(2); err == nil {
				err = need(n)
			}
		case c == 0xc6 || c == 0xdb:
			var n uint64
			if n, err = be(4); err == nil {
				err = need(n)
			}
		case c == 0xc7 || c == 0xc8 || c == 0xc9: // ext: length, type, data
			var n uint64
			if n, err = be(map[byte]int{0xc7: 1, 0xc8: 2, 0xc9: 4}[c]); err == nil {
				err = need(n + 1)
			}
		case c == 0xca || c == 0xd2:
			err = need(4)
		case c == 0xcb || c == 0xcf || c == 0xd3:
			err = need(8)
		case c == 0xcc || c == 0xd0:
			err = need(1)
		case c == 0xcd || c == 0xd1:
			err = need(2)
		case c == 0xce:
			err = need(4)
		case c >= 0xd4 && c <= 0xd8: // fixext 1, 2, 4, 8, 16 and a type byte
			err = need(1 + 1<<(c-0xd4))
		default: // 0xc1 is never used
			return fmt.Errorf("format msgpack: byte 0x%02x at %d is not a MessagePack type", c, i-1)
		}
		if err != nil {
			return err
		}
		if len(left) > 0 {
			left[len(left)-1]--
		}
		if open && items > 0 {
			if len(left) >= max {
				return fmt.Errorf("format msgpack: nested deeper than %d", max)
			}
			if items > uint64(len(b)-i) { // every item takes a byte at least
				return errors.New("format msgpack: a length runs past the end")
			}
			left = append(left, items)
		}
		for len(left) > 0 && left[len(left)-1] == 0 {
			left = left[:len(left)-1]
		}
		if len(left) == 0 && i < len(b) {
			return errors.New("format msgpack: bytes left after the value")
		}
	}
}
