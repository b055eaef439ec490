package main

import "runtime/debug"

// streamGC lets the heap grow to 5 times what is live before a
// collection, not twice (GOGC 400 unless GOGC is set), under a soft limit
// of 512 MiB (unless GOMEMLIMIT is set), for the commands that stream
// records: produce and the headless tail. They hold little, and a bounded
// amount (a produce run's records in flight and read ahead, at most 64
// and 16 MiB; a tail's two fetches and its output segments), while they
// allocate all along (slabs of lines; franz-go's buffer for each fetch
// response). With the default, a produce run of 200,000 records collected
// 18 times, a sixth of its CPU; GOGC 400 took 10% off the CPU of a
// million-record `tail --json` (peak RSS 72 to 110 MB; BENCHMARKS.md).
func streamGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}
}
