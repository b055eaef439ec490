#!/usr/bin/env bash
# Installs what kflow's test suite needs beyond Go, when missing: kcat (a second, non-Go
# Kafka client), tmux (drives the TUI in tests), zsh and fish (the completion scripts are
# run in them) from Debian's packages, plus Java and
# Maven if this machine lacks them; then resolves Apache Kafka's jars into the cache
# (scripts/kafka/install.sh). Idempotent, and silent when everything is already present.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

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
