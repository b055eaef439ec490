package wordcount

import "kflow/kafka"

// FlowWrites are the engine's writes a flow map cannot tell from topic
// names alone: the counting stage of app writes output (with the
// defaults: kflow-wordcount-count writes streams-wordcount-output). The
// repartition and changelog topics are named for the app, so the map
// links those itself.
func FlowWrites(app, output string) []kafka.FlowWrite {
	if app == "" {
		app = DefaultApp
	}
	if output == "" {
		output = DefaultOutput
	}
	return []kafka.FlowWrite{{Group: app + "-count", Topic: output}}
}
