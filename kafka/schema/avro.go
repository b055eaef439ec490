package schema

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hamba/avro/v2"
)

// The Avro ↔ JSON conventions ("natural JSON", what a person would write):
//
//   - records are objects with their fields in schema order; maps are
//     objects (encoded with their keys sorted);
//   - a union is the bare value of its branch (null for the null branch),
//     not Avro JSON's {"type": value}; encoding tries the branches in order
//     and takes the first the value fits. The price of bare values: a value
//     of a later branch that also fits an earlier one (a string in
//     ["string","bytes"], a small long in ["int","long"]) re-encodes as the
//     earlier branch. Floats always carry a "." or an exponent, so
//     ["int","double"] keeps its branch;
//   - enums are their symbol; bytes and fixed are standard base64 (as
//     protojson writes bytes), not Avro JSON's one-code-point-per-byte;
//   - decimal is a string holding the exact number with its scale's digits
//     ("12.34"); encoding also takes a JSON number;
//   - date is "2026-12-01"; time-millis "15:04:05.000", time-micros
//     "15:04:05.000000"; timestamp-millis/micros RFC 3339 in UTC with three
//     or six fraction digits; local-timestamp-* the same without the zone;
//     a value outside years 0-9999 stays the bare number;
//   - NaN and the infinities are the strings "NaN", "Infinity", "-Infinity".
//
// Decoding walks the schema over a cursor rather than going through hamba's
// generic reader: that one loses record field order and wraps unions, and
// this one bounds every length by the bytes left and the nesting by
// maxAvroDepth, so hostile bytes fail fast with a reason.

const (
	// maxAvroDepth bounds the nesting of a decoded or encoded value (a
	// recursive schema fed hostile bytes would otherwise recurse per byte).
	maxAvroDepth = 256
	// avroItemsPerByte with avroItemsSlack bound the array and map items
	// one body may hold: items of a zero-width type (null, an empty record)
	// take no bytes, so a block count alone could spin for 2^62 rounds.
	avroItemsPerByte = 8
	avroItemsSlack   = 1024
	// maxDecimalScale and maxDecimalBytes bound decimals: a hostile schema
	// or body could otherwise ask for a billion digits.
	maxDecimalScale = 1024
	maxDecimalBytes = 512
	// maxFixedSize bounds a fixed type's size (the skeleton allocates it).
	maxFixedSize = 1 << 20
)

// checkAvroLimits refuses a schema whose decimals or fixed types are
// beyond what any real schema uses and would cost unbounded memory.
func checkAvroLimits(s avro.Schema) error {
	seen := map[string]bool{}
	var walk func(s avro.Schema) error
	walk = func(s avro.Schema) error {
		if dec, ok := logicalOf(s).(*avro.DecimalLogicalSchema); ok && (dec.Scale() > maxDecimalScale || dec.Precision() > maxDecimalScale) {
			return fmt.Errorf("avro: decimal(%d, %d) is beyond precision %d", dec.Precision(), dec.Scale(), maxDecimalScale)
		}
		switch s := s.(type) {
		case *avro.RefSchema:
			return walk(s.Schema())
		case *avro.FixedSchema:
			if s.Size() > maxFixedSize {
				return fmt.Errorf("avro: fixed %s of %d bytes is beyond %d", s.FullName(), s.Size(), maxFixedSize)
			}
		case *avro.RecordSchema:
			if seen[s.FullName()] {
				return nil
			}
			seen[s.FullName()] = true
			for _, f := range s.Fields() {
				if err := walk(f.Type()); err != nil {
					return err
				}
			}
		case *avro.ArraySchema:
			return walk(s.Items())
		case *avro.MapSchema:
			return walk(s.Values())
		case *avro.UnionSchema:
			for _, t := range s.Types() {
				if err := walk(t); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(s)
}

// compileAvro parses s after its references (in dependency order) into one
// cache, so named types of other subjects resolve.
func compileAvro(s string, refs []refDoc) (avro.Schema, error) {
	cache := &avro.SchemaCache{}
	for _, ref := range refs {
		if _, err := avro.ParseWithCache(ref.schema.Schema, "", cache); err != nil {
			return nil, fmt.Errorf("avro: reference %q (%s version %d): %w", ref.name, ref.subject, ref.version, err)
		}
	}
	sch, err := avro.ParseWithCache(s, "", cache)
	if err != nil {
		return nil, fmt.Errorf("avro: %w", err)
	}
	return sch, nil
}

type avroDecoder struct {
	c      cursor
	budget int
}

// decodeAvro turns an Avro body into natural JSON.
func decodeAvro(s avro.Schema, body []byte) ([]byte, error) {
	d := avroDecoder{c: cursor{b: body}, budget: avroItemsPerByte*len(body) + avroItemsSlack}
	out, err := d.value(make([]byte, 0, 2*len(body)+16), s, 0)
	if err != nil {
		return nil, fmt.Errorf("avro: at byte %d: %w", d.c.off, err)
	}
	if n := d.c.left(); n != 0 {
		return nil, fmt.Errorf("avro: %d bytes left after the value: not written with this schema", n)
	}
	return out, nil
}

func logicalOf(s avro.Schema) avro.LogicalSchema {
	if l, ok := s.(avro.LogicalTypeSchema); ok {
		return l.Logical()
	}
	return nil
}

func logicalType(s avro.Schema) avro.LogicalType {
	if l := logicalOf(s); l != nil {
		return l.Type()
	}
	return ""
}

func (d *avroDecoder) value(b []byte, s avro.Schema, depth int) ([]byte, error) {
	if depth > maxAvroDepth {
		return nil, fmt.Errorf("nested more than %d deep", maxAvroDepth)
	}
	switch s.Type() {
	case avro.Null:
		return append(b, "null"...), nil
	case avro.Boolean:
		v, err := d.c.next(1)
		if err != nil {
			return nil, err
		}
		switch v[0] {
		case 0:
			return append(b, "false"...), nil
		case 1:
			return append(b, "true"...), nil
		}
		return nil, fmt.Errorf("boolean byte %d", v[0])
	case avro.Int:
		v, err := d.c.int32()
		if err != nil {
			return nil, err
		}
		switch logicalType(s) {
		case avro.Date:
			return appendDate(b, int64(v)), nil
		case avro.TimeMillis:
			return appendTimeOfDay(b, int64(v)*int64(time.Millisecond), "15:04:05.000"), nil
		}
		return strconv.AppendInt(b, int64(v), 10), nil
	case avro.Long:
		v, err := d.c.varint()
		if err != nil {
			return nil, err
		}
		switch logicalType(s) {
		case avro.TimeMicros:
			return appendTimeOfDay(b, v*int64(time.Microsecond), "15:04:05.000000"), nil
		case avro.TimestampMillis:
			return appendTimestamp(b, v, time.UnixMilli, "2006-01-02T15:04:05.000Z07:00"), nil
		case avro.TimestampMicros:
			return appendTimestamp(b, v, time.UnixMicro, "2006-01-02T15:04:05.000000Z07:00"), nil
		case avro.LocalTimestampMillis:
			return appendTimestamp(b, v, time.UnixMilli, "2006-01-02T15:04:05.000"), nil
		case avro.LocalTimestampMicros:
			return appendTimestamp(b, v, time.UnixMicro, "2006-01-02T15:04:05.000000"), nil
		}
		return strconv.AppendInt(b, v, 10), nil
	case avro.Float:
		v, err := d.c.next(4)
		if err != nil {
			return nil, err
		}
		return appendFloat(b, float64(math.Float32frombits(binary.LittleEndian.Uint32(v))), 32), nil
	case avro.Double:
		v, err := d.c.next(8)
		if err != nil {
			return nil, err
		}
		return appendFloat(b, math.Float64frombits(binary.LittleEndian.Uint64(v)), 64), nil
	case avro.String:
		v, err := d.c.bytes()
		if err != nil {
			return nil, fmt.Errorf("string: %w", err)
		}
		return appendJSONString(b, v), nil
	case avro.Bytes:
		v, err := d.c.bytes()
		if err != nil {
			return nil, fmt.Errorf("bytes: %w", err)
		}
		if dec, ok := logicalOf(s).(*avro.DecimalLogicalSchema); ok {
			return appendDecimal(b, v, dec.Scale())
		}
		return appendBase64(b, v), nil
	case avro.Fixed:
		fs := s.(*avro.FixedSchema)
		v, err := d.c.next(fs.Size())
		if err != nil {
			return nil, fmt.Errorf("fixed %s: %w", fs.FullName(), err)
		}
		if dec, ok := fs.Logical().(*avro.DecimalLogicalSchema); ok {
			return appendDecimal(b, v, dec.Scale())
		}
		return appendBase64(b, v), nil
	case avro.Enum:
		es := s.(*avro.EnumSchema)
		i, err := d.c.int32()
		if err != nil {
			return nil, err
		}
		syms := es.Symbols()
		if i < 0 || int(i) >= len(syms) {
			return nil, fmt.Errorf("enum %s: symbol index %d out of range [0, %d)", es.FullName(), i, len(syms))
		}
		return appendJSONString(b, syms[i]), nil
	case avro.Array:
		items := s.(*avro.ArraySchema).Items()
		b = append(b, '[')
		first := true
		err := d.blocks(func() error {
			if !first {
				b = append(b, ',')
			}
			first = false
			var err error
			b, err = d.value(b, items, depth+1)
			return err
		})
		if err != nil {
			return nil, err
		}
		return append(b, ']'), nil
	case avro.Map:
		values := s.(*avro.MapSchema).Values()
		b = append(b, '{')
		first := true
		err := d.blocks(func() error {
			if !first {
				b = append(b, ',')
			}
			first = false
			k, err := d.c.bytes()
			if err != nil {
				return fmt.Errorf("map key: %w", err)
			}
			b = append(appendJSONString(b, k), ':')
			b, err = d.value(b, values, depth+1)
			return err
		})
		if err != nil {
			return nil, err
		}
		return append(b, '}'), nil
	case avro.Union:
		types := s.(*avro.UnionSchema).Types()
		i, err := d.c.varint()
		if err != nil {
			return nil, err
		}
		if i < 0 || i >= int64(len(types)) {
			return nil, fmt.Errorf("union branch %d out of range [0, %d)", i, len(types))
		}
		return d.value(b, types[i], depth+1)
	case avro.Record, avro.Error:
		rs := s.(*avro.RecordSchema)
		b = append(b, '{')
		for i, f := range rs.Fields() {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendJSONString(b, f.Name()), ':')
			var err error
			if b, err = d.value(b, f.Type(), depth+1); err != nil {
				return nil, fmt.Errorf("%s.%s: %w", rs.Name(), f.Name(), err)
			}
		}
		return append(b, '}'), nil
	case avro.Ref:
		return d.value(b, s.(*avro.RefSchema).Schema(), depth)
	}
	return nil, fmt.Errorf("unsupported schema type %q", s.Type())
}

// blocks reads an array's or map's blocks, calling item per item, within
// the item budget.
func (d *avroDecoder) blocks(item func() error) error {
	for {
		n, err := d.c.count()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if n > int64(d.budget) {
			return fmt.Errorf("a block claims %d items, more than a body of %d bytes can hold", n, len(d.c.b))
		}
		d.budget -= int(n)
		for range n {
			if err := item(); err != nil {
				return err
			}
		}
	}
}

func appendFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, bits)
	// 2.0 stays "2.0", not "2": in a union of int and double the integer
	// form would re-encode as the int branch.
	if !bytes.ContainsAny(b[start:], ".e") {
		b = append(b, ".0"...)
	}
	return b
}

func appendBase64(b, v []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v)
	return append(b, '"')
}

func appendDate(b []byte, days int64) []byte {
	if days < -719528 || days > 2932896 { // outside 0000-01-01 .. 9999-12-31
		return strconv.AppendInt(b, days, 10)
	}
	b = append(b, '"')
	b = time.Unix(days*86400, 0).UTC().AppendFormat(b, "2006-01-02")
	return append(b, '"')
}

func appendTimeOfDay(b []byte, nanos int64, layout string) []byte {
	if nanos < 0 || nanos >= int64(24*time.Hour) {
		switch layout {
		case "15:04:05.000":
			return strconv.AppendInt(b, nanos/int64(time.Millisecond), 10)
		default:
			return strconv.AppendInt(b, nanos/int64(time.Microsecond), 10)
		}
	}
	b = append(b, '"')
	b = time.Unix(0, nanos).UTC().AppendFormat(b, layout)
	return append(b, '"')
}

func appendTimestamp(b []byte, v int64, unix func(int64) time.Time, layout string) []byte {
	t := unix(v).UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return strconv.AppendInt(b, v, 10)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, layout)
	return append(b, '"')
}

// appendDecimal appends the two's-complement big-endian unscaled v at scale
// as an exact decimal string.
func appendDecimal(b, v []byte, scale int) ([]byte, error) {
	if len(v) > maxDecimalBytes {
		return nil, fmt.Errorf("a decimal of %d bytes (at most %d)", len(v), maxDecimalBytes)
	}
	n := new(big.Int).SetBytes(v)
	if len(v) > 0 && v[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(len(v))*8))
	}
	return appendJSONString(b, formatDecimal(n, scale)), nil
}

func formatDecimal(n *big.Int, scale int) string {
	neg := n.Sign() < 0
	digits := new(big.Int).Abs(n).String()
	if scale > 0 {
		if len(digits) <= scale {
			digits = strings.Repeat("0", scale-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// parseJSON decodes one JSON value keeping numbers exact.
func parseJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("not JSON: more than one value")
	}
	return v, nil
}

// pathError is an encoding error at a JSON path ("/customer/id").
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string {
	if e.path == "" {
		return e.err.Error()
	}
	return e.path + ": " + e.err.Error()
}

func (e *pathError) Unwrap() error { return e.err }

// at prefixes err's path with one step.
func at(step string, err error) error {
	step = "/" + strings.ReplaceAll(strings.ReplaceAll(step, "~", "~0"), "/", "~1")
	var pe *pathError
	if errors.As(err, &pe) {
		return &pathError{path: step + pe.path, err: pe.err}
	}
	return &pathError{path: step, err: err}
}

// encodeAvro turns natural JSON into an Avro body.
func encodeAvro(b []byte, s avro.Schema, jsonValue []byte) ([]byte, error) {
	v, err := parseJSON(jsonValue)
	if err != nil {
		return nil, err
	}
	out, err := encodeAvroValue(b, s, v, 0)
	if err != nil {
		return nil, fmt.Errorf("avro: %w", err)
	}
	return out, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func expected(what string, v any) error {
	return fmt.Errorf("expected %s, got %s", what, jsonKind(v))
}

func encodeAvroValue(b []byte, s avro.Schema, v any, depth int) ([]byte, error) {
	if depth > maxAvroDepth {
		return nil, fmt.Errorf("nested more than %d deep", maxAvroDepth)
	}
	switch s.Type() {
	case avro.Null:
		if v != nil {
			return nil, expected("null", v)
		}
		return b, nil
	case avro.Boolean:
		x, ok := v.(bool)
		if !ok {
			return nil, expected("boolean", v)
		}
		if x {
			return append(b, 1), nil
		}
		return append(b, 0), nil
	case avro.Int:
		var n int64
		var err error
		switch logicalType(s) {
		case avro.Date:
			n, err = parseLogical(v, func(s string) (int64, error) {
				t, err := time.Parse("2006-01-02", s)
				return t.Unix() / 86400, err
			})
		case avro.TimeMillis:
			n, err = parseLogical(v, timeOfDay(time.Millisecond))
		default:
			n, err = integer(v)
		}
		if err != nil {
			return nil, err
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, fmt.Errorf("%d is out of the int range", n)
		}
		return appendVarint(b, n), nil
	case avro.Long:
		var n int64
		var err error
		switch logicalType(s) {
		case avro.TimeMicros:
			n, err = parseLogical(v, timeOfDay(time.Microsecond))
		case avro.TimestampMillis:
			n, err = parseLogical(v, timestamp(time.RFC3339Nano, time.Millisecond))
		case avro.TimestampMicros:
			n, err = parseLogical(v, timestamp(time.RFC3339Nano, time.Microsecond))
		case avro.LocalTimestampMillis:
			n, err = parseLogical(v, timestamp("2006-01-02T15:04:05.999999999", time.Millisecond))
		case avro.LocalTimestampMicros:
			n, err = parseLogical(v, timestamp("2006-01-02T15:04:05.999999999", time.Microsecond))
		default:
			n, err = integer(v)
		}
		if err != nil {
			return nil, err
		}
		return appendVarint(b, n), nil
	case avro.Float:
		f, err := float(v, 32)
		if err != nil {
			return nil, err
		}
		return binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(f))), nil
	case avro.Double:
		f, err := float(v, 64)
		if err != nil {
			return nil, err
		}
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(f)), nil
	case avro.String:
		x, ok := v.(string)
		if !ok {
			return nil, expected("string", v)
		}
		b = appendVarint(b, int64(len(x)))
		return append(b, x...), nil
	case avro.Bytes:
		var raw []byte
		var err error
		if dec, ok := logicalOf(s).(*avro.DecimalLogicalSchema); ok {
			raw, err = decimalBytes(v, dec, 0)
		} else {
			raw, err = base64Bytes(v)
		}
		if err != nil {
			return nil, err
		}
		b = appendVarint(b, int64(len(raw)))
		return append(b, raw...), nil
	case avro.Fixed:
		fs := s.(*avro.FixedSchema)
		var raw []byte
		var err error
		if dec, ok := fs.Logical().(*avro.DecimalLogicalSchema); ok {
			raw, err = decimalBytes(v, dec, fs.Size())
		} else {
			raw, err = base64Bytes(v)
		}
		if err != nil {
			return nil, err
		}
		if len(raw) != fs.Size() {
			return nil, fmt.Errorf("fixed %s holds %d bytes, got %d", fs.FullName(), fs.Size(), len(raw))
		}
		return append(b, raw...), nil
	case avro.Enum:
		es := s.(*avro.EnumSchema)
		x, ok := v.(string)
		if !ok {
			return nil, expected("string (a symbol of enum "+es.FullName()+")", v)
		}
		for i, sym := range es.Symbols() {
			if sym == x {
				return appendVarint(b, int64(i)), nil
			}
		}
		return nil, fmt.Errorf("%q is not a symbol of enum %s %v", x, es.FullName(), es.Symbols())
	case avro.Array:
		items := s.(*avro.ArraySchema).Items()
		arr, ok := v.([]any)
		if !ok {
			return nil, expected("array", v)
		}
		if len(arr) > 0 {
			b = appendVarint(b, int64(len(arr)))
			for i, x := range arr {
				var err error
				if b, err = encodeAvroValue(b, items, x, depth+1); err != nil {
					return nil, at(strconv.Itoa(i), err)
				}
			}
		}
		return append(b, 0), nil
	case avro.Map:
		values := s.(*avro.MapSchema).Values()
		m, ok := v.(map[string]any)
		if !ok {
			return nil, expected("object", v)
		}
		if len(m) > 0 {
			keys := sortedKeys(m)
			b = appendVarint(b, int64(len(keys)))
			for _, k := range keys {
				b = appendVarint(b, int64(len(k)))
				b = append(b, k...)
				var err error
				if b, err = encodeAvroValue(b, values, m[k], depth+1); err != nil {
					return nil, at(k, err)
				}
			}
		}
		return append(b, 0), nil
	case avro.Union:
		types := s.(*avro.UnionSchema).Types()
		var firstErr error
		for i, t := range types {
			if (t.Type() == avro.Null) != (v == nil) {
				continue
			}
			out, err := encodeAvroValue(appendVarint(b, int64(i)), t, v, depth+1)
			if err == nil {
				return out, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
		if firstErr == nil {
			firstErr = expected("a non-null value", v)
		}
		return nil, fmt.Errorf("no branch of the union fits (first: %w)", firstErr)
	case avro.Record, avro.Error:
		rs := s.(*avro.RecordSchema)
		m, ok := v.(map[string]any)
		if !ok {
			return nil, expected("object (record "+rs.FullName()+")", v)
		}
		fields := rs.Fields()
		matched := 0
		for _, f := range fields {
			x, ok := m[f.Name()]
			if ok {
				matched++
			} else {
				if !f.HasDefault() {
					return nil, at(f.Name(), errors.New("missing, and the field has no default"))
				}
				var err error
				if b, err = encodeAvroDefault(b, f.Type(), f.Default(), depth+1); err != nil {
					return nil, at(f.Name(), fmt.Errorf("default: %w", err))
				}
				continue
			}
			var err error
			if b, err = encodeAvroValue(b, f.Type(), x, depth+1); err != nil {
				return nil, at(f.Name(), err)
			}
		}
		if matched < len(m) {
			names := make(map[string]bool, len(fields))
			for _, f := range fields {
				names[f.Name()] = true
			}
			for _, k := range sortedKeys(m) {
				if !names[k] {
					return nil, at(k, fmt.Errorf("not a field of record %s", rs.FullName()))
				}
			}
		}
		return b, nil
	case avro.Ref:
		return encodeAvroValue(b, s.(*avro.RefSchema).Schema(), v, depth)
	}
	return nil, fmt.Errorf("unsupported schema type %q", s.Type())
}

// encodeAvroDefault encodes a field's default as hamba parsed it (bytes
// and fixed as raw bytes, numbers as Go numbers, a union's for its first
// branch).
func encodeAvroDefault(b []byte, s avro.Schema, def any, depth int) ([]byte, error) {
	if depth > maxAvroDepth {
		return nil, fmt.Errorf("nested more than %d deep", maxAvroDepth)
	}
	switch s.Type() {
	case avro.Ref:
		return encodeAvroDefault(b, s.(*avro.RefSchema).Schema(), def, depth)
	case avro.Null:
		return b, nil
	case avro.Bytes, avro.Fixed:
		var raw []byte
		switch v := reflect.ValueOf(def); {
		case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
			raw = v.Bytes()
		case v.Kind() == reflect.Array && v.Type().Elem().Kind() == reflect.Uint8:
			raw = make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(raw), v)
		default:
			return nil, fmt.Errorf("%T for %s", def, s.Type())
		}
		if s.Type() == avro.Bytes {
			b = appendVarint(b, int64(len(raw)))
		}
		return append(b, raw...), nil
	case avro.Int:
		if v, ok := def.(int); ok {
			return appendVarint(b, int64(v)), nil
		}
	case avro.Long:
		if v, ok := def.(int64); ok {
			return appendVarint(b, v), nil
		}
	case avro.Float:
		if v, ok := def.(float32); ok {
			return binary.LittleEndian.AppendUint32(b, math.Float32bits(v)), nil
		}
	case avro.Double:
		if v, ok := def.(float64); ok {
			return binary.LittleEndian.AppendUint64(b, math.Float64bits(v)), nil
		}
	case avro.Array:
		if arr, ok := def.([]any); ok {
			if len(arr) > 0 {
				b = appendVarint(b, int64(len(arr)))
				for _, x := range arr {
					var err error
					if b, err = encodeAvroDefault(b, s.(*avro.ArraySchema).Items(), x, depth+1); err != nil {
						return nil, err
					}
				}
			}
			return append(b, 0), nil
		}
	case avro.Map:
		if m, ok := def.(map[string]any); ok {
			if len(m) > 0 {
				b = appendVarint(b, int64(len(m)))
				for _, k := range sortedKeys(m) {
					b = appendVarint(b, int64(len(k)))
					b = append(b, k...)
					var err error
					if b, err = encodeAvroDefault(b, s.(*avro.MapSchema).Values(), m[k], depth+1); err != nil {
						return nil, err
					}
				}
			}
			return append(b, 0), nil
		}
	case avro.Union:
		types := s.(*avro.UnionSchema).Types()
		return encodeAvroDefault(appendVarint(b, 0), types[0], def, depth+1)
	case avro.Record, avro.Error:
		if m, ok := def.(map[string]any); ok {
			for _, f := range s.(*avro.RecordSchema).Fields() {
				x, ok := m[f.Name()]
				if !ok {
					if !f.HasDefault() {
						return nil, fmt.Errorf("field %s missing", f.Name())
					}
					x = f.Default()
				}
				var err error
				if b, err = encodeAvroDefault(b, f.Type(), x, depth+1); err != nil {
					return nil, err
				}
			}
			return b, nil
		}
	default: // string, enum, boolean: as their JSON
		return encodeAvroValue(b, s, def, depth)
	}
	return nil, fmt.Errorf("%T for %s", def, s.Type())
}

func integer(v any) (int64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, expected("integer", v)
	}
	i, err := n.Int64()
	if err != nil {
		return 0, fmt.Errorf("expected a 64-bit integer, got %s", n)
	}
	return i, nil
}

func float(v any, bits int) (float64, error) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(x.String(), bits)
		if err != nil {
			return 0, fmt.Errorf("expected a number, got %s", x)
		}
		return f, nil
	case string:
		switch x {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
	}
	return 0, expected("number", v)
}

// parseLogical takes a logical value as its string form or its bare number.
func parseLogical(v any, parse func(string) (int64, error)) (int64, error) {
	if s, ok := v.(string); ok {
		n, err := parse(s)
		if err != nil {
			return 0, fmt.Errorf("%q: %w", s, err)
		}
		return n, nil
	}
	return integer(v)
}

func timeOfDay(unit time.Duration) func(string) (int64, error) {
	return func(s string) (int64, error) {
		t, err := time.Parse("15:04:05.999999999", s)
		if err != nil {
			return 0, err
		}
		d := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
			time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
		if d%unit != 0 {
			return 0, fmt.Errorf("more precise than %s", unit)
		}
		return int64(d / unit), nil
	}
}

func timestamp(layout string, unit time.Duration) func(string) (int64, error) {
	return func(s string) (int64, error) {
		t, err := time.Parse(layout, s)
		if err != nil {
			return 0, err
		}
		if t.Nanosecond()%int(unit) != 0 {
			return 0, fmt.Errorf("more precise than %s", unit)
		}
		if unit == time.Millisecond {
			return t.UnixMilli(), nil
		}
		return t.UnixMicro(), nil
	}
}

func base64Bytes(v any) ([]byte, error) {
	s, ok := v.(string)
	if !ok {
		return nil, expected("string (base64)", v)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not base64: %w", err)
	}
	return raw, nil
}

// decimalBytes turns a decimal string or number into the unscaled value's
// two's complement, big-endian: minimal (as Java's BigInteger writes it), or
// sign-extended to size when size > 0 (fixed).
func decimalBytes(v any, dec *avro.DecimalLogicalSchema, size int) ([]byte, error) {
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = x.String()
	default:
		return nil, expected("decimal (a string such as \"12.34\")", v)
	}
	if len(text) > 4096 {
		return nil, fmt.Errorf("a decimal of %d characters", len(text))
	}
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		// big.Rat would compute 10^exp whatever its size.
		if exp, err := strconv.Atoi(text[i+1:]); err != nil || exp > maxDecimalScale || exp < -maxDecimalScale {
			return nil, fmt.Errorf("%q is not a decimal number within 10^±%d", text, maxDecimalScale)
		}
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return nil, fmt.Errorf("%q is not a decimal number", text)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(dec.Scale())), nil)))
	if !r.IsInt() {
		return nil, fmt.Errorf("%s has more than the scale's %d fraction digits", text, dec.Scale())
	}
	n := r.Num()
	if p := dec.Precision(); p > 0 && len(new(big.Int).Abs(n).String()) > p {
		return nil, fmt.Errorf("%s has more than the precision's %d digits", text, p)
	}
	var out []byte
	if n.Sign() >= 0 {
		out = n.Bytes()
		if len(out) == 0 || out[0]&0x80 != 0 {
			out = append([]byte{0}, out...)
		}
	} else {
		m := new(big.Int).Neg(n)
		m.Sub(m, big.NewInt(1))
		out = m.Bytes()
		if len(out) == 0 || out[0]&0x80 != 0 {
			out = append([]byte{0}, out...)
		}
		for i := range out {
			out[i] = ^out[i]
		}
	}
	if size > 0 {
		if len(out) > size {
			return nil, fmt.Errorf("%s does not fit in %d bytes", text, size)
		}
		pad := byte(0)
		if n.Sign() < 0 {
			pad = 0xff
		}
		out = append(bytes.Repeat([]byte{pad}, size-len(out)), out...)
	}
	return out, nil
}

// avroSkeleton is a JSON value of s with a typed placeholder in every
// field, for the produce form.
func avroSkeleton(s avro.Schema) []byte {
	return appendAvroSkeleton(nil, s, map[string]bool{}, 0)
}

func appendAvroSkeleton(b []byte, s avro.Schema, onPath map[string]bool, depth int) []byte {
	if depth > 32 {
		return append(b, "null"...)
	}
	switch s.Type() {
	case avro.Null:
		return append(b, "null"...)
	case avro.Boolean:
		return append(b, "false"...)
	case avro.Int:
		switch logicalType(s) {
		case avro.Date:
			return append(b, `"1970-01-01"`...)
		case avro.TimeMillis:
			return append(b, `"00:00:00.000"`...)
		}
		return append(b, '0')
	case avro.Long:
		switch logicalType(s) {
		case avro.TimeMicros:
			return append(b, `"00:00:00.000000"`...)
		case avro.TimestampMillis:
			return append(b, `"1970-01-01T00:00:00.000Z"`...)
		case avro.TimestampMicros:
			return append(b, `"1970-01-01T00:00:00.000000Z"`...)
		case avro.LocalTimestampMillis:
			return append(b, `"1970-01-01T00:00:00.000"`...)
		case avro.LocalTimestampMicros:
			return append(b, `"1970-01-01T00:00:00.000000"`...)
		}
		return append(b, '0')
	case avro.Float, avro.Double:
		return append(b, "0.0"...)
	case avro.String:
		if logicalType(s) == avro.UUID {
			return append(b, `"00000000-0000-0000-0000-000000000000"`...)
		}
		return append(b, `""`...)
	case avro.Bytes:
		if dec, ok := logicalOf(s).(*avro.DecimalLogicalSchema); ok {
			return appendJSONString(b, formatDecimal(new(big.Int), dec.Scale()))
		}
		return append(b, `""`...)
	case avro.Fixed:
		fs := s.(*avro.FixedSchema)
		if dec, ok := fs.Logical().(*avro.DecimalLogicalSchema); ok {
			return appendJSONString(b, formatDecimal(new(big.Int), dec.Scale()))
		}
		return appendBase64(b, make([]byte, fs.Size()))
	case avro.Enum:
		if syms := s.(*avro.EnumSchema).Symbols(); len(syms) > 0 {
			return appendJSONString(b, syms[0])
		}
		return append(b, `""`...)
	case avro.Array:
		b = append(b, '[')
		b = appendAvroSkeleton(b, s.(*avro.ArraySchema).Items(), onPath, depth+1)
		return append(b, ']')
	case avro.Map:
		b = append(b, `{"key":`...)
		b = appendAvroSkeleton(b, s.(*avro.MapSchema).Values(), onPath, depth+1)
		return append(b, '}')
	case avro.Union:
		types := s.(*avro.UnionSchema).Types()
		for _, t := range types {
			if t.Type() != avro.Null && !onPath[namedOf(t)] {
				return appendAvroSkeleton(b, t, onPath, depth+1)
			}
		}
		return append(b, "null"...)
	case avro.Record, avro.Error:
		rs := s.(*avro.RecordSchema)
		if onPath[rs.FullName()] {
			return append(b, "null"...)
		}
		onPath[rs.FullName()] = true
		defer delete(onPath, rs.FullName())
		b = append(b, '{')
		for i, f := range rs.Fields() {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendJSONString(b, f.Name()), ':')
			b = appendAvroSkeleton(b, f.Type(), onPath, depth+1)
		}
		return append(b, '}')
	case avro.Ref:
		return appendAvroSkeleton(b, s.(*avro.RefSchema).Schema(), onPath, depth)
	}
	return append(b, "null"...)
}

// namedOf is the full name of a record (through a reference), "" otherwise.
func namedOf(s avro.Schema) string {
	if r, ok := s.(*avro.RefSchema); ok {
		s = r.Schema()
	}
	if r, ok := s.(*avro.RecordSchema); ok {
		return r.FullName()
	}
	return ""
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
