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
			about: "Look at one topic; create, grow or delete it; change its configs (values in human units: 7d, 100MiB, unlimited; checked by the broker first) or delete its records before an offset or a time; elect its preferred leaders or move its replicas.",
			examples: [2]string{
				"kflow topic describe orders",
				"kflow topic create orders -p 6 -r 3 -c cleanup.policy=compact",
			},
			subs: []subDoc{
				{"describe", "NAME", "Print the topic's partitions: leader, replicas, in-sync replicas, health, start and end offsets, records; --fail-on exits 3 on a partition at that mark or worse.", []string{"fail-on"},
					[2]string{"kflow topic describe orders", "kflow topic describe orders --fail-on under-min-isr || page-oncall"}},
				{"configs", "NAME", "Print the topic's configs with their values and where each is set.", nil,
					[2]string{"kflow topic configs orders", "kflow topic configs orders --json | jq '.[] | select(.is_default | not)'"}},
				{"create", "NAME", "Create a topic.", []string{"partitions", "replication-factor", "config-entry", "max-partitions"},
					[2]string{"kflow topic create orders -p 6 -r 3", "kflow topic create users -c cleanup.policy=compact -c retention.ms=-1"}},
				{"add-partitions", "NAME COUNT", "Add COUNT partitions to a topic (Kafka cannot remove them).", []string{"max-partitions"},
					[2]string{"kflow topic add-partitions orders 2", "kflow topic add-partitions orders 6 --read-only   # refused: read-only"}},
				{"delete", "NAME", "Delete a topic and its records, once its name is typed back or given to --confirm.", []string{"confirm"},
					[2]string{"kflow topic delete orders                 # asks for the name on a terminal", "kflow topic delete orders --confirm orders"}},
				{"set-config", "NAME KEY=VALUE...", "Change topic configs (incremental alter configs): prints each key old → new, asks the broker to validate it (ValidateOnly), then applies it; --dry-run stops after the check. Durations (*.ms) take 7d, 12h, 30m, 250ms; sizes (*.bytes) 100MiB, 1GiB; unlimited is -1.", []string{"dry-run"},
					[2]string{"kflow topic set-config orders retention.ms=7d segment.bytes=100MiB", "kflow topic set-config orders retention.ms=unlimited --dry-run --json"}},
				{"reset-config", "NAME KEY...", "Remove topic configs set on the topic, so the broker's default applies again; prints the value each falls back to, checked by the broker first.", []string{"dry-run"},
					[2]string{"kflow topic reset-config orders retention.ms", "kflow topic reset-config orders retention.ms cleanup.policy --dry-run"}},
				{"truncate", "NAME", "Delete a topic's records before an offset, before a time, or all of them (end), in all or some partitions: prints the plan (start offset before and after, records removed per partition); with --execute (and the name confirmed) deletes them.", []string{"before", "partitions", "dry-run", "execute", "confirm"},
					[2]string{"kflow topic truncate orders --before @2026-11-23T10:00:00Z --partitions 0,2", "kflow topic truncate orders --before end --execute --confirm orders"}},
				{"elect-leaders", "[NAME]", "Move partition leadership back to each partition's preferred replica (the first of its replicas), of a topic, some of its partitions or --all: the plan (current leader → preferred) by default, then --execute --confirm NAME (or all) elects and says per partition: elected, already preferred or the error.", []string{"partitions", "all", "dry-run", "execute", "confirm"},
					[2]string{"kflow topic elect-leaders orders --partitions 0,2", "kflow topic elect-leaders --all --execute --confirm all"}},
				{"reassign", "[NAME]", "Move a topic's replicas: the plan (current → target replicas per partition, bytes to copy) from --plan FILE (kafka-reassign-partitions.sh JSON) or --to-brokers; --execute --confirm NAME starts it, optionally throttled; --status follows it (adding/removing replicas, ISR catch-up) and removes the throttle once done; --cancel --confirm NAME stops it.", []string{"plan", "to-brokers", "throttle", "save-plan", "dry-run", "execute", "status", "cancel", "confirm"},
					[2]string{"kflow topic reassign orders --to-brokers 1,2,3 --throttle 10MiB/s --execute --confirm orders", "kflow topic reassign --status orders"}},
			},
		},
		"broker": {
			about: "Look at one broker's configs (or the cluster-wide default's, --default) with where each value comes from, and change or reset the dynamic ones, checked by the broker first. Read-only keys are refused with the reason.",
			examples: [2]string{
				"kflow broker configs 1",
				"kflow broker set-config --default log.retention.ms=3d --dry-run",
			},
			subs: []subDoc{
				{"configs", "ID", "Print the broker's configs: value (in human units), source (dynamic broker, dynamic default broker, static broker, default), dynamic, read-only.", []string{"default"},
					[2]string{"kflow broker configs 1", "kflow broker configs --default --json"}},
				{"set-config", "ID KEY=VALUE...", "Change dynamic broker configs (incremental alter configs): prints old → new, validated by the broker first; --dry-run stops there.", []string{"default", "dry-run"},
					[2]string{"kflow broker set-config 1 log.cleaner.threads=2", "kflow broker set-config --default log.retention.ms=3d"}},
				{"reset-config", "ID KEY...", "Remove dynamic broker configs so the static or default value applies again.", []string{"default", "dry-run"},
					[2]string{"kflow broker reset-config 1 log.cleaner.threads", "kflow broker reset-config --default log.retention.ms --dry-run"}},
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
			about: "Produce records: a VALUE (with {{placeholders}} expanded), a file's bytes, a template, saved JSON lines, or one record per stdin line; --value-schema/--key-schema encode JSON through the schema registry (or @FILE: a local schema, plain body); exit 1 if any record failed.",
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
		"flow": {
			about: "Print the flow map: topics and consumer groups, an edge from a topic to each group reading it, from a group to what it writes (the word count's app topics), and from a topic and its failing group to its DLQ, with records/s, consume rates, lag and status.",
			examples: [2]string{
				"kflow flow --demo",
				"kflow flow --dot | dot -Tsvg > flow.svg",
			},
		},
		"dlq": {
			about: "Look at a dead-letter topic's records by error reason, or redrive them to the topics they came from: a dry run prints the plan (targets, partitions, headers, refused records), --execute sends it in transactions that record the progress, so a killed redrive run again resumes and sends nothing twice.",
			examples: [2]string{
				"kflow dlq summary order_events.DLQ --demo",
				"kflow dlq redrive order_events.DLQ --reason 'inventory: sku SKU-404 not found' --execute --confirm order_events.DLQ",
			},
			subs: []subDoc{
				{"summary", "DLQ_TOPIC", "Group the DLQ's records by error reason header, with counts and first and last times.", []string{"reason-headers"},
					[2]string{"kflow dlq summary order_events.DLQ", "kflow dlq summary order_events.DLQ --json | jq '.reasons[0]'"}},
				{"redrive", "DLQ_TOPIC", "Plan a redrive and print it; with --execute (and the DLQ's name confirmed) send each selected record once to its source topic (or --to), same key on the partition Kafka gives it there, retry count incremented, a redrive id added and the DLQ's error headers dropped. Records retried --max-retries times are refused.",
					[]string{"filter", "reason", "record", "to", "max-retries", "retry-header", "reason-headers", "batch", "rate", "dry-run", "execute", "confirm"},
					[2]string{"kflow dlq redrive order_events.DLQ --filter header:original.group:inventory", "kflow dlq redrive order_events.DLQ --to order_events --execute --confirm order_events.DLQ"}},
			},
		},
		"trace": {
			about: "Find every record that carries a correlation id: in a header named like correlation_id, correlation-id, correlationId or a traceparent's trace id, in a JSON field of those names at any depth (decoded through the schema registry when there is one), or as the key. Every partition is read in parallel from the window's start to its end when the trace starts; results are ordered by time with the groups that have consumed each record (committed past it) and those that have not. --key reads only the partition the key hashes to. Ctrl-C stops and prints what was found.",
			examples: [2]string{
				"kflow trace 7f3c9a2e-0b41-4c55-9d7e-2a4f6b8c1d09 --demo",
				"kflow trace order-42 --key --topics order_events,payment_events --since 24h --json",
			},
		},
		"search": {
			about: "Search a whole topic (or the --since/--from..--to window of it), not only the tail's buffer, with the tail's filter: text, ~regexp, key:TEXT, key:=KEY (reads the one partition the key is written to), value:TEXT, header:NAME:TEXT, jq EXPR. Keeps the first --max-matches matches and counts all.",
			examples: [2]string{
				"kflow search -t order_events --filter 'jq .amount > 100' --since 6h",
				"kflow search -t order_events --filter key:=order-42 --json",
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
		"acl": {
			about: "List, create and delete the cluster's ACLs, with kafka-acls.sh's flags: principals allowed or denied from hosts, operations, and the topics, groups, transactional ids, delegation tokens or cluster they apply to. A delete prints the ACLs its flags match, then deletes exactly those once confirmed; create and delete are refused in read-only.",
			examples: [2]string{
				"kflow acl create --allow-principal User:alice --operation Read --operation Describe --topic orders",
				"kflow acl list --principal User:alice --json",
			},
			subs: []subDoc{
				{"list", "", "Print the ACLs the flags select (none: every ACL), one a line: principal, host, operation, permission, resource type, name and pattern type.",
					[]string{"principal", "allow-principal", "deny-principal", "allow-host", "deny-host", "operation", "topic", "group", "transactional-id", "delegation-token", "cluster", "resource-pattern-type"},
					[2]string{"kflow acl list --topic orders --resource-pattern-type match", "kflow acl list --principal User:alice --json | jq -r '.[].operation'"}},
				{"create", "", "Create an ACL for every principal, host, operation and resource given (Allow for --allow-principal, Deny for --deny-principal).",
					[]string{"allow-principal", "deny-principal", "allow-host", "deny-host", "operation", "topic", "group", "transactional-id", "delegation-token", "cluster", "resource-pattern-type"},
					[2]string{"kflow acl create --allow-principal User:alice --operation Write --topic orders-", "kflow acl create --allow-principal User:etl --operation Read --group etl- --resource-pattern-type prefixed"}},
				{"delete", "", "Print the ACLs the flags match, then delete exactly those, once the filter's principal (or its resource's name) is typed back, given to --confirm, or --force is given; --dry-run only prints them.",
					[]string{"principal", "allow-principal", "deny-principal", "allow-host", "deny-host", "operation", "topic", "group", "transactional-id", "delegation-token", "cluster", "resource-pattern-type", "dry-run", "force", "confirm"},
					[2]string{"kflow acl delete --principal User:alice --topic orders --dry-run", "kflow acl delete --principal User:alice --topic orders --confirm User:alice"}},
			},
		},
		"user": {
			about: "List the cluster's SCRAM users with their mechanisms and iterations, set a user's password (salted and hashed by kflow; read from an environment variable, a command, stdin or a terminal prompt that never echoes it), or delete a mechanism's credential; set and delete are refused in read-only.",
			examples: [2]string{
				"kflow user set alice --mechanism SCRAM-SHA-512 --password-env ALICE_PASSWORD",
				"kflow user list --json",
			},
			subs: []subDoc{
				{"list", "", "Print each SCRAM user, its mechanisms and their iteration counts (never a password nor a salt).", nil,
					[2]string{"kflow user list", "kflow user list --json | jq -r '.[].name'"}},
				{"set", "NAME", "Create or replace the user's password for one mechanism, with a random salt; without --password-env, --password-command or --password-stdin a terminal prompts twice, never echoing.",
					[]string{"mechanism", "iterations", "password-env", "password-command", "password-stdin"},
					[2]string{"kflow user set alice --mechanism SCRAM-SHA-256           # prompts on the terminal", "pass show kafka/alice | kflow user set alice --mechanism SCRAM-SHA-512 --password-stdin"}},
				{"delete", "NAME", "Delete the user's credential of one mechanism, once the name is typed back or given to --confirm.", []string{"mechanism", "confirm"},
					[2]string{"kflow user delete alice --mechanism SCRAM-SHA-256           # asks for the name on a terminal", "kflow user delete alice --mechanism SCRAM-SHA-512 --confirm alice"}},
			},
		},
		"schema": {
			about: "Look at a Schema Registry's subjects and versions, diff two versions with a compatibility verdict, check a schema before registering it, register, delete. The registry is --registry, KFLOW_REGISTRY or the context's schema-registry; no broker is needed.",
			examples: [2]string{
				"kflow schema subjects --registry http://localhost:8081",
				"kflow schema diff orders-value 1 2",
			},
			subs: []subDoc{
				{"subjects", "", "List the subjects with their latest version, its id and type, the compatibility level (the subject's, or the global one) and how many versions.", nil,
					[2]string{"kflow schema subjects", "kflow schema subjects --json | jq -r '.[].subject'"}},
				{"versions", "SUBJECT", "List a subject's versions, one a line.", nil,
					[2]string{"kflow schema versions orders-value", "kflow schema versions orders-value --json"}},
				{"get", "SUBJECT[:VERSION]", "Print a version (default the latest): subject, version, id, type, references, and the schema pretty-printed.", nil,
					[2]string{"kflow schema get orders-value", "kflow schema get orders-value:2 --json | jq -r .schema"}},
				{"get-id", "ID", "Print the schema with a registry id, as records carry it in the wire format.", nil,
					[2]string{"kflow schema get-id 42", "kflow schema get-id 42 --json"}},
				{"diff", "SUBJECT V1 V2", "Print what changed from version V1 to V2 (a number or latest), field by field, and whether V2 is BACKWARD, FORWARD or FULL compatible with V1 by Avro's rules, beside the registry's level.", nil,
					[2]string{"kflow schema diff orders-value 1 2", "kflow schema diff orders-value 1 latest --json | jq .changes"}},
				{"check", "SUBJECT FILE", "Ask the registry whether FILE (- for stdin) may be registered as the subject's next version; exit 1 if not.", []string{"type", "ref"},
					[2]string{"kflow schema check orders-value order-v3.avsc", "kflow schema check shop-order order.proto --ref common/money.proto=common:1"}},
				{"register", "SUBJECT FILE", "Register FILE (- for stdin) as the subject's next version (the same schema again is the same version); refused in read-only.", []string{"type", "ref"},
					[2]string{"kflow schema register orders-value order-v3.avsc", "kflow schema register events-value - --type JSON < event.schema"}},
				{"delete", "SUBJECT[:VERSION]", "Soft-delete one version, or the whole subject, once the subject's name is typed back or given to --confirm; refused in read-only.", []string{"confirm"},
					[2]string{"kflow schema delete orders-value:3          # asks for the name on a terminal", "kflow schema delete orders-value --confirm orders-value"}},
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
