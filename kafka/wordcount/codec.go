package wordcount

import (
	"encoding/binary"
	"fmt"
)

// EncodeCount is Kafka's LongSerializer: n as 8 big-endian bytes, the
// value format of WordCountDemo's output topic, so Java consumers (and
// kafka-console-consumer with LongDeserializer) read kflow's counts.
func EncodeCount(n int64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(n))
}

// DecodeCount is Kafka's LongDeserializer, the inverse of EncodeCount. It
// refuses anything but exactly 8 bytes, since a count topic holding other
// values is a misconfiguration worth reporting, not guessing at.
func DecodeCount(b []byte) (int64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("decode count: want 8 bytes (a big-endian long), got %d", len(b))
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}
