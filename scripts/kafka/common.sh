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
