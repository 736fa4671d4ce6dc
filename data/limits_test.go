package data_test

import (
	"archive/zip"
	"bytes"
	"testing"
	"testing/fstest"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/kml"
	"github.com/redline-gis/redline/data/shapefile"
)

// The KML reader's limits are the shapefile reader's (one set of limits for
// every format, issue 15): the same numbers for what both bound.
func TestKMLLimitsAreShapefileLimits(t *testing.T) {
	k, s := kml.DefaultLimits, shapefile.DefaultLimits
	if k.MaxFeatures != s.MaxFeatures || k.MaxVertices != s.MaxVertices ||
		k.MaxExpandedBytes != s.MaxExpandedBytes || k.MaxExpandRatio != s.MaxExpandRatio {
		t.Errorf("kml.DefaultLimits %+v differ from shapefile.DefaultLimits %+v", k, s)
	}
}

// ReadOptions.MaxVertices reaches the KML reader, which stops at the
// placemark that passes it (not after the whole file has been read).
func TestReadLayerKMLVertexLimit(t *testing.T) {
	doc := `<kml><Placemark id="a"><name>一号</name><Point><coordinates>100,23</coordinates></Point></Placemark>` +
		`<Placemark id="b"><name>二号</name><LineString><coordinates>100,23 100.1,23 100.1,23.1</coordinates></LineString></Placemark></kml>`
	var kmz bytes.Buffer
	zw := zip.NewWriter(&kmz)
	w, _ := zw.Create("doc.kml")
	w.Write([]byte(doc))
	zw.Close()
	fsys := fstest.MapFS{"l.kml": {Data: []byte(doc)}, "l.kmz": {Data: kmz.Bytes()}, "noext": {Data: []byte(doc)}}
	for name, prefix := range map[string]string{"l.kml": "data: l.kml: ", "l.kmz": "data: l.kmz/doc.kml: ", "noext": "data: noext: "} {
		_, _, err := data.ReadLayer(fsys, name, data.ReadOptions{MaxVertices: 3})
		want := prefix + `line 1: placemark 1 (id b, name "二号"): <coordinates> holds 3 tuples, which with the 1 before are more than the limit of 3 vertices`
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v\nwant %s", name, err, want)
		}
		if _, _, err := data.ReadLayer(fsys, name, data.ReadOptions{MaxVertices: 4}); err != nil {
			t.Errorf("%s: 4 vertices within a limit of 4: %v", name, err)
		}
	}
}
