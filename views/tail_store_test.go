package views

import (
	"testing"

	"kflow/kafka"
)

// TestTailStoreByteBudget: the view's own window is bounded in bytes too,
// the newest record always stays, and evictions are counted.
func TestTailStoreByteBudget(t *testing.T) {
	s := newTailStore(100)
	mib := int64(1<<20 + kafka.RecordOverhead) // a 1 MiB record as held
	s.maxBytes = 3 * mib
	big := make([]byte, 1<<20)
	var f *TailFilter // nil matches every record
	for i := range 10 {
		s.add([]kafka.Record{{Offset: int64(i), Value: big}}, f)
	}
	if s.len() != 3 || s.evicted != 7 || s.held != 3*mib {
		t.Fatalf("after 10 records of 1 MiB in 3 MiB: %d held (%d bytes), %d evicted", s.len(), s.held, s.evicted)
	}
	if r, _ := s.at(0); r.Offset != 7 {
		t.Fatalf("oldest held is offset %d, want 7", r.Offset)
	}
	s.add([]kafka.Record{{Offset: 10, Value: make([]byte, 5<<20)}}, f)
	if s.len() != 1 || s.held != int64(5<<20+kafka.RecordOverhead) {
		t.Fatalf("a record over the whole budget: %d held (%d bytes)", s.len(), s.held)
	}
	s.add([]kafka.Record{{Offset: 11, Value: []byte("x")}}, f)
	if s.len() != 1 || s.held != int64(1+kafka.RecordOverhead) {
		t.Fatalf("after a small record: %d held (%d bytes)", s.len(), s.held)
	}
}
