# shellcheck shell=bash
# Shared settings for the scripts in scripts/schema-registry/ (sourced, not run).
# The Apicurio version is read from pom.xml so that it is written in one place only.

KFLOW_SR_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KFLOW_SR_POM="$KFLOW_SR_DIR/pom.xml"

KFLOW_SR_VERSION="$(sed -n 's:.*<apicurio\.version>\([^<]*\)</apicurio\.version>.*:\1:p' "$KFLOW_SR_POM" | head -n 1)"
if [[ -z "$KFLOW_SR_VERSION" ]]; then
  echo "cannot read <apicurio.version> from $KFLOW_SR_POM" >&2
  exit 1
fi

# Cache outside the clone (like Kafka's jars) so CI runs do not build it again.
KFLOW_SR_HOME="${KFLOW_CACHE:-$HOME/.cache/kflow}/apicurio-${KFLOW_SR_VERSION%.Final}"
KFLOW_SR_JAR="$KFLOW_SR_HOME/apicurio-sr-1-runner.jar"
KFLOW_SR_MARKER="$KFLOW_SR_HOME/.complete"

# The marker holds a digest of pom.xml and src/: editing either (a property in
# application.properties, a dependency) builds again even when the version stays the same.
kflow_sr_digest() {
  (cd "$KFLOW_SR_DIR" && find pom.xml src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
    sha256sum | cut -d ' ' -f 1
}

# Prints the runner jar if install.sh completed for this pom and src, else fails.
kflow_sr_jar() {
  if [[ -f "$KFLOW_SR_JAR" && -d "$KFLOW_SR_HOME/lib" && -f "$KFLOW_SR_MARKER" ]] &&
    [[ "$(cat "$KFLOW_SR_MARKER")" == "$(kflow_sr_digest)" ]]; then
    printf '%s\n' "$KFLOW_SR_JAR"
  else
    return 1
  fi
}
