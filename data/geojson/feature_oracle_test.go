package geojson

// The GeoJSON reader as it was before the hand-written parser (commit 155bda9): encoding/json
// for the structure, orb for the geometries. It is the oracle of the
// differential tests in feature_test.go.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/redline-gis/redline/geo"
)

func oldReadGeoJSON(r io.Reader, name string) (*geo.Source, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	src := &geo.Source{Format: "GeoJSON"}
	fail := func(err error) (*geo.Source, error) {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(fmt.Errorf("not JSON: %w", err))
	}
	switch tok {
	case json.Delim('['):
		if err := oldReadFeatureArray(dec, name, src); err != nil {
			return nil, err
		}
	case json.Delim('{'):
		if err := oldReadTopObject(dec, name, src); err != nil {
			return nil, err
		}
	default:
		return fail(errors.New("not a GeoJSON object or array"))
	}
	return src, nil
}

// readTopObject walks the members of the top-level object. "features" is
// streamed; the others are small and kept to decide what the object is.
func oldReadTopObject(dec *json.Decoder, name string, src *geo.Source) error {
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
			if err := oldReadFeatureArray(dec, name, src); err != nil {
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
		rec, err := oldDecodeFeature(whole, 0)
		if err != nil {
			return fmt.Errorf("data: %s: feature 0: %w", name, err)
		}
		src.Records = append(src.Records, rec)
		return nil
	case typ == "":
		return fmt.Errorf("data: %s: no \"type\" member: not GeoJSON", name)
	}
	whole, _ := json.Marshal(members)
	g, err := oldDecodeGeometry(whole)
	if err != nil {
		return fmt.Errorf("data: %s: %w", name, err)
	}
	src.Records = append(src.Records, geo.Record{Props: map[string]any{}, Geom: g})
	return nil
}

func oldReadFeatureArray(dec *json.Decoder, name string, src *geo.Source) error {
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("data: %s: feature %d: %w", name, i, err)
		}
		rec, err := oldDecodeFeature(raw, i)
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
func oldDecodeFeature(raw []byte, i int) (geo.Record, error) {
	var f struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties json.RawMessage `json:"properties"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&f); err != nil {
		return geo.Record{}, fmt.Errorf("not a Feature object: %w", err)
	}
	rec := geo.Record{ID: oldIDString(f.ID), Props: map[string]any{}}
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
	g, err := oldDecodeGeometry(f.Geometry)
	if err != nil {
		return rec, err
	}
	rec.Geom = g
	return rec, nil
}

func oldDecodeGeometry(raw []byte) (orb.Geometry, error) {
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
func oldIDString(raw json.RawMessage) string {
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
