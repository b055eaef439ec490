package ui

import (
	"context"

	"kflow/kafka/demo"
)

// startKafkaDemo starts the embedded demo cluster in-process on a free
// port, its schema registry on another.
func startKafkaDemo(ctx context.Context) (Demo, error) {
	d, err := demo.Start(ctx, demo.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		return Demo{}, err
	}
	return Demo{Addr: d.Addr(), Registry: d.RegistryURL(), Stop: d.Close}, nil
}
