package gpkg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/paulmach/orb"
	gogeom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// WriteOptions control Write.
type WriteOptions struct {
	// Table is the feature table's name (default "features").
	Table string
	// CRS is the CRS of the geometries (default CGCS2000 lon/lat, srs_id
	// 4490); a Gauss–Krüger CRS is written with its EPSG code.
	CRS crs.CRS
	// Description goes into gpkg_contents.
	Description string
}

const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`
const cgcs2000WKT = `GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]`

// The schema of GeoPackage 1.3 (spec annex C), with the R-tree extension.
var schema = []string{
	`PRAGMA application_id = 1196444487`, // "GPKG"
	`PRAGMA user_version = 10300`,
	`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
		organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
	`CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
		description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
		min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
		CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
	`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
		srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
		CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
		CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
		CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
	`CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
		scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system')`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')`,
	`INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wgs84WKT + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
}

// Write writes records (geometries in opt.CRS) as a GeoPackage with one
// feature table holding fields (in this order; missing properties are NULL)
// and an R-tree spatial index. The database is built in memory and copied to
// w at the end, so w receives a complete file or nothing useful: write to a
// temporary file and rename.
func Write(w io.Writer, fields []string, records []geo.Record, opt WriteOptions) error {
	if err := write(w, fields, records, opt); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	return nil
}

func write(w io.Writer, fields []string, records []geo.Record, opt WriteOptions) error {
	if opt.Table == "" {
		opt.Table = "features"
	}
	c := opt.CRS
	if c == (crs.CRS{}) {
		c = crs.CGCS2000
	}
	srsID, srsName, def, err := srsRow(c)
	if err != nil {
		return err
	}
	if err := checkFields(fields); err != nil {
		return err
	}
	gtype, err := geometryTypeName(records)
	if err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range schema {
		if _, err := tx.Exec(s); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
	}
	if srsID != 4326 {
		if _, err := tx.Exec(`INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, ?, '')`, srsName, srsID, srsID, def); err != nil {
			return err
		}
	}
	table := quoteIdent(opt.Table)
	var cols strings.Builder
	cols.WriteString(`fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ` + gtype)
	types := fieldTypes(fields, records)
	for i, f := range fields {
		fmt.Fprintf(&cols, ", %s %s", quoteIdent(f), types[i])
	}
	if _, err := tx.Exec("CREATE TABLE " + table + " (" + cols.String() + ")"); err != nil {
		return fmt.Errorf("create table %q: %w", opt.Table, err)
	}
	ph := strings.Repeat(", ?", len(fields))
	ins, err := tx.Prepare("INSERT INTO " + table + " VALUES (NULL, ?" + ph + ")")
	if err != nil {
		return err
	}
	defer ins.Close()
	rt := quoteIdent("rtree_" + opt.Table + "_geom")
	if _, err := tx.Exec("CREATE VIRTUAL TABLE " + rt + " USING rtree(id, minx, maxx, miny, maxy)"); err != nil {
		return fmt.Errorf("rtree: %w", err)
	}
	rti, err := tx.Prepare("INSERT INTO " + rt + " VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer rti.Close()
	var all orb.Bound
	first := true
	args := make([]any, 1+len(fields))
	for i, r := range records {
		blob, b, err := encodeBlob(r.Geom, int32(srsID))
		if err != nil {
			return fmt.Errorf("feature %d (id %s): %w", i, r.ID, err)
		}
		args[0] = blob
		for k, f := range fields {
			args[1+k] = sqlValue(r.Props[f])
		}
		res, err := ins.Exec(args...)
		if err != nil {
			return fmt.Errorf("feature %d (id %s): %w", i, r.ID, err)
		}
		if blob == nil || b == nil {
			continue
		}
		fid, _ := res.LastInsertId()
		// The R-tree stores 32-bit floats: round outwards (as GDAL does).
		if _, err := rti.Exec(fid, down(b.Min[0]), up(b.Max[0]), down(b.Min[1]), up(b.Max[1])); err != nil {
			return err
		}
		if first {
			all, first = *b, false
		} else {
			all = all.Union(*b)
		}
	}
	var minX, minY, maxX, maxY any
	if !first {
		minX, minY, maxX, maxY = all.Min[0], all.Min[1], all.Max[0], all.Max[1]
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
		VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?)`, opt.Table, opt.Table, opt.Description, minX, minY, maxX, maxY, srsID); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`, opt.Table, gtype, srsID); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`, opt.Table); err != nil {
		return err
	}
	if err := rtreeTriggers(tx, opt.Table); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	var buf []byte
	err = conn.Raw(func(dc any) error {
		s, ok := dc.(interface{ Serialize() ([]byte, error) })
		if !ok {
			return errors.New("the SQLite driver cannot serialise a database")
		}
		var err error
		buf, err = s.Serialize()
		return err
	})
	if err != nil {
		return err
	}
	_, err = w.Write(buf)
	return err
}

func down(v float64) float64 { return float64(math.Nextafter32(float32(v), float32(math.Inf(-1)))) }
func up(v float64) float64   { return float64(math.Nextafter32(float32(v), float32(math.Inf(1)))) }

// rtreeTriggers creates the triggers of the gpkg_rtree_index extension
// (spec F.3) that keep the index in step when the table is edited later.
func rtreeTriggers(tx *sql.Tx, t string) error {
	r := quoteIdent("rtree_" + t + "_geom")
	q := quoteIdent(t)
	n := func(s string) string { return quoteIdent("rtree_" + t + "_geom_" + s) }
	ins := `INSERT OR REPLACE INTO ` + r + ` VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom))`
	stmts := []string{
		`CREATE TRIGGER ` + n("insert") + ` AFTER INSERT ON ` + q + ` WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN ` + ins + `; END`,
		`CREATE TRIGGER ` + n("update1") + ` AFTER UPDATE OF geom ON ` + q + ` WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN ` + ins + `; END`,
		`CREATE TRIGGER ` + n("update2") + ` AFTER UPDATE OF geom ON ` + q + ` WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM ` + r + ` WHERE id = OLD.fid; END`,
		`CREATE TRIGGER ` + n("update3") + ` AFTER UPDATE ON ` + q + ` WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM ` + r + ` WHERE id = OLD.fid; ` + ins + `; END`,
		`CREATE TRIGGER ` + n("update4") + ` AFTER UPDATE ON ` + q + ` WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM ` + r + ` WHERE id IN (OLD.fid, NEW.fid); END`,
		`CREATE TRIGGER ` + n("delete") + ` AFTER DELETE ON ` + q + ` WHEN old.geom NOT NULL BEGIN DELETE FROM ` + r + ` WHERE id = OLD.fid; END`,
	}
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			return fmt.Errorf("rtree trigger: %w", err)
		}
	}
	return nil
}

// srsRow returns the gpkg_spatial_ref_sys row for crs.
func srsRow(c crs.CRS) (int, string, string, error) {
	switch {
	case c.Kind == crs.LonLat && c.EPSG == 4490:
		return 4490, "China Geodetic Coordinate System 2000", cgcs2000WKT, nil
	case c.Kind == crs.LonLat && (c.EPSG == 4326 || c.EPSG == 0):
		return 4326, "WGS 84 geodetic", wgs84WKT, nil
	case c.Kind == crs.GaussKruger && c.EPSG != 0:
		def, err := c.WKT()
		if err != nil {
			return 0, "", "", err
		}
		return c.EPSG, c.String(), def, nil
	}
	return 0, "", "", fmt.Errorf("cannot write CRS %s to a GeoPackage (want CGCS2000 or WGS84 lon/lat, or CGCS2000 Gauss–Krüger)", c)
}

func checkFields(fields []string) error {
	seen := map[string]bool{"fid": true, "geom": true}
	for _, f := range fields {
		k := strings.ToLower(f)
		if f == "" || seen[k] {
			return fmt.Errorf("field name %q is empty, repeated or reserved (fid, geom; names are case-insensitive)", f)
		}
		seen[k] = true
	}
	return nil
}

// fieldTypes picks a column type per field from its values: INTEGER when
// all are integers, REAL when all are numbers, BOOLEAN, DATETIME, else TEXT.
func fieldTypes(fields []string, records []geo.Record) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		kinds := map[string]bool{}
		for _, r := range records {
			switch r.Props[f].(type) {
			case nil:
			case bool:
				kinds["BOOLEAN"] = true
			case int, int8, int16, int32, int64, uint8, uint16, uint32:
				kinds["INTEGER"] = true
			case float32, float64:
				kinds["REAL"] = true
			case time.Time:
				kinds["DATETIME"] = true
			default:
				kinds["TEXT"] = true
			}
		}
		switch {
		case len(kinds) == 0 || kinds["TEXT"]:
			out[i] = "TEXT"
		case len(kinds) == 1:
			for k := range kinds {
				out[i] = k
			}
		case len(kinds) == 2 && kinds["INTEGER"] && kinds["REAL"]:
			out[i] = "REAL"
		default:
			out[i] = "TEXT"
		}
	}
	return out
}

func sqlValue(v any) driver.Value {
	switch v := v.(type) {
	case nil, bool, int64, float64, string:
		return v
	case int:
		return int64(v)
	case int8:
		return int64(v)
	case int16:
		return int64(v)
	case int32:
		return int64(v)
	case uint8:
		return int64(v)
	case uint16:
		return int64(v)
	case uint32:
		return int64(v)
	case float32:
		return float64(v)
	case time.Time:
		return v.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return fmt.Sprint(v)
}

// geometryTypeName is the column type: the one type of all geometries, else
// GEOMETRY.
func geometryTypeName(records []geo.Record) (string, error) {
	seen := map[string]bool{}
	for _, r := range records {
		if r.Geom != nil {
			seen[strings.ToUpper(r.Geom.GeoJSONType())] = true
		}
	}
	if len(seen) == 1 {
		for k := range seen {
			return k, nil
		}
	}
	return "GEOMETRY", nil
}

// encodeBlob returns the GeoPackage blob of g (nil for no geometry) and its
// bound (nil when empty).
func encodeBlob(g orb.Geometry, srsID int32) ([]byte, *orb.Bound, error) {
	if g == nil {
		return nil, nil, nil
	}
	t, err := toGoGeom(g)
	if err != nil {
		return nil, nil, err
	}
	w, err := wkb.Marshal(t, binary.LittleEndian)
	if err != nil {
		return nil, nil, err
	}
	if geo.CountVertices(g) == 0 {
		return append(putHeader(nil, srsID, [4]float64{}, true), w...), nil, nil
	}
	b := g.Bound()
	out := putHeader(make([]byte, 0, 40+len(w)), srsID, [4]float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]}, false)
	return append(out, w...), &b, nil
}

// toGoGeom converts orb geometries to go-geom's (XY) for encoding/wkb.
func toGoGeom(g orb.Geometry) (gogeom.T, error) {
	flat := func(pts []orb.Point) []float64 {
		out := make([]float64, 0, 2*len(pts))
		for _, p := range pts {
			out = append(out, p[0], p[1])
		}
		return out
	}
	poly := func(p orb.Polygon) *gogeom.Polygon {
		var fc []float64
		var ends []int
		for _, r := range p {
			fc = append(fc, flat(r)...)
			ends = append(ends, len(fc))
		}
		return gogeom.NewPolygonFlat(gogeom.XY, fc, ends)
	}
	switch g := g.(type) {
	case orb.Point:
		return gogeom.NewPointFlat(gogeom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		return gogeom.NewMultiPointFlat(gogeom.XY, flat(g)), nil
	case orb.LineString:
		return gogeom.NewLineStringFlat(gogeom.XY, flat(g)), nil
	case orb.MultiLineString:
		var fc []float64
		var ends []int
		for _, l := range g {
			fc = append(fc, flat(l)...)
			ends = append(ends, len(fc))
		}
		return gogeom.NewMultiLineStringFlat(gogeom.XY, fc, ends), nil
	case orb.Polygon:
		return poly(g), nil
	case orb.MultiPolygon:
		mp := gogeom.NewMultiPolygon(gogeom.XY)
		for _, p := range g {
			if err := mp.Push(poly(p)); err != nil {
				return nil, err
			}
		}
		return mp, nil
	case orb.Collection:
		gc := gogeom.NewGeometryCollection()
		for _, sub := range g {
			t, err := toGoGeom(sub)
			if err != nil {
				return nil, err
			}
			if err := gc.Push(t); err != nil {
				return nil, err
			}
		}
		return gc, nil
	}
	return nil, fmt.Errorf("geometry %T cannot be written", g)
}
