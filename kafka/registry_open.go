package kafka

import (
	"context"

	"kflow/kafka/schema"
)

// OpenRegistry makes the Schema Registry client cfg names without dialing
// the cluster: `kflow schema` talks to the registry only, so a broker that
// is down must not stop it. Nil, and no error, when none is configured.
func OpenRegistry(ctx context.Context, cfg ConnConfig) (*schema.Registry, error) {
	sc, err := registryConfig(ctx, cfg)
	if err != nil || !sc.Enabled() {
		return nil, err
	}
	return schema.New(sc)
}
