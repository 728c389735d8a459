#!/usr/bin/env bash
# Prints the plain-manifest install (dist/install.yaml): the chart rendered with its default values into the
# redis-operator namespace, CRDs first, preceded by the namespace itself. Usage: render-install.sh <helm binary>
set -euo pipefail
cd "$(dirname "$0")/.."
helm=$1
cat <<'YAML'
# redis-operator: plain-manifest install, rendered from charts/redis-operator by `make manifests`; do not edit.
#   kubectl apply --server-side -f dist/install.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: redis-operator
  labels:
    app.kubernetes.io/name: redis-operator
YAML
"$helm" template redis-operator charts/redis-operator --namespace redis-operator --include-crds \
  | sed -e '/^# Source: /d' -e 's/^\( *\)app.kubernetes.io\/managed-by: Helm$/\1app.kubernetes.io\/managed-by: kubectl/'
