package kafka

// The benchmark helpers, for the benchmark that must live in the
// external test package (it imports views, which imports kafka).
var (
	BenchBroker = benchBroker
	BenchTopic  = benchTopic
	RawConsume  = rawConsume

	BenchRegistry  = benchRegistry
	BenchAvroTopic = benchAvroTopic
	MinMedian      = minMedian
)
