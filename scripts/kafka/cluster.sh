#!/usr/bin/env bash
# Starts a real N-node Apache Kafka 4.x cluster on loopback for kflow's replication tests: N
# combined broker+controller nodes (KRaft, an N-voter static quorum), node ids 1..N, state in
# DIR/node-K. Returns once every node answers a metadata request listing all N brokers.
# Run through scripts/kafka/start.sh --brokers N DIR (N >= 2; 3 is what the tests use).
#
#   scripts/kafka/cluster.sh N DIR
#
# Defaults for a replicated cluster: default.replication.factor=min(N,3), min.insync.replicas=
# RF-1 (2 for 3 nodes), internal topics with the same replication and min ISR. Each node has a
# small heap (KFLOW_KAFKA_CLUSTER_HEAP, default -Xmx384m -Xms192m) and few threads: the test
# machines have 2 cores.
# Writes into DIR: env (KFLOW_TEST_BROKERS=all nodes comma separated, KFLOW_KAFKA_LIBS,
# KFLOW_KAFKA_VERSION, KFLOW_CLUSTER_NODES=N), broker-K.pid per node, and node-K/ (the node's
# own server.properties, data/, logs/, kafka.log, kafka.pid and env, so that
# scripts/kafka/fault.sh DIR --node K acts on one node with the single-node machinery).
# Stop it with scripts/kafka/stop.sh DIR.
set -euo pipefail

if [[ $# -ne 2 || ! "$1" =~ ^[0-9]+$ || "$1" -lt 2 || "$1" -gt 9 ]]; then
  echo "usage: scripts/kafka/start.sh --brokers N DIR   (2 <= N <= 9)" >&2
  exit 2
fi
n="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/kafka/common.sh
source "$here/common.sh"

mkdir -p "$2"
dir="$(cd "$2" && pwd)"
timeout_s="${KFLOW_KAFKA_START_TIMEOUT:-90}"
java_bin="${JAVA:-java}"
heap="${KFLOW_KAFKA_CLUSTER_HEAP:--Xmx384m -Xms192m}"
rf=$((n < 3 ? n : 3))
min_isr=$((rf > 1 ? rf - 1 : 1))

for f in "$dir"/broker-*.pid; do
  if [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null; then
    echo "start.sh: a cluster is already running from $dir ($f)" >&2
    exit 1
  fi
done

libs="$(kflow_kafka_libs || "$here/install.sh")"

started_ms=$(now_ms)

if ! command -v python3 >/dev/null 2>&1; then
  echo "start.sh --brokers: needs python3 (free ports, cluster id)" >&2
  exit 1
fi

mapfile -t ports < <(free_ports $((2 * n)))
voters=""
for k in $(seq 1 "$n"); do
  voters+="${voters:+,}$k@127.0.0.1:${ports[$((n + k - 1))]}"
done

write_config() {
  local k="$1" nd="$2" port="${ports[$(($1 - 1))]}" cport="${ports[$((n + $1 - 1))]}"
  cat >"$nd/server.properties" <<CFG
# Written by scripts/kafka/cluster.sh: node $k of a $n-node KRaft cluster for kflow's tests.
process.roles=broker,controller
node.id=$k
controller.quorum.voters=$voters
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$nd/data

default.replication.factor=$rf
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$min_isr
offsets.topic.num.partitions=3
transaction.state.log.num.partitions=3
share.coordinator.state.topic.num.partitions=3

group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.partitions=1
# Failover quickly enough for tests: a dead broker leaves the ISR within ~6 s.
replica.lag.time.max.ms=6000
broker.session.timeout.ms=6000
broker.heartbeat.interval.ms=1000
unclean.leader.election.enable=false
# Leadership returns to the preferred replicas only when asked (kflow topic elect-leaders),
# never by the controller's own rebalance, so a test sees what an election changes.
auto.leader.rebalance.enable=false

num.network.threads=1
num.io.threads=2
background.threads=2
num.replica.fetchers=1
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=8388608
CFG
  {
    printf 'KFLOW_TEST_BROKERS=%q\n' "127.0.0.1:$port"
    printf 'KFLOW_NODE_ID=%q\n' "$k"
    printf 'KFLOW_KAFKA_HEAP_OPTS=%q\n' "$heap"
    printf 'KFLOW_KAFKA_LIBS=%q\n' "$libs"
    printf 'KFLOW_KAFKA_VERSION=%q\n' "$KFLOW_KAFKA_VERSION"
  } >"$nd/env"
}

cluster_id="$(new_cluster_id)"
pids=()
for k in $(seq 1 "$n"); do
  nd="$dir/node-$k"
  rm -rf "$nd"
  mkdir -p "$nd/logs"
  : >"$nd/kafka.log"
  write_config "$k" "$nd"
done

# Format all nodes in one JVM each, in parallel: the JVM start dominates.
for k in $(seq 1 "$n"); do
  nd="$dir/node-$k"
  "$java_bin" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$libs/*" \
    -Dlog4j2.configurationFile="$here/tools-log4j2.properties" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$nd/server.properties" \
    >"$nd/format.log" 2>&1 &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "start.sh: formatting node $((i + 1)) failed:" >&2
    cat "$dir/node-$((i + 1))/format.log" >&2
    exit 1
  fi
done

for k in $(seq 1 "$n"); do
  nd="$dir/node-$k"
  # shellcheck disable=SC2086 # heap and KFLOW_KAFKA_JAVA_OPTS are lists of options
  "$java_bin" $heap -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:CICompilerCount=2 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$nd/logs" -Dlog4j2.configurationFile="$here/log4j2.properties" \
    ${KFLOW_KAFKA_JAVA_OPTS:-} -cp "$libs/*" kafka.Kafka "$nd/server.properties" \
    </dev/null >>"$nd/kafka.log" 2>&1 &
  echo $! >"$nd/kafka.pid"
  cp "$nd/kafka.pid" "$dir/broker-$k.pid"
done

fail() {
  echo "start.sh: $1" >&2
  for k in $(seq 1 "$n"); do
    echo "---- tail of $dir/node-$k/kafka.log ----" >&2
    tail -n 20 "$dir/node-$k/kafka.log" >&2 2>/dev/null || true
  done
  "$here/stop.sh" "$dir" >/dev/null 2>&1 || true
  exit 1
}

# Ready: every node answers and its metadata lists all N brokers (all registered, unfenced).
deadline=$((SECONDS + timeout_s))
ready=0
while ((SECONDS < deadline)); do
  ready=0
  for k in $(seq 1 "$n"); do
    kill -0 "$(cat "$dir/broker-$k.pid")" 2>/dev/null || fail "node $k exited during startup"
    out="$(kcat -b "127.0.0.1:${ports[$((k - 1))]}" -L -m 3 -t __none 2>/dev/null)" || continue
    [[ "$out" == *" $n brokers:"* ]] && ready=$((ready + 1))
  done
  ((ready == n)) && break
  sleep 0.25
done
((ready == n)) || fail "cluster not ready after ${timeout_s}s ($ready of $n nodes see all brokers)"

addrs=""
for k in $(seq 1 "$n"); do
  addrs+="${addrs:+,}127.0.0.1:${ports[$((k - 1))]}"
done
{
  printf 'KFLOW_TEST_BROKERS=%s\n' "$addrs" # no character here needs quoting
  printf 'KFLOW_CLUSTER_NODES=%q\n' "$n"
  printf 'KFLOW_KAFKA_LIBS=%q\n' "$libs"
  printf 'KFLOW_KAFKA_VERSION=%q\n' "$KFLOW_KAFKA_VERSION"
} >"$dir/env.tmp"
mv "$dir/env.tmp" "$dir/env"

echo "start.sh: Kafka $KFLOW_KAFKA_VERSION $n-node cluster ready at $addrs (ready in $(($(now_ms) - started_ms)) ms)" >&2
