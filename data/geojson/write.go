package geojson

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/redline-gis/redline/geo"
)

// Write writes feats as an RFC 7946 FeatureCollection (lon/lat,
// outer rings counter-clockwise, no "crs" member), one feature per line, as
// a stream. Property order follows fields, then any others sorted.
func Write(w io.Writer, fields []string, feats []geo.Record) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range feats {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		if err := writeFeature(bw, fields, f); err != nil {
			return fmt.Errorf("data: feature %d: %w", i, err)
		}
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

func writeFeature(w *bufio.Writer, fields []string, f geo.Record) error {
	w.WriteString(`{"type":"Feature","properties":`)
	if err := writeProps(w, fields, f.Props); err != nil {
		return err
	}
	w.WriteString(`,"geometry":`)
	if f.Geom == nil {
		w.WriteString("null")
	} else {
		b, err := json.Marshal(geojson.NewGeometry(rfc7946(f.Geom)))
		if err != nil {
			return err
		}
		w.Write(b)
	}
	w.WriteString("}")
	return nil
}

// writeProps writes an object with keys in fields order first.
func writeProps(w *bufio.Writer, fields []string, props map[string]any) error {
	w.WriteString("{")
	n := 0
	put := func(k string, v any) error {
		if n > 0 {
			w.WriteString(",")
		}
		n++
		kb, _ := json.Marshal(k)
		w.Write(kb)
		w.WriteString(":")
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			v = nil
		}
		vb, err := json.Marshal(v)
		if err != nil {
			return err
		}
		w.Write(vb)
		return nil
	}
	done := map[string]bool{}
	for _, k := range fields {
		if v, ok := props[k]; ok {
			if err := put(k, v); err != nil {
				return err
			}
			done[k] = true
		}
	}
	for _, k := range sortedKeys(props) {
		if !done[k] {
			if err := put(k, props[k]); err != nil {
				return err
			}
		}
	}
	w.WriteString("}")
	return nil
}

// rfc7946 returns g with outer rings counter-clockwise and holes clockwise.
func rfc7946(g orb.Geometry) orb.Geometry {
	switch t := g.(type) {
	case orb.Polygon:
		return geo.PolygonOriented(t)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(t))
		for i, p := range t {
			out[i] = geo.PolygonOriented(p)
		}
		return out
	case orb.Collection:
		out := make(orb.Collection, len(t))
		for i := range t {
			out[i] = rfc7946(t[i])
		}
		return out
	}
	return g
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
