#!/usr/bin/env bash
# Runs golangci-lint (.golangci.yml) over the whole module, installing the pinned version first
# when missing. Findings print as FILE:LINE:COL: message (linter) and fail the run (exit 1).
# Extra arguments go to golangci-lint run (bash scripts/lint.sh --fix, ... ./kafka/...).
# scripts/test.sh runs this before the tests.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-deps.sh golangci-lint
golangci="$(go env GOPATH)/bin/golangci-lint"
args=("$@")
if ((${#args[@]} == 0)); then
  args=(./...)
fi
if ! "$golangci" run "${args[@]}"; then
  echo "lint.sh: golangci-lint found the problems above (FILE:LINE: message (linter)); fix the code, or add an exclusion with a one-line reason to .golangci.yml" >&2
  exit 1
fi
