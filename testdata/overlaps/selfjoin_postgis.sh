#!/usr/bin/env bash
# Reference for `redline overlaps LAYER`: the PostGIS self-join of one layer.
#
# usage: selfjoin_postgis.sh LAYER.geojson > pairs.csv
#
# One row per pair of features (a_idx < b_idx) with ST_Intersects = true, so
# touching-only pairs appear with overlap_m2 = 0:
#   a_idx,a_id,b_idx,b_id,a_area_m2,b_area_m2,overlap_m2
#   overlap_m2 = ST_Area(ST_Intersection(a, b)::geography, true)
# LONLAT_EDGES=1 adds overlap_lonlat_m2: the same intersection with its edges
#   first split in lon/lat to <= 0.0001 deg (ST_Segmentize on geometry), so that
#   its area is that of straight lon/lat edges, redline's edge model (DESIGN.md);
#   on long edges the geodesic-edge overlap_m2 differs, and on slivers along a
#   shared border (planar area ~1e-15 deg²) geography reports tens of m².
# idx = 0-based feature order in the file; id = property "id" (LAYER_ID_FIELD
# to change; the feature index when absent). Timing goes to stderr as one line
# starting with "# timing". It reuses the anchors' scratch PostGIS cluster
# (../shared/anchors/pg_common.sh: ANCHORS=<dir> to point elsewhere).
set -euo pipefail
ANCHORS=${ANCHORS:-$(cd "$(dirname "$0")/../../../shared/anchors" 2>/dev/null && pwd || echo /work/shared/anchors)}
# shellcheck source=/dev/null
. "$ANCHORS/pg_common.sh"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
if [ $# -ne 1 ]; then sed -n '2,19p' "$0" >&2; exit 2; fi
LAYER=$1
[ -r "$LAYER" ] || { echo "cannot read $LAYER" >&2; exit 2; }

T0=$(now_s)
ensure_pg
SCH="redline_sj_$$"
trap 'run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE" >/dev/null 2>&1 || true' EXIT
run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE; CREATE SCHEMA $SCH"
T1=$(now_s)
load_geojson "$LAYER" "$SCH.layer" "${LAYER_ID_FIELD:-id}"
T2=$(now_s)
EXTRA=""
if [ "${LONLAT_EDGES:-0}" = 1 ]; then
  EXTRA=", ST_Area(ST_Segmentize(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3), 0.0001)::geography, true) AS overlap_lonlat_m2"
fi
run_sql <<SQL
SET search_path = $SCH, public;
CREATE TABLE res AS
  SELECT a.fid AS a_idx, a.anchors_id AS a_id, b.fid AS b_idx, b.anchors_id AS b_id,
         ST_Area(a.geom::geography, true) AS a_area_m2, ST_Area(b.geom::geography, true) AS b_area_m2,
         ST_Area(ST_Intersection(a.geom, b.geom)::geography, true) AS overlap_m2
         $EXTRA
  FROM layer a JOIN layer b ON a.fid < b.fid AND ST_Intersects(a.geom, b.geom);
SQL
T3=$(now_s)
run_sql -c "\\copy (SELECT * FROM $SCH.res ORDER BY a_idx, b_idx) TO STDOUT WITH (FORMAT csv, HEADER)"
N=$(run_sql -tA -c "SELECT count(*) FROM $SCH.res")
T4=$(now_s)
echo "# timing selfjoin_postgis rows=$N start_db=$(elapsed "$T0" "$T1")s load=$(elapsed "$T1" "$T2")s compute=$(elapsed "$T2" "$T3")s output=$(elapsed "$T3" "$T4")s total=$(elapsed "$T0" "$T4")s" >&2
