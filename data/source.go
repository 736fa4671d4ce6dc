package data

import "github.com/redline-gis/redline/geo"

// Record and Source moved to geo so that every format package can return them
// without importing data (which imports the formats).
type (
	Record = geo.Record
	Source = geo.Source
)
