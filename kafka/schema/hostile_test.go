package schema

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/sr"
)

// fakeRegistry answers the few endpoints the decoder uses, counts the
// requests, and can be told to misbehave.
type fakeRegistry struct {
	srv *httptest.Server

	mu       sync.Mutex
	byID     map[int]sr.Schema
	versions map[string]sr.SubjectSchema // "subject/version"
	hits     map[string]int
	// answer, when set, answers every request instead.
	answer func(w http.ResponseWriter, r *http.Request)
}

func newFakeRegistry(t *testing.T) *fakeRegistry {
	t.Helper()
	f := &fakeRegistry{byID: map[int]sr.Schema{}, versions: map[string]sr.SubjectSchema{}, hits: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeRegistry) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.hits[r.URL.Path]++
	answer := f.answer
	f.mu.Unlock()
	if answer != nil {
		answer(w, r)
		return
	}
	f.route(w, r)
}

// route answers from byID and versions.
func (f *fakeRegistry) route(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	notFound := func() {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error_code":40403,"message":"Schema not found"}`))
	}
	switch {
	case len(parts) == 3 && parts[0] == "schemas" && parts[1] == "ids":
		id, _ := strconv.Atoi(parts[2])
		s, ok := f.byID[id]
		if !ok {
			notFound()
			return
		}
		_ = json.NewEncoder(w).Encode(s)
	case len(parts) == 4 && parts[0] == "subjects" && parts[2] == "versions":
		ss, ok := f.versions[parts[1]+"/"+parts[3]]
		if !ok {
			notFound()
			return
		}
		_ = json.NewEncoder(w).Encode(ss)
	default:
		notFound()
	}
}

func (f *fakeRegistry) hitsOf(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[path]
}

func (f *fakeRegistry) add(id int, s sr.Schema) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byID[id] = s
}

func (f *fakeRegistry) registry(t *testing.T, timeout time.Duration) *Registry {
	t.Helper()
	r, err := New(Config{URL: f.srv.URL, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fakeClock is a DecoderOptions.Now the test moves.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func wire(id int, body ...byte) []byte { return append(appendWireHeader(nil, id), body...) }

func wantDecodeError(t *testing.T, err error, id int, reason string) {
	t.Helper()
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v (%T), want a *DecodeError", err, err)
	}
	if de.ID != id || !strings.Contains(err.Error(), reason) {
		t.Fatalf("err = %v, want schema id %d and a reason containing %q", err, id, reason)
	}
}

func TestDecodeNotWireFormat(t *testing.T) {
	d := NewDecoder(newFakeRegistry(t).registry(t, time.Second), DecoderOptions{})
	for _, b := range [][]byte{nil, []byte("hello"), {0, 0, 0, 1}, {1, 0, 0, 0, 1, 2}} {
		if _, err := d.Decode(context.Background(), b); !errors.Is(err, ErrNotWireFormat) {
			t.Errorf("Decode(%x) = %v, want ErrNotWireFormat", b, err)
		}
		if _, ok, err := d.Cached(b); !ok || !errors.Is(err, ErrNotWireFormat) {
			t.Errorf("Cached(%x) = %v, %v; want ok and ErrNotWireFormat", b, ok, err)
		}
	}
}

// TestDecodeUnknownIDIsCachedBriefly: an unknown id costs one request per
// FailureTTL, not one per record; a negative id costs none.
func TestDecodeUnknownIDIsCachedBriefly(t *testing.T) {
	f := newFakeRegistry(t)
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	d := NewDecoder(f.registry(t, time.Second), DecoderOptions{Now: clock.Now})
	ctx := ctxT(t)
	for range 50 {
		_, err := d.Decode(ctx, wire(2147483647, 2, 'h', 'i'))
		wantDecodeError(t, err, 2147483647, "404")
	}
	if n := f.hitsOf("/schemas/ids/2147483647"); n != 1 {
		t.Fatalf("50 decodes of an unknown id sent %d requests, want 1", n)
	}
	if _, ok, err := d.Cached(wire(2147483647)); !ok || err == nil {
		t.Fatalf("Cached of a known-unknown id = %v, %v; want ok and the error", ok, err)
	}
	clock.add(DefaultFailureTTL + time.Second)
	if _, ok, _ := d.Cached(wire(2147483647)); ok {
		t.Fatal("Cached still answers after the failure expired")
	}
	_, _ = d.Decode(ctx, wire(2147483647))
	if n := f.hitsOf("/schemas/ids/2147483647"); n != 2 {
		t.Fatalf("after FailureTTL: %d requests, want 2", n)
	}

	_, err := d.Decode(ctx, []byte{0, 0xff, 0xff, 0xff, 0xfe, 1})
	wantDecodeError(t, err, -2, "negative schema id")
	for path := range f.hits {
		if strings.Contains(path, "-") {
			t.Fatalf("a negative id reached the registry: %s", path)
		}
	}
}

// TestDecodeRegistryMisbehaves: a 500, garbage, a schema that does not
// parse, an unknown type: each a *DecodeError with a reason, no panic.
func TestDecodeRegistryMisbehaves(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request)
		reason string
	}{
		{"500", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"error_code":50001,"message":"boom"}`, http.StatusInternalServerError)
		}, "boom"},
		{"html", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>proxy</html>")) }, "unable to decode"},
		{"bad avro", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"schema":"{\"type\":\"recrd\"}"}`))
		}, "avro: "},
		{"bad proto", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"schema":"message {","schemaType":"PROTOBUF"}`))
		}, "protobuf: "},
		{"bad json", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"schema":"{","schemaType":"JSON"}`))
		}, "json schema: "},
		{"unknown type", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"schema":"x","schemaType":"THRIFT"}`))
		}, "unable to decode"},
		{"answer over 16 MiB", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"schema":"`))
			chunk := []byte(strings.Repeat("x", 1<<20))
			for range 17 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, "larger than 16 MiB"},
		{"decimal of a billion digits", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"schema":"{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":1000000000,\"scale\":999999999}"}`))
		}, "beyond precision"},
		{"fixed of a TiB", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"schema":"{\"type\":\"fixed\",\"name\":\"F\",\"size\":1099511627776}"}`))
		}, "beyond"},
		{"proto nested a million deep", func(w http.ResponseWriter, r *http.Request) {
			text := `syntax = \"proto3\"; ` + strings.Repeat("message A { ", 1e6) + strings.Repeat("}", 1e6)
			_, _ = w.Write([]byte(`{"schemaType":"PROTOBUF","schema":"` + text + `"}`))
		}, "nests more than 256 deep"},
		{"huge answer", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"schema":"` + strings.Repeat("[", 1<<16) + `"}`))
		}, "avro: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeRegistry(t)
			f.answer = tc.answer
			d := NewDecoder(f.registry(t, time.Second), DecoderOptions{})
			_, err := d.Decode(ctxT(t), wire(7, 0))
			wantDecodeError(t, err, 7, tc.reason)
		})
	}
}

// TestDecodeTimeout: a registry that does not answer costs Config.Timeout,
// not forever, and Cached never waits on it.
func TestDecodeTimeout(t *testing.T) {
	f := newFakeRegistry(t)
	release := make(chan struct{})
	f.answer = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	t.Cleanup(func() { close(release) })
	d := NewDecoder(f.registry(t, 200*time.Millisecond), DecoderOptions{})
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		_, err := d.Decode(context.Background(), wire(7, 0))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cs := time.Now()
	if _, ok, _ := d.Cached(wire(7, 0)); ok {
		t.Error("Cached answered for an id still being fetched")
	}
	if el := time.Since(cs); el > 50*time.Millisecond {
		t.Errorf("Cached took %v with the registry hanging", el)
	}
	err := <-done
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("Decode took %v against a 200ms timeout", el)
	}
	wantDecodeError(t, err, 7, "no answer within the timeout of 200ms")
}

// TestDecodeCancelled: the caller's context ends its wait, not the fetch,
// and a cancelled wait is not remembered as the id's failure.
func TestDecodeCancelled(t *testing.T) {
	f := newFakeRegistry(t)
	f.add(3, sr.Schema{Schema: `"string"`})
	gate := make(chan struct{})
	f.answer = func(w http.ResponseWriter, r *http.Request) {
		<-gate
		f.mu.Lock()
		f.answer = nil
		f.mu.Unlock()
		f.route(w, r)
	}
	d := NewDecoder(f.registry(t, 5*time.Second), DecoderOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := d.Decode(ctx, wire(3, 2, 'o'))
	wantDecodeError(t, err, 3, "context canceled")
	close(gate)
	dec, err := d.Decode(ctxT(t), wire(3, 2, 'o'))
	if err != nil || string(dec.JSON) != `"o"` {
		t.Fatalf("Decode after a cancelled wait = %s, %v", dec.JSON, err)
	}
}

// TestDecodeFetchesOncePerID: concurrent records of one id share one fetch;
// afterwards Cached answers without the network.
func TestDecodeFetchesOncePerID(t *testing.T) {
	f := newFakeRegistry(t)
	f.add(1, sr.Schema{Schema: `{"type":"record","name":"R","fields":[{"name":"n","type":"long"}]}`})
	slow := make(chan struct{})
	f.answer = func(w http.ResponseWriter, r *http.Request) {
		<-slow
		f.mu.Lock()
		f.answer = nil
		f.mu.Unlock()
		f.route(w, r)
	}
	d := NewDecoder(f.registry(t, 5*time.Second), DecoderOptions{})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dec, err := d.Decode(context.Background(), wire(1, byte(2*i)))
			if err == nil && string(dec.JSON) != fmt.Sprintf(`{"n":%d}`, i) {
				err = fmt.Errorf("got %s", dec.JSON)
			}
			errs <- err
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(slow)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.hitsOf("/schemas/ids/1"); n != 1 {
		t.Fatalf("20 concurrent decodes sent %d schema requests, want 1: %v", n, f.hits)
	}
	dec, ok, err := d.Cached(wire(1, 6))
	if !ok || err != nil || string(dec.JSON) != `{"n":3}` || dec.Schema.ID != 1 || dec.Schema.Type != Avro {
		t.Fatalf("Cached = %s %+v, %v, %v", dec.JSON, dec.Schema, ok, err)
	}
	if dec.Schema.Subject != "" {
		t.Errorf("Subject = %q with no versions endpoint, want empty", dec.Schema.Subject)
	}
}

// TestDecoderLRUBound: no more than MaxSchemas ids stay compiled.
func TestDecoderLRUBound(t *testing.T) {
	f := newFakeRegistry(t)
	for id := 1; id <= 3; id++ {
		f.add(id, sr.Schema{Schema: `"int"`})
	}
	d := NewDecoder(f.registry(t, time.Second), DecoderOptions{MaxSchemas: 2})
	for id := 1; id <= 3; id++ {
		if _, err := d.Decode(ctxT(t), wire(id, 2)); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, _ := d.Cached(wire(1, 2)); ok {
		t.Error("id 1 (least recently used) is still cached beyond MaxSchemas 2")
	}
	for id := 2; id <= 3; id++ {
		if dec, ok, err := d.Cached(wire(id, 2)); !ok || err != nil || string(dec.JSON) != "1" {
			t.Errorf("Cached(id %d) = %s, %v, %v", id, dec.JSON, ok, err)
		}
	}
}

// TestReferenceCycles: a schema that references itself, or a chain deeper
// than the bound, is a reason.
func TestReferenceCycles(t *testing.T) {
	f := newFakeRegistry(t)
	f.add(1, sr.Schema{Schema: `"int"`, References: []sr.SchemaReference{{Name: "a", Subject: "a", Version: 1}}})
	f.versions["a/1"] = sr.SubjectSchema{Subject: "a", Version: 1, ID: 2,
		Schema: sr.Schema{Schema: `"int"`, References: []sr.SchemaReference{{Name: "a", Subject: "a", Version: 1}}}}
	f.add(10, sr.Schema{Schema: `"int"`, References: []sr.SchemaReference{{Name: "c0", Subject: "c0", Version: 1}}})
	for i := range 40 {
		f.versions[fmt.Sprintf("c%d/1", i)] = sr.SubjectSchema{Subject: fmt.Sprintf("c%d", i), Version: 1,
			Schema: sr.Schema{Schema: `"int"`, References: []sr.SchemaReference{{Name: "n", Subject: fmt.Sprintf("c%d", i+1), Version: 1}}}}
	}
	d := NewDecoder(f.registry(t, time.Second), DecoderOptions{})
	_, err := d.Decode(ctxT(t), wire(1, 2))
	wantDecodeError(t, err, 1, "refers back to itself")
	_, err = d.Decode(ctxT(t), wire(10, 2))
	wantDecodeError(t, err, 10, "nest more than 16 deep")
}

// TestHostileBodies: bodies that lie about their lengths, counts, branches
// and depth fail fast with a reason, allocating about nothing.
func TestHostileBodies(t *testing.T) {
	f := newFakeRegistry(t)
	f.add(1, sr.Schema{Schema: `"string"`})
	f.add(2, sr.Schema{Schema: `{"type":"array","items":"null"}`})
	f.add(3, sr.Schema{Schema: `{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}`})
	f.add(4, sr.Schema{Schema: `{"type":"enum","name":"E","symbols":["A"]}`})
	f.add(5, sr.Schema{Schema: `["null","int"]`})
	f.add(6, sr.Schema{Schema: `{"type":"map","values":"bytes"}`})
	f.add(7, sr.Schema{Schema: `{"type":"bytes","logicalType":"decimal","precision":20,"scale":2}`})
	f.add(8, sr.Schema{Schema: `syntax = "proto3"; message M { string s = 1; repeated M kids = 2; }`, Type: sr.TypeProtobuf})
	f.add(9, sr.Schema{Schema: `{"type":"object"}`, Type: sr.TypeJSON})
	d := NewDecoder(f.registry(t, time.Second), DecoderOptions{})
	ctx := ctxT(t)
	deep := wire(3)
	for range 10000 {
		deep = append(deep, 2)
	}
	deep = append(deep, 0)
	for _, tc := range []struct {
		name   string
		b      []byte
		reason string
	}{
		{"string of 1 TiB", wire(1, appendVarint(nil, 1<<40)...), "more than the 0 bytes left"},
		{"negative length", wire(1, appendVarint(nil, -5)...), "negative length"},
		{"truncated string", wire(1, 10, 'a'), "more than the 1 bytes left"},
		{"no body", wire(1), "truncated"},
		{"2^60 nulls", wire(2, appendVarint(nil, 1<<60)...), "claims"},
		{"negative count without size", wire(2, 1), "truncated"},
		{"deep list", deep, "nested more than"},
		{"enum index", wire(4, 2), "out of range"},
		{"union branch", wire(5, 9), "union branch"},
		{"varint overflow", wire(5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), "overflows"},
		{"trailing bytes", wire(1, 2, 'a', 'b'), "1 bytes left after the value"},
		{"protobuf cut short", wire(8, 0, 0x0a, 0x05, 'a'), "protobuf: M: "},
		{"protobuf length of 1 TiB", wire(8, append([]byte{0, 0x0a}, binary.AppendUvarint(nil, 1<<40)...)...), "protobuf: M: "},
		{"protobuf invalid UTF-8", wire(8, 0, 0x0a, 0x01, 0xff), "protobuf: M: "},
		{"protobuf indexes cut short", wire(8, 4), "message index"},
		{"json cut short", wire(9, '{', '"', 'a', '"', ':'), "the body is not JSON"},
		{"decimal of 1000 bytes", wire(7, append(appendVarint(nil, 1000), make([]byte, 1000)...)...), "a decimal of 1000 bytes"},
		{"map value of 1 GiB", wire(6, append(append(appendVarint(nil, 1), 2, 'k'), appendVarint(nil, 1<<30)...)...), "bytes left"},
	} {
		_, _ = d.Decode(ctx, tc.b) // warm the schema cache
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		_, err := d.Decode(ctx, tc.b)
		runtime.ReadMemStats(&ms1)
		if err == nil {
			t.Errorf("%s: decoded", tc.name)
			continue
		}
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.reason) {
			t.Errorf("%s: %v, want a *DecodeError containing %q", tc.name, err, tc.reason)
		}
		if grew := ms1.TotalAlloc - ms0.TotalAlloc; grew > 1<<20 {
			t.Errorf("%s: allocated %d bytes", tc.name, grew)
		}
	}
}

// TestEncodeHostileDecimal: a decimal exponent that would cost 10^exp is
// refused before big.Rat computes it.
func TestEncodeHostileDecimal(t *testing.T) {
	_, encs := localDecoder(t)
	x := `{"id":"o-1","amount":"1e999999999","day":"2026-12-01","at":0,"at_micros":0,"clock":0,` +
		`"uuid":"u","status":"PAID","tags":[],"attrs":{},"raw":"","hash":"3q2+7w==",` +
		`"customer":{"id":"c-9","tier":"GOLD"},"f":1.5,"d":1,"ok":true}`
	start := time.Now()
	_, err := encs[1].Encode([]byte(x))
	if err == nil || !strings.Contains(err.Error(), "/amount: ") {
		t.Fatalf("Encode = %v, want an error at /amount", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Fatalf("Encode took %v", el)
	}
	if _, err := encs[1].Encode([]byte(strings.Replace(x, "1e999999999", "12.5e1", 1))); err != nil {
		t.Fatalf("Encode of 12.5e1: %v", err)
	}
}

// TestReferenceDiamond: two references sharing a third fetch it once and
// parse it before both, so the root's named types all resolve.
func TestReferenceDiamond(t *testing.T) {
	f := newFakeRegistry(t)
	rec := func(name, field, typ string) string {
		return `{"type":"record","name":"` + name + `","fields":[{"name":"` + field + `","type":"` + typ + `"}]}`
	}
	f.versions["c/1"] = sr.SubjectSchema{Subject: "c", Version: 1, Schema: sr.Schema{Schema: rec("C", "n", "int")}}
	for _, s := range []string{"a", "b"} {
		f.versions[s+"/1"] = sr.SubjectSchema{Subject: s, Version: 1, Schema: sr.Schema{
			Schema:     rec(strings.ToUpper(s), "c", "C"),
			References: []sr.SchemaReference{{Name: "C", Subject: "c", Version: 1}},
		}}
	}
	f.add(1, sr.Schema{
		Schema:     `{"type":"record","name":"Root","fields":[{"name":"a","type":"A"},{"name":"b","type":"B"}]}`,
		References: []sr.SchemaReference{{Name: "A", Subject: "a", Version: 1}, {Name: "B", Subject: "b", Version: 1}},
	})
	d := NewDecoder(f.registry(t, time.Second), DecoderOptions{})
	dec, err := d.Decode(ctxT(t), wire(1, 2, 4))
	if err != nil || string(dec.JSON) != `{"a":{"c":{"n":1}},"b":{"c":{"n":2}}}` {
		t.Fatalf("Decode = %s, %v", dec.JSON, err)
	}
	if n := f.hitsOf("/subjects/c/versions/1"); n != 1 {
		t.Fatalf("the shared reference was fetched %d times, want 1", n)
	}
}
