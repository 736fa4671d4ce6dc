package geo

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo/crs"
)

// Record is one feature as a format reader found it, before CRS conversion.
type Record struct {
	ID    string         // the format's own feature id, "" if it has none
	Props map[string]any // attributes; string, float64, int64, bool or nil values
	Geom  orb.Geometry   // in the source CRS: x = lon or easting, y = lat or northing
	// Extent is ExtentOf(Geom) when the reader took it as it built Geom
	// (data.BuildLayer then uses it), else the zero Extent; whoever
	// replaces Geom resets it.
	Extent Extent
}

// Source is the content of one input as a format reader found it: what every
// reader under data/ returns, and what data.BuildLayer turns into a Layer.
type Source struct {
	Format   string   // "GeoJSON", "ESRI Shapefile", "界址点坐标 TXT", "KML", …
	Fields   []string // attribute names in file order (may be empty)
	CRS      crs.CRS  // valid when CRSFrom != ""
	CRSFrom  string   // where the CRS came from: "crs member", ".prj", "TXT header", ...; "" if unknown
	Records  []Record
	Warnings []Warning // things accepted but worth telling the user, each naming the feature
}

// Warning is something accepted but worth telling the user. Kind is the same
// for every warning of one sort, whatever file, feature or value it names
// (the message's format): long runs of one kind are cut to a count by it.
// Msg is what the user reads.
type Warning struct {
	Kind string
	Msg  string
}

// Warnf makes a warning whose kind is its format.
func Warnf(format string, args ...any) Warning {
	return Warning{Kind: format, Msg: fmt.Sprintf(format, args...)}
}

// Prefixed is w with prefix before its message, of the same kind.
func (w Warning) Prefixed(prefix string) Warning { return Warning{Kind: w.Kind, Msg: prefix + w.Msg} }

// String is the message.
func (w Warning) String() string { return w.Msg }

// WarningMessages are the messages of ws, for outputs that list text.
func WarningMessages(ws []Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Msg
	}
	return out
}

// ReadLimits bound what one input file may cost, so that a small hostile
// file (an archive of a few hundred kilobytes inflating to gigabytes of
// coordinates) fails fast with the numbers instead of filling memory. Every
// format reader takes the same limits and checks each before the memory it
// guards is allocated; a zero field takes its default.
type ReadLimits struct {
	MaxFeatures       int    // features or records (default 20 million)
	MaxVertices       int    // points in all features (default 100 million)
	MaxRingsPerRecord int    // parts of one record (default 100 000)
	MaxExpandedBytes  uint64 // an archive's entries read, uncompressed, together (default 4 GiB)
	// MaxExpandRatio caps an archive's expansion, uncompressed over
	// compressed size, above 32 MiB (default 20: shapefiles and KML text
	// compress 2 to 10 times).
	MaxExpandRatio uint64
}

// DefaultReadLimits are the limits a zero ReadLimits field takes.
var DefaultReadLimits = ReadLimits{MaxFeatures: 20_000_000, MaxVertices: 100_000_000, MaxRingsPerRecord: 100_000, MaxExpandedBytes: 4 << 30, MaxExpandRatio: 20}

// WithDefaults returns l with each zero field set to its default.
func (l ReadLimits) WithDefaults() ReadLimits {
	d := DefaultReadLimits
	if l.MaxFeatures > 0 {
		d.MaxFeatures = l.MaxFeatures
	}
	if l.MaxVertices > 0 {
		d.MaxVertices = l.MaxVertices
	}
	if l.MaxRingsPerRecord > 0 {
		d.MaxRingsPerRecord = l.MaxRingsPerRecord
	}
	if l.MaxExpandedBytes > 0 {
		d.MaxExpandedBytes = l.MaxExpandedBytes
	}
	if l.MaxExpandRatio > 0 {
		d.MaxExpandRatio = l.MaxExpandRatio
	}
	return d
}
