package data

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/redline-gis/redline/geo"
)

// ReadGeoJSON reads a GeoJSON FeatureCollection, a bare JSON array of
// Features, a single Feature, or a bare Geometry or GeometryCollection,
// streaming the features one at a time (the file is never held whole).
// A UTF-8 BOM is skipped. The legacy "crs" member is honoured.
func ReadGeoJSON(r io.Reader, name string) (*Source, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	src := &Source{Format: "GeoJSON"}
	fail := func(err error) (*Source, error) {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(fmt.Errorf("not JSON: %w", err))
	}
	switch tok {
	case json.Delim('['):
		if err := readFeatureArray(dec, name, src); err != nil {
			return nil, err
		}
	case json.Delim('{'):
		if err := readTopObject(dec, name, src); err != nil {
			return nil, err
		}
	default:
		return fail(errors.New("not a GeoJSON object or array"))
	}
	return src, nil
}

// readTopObject walks the members of the top-level object. "features" is
// streamed; the others are small and kept to decide what the object is.
func readTopObject(dec *json.Decoder, name string, src *Source) error {
	members := map[string]json.RawMessage{}
	sawFeatures := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("data: %s: %w", name, err)
		}
		key, _ := tok.(string)
		if key == "features" {
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return fmt.Errorf("data: %s: \"features\" is not an array", name)
			}
			if err := readFeatureArray(dec, name, src); err != nil {
				return err
			}
			sawFeatures = true
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("data: %s: member %q: %w", name, key, err)
		}
		members[key] = raw
	}
	if raw, ok := members["crs"]; ok {
		if err := applyCRSMember(raw, src); err != nil {
			return fmt.Errorf("data: %s: %w", name, err)
		}
	}
	var typ string
	_ = json.Unmarshal(members["type"], &typ)
	switch {
	case sawFeatures || typ == "FeatureCollection":
		return nil
	case typ == "Feature":
		whole, _ := json.Marshal(members)
		rec, err := decodeFeature(whole, 0)
		if err != nil {
			return fmt.Errorf("data: %s: feature 0: %w", name, err)
		}
		src.Records = append(src.Records, rec)
		return nil
	case typ == "":
		return fmt.Errorf("data: %s: no \"type\" member: not GeoJSON", name)
	}
	whole, _ := json.Marshal(members)
	g, err := decodeGeometry(whole)
	if err != nil {
		return fmt.Errorf("data: %s: %w", name, err)
	}
	src.Records = append(src.Records, Record{Props: map[string]any{}, Geom: g})
	return nil
}

// applyCRSMember reads the legacy {"type":"name","properties":{"name":...}}.
func applyCRSMember(raw json.RawMessage, src *Source) error {
	var c struct {
		Type       string `json:"type"`
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	}
	if string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, &c); err != nil || c.Properties.Name == "" {
		return fmt.Errorf("unreadable \"crs\" member %s", raw)
	}
	crs, err := geo.ParseCRS(c.Properties.Name)
	if err != nil {
		return fmt.Errorf("\"crs\" member: %w", err)
	}
	src.CRS, src.CRSFrom = crs, "GeoJSON crs member"
	return nil
}

func readFeatureArray(dec *json.Decoder, name string, src *Source) error {
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("data: %s: feature %d: %w", name, i, err)
		}
		rec, err := decodeFeature(raw, i)
		if err != nil {
			if rec.ID != "" {
				return fmt.Errorf("data: %s: feature %d (id %s): %w", name, i, rec.ID, err)
			}
			return fmt.Errorf("data: %s: feature %d: %w", name, i, err)
		}
		src.Records = append(src.Records, rec)
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("data: %s: unterminated array: %w", name, err)
	}
	return nil
}

// decodeFeature decodes one Feature. A null geometry gives a nil Geom.
func decodeFeature(raw []byte, i int) (Record, error) {
	var f struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties json.RawMessage `json:"properties"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&f); err != nil {
		return Record{}, fmt.Errorf("not a Feature object: %w", err)
	}
	rec := Record{ID: idString(f.ID), Props: map[string]any{}}
	if f.Type != "Feature" {
		return rec, fmt.Errorf("type is %q, want \"Feature\"", f.Type)
	}
	if len(f.Properties) > 0 && string(f.Properties) != "null" {
		var props map[string]any
		d := json.NewDecoder(bytes.NewReader(f.Properties))
		d.UseNumber()
		if err := d.Decode(&props); err != nil {
			return rec, fmt.Errorf("properties: %w", err)
		}
		for k, v := range props {
			rec.Props[k] = plainValue(v)
		}
	}
	if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
		return rec, nil
	}
	g, err := decodeGeometry(f.Geometry)
	if err != nil {
		return rec, err
	}
	rec.Geom = g
	return rec, nil
}

func decodeGeometry(raw []byte) (orb.Geometry, error) {
	g, err := geojson.UnmarshalGeometry(raw)
	if err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	if g.Coordinates == nil && g.Geometries == nil {
		return nil, errors.New("geometry: no coordinates")
	}
	return g.Geometry(), nil
}

// idString renders a GeoJSON id (string or number) as text.
func idString(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return ""
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		return str
	}
	return s
}

// plainValue turns json.Number into int64 or float64, recursively.
func plainValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = plainValue(x)
		}
	case []any:
		for i, x := range v {
			v[i] = plainValue(x)
		}
	}
	return v
}
