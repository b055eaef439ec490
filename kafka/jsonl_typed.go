package kafka

import (
	"strconv"

	"kflow/kafka/schema"
)

// Typed is what a Schema Registry made of a record's key and value, for
// its JSON line. A decoded key or value is written as its JSON value, with
// key_schema / value_schema naming the schema it was written with;
// wire-format bytes that did not decode stay bytes, as without a registry,
// with the reason in key_schema_error / value_schema_error, so a record is
// never dropped for its schema.
type Typed struct {
	Key, Value       *schema.Decoded
	KeyErr, ValueErr error
	// KeyFormat and ValueFormat, when set, are the formats the user asked
	// for: a failure is then key_format_error / value_format_error.
	KeyFormat, ValueFormat schema.Format
}

// AppendTypedJSONLine is AppendJSONLine with t's decoded key and value.
// The decoded JSON is made inert (InertJSON) like every string kflow
// writes, so it is safe on a terminal too.
func AppendTypedJSONLine(dst []byte, r Record, t Typed) []byte {
	return appendJSONLine(dst, r, &t)
}

// appendField writes one key or value: decoded JSON and its schema, or the
// bytes and, when decoding failed, why.
func (t *Typed) appendField(dst, raw []byte, dec *schema.Decoded, err error, f schema.Format, name string) []byte {
	if dec != nil && raw != nil {
		dst = append(dst, InertJSON(dec.JSON)...)
		dst = append(dst, `,"`...)
		dst = append(dst, name...)
		if dec.Format.Named() {
			dst = append(dst, `_format":`...)
			return appendJSONString(dst, dec.Format.String())
		}
		dst = append(dst, `_schema":`...)
		return appendSchemaInfo(dst, dec.Schema)
	}
	dst = appendJSONBytes(dst, raw, name+"_encoding")
	if err != nil {
		dst = append(dst, `,"`...)
		dst = append(dst, name...)
		if f.Named() {
			dst = append(dst, `_format_error":`...)
		} else {
			dst = append(dst, `_schema_error":`...)
		}
		dst = appendJSONString(dst, err.Error())
	}
	return dst
}

// appendSchemaInfo writes {"id":N,"subject":"s","version":N,"type":"AVRO"},
// leaving out a subject and version the registry did not say.
func appendSchemaInfo(dst []byte, in schema.Info) []byte {
	dst = append(dst, `{"id":`...)
	dst = strconv.AppendInt(dst, int64(in.ID), 10)
	if in.Subject != "" {
		dst = append(dst, `,"subject":`...)
		dst = appendJSONString(dst, in.Subject)
	}
	if in.Version != 0 {
		dst = append(dst, `,"version":`...)
		dst = strconv.AppendInt(dst, int64(in.Version), 10)
	}
	dst = append(dst, `,"type":`...)
	dst = appendJSONString(dst, string(in.Type))
	return append(dst, '}')
}
