#!/usr/bin/env bash
# Installs what kflow's test suite needs beyond Go, when missing: golangci-lint at the pinned
# version (go install; the first build takes a few minutes, then it is cached), kcat (a second,
# non-Go Kafka client), tmux (drives the TUI in tests), zsh and fish (the completion scripts are
# run in them) from Debian's packages, plus Java and
# Maven if this machine lacks them; then resolves Apache Kafka's jars into the cache
# (scripts/kafka/install.sh). Idempotent, and silent when everything is already present.
#   bash scripts/install-deps.sh                 # everything
#   bash scripts/install-deps.sh golangci-lint   # the linter only (scripts/lint.sh)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The linter's version, pinned: a newer one may report new findings and fail CI on its own.
golangci_version="v2.15.0"
golangci="$(go env GOPATH)/bin/golangci-lint"
if [[ "$("$golangci" version --short 2>/dev/null || true)" != "${golangci_version#v}" ]]; then
  echo "install-deps.sh: installing golangci-lint $golangci_version (go install; a few minutes the first time)" >&2
  go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$golangci_version"
fi
if [[ "${1:-}" == "golangci-lint" ]]; then
  exit 0
fi

pkgs=()
command -v kcat >/dev/null 2>&1 || pkgs+=(kcat)
command -v tmux >/dev/null 2>&1 || pkgs+=(tmux)
command -v zsh >/dev/null 2>&1 || pkgs+=(zsh)
command -v fish >/dev/null 2>&1 || pkgs+=(fish)
command -v java >/dev/null 2>&1 || pkgs+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || pkgs+=(maven)

if ((${#pkgs[@]} > 0)); then
  sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    sudo=(sudo)
  fi
  echo "install-deps.sh: installing ${pkgs[*]} from Debian's packages" >&2
  "${sudo[@]}" apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

bash "$root/scripts/kafka/install.sh" >/dev/null
