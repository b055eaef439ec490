package kafka

import (
	"slices"
	"testing"
)

// TestCloseNames: the names a mistyped topic name may have meant, closest
// first; none for a name like no other.
func TestCloseNames(t *testing.T) {
	names := []string{"streams-plaintext-input", "streams-wordcount-output", "orders", "orders.DLQ", "payments", "__consumer_offsets"}
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"streams-plaintext-inptu", []string{"streams-plaintext-input"}},
		{"streams-plaintext", []string{"streams-plaintext-input"}},
		{"order", []string{"orders", "orders.DLQ"}},
		{"Orders", []string{"orders", "orders.DLQ"}},
		{"paymnets", []string{"payments"}},
		{"inventory", nil},
		{"orders", []string{"orders.DLQ"}},
	} {
		if got := closeNames(tc.name, names, 3); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("closeNames(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := editDistance("kitten", "sitting"); got != 3 {
		t.Errorf("editDistance(kitten, sitting) = %d, want 3", got)
	}
}
