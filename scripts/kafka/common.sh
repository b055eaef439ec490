# shellcheck shell=bash
# Shared settings for the scripts in scripts/kafka/ (sourced, not run).
# The Kafka version is read from pom.xml so that it is written in one place only.

KFLOW_KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KFLOW_KAFKA_POM="$KFLOW_KAFKA_DIR/pom.xml"

KFLOW_KAFKA_VERSION="$(sed -n 's:.*<kafka\.version>\([^<]*\)</kafka\.version>.*:\1:p' "$KFLOW_KAFKA_POM" | head -n 1)"
if [[ -z "$KFLOW_KAFKA_VERSION" ]]; then
  echo "cannot read <kafka.version> from $KFLOW_KAFKA_POM" >&2
  exit 1
fi

# Cache outside the clone so CI runs do not resolve the jars again.
KFLOW_KAFKA_HOME="${KFLOW_CACHE:-$HOME/.cache/kflow}/kafka-$KFLOW_KAFKA_VERSION"
KFLOW_KAFKA_LIBS="$KFLOW_KAFKA_HOME/libs"
KFLOW_KAFKA_MARKER="$KFLOW_KAFKA_HOME/.complete"

# The marker holds a digest of pom.xml: editing the pom (e.g. the log4j version)
# makes install.sh resolve again even when the Kafka version stays the same.
kflow_kafka_pom_digest() {
  sha256sum "$KFLOW_KAFKA_POM" | cut -d ' ' -f 1
}

# Prints the directory of the cached jars if install.sh completed, else fails.
kflow_kafka_libs() {
  if [[ -d "$KFLOW_KAFKA_LIBS" && -f "$KFLOW_KAFKA_MARKER" ]] &&
    [[ "$(cat "$KFLOW_KAFKA_MARKER")" == "$(kflow_kafka_pom_digest)" ]]; then
    printf '%s\n' "$KFLOW_KAFKA_LIBS"
  else
    return 1
  fi
}

# Prints COUNT distinct free TCP ports on 127.0.0.1, one per line. The sockets are all
# bound at once, so they differ; the kernel does not hand them out again right away.
free_ports() {
  local count="$1"
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$count" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
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
    while [[ ${#picked[@]} -lt $count ]]; do
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
    "${java_bin:-java}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$(kflow_kafka_libs)/*" \
      -Dlog4j2.configurationFile="$(dirname "${BASH_SOURCE[0]}")/tools-log4j2.properties" kafka.tools.StorageTool random-uuid
  fi
}

# Milliseconds since the epoch.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
