package schema

import (
	"errors"
	"strconv"
)

// Type is a schema's kind as the registry names it.
type Type string

// The schema types of the Confluent API.
const (
	Avro       Type = "AVRO"
	Protobuf   Type = "PROTOBUF"
	JSONSchema Type = "JSON"
)

// Info names the schema a key or value was written with, as kflow shows it
// (the detail pane, `kflow tail --json`'s value_schema).
type Info struct {
	ID      int    `json:"id"`
	Subject string `json:"subject,omitempty"`
	Version int    `json:"version,omitempty"`
	Type    Type   `json:"type"`
}

// Decoded is a key or value decoded through its schema.
type Decoded struct {
	// JSON is the value as compact JSON.
	JSON []byte
	// Schema is the schema it was written with; zero when Format read it.
	Schema Info
	// Format, when set, is the format the user asked for (--value-format)
	// that read it instead of a schema.
	Format Format
}

// ErrNotWireFormat is Decode's answer for bytes that are not in the wire
// format: the caller shows them as it would without a registry.
var ErrNotWireFormat = errors.New("not in the schema registry wire format")

// DecodeError says why wire-format bytes could not be decoded (unknown id,
// bytes that do not match the schema, the registry unreachable): the record
// is shown raw with this reason, never dropped.
type DecodeError struct {
	ID     int
	Reason error
}

func (e *DecodeError) Error() string {
	return "schema id " + strconv.Itoa(e.ID) + ": " + e.Reason.Error()
}

// Unwrap is the reason.
func (e *DecodeError) Unwrap() error { return e.Reason }

// IsWireFormat reports whether b starts as a wire-format record does: magic
// byte 0 and a 4-byte schema id, with at least one body byte or none.
func IsWireFormat(b []byte) bool { return len(b) >= 5 && b[0] == 0 }

// WireID is the schema id of wire-format bytes (IsWireFormat must hold).
func WireID(b []byte) int {
	return int(int32(uint32(b[1])<<24 | uint32(b[2])<<16 | uint32(b[3])<<8 | uint32(b[4])))
}
