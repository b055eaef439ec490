package main

import "testing"

// TestUIMemoryLimit: the UI runs under a soft memory limit of twice a
// tail's budget, unless GOMEMLIMIT says otherwise.
func TestUIMemoryLimit(t *testing.T) {
	if limit, ok := uiMemoryLimit(func(string) string { return "" }); !ok || limit != 512<<20 {
		t.Fatalf("limit = %d, %v; want 512 MiB", limit, ok)
	}
	if _, ok := uiMemoryLimit(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "1GiB"
		}
		return ""
	}); ok {
		t.Fatal("GOMEMLIMIT was overridden")
	}
}
