#!/usr/bin/env bash
# PostGIS reference for `redline diff`: per region the old, new, added, removed and kept areas of two
# versions of a layer, each dissolved (ST_Union) first:
#   added = ST_Difference(new, old), removed = ST_Difference(old, new), kept = ST_Intersection(old, new),
#   each intersected with the region; row -1 = over ST_Union(regions); row -2 = everything (no regions).
# Areas: ST_Area(ST_Segmentize(g, 1e-5)::geography, true) on SRID 4490 (CGCS2000 ellipsoid): the
# segmentized edges are straight in lon/lat to well under a millimetre, the edge model redline measures.
#
# usage: testdata/diff/diff_postgis.sh OLD NEW REGIONS > out.csv   (files may be .gz)
#   region_idx,region_id,region_area_m2,old_m2,new_m2,added_m2,removed_m2,kept_m2
# Needs the anchors' scratch PostGIS (../shared/anchors/pg_common.sh: `SKIP_QGIS=1 bash
# ../shared/anchors/install.sh`); ANCHORS=DIR if the anchors live elsewhere; REGION_ID_FIELD (default id);
# SEGMENTIZE=0 measures ST_Area(g::geography, true) without segmentizing (for timing: same work as redline
# minus the edge-model alignment, which only matters for the last digits on long edges).
# The committed outputs were made with:
#   testdata/diff/diff_postgis.sh testdata/diff/anchors_{old,new,regions}.geojson.gz > testdata/diff/anchors_postgis.csv
#   REGION_ID_FIELD=adcode testdata/diff/diff_postgis.sh testdata/diff/lincang_{old,new}.geojson.gz \
#     ../shared/data/real/lincang-weather-shihongbo1314/530900_full.json > testdata/diff/lincang_postgis.csv
#   (the real 8 county outlines, DataV copy; its GCJ-02 offset does not matter here: both sides take the
#   coordinates as given)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
A=${ANCHORS:-$HERE/../../../shared/anchors}
export SRID=${SRID:-4490}
# shellcheck source=/dev/null
. "$A/pg_common.sh"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
if [ $# -ne 3 ]; then sed -n '2,21p' "$0" >&2; exit 2; fi
vsi() { case $1 in *.gz) echo "/vsigzip/$1" ;; *) echo "$1" ;; esac; }

if [ "${SEGMENTIZE:-1}" = 0 ]; then SEG="ST_CollectionExtract(g, 3)"; else SEG="ST_Segmentize(ST_CollectionExtract(g, 3), 1e-5)"; fi
T0=$(now_s)
ensure_pg
SCH="redline_diff_$$"
trap 'run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE" >/dev/null 2>&1 || true' EXIT
run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE; CREATE SCHEMA $SCH"
load_geojson "$(vsi "$1")" "$SCH.old"
load_geojson "$(vsi "$2")" "$SCH.new"
load_geojson "$(vsi "$3")" "$SCH.regions" "${REGION_ID_FIELD:-id}"
T1=$(now_s)
run_sql <<SQL
SET search_path = $SCH, public;
CREATE FUNCTION $SCH.a(g geometry) RETURNS float8 LANGUAGE sql IMMUTABLE AS
  'SELECT COALESCE(ST_Area($SEG::geography, true), 0)';
CREATE TABLE u AS SELECT (SELECT ST_Union(geom) FROM old) AS o, (SELECT ST_Union(geom) FROM new) AS n;
CREATE TABLE p AS SELECT ST_Difference(n, o) AS added, ST_Difference(o, n) AS removed, ST_Intersection(o, n) AS kept FROM u;
CREATE TABLE res AS
  SELECT r.fid::int AS region_idx, r.anchors_id AS region_id, a(r.geom) AS region_area_m2,
         a(ST_Intersection(r.geom, u.o)) AS old_m2, a(ST_Intersection(r.geom, u.n)) AS new_m2,
         a(ST_Intersection(r.geom, p.added)) AS added_m2, a(ST_Intersection(r.geom, p.removed)) AS removed_m2,
         a(ST_Intersection(r.geom, p.kept)) AS kept_m2
  FROM regions r, u, p
  UNION ALL
  SELECT -1, 'total', a(ru.g), a(ST_Intersection(ru.g, u.o)), a(ST_Intersection(ru.g, u.n)),
         a(ST_Intersection(ru.g, p.added)), a(ST_Intersection(ru.g, p.removed)), a(ST_Intersection(ru.g, p.kept))
  FROM (SELECT ST_Union(geom) AS g FROM regions) ru, u, p
  UNION ALL
  SELECT -2, 'all', NULL, a(u.o), a(u.n), a(p.added), a(p.removed), a(p.kept) FROM u, p;
SQL
T2=$(now_s)
run_sql -c "\\copy (SELECT * FROM $SCH.res ORDER BY CASE WHEN region_idx >= 0 THEN region_idx ELSE 1000000 - region_idx END) TO STDOUT WITH (FORMAT csv, HEADER)"
T3=$(now_s)
echo "# timing diff_postgis load=$(elapsed "$T0" "$T1")s compute=$(elapsed "$T1" "$T2")s total=$(elapsed "$T0" "$T3")s" >&2
