package schema

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/twmb/franz-go/pkg/sr"
)

// localDecoder is a Decoder with schemas compiled from the test's texts
// and no registry: only Cached (and Decode of these ids) may be used.
func localDecoder(tb testing.TB) (*Decoder, map[int]*Encoder) {
	tb.Helper()
	av, err := compileAvro(avroOrderSchema, []refDoc{{name: "com.example.Customer", schema: sr.Schema{Schema: avroCustomerSchema}}})
	if err != nil {
		tb.Fatal(err)
	}
	pb, err := compileProto(context.Background(), protoOrder, []refDoc{{name: "kflow/common.proto", schema: sr.Schema{Schema: protoCommon}}})
	if err != nil {
		tb.Fatal(err)
	}
	js, err := newJSONSchema(jsonOrder, []refDoc{{name: "customer.json", schema: sr.Schema{Schema: jsonCustomer}}})
	if err != nil {
		tb.Fatal(err)
	}
	list, err := compileAvro(`{"type":"record","name":"L","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","L"]}]}`, nil)
	if err != nil {
		tb.Fatal(err)
	}
	d := NewDecoder(nil, DecoderOptions{})
	encs := map[int]*Encoder{}
	for id, c := range map[int]*compiled{
		1: {info: Info{ID: 1, Type: Avro}, avro: av},
		2: {info: Info{ID: 2, Type: Protobuf}, proto: pb},
		3: {info: Info{ID: 3, Type: JSONSchema}, json: js},
		4: {info: Info{ID: 4, Type: Avro}, avro: list},
	} {
		d.store(id, c, nil)
		e := &Encoder{c: c}
		if c.proto != nil {
			e.md, _ = c.proto.firstMessage()
		}
		encs[id] = e
	}
	return d, encs
}

// FuzzDecode: whatever the bytes, decoding returns valid JSON or a
// *DecodeError (ErrNotWireFormat for bytes not in the format), never a
// panic, and never asks the network for a known id.
func FuzzDecode(f *testing.F) {
	d, encs := localDecoder(f)
	for id, x := range map[int]string{
		1: `{"id":"o-1","amount":"-12.34","day":"2026-12-01","at":"2026-12-01T10:11:12.345Z",` +
			`"at_micros":"2026-12-01T10:11:12.345678Z","clock":"23:59:59.999","uuid":"8f3c2a1e-6b7d-4c2f-9a1e-0d5b3c7e9f21",` +
			`"status":"PAID","tags":["a","b"],"attrs":{"k":7},"note":"hi","raw":"AAEC/w==","hash":"3q2+7w==",` +
			`"customer":{"id":"c-9","tier":"GOLD"},"f":1.5,"d":-2.25e+20,"ok":true}`,
		2: `{"id":"o","amountCents":"-5","tags":["t"],"attrs":{"a":1},"status":"PAID","at":"2026-12-01T10:11:12Z",` +
			`"customer":{"id":"c","vip":true},"card":"x","raw":"AAE=","d":1.5,"lines":[{"sku":"s","qty":2}]}`,
		3: `{"id":"o-1","customer":{"id":"c-1"},"lines":[{"sku":"s"}],"note":null}`,
		4: `{"v":1,"next":{"v":2,"next":{"v":3,"next":null}}}`,
	} {
		b, err := encs[id].Encode([]byte(x))
		if err != nil {
			f.Fatalf("seed %d: %v", id, err)
		}
		f.Add(b)
	}
	f.Add([]byte{0, 0, 0, 0, 1})
	f.Add([]byte{0, 0, 0, 0, 2, 2, 4})
	f.Add([]byte{0, 0, 0, 0, 2, 200, 1})
	f.Add([]byte{0, 0, 0, 0, 4, 2, 2, 2, 2, 2})
	f.Add([]byte{0, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte("plain text"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dec, ok, err := d.Cached(b)
		id := -1
		if IsWireFormat(b) {
			id = WireID(b)
		}
		switch {
		case !IsWireFormat(b):
			if !ok || !errors.Is(err, ErrNotWireFormat) {
				t.Fatalf("not wire format: %v, %v", ok, err)
			}
			return
		case id < 0 || encs[id] != nil:
			if !ok {
				t.Fatalf("id %d: Cached not ok", id)
			}
		default:
			if ok {
				t.Fatalf("id %d is not known but Cached answered", id)
			}
			return
		}
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.ID != id {
				t.Fatalf("err %v (%T), want a *DecodeError of id %d", err, err, id)
			}
			return
		}
		if !json.Valid(dec.JSON) {
			t.Fatalf("invalid JSON %q", dec.JSON)
		}
	})
}

// BenchmarkDecodeAvro decodes one ~200-byte Avro record with its schema
// already compiled (the tail's steady state).
func BenchmarkDecodeAvro(b *testing.B) {
	d, encs := localDecoder(b)
	rec, err := encs[1].Encode([]byte(`{"id":"order-000123456","amount":"1234.56","day":"2026-12-01",` +
		`"at":"2026-12-01T10:11:12.345Z","at_micros":"2026-12-01T10:11:12.345678Z","clock":"23:59:59.999",` +
		`"uuid":"8f3c2a1e-6b7d-4c2f-9a1e-0d5b3c7e9f21","status":"PAID","tags":["express","gift","fragile"],` +
		`"attrs":{"weight_g":1250,"boxes":2},"note":"leave at the door, ring twice","raw":"AAECAwQFBgcICQ==",` +
		`"hash":"3q2+7w==","customer":{"id":"customer-42-alpha","tier":"GOLD"},"f":1.5,"d":-2.25e+20,"ok":true}`))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("record: %d bytes", len(rec))
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(rec)))
	for b.Loop() {
		if _, err := d.Decode(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
}
