#!/usr/bin/env bash
# Builds the sandbox's Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
# kubectl in one binary, see control-plane/main.go) with the ordinary `go` client, once per version: the result is
# cached outside the work tree under a key of the Kubernetes release and a hash of the module's files, and reused.
# Prints the cache directory (holding the binary and one link per command) as its last line.
#
#   scripts/build-control-plane.sh           build if missing, print the directory
#   scripts/build-control-plane.sh --print   print the directory the current sources would use, build nothing
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
module="$repo/control-plane"
cache_root="${REDIS_OPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/redis-operator}"

k8s_version=$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' "$module/go.mod")
[[ -n "$k8s_version" ]] || { echo "build-control-plane: no k8s.io/kubernetes version in $module/go.mod" >&2; exit 1; }
sources_hash=$(cat "$module/go.mod" "$module/go.sum" "$module/main.go" "$0" | sha256sum | cut -c1-12)
target="$cache_root/control-plane-$k8s_version-$sources_hash"
commands=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)

if [[ "${1:-}" == "--print" ]]; then echo "$target"; exit 0; fi
if [[ -x "$target/control-plane" ]]; then echo "$target"; exit 0; fi

go_bin=$(command -v go || true)
[[ -z "$go_bin" && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
if [[ -z "$go_bin" ]]; then
  echo "build-control-plane: Go is missing; install Go >= $(awk '$1 == "go" { print $2; exit }' "$module/go.mod") (https://go.dev/dl/) and put it on PATH" >&2
  exit 1
fi

# The toolchain on this machine, the module graph exactly as committed.
export GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false"

# One builder at a time per key (several sandboxes or helpers may ask at once); the others wait and reuse the result.
mkdir -p "$cache_root"
exec 9>"$target.lock"
flock 9
if [[ -x "$target/control-plane" ]]; then echo "$target"; exit 0; fi

echo "build-control-plane: building Kubernetes $k8s_version control plane with $("$go_bin" version | cut -d' ' -f3) into $target" >&2
echo "build-control-plane: a cold build compiles ~2000 packages (many minutes on 2 cores); later runs reuse it" >&2
started=$(date +%s)
work="$target.partial"
rm -rf "$work"
mkdir -p "$work"

minor=${k8s_version#v1.}; minor=${minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

# `go build -v` names each package as it compiles it: count them for progress.
if ! (cd "$module" && "$go_bin" build -v -trimpath -ldflags "$ldflags" -o "$work/control-plane" .) 2>&1 |
  awk -v started="$started" '
    /^(#|go: |.*\.go:[0-9]+)/ { print > "/dev/stderr"; next }
    { compiled++ }
    compiled % 200 == 0 { printf "build-control-plane: %d packages compiled (%ds)\n", compiled, systime() - started > "/dev/stderr"; fflush() }
    END { printf "build-control-plane: %d packages compiled\n", compiled > "/dev/stderr" }'; then
  echo "build-control-plane: go build failed (output above)" >&2
  exit 1
fi

for command in "${commands[@]}"; do ln -s control-plane "$work/$command"; done
mv "$work" "$target"
echo "build-control-plane: done in $(( $(date +%s) - started ))s: $target" >&2
echo "$target"
