#!/usr/bin/env bash
# Starts a real single-node Apache Kafka 4.x broker (KRaft combined mode) on loopback for
# kflow's tests, with its state in DIR, and returns once the broker answers a metadata request.
#
#   scripts/kafka/start.sh DIR
#   scripts/kafka/start.sh --restart DIR   # the broker of DIR again: same data, same ports
#   scripts/kafka/start.sh --brokers 3 DIR # a 3-node cluster instead (see cluster.sh)
#
# Picks free loopback ports, so concurrent runs never collide. Listeners:
#   PLAINTEXT://127.0.0.1:PORT     the normal client listener
#   CONTROLLER://127.0.0.1:CPORT   the KRaft controller (not for clients)
#   DOCKER://127.0.0.1:DPORT       advertised as kafka.invalid:DPORT, reproducing the commonest
#                                  Docker mistake (advertised host clients cannot resolve), for
#                                  tests of kflow's connection doctor
# Writes into DIR: server.properties, data/ (log.dirs), logs/server.log, kafka.log (console
# output), kafka.pid, and env, a sourceable file of KEY=VALUE lines:
#   KFLOW_TEST_BROKERS, KFLOW_TEST_DOCKER_LISTENER, KFLOW_KAFKA_LIBS, KFLOW_KAFKA_VERSION.
# Stop it with scripts/kafka/stop.sh DIR. Exits non-zero (after printing the broker's log
# tail) when the broker does not become ready within KFLOW_KAFKA_START_TIMEOUT seconds (60).
set -euo pipefail

restart=false
if [[ "${1:-}" == "--brokers" ]]; then
  if [[ "${2:-}" != "1" ]]; then
    exec bash "$(dirname "${BASH_SOURCE[0]}")/cluster.sh" "${@:2}"
  fi
  shift 2
fi
if [[ "${1:-}" == "--restart" ]]; then
  restart=true
  shift
fi
if [[ $# -ne 1 ]]; then
  echo "usage: $0 [--restart] DIR" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/kafka/common.sh
source "$here/common.sh"

mkdir -p "$1"
dir="$(cd "$1" && pwd)"
timeout_s="${KFLOW_KAFKA_START_TIMEOUT:-60}"
java_bin="${JAVA:-java}"

if [[ -f "$dir/kafka.pid" ]] && kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null; then
  echo "start.sh: a broker is already running from $dir (pid $(cat "$dir/kafka.pid"))" >&2
  exit 1
fi

libs="$(kflow_kafka_libs || "$here/install.sh")"

# Prints three distinct free TCP ports on 127.0.0.1, one per line. The sockets are all
# bound at once, so the three differ; the kernel does not hand them out again right away.
free_ports() {
  if command -v python3 >/dev/null 2>&1; then
    python3 - <<'PY'
import socket
socks = []
for _ in range(3):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
    s.close()
PY
  else
    # Fallback: random ports in a range outside Linux's ephemeral range, probed with
    # /dev/tcp (a refused connection means nothing listens there).
    local picked=() p
    while [[ ${#picked[@]} -lt 3 ]]; do
      p=$((20000 + RANDOM % 12000))
      if [[ " ${picked[*]} " == *" $p "* ]]; then
        continue
      fi
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        picked+=("$p")
      fi
    done
    printf '%s\n' "${picked[@]}"
  fi
}

write_config() {
  local port="$1" cport="$2" dport="$3"
  cat >"$dir/server.properties" <<EOF
# Written by scripts/kafka/start.sh: a single-node KRaft broker+controller for kflow's tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport,DOCKER://127.0.0.1:$dport
# DOCKER is deliberately misadvertised: kafka.invalid never resolves (RFC 2606).
advertised.listeners=PLAINTEXT://127.0.0.1:$port,DOCKER://kafka.invalid:$dport
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,DOCKER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data

# One broker: every internal topic with one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
# Fewer partitions for internal topics than the default 50: quicker first group/transaction.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5
share.coordinator.state.topic.num.partitions=5

group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.partitions=1

# The test machines have 2 cores: keep the thread pools small.
num.network.threads=2
num.io.threads=4
background.threads=4
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=16777216
EOF
}

# Succeeds when the broker answers a metadata request on the PLAINTEXT listener.
broker_ready() {
  local port="$1" out
  # Cheap check first: is anything accepting connections yet?
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 1
  fi
  if command -v kcat >/dev/null 2>&1; then
    out="$(kcat -b "127.0.0.1:$port" -L -m 5 2>/dev/null)" || return 1
    [[ "$out" == *"broker ${KFLOW_NODE_ID:-1} at 127.0.0.1:$port"* ]]
  else
    "$java_bin" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
      -Dlog4j2.configurationFile="$here/tools-log4j2.properties" -cp "$libs/*" \
      org.apache.kafka.tools.BrokerApiVersionsCommand \
      --bootstrap-server "127.0.0.1:$port" >/dev/null 2>&1
  fi
}

# A random Kafka cluster id (what StorageTool random-uuid prints: 16 random bytes in URL-safe
# base64 without padding, never starting with '-'); python3 saves starting one more JVM.
new_cluster_id() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import base64, os
while True:
    s = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    if not s.startswith("-"):
        print(s)
        break'
  else
    "$java_bin" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$libs/*" \
      -Dlog4j2.configurationFile="$here/tools-log4j2.properties" kafka.tools.StorageTool random-uuid
  fi
}

print_logs() {
  echo "---- tail of $dir/kafka.log ----" >&2
  tail -n 40 "$dir/kafka.log" >&2 2>/dev/null || true
  echo "---- tail of $dir/logs/server.log ----" >&2
  tail -n 40 "$dir/logs/server.log" >&2 2>/dev/null || true
}

bind_failed() {
  grep -qsE 'BindException|Address already in use' "$dir/kafka.log" "$dir/logs/server.log"
}

# Starts the broker of DIR in the background (its console output appended to kafka.log, so a
# restart keeps the earlier run's lines) and records its pid.
launch() {
  # shellcheck disable=SC2086 # KFLOW_KAFKA_JAVA_OPTS is a list of options
  # shellcheck disable=SC2086 # KFLOW_KAFKA_HEAP_OPTS is a list of options
  "$java_bin" ${KFLOW_KAFKA_HEAP_OPTS:--Xmx512m -Xms256m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$dir/logs" -Dlog4j2.configurationFile="$here/log4j2.properties" \
    ${KFLOW_KAFKA_JAVA_OPTS:-} -cp "$libs/*" kafka.Kafka "$dir/server.properties" \
    </dev/null >>"$dir/kafka.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/kafka.pid"
}

# Succeeds once the broker launched last answers on PORT; fails when it exits first or
# the start timeout passes.
wait_ready() {
  local port="$1" deadline=$((SECONDS + timeout_s))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      return 1
    fi
    if broker_ready "$port"; then
      return 0
    fi
    sleep 0.25
  done
  return 1
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
started_ms=$(now_ms)

if $restart; then
  # shellcheck disable=SC1091 # written by the first start
  source "$dir/env" 2>/dev/null || {
    echo "start.sh: --restart: no $dir/env (was a broker ever started from $dir?)" >&2
    exit 1
  }
  port="${KFLOW_TEST_BROKERS##*:}"
  launch
  if ! wait_ready "$port"; then
    echo "start.sh: restarted broker (pid $pid) not ready on port $port" >&2
    print_logs
    exit 1
  fi
  echo "start.sh: Kafka $KFLOW_KAFKA_VERSION restarted at 127.0.0.1:$port (pid $pid, ready in $(($(now_ms) - started_ms)) ms)" >&2
  exit 0
fi

max_attempts=3
for attempt in $(seq 1 "$max_attempts"); do
  mapfile -t ports < <(free_ports)
  if [[ ${#ports[@]} -ne 3 ]]; then
    echo "start.sh: could not pick free ports" >&2
    exit 1
  fi
  port="${ports[0]}" cport="${ports[1]}" dport="${ports[2]}"
  write_config "$port" "$cport" "$dport"

  rm -rf "$dir/data" "$dir/logs" "$dir/kafka.log" "$dir/kafka.pid" "$dir/env"
  mkdir -p "$dir/logs"
  : >"$dir/kafka.log"

  cluster_id="$(new_cluster_id)"
  # Static quorum (controller.quorum.voters), so no --standalone: Kafka 4.x rejects it there.
  if ! "$java_bin" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$libs/*" \
    -Dlog4j2.configurationFile="$here/tools-log4j2.properties" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
    >"$dir/format.log" 2>&1; then
    echo "start.sh: formatting $dir/data failed:" >&2
    cat "$dir/format.log" >&2
    exit 1
  fi

  launch
  if wait_ready "$port"; then
    break
  fi

  if ! kill -0 "$pid" 2>/dev/null && bind_failed && ((attempt < max_attempts)); then
    echo "start.sh: a port was taken meanwhile, retrying with new ports" >&2
    continue
  fi

  if kill -0 "$pid" 2>/dev/null; then
    echo "start.sh: broker (pid $pid) not ready after ${timeout_s}s" >&2
  else
    echo "start.sh: broker (pid $pid) exited during startup" >&2
  fi
  print_logs
  "$here/stop.sh" "$dir" >/dev/null 2>&1 || true
  exit 1
done

{
  printf 'KFLOW_TEST_BROKERS=%q\n' "127.0.0.1:$port"
  printf 'KFLOW_TEST_DOCKER_LISTENER=%q\n' "127.0.0.1:$dport"
  printf 'KFLOW_KAFKA_LIBS=%q\n' "$libs"
  printf 'KFLOW_KAFKA_VERSION=%q\n' "$KFLOW_KAFKA_VERSION"
} >"$dir/env.tmp"
mv "$dir/env.tmp" "$dir/env"

echo "start.sh: Kafka $KFLOW_KAFKA_VERSION ready at 127.0.0.1:$port (pid $pid, ready in $(($(now_ms) - started_ms)) ms)" >&2
