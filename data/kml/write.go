package kml

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo"
	gogeom "github.com/twpayne/go-geom"
	geomkml "github.com/twpayne/go-geom/encoding/kml"
	"github.com/twpayne/go-kml/v3"
)

// Write writes feats as a KML 2.2 document named name, one Placemark per
// feature, in order. Geometries must be lon/lat (CGCS2000/WGS84). The
// Placemark's <name> is the "name" property, else "名称"; a string
// "description" property becomes <description>; every other non-nil property
// becomes an ExtendedData <Data> element, in key order. Feats are not
// modified.
func Write(w io.Writer, name string, feats []geo.Record) error {
	children := []kml.Element{kml.Name(name)}
	for i, f := range feats {
		pm, err := writePlacemark(f)
		if err != nil {
			return fmt.Errorf("data: %s: feature %d: %w", name, i, err)
		}
		children = append(children, pm)
	}
	bw := bufio.NewWriter(w)
	if err := kml.KML(kml.Document(children...)).WriteIndent(bw, "", "  "); err != nil {
		return fmt.Errorf("data: %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("data: %s: %w", name, err)
	}
	return nil
}

// WriteKMZ writes feats as a KMZ: a zip holding doc.kml (see Write).
func WriteKMZ(w io.Writer, name string, feats []geo.Record) error {
	zw := zip.NewWriter(w)
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "doc.kml", Method: zip.Deflate, Modified: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return fmt.Errorf("data: %s: %w", name, err)
	}
	if err := Write(fw, name, feats); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("data: %s: %w", name, err)
	}
	return nil
}

func writePlacemark(f geo.Record) (kml.Element, error) {
	var children []kml.Element
	nameKey := ""
	for _, k := range []string{"name", "名称"} {
		if v, ok := f.Props[k]; ok && v != nil {
			nameKey = k
			children = append(children, kml.Name(formatValue(v)))
			break
		}
	}
	descKey := ""
	if d, ok := f.Props["description"].(string); ok {
		descKey = "description"
		children = append(children, kml.Description(d))
	}
	keys := make([]string, 0, len(f.Props))
	for k, v := range f.Props {
		if k != nameKey && k != descKey && v != nil {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		data := make([]kml.Element, len(keys))
		for i, k := range keys {
			data[i] = kml.Data(k, kml.Value(formatValue(f.Props[k])))
		}
		children = append(children, kml.ExtendedData(data...))
	}
	if f.Geom != nil {
		g, err := toGoGeom(f.Geom)
		if err != nil {
			return nil, err
		}
		e, err := geomkml.Encode(g)
		if err != nil {
			return nil, err
		}
		children = append(children, e)
	}
	return kml.Placemark(children...), nil
}

// formatValue formats a property value as text.
func formatValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'f', -1, 32)
	case time.Time:
		return v.Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// toGoGeom converts an orb geometry to go-geom (layout XY).
func toGoGeom(g orb.Geometry) (gogeom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return gogeom.NewPointFlat(gogeom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		return gogeom.NewMultiPointFlat(gogeom.XY, flatPoints(nil, g)), nil
	case orb.LineString:
		return gogeom.NewLineStringFlat(gogeom.XY, flatPoints(nil, g)), nil
	case orb.MultiLineString:
		var flat []float64
		var ends []int
		for _, l := range g {
			flat = flatPoints(flat, l)
			ends = append(ends, len(flat))
		}
		return gogeom.NewMultiLineStringFlat(gogeom.XY, flat, ends), nil
	case orb.Ring:
		return toGoGeom(orb.Polygon{g})
	case orb.Bound:
		return toGoGeom(g.ToPolygon())
	case orb.Polygon:
		flat, ends := flatPolygon(nil, g)
		return gogeom.NewPolygonFlat(gogeom.XY, flat, ends), nil
	case orb.MultiPolygon:
		var flat []float64
		var endss [][]int
		for _, p := range g {
			var ends []int
			flat, ends = flatPolygon(flat, p)
			endss = append(endss, ends)
		}
		return gogeom.NewMultiPolygonFlat(gogeom.XY, flat, endss), nil
	case orb.Collection:
		gc := gogeom.NewGeometryCollection()
		for _, m := range g {
			t, err := toGoGeom(m)
			if err != nil {
				return nil, err
			}
			if err := gc.Push(t); err != nil {
				return nil, err
			}
		}
		return gc, nil
	}
	return nil, fmt.Errorf("unsupported geometry %T", g)
}

func flatPoints(flat []float64, pts []orb.Point) []float64 {
	for _, p := range pts {
		flat = append(flat, p[0], p[1])
	}
	return flat
}

func flatPolygon(flat []float64, p orb.Polygon) ([]float64, []int) {
	var ends []int
	for _, r := range p {
		flat = flatPoints(flat, r)
		ends = append(ends, len(flat))
	}
	return flat, ends
}
