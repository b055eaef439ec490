package kafka

import (
	"context"
	"strings"
	"testing"
	"time"

	"kflow/config"
)

// TestSASLAgainstPlaintextListener: a SASL context pointed at a listener
// that does not speak SASL says so and what to check, instead of only
// ILLEGAL_SASL_STATE; on kfake without SASL and on the real broker, whose
// listener is PLAINTEXT.
func TestSASLAgainstPlaintextListener(t *testing.T) {
	t.Setenv("KFLOW_TEST_SASL_PW", "pw")
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cfg := ConnConfig{Brokers: b.brokers, Timeout: 5 * time.Second,
				SASL: &config.SASL{Mechanism: "PLAIN", Username: "alice", Password: config.Secret{Env: "KFLOW_TEST_SASL_PW"}}}
			start := time.Now()
			c, err := Connect(ctx, cfg)
			if err == nil {
				c.Close()
				t.Fatal("SASL connected to a listener without SASL")
			}
			for _, want := range []string{"does not speak SASL", "security.protocol", "port"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v to fail", d)
			}
		})
	}
}
