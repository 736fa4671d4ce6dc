#!/usr/bin/env bash
# Side-by-side timing of `redline overlaps LAYER` (pure-Go build) and the
# PostGIS self-join (selfjoin_postgis.sh, load included), with peak RSS.
#
# usage: bench.sh LAYER.geojson [RUNS]    (default /tmp/anc/large/constraints.geojson, 1 run)
# The large anchors layer: python3 ../shared/anchors/gen_data.py --constraints 20000 --sites 5000
#   --regions 12 --seed 1 --out /tmp/anc/large
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
LAYER=${1:-/tmp/anc/large/constraints.geojson}
RUNS=${2:-1}
BIN=$(mktemp -d)/redline
(cd "${REDLINE_SRC:-$HERE/../..}" && go build -o "$BIN" ./cmd/redline)
echo "input: $LAYER ($(du -m "$LAYER" | cut -f1) MB)"
for i in $(seq "$RUNS"); do
  /usr/bin/time -f "redline  wall %e s  user %U s  maxrss %M KB" "$BIN" overlaps "$LAYER" --touching -f csv > /tmp/bench_redline.csv
  /usr/bin/time -f "postgis  wall %e s  (client maxrss %M KB)" "$HERE/selfjoin_postgis.sh" "$LAYER" > /tmp/bench_postgis.csv
done
echo "pairs: redline $(($(wc -l < /tmp/bench_redline.csv) - 1)), postgis $(($(wc -l < /tmp/bench_postgis.csv) - 1))"
