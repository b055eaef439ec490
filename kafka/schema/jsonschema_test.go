package schema

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/sr"
)

const jsonCustomer = `{"type":"object","properties":{"id":{"type":"string"},"vip":{"type":"boolean"}},"required":["id"]}`

const jsonOrder = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "qty": {"type": "integer", "minimum": 1},
    "status": {"enum": ["NEW", "PAID"]},
    "customer": {"$ref": "customer.json"},
    "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}},
    "note": {"oneOf": [{"type": "null"}, {"type": "string"}]}
  },
  "required": ["id", "customer"],
  "$defs": {"line": {"type": "object", "properties": {"sku": {"type": "string"}}}}
}`

// TestJSONSchema: the body decodes to compact JSON; encoding validates
// (with a $ref into another subject) and names the failing field's path.
func TestJSONSchema(t *testing.T) {
	reg, cl := testRegistry(t)
	ctx := ctxT(t)
	cs := uniqueSubject(t, "jcustomer")
	c := register(t, cl, cs, sr.Schema{Schema: jsonCustomer, Type: sr.TypeJSON})
	os := uniqueSubject(t, "jorder")
	o := register(t, cl, os, sr.Schema{Schema: jsonOrder, Type: sr.TypeJSON, References: []sr.SchemaReference{
		{Name: "customer.json", Subject: cs, Version: c.Version},
	}})
	enc, err := reg.Encoder(ctx, os, -1)
	if err != nil {
		t.Fatal(err)
	}
	x := `{"id": "o-1", "qty": 2, "status": "PAID", "customer": {"id": "c-1"}, "lines": [{"sku": "s"}], "note": null}`
	b, err := enc.Encode([]byte(x))
	if err != nil {
		t.Fatal(err)
	}
	compact := `{"id":"o-1","qty":2,"status":"PAID","customer":{"id":"c-1"},"lines":[{"sku":"s"}],"note":null}`
	if string(b[5:]) != compact || WireID(b) != o.ID {
		t.Fatalf("Encode = id %d %s, want id %d %s", WireID(b), b[5:], o.ID, compact)
	}
	d, err := NewDecoder(reg, DecoderOptions{}).Decode(ctx, b)
	if err != nil || string(d.JSON) != compact || d.Schema.Type != JSONSchema {
		t.Fatalf("Decode = %s %+v, %v", d.JSON, d.Schema, err)
	}

	// Bytes an independent producer writes (encoding/json, compact)
	// survive Decode then Encode, over random values.
	type line struct {
		SKU string `json:"sku"`
	}
	type order struct {
		ID       string            `json:"id"`
		Qty      int               `json:"qty,omitempty"`
		Status   string            `json:"status,omitempty"`
		Customer map[string]any    `json:"customer"`
		Lines    []line            `json:"lines,omitempty"`
		Note     *string           `json:"note"`
		Extra    map[string]string `json:"extra,omitempty"`
	}
	rng := rand.New(rand.NewPCG(5, 6))
	word := func() string { return []string{"", "a", "o-\u00e9\"", "c<1>&", "\u2028", "x y"}[rng.IntN(6)] }
	dec := NewDecoder(reg, DecoderOptions{})
	for i := range 100 {
		x := order{ID: word(), Qty: rng.IntN(5) + 1, Status: []string{"", "NEW", "PAID"}[rng.IntN(3)],
			Customer: map[string]any{"id": word()}}
		if rng.IntN(2) == 1 {
			x.Customer["vip"] = rng.IntN(2) == 1
		}
		for range rng.IntN(3) {
			x.Lines = append(x.Lines, line{word()})
		}
		if rng.IntN(2) == 1 {
			n := word()
			x.Note = &n
		}
		if rng.IntN(2) == 1 {
			x.Extra = map[string]string{word(): word(), "k": word()}
		}
		body, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		indep := append(appendWireHeader(nil, o.ID), body...)
		d, err := dec.Decode(ctx, indep)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		again, err := enc.Encode(d.JSON)
		if err != nil || !bytes.Equal(again, indep) {
			t.Fatalf("case %d: Encode(Decode(b)) = %q, %v; want %q", i, again, err, indep)
		}
	}

	for _, tc := range []struct{ in, want string }{
		{`{"id":"o","customer":{"id":5}}`, "/customer/id: expected string, got number"},
		{`{"id":"o","customer":{}}`, "/customer: missing property 'id'"},
		{`{"id":"o","customer":{"id":"c"},"qty":0}`, "/qty: "},
		{`{"id":"o","customer":{"id":"c"},"lines":[{"sku":1}]}`, "/lines/0/sku: expected string, got number"},
		{`{"id":`, "not JSON"},
	} {
		_, err := enc.Encode([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Encode(%s) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}

	sk := enc.Skeleton()
	if want := `{"customer":{"id":"","vip":false},"id":"","lines":[{"sku":""}],"note":"","qty":0,"status":"NEW"}`; string(sk) != want {
		t.Errorf("Skeleton\n got %s\nwant %s", sk, want)
	}
}
