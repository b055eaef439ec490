// Package wordcount is kflow's streaming word count: Kafka Streams'
// WordCountDemo as a client-layer engine, exactly-once with franz-go's
// GroupTransactSession (split and repartition; count, changelog and
// emit), instances sharing an application id splitting the work. Run
// starts an Engine on a kafka.Client, through the client's small engine
// seam (Options, Admin, Writable, Timeout, Explain, TopicPartitions,
// StartEndOffsets, SimilarTopics) rather than its internals. `kflow
// wordcount` and the word count panel (views, through an interface)
// drive it; SplitWords, EncodeCount and DecodeCount are shared with them.
package wordcount
