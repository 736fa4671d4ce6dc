#!/usr/bin/env bash
# Benchmark of screen --by (docs: README "Benchmarks"): the anchors' large sites against a land-use layer
# of ~20 000 polygons in 20 classes, with and without --by.
# usage (repo root): bash testdata/classes/bench.sh LARGE_DIR OUT_DIR [REDLINE_BINARY]
#   LARGE_DIR: gen_data.py --constraints 20000 --sites 5000 --regions 12 --seed 1 --out LARGE_DIR
#   OUT_DIR/landuse.geojson: LARGE_DIR's 12 regions split by a 138 × 138 grid over the bbox
#   (cells.py 138 138 1 20; built once with PostGIS, see landuse.sh)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
A="${ANCHORS:-$HERE/../../../shared/anchors}"
LARGE=$1 OUT=$2 BIN=${3:-}
mkdir -p "$OUT"
if [ ! -s "$OUT/landuse.geojson" ]; then
  export SRID=4490 MAKE_VALID=0
  # shellcheck source=/dev/null
  . "$A/pg_common.sh"
  # shellcheck source=landuse.sh
  . "$HERE/landuse.sh"
  export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
  ensure_pg
  SCH="classes_bench_$$"
  trap 'run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE" >/dev/null 2>&1 || true' EXIT
  run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE; CREATE SCHEMA $SCH"
  load_geojson "$LARGE/regions.geojson" "$SCH.regions"
  python3 "$HERE/cells.py" 138 138 1 20 > "$OUT/cells.csv"
  build_landuse "$SCH" "$OUT/cells.csv" 99.0 23.0 "$(python3 -c 'print(1.5/138)')" "$OUT/landuse.geojson"
  echo "landuse: $(run_sql -tA -c "SELECT count(*) || ' features, ' || count(DISTINCT dlbm) || ' classes' FROM $SCH.landuse")" >&2
fi
[ -n "$BIN" ] || exit 0
t() { local s e; s=$(date +%s.%N); nice "$@" > /dev/null; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN{printf "%.2f", b-a}'; }
plain=$(t "$BIN" screen "$LARGE/sites.geojson" --layer "landuse=$OUT/landuse.geojson" --near 0 --format json --fail-on never --quiet)
by=$(t "$BIN" screen "$LARGE/sites.geojson" --layer "landuse=$OUT/landuse.geojson" --by landuse=DLBM --near 0 --format json --fail-on never --quiet)
echo "screen without --by: ${plain} s; with --by landuse=DLBM: ${by} s; ratio $(awk -v a="$plain" -v b="$by" 'BEGIN{printf "%.2f", b/a}')"
