#!/usr/bin/env bash
# Puts the test broker of DIR (started by scripts/kafka/start.sh DIR) through a fault, for
# tests of how kflow behaves while its broker is gone or hung. The data and the ports stay:
# `restart` brings the same broker back where clients left it.
#
#   scripts/kafka/fault.sh DIR hang      SIGSTOP: the broker keeps its sockets but answers nothing
#   scripts/kafka/fault.sh DIR resume    SIGCONT: a hung broker answers again
#   scripts/kafka/fault.sh DIR stop      SIGTERM, waits until it has exited (a clean shutdown)
#   scripts/kafka/fault.sh DIR kill      SIGKILL, waits until it has exited (a crash)
#   scripts/kafka/fault.sh DIR restart   starts it again on the same data and ports, returns when ready
#
# For a cluster (start.sh --brokers N DIR), one node at a time, the others untouched:
#
#   scripts/kafka/fault.sh DIR --node K hang|resume|stop|kill|restart
#
# DIR/broker-K.pid follows the node: removed when it exits, rewritten when it restarts.
# scripts/kafka/stop.sh DIR still stops it for good (and removes its data).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -eq 4 && "$2" == "--node" ]]; then
  if [[ ! "$3" =~ ^[0-9]+$ || ! -f "$1/node-$3/server.properties" ]]; then
    echo "fault.sh: $1 has no cluster node $3" >&2
    exit 1
  fi
  rc=0
  bash "$0" "$1/node-$3" "$4" || rc=$?
  if [[ -f "$1/node-$3/kafka.pid" ]]; then
    cp "$1/node-$3/kafka.pid" "$1/broker-$3.pid"
  else
    rm -f "$1/broker-$3.pid"
  fi
  exit "$rc"
fi
if [[ $# -ne 2 ]]; then
  echo "usage: $0 DIR [--node K] hang|resume|stop|kill|restart" >&2
  exit 2
fi
dir="$1"
action="$2"
grace_s="${KFLOW_KAFKA_STOP_TIMEOUT:-30}"

pid=""
if [[ -f "$dir/kafka.pid" ]]; then
  pid="$(cat "$dir/kafka.pid")"
fi

# True while the recorded pid is alive and still a Kafka broker (guards against pid reuse).
alive() {
  [[ "$pid" =~ ^[0-9]+$ ]] && [[ -r "/proc/$pid/cmdline" ]] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'
}

# True until the process has exited for good. A dying JVM loses its command line (memory goes
# first) before its sockets close, and its main thread turns zombie while other threads still
# hold the sockets: only all threads zombie, or no process at all, counts.
running() {
  local st state
  for st in /proc/"$pid"/task/*/stat; do
    state="$(awk '{print $3}' "$st" 2>/dev/null)" || continue
    if [[ -n "$state" && "$state" != Z ]]; then
      return 0
    fi
  done
  return 1
}

# Sends SIG and waits, bounded, until the broker has exited.
signal_and_wait() {
  local sig="$1" deadline=$((SECONDS + grace_s))
  if ! alive; then
    echo "fault.sh: no broker runs from $dir" >&2
    exit 1
  fi
  kill -CONT "$pid" 2>/dev/null || true # a hung broker must run to act on SIGTERM
  kill "-$sig" "$pid"
  while running && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if running; then
    echo "fault.sh: broker $pid still running ${grace_s}s after SIG$sig, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while running; do sleep 0.1; done
  fi
  rm -f "$dir/kafka.pid"
}

case "$action" in
  hang | resume)
    alive || { echo "fault.sh: no broker runs from $dir" >&2; exit 1; }
    if [[ "$action" == hang ]]; then kill -STOP "$pid"; else kill -CONT "$pid"; fi
    ;;
  stop) signal_and_wait TERM ;;
  kill) signal_and_wait KILL ;;
  restart)
    if alive; then
      echo "fault.sh: the broker of $dir still runs (pid $pid): stop or kill it first" >&2
      exit 1
    fi
    exec bash "$here/start.sh" --restart "$dir"
    ;;
  *)
    echo "usage: $0 DIR hang|resume|stop|kill|restart" >&2
    exit 2
    ;;
esac
