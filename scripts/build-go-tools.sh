#!/usr/bin/env bash
# Builds helm and promtool from their Go modules (versions pinned in tools/go/*/go.mod and go.sum) on first use and
# caches them outside the work tree; later calls reuse the cache. Prints the bin directory on stdout (progress goes
# to stderr), so callers do: bin=$(scripts/build-go-tools.sh) && "$bin/helm" lint ...
#
# The cache key hashes the module files and the Go version, so a version bump builds into a fresh directory.
# REDIS_OPERATOR_CACHE overrides the cache root (default ~/.cache/redis-operator).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
modules=(helm promtool)

go_bin=$(command -v go || true)
[[ -z $go_bin && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
if [[ -z $go_bin ]]; then
  echo "error: Go 1.26+ is needed to build helm and promtool (not on PATH nor in /usr/local/go/bin; see https://go.dev/doc/install)" >&2
  exit 1
fi
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly

go_version=$("$go_bin" env GOVERSION)
key=$( { echo "$go_version"; for m in "${modules[@]}"; do cat "$repo/tools/go/$m/go.mod" "$repo/tools/go/$m/go.sum"; done; } \
       | sha256sum | cut -c1-12)
cache_root=${REDIS_OPERATOR_CACHE:-$HOME/.cache/redis-operator}
target=$cache_root/go-tools-$key
mkdir -p "$cache_root"

module_of() {
  case $1 in
    helm) echo helm.sh/helm/v3 ;;
    promtool) echo github.com/prometheus/prometheus ;;
  esac
}
# Stamps the release version the way the upstream release builds do, so `helm version` / `promtool --version` tell it.
version_flags() {
  case $1 in
    helm) echo "-X helm.sh/helm/v3/internal/version.version=$2" ;;
    promtool) echo "-X github.com/prometheus/common/version.Version=$2" ;;
  esac
}
ready() { for m in "${modules[@]}"; do [[ -x $target/bin/$m ]] || return 1; done; }

if ! ready; then
  # One builder at a time: parallel test runs wait for the first build instead of repeating it.
  exec 9>"$cache_root/go-tools.lock"
  flock 9
  if ! ready; then
    staging=$(mktemp -d "$cache_root/go-tools-$key.building.XXXXXX")
    trap 'rm -rf "$staging"' EXIT
    mkdir -p "$staging/bin"
    total_start=$SECONDS
    for m in "${modules[@]}"; do
      package=$(sed -n 's/^tool //p' "$repo/tools/go/$m/go.mod")
      version=$(cd "$repo/tools/go/$m" && "$go_bin" list -m -f '{{.Version}}' "$(module_of "$m")")
      echo "go-tools: building $m $version with $go_version (a few minutes on a cold cache) ..." >&2
      start=$SECONDS
      (cd "$repo/tools/go/$m" && "$go_bin" build -trimpath -ldflags="-s $(version_flags "$m" "$version")" \
         -o "$staging/bin/$m" "$package")
      echo "go-tools: $m built in $((SECONDS - start))s" >&2
    done
    rm -rf "$target"
    mv "$staging" "$target"
    trap - EXIT
    echo "go-tools: helm and promtool ready in $target/bin ($((SECONDS - total_start))s)" >&2
  fi
  flock -u 9
fi
echo "$target/bin"
