package data

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/redline-gis/redline/data/dxf"
	"github.com/redline-gis/redline/data/gpkg"
)

// DXFLayer is one layer of a DXF drawing as `redline info` lists it.
type DXFLayer struct {
	Name     string `json:"name"`
	Color    int    `json:"color"`
	Entities int    `json:"entities"` // model-space entities on it, drawn or not
}

// GPKGTable is one feature table of a GeoPackage as `redline info` lists it.
type GPKGTable struct {
	Name         string `json:"name"`
	GeometryType string `json:"geometry_type"`
	SRSID        int    `json:"srs_id"`
	Features     int64  `json:"features"`
}

// Contents lists the layers of a DXF drawing or the feature tables of a
// GeoPackage (by extension); other formats have neither (nil, nil, nil).
func Contents(fsys fs.FS, name string) ([]DXFLayer, []GPKGTable, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".dxf":
		f, err := fsys.Open(name)
		if err != nil {
			return nil, nil, fmt.Errorf("data: %w", err)
		}
		defer f.Close()
		ls, err := dxf.Layers(f, name)
		if err != nil {
			return nil, nil, err
		}
		out := make([]DXFLayer, len(ls))
		for i, l := range ls {
			out[i] = DXFLayer{Name: l.Name, Color: l.Color, Entities: l.Entities}
		}
		return out, nil, nil
	case ".gpkg":
		ts, err := gpkg.Tables(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		out := make([]GPKGTable, len(ts))
		for i, t := range ts {
			out[i] = GPKGTable{Name: t.Name, GeometryType: t.GeometryType, SRSID: t.SRSID, Features: t.Features}
		}
		return nil, out, nil
	}
	return nil, nil, nil
}
