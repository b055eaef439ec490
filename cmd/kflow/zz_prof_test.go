package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"kflow/kafka"
	"kflow/template"
)

func BenchmarkZZProf(b *testing.B) {
	brokers := os.Getenv("KFLOW_TEST_BROKERS")
	mode := os.Getenv("ZZ_MODE")
	key, value := compactOrderTemplate(b)
	n := 200000
	var lines bytes.Buffer
	rt, _ := template.CompileRecord(template.RecordSpec{Partition: -1, Key: &key, Value: value})
	for i := range n * len(mode) / 5 * (len(mode) % 2) {
		r := kafka.TemplateRecord(rt, int64(i+1), time.Now(), nil)
		lines.Write(r.Key)
		lines.WriteByte('|')
		lines.Write(r.Value)
		lines.WriteByte('\n')
	}
	topic := "zz-prof-" + strconv.FormatInt(time.Now().UnixNano(), 10)
	c, _ := kafka.Connect(context.Background(), kafka.ConnConfig{Brokers: []string{brokers}})
	if err := c.CreateTopic(context.Background(), kafka.TopicSpec{Name: topic, Partitions: 3, ReplicationFactor: 1}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		var in io.Reader = bytes.NewReader(nil)
		args := []string{"produce", "-b", brokers, "-t", topic}
		if mode == "stdin" {
			pr, pw := io.Pipe()
			go func() { pw.Write(lines.Bytes()); pw.Close() }()
			in = pr
			args = append(args, "-K", "|")
		} else {
			args = append(args, "--count", strconv.Itoa(n), "-k", key, value)
		}
		var errb bytes.Buffer
		start := time.Now()
		code := run(context.Background(), args, env{stdin: in, stdout: io.Discard, stderr: &errb, getenv: os.Getenv})
		if code != 0 {
			b.Fatal(errb.String())
		}
		b.Logf("%.0f rec/s %s", float64(n)/time.Since(start).Seconds(), errb.String())
	}
}
