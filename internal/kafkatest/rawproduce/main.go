// Command rawproduce is the produce benchmark's floor: a bare franz-go
// loop that reads key|value lines from stdin and produces each to one
// topic with franz-go's defaults (idempotent, acks=all), the given codec
// and a murmur2 key partitioner, then flushes. BenchmarkProduceCommand
// runs it as a process beside kflow and kcat, so all three pay a process
// start, a connection and a producer id. It checks nothing beyond what
// the loop needs and is not part of kflow.
//
//	rawproduce BROKERS TOPIC CODEC < lines
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kgo"
)

func main() {
	if err := run(os.Args[1:], os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "rawproduce:", err)
		os.Exit(1)
	}
}

func run(args []string, in io.Reader) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: rawproduce BROKERS TOPIC CODEC < lines")
	}
	codecs := map[string]kgo.CompressionCodec{"none": kgo.NoCompression(), "gzip": kgo.GzipCompression(),
		"snappy": kgo.SnappyCompression(), "lz4": kgo.Lz4Compression(), "zstd": kgo.ZstdCompression()}
	codec, ok := codecs[args[2]]
	if !ok {
		return fmt.Errorf("codec %q: one of none, gzip, snappy, lz4, zstd", args[2])
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(args[0], ",")...), kgo.DefaultProduceTopic(args[1]),
		kgo.ProducerBatchCompression(codec), kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx := context.Background()
	var failed atomic.Int64
	var firstErr atomic.Value
	promise := func(_ *kgo.Record, err error) {
		if err != nil && failed.Add(1) == 1 {
			firstErr.Store(err)
		}
	}
	// Each line copied once (kcat copies each message too), sliced into
	// key and value.
	br := bufio.NewReaderSize(in, 1<<20)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			line = bytes.Clone(bytes.TrimSuffix(line, []byte("\n")))
			k, v, _ := bytes.Cut(line, []byte("|"))
			cl.Produce(ctx, &kgo.Record{Key: k, Value: v}, promise)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if err := cl.Flush(ctx); err != nil {
		return err
	}
	if n := failed.Load(); n > 0 {
		return fmt.Errorf("%d records failed, the first: %v", n, firstErr.Load())
	}
	return nil
}
