package schema

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/bufbuild/protocompile"
	"github.com/twmb/franz-go/pkg/sr"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

const protoCommon = `syntax = "proto3";
package kflow.common;
message Customer { string id = 1; bool vip = 2; }
`

const protoOrder = `syntax = "proto3";
package kflow.test;
import "google/protobuf/timestamp.proto";
import "kflow/common.proto";

message Order {
  string id = 1;
  int64 amount_cents = 2;
  repeated string tags = 3;
  map<string, int32> attrs = 4;
  Status status = 5;
  google.protobuf.Timestamp at = 6;
  kflow.common.Customer customer = 7;
  oneof pay { string card = 8; int64 voucher = 9; }
  bytes raw = 10;
  double d = 11;
  message Line { string sku = 1; uint32 qty = 2; }
  repeated Line lines = 12;
}
enum Status { NEW = 0; PAID = 1; SHIPPED = 2; }
message Tree { Tree left = 1; int32 v = 2; }
`

// registerProto registers the Order file with its reference.
func registerProto(t *testing.T, cl *sr.Client) (subject string, id int) {
	t.Helper()
	common := uniqueSubject(t, "common")
	c := register(t, cl, common, sr.Schema{Schema: protoCommon, Type: sr.TypeProtobuf})
	subject = uniqueSubject(t, "porder")
	ss := register(t, cl, subject, sr.Schema{Schema: protoOrder, Type: sr.TypeProtobuf, References: []sr.SchemaReference{
		{Name: "kflow/common.proto", Subject: common, Version: c.Version},
	}})
	return subject, ss.ID
}

// independentOrder compiles the .proto files itself: the bytes it
// builds do not go through the package's compile or encode.
func independentOrder(t *testing.T) protoreflect.FileDescriptor {
	t.Helper()
	comp := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(map[string]string{"order.proto": protoOrder, "kflow/common.proto": protoCommon}),
	})}
	files, err := comp.Compile(context.Background(), "order.proto")
	if err != nil {
		t.Fatal(err)
	}
	return files[0]
}

func randomProtoOrder(rng *rand.Rand, md protoreflect.MessageDescriptor) *dynamicpb.Message {
	m := dynamicpb.NewMessage(md)
	f := md.Fields()
	word := func() string { return []string{"", "a", "sku-1", "é€\"", "x y"}[rng.IntN(5)] }
	m.Set(f.ByName("id"), protoreflect.ValueOfString(word()))
	m.Set(f.ByName("amount_cents"), protoreflect.ValueOfInt64(rng.Int64()-rng.Int64()))
	tags := m.Mutable(f.ByName("tags")).List()
	for range rng.IntN(3) {
		tags.Append(protoreflect.ValueOfString(word()))
	}
	attrs := m.Mutable(f.ByName("attrs")).Map()
	for range rng.IntN(3) {
		attrs.Set(protoreflect.ValueOfString(word()).MapKey(), protoreflect.ValueOfInt32(rng.Int32()))
	}
	m.Set(f.ByName("status"), protoreflect.ValueOfEnum(protoreflect.EnumNumber(rng.IntN(3))))
	if rng.IntN(2) == 1 {
		at := m.Mutable(f.ByName("at")).Message()
		at.Set(at.Descriptor().Fields().ByName("seconds"), protoreflect.ValueOfInt64(rng.Int64N(4e9)))
		at.Set(at.Descriptor().Fields().ByName("nanos"), protoreflect.ValueOfInt32(rng.Int32N(1e9)))
	}
	cust := m.Mutable(f.ByName("customer")).Message()
	cust.Set(cust.Descriptor().Fields().ByName("id"), protoreflect.ValueOfString("c-"+word()))
	switch rng.IntN(3) {
	case 1:
		m.Set(f.ByName("card"), protoreflect.ValueOfString(word()))
	case 2:
		m.Set(f.ByName("voucher"), protoreflect.ValueOfInt64(rng.Int64N(1000)))
	}
	m.Set(f.ByName("raw"), protoreflect.ValueOfBytes([]byte(word())))
	m.Set(f.ByName("d"), protoreflect.ValueOfFloat64(rng.NormFloat64()))
	lines := m.Mutable(f.ByName("lines")).List()
	for range rng.IntN(3) {
		l := lines.NewElement().Message()
		l.Set(l.Descriptor().Fields().ByName("sku"), protoreflect.ValueOfString(word()))
		l.Set(l.Descriptor().Fields().ByName("qty"), protoreflect.ValueOfUint32(rng.Uint32()))
		lines.Append(protoreflect.ValueOfMessage(l))
	}
	return m
}

// TestProtobufRoundTripProperty: for bytes protobuf's own Marshal writes,
// Encode(Decode(b)) == b, and Decode(Encode(x)) == x; references and the
// well-known imports resolve.
func TestProtobufRoundTripProperty(t *testing.T) {
	reg, cl := testRegistry(t)
	ctx := ctxT(t)
	subject, id := registerProto(t, cl)
	md := independentOrder(t).Messages().ByName("Order")

	dec := NewDecoder(reg, DecoderOptions{})
	enc, err := reg.Encoder(ctx, subject, -1)
	if err != nil {
		t.Fatal(err)
	}
	if got := enc.Info(); got.ID != id || got.Type != Protobuf {
		t.Fatalf("Info = %+v", got)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		body, err := proto.MarshalOptions{Deterministic: true}.Marshal(randomProtoOrder(rng, md))
		if err != nil {
			t.Fatal(err)
		}
		b := append(appendWireHeader(nil, id), 0) // message indexes [0]: Order
		b = append(b, body...)
		d, err := dec.Decode(ctx, b)
		if err != nil {
			t.Fatalf("case %d: Decode: %v", i, err)
		}
		again, err := enc.Encode(d.JSON)
		if err != nil {
			t.Fatalf("case %d: Encode(%s): %v", i, d.JSON, err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("case %d: Encode(Decode(b)) != b\n json %s\n b    %x\n got  %x", i, d.JSON, b, again)
		}
		d2, err := dec.Decode(ctx, again)
		if err != nil || string(d2.JSON) != string(d.JSON) {
			t.Fatalf("case %d: Decode(Encode(x)) = %s, %v; want %s", i, d2.JSON, err, d.JSON)
		}
	}
}

// TestProtobufMessageIndexes: a nested message is named by its index path,
// written as a count and the indexes; an index out of range is a reason.
func TestProtobufMessageIndexes(t *testing.T) {
	reg, cl := testRegistry(t)
	ctx := ctxT(t)
	subject, id := registerProto(t, cl)
	enc, err := reg.Encoder(ctx, subject, -1)
	if err != nil {
		t.Fatal(err)
	}
	line, err := enc.Message("Order.Line")
	if err != nil {
		t.Fatal(err)
	}
	b, err := line.Encode([]byte(`{"sku":"s-1","qty":3}`))
	if err != nil {
		t.Fatal(err)
	}
	// Order's nested messages are AttrsEntry (the map's, synthetic) and
	// Line: Line is [0 1], as Confluent's serializer counts them too.
	if want := append(appendWireHeader(nil, id), 4, 0, 2); !bytes.HasPrefix(b, want) {
		t.Fatalf("Encode as Order.Line = %x, want the prefix %x (indexes [0 1])", b, want)
	}
	dec := NewDecoder(reg, DecoderOptions{})
	d, err := dec.Decode(ctx, b)
	if err != nil || string(d.JSON) != `{"sku":"s-1","qty":3}` {
		t.Fatalf("Decode = %s, %v", d.JSON, err)
	}
	tree, err := enc.Message("kflow.test.Tree")
	if err != nil {
		t.Fatal(err)
	}
	b, err = tree.Encode([]byte(`{"left":{"v":1},"v":2}`))
	if err != nil {
		t.Fatal(err)
	}
	if d, err := dec.Decode(ctx, b); err != nil || string(d.JSON) != `{"left":{"v":1},"v":2}` {
		t.Fatalf("Decode(Tree) = %s, %v", d.JSON, err)
	}

	for _, idx := range [][]byte{{2, 4}, {4, 0, 8}, {1}, {200, 1}, {2}} {
		bad := append(appendWireHeader(nil, id), idx...)
		_, err := dec.Decode(ctx, bad)
		var de *DecodeError
		if !errorsAs(err, &de) || !strings.Contains(err.Error(), "protobuf: ") {
			t.Errorf("Decode with indexes %x = %v, want a *DecodeError naming the indexes", idx, err)
		}
	}

	if _, err := enc.Message("Nope"); err == nil {
		t.Error(`Message("Nope") succeeded`)
	}
	if _, err := enc.Encode([]byte(`{"id":5}`)); err == nil || !strings.Contains(err.Error(), "id") {
		t.Errorf("Encode with a number for a string = %v, want an error naming id", err)
	}
	sk := enc.Skeleton()
	want := `{"id":"","amountCents":0,"tags":[""],"attrs":{"key":0},"status":"NEW","at":"1970-01-01T00:00:00Z",` +
		`"customer":{"id":"","vip":false},"card":"","raw":"","d":0.0,"lines":[{"sku":"","qty":0}]}`
	if string(sk) != want {
		t.Errorf("Skeleton\n got %s\nwant %s", sk, want)
	}
	if _, err := enc.Encode(sk); err != nil {
		t.Errorf("Encode(Skeleton()): %v", err)
	}
}

// TestProtobufDeepNesting: a message nested past protobuf's recursion
// limit is a reason, not a stack overflow.
func TestProtobufDeepNesting(t *testing.T) {
	reg, cl := testRegistry(t)
	ctx := ctxT(t)
	_, id := registerProto(t, cl)
	const depth = 20000
	// Lengths from the inside out, then written from the outside in.
	lens := make([]int, depth+1)
	for i := 1; i <= depth; i++ {
		lens[i] = lens[i-1] + 1 + uvarintLen(lens[i-1])
	}
	b := append(appendWireHeader(nil, id), 2, 2) // indexes [1]: Tree
	for i := depth; i >= 1; i-- {
		b = append(b, 0x0a)
		b = appendUvarint(b, lens[i-1])
	}
	_, err := NewDecoder(reg, DecoderOptions{}).Decode(ctx, b)
	var de *DecodeError
	if !errorsAs(err, &de) || !strings.Contains(err.Error(), "recursion") {
		t.Fatalf("Decode of %d nested messages = %v, want a *DecodeError about recursion", depth, err)
	}
}

func TestProtoNesting(t *testing.T) {
	for text, want := range map[string]int{
		`message A { message B { int32 x = 1 [(o) = { a: 1 }]; } }`: 4,
		`message A { string s = 1 [default = "{{{{"]; } // {{{{`:    2,
		"message A { /* {{{{ */ map<string, int32> m = 1; }":        2,
		`message A { string s = 1 [default = "\"{"]; }`:             2,
	} {
		if got := protoNesting(text); got != want {
			t.Errorf("protoNesting(%s) = %d, want %d", text, got, want)
		}
	}
}
