package registrytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// send sends method url with body (JSON for the registry when not nil) and returns the body of
// a 200 answer; any other answer is an error naming the request. Safe from any goroutine.
func send(cl *http.Client, method, url string, body []byte) ([]byte, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	}
	resp, err := cl.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read the body: %w", method, url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s: %.300s", method, url, resp.Status, b)
	}
	return b, nil
}

// do sends method url with body and decodes the 200 answer's JSON into v, failing the test on
// any other answer.
func do(t *testing.T, method, url string, body []byte, v any) {
	t.Helper()
	b, err := send(&http.Client{Timeout: 10 * time.Second}, method, url, body)
	if err != nil {
		t.Fatal(err)
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
	url := URL(t)
	const workers, each = 8, 5
	cl := &http.Client{Timeout: 60 * time.Second}
	errs := make(chan error, 3*workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				subj := url + "/subjects/" + Subject(t, fmt.Sprintf("w%d-%d", w, i))
				schema := fmt.Sprintf(`{"type":"record","name":"R","fields":[{"name":"f%d_%d","type":"long"}]}`, w, i)
				body, _ := json.Marshal(map[string]string{"schema": schema})
				if _, err := send(cl, http.MethodPost, subj+"/versions", body); err != nil {
					errs <- err
					continue
				}
				config := strings.Replace(subj, "/subjects/", "/config/", 1)
				if _, err := send(cl, http.MethodPut, config, []byte(`{"compatibility":"BACKWARD"}`)); err != nil {
					errs <- err
				}
				if _, err := send(cl, http.MethodGet, subj+"/versions/latest", nil); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		failed++
		if failed <= 3 {
			t.Error(err)
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d concurrent requests failed", failed, 3*workers*each)
	}
}
