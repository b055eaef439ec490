package schema

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/sr"
)

// registryURL is the test registry's URL from KFLOW_TEST_REGISTRY: a test
// without one skips, or fails under CI=true (where one must be running).
// internal/registrytest.URL(t) replaces it once that lands.
func registryURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("KFLOW_TEST_REGISTRY")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("KFLOW_TEST_REGISTRY is not set: CI must run the registry tests")
		}
		t.Skip("KFLOW_TEST_REGISTRY is not set (e.g. http://127.0.0.1:18081/apis/ccompat/v7)")
	}
	return u
}

// testRegistry is the real registry: our Registry and a raw client to
// register schemas with.
func testRegistry(t testing.TB) (*Registry, *sr.Client) {
	t.Helper()
	u := registryURL(t)
	r, err := New(Config{URL: u, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := sr.NewClient(sr.URLs(u))
	if err != nil {
		t.Fatal(err)
	}
	return r, cl
}

// uniqueSubject is a subject no other run uses: the registry is shared.
func uniqueSubject(t testing.TB, name string) string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "kflow-test-" + name + "-" + hex.EncodeToString(b[:])
}

// register registers s under subject, deleting the subject when the test
// ends (cleanups run last-first, so referrers go before what they refer to).
func register(t testing.TB, cl *sr.Client, subject string, s sr.Schema) sr.SubjectSchema {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ss, err := cl.CreateSchema(ctx, subject, s)
	if err != nil {
		t.Fatalf("registering %s: %v", subject, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = cl.DeleteSubject(ctx, subject, sr.SoftDelete)
		_, _ = cl.DeleteSubject(ctx, subject, sr.HardDelete)
	})
	return ss
}

// jsonEqual reports whether a and b are the same JSON value.
func jsonEqual(t testing.TB, a, b []byte) bool {
	t.Helper()
	var va, vb any
	da := json.NewDecoder(bytes.NewReader(a))
	da.UseNumber()
	if err := da.Decode(&va); err != nil {
		t.Fatalf("not JSON: %s: %v", a, err)
	}
	db := json.NewDecoder(bytes.NewReader(b))
	db.UseNumber()
	if err := db.Decode(&vb); err != nil {
		t.Fatalf("not JSON: %s: %v", b, err)
	}
	return reflect.DeepEqual(va, vb)
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func uvarintLen(n int) int { return len(binary.AppendUvarint(nil, uint64(n))) }

func appendUvarint(b []byte, n int) []byte { return binary.AppendUvarint(b, uint64(n)) }
