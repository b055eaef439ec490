#!/usr/bin/env bash
# Starts the test Schema Registry (Apicurio, built by install.sh; in-memory storage, empty at
# every start) on a free loopback port for kflow's tests, with its files in DIR, and returns once
# it answers GET /apis/ccompat/v7/subjects.
#
#   scripts/schema-registry/start.sh DIR
#
# Writes into DIR: registry.log (its console output), registry.pid, and env, a sourceable file:
#   KFLOW_TEST_REGISTRY=http://127.0.0.1:PORT/apis/ccompat/v7   (the Confluent-compatible API)
# Stop it with scripts/schema-registry/stop.sh DIR. Exits non-zero (after printing the log's tail)
# when it does not answer within KFLOW_REGISTRY_START_TIMEOUT seconds (60). JAVA picks the java.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/schema-registry/common.sh
source "$here/common.sh"

mkdir -p "$1"
dir="$(cd "$1" && pwd)"
timeout_s="${KFLOW_REGISTRY_START_TIMEOUT:-60}"
java_bin="${JAVA:-java}"

if [[ -f "$dir/registry.pid" ]] && kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null; then
  echo "start.sh: a registry is already running from $dir (pid $(cat "$dir/registry.pid"))" >&2
  exit 1
fi

jar="$(kflow_sr_jar || "$here/install.sh")"

# Prints a free TCP port on 127.0.0.1 (the kernel does not hand it out again right away).
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
  else
    # Fallback: a random port outside Linux's ephemeral range that refuses a connection.
    local p
    while :; do
      p=$((20000 + RANDOM % 12000))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        echo "$p"
        return
      fi
    done
  fi
}

# Succeeds when GET URL/subjects answers 200 with a JSON array.
registry_ready() {
  local url="$1" out
  if command -v curl >/dev/null 2>&1; then
    out="$(curl -fsS --max-time 2 "$url/subjects" 2>/dev/null)" || return 1
  else
    local port="${url#http://127.0.0.1:}"
    port="${port%%/*}"
    { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
    printf 'GET /apis/ccompat/v7/subjects HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    out="$(timeout 2 cat <&3)" || { exec 3>&-; return 1; }
    exec 3>&-
    [[ "$out" == "HTTP/1."?" 200"* ]] || return 1
    out="${out##*$'\r\n\r\n'}"
  fi
  [[ "$out" == "["* ]]
}

print_log() {
  echo "---- tail of $dir/registry.log ----" >&2
  tail -n 40 "$dir/registry.log" >&2 2>/dev/null || true
}

bind_failed() {
  grep -qsE 'BindException|Address already in use|Port.*already bound' "$dir/registry.log"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
started_ms=$(now_ms)

max_attempts=3
for attempt in $(seq 1 "$max_attempts"); do
  port="$(free_port)"
  url="http://127.0.0.1:$port/apis/ccompat/v7"
  rm -f "$dir/registry.pid" "$dir/env"
  : >"$dir/registry.log"

  # Quarkus may write beside its working directory: run it in DIR.
  # One worker thread: Apicurio 2.4's in-memory storage takes the next id inside a synchronized
  # block, and a second registration waiting there for the row the first one holds deadlocks them
  # until H2's lock timeout fails one with a 500 (tests register concurrently). One database
  # connection is no cure: a registration holds two at once. With one thread, requests run one
  # after another (each takes milliseconds).
  (cd "$dir" && exec "$java_bin" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Dquarkus.thread-pool.core-threads=1 -Dquarkus.thread-pool.max-threads=1 \
    -jar "$jar" </dev/null >>"$dir/registry.log" 2>&1) &
  pid=$!
  echo "$pid" >"$dir/registry.pid"

  ready=false
  deadline=$((SECONDS + timeout_s))
  while ((SECONDS < deadline)) && kill -0 "$pid" 2>/dev/null; do
    if registry_ready "$url"; then
      ready=true
      break
    fi
    sleep 0.25
  done
  if $ready; then
    break
  fi

  if ! kill -0 "$pid" 2>/dev/null && bind_failed && ((attempt < max_attempts)); then
    echo "start.sh: port $port was taken meanwhile, retrying with another" >&2
    continue
  fi
  if kill -0 "$pid" 2>/dev/null; then
    echo "start.sh: registry (pid $pid) not ready at $url after ${timeout_s}s" >&2
  else
    echo "start.sh: registry (pid $pid) exited during startup" >&2
  fi
  print_log
  "$here/stop.sh" "$dir" >/dev/null 2>&1 || true
  exit 1
done

printf 'KFLOW_TEST_REGISTRY=%q\n' "$url" >"$dir/env.tmp"
mv "$dir/env.tmp" "$dir/env"
echo "start.sh: Schema Registry (Apicurio $KFLOW_SR_VERSION) ready at $url (pid $pid, ready in $(($(now_ms) - started_ms)) ms)" >&2
