package data

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/redline-gis/redline/data/geojson"
	"github.com/redline-gis/redline/data/kml"
	"github.com/redline-gis/redline/data/shapefile"
	"github.com/redline-gis/redline/geo"
)

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
	}
	return fmt.Errorf("%w %q (want .geojson, .shp, .zip, .kml or .kmz)", ErrOutputFormat, ext)
}
