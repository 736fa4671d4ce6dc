package sample

import (
	"embed"
	"io/fs"
)

//go:generate go run ./gen -out .

//go:embed redline.geojson reserve.geojson water.geojson farmland.geojson control_unit.geojson landuse.geojson sites.geojson access_list.csv
var files embed.FS

// FS holds the data set's GeoJSON files (RFC 7946, lon/lat), at its root.
var FS fs.FS = files

// Note is the text every file and every feature of the data set carries.
const Note = "示意数据，非官方数据 / illustrative, not official data"

// Sites is the file of proposed project sites.
const Sites = "sites.geojson"

// Layer is a constraint layer of the data set: its kind and file.
type Layer struct {
	Kind string
	File string
}

// Layers are the constraint layers, in the order reports list them.
var Layers = []Layer{
	{"redline", "redline.geojson"},
	{"reserve", "reserve.geojson"},
	{"water", "water.geojson"},
	{"farmland", "farmland.geojson"},
	{"control_unit", "control_unit.geojson"},
}

// ClassLayer is the land-use layer the demo breaks the sites down by
// (`--layer landuse=landuse.geojson --by landuse=DLMC`); it has no rules, so
// it is not among Layers: screened without --by it would list every parcel.
var ClassLayer = Layer{"landuse", "landuse.geojson"}

// ClassField is the field of ClassLayer the demo breaks down by.
const ClassField = "DLMC"

// AccessList is the control units' illustrative access list (CSV).
const AccessList = "access_list.csv"
