package gpkg

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"modernc.org/sqlite"
	"modernc.org/sqlite/vfs"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// Format is geo.Source.Format for GeoPackage.
const Format = "GeoPackage"

// Options control Read. The zero value reads the only feature table.
type Options struct {
	// Table names the feature table to read; empty reads the only one and
	// fails listing them when there are several.
	Table string
	// IgnoreSRS leaves the CRS to the caller (--crs given): an srs_id redline
	// does not know is then no error.
	IgnoreSRS bool
	// ArcToleranceM is the largest distance between a linearised curve and
	// the true arc, in metres (default 0.01; 1e-7° for geographic CRSs).
	ArcToleranceM float64
	// MaxVertices caps the vertices of the table (default 100 million).
	MaxVertices int
}

// Table describes one feature table of gpkg_contents.
type Table struct {
	Name         string
	Column       string // geometry column
	GeometryType string // from gpkg_geometry_columns: POLYGON, MULTIPOLYGON, GEOMETRY, …
	SRSID        int
	Features     int64 // rows counted, not the stored (sometimes bogus) feature count
}

var _ = sqlite.Driver{} // the driver registers itself as "sqlite"

// open opens name in fsys read-only through a VFS over the fs.FS.
func open(fsys fs.FS, name string) (*sql.DB, func(), error) {
	vname, v, err := vfs.New(seekFS{fsys})
	if err != nil {
		return nil, nil, err
	}
	u := url.URL{Scheme: "file", Opaque: url.PathEscape(name)}
	q := url.Values{"vfs": {vname}, "mode": {"ro"}, "immutable": {"1"}}
	dsn := u.String() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		v.Close()
		return nil, nil, err
	}
	db.SetMaxOpenConns(1)
	closeAll := func() {
		db.Close()
		v.Close()
	}
	if err := db.Ping(); err != nil {
		closeAll()
		return nil, nil, notSQLite(err)
	}
	return db, closeAll, nil
}

func notSQLite(err error) error {
	if strings.Contains(err.Error(), "file is not a database") || strings.Contains(err.Error(), "SQLITE_NOTADB") {
		return errors.New("not a GeoPackage (not an SQLite database)")
	}
	return err
}

// checkGPKG returns a warning for a file whose application_id is not that of
// a GeoPackage, and an error when it has no gpkg_contents table.
func checkGPKG(db *sql.DB) (string, error) {
	var appID int64
	if err := db.QueryRow("PRAGMA application_id").Scan(&appID); err != nil {
		return "", notSQLite(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name = 'gpkg_contents'").Scan(&n); err != nil {
		return "", notSQLite(err)
	}
	if n == 0 {
		return "", errors.New("not a GeoPackage: an SQLite database without a gpkg_contents table")
	}
	switch uint32(appID) {
	case 0x47504B47, 0x47503130, 0x47503131: // "GPKG", "GP10", "GP11"
		return "", nil
	}
	return fmt.Sprintf("application_id is 0x%08X, not \"GPKG\": read as a GeoPackage all the same", uint32(appID)), nil
}

// Tables lists the feature tables of the GeoPackage name in fsys.
func Tables(fsys fs.FS, name string) ([]Table, error) {
	db, done, err := open(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", name, err)
	}
	defer done()
	if _, err := checkGPKG(db); err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", name, err)
	}
	ts, err := tables(db)
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", name, err)
	}
	for i := range ts {
		if err := db.QueryRow("SELECT count(*) FROM " + quoteIdent(ts[i].Name)).Scan(&ts[i].Features); err != nil {
			return nil, fmt.Errorf("gpkg: %s: table %q: %w", name, ts[i].Name, err)
		}
	}
	return ts, nil
}

func tables(db *sql.DB) ([]Table, error) {
	rows, err := db.Query(`SELECT c.table_name, g.column_name, g.geometry_type_name, coalesce(g.srs_id, c.srs_id, 0)
		FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
		WHERE lower(c.data_type) = 'features' ORDER BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("reading gpkg_contents and gpkg_geometry_columns: %w", err)
	}
	defer rows.Close()
	var out []Table
	for rows.Next() {
		var t Table
		if err := rows.Scan(&t.Name, &t.Column, &t.GeometryType, &t.SRSID); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Read reads one feature table of the GeoPackage name in fsys.
func Read(fsys fs.FS, name string, opt Options) (*geo.Source, error) {
	src, err := read(fsys, name, opt)
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", name, err)
	}
	return src, nil
}

func read(fsys fs.FS, name string, opt Options) (*geo.Source, error) {
	if opt.MaxVertices <= 0 {
		opt.MaxVertices = 100_000_000
	}
	if opt.ArcToleranceM <= 0 {
		opt.ArcToleranceM = 0.01
	}
	db, done, err := open(fsys, name)
	if err != nil {
		return nil, err
	}
	defer done()
	src := &geo.Source{Format: Format}
	warn, err := checkGPKG(db)
	if err != nil {
		return nil, err
	}
	if warn != "" {
		src.Warnings = append(src.Warnings, geo.Warning{Kind: "gpkg check", Msg: warn})
	}
	ts, err := tables(db)
	if err != nil {
		return nil, err
	}
	t, err := pickTable(ts, opt.Table)
	if err != nil {
		return nil, err
	}
	c, from, err := tableCRS(db, t.SRSID)
	switch {
	case err != nil && !opt.IgnoreSRS:
		return nil, fmt.Errorf("table %q: %w", t.Name, err)
	case err == nil:
		src.CRS, src.CRSFrom = c, from
	}
	tol := opt.ArcToleranceM
	if err == nil && c.IsLonLat() {
		tol = opt.ArcToleranceM / 111_320 // degrees: a metre of latitude, the larger of the two
	}
	if err := readRows(db, t, src, tol, opt.MaxVertices); err != nil {
		return nil, fmt.Errorf("table %q: %w", t.Name, err)
	}
	return src, nil
}

func pickTable(ts []Table, want string) (Table, error) {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = fmt.Sprintf("%q", t.Name)
	}
	sort.Strings(names)
	if want != "" {
		for _, t := range ts {
			if t.Name == want {
				return t, nil
			}
		}
		for _, t := range ts {
			if strings.EqualFold(t.Name, want) {
				return t, nil
			}
		}
		return Table{}, fmt.Errorf("no feature table %q (feature tables: %s)", want, strings.Join(names, ", "))
	}
	switch len(ts) {
	case 0:
		return Table{}, errors.New("no feature table in gpkg_contents")
	case 1:
		return ts[0], nil
	}
	return Table{}, fmt.Errorf("%d feature tables (%s): choose one with --gpkg-table", len(ts), strings.Join(names, ", "))
}

// tableCRS resolves an srs_id through gpkg_spatial_ref_sys: an EPSG code
// redline knows, else the WKT definition; 0 and −1 (undefined) leave the
// CRS to detection.
func tableCRS(db *sql.DB, srsID int) (crs.CRS, string, error) {
	if srsID == 0 || srsID == -1 {
		return crs.CRS{}, "", nil
	}
	var org, def sql.NullString
	var code sql.NullInt64
	err := db.QueryRow("SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?", srsID).Scan(&org, &code, &def)
	if errors.Is(err, sql.ErrNoRows) {
		return crs.CRS{}, "", fmt.Errorf("srs_id %d is not in gpkg_spatial_ref_sys; give the CRS with --crs", srsID)
	}
	if err != nil {
		return crs.CRS{}, "", err
	}
	from := fmt.Sprintf("srs_id %d", srsID)
	if strings.EqualFold(org.String, "EPSG") && code.Valid {
		if c, err := crs.Parse(fmt.Sprintf("EPSG:%d", code.Int64)); err == nil {
			return c, from, nil
		}
	}
	if d := strings.TrimSpace(def.String); d != "" && !strings.EqualFold(d, "undefined") {
		if c, err := crs.FromWKT(d); err == nil {
			return c, from + " (WKT)", nil
		}
	}
	return crs.CRS{}, "", fmt.Errorf("srs_id %d (%s %d) is not a CRS redline converts (CGCS2000/WGS84 lon/lat, CGCS2000 Gauss–Krüger, Web Mercator); reproject the file or give the CRS with --crs",
		srsID, org.String, code.Int64)
}

func readRows(db *sql.DB, t Table, src *geo.Source, tol float64, maxVertices int) error {
	pk := ""
	cols, err := db.Query("SELECT name, pk FROM pragma_table_info(?)", t.Name)
	if err != nil {
		return err
	}
	for cols.Next() {
		var n string
		var p int
		if err := cols.Scan(&n, &p); err != nil {
			cols.Close()
			return err
		}
		if p == 1 && pk == "" {
			pk = n
		}
	}
	cols.Close()
	rows, err := db.QueryContext(context.Background(), "SELECT * FROM "+quoteIdent(t.Name))
	if err != nil {
		return err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	types, _ := rows.ColumnTypes()
	geomCol, pkCol := -1, -1
	for i, n := range names {
		switch {
		case strings.EqualFold(n, t.Column):
			geomCol = i
		case n == pk:
			pkCol = i
		default:
			src.Fields = append(src.Fields, n)
		}
	}
	if geomCol < 0 {
		return fmt.Errorf("no geometry column %q", t.Column)
	}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	vertices, blobs := 0, 0
	for i := 0; rows.Next(); i++ {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("feature %d: %w", i, err)
		}
		rec := geo.Record{Props: make(map[string]any, len(names))}
		if pkCol >= 0 {
			rec.ID = fmt.Sprint(vals[pkCol])
		}
		for c, v := range vals {
			if c == geomCol || c == pkCol {
				continue
			}
			pv, isBlob := propValue(v, types[c].DatabaseTypeName())
			if isBlob {
				blobs++
			}
			rec.Props[names[c]] = pv
		}
		if b, ok := vals[geomCol].([]byte); ok && b != nil {
			g, err := decodeBlob(b, tol)
			if err != nil {
				return fmt.Errorf("feature %d (fid %s): %w", i, rec.ID, err)
			}
			rec.Geom = g
			if g != nil {
				vertices += geo.CountVertices(g)
				if vertices > maxVertices {
					return fmt.Errorf("more than %d vertices", maxVertices)
				}
			}
		} else if vals[geomCol] != nil {
			return fmt.Errorf("feature %d (fid %s): geometry column holds %T, not a blob", i, rec.ID, vals[geomCol])
		}
		src.Records = append(src.Records, rec)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if blobs > 0 {
		src.Warnings = append(src.Warnings, geo.Warnf("%d BLOB attribute values not read (left empty)", blobs))
	}
	return nil
}

// decodeBlob decodes a GeoPackage geometry blob; an empty geometry is nil.
func decodeBlob(b []byte, tol float64) (orb.Geometry, error) {
	h, err := parseHeader(b)
	if err != nil {
		return nil, err
	}
	if h.empty {
		return nil, nil
	}
	return decodeWKB(h.wkb, tol)
}

// propValue maps an SQLite value to a property value (string, float64,
// int64, bool or nil); BLOBs are not properties (the bool says one was
// dropped).
func propValue(v any, declType string) (any, bool) {
	switch v := v.(type) {
	case nil:
		return nil, false
	case int64:
		if strings.EqualFold(declType, "BOOLEAN") {
			return v != 0, false
		}
		return v, false
	case float64, string, bool:
		return v, false
	case []byte:
		if strings.EqualFold(declType, "TEXT") || strings.HasPrefix(strings.ToUpper(declType), "TEXT(") {
			return string(v), false
		}
		return nil, true
	case time.Time:
		if strings.EqualFold(declType, "DATE") {
			return v.Format("2006-01-02"), false
		}
		return v.UTC().Format("2006-01-02T15:04:05.000Z"), false
	}
	return fmt.Sprint(v), false
}

// seekFS gives SQLite's VFS the io.Seeker it needs on files of file
// systems whose files have only io.ReaderAt (a wrapper counting progress)
// or neither (read into memory).
type seekFS struct{ fs.FS }

func (s seekFS) Open(name string) (fs.File, error) {
	f, err := s.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if _, ok := f.(io.Seeker); ok {
		return f, nil
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if ra, ok := f.(io.ReaderAt); ok {
		return &seekFile{File: f, ReadSeeker: io.NewSectionReader(ra, 0, st.Size())}, nil
	}
	b, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &seekFile{File: f, ReadSeeker: bytes.NewReader(b)}, nil
}

type seekFile struct {
	fs.File
	io.ReadSeeker
}

func (f *seekFile) Read(b []byte) (int, error) { return f.ReadSeeker.Read(b) }
