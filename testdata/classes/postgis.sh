#!/usr/bin/env bash
# PostGIS reference for the tables by class (screen --by, share --by).
#
# usage (from the repo root, after `SKIP_QGIS=1 bash ../shared/anchors/install.sh`):
#   bash testdata/classes/postgis.sh
# It regenerates, into testdata/classes/:
#   regions.geojson.gz, sites.geojson.gz   the anchors' generator (gen_data.py, seeded; arguments below)
#   landuse.geojson.gz   the regions split by a 0.01° grid, each piece a land class (cells.py, seeded):
#                        region ∩ cell in PostGIS; 6 % of cells left out (gaps), 6 % with a second,
#                        smaller feature of the same class inside (overlap within a class), 8 %
#                        with DLBM only (no DLMC); coordinates rounded to 1e-7° on export, and the
#                        reference below is computed on the file as exported (re-loaded)
#   pg_site_class.csv    site_idx,site_id,dlbm,overlap_m2: per site × class,
#                        ST_Area(ST_Segmentize(ST_Intersection(site, ST_Union(class)), 1e-5)::geography, true)
#   pg_site.csv          site_idx,site_id,site_area_m2,covered_m2 (covered: the whole layer dissolved)
#   pg_region_class.csv  region_idx,region_id,dlbm,covered_m2: per region × class, the same way
#   pg_region.csv        region_idx,region_id,region_area_m2,covered_m2
# Segmentizing to 1e-5° (~1 m) before ST_Area(geography) makes PostGIS's geodesic edges follow
# redline's lon/lat-straight edges (the difference left is far below 0.01 m² per site). SRID 4490
# (CGCS2000, GRS80 ellipsoid) as redline.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
A="${ANCHORS:-$HERE/../../../shared/anchors}"
export SRID=4490 MAKE_VALID=0
# shellcheck source=/dev/null
. "$A/pg_common.sh"
# shellcheck source=landuse.sh
. "$HERE/landuse.sh"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE" >/dev/null 2>&1 || true' EXIT

python3 "$A/gen_data.py" --constraints 10 --sites 200 --regions 6 --seed 12 --bbox 99.0,23.0,99.3,23.3 --out "$TMP" >/dev/null
python3 "$HERE/cells.py" 30 30 12 > "$TMP/cells.csv"

ensure_pg
SCH="classes_ref_$$"
run_sql -c "DROP SCHEMA IF EXISTS $SCH CASCADE; CREATE SCHEMA $SCH"
load_geojson "$TMP/regions.geojson" "$SCH.regions"
load_geojson "$TMP/sites.geojson" "$SCH.sites"
build_landuse "$SCH" "$TMP/cells.csv" 99.0 23.0 0.01 "$TMP/landuse.geojson"

seg() { echo "ST_Area(ST_Segmentize(ST_CollectionExtract($1, 3), 1e-5)::geography, true)"; }
run_sql -c "\\copy (SELECT s.fid AS site_idx, s.anchors_id AS site_id, l.dlbm AS dlbm,
    $(seg 'ST_Intersection(s.geom, ST_Union(l.geom))') AS overlap_m2
  FROM $SCH.sites s JOIN $SCH.landuse l ON ST_Intersects(s.geom, l.geom)
  GROUP BY s.fid, s.anchors_id, s.geom, l.dlbm ORDER BY 1, 3) TO '$TMP/pg_site_class.csv' WITH (FORMAT csv, HEADER)"
run_sql -c "\\copy (SELECT s.fid AS site_idx, s.anchors_id AS site_id, $(seg 's.geom') AS site_area_m2,
    COALESCE((SELECT $(seg 'ST_Intersection(s.geom, ST_Union(l.geom))') FROM $SCH.landuse l WHERE ST_Intersects(s.geom, l.geom)), 0) AS covered_m2
  FROM $SCH.sites s ORDER BY 1) TO '$TMP/pg_site.csv' WITH (FORMAT csv, HEADER)"
run_sql -c "\\copy (SELECT r.fid AS region_idx, r.anchors_id AS region_id, l.dlbm AS dlbm,
    $(seg 'ST_Intersection(r.geom, ST_Union(l.geom))') AS covered_m2
  FROM $SCH.regions r JOIN $SCH.landuse l ON ST_Intersects(r.geom, l.geom)
  GROUP BY r.fid, r.anchors_id, r.geom, l.dlbm ORDER BY 1, 3) TO '$TMP/pg_region_class.csv' WITH (FORMAT csv, HEADER)"
run_sql -c "\\copy (SELECT r.fid AS region_idx, r.anchors_id AS region_id, $(seg 'r.geom') AS region_area_m2,
    COALESCE((SELECT $(seg 'ST_Intersection(r.geom, ST_Union(l.geom))') FROM $SCH.landuse l WHERE ST_Intersects(r.geom, l.geom)), 0) AS covered_m2
  FROM $SCH.regions r ORDER BY 1) TO '$TMP/pg_region.csv' WITH (FORMAT csv, HEADER)"

for f in regions sites landuse; do gzip -9n < "$TMP/$f.geojson" > "$HERE/$f.geojson.gz"; done
cp "$TMP"/pg_*.csv "$HERE/"
wc -l "$HERE"/pg_*.csv >&2
