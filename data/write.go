package data

import (
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/redline-gis/redline/data/geojson"
	"github.com/redline-gis/redline/data/gpkg"
	"github.com/redline-gis/redline/data/kml"
	"github.com/redline-gis/redline/data/shapefile"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// propNames returns every property name of feats, sorted.
func propNames(feats []geo.Record) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range feats {
		for k := range f.Props {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// ErrOutputFormat is the error WriteFeatures returns for an output name whose
// extension names no format it writes.
var ErrOutputFormat = errors.New("unknown output format")

// Output is where WriteFeatures writes; data opens no files itself.
type Output struct {
	// Name is the output path: its extension picks the format (.geojson or
	// .json, .shp, .zip for a zipped shapefile, .kml, .kmz) and its base
	// name names the layer.
	Name string
	// Create opens each file of a .shp output (base.shp, .shx, .dbf, .prj,
	// .cpg), named without directory; each is closed before the next.
	Create func(name string) (io.WriteCloser, error)
	// Write writes the one file of every other format: it calls fn with the
	// file and keeps the file only if fn succeeds.
	Write func(fn func(w io.Writer) error) error
}

// WriteOptions change what WriteFeatures writes.
type WriteOptions struct {
	// PRJ is the .prj text of a shapefile output whose geometries are not
	// CGCS2000 lon/lat; "" means EPSG:4490. Other formats are lon/lat.
	PRJ string
	// CRS is the CRS of the geometries for a GeoPackage output (zero:
	// CGCS2000 lon/lat, srs_id 4490).
	CRS crs.CRS
}

// WriteFeatures writes feats to out in the format out.Name's extension
// names. fields gives the attribute order (nil: every property, sorted).
// An unknown extension is an error wrapping ErrOutputFormat.
func WriteFeatures(out Output, fields []string, feats []geo.Record, opt WriteOptions) error {
	ext := strings.ToLower(path.Ext(out.Name))
	base := strings.TrimSuffix(path.Base(out.Name), path.Ext(out.Name))
	so := shapefile.Options{PRJ: opt.PRJ}
	switch ext {
	case ".shp":
		return shapefile.WriteWith(out.Create, base, fields, feats, so)
	case ".zip":
		return out.Write(func(w io.Writer) error { return shapefile.WriteZipWith(w, base, fields, feats, so) })
	case ".kml":
		return out.Write(func(w io.Writer) error { return kml.Write(w, base, feats) })
	case ".kmz":
		return out.Write(func(w io.Writer) error { return kml.WriteKMZ(w, base, feats) })
	case ".geojson", ".json":
		return out.Write(func(w io.Writer) error { return geojson.Write(w, fields, feats) })
	case ".gpkg":
		if fields == nil {
			fields = propNames(feats)
		}
		return out.Write(func(w io.Writer) error {
			return gpkg.Write(w, fields, feats, gpkg.WriteOptions{Table: base, CRS: opt.CRS})
		})
	}
	return fmt.Errorf("%w %q (want .geojson, .shp, .zip, .kml, .kmz or .gpkg)", ErrOutputFormat, ext)
}
