#!/usr/bin/env bash
# Runs kflow's benchmarks against a real Kafka started for the run (stopped on exit), each
# printing its figures next to a reference measured in the same run (raw franz-go, kcat).
#   bash bench/run.sh                      # every benchmark, once each
#   bash bench/run.sh BenchmarkTail ./kafka # a pattern and packages
# KFLOW_BENCH_RECORDS sets the records per tail run (default 1,000,000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pattern="${1:-.}"
shift || true
pkgs=("${@:-./...}")
bash scripts/install-deps.sh
run="$(mktemp -d -t kflow-bench-XXXXXX)"
trap 'bash scripts/kafka/stop.sh "$run" >/dev/null 2>&1 || true; rm -rf "$run"' EXIT
bash scripts/kafka/start.sh "$run"
set -a
# shellcheck disable=SC1091
source "$run/env"
set +a
echo "bench: $(nproc) cores, $(go version | cut -d' ' -f3), Kafka $KFLOW_KAFKA_VERSION, kcat $(kcat -V 2>&1 | sed -n 's/.*version \([^ ]*\).*/\1/p' | head -1)"
go test -run '^$' -bench "$pattern" -benchtime 1x -timeout 60m "${pkgs[@]}"
