package kafka

import (
	"slices"
	"testing"

	"kflow/config"
	"kflow/kafka/schema"
)

// TestFormatNamesAgree: the config file accepts exactly the formats the
// schema package reads, so a format added to one is not refused by the
// other.
func TestFormatNamesAgree(t *testing.T) {
	if got, want := config.FormatNames(), schema.Formats(); !slices.Equal(got, want) {
		t.Errorf("config.FormatNames() = %v, schema.Formats() = %v", got, want)
	}
	c := &Client{cfg: ConnConfig{Formats: map[string]config.TopicFormat{"counts": {Key: "string", Value: "long"}}}}
	if k, v := c.Formats("counts"); k != schema.FormatString || v != schema.FormatLong {
		t.Errorf("Formats(counts) = %q, %q", k, v)
	}
	if k, v := c.Formats("other"); k != schema.FormatAuto || v != schema.FormatAuto {
		t.Errorf("Formats(other) = %q, %q, want auto", k, v)
	}
}
