#!/usr/bin/env bash
# Stops the test Schema Registry that scripts/schema-registry/start.sh DIR started: SIGTERM, a
# bounded wait (KFLOW_REGISTRY_STOP_TIMEOUT seconds, 15), then SIGKILL. Its log in DIR stays for
# inspection. Safe to run twice or on a DIR where no registry runs.
#
#   scripts/schema-registry/stop.sh DIR
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir="$1"
grace_s="${KFLOW_REGISTRY_STOP_TIMEOUT:-15}"

# True while PID is alive and still a test registry (guards against pid reuse).
is_our_registry() {
  local pid="$1"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'apicurio-sr-1-runner\.jar'
}

if [[ -f "$dir/registry.pid" ]]; then
  pid="$(cat "$dir/registry.pid")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_registry "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + grace_s))
    while is_our_registry "$pid" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if is_our_registry "$pid"; then
      echo "stop.sh: registry $pid still running after ${grace_s}s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      while is_our_registry "$pid"; do
        sleep 0.1
      done
    fi
  fi
  rm -f "$dir/registry.pid"
fi
