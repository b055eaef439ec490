#!/usr/bin/env bash
# Resolves Apache Kafka (broker + tools + log4j2 backend, see pom.xml) from Maven Central
# into a cache outside the clone: ${KFLOW_CACHE:-$HOME/.cache/kflow}/kafka-VERSION/libs.
# Does nothing when that cache is already complete (marker file written after success).
# Prints the libs directory on stdout (the classpath is "LIBS/*"); messages go to stderr.
set -euo pipefail

# shellcheck source=scripts/kafka/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if kflow_kafka_libs; then
  exit 0
fi

for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install.sh: '$tool' not found (run scripts/install-deps.sh)" >&2
    exit 1
  fi
done

mkdir -p "$KFLOW_KAFKA_HOME"
# Two runs at once (e.g. two test.sh) must not resolve into the same directory.
exec 9>"$KFLOW_KAFKA_HOME/.lock"
flock 9
if kflow_kafka_libs; then
  exit 0
fi

echo "install.sh: resolving Kafka $KFLOW_KAFKA_VERSION from Maven Central into $KFLOW_KAFKA_LIBS ..." >&2
tmp="$(mktemp -d "$KFLOW_KAFKA_HOME/libs.tmp.XXXXXX")"
trap 'rm -rf "$tmp" "$tmp.log"' EXIT

# Maven's output is shown only when it fails (quiet mode still prints colour resets).
if ! mvn -B -q -ntp -Dstyle.color=never -f "$KFLOW_KAFKA_POM" dependency:copy-dependencies \
  -DoutputDirectory="$tmp" -DincludeScope=runtime >"$tmp.log" 2>&1; then
  cat "$tmp.log" >&2
  echo "install.sh: resolving Kafka with Maven failed" >&2
  exit 1
fi

for jar in "kafka_2.13-$KFLOW_KAFKA_VERSION.jar" "kafka-tools-$KFLOW_KAFKA_VERSION.jar" "kafka-clients-$KFLOW_KAFKA_VERSION.jar"; do
  if [[ ! -f "$tmp/$jar" ]]; then
    echo "install.sh: $jar missing after resolution" >&2
    exit 1
  fi
done

rm -rf "$KFLOW_KAFKA_LIBS" "$KFLOW_KAFKA_MARKER"
mv "$tmp" "$KFLOW_KAFKA_LIBS"
kflow_kafka_pom_digest >"$KFLOW_KAFKA_MARKER"
echo "install.sh: $(find "$KFLOW_KAFKA_LIBS" -name '*.jar' | wc -l) jars ready" >&2
printf '%s\n' "$KFLOW_KAFKA_LIBS"
