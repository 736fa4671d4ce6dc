package geo

import (
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo/crs"
)

// Record is one feature as a format reader found it, before CRS conversion.
type Record struct {
	ID    string         // the format's own feature id, "" if it has none
	Props map[string]any // attributes; string, float64, int64, bool or nil values
	Geom  orb.Geometry   // in the source CRS: x = lon or easting, y = lat or northing
}

// Source is the content of one input as a format reader found it: what every
// reader under data/ returns, and what data.BuildLayer turns into a Layer.
type Source struct {
	Format   string   // "GeoJSON", "ESRI Shapefile", "界址点坐标 TXT", "KML", …
	Fields   []string // attribute names in file order (may be empty)
	CRS      crs.CRS  // valid when CRSFrom != ""
	CRSFrom  string   // where the CRS came from: "crs member", ".prj", "TXT header", ...; "" if unknown
	Records  []Record
	Warnings []string // things accepted but worth telling the user, each naming the feature
}
