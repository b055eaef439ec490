#!/usr/bin/env bash
# Runs kflow's benchmarks against a real Kafka and a real Schema Registry (Apicurio) started for
# the run (stopped on exit), each printing its figures next to a reference measured in the same
# run (raw franz-go, kcat, the Java Apicurio deserializer).
#   bash bench/run.sh                      # every benchmark, once each
#   bash bench/run.sh BenchmarkTail ./kafka # a pattern and packages
#   KFLOW_BENCHTIME=3x bash bench/run.sh BenchmarkTailAvroJSON ./kafka  # three interleaved rounds
# KFLOW_BENCH_RECORDS sets the records per tail run (default 1,000,000), KFLOW_BENCH_AVRO_RECORDS
# those of the Avro benchmarks (the same default). The Avro benchmarks also need the registry and
# the Java serde (scripts/interop/build.sh, exported as KFLOW_INTEROP_SERDE_JAR); when either
# cannot be built they skip and the others run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pattern="${1:-.}"
shift || true
pkgs=("${@:-./...}")
bash scripts/install-deps.sh
run="$(mktemp -d -t kflow-bench-XXXXXX)"
trap 'bash scripts/schema-registry/stop.sh "$run/registry" >/dev/null 2>&1 || true; bash scripts/kafka/stop.sh "$run" >/dev/null 2>&1 || true; rm -rf "$run"' EXIT
bash scripts/kafka/start.sh "$run"
set -a
# shellcheck disable=SC1091
source "$run/env"
set +a
if bash scripts/schema-registry/install.sh >/dev/null && bash scripts/schema-registry/start.sh "$run/registry"; then
  set -a
  # shellcheck disable=SC1091
  source "$run/registry/env"
  set +a
else
  echo "bench: WARNING: no Schema Registry; the Avro benchmarks skip" >&2
fi
if jar="$(bash scripts/interop/build.sh)"; then
  export KFLOW_INTEROP_SERDE_JAR="$jar"
else
  echo "bench: WARNING: the Java serde did not build; BenchmarkTailAvroJSON skips" >&2
fi
echo "bench: $(nproc) cores, $(go version | cut -d' ' -f3), Kafka $KFLOW_KAFKA_VERSION, kcat $(kcat -V 2>&1 | sed -n 's/.*version \([^ ]*\).*/\1/p' | head -1), $(java -version 2>&1 | head -1)"
go test -run '^$' -bench "$pattern" -benchtime "${KFLOW_BENCHTIME:-1x}" -timeout 60m "${pkgs[@]}"
