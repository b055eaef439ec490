package schema

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is how a key or value is read when the user says so
// (--key-format, --value-format) instead of kflow guessing: a topic whose
// values are Kafka's LongSerializer output (the word count's) reads as
// numbers, not as eight binary bytes.
type Format string

// The formats a key or value can be read as.
const (
	// FormatAuto decodes the wire format through the registry and shows
	// anything else as its bytes (text, or base64 when not UTF-8).
	FormatAuto   Format = "auto"
	FormatString Format = "string" // the bytes as text (invalid UTF-8 replaced)
	FormatJSON   Format = "json"   // the bytes are a JSON document, written as a JSON value
	FormatHex    Format = "hex"    // lower-case hex digits
	FormatBase64 Format = "base64" // standard base64
	FormatLong   Format = "long"   // 8-byte big-endian signed, as Kafka's LongSerializer
	FormatInt    Format = "int"    // 4-byte big-endian signed, as Kafka's IntegerSerializer
	FormatDouble Format = "double" // 8-byte big-endian IEEE 754, as Kafka's DoubleSerializer
)

// Formats lists the formats by name, for help and completion.
func Formats() []string {
	return []string{string(FormatAuto), string(FormatString), string(FormatJSON), string(FormatHex),
		string(FormatBase64), string(FormatLong), string(FormatInt), string(FormatDouble)}
}

// ParseFormat reads a format name; "" is FormatAuto.
func ParseFormat(s string) (Format, error) {
	if s == "" {
		return FormatAuto, nil
	}
	f := Format(strings.ToLower(s))
	for _, n := range Formats() {
		if string(f) == n {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: want one of %s", s, strings.Join(Formats(), ", "))
}

// JSON writes b as a JSON value read in format f (not FormatAuto): a
// string, a number, or, for FormatJSON, the document itself compacted. A
// null b is JSON null. Bytes that do not fit the format are an error
// saying why (a long needs 8 bytes), so the caller shows them as they are.
func (f Format) JSON(b []byte) ([]byte, error) {
	if b == nil {
		return []byte("null"), nil
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
	}
	return nil, fmt.Errorf("format %q does not write JSON by itself", f)
}

// Text is b read in format f for plain output: a string format's text, a
// number's digits, JSON compacted.
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
