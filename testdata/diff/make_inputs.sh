#!/usr/bin/env bash
# Regenerates the committed inputs of the `redline diff` PostGIS comparison (seeded, byte-identical):
#   anchors_{old,new}.geojson.gz  two versions of a red line over the anchors' 12 regions (anchors_regions.geojson.gz)
#   lincang_{old,new}.geojson.gz  two versions over the Lincang bbox (regions: the real county outlines in
#                                 ../shared/data/real/lincang-weather-shihongbo1314/530900_full.json, not copied here)
# usage: testdata/diff/make_inputs.sh   (from the repo root; needs python3 and ../shared/anchors)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
A=${ANCHORS:-$HERE/../../../shared/anchors}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
gen() { python3 "$A/gen_data.py" -n 50 -m 1 --max-verts 120 "$@" >/dev/null; }
gen -k 12 --seed 1 --out "$T/a1"; gen -k 12 --seed 2 --out "$T/a2"
B=98.7,23.1,100.5,24.8
gen -k 1 --seed 3 --bbox $B --out "$T/l1"; gen -k 1 --seed 4 --bbox $B --out "$T/l2"
mkdir -p "$T/a" "$T/l"
python3 "$HERE/make_versions.py" "$T/a1/constraints.geojson" "$T/a2/constraints.geojson" 11 "$T/a"
python3 "$HERE/make_versions.py" "$T/l1/constraints.geojson" "$T/l2/constraints.geojson" 12 "$T/l"
for v in old new; do
  gzip -9 -n -c "$T/a/$v.geojson" >"$HERE/anchors_$v.geojson.gz"
  gzip -9 -n -c "$T/l/$v.geojson" >"$HERE/lincang_$v.geojson.gz"
done
gzip -9 -n -c "$T/a1/regions.geojson" >"$HERE/anchors_regions.geojson.gz"
