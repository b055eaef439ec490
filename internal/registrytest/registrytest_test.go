package registrytest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kflow/kafka/schema"
)

// do sends method url with body and decodes the 200 answer's JSON into v, failing the test on
// any other answer.
func do(t *testing.T, method, url string, body []byte, v any) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	}
	cl := &http.Client{Timeout: 10 * time.Second}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read the body: %v", method, url, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s: %s", method, url, resp.Status, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s %s: body %q is not the JSON expected: %v", method, url, b, err)
	}
}

// TestRegistryIsUp proves the run's registry answers the Confluent API: GET /subjects is a JSON
// array, and a schema registered under a Subject of this test is listed there afterwards.
func TestRegistryIsUp(t *testing.T) {
	url := URL(t)
	var subjects []string
	do(t, http.MethodGet, url+"/subjects", nil, &subjects)

	subj := Subject(t, "value")
	var reg struct {
		ID int `json:"id"`
	}
	do(t, http.MethodPost, url+"/subjects/"+subj+"/versions", []byte(`{"schema":"{\"type\":\"string\"}"}`), &reg)
	if reg.ID <= 0 {
		t.Fatalf("registering under %s gave schema id %d, want a positive id", subj, reg.ID)
	}
	do(t, http.MethodGet, url+"/subjects", nil, &subjects)
	if !slices.Contains(subjects, subj) {
		t.Errorf("GET /subjects = %v after registering %s; want it listed", subjects, subj)
	}
}

func TestSubjectIsUnique(t *testing.T) {
	a, b := Subject(t, "value"), Subject(t, "value")
	if a == b {
		t.Errorf("two Subject calls gave the same name %q", a)
	}
	sub := ""
	t.Run("with space/and slash", func(t *testing.T) { sub = Subject(t, "key") })
	want := "kflow-TestSubjectIsUnique_with_space_and_slash-"
	if !strings.HasPrefix(sub, want) || !strings.HasSuffix(sub, "-key") {
		t.Errorf("Subject in a subtest = %q; want %s…-key", sub, want)
	}
}

// TestRegistryTakesConcurrentRegistrations proves the run's registry survives what parallel tests
// do to it: registrations, compatibility settings and look-ups from many goroutines at once all
// succeed. Apicurio 2.4's in-memory storage deadlocks two registrations taking ids at once until
// H2's lock timeout fails one with a 500 ("Timeout trying to lock table"), and a registration
// holds two database connections at once; scripts/schema-registry/start.sh gives it one worker
// thread.
func TestRegistryTakesConcurrentRegistrations(t *testing.T) {
	reg, err := schema.New(schema.Config{URL: URL(t), Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const workers, each = 8, 5
	errs := make([][]error, workers) // each worker's own, so they need no lock
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				subject := Subject(t, fmt.Sprintf("w%d-%d", w, i))
				text := fmt.Sprintf(`{"type":"record","name":"R","fields":[{"name":"f%d_%d","type":"long"}]}`, w, i)
				if _, err := reg.Register(ctx, subject, text, schema.Avro, nil); err != nil {
					errs[w] = append(errs[w], err)
					continue
				}
				if err := reg.SetCompatibility(ctx, subject, "BACKWARD"); err != nil {
					errs[w] = append(errs[w], err)
				}
				if _, err := reg.Versions(ctx, subject); err != nil {
					errs[w] = append(errs[w], err)
				}
			}
		})
	}
	wg.Wait()
	if failed := slices.Concat(errs...); len(failed) > 0 {
		t.Errorf("%d of %d concurrent requests failed; the first: %v", len(failed), 3*workers*each, failed[0])
	}
}
