package ui

import (
	"context"

	"kflow/kafka/demo"
)

// startKafkaDemo starts the embedded demo cluster in-process on a free
// port.
func startKafkaDemo(ctx context.Context) (string, func(), error) {
	d, err := demo.Start(ctx, demo.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		return "", nil, err
	}
	return d.Addr(), d.Close, nil
}
