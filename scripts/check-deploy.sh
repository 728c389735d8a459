#!/usr/bin/env bash
# The install and monitoring assets, checked with the real tools (helm and promtool from scripts/build-go-tools.sh):
#   helm lint and helm template over every value set in tests/chart/ (the invalid-*.yaml ones must be refused),
#   dist/install.yaml up to date with the chart, promtool check rules and promtool test rules.
# With --update, rewrites dist/install.yaml instead of checking it (`make manifests`).
set -euo pipefail
cd "$(dirname "$0")/.."
chart=charts/redis-operator
out=target/check-deploy
mkdir -p "$out"
bin=$(scripts/build-go-tools.sh)
# helm keeps its state out of the user's home and never reaches a repository here.
export HELM_CACHE_HOME=$PWD/$out/helm/cache HELM_CONFIG_HOME=$PWD/$out/helm/config HELM_DATA_HOME=$PWD/$out/helm/data
helm=$bin/helm
promtool=$bin/promtool
api_versions=(--api-versions monitoring.coreos.com/v1)
start=$SECONDS

if [[ ${1:-} == --update ]]; then
  scripts/render-install.sh "$helm" > dist/install.yaml.new && mv dist/install.yaml.new dist/install.yaml
  echo "dist/install.yaml rendered from $chart"
  exit 0
fi

fail=0
"$helm" lint --quiet --strict "$chart" >/dev/null || { echo "FAIL: helm lint (default values)"; fail=1; }
"$helm" template rel "$chart" --namespace redis-operator "${api_versions[@]}" > "$out/default.yaml" \
  || { echo "FAIL: helm template (default values)"; fail=1; }
for values in tests/chart/*.yaml; do
  name=$(basename "$values" .yaml)
  if [[ $name == invalid-* ]]; then
    if "$helm" lint --quiet "$chart" -f "$values" >/dev/null 2>&1; then
      echo "FAIL: $values was accepted; values.schema.json must refuse it"; fail=1
    fi
    continue
  fi
  "$helm" lint --quiet --strict "$chart" -f "$values" >/dev/null || { echo "FAIL: helm lint -f $values"; fail=1; }
  "$helm" template rel "$chart" --namespace redis-operator "${api_versions[@]}" -f "$values" > "$out/$name.yaml" \
    || { echo "FAIL: helm template -f $values"; fail=1; }
done
# The monitoring value set must render every monitoring object.
for kind in ServiceMonitor PodMonitor PrometheusRule ConfigMap; do
  grep -q "^kind: $kind$" "$out/monitoring.yaml" || { echo "FAIL: tests/chart/monitoring.yaml renders no $kind"; fail=1; }
done

scripts/render-install.sh "$helm" > "$out/install.yaml"
if ! diff -u dist/install.yaml "$out/install.yaml" > "$out/install.diff"; then
  echo "FAIL: dist/install.yaml is not what the chart renders; run 'make manifests' (diff: $out/install.diff)"; fail=1
fi

"$promtool" check rules "$chart/files/prometheus-rules.yaml" >/dev/null || { echo "FAIL: promtool check rules"; fail=1; }
"$promtool" test rules tests/prometheus/*.test.yaml || { echo "FAIL: promtool test rules"; fail=1; }

if ((fail)); then
  exit 1
fi
echo "check-deploy: helm lint/template over $(ls tests/chart/*.yaml | wc -l) value sets, dist/install.yaml, promtool rules: ok ($((SECONDS - start))s)"
