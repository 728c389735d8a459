#!/usr/bin/env bash
# Installs what the tests and the sandbox need from the OS packages, only when missing.
set -euo pipefail

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
command -v redis-cli >/dev/null || missing+=(redis-tools)
command -v iptables >/dev/null || missing+=(iptables)
command -v taskset >/dev/null || missing+=(util-linux) # make bench-scale pins the controller to its own core

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required (Java 17 and Maven 3.8+)" >&2; exit 1; }
done

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "error: please install: ${missing[*]} (Debian/Ubuntu: apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  echo "installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  # The Debian package starts nothing without systemd; the tests start their own redis-server processes.
fi

# The sandbox's Kubernetes control plane, built from the control-plane Go module once and cached (needs Go).
"$(dirname "$0")/build-control-plane.sh" >/dev/null
