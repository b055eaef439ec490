#!/usr/bin/env bash
# Stops the test broker that scripts/kafka/start.sh DIR started: SIGTERM (Kafka shuts down
# cleanly), a bounded wait, then SIGKILL; then removes DIR/data. Logs in DIR stay for
# inspection. Safe to run twice or on a DIR where no broker runs.
#
#   scripts/kafka/stop.sh DIR
#
# For a cluster (start.sh --brokers N DIR) it stops every node of DIR/node-K in parallel.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir="$1"
grace_s="${KFLOW_KAFKA_STOP_TIMEOUT:-30}"

if compgen -G "$dir/node-*/server.properties" >/dev/null; then
  for nd in "$dir"/node-*/; do
    bash "$0" "${nd%/}" &
  done
  wait
  rm -f "$dir"/broker-*.pid
  exit 0
fi

# True while PID is alive and still the broker of this DIR (guards against pid reuse).
is_our_broker() {
  local pid="$1"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'
}

if [[ -f "$dir/kafka.pid" ]]; then
  pid="$(cat "$dir/kafka.pid")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + grace_s))
    while is_our_broker "$pid" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if is_our_broker "$pid"; then
      echo "stop.sh: broker $pid still running after ${grace_s}s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      while is_our_broker "$pid"; do
        sleep 0.1
      done
    fi
  fi
  rm -f "$dir/kafka.pid"
fi

rm -rf "$dir/data"
