#!/usr/bin/env bash
# PostGIS reference for share --by on the real Lincang counties (../shared/data/real, not copied here)
# with a generated class layer: 0.1° cells [98.6 + 0.1 i, +0.1] × [23.0 + 0.1 j, +0.1], i < 20, j < 21,
# class "K%02d" of (7 i + 3 j) mod 20, cells with (i + 2 j) mod 11 = 0 left out. The same grid is built
# by analysis/classes_postgis_test.go. Writes pg_lincang_class.csv (adcode, class, covered_m2:
# ST_Area(ST_Segmentize(ST_Intersection(county, ST_Union(class)), 1e-4)::geography, true)) and
# pg_lincang.csv (adcode, area_m2, covered_m2). 1e-4° (~11 m) segments: over ~10⁴ km of cell edges the
# geodesic-vs-straight edge difference left is below 1 m² per county.
# usage (repo root): bash testdata/classes/lincang_postgis.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
A="${ANCHORS:-$HERE/../../../shared/anchors}"
REAL="${REAL:-$HERE/../../../shared/data/real}/lincang-weather-shihongbo1314/530900_full.json"
export SRID=4490 MAKE_VALID=0
# shellcheck source=/dev/null
. "$A/pg_common.sh"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
ensure_pg
SCH="classes_lc_$$"
trap 'run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE" >/dev/null 2>&1 || true' EXIT
run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE; CREATE SCHEMA $SCH"
load_geojson "$REAL" "$SCH.counties" adcode
run_sql <<SQL
SET search_path = $SCH, public;
CREATE TABLE grid AS
  SELECT 'K' || lpad(((7 * i + 3 * j) % 20)::text, 2, '0') AS cls,
         ST_MakeEnvelope(98.6 + 0.1 * i, 23.0 + 0.1 * j, 98.6 + 0.1 * (i + 1), 23.0 + 0.1 * (j + 1), $SRID) AS geom
  FROM generate_series(0, 19) i, generate_series(0, 20) j WHERE (i + 2 * j) % 11 <> 0;
SQL
seg() { echo "ST_Area(ST_Segmentize(ST_CollectionExtract($1, 3), 1e-4)::geography, true)"; }
run_sql -c "\\copy (SELECT c.anchors_id AS adcode, g.cls AS class, $(seg 'ST_Intersection(c.geom, ST_Union(g.geom))') AS covered_m2
  FROM $SCH.counties c JOIN $SCH.grid g ON ST_Intersects(c.geom, g.geom) GROUP BY c.anchors_id, c.geom, g.cls ORDER BY 1, 2)
  TO '$HERE/pg_lincang_class.csv' WITH (FORMAT csv, HEADER)"
run_sql -c "\\copy (SELECT c.anchors_id AS adcode, $(seg 'c.geom') AS area_m2,
    (SELECT $(seg 'ST_Intersection(c.geom, ST_Union(g.geom))') FROM $SCH.grid g WHERE ST_Intersects(c.geom, g.geom)) AS covered_m2
  FROM $SCH.counties c ORDER BY 1) TO '$HERE/pg_lincang.csv' WITH (FORMAT csv, HEADER)"
wc -l "$HERE"/pg_lincang*.csv >&2
