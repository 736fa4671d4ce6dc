#!/usr/bin/env bash
# Side-by-side timing of redline and the PostGIS references on the anchors'
# large set (seed 1): screen vs overlap_postgis.sh (pairs, load included),
# share vs share_postgis.sh, overlaps vs the PostGIS self-join; pure-Go and
# GEOS builds; wall time, CPU time and peak RSS.
#
# usage: scripts/bench_large.sh [DIR]   (default /tmp/anc/large; generated if absent)
# env:   BASE=REV     also time the builds of git revision REV (before/after in one run)
#        JOBS="..."   the jobs to run, of: info screen share overlaps (default all)
#        POSTGIS=0    skip the PostGIS references
# needs: ../shared/anchors installed (bash ../shared/anchors/install.sh), libgeos-dev
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
A="$ROOT/../shared/anchors"
D=${1:-/tmp/anc/large}
JOBS=${JOBS:-info screen share overlaps}
if [ ! -f "$D/constraints.geojson" ]; then
  python3 "$A/gen_data.py" --constraints 20000 --sites 5000 --regions 12 --seed 1 --out "$D"
fi
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
(cd "$ROOT" && go build -o "$BIN/redline" ./cmd/redline && go build -tags geos -o "$BIN/redline-geos" ./cmd/redline)
BUILDS="redline redline-geos"
if [ -n "${BASE:-}" ]; then
  mkdir "$BIN/base"
  git -C "$ROOT" archive "$BASE" | tar -x -C "$BIN/base"
  (cd "$BIN/base" && go build -o "$BIN/redline-base" ./cmd/redline && go build -tags geos -o "$BIN/redline-geos-base" ./cmd/redline)
  BUILDS="redline-base redline redline-geos-base redline-geos"
fi
T() { /usr/bin/time -f "%e s wall, %U s user, %M KB peak" "$@"; }
has() { case " $JOBS " in *" $1 "*) return 0 ;; esac; return 1; }
echo "input: constraints $(du -m "$D/constraints.geojson" | cut -f1) MB, sites $(du -m "$D/sites.geojson" | cut -f1) MB, regions $(du -m "$D/regions.geojson" | cut -f1) MB"
for b in $BUILDS; do
  echo "== $b"
  if has info; then echo -n "info (read, index, validate) : "; T "$BIN/$b" info "$D/constraints.geojson" 2>&1 >/dev/null | tail -1; fi
  if has screen; then echo -n "screen                        : "; T "$BIN/$b" screen "$D/sites.geojson" --layer "redline=$D/constraints.geojson" --format csv --fail-on never --quiet 2>&1 >/dev/null | tail -1; fi
  if has share; then echo -n "share                         : "; T "$BIN/$b" share --regions "$D/regions.geojson" --layer "$D/constraints.geojson" --format csv --quiet 2>&1 >/dev/null | tail -1; fi
  if has overlaps; then echo -n "overlaps (self)               : "; T "$BIN/$b" overlaps "$D/constraints.geojson" --touching --format csv --quiet 2>&1 >/dev/null | tail -1; fi
done
[ "${POSTGIS:-1}" = 0 ] && exit 0
echo "== PostGIS (load included)"
if has screen; then echo -n "overlap pairs : "; T "$A/overlap_postgis.sh" "$D/sites.geojson" "$D/constraints.geojson" 2>&1 >/dev/null | tail -2 | tr '\n' ' '; echo; fi
if has share; then echo -n "share         : "; T "$A/share_postgis.sh" "$D/regions.geojson" "$D/constraints.geojson" 2>&1 >/dev/null | tail -2 | tr '\n' ' '; echo; fi
if has overlaps; then echo -n "self-join     : "; T "$ROOT/testdata/overlaps/selfjoin_postgis.sh" "$D/constraints.geojson" 2>&1 >/dev/null | tail -2 | tr '\n' ' '; echo; fi
