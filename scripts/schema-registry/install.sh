#!/usr/bin/env bash
# Builds the test Schema Registry (Apicurio Registry, see pom.xml: its Confluent-compatible API is
# under /apis/ccompat/v7) with Maven from Maven Central into a cache outside the clone:
# ${KFLOW_CACHE:-$HOME/.cache/kflow}/apicurio-VERSION/ (the runner jar and its lib/).
# Does nothing when that cache was built from the same pom.xml and src/ (marker with their digest).
# Prints the runner jar's path on stdout; messages go to stderr.
set -euo pipefail

# shellcheck source=scripts/schema-registry/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if kflow_sr_jar; then
  exit 0
fi

for tool in "${JAVA:-java}" mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install.sh: '$tool' not found (run scripts/install-deps.sh)" >&2
    exit 1
  fi
done

mkdir -p "$KFLOW_SR_HOME"
# Two runs at once (e.g. two test.sh) must not build into the same directory.
exec 9>"$KFLOW_SR_HOME/.lock"
flock 9
if kflow_sr_jar; then
  exit 0
fi

echo "install.sh: building Apicurio Registry $KFLOW_SR_VERSION from Maven Central into $KFLOW_SR_HOME ..." >&2
started=$SECONDS
tmp="$(mktemp -d "$KFLOW_SR_HOME/build.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# Build in a copy, so the clone gets no target/ and a half-built cache is never used.
cp -R "$KFLOW_SR_POM" "$KFLOW_SR_DIR/src" "$tmp/"
digest="$(kflow_sr_digest)"

# Maven's output is shown only when it fails (quiet mode still prints colour resets).
if ! mvn -B -q -ntp -Dstyle.color=never -f "$tmp/pom.xml" package -DskipTests >"$tmp/build.log" 2>&1; then
  cat "$tmp/build.log" >&2
  echo "install.sh: building the Schema Registry with Maven failed" >&2
  exit 1
fi
if [[ ! -f "$tmp/target/apicurio-sr-1-runner.jar" || ! -d "$tmp/target/lib" ]]; then
  echo "install.sh: apicurio-sr-1-runner.jar or lib/ missing after the build" >&2
  exit 1
fi

rm -rf "$KFLOW_SR_JAR" "$KFLOW_SR_HOME/lib" "$KFLOW_SR_MARKER"
mv "$tmp/target/lib" "$KFLOW_SR_HOME/lib"
mv "$tmp/target/apicurio-sr-1-runner.jar" "$KFLOW_SR_JAR"
printf '%s\n' "$digest" >"$KFLOW_SR_MARKER"
echo "install.sh: Schema Registry built in $((SECONDS - started))s" >&2
printf '%s\n' "$KFLOW_SR_JAR"
