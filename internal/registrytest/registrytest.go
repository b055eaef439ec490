// Package registrytest gives tests the real Schema Registry that scripts/test.sh starts for the
// run (Apicurio's Confluent-compatible API, scripts/schema-registry/), named by
// KFLOW_TEST_REGISTRY. The registry is shared by every test of the run and keeps its schemas in
// memory, empty at every start: a test registers under its own Subject names.
package registrytest

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// URL is the test registry's base URL (http://127.0.0.1:PORT/apis/ccompat/v7). Without
// KFLOW_TEST_REGISTRY the test fails under CI=true, where the registry tests must run, and is
// skipped elsewhere.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("KFLOW_TEST_REGISTRY")
	if u == "" {
		msg := "registrytest: KFLOW_TEST_REGISTRY is not set (scripts/test.sh starts a Schema Registry and sets it)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg + "\n(outside CI a missing registry skips; scripts/test.sh installs what it needs)")
	}
	return strings.TrimRight(u, "/")
}

// Subject is a subject name no other test of this run (or of an earlier run against the same
// registry) uses: the test's name, the time and suffix (e.g. "value"), in the characters a
// subject may carry in a URL path unescaped.
func Subject(t testing.TB, suffix string) string {
	t.Helper()
	name := "kflow-" + t.Name() + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if suffix != "" {
		name += "-" + suffix
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
}
