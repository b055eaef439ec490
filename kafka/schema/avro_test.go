package schema

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/hamba/avro/v2"
	"github.com/twmb/franz-go/pkg/sr"
)

const avroCustomerSchema = `{"type":"record","name":"Customer","namespace":"com.example","fields":[
 {"name":"id","type":"string"},
 {"name":"tier","type":{"type":"enum","name":"Tier","symbols":["BRONZE","SILVER","GOLD"]}}]}`

// avroOrderSchema uses every type and logical type the decoder supports,
// and com.example.Customer, which a reference brings in.
const avroOrderSchema = `{"type":"record","name":"Order","namespace":"com.example","fields":[
 {"name":"id","type":"string"},
 {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
 {"name":"day","type":{"type":"int","logicalType":"date"}},
 {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
 {"name":"at_micros","type":{"type":"long","logicalType":"timestamp-micros"}},
 {"name":"clock","type":{"type":"int","logicalType":"time-millis"}},
 {"name":"uuid","type":{"type":"string","logicalType":"uuid"}},
 {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","SHIPPED"]}},
 {"name":"tags","type":{"type":"array","items":"string"}},
 {"name":"attrs","type":{"type":"map","values":"long"}},
 {"name":"note","type":["null","string"],"default":null},
 {"name":"raw","type":"bytes"},
 {"name":"hash","type":{"type":"fixed","name":"Hash4","size":4}},
 {"name":"customer","type":"com.example.Customer"},
 {"name":"f","type":"float"},
 {"name":"d","type":"double"},
 {"name":"ok","type":"boolean"}]}`

// avroUnionSchema has a union of several non-null branches, a record
// among them.
const avroUnionSchema = `{"type":"record","name":"Choice","namespace":"com.example","fields":[
 {"name":"pick","type":["null","int","string","com.example.Customer"]},
 {"name":"later","type":["null","long"],"default":null}]}`

// avroCustomer and avroOrder are how an independent producer writes the
// schemas: hamba's struct codec.
type avroCustomer struct {
	ID   string `avro:"id"`
	Tier string `avro:"tier"`
}

type avroOrder struct {
	ID       string           `avro:"id"`
	Amount   *big.Rat         `avro:"amount"`
	Day      time.Time        `avro:"day"`
	At       time.Time        `avro:"at"`
	AtMicros time.Time        `avro:"at_micros"`
	Clock    time.Duration    `avro:"clock"`
	UUID     string           `avro:"uuid"`
	Status   string           `avro:"status"`
	Tags     []string         `avro:"tags"`
	Attrs    map[string]int64 `avro:"attrs"`
	Note     *string          `avro:"note"`
	Raw      []byte           `avro:"raw"`
	Hash     [4]byte          `avro:"hash"`
	Customer avroCustomer     `avro:"customer"`
	F        float32          `avro:"f"`
	D        float64          `avro:"d"`
	OK       bool             `avro:"ok"`
}

func randomOrder(rng *rand.Rand) avroOrder {
	word := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyzé\"\\\n€"
		rs := []rune(letters)
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteRune(rs[rng.IntN(len(rs))])
		}
		return b.String()
	}
	o := avroOrder{
		ID:       word(),
		Amount:   new(big.Rat).SetFrac64(rng.Int64N(2_000_000_000)-1_000_000_000, 100),
		Day:      time.Unix(rng.Int64N(200*365)*86400, 0).UTC(),
		At:       time.UnixMilli(rng.Int64N(4_000_000_000_000)).UTC(),
		AtMicros: time.UnixMicro(rng.Int64N(4_000_000_000_000_000)).UTC(),
		Clock:    time.Duration(rng.Int64N(86_400_000)) * time.Millisecond,
		UUID:     "8f3c2a1e-6b7d-4c2f-9a1e-0d5b3c7e9f21",
		Status:   []string{"NEW", "PAID", "SHIPPED"}[rng.IntN(3)],
		Raw:      []byte(word()),
		Customer: avroCustomer{ID: word(), Tier: []string{"BRONZE", "SILVER", "GOLD"}[rng.IntN(3)]},
		F:        rng.Float32() * 1000,
		D:        rng.NormFloat64() * 1e9,
		OK:       rng.IntN(2) == 1,
	}
	for range rng.IntN(4) {
		o.Tags = append(o.Tags, word())
	}
	// At most one map entry: a map's order on the wire is the writer's
	// choice (hamba's is Go's random one), so byte equality needs one.
	o.Attrs = map[string]int64{}
	if rng.IntN(2) == 1 {
		o.Attrs[word()] = rng.Int64() - rng.Int64()
	}
	if rng.IntN(2) == 1 {
		n := word()
		o.Note = &n
	}
	rng.Shuffle(4, func(i, j int) { o.Hash[i], o.Hash[j] = o.Hash[j], o.Hash[i] })
	o.Hash[rng.IntN(4)] = byte(rng.IntN(256))
	return o
}

// TestAvroRoundTripProperty checks both laws against the registry: for bytes
// an independent producer writes (franz-go's sr.Serde with hamba's struct
// codec) Encode(Decode(b)) == b, and Decode(Encode(x)) == x.
func TestAvroRoundTripProperty(t *testing.T) {
	reg, cl := testRegistry(t)
	ctx := ctxT(t)
	custSubj := uniqueSubject(t, "customer")
	cust := register(t, cl, custSubj, sr.Schema{Schema: avroCustomerSchema})
	orderSubj := uniqueSubject(t, "order")
	order := register(t, cl, orderSubj, sr.Schema{Schema: avroOrderSchema, References: []sr.SchemaReference{
		{Name: "com.example.Customer", Subject: custSubj, Version: cust.Version},
	}})

	cache := &avro.SchemaCache{}
	if _, err := avro.ParseWithCache(avroCustomerSchema, "", cache); err != nil {
		t.Fatal(err)
	}
	hs, err := avro.ParseWithCache(avroOrderSchema, "", cache)
	if err != nil {
		t.Fatal(err)
	}
	api := avro.Config{DisableBlockSizeHeader: true}.Freeze() // blocks as Java writes them
	var serde sr.Serde
	serde.Register(order.ID, avroOrder{},
		sr.EncodeFn(func(v any) ([]byte, error) { return api.Marshal(hs, v) }),
		sr.DecodeFn(func(b []byte, v any) error { return api.Unmarshal(hs, b, v) }))

	dec := NewDecoder(reg, DecoderOptions{})
	enc, err := reg.Encoder(ctx, orderSubj, -1)
	if err != nil {
		t.Fatal(err)
	}
	if got := enc.Info(); got.ID != order.ID || got.Subject != orderSubj || got.Type != Avro {
		t.Fatalf("Encoder.Info = %+v, want id %d subject %s AVRO", got, order.ID, orderSubj)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		o := randomOrder(rng)
		b, err := serde.Encode(o)
		if err != nil {
			t.Fatal(err)
		}
		d, err := dec.Decode(ctx, b)
		if err != nil {
			t.Fatalf("case %d: Decode: %v", i, err)
		}
		if d.Schema.ID != order.ID || d.Schema.Type != Avro {
			t.Fatalf("Decoded.Schema = %+v", d.Schema)
		}
		again, err := enc.Encode(d.JSON)
		if err != nil {
			t.Fatalf("case %d: Encode(%s): %v", i, d.JSON, err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("case %d: Encode(Decode(b)) != b\n json %s\n b    %x\n got  %x", i, d.JSON, b, again)
		}
		// And the other way: the decoded JSON is an x with Decode(Encode(x)) == x.
		d2, err := dec.Decode(ctx, again)
		if err != nil || !jsonEqual(t, d2.JSON, d.JSON) {
			t.Fatalf("case %d: Decode(Encode(x)) = %s, %v; want %s", i, d2.JSON, err, d.JSON)
		}
		var back avroOrder
		if err := serde.Decode(again, &back); err != nil {
			t.Fatalf("case %d: the independent decoder rejects Encode's bytes: %v", i, err)
		}
	}
}

// TestAvroNaturalJSON pins the JSON conventions on one hand-written value.
func TestAvroNaturalJSON(t *testing.T) {
	reg, cl := testRegistry(t)
	ctx := ctxT(t)
	custSubj := uniqueSubject(t, "customer")
	cust := register(t, cl, custSubj, sr.Schema{Schema: avroCustomerSchema})
	orderSubj := uniqueSubject(t, "order")
	register(t, cl, orderSubj, sr.Schema{Schema: avroOrderSchema, References: []sr.SchemaReference{
		{Name: "com.example.Customer", Subject: custSubj, Version: cust.Version},
	}})
	enc, err := reg.Encoder(ctx, orderSubj, -1)
	if err != nil {
		t.Fatal(err)
	}
	x := `{"id":"o-1","amount":"-12.34","day":"2026-12-01","at":"2026-12-01T10:11:12.345Z",` +
		`"at_micros":"2026-12-01T10:11:12.345678Z","clock":"23:59:59.999","uuid":"8f3c2a1e-6b7d-4c2f-9a1e-0d5b3c7e9f21",` +
		`"status":"PAID","tags":["a","b"],"attrs":{"k":7},"note":"hi","raw":"AAEC/w==","hash":"3q2+7w==",` +
		`"customer":{"id":"c-9","tier":"GOLD"},"f":1.5,"d":-2.25e+20,"ok":true}`
	b, err := enc.Encode([]byte(x))
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDecoder(reg, DecoderOptions{}).Decode(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.JSON) != x {
		t.Fatalf("Decode(Encode(x))\n got %s\nwant %s", d.JSON, x)
	}
	if d.Schema.Subject != orderSubj || d.Schema.Version != 1 {
		t.Errorf("Decoded.Schema = %+v, want subject %s version 1 (GET /schemas/ids/ID/versions)", d.Schema, orderSubj)
	}

	// A decimal with more digits than the scale, an unknown field, a
	// wrong type: each named at its path.
	for _, tc := range []struct{ edit, want string }{
		{`"amount":"1.234"`, "/amount: 1.234 has more than the scale's 2 fraction digits"},
		{`"extra":1,"amount":"1.00"`, "/extra: not a field of record com.example.Order"},
		{`"amount":"1.00","customer":{"id":5,"tier":"GOLD"}`, "/customer/id: expected string, got number"},
		{`"amount":"1.00","status":"LOST"`, `/status: "LOST" is not a symbol of enum com.example.Status`},
	} {
		bad := strings.Replace(x, `"amount":"-12.34"`, tc.edit, 1)
		if tc.edit == `"amount":"1.00","customer":{"id":5,"tier":"GOLD"}` {
			bad = strings.Replace(strings.Replace(x, `,"customer":{"id":"c-9","tier":"GOLD"}`, "", 1), `"amount":"-12.34"`, tc.edit, 1)
		}
		if tc.edit == `"amount":"1.00","status":"LOST"` {
			bad = strings.Replace(strings.Replace(x, `,"status":"PAID"`, "", 1), `"amount":"-12.34"`, tc.edit, 1)
		}
		_, err := enc.Encode([]byte(bad))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Encode(%s) = %v, want an error containing %q", tc.edit, err, tc.want)
		}
	}
}

// TestAvroUnions checks unions are bare values, resolved on encoding by the
// first branch the value fits, with a record branch from a reference.
func TestAvroUnions(t *testing.T) {
	reg, cl := testRegistry(t)
	ctx := ctxT(t)
	custSubj := uniqueSubject(t, "customer")
	cust := register(t, cl, custSubj, sr.Schema{Schema: avroCustomerSchema})
	subj := uniqueSubject(t, "choice")
	register(t, cl, subj, sr.Schema{Schema: avroUnionSchema, References: []sr.SchemaReference{
		{Name: "com.example.Customer", Subject: custSubj, Version: cust.Version},
	}})
	enc, err := reg.Encoder(ctx, subj, -1)
	if err != nil {
		t.Fatal(err)
	}
	dec := NewDecoder(reg, DecoderOptions{})
	for _, tc := range []struct {
		in, out string
		branch  byte
	}{
		{`{"pick":null,"later":null}`, `{"pick":null,"later":null}`, 0},
		{`{"pick":7,"later":9000000000}`, `{"pick":7,"later":9000000000}`, 2},
		{`{"pick":"seven","later":null}`, `{"pick":"seven","later":null}`, 4},
		{`{"pick":{"id":"c","tier":"SILVER"}}`, `{"pick":{"id":"c","tier":"SILVER"},"later":null}`, 6},
	} {
		b, err := enc.Encode([]byte(tc.in))
		if err != nil {
			t.Fatalf("Encode(%s): %v", tc.in, err)
		}
		if b[5] != tc.branch {
			t.Errorf("Encode(%s): union index byte %d, want %d", tc.in, b[5], tc.branch)
		}
		d, err := dec.Decode(ctx, b)
		if err != nil || string(d.JSON) != tc.out {
			t.Errorf("Decode(Encode(%s)) = %s, %v; want %s", tc.in, d.JSON, err, tc.out)
		}
	}
	if _, err := enc.Encode([]byte(`{"pick":true}`)); err == nil || !strings.Contains(err.Error(), "/pick: no branch of the union fits") {
		t.Errorf("Encode of a boolean into [null,int,string,Customer] = %v, want no branch fits", err)
	}

	sk := enc.Skeleton()
	if want := `{"pick":0,"later":0}`; string(sk) != want {
		t.Errorf("Skeleton = %s, want %s", sk, want)
	}
}

// TestAvroSkeleton checks the produce form's starting value: every field
// with a typed placeholder, and one Encode accepts.
func TestAvroSkeleton(t *testing.T) {
	reg, cl := testRegistry(t)
	ctx := ctxT(t)
	custSubj := uniqueSubject(t, "customer")
	cust := register(t, cl, custSubj, sr.Schema{Schema: avroCustomerSchema})
	orderSubj := uniqueSubject(t, "order")
	register(t, cl, orderSubj, sr.Schema{Schema: avroOrderSchema, References: []sr.SchemaReference{
		{Name: "com.example.Customer", Subject: custSubj, Version: cust.Version},
	}})
	enc, err := reg.Encoder(ctx, orderSubj, -1)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"","amount":"0.00","day":"1970-01-01","at":"1970-01-01T00:00:00.000Z",` +
		`"at_micros":"1970-01-01T00:00:00.000000Z","clock":"00:00:00.000","uuid":"00000000-0000-0000-0000-000000000000",` +
		`"status":"NEW","tags":[""],"attrs":{"key":0},"note":"","raw":"","hash":"AAAAAA==",` +
		`"customer":{"id":"","tier":"BRONZE"},"f":0.0,"d":0.0,"ok":false}`
	sk := enc.Skeleton()
	if string(sk) != want {
		t.Fatalf("Skeleton\n got %s\nwant %s", sk, want)
	}
	if _, err := enc.Encode(sk); err != nil {
		t.Fatalf("Encode(Skeleton()): %v", err)
	}
}

// TestAvroUnionDoubleKeepsItsBranch: a double with an integral value
// decodes as 2.0 and so re-encodes into the double branch, not the int.
func TestAvroUnionDoubleKeepsItsBranch(t *testing.T) {
	s, err := compileAvro(`["null","int","double"]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := []byte{4, 0, 0, 0, 0, 0, 0, 0, 0x40} // branch 2, 2.0 little-endian
	j, err := decodeAvro(s, b)
	if err != nil || string(j) != "2.0" {
		t.Fatalf("decode = %s, %v; want 2.0", j, err)
	}
	again, err := encodeAvro(nil, s, j)
	if err != nil || !bytes.Equal(again, b) {
		t.Fatalf("encode(%s) = %x, %v; want %x", j, again, err, b)
	}
	if j, _ := decodeAvro(s, []byte{2, 4}); string(j) != "2" {
		t.Fatalf("int branch decodes as %s, want 2", j)
	}
}

// TestAvroUnknownFieldBesideADefault: an unknown field is refused even when
// a defaulted field is missing and the counts match.
func TestAvroUnknownFieldBesideADefault(t *testing.T) {
	s, err := compileAvro(`{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":1},{"name":"b","type":"int"}]}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := encodeAvro(nil, s, []byte(`{"b":2,"x":3}`)); err == nil || !strings.Contains(err.Error(), "/x: not a field of record R") {
		t.Fatalf("encode = %v, want /x refused", err)
	}
	b, err := encodeAvro(nil, s, []byte(`{"b":2}`))
	if err != nil || !bytes.Equal(b, []byte{2, 4}) {
		t.Fatalf("encode with a default = %x, %v; want 0204", b, err)
	}
}

// TestAvroDefaults: a missing field takes its default, of every type, as
// the Avro spec writes defaults (bytes as code points, a union's for its
// first branch, a nested record's own missing fields from theirs).
func TestAvroDefaults(t *testing.T) {
	s, err := compileAvro(`{"type":"record","name":"R","fields":[
{"name":"a","type":"bytes","default":"\u00ff\u0001"},
{"name":"f","type":{"type":"fixed","name":"F","size":2},"default":"\u00ff\u0001"},
{"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"]},"default":"Y"},
{"name":"r","type":{"type":"record","name":"S","fields":[{"name":"n","type":"long"},{"name":"m","type":"int","default":3}]},"default":{"n":5}},
{"name":"u","type":["null","string"],"default":null},
{"name":"u2","type":["string","null"],"default":"s"},
{"name":"l","type":"long","default":42},
{"name":"d","type":"double","default":1.5},
{"name":"fl","type":"float","default":2.5},
{"name":"arr","type":{"type":"array","items":"int"},"default":[1,2]},
{"name":"mp","type":{"type":"map","values":"boolean"},"default":{"b":true,"a":false}},
{"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2},"default":"\u0001"}
]}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := encodeAvro(nil, s, []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	j, err := decodeAvro(s, b)
	want := `{"a":"/wE=","f":"/wE=","e":"Y","r":{"n":5,"m":3},"u":null,"u2":"s","l":42,"d":1.5,"fl":2.5,` +
		`"arr":[1,2],"mp":{"a":false,"b":true},"dec":"0.01"}`
	if err != nil || string(j) != want {
		t.Fatalf("decode(encode({})) = %s, %v\nwant %s", j, err, want)
	}
}
