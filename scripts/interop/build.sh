#!/usr/bin/env bash
# Builds a Java program of testdata/interop/NAME (NAME the first argument, default serde) with
# Maven from Maven Central into a cache outside the clone:
# ${KFLOW_CACHE:-$HOME/.cache/kflow}/interop-NAME-HASH/ (interop-NAME.jar and its lib/), HASH being
# a digest of pom.xml and src/, so an edit builds again and an unchanged tree never does. Prints
# the jar's path on stdout (run it with: java -jar JAR ...); messages go to stderr.
#   serde      the Java side of the schema interop tests (Apicurio's Kafka serdes for Avro and JSON
#              Schema, protobuf-java for Protobuf); scripts/test.sh exports it as
#              KFLOW_INTEROP_SERDE_JAR.
#   wordcount  Kafka Streams' WordCountDemo, the reference row of BenchmarkWordCount.
set -euo pipefail

name="${1:-serde}"
case "$name" in
  serde | wordcount) ;;
  *)
    echo "build.sh: unknown program '$name' (want serde or wordcount)" >&2
    exit 2
    ;;
esac
src_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../testdata/interop/$name" && pwd)"
digest="$(cd "$src_dir" && find pom.xml src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum |
  sha256sum | cut -c 1-16)"
home="${KFLOW_CACHE:-$HOME/.cache/kflow}/interop-$name-$digest"
jar="$home/interop-$name.jar"
marker="$home/.complete"

if [[ -f "$jar" && -d "$home/lib" && -f "$marker" ]]; then
  printf '%s\n' "$jar"
  exit 0
fi

for tool in "${JAVA:-java}" mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build.sh: '$tool' not found (run scripts/install-deps.sh)" >&2
    exit 1
  fi
done

mkdir -p "$home"
# Two runs at once (e.g. two test.sh) must not build into the same directory.
exec 9>"$home/.lock"
flock 9
if [[ -f "$jar" && -d "$home/lib" && -f "$marker" ]]; then
  printf '%s\n' "$jar"
  exit 0
fi

echo "build.sh: building interop-$name from Maven Central into $home ..." >&2
started=$SECONDS
tmp="$(mktemp -d "$home/build.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# Build in a copy, so the clone gets no target/ and a half-built cache is never used.
cp -R "$src_dir/pom.xml" "$src_dir/src" "$tmp/"
if ! mvn -B -q -ntp -Dstyle.color=never -f "$tmp/pom.xml" package -DskipTests >"$tmp/build.log" 2>&1; then
  cat "$tmp/build.log" >&2
  echo "build.sh: building interop-$name with Maven failed" >&2
  exit 1
fi
if [[ ! -f "$tmp/target/interop-$name.jar" || ! -d "$tmp/target/lib" ]]; then
  echo "build.sh: interop-$name.jar or lib/ missing after the build" >&2
  exit 1
fi
rm -rf "$jar" "$home/lib"
mv "$tmp/target/lib" "$home/lib"
mv "$tmp/target/interop-$name.jar" "$jar"
touch "$marker"
echo "build.sh: interop-$name built in $((SECONDS - started))s" >&2
printf '%s\n' "$jar"
