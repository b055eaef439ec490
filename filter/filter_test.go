package filter

import (
	"testing"

	"kflow/kafka"
)

func TestExactKey(t *testing.T) {
	f, err := Parse("key:=order-7")
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := f.Key(); !ok || string(k) != "order-7" {
		t.Errorf("Key() = %q, %v", k, ok)
	}
	if !f.Match(&kafka.Record{Key: []byte("order-7")}) || f.Match(&kafka.Record{Key: []byte("order-70")}) {
		t.Error("key:= must match the key exactly")
	}
	g, _ := Parse("key:order")
	if _, ok := g.Key(); ok || !g.Match(&kafka.Record{Key: []byte("order-70")}) {
		t.Error("key: stays a substring filter")
	}
}
