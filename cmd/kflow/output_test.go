package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestPrintJSONIsInert: --json output of every command (group ids, config
// values and client ids are free text) escapes C1 controls, DEL and the
// bidi and zero-width characters, and still decodes to the same value.
func TestPrintJSONIsInert(t *testing.T) {
	v := map[string]string{"group": "inv\u202eyrot\u0085\x7f\u200b\ufeff"}
	var b bytes.Buffer
	if err := printJSON(&b, v); err != nil {
		t.Fatal(err)
	}
	if want := `{"group":"inv\u202eyrot\u0085\u007f\u200b\ufeff"}` + "\n"; b.String() != want {
		t.Fatalf("printJSON wrote %q, want %q", b.String(), want)
	}
	var back map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back["group"] != v["group"] {
		t.Fatalf("decodes to %q (%v)", back, err)
	}
}

// TestNumberRanges: failed record numbers are written as runs.
func TestNumberRanges(t *testing.T) {
	for _, c := range []struct {
		in   []int64
		want string
	}{{[]int64{5}, "5"}, {[]int64{1, 2, 3, 7, 9, 10}, "1-3, 7, 9-10"}, {nil, ""}} {
		if got := numberRanges(c.in); got != c.want {
			t.Errorf("numberRanges(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
