#!/usr/bin/env bash
# Feeds a Prometheus node_exporter textfile collector: every INTERVAL seconds, write the
# bucket's savings gauges atomically to DIR/deltaglider_<bucket>.prom. Each poll is one LIST
# (plus one GET while the bucket is unchanged): the cache in the bucket answers.
#
#   examples/prometheus-textfile.sh BUCKET DIR [INTERVAL] [POLLS]
#   DG_ENDPOINT_URL=http://127.0.0.1:9000 examples/prometheus-textfile.sh releases /var/lib/node_exporter 60
set -euo pipefail
bucket=${1:?usage: prometheus-textfile.sh BUCKET DIR [INTERVAL] [POLLS]}
dir=${2:?usage: prometheus-textfile.sh BUCKET DIR [INTERVAL] [POLLS]}
interval=${3:-60}
polls=${4:-0} # 0: forever
deltaglider=${DELTAGLIDER:-deltaglider}

poll=0
while :; do
  $deltaglider stats "$bucket" --format prometheus > "$dir/.deltaglider_$bucket.prom.tmp"
  mv "$dir/.deltaglider_$bucket.prom.tmp" "$dir/deltaglider_$bucket.prom"
  poll=$((poll + 1))
  if [ "$polls" -gt 0 ] && [ "$poll" -ge "$polls" ]; then break; fi
  sleep "$interval"
done
