#!/usr/bin/env bash
# The service's single-site screen side by side with the same question as one
# PostGIS query against an indexed table: for each site of DIR/sites.geojson,
# ST_Intersects + ST_Area(ST_Intersection(...)::geography) over
# DIR/constraints.geojson, timed inside the server (clock_timestamp, so no
# client round trip is counted for PostGIS), p50/p90/p99 over all sites.
# Compare with the load test's one-client run (README, Service).
# Needs ../shared/anchors (pg_common.sh: a scratch PostGIS cluster in /tmp).
# Usage: scripts/serve_postgis_side_by_side.sh DIR
set -euo pipefail
DIR=${1:?usage: $0 DIR (gen_data.py output)}
A=$(cd "$(dirname "$0")/../../shared/anchors" && pwd)
export ANCHORS_PGDIR=${ANCHORS_PGDIR:-/tmp/serve_pg} ANCHORS_PGPORT=${ANCHORS_PGPORT:-55433}
# shellcheck source=/dev/null
. "$A/pg_common.sh"
ensure_pg
load_geojson "$DIR/constraints.geojson" cons
load_geojson "$DIR/sites.geojson" sites
run_sql -tA <<'SQL'
CREATE OR REPLACE FUNCTION redline_time_site(g geometry) RETURNS double precision AS $$
DECLARE t0 timestamptz := clock_timestamp(); a double precision;
BEGIN
  SELECT sum(ST_Area(ST_Intersection(c.geom, g)::geography)) INTO a FROM cons c WHERE ST_Intersects(c.geom, g);
  RETURN extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$ LANGUAGE plpgsql;
SELECT 'postgis single-site ms: n=' || count(*) ||
       ' p50=' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::numeric, 3) ||
       ' p90=' || round(percentile_cont(0.9) WITHIN GROUP (ORDER BY d)::numeric, 3) ||
       ' p99=' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d)::numeric, 3) ||
       ' max=' || round(max(d)::numeric, 3)
FROM (SELECT redline_time_site(geom) AS d FROM sites) x;
SQL
