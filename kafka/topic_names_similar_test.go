package kafka

import (
	"slices"
	"testing"
)

// TestSimilarInputNames: the names a mistyped word count input may have
// meant, closest first; none for a name like no other.
func TestSimilarInputNames(t *testing.T) {
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
		if got := similarTopics(tc.name, names); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("similarTopics(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := editDistance("kitten", "sitting"); got != 3 {
		t.Errorf("editDistance(kitten, sitting) = %d, want 3", got)
	}
}
