package kafka

import "testing"

// TestParseDLQFilter: each form matches where it says and nowhere else.
func TestParseDLQFilter(t *testing.T) {
	r := Record{Key: []byte("order-7"), Value: []byte(`{"sku":"SKU-404"}`), Headers: []Header{{Key: "original.group", Value: []byte("inventory")}}}
	for src, want := range map[string]bool{
		"SKU-404": true, "inventory": true, "nothing": false, "~SKU-4\\d+": true, "~^x": false,
		"key:order": true, "key:SKU": false, "value:SKU": true, "value:order": false,
		"header:original.group:inventory": true, "header:other:inventory": false, "header::~^inv": true,
	} {
		m, err := ParseDLQFilter(src)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if got := m(r); got != want {
			t.Errorf("%q matched %v, want %v", src, got, want)
		}
	}
	if m, err := ParseDLQFilter("  "); m != nil || err != nil {
		t.Errorf("blank filter: %v %v", m != nil, err)
	}
	for _, bad := range []string{"~(", "header:nocolon"} {
		if _, err := ParseDLQFilter(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
