package data

import "github.com/redline-gis/redline/geo"

// OutFeature is what the reports hand to WriteFeatures: a geo.Record (the
// writers ignore its ID). Kept as an alias until the reports move to report/
// and build geo.Records themselves.
type OutFeature = geo.Record
