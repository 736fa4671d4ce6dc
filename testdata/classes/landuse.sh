# shellcheck shell=bash
# Sourced by postgis.sh and bench.sh (after pg_common.sh and ensure_pg).
# build_landuse SCHEMA CELLS_CSV X0 Y0 CELL OUT.geojson: a land-use layer from SCHEMA.regions split by a
# grid of CELL° cells from (X0, Y0), each piece classed by CELLS_CSV (cells.py); "drop" cells left out,
# "dup" cells with a second, smaller feature of the same class inside, "code" cells without DLMC.
# Written as GeoJSON rounded to 1e-7° and re-loaded as SCHEMA.landuse (what the references measure).
build_landuse() {
  local sch=$1 cells=$2 x0=$3 y0=$4 d=$5 out=$6
  local env="ST_MakeEnvelope($x0 + c.i * $d, $y0 + c.j * $d, $x0 + (c.i + 1) * $d, $y0 + (c.j + 1) * $d, $SRID)"
  run_sql <<SQL
SET search_path = $sch, public;
CREATE TABLE cells (i int, j int, dlbm text, dlmc text, what text);
\copy cells FROM '$cells' WITH (FORMAT csv, HEADER)
CREATE TABLE pieces AS
  SELECT c.i, c.j, r.fid AS region, c.dlbm, CASE WHEN c.what = 'code' THEN NULL ELSE c.dlmc END AS dlmc, c.what,
         ST_CollectionExtract(ST_Intersection(r.geom, $env), 3) AS geom
  FROM cells c JOIN regions r ON ST_Intersects(r.geom, $env)
  WHERE c.what <> 'drop';
DELETE FROM pieces WHERE ST_IsEmpty(geom) OR ST_Area(geom) < 1e-10;
INSERT INTO pieces
  SELECT i, j, region, dlbm, dlmc, 'inner', ST_CollectionExtract(ST_Intersection(geom,
           ST_Buffer(ST_PointOnSurface(geom), 0.3 * $d, 4)), 3)
  FROM pieces WHERE what = 'dup';
DELETE FROM pieces WHERE ST_IsEmpty(geom) OR ST_Area(geom) < 1e-10;
CREATE TABLE landuse_out AS
  SELECT 'L' || lpad((row_number() OVER (ORDER BY i, j, region, what))::text, 5, '0') AS id,
         dlbm AS "DLBM", dlmc AS "DLMC", geom FROM pieces ORDER BY i, j, region, what;
SQL
  ogr2ogr -q -f GeoJSON "$out" "PG:$PGCONN" -sql "SELECT id, \"DLBM\", \"DLMC\", geom FROM $sch.landuse_out ORDER BY id" \
    -lco COORDINATE_PRECISION=7 -lco RFC7946=YES -nln landuse
  load_geojson "$out" "$sch.landuse"
  local bad
  bad=$(run_sql -tA -c "SELECT count(*) FROM $sch.landuse WHERE NOT ST_IsValid(geom)")
  [ "$bad" = 0 ] || { echo "landuse: $bad invalid features after rounding" >&2; return 1; }
}
