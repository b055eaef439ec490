package config

import (
	"reflect"
	"testing"
)

func TestParseBrokers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"localhost:9092", []string{"localhost:9092"}, false},
		{" a:1 , b ,", []string{"a:1", "b:9092"}, false},
		{"[::1]:9093", []string{"[::1]:9093"}, false},
		{"::1", nil, true},
		{"host:notaport", nil, true},
		{"host:70000", nil, true},
		{":9092", nil, true},
		{"", nil, true},
	} {
		got, err := ParseBrokers(tc.in)
		if (err != nil) != tc.err || (!tc.err && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("ParseBrokers(%q) = %v, %v; want %v, err=%v", tc.in, got, err, tc.want, tc.err)
		}
	}
}
