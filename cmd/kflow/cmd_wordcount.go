package main

import (
	"context"
	"errors"
)

func runWordCount(ctx context.Context, e env, args []string) error {
	return errors.New("wordcount: not wired yet")
}
