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
