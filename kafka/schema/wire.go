package schema

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// errTruncated is a body that ends before its schema says it does.
var errTruncated = errors.New("truncated: the body ends early")

// cursor reads Avro's and the wire format's primitives from a body. Every
// length it returns is checked against the bytes left, so a length that
// claims gigabytes fails at once instead of allocating.
type cursor struct {
	b   []byte
	off int
}

func (c *cursor) left() int { return len(c.b) - c.off }

// varint reads a zig-zag varint (Avro's int and long, the Protobuf message
// indexes of the wire format).
func (c *cursor) varint() (int64, error) {
	u, n := binary.Uvarint(c.b[c.off:])
	if n == 0 {
		return 0, errTruncated
	}
	if n < 0 {
		return 0, errors.New("varint overflows 64 bits")
	}
	c.off += n
	return int64(u>>1) ^ -int64(u&1), nil
}

func (c *cursor) int32() (int32, error) {
	v, err := c.varint()
	if err != nil {
		return 0, err
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, fmt.Errorf("int %d out of the 32-bit range", v)
	}
	return int32(v), nil
}

func (c *cursor) next(n int) ([]byte, error) {
	if n < 0 || n > c.left() {
		return nil, errTruncated
	}
	b := c.b[c.off : c.off+n]
	c.off += n
	return b, nil
}

// bytes reads a length-prefixed byte string (Avro bytes and string).
func (c *cursor) bytes() ([]byte, error) {
	n, err := c.varint()
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("negative length %d", n)
	}
	if n > int64(c.left()) {
		return nil, fmt.Errorf("length %d is more than the %d bytes left", n, c.left())
	}
	return c.next(int(n))
}

// count reads an Avro block count: a negative count is followed by the
// block's size in bytes, which is skipped.
func (c *cursor) count() (int64, error) {
	n, err := c.varint()
	if err != nil {
		return 0, err
	}
	if n < 0 {
		if n == math.MinInt64 {
			return 0, errors.New("block count out of range")
		}
		n = -n
		if _, err := c.varint(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// appendVarint appends v as a zig-zag varint.
func appendVarint(b []byte, v int64) []byte {
	return binary.AppendUvarint(b, uint64(v<<1)^uint64(v>>63))
}

// appendWireHeader appends the magic byte and the schema id.
func appendWireHeader(b []byte, id int) []byte {
	return binary.BigEndian.AppendUint32(append(b, 0), uint32(id))
}

// appendJSONString appends s, a string or bytes, as a JSON string;
// invalid UTF-8 becomes U+FFFD as encoding/json does. Generic, so bytes on
// the decode path are not copied to a string first.
func appendJSONString[S ~string | ~[]byte](b []byte, s S) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
