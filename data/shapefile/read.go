package shapefile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// maxSidecar caps the size of the small sidecar files (.prj, .cpg).
const maxSidecar = 1 << 20

// maxZipEntry caps the uncompressed size of one zip entry.
var maxZipEntry uint64 = 2 << 30

// Limits bound what one shapefile may cost (geo.ReadLimits, the limits
// every format takes; MaxFeatures counts records).
type Limits = geo.ReadLimits

// minExpandCap is what any zip may expand to, whatever its ratio; above
// it Limits.MaxExpandRatio applies: a 1 MB archive never needs a gigabyte.
const minExpandCap = 32 << 20

// DefaultLimits are the limits of Read and ReadZip.
var DefaultLimits = geo.DefaultReadLimits

// Read reads the ESRI Shapefile whose .shp is name inside fsys, with
// its .dbf (attributes), .prj (CRS) and .cpg (text encoding) siblings, found
// by base name case-insensitively. The .shx index is not needed.
//
// Geometries keep the file's coordinates (Z and M are dropped): Point,
// MultiPoint, LineString or MultiLineString (PolyLine), Polygon or
// MultiPolygon with outer rings counter-clockwise and holes clockwise. A null
// shape gives a Record with a nil Geom and a warning. Record i of the .dbf
// belongs to shape i; records marked deleted in the .dbf are skipped with
// their shapes.
//
// DBF text is decoded by the .cpg, else by the DBF language-driver byte, else
// by detection (valid UTF-8, else GB18030/GBK, else windows-1252, with a
// warning). Values are string, int64, float64, bool ("L") or nil; dates read
// as "YYYY-MM-DD" strings.
func Read(fsys fs.FS, name string) (*geo.Source, error) {
	return ReadLimit(fsys, name, Limits{})
}

// ReadLimit is Read within lim.
func ReadLimit(fsys fs.FS, name string, lim Limits) (*geo.Source, error) {
	lim = lim.WithDefaults()
	dir, file := path.Split(name)
	dir = strings.TrimSuffix(dir, "/")
	if dir == "" {
		dir = "."
	}
	base := strings.TrimSuffix(file, path.Ext(file))
	sibling := siblingFinder(fsys, dir, base)

	src := &geo.Source{Format: "ESRI Shapefile"}
	warn := func(w geo.Warning) { src.Warnings = append(src.Warnings, w) }

	if p, ok := sibling(".prj"); ok {
		b, err := readSmall(fsys, p)
		if err != nil {
			return nil, err
		}
		wkt := strings.TrimSpace(strings.TrimPrefix(string(b), "\uFEFF"))
		if c, err := crs.FromWKT(wkt); err != nil {
			warn(geo.Warnf("%s: CRS not recognised (%v); it will be detected from the coordinates", path.Base(p), err))
		} else {
			src.CRS, src.CRSFrom = c, ".prj"
		}
	}
	var cs *dbfCharset
	if p, ok := sibling(".cpg"); ok {
		b, err := readSmall(fsys, p)
		if err != nil {
			return nil, err
		}
		if c, ok := dbfCharsetFromCPG(string(b)); ok {
			cs = &c
		} else {
			warn(geo.Warnf("%s: code page %q is not supported; using the DBF header or detection", path.Base(p), strings.TrimSpace(string(b))))
		}
	}

	var dbf *dbfReader
	if p, ok := sibling(".dbf"); ok {
		f, err := fsys.Open(p)
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		defer f.Close()
		size := int64(-1)
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
		dbf, err = newDBFReader(f, size, path.Base(p), cs, warn)
		if err != nil {
			return nil, err
		}
		for _, fd := range dbf.fields {
			src.Fields = append(src.Fields, fd.name)
		}
	} else {
		warn(geo.Warnf("%s: no .dbf file; features have no attributes", file))
	}

	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	if err := readRecords(f, file, dbf, src, lim); err != nil {
		return nil, err
	}
	if dbf != nil {
		dbf.finish()
	}
	return src, nil
}

// readRecords reads the .shp stream and pairs each shape with its DBF record.
func readRecords(f io.Reader, file string, dbf *dbfReader, src *geo.Source, lim Limits) error {
	verts := 0 // points of the records read so far
	r := bufio.NewReaderSize(f, 64<<10)
	var hdr [100]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return fmt.Errorf("data: %s: reading the 100-byte header: %w", file, dbfEOF(err))
	}
	if code := binary.BigEndian.Uint32(hdr[0:]); code != 9994 {
		return fmt.Errorf("data: %s: file code is %d, not 9994: not a shapefile", file, code)
	}
	var content bytes.Buffer
	var rh [8]byte
	for i := 0; ; i++ {
		n, err := io.ReadFull(r, rh[:])
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("data: %s: record %d: truncated record header (%d of 8 bytes)", file, i, n)
		}
		words := int64(int32(binary.BigEndian.Uint32(rh[4:])))
		if words < 0 {
			return fmt.Errorf("data: %s: record %d: negative content length %d", file, i, words)
		}
		// A record of L bytes holds at least L/32 - 2 points (PolygonZ with M,
		// few parts): refuse one that cannot fit the budget before reading it.
		if minPts := 2*words/32 - 2; int64(verts)+minPts > int64(lim.MaxVertices) {
			return fmt.Errorf("data: %s: record %d: %d bytes hold at least %d points, which with the %d before are more than the limit of %d vertices",
				file, i, 2*words, minPts, verts, lim.MaxVertices)
		}
		if len(src.Records) >= lim.MaxFeatures {
			return fmt.Errorf("data: %s: more than %d records, the limit", file, lim.MaxFeatures)
		}
		content.Reset()
		// The buffer grows only as data arrives, so a hostile length cannot
		// make us allocate more than the file holds.
		if got, err := io.CopyN(&content, r, 2*words); err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("data: %s: record %d: content length is %d bytes but only %d remain", file, i, 2*words, got)
			}
			return fmt.Errorf("data: %s: record %d: %w", file, i, err)
		}
		var props map[string]any
		if dbf != nil {
			vals, deleted, ok, err := dbf.next()
			if err != nil {
				return err
			}
			if deleted {
				continue
			}
			if ok {
				props = make(map[string]any, len(vals))
				for k, v := range vals {
					props[dbf.fields[k].name] = v
				}
			} else if dbf.read == i {
				src.Warnings = append(src.Warnings, geo.Warnf("%s: %s has %d records but %s has more; records %d and later have no attributes",
					file, dbf.name, dbf.read, file, i))
			}
		}
		np, npts := shapeCounts(content.Bytes())
		if np > int64(lim.MaxRingsPerRecord) {
			return fmt.Errorf("data: %s: record %d: %d parts, more than the limit of %d per record", file, i, np, lim.MaxRingsPerRecord)
		}
		if int64(verts)+npts > int64(lim.MaxVertices) {
			return fmt.Errorf("data: %s: record %d: %d points, which with the %d before are more than the limit of %d vertices",
				file, i, npts, verts, lim.MaxVertices)
		}
		verts += int(npts)
		g, err := parseShape(content.Bytes(), func(w geo.Warning) {
			src.Warnings = append(src.Warnings, w.Prefixed(fmt.Sprintf("%s: record %d: ", file, i)))
		})
		if err != nil {
			return fmt.Errorf("data: %s: record %d: %w", file, i, err)
		}
		if g == nil && len(content.Bytes()) >= 4 && binary.LittleEndian.Uint32(content.Bytes()) == typeNull {
			src.Warnings = append(src.Warnings, geo.Warnf("%s: record %d: null shape (no geometry)", file, i))
		}
		src.Records = append(src.Records, geo.Record{Props: props, Geom: g})
	}
	if dbf != nil {
		extra := 0
		for {
			_, _, ok, err := dbf.next()
			if err != nil || !ok {
				break
			}
			extra++
		}
		if extra > 0 {
			src.Warnings = append(src.Warnings, geo.Warnf("%s: %s has %d more records than %s; ignored", file, dbf.name, extra, file))
		}
	}
	return nil
}

// siblingFinder returns a function that finds base+ext in dir, preferring
// an exact match and else matching case-insensitively.
func siblingFinder(fsys fs.FS, dir, base string) func(ext string) (string, bool) {
	entries, _ := fs.ReadDir(fsys, dir)
	return func(ext string) (string, bool) {
		want := base + ext
		for _, try := range []string{want, base + strings.ToUpper(ext)} {
			p := path.Join(dir, try)
			if fi, err := fs.Stat(fsys, p); err == nil && !fi.IsDir() {
				return p, true
			}
		}
		for _, e := range entries {
			if !e.IsDir() && strings.EqualFold(e.Name(), want) {
				return path.Join(dir, e.Name()), true
			}
		}
		return "", false
	}
}

func readSmall(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSidecar+1))
	if err != nil {
		return nil, fmt.Errorf("data: %s: %w", path.Base(name), err)
	}
	if len(b) > maxSidecar {
		return nil, fmt.Errorf("data: %s: larger than %d bytes; not a .prj or .cpg file", path.Base(name), maxSidecar)
	}
	return b, nil
}

// ReadZip reads the one shapefile inside a zip archive (r, of size
// bytes; zipName is used in messages). It fails if the archive holds no .shp
// or several, if an entry has an absolute or ".." path, or if an entry is
// larger than 2 GiB uncompressed.
func ReadZip(r io.ReaderAt, size int64, zipName string) (*geo.Source, error) {
	return ReadZipLimit(r, size, zipName, Limits{})
}

// ReadZipLimit is ReadZip within lim. The uncompressed sizes the archive
// declares are checked before anything is inflated (archive/zip fails an
// entry that inflates to more than it declared), so a few kilobytes of
// deflate claiming gigabytes fail at once with the numbers.
func ReadZipLimit(r io.ReaderAt, size int64, zipName string, lim Limits) (*geo.Source, error) {
	lim = lim.WithDefaults()
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("data: %s: %w", zipName, err)
	}
	var shps []string
	for _, f := range zr.File {
		if !safeZipPath(f.Name) {
			return nil, fmt.Errorf("data: %s: entry %q has an unsafe path (absolute or with ..)", zipName, f.Name)
		}
		if f.UncompressedSize64 > maxZipEntry {
			return nil, fmt.Errorf("data: %s: entry %q is %d bytes uncompressed, more than the %d-byte limit",
				zipName, f.Name, f.UncompressedSize64, maxZipEntry)
		}
		if strings.HasPrefix(f.Name, "__MACOSX/") || strings.HasPrefix(path.Base(f.Name), "._") {
			continue
		}
		if strings.EqualFold(path.Ext(f.Name), ".shp") && !f.FileInfo().IsDir() {
			shps = append(shps, f.Name)
		}
	}
	switch len(shps) {
	case 0:
		return nil, fmt.Errorf("data: %s: no .shp file in the archive", zipName)
	case 1:
	default:
		sort.Strings(shps)
		return nil, fmt.Errorf("data: %s: %d .shp files in the archive (%s); expected one", zipName, len(shps), strings.Join(shps, ", "))
	}
	base := strings.TrimSuffix(shps[0], path.Ext(shps[0]))
	var expanded uint64
	for _, f := range zr.File {
		if strings.EqualFold(strings.TrimSuffix(f.Name, path.Ext(f.Name)), base) {
			expanded += f.UncompressedSize64
		}
	}
	if expanded > lim.MaxExpandedBytes {
		return nil, fmt.Errorf("data: %s: the shapefile %s is %d bytes uncompressed (from %d in the archive), more than the limit of %d",
			zipName, base, expanded, size, lim.MaxExpandedBytes)
	}
	if ratioCap := max(minExpandCap, lim.MaxExpandRatio*uint64(max(size, 0))); expanded > ratioCap {
		return nil, fmt.Errorf("data: %s: the shapefile %s expands %d times, from %d bytes to %d: more than the limit of %d times "+
			"(a shapefile compresses 2 to 10 times; this looks like a zip bomb); unzip it and read the .shp if it is real",
			zipName, base, expanded/uint64(max(size, 1)), size, expanded, lim.MaxExpandRatio)
	}
	src, err := ReadLimit(zr, shps[0], lim)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, zipName)
	}
	return src, nil
}

func safeZipPath(name string) bool {
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return false
	}
	for _, el := range strings.Split(n, "/") {
		if el == ".." {
			return false
		}
	}
	return true
}
