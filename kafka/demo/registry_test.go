package demo

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestRegistryErrorsAsConfluent: the in-process registry answers with
// Confluent's error body and codes, which clients tell errors apart by.
func TestRegistryErrorsAsConfluent(t *testing.T) {
	r := NewRegistry()
	u, err := r.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	call := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(method, u+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return resp.StatusCode, m
	}
	v1 := `{"schema":"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}"}`
	if st, m := call("POST", "/subjects/s/versions", v1); st != 200 || m["id"] != 1.0 {
		t.Fatalf("register: %d %v", st, m)
	}
	for _, c := range []struct {
		method, path, body string
		status             int
		code               float64
	}{
		{"GET", "/subjects/nope/versions", "", 404, 40401},
		{"GET", "/subjects/s/versions/9", "", 404, 40402},
		{"GET", "/schemas/ids/99", "", 404, 40403},
		{"POST", "/subjects/s/versions", `{"schema":"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"}]}"}`, 409, 409},
		{"POST", "/subjects/s/versions", `{"schema":"not json"}`, 422, 42201},
		{"POST", "/subjects/s/versions", `{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\"; message M { nope.T a = 1; }"}`, 422, 42201},
		{"POST", "/subjects/p/versions", `{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";","references":[{"name":"x.proto","subject":"nope","version":1}]}`, 422, 42201},
		{"GET", "/config/s", "", 404, 40408},
	} {
		st, m := call(c.method, c.path, c.body)
		if st != c.status || m["error_code"] != c.code || m["message"] == "" {
			t.Errorf("%s %s: %d %v, want %d with error_code %v", c.method, c.path, st, m, c.status, c.code)
		}
	}
	if st, m := call("GET", "/config/s?defaultToGlobal=true", ""); st != 200 || m["compatibilityLevel"] != "BACKWARD" {
		t.Errorf("config with defaultToGlobal: %d %v", st, m)
	}
	if st, m := call("GET", "/schemas/ids/1/subjects", ""); st != 200 || m != nil {
		t.Errorf("subjects by id: %d %v", st, m) // a JSON list, not an object
	}
}
