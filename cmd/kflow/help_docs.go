package main

// doc is what a command's --help says besides its flags: a sentence on
// what it does, two examples, and its subcommands. The flags' text lives
// with their definitions (the usage argument of each fs.String and the
// like), so help is generated from the flags as parsed and cannot drift.
type doc struct {
	about    string
	examples [2]string
	subs     []subDoc
	// noConn: the command accepts the connection flags (they may be
	// anywhere on the line) but does not use them.
	noConn bool
}

// subDoc is one subcommand: its arguments, what it does, the command's
// flags it uses (by long name) and two examples.
type subDoc struct {
	name, args, about string
	flags             []string
	examples          [2]string
}

// docs are the help texts of the commands, by name; "kflow" is the UI.
func docs() map[string]doc {
	return map[string]doc{
		"kflow": {
			about: "Open the terminal UI on a cluster: topics, groups, lag, a live tail, produce, the word count.",
			examples: [2]string{
				"kflow -b kafka-1:9092,kafka-2:9092 --theme light",
				"kflow --demo                      # an embedded demo cluster, no Kafka needed",
			},
		},
		"topics": {
			about: "List the topics with their partitions, replication factor, record count and health.",
			examples: [2]string{
				"kflow topics -b localhost:9092",
				"kflow topics --all --json | jq -r '.[].name'",
			},
		},
		"topic": {
			about: "Look at one topic, or create, grow or delete it.",
			examples: [2]string{
				"kflow topic describe orders",
				"kflow topic create orders -p 6 -r 3 -c cleanup.policy=compact",
			},
			subs: []subDoc{
				{"describe", "NAME", "Print the topic's partitions: leader, replicas, in-sync replicas, start and end offsets, records.", nil,
					[2]string{"kflow topic describe orders", "kflow topic describe orders --json"}},
				{"configs", "NAME", "Print the topic's configs with their values and where each is set.", nil,
					[2]string{"kflow topic configs orders", "kflow topic configs orders --json | jq '.[] | select(.is_default | not)'"}},
				{"create", "NAME", "Create a topic.", []string{"partitions", "replication-factor", "config-entry", "max-partitions"},
					[2]string{"kflow topic create orders -p 6 -r 3", "kflow topic create users -c cleanup.policy=compact -c retention.ms=-1"}},
				{"add-partitions", "NAME COUNT", "Add COUNT partitions to a topic (Kafka cannot remove them).", []string{"max-partitions"},
					[2]string{"kflow topic add-partitions orders 2", "kflow topic add-partitions orders 6 --read-only   # refused: read-only"}},
				{"delete", "NAME", "Delete a topic and its records, once its name is typed back or given to --confirm.", []string{"confirm"},
					[2]string{"kflow topic delete orders                 # asks for the name on a terminal", "kflow topic delete orders --confirm orders"}},
			},
		},
		"brokers": {
			about: "Print the cluster id, the controller and each broker's id, address and rack.",
			examples: [2]string{
				"kflow brokers",
				"kflow brokers --context prod --json",
			},
		},
		"produce": {
			about: "Produce records: a VALUE (with {{placeholders}} expanded), a file's bytes, a template, saved JSON lines, or one record per stdin line; exit 1 if any record failed.",
			examples: [2]string{
				"kflow produce -t orders -k order-1 -H source=cli '{\"amount\": 42}'",
				"printf 'a:1\\nb:2\\n' | kflow produce -t orders -K :",
			},
		},
		"tail": {
			about: "Print a topic's records as they arrive: values one per line, key DELIM value with -K, or JSON lines with --json.",
			examples: [2]string{
				"kflow tail -t orders --from -10",
				"kflow tail -t orders --from beginning --exit --json > orders.jsonl",
			},
		},
		"lag": {
			about: "Print consumer group lag and status (OK, WARN, REWIND, STALL, STOP, ERROR): a line per group, or per partition for named groups.",
			examples: [2]string{
				"kflow lag --group inventory",
				"kflow lag --fail-on STALL          # exit 3 when a group stalls: for cron and CI",
			},
		},
		"groups": {
			about: "List the consumer groups with their state, type, assignor, members and coordinator.",
			examples: [2]string{
				"kflow groups",
				"kflow groups --json | jq -r '.[].id'",
			},
		},
		"group": {
			about: "Look at one consumer group, reset its offsets (a dry run unless --execute), or delete it.",
			examples: [2]string{
				"kflow group describe inventory",
				"kflow group reset inventory --to earliest --topic orders",
			},
			subs: []subDoc{
				{"describe", "GROUP", "Print the group's state, type, assignor, coordinator and each member's assignment.", nil,
					[2]string{"kflow group describe inventory", "kflow group describe inventory --json"}},
				{"reset", "GROUP", "Plan an offset reset and print it; with --execute (and the group's id confirmed) apply it. Kafka resets only a group with no members.", []string{"to", "topic", "execute", "confirm"},
					[2]string{"kflow group reset inventory --to time:2026-11-23T10:00:00Z", "kflow group reset inventory --to shift:-100 --topic orders:0,1 --execute --confirm inventory"}},
				{"delete", "GROUP", "Delete a group and its committed offsets, once its id is typed back or given to --confirm.", []string{"confirm"},
					[2]string{"kflow group delete old-consumer              # asks for the id on a terminal", "kflow group delete old-consumer --confirm old-consumer"}},
			},
		},
		"wordcount": {
			about: "Run the exactly-once streaming word count (Kafka Streams' WordCount) until Ctrl-C: lines of --input in, counts per word out to --output.",
			examples: [2]string{
				"kflow wordcount --create-input --updates",
				"kflow wordcount --app wc-2 --input lines --output counts --partitions 6",
			},
		},
		"demo": {
			about:  "Run the embedded demo cluster, with its topics, groups and live traffic, until Ctrl-C.",
			noConn: true,
			examples: [2]string{
				"kflow demo",
				"kflow demo --listen 127.0.0.1:19092 --rate 50",
			},
		},
		"version": {
			about:  "Print kflow's version.",
			noConn: true,
			examples: [2]string{
				"kflow version",
				"kflow --version",
			},
		},
		"completion": {
			about:  "Print a shell completion script: commands, subcommands, flags, and topic and group names from the cluster when a broker answers within a second.",
			noConn: true,
			examples: [2]string{
				"source <(kflow completion bash)             # in ~/.bashrc",
				"kflow completion fish > ~/.config/fish/completions/kflow.fish",
			},
		},
	}
}
