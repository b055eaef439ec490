package kafka

import (
	"strconv"
	"time"
)

// JSONLines writes JSON lines byte for byte as AppendJSONLine does,
// remembering what the records of a fetch share: the topic's quoted name
// and the timestamp's second (its date and time, its Unix digits), so
// that a line costs only its own fields. The zero value is ready; one per
// goroutine.
type JSONLines struct {
	topic     string
	topicJSON []byte
	sec       int64    // the Unix second of stamp and secDigits; 0: none yet
	stamp     [20]byte // "2006-01-02T15:04:05." of sec, in UTC
	secDigits []byte   // sec in decimal
}

// Append appends r's JSON line, without the newline.
func (j *JSONLines) Append(dst []byte, r *Record) []byte { return appendJSONLineTo(dst, r, nil, j) }

// AppendTyped is Append with t's decoded key and value (AppendTypedJSONLine).
func (j *JSONLines) AppendTyped(dst []byte, r *Record, t *Typed) []byte {
	return appendJSONLineTo(dst, r, t, j)
}

// appendTopic writes topic as a JSON string, quoted once per topic.
func (j *JSONLines) appendTopic(dst []byte, topic string) []byte {
	if topic != j.topic || j.topicJSON == nil {
		j.topic, j.topicJSON = topic, appendJSONString(j.topicJSON[:0], topic)
	}
	return append(dst, j.topicJSON...)
}

// maxStampSec is 10000-01-01T00:00:00Z: from there on a year has five
// digits and appendTimestamp takes time.Format's path.
const maxStampSec = 253402300800

// appendTimes writes the timestamp, `","timestamp_ms":` and its Unix
// milliseconds, as appendJSONLine does, from the remembered second when ts
// falls in it. Times before 1970-01-01T00:00:01Z or from the year 10000
// on, whose digits do not split that way, are written in full.
func (j *JSONLines) appendTimes(dst []byte, ts time.Time) []byte {
	ms := ts.UnixMilli()
	sec := ms / 1000
	if sec < 1 || sec >= maxStampSec {
		return appendTimesFull(dst, ts)
	}
	if sec != j.sec {
		var full [24]byte // 2006-01-02T15:04:05.000Z
		copy(j.stamp[:], appendTimestamp(full[:0], ts))
		j.secDigits = strconv.AppendInt(j.secDigits[:0], sec, 10)
		j.sec = sec
	}
	m := ms % 1000
	d0, d1, d2 := byte('0'+m/100), byte('0'+m/10%10), byte('0'+m%10)
	dst = append(dst, j.stamp[:]...)
	dst = append(dst, d0, d1, d2, 'Z')
	dst = append(dst, `","timestamp_ms":`...)
	dst = append(dst, j.secDigits...)
	return append(dst, d0, d1, d2)
}

// appendTimesFull is appendTimes without remembering.
func appendTimesFull(dst []byte, ts time.Time) []byte {
	dst = appendTimestamp(dst, ts)
	dst = append(dst, `","timestamp_ms":`...)
	return appendInt(dst, ts.UnixMilli())
}
