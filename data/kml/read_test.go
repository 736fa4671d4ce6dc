package kml_test

import (
	"archive/zip"
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/redline-gis/redline/data/kml"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
	"github.com/redline-gis/redline/internal/geotest"
)

func TestReadKMLSample(t *testing.T) {
	f, err := os.Open("testdata/sample.kml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := kml.Read(f, "sample.kml")
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != "KML" || src.CRS != crs.CGCS2000 || src.CRSFrom != "KML" {
		t.Errorf("format %q CRS %v from %q", src.Format, src.CRS, src.CRSFrom)
	}
	if len(src.Records) != 5 {
		t.Fatalf("%d records, want 5", len(src.Records))
	}
	if got := strings.Join(src.Fields, ","); got != "name,description,级别,面积" {
		t.Errorf("Fields %q", got)
	}
	r := src.Records[0]
	if r.ID != "pm1" || r.Props["name"] != "临翔区 地块&1" || r.Props["description"] != "<b>生态保护红线</b>" ||
		r.Props["级别"] != "一级" || r.Props["面积"] != "96" {
		t.Errorf("record 0: id %q props %v", r.ID, r.Props)
	}
	poly, ok := r.Geom.(orb.Polygon)
	if !ok || len(poly) != 2 || len(poly[0]) != 5 {
		t.Fatalf("record 0: %#v", r.Geom)
	}
	if poly[0].Orientation() != orb.CCW || poly[1].Orientation() != orb.CW { // orb as an independent check
		t.Errorf("record 0: outer ring must be CCW, hole CW")
	}
	if ls, ok := src.Records[1].Geom.(orb.LineString); !ok || !ls.Equal(orb.LineString{{100, 23}, {100.5, 23.5}}) {
		t.Errorf("record 1: %v (spaces after commas must be tolerated)", src.Records[1].Geom)
	}
	if src.Records[1].ID != "" || src.Records[1].Props["name"] != "路" {
		t.Errorf("record 1: id %q props %v", src.Records[1].ID, src.Records[1].Props)
	}
	if p, ok := src.Records[2].Geom.(orb.Point); !ok || p != (orb.Point{99.5, 23.9}) {
		t.Errorf("record 2: %v", src.Records[2].Geom)
	}
	if mp, ok := src.Records[3].Geom.(orb.MultiPolygon); !ok || len(mp) != 2 || len(mp[1][0]) != 4 {
		t.Errorf("record 3: %#v, want a MultiPolygon of 2 (nested MultiGeometry flattened, ring closed)", src.Records[3].Geom)
	}
	if c, ok := src.Records[4].Geom.(orb.Collection); !ok || len(c) != 2 {
		t.Errorf("record 4: %#v, want a Collection", src.Records[4].Geom)
	}
	if len(src.Warnings) != 1 || !strings.Contains(src.Warnings[0].Msg, "placemark 3 (id mp): ring is not closed") {
		t.Errorf("warnings %q", src.Warnings)
	}
}

func TestReadKMLGBK(t *testing.T) {
	doc := `<?xml version="1.0" encoding="GBK"?><kml><Placemark><name>临沧</name><Point><coordinates>100,23</coordinates></Point></Placemark></kml>`
	b, err := simplifiedchinese.GBK.NewEncoder().String(doc)
	if err != nil {
		t.Fatal(err)
	}
	src, err := kml.Read(strings.NewReader(b), "gbk.kml")
	if err != nil {
		t.Fatal(err)
	}
	if src.Records[0].Props["name"] != "临沧" {
		t.Errorf("name %q", src.Records[0].Props["name"])
	}
}

func TestReadKMLErrors(t *testing.T) {
	deep := "<kml>" + strings.Repeat("<Folder>", 200) + strings.Repeat("</Folder>", 200) + "</kml>"
	deepGeom := "<kml><Placemark>" + strings.Repeat("<MultiGeometry>", 200) + strings.Repeat("</MultiGeometry>", 200) + "</Placemark></kml>"
	pm := func(g string) string {
		return `<kml><Document><Placemark id="x"><name>a</name>` + g + `</Placemark></Document></kml>`
	}
	tests := []struct{ name, in, err string }{
		{"not kml", `<gpx></gpx>`, "data: e.kml: line 1: not a KML document: root element <gpx>"},
		{"empty", ``, "data: e.kml: no <kml> element"},
		{"truncated", `<kml><Placemark>`, "placemark 0: XML syntax error: unexpected EOF"},
		{"deep", deep, "nested deeper than 100"},
		{"deep geometry", deepGeom, "nested deeper than 100"},
		{"bad number", pm(`<Point><coordinates>1x,2</coordinates></Point>`), `line 1: placemark 0 (id x, name "a"): bad coordinate tuple "1x,2"`},
		{"out of range", pm(`<Point><coordinates>200,2</coordinates></Point>`), "out of lon/lat range"},
		{"two points", pm("<Polygon><outerBoundaryIs><LinearRing><coordinates>1,2 3,4 1,2</coordinates></LinearRing></outerBoundaryIs></Polygon>"), "ring has 2 distinct points"},
		{"short line", pm("<LineString><coordinates>1,2</coordinates></LineString>"), "LineString has 1 coordinates"},
		{"no outer", pm("<Polygon></Polygon>"), "Polygon without outerBoundaryIs"},
		{"no coordinates", pm("<Point></Point>"), "no <coordinates>"},
		{"bad xml", `<kml><Placemark></Folder></kml>`, "data: e.kml: line 1: placemark 0: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := kml.Read(strings.NewReader(tt.in), "e.kml")
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), "data: e.kml: ") {
				t.Errorf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

func kmzOf(t *testing.T, files map[string]string, order []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range order {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[n]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadKMZ(t *testing.T) {
	one := `<kml><Placemark id="%s"><Point><coordinates>100,23</coordinates></Point></Placemark></kml>`
	files := map[string]string{
		"../evil.kml":  strings.Replace(one, "%s", "evil", 1),
		"files/a.kml":  strings.Replace(one, "%s", "a", 1),
		"doc.kml":      strings.Replace(one, "%s", "doc", 1),
		"images/x.png": "png",
	}
	tests := []struct {
		name  string
		order []string
		id    string
		err   string
	}{
		{"doc.kml wins", []string{"../evil.kml", "files/a.kml", "doc.kml"}, "doc", ""},
		{"first kml", []string{"../evil.kml", "images/x.png", "files/a.kml"}, "a", ""},
		{"only unsafe", []string{"../evil.kml", "images/x.png"}, "", "data: z.kmz: no .kml document in the KMZ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := kmzOf(t, files, tt.order)
			src, err := kml.ReadKMZ(bytes.NewReader(b), int64(len(b)), "z.kmz")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if src.Format != "KMZ" || len(src.Records) != 1 || src.Records[0].ID != tt.id {
				t.Errorf("format %q records %v", src.Format, src.Records)
			}
		})
	}
	if _, err := kml.ReadKMZ(strings.NewReader("not a zip"), 9, "z.kmz"); err == nil || !strings.HasPrefix(err.Error(), "data: z.kmz: ") {
		t.Errorf("not a zip: error %v", err)
	}
	b := kmzOf(t, map[string]string{"doc.kml": `<kml><Placemark><Point><coordinates>1x</coordinates></Point></Placemark></kml>`}, []string{"doc.kml"})
	if _, err := kml.ReadKMZ(bytes.NewReader(b), int64(len(b)), "z.kmz"); err == nil || !strings.HasPrefix(err.Error(), "data: z.kmz/doc.kml: line 1: placemark 0") {
		t.Errorf("bad doc.kml: error %v", err)
	}
}

var roundTrip = []geo.Record{
	{Geom: orb.Polygon{{{99.1, 23.1}, {99.2, 23.1}, {99.2, 23.2}, {99.1, 23.2}, {99.1, 23.1}}, {{99.15, 23.15}, {99.15, 23.16}, {99.16, 23.16}, {99.15, 23.15}}},
		Props: map[string]any{"名称": "南滚河国家级自然保护区", "功能分区": "核心区", "面积": 96.5, "级别": int64(1), "空": nil, "是": true}},
	{Geom: orb.MultiPolygon{{{{100, 23}, {100.1, 23}, {100.1, 23.1}, {100, 23}}}, {{{101, 23}, {101.1, 23}, {101.1, 23.1}, {101, 23}}}},
		Props: map[string]any{"name": "临翔区 <&> \"引号\"", "description": "描述\n第二行", "名称": "另一个"}},
	{Geom: orb.LineString{{99.123456789012, 23.987654321098}, {99.5, 24}}, Props: map[string]any{}},
	{Geom: orb.MultiLineString{{{99, 23}, {99.5, 24}}, {{98, 22}, {98.5, 22.5}}}},
	{Geom: orb.Point{99.0000001, 23.0000001}, Props: map[string]any{"name": "点"}},
	{Geom: orb.MultiPoint{{99, 23}, {99.5, 24}}},
	{Geom: orb.Collection{orb.Point{99, 23}, orb.LineString{{99, 23}, {99.5, 24}}}},
}

func checkRoundTrip(t *testing.T, src *geo.Source) {
	t.Helper()
	if len(src.Records) != len(roundTrip) {
		t.Fatalf("%d records, want %d", len(src.Records), len(roundTrip))
	}
	if len(src.Warnings) != 0 {
		t.Errorf("warnings %q", src.Warnings)
	}
	wantProps := []map[string]any{
		{"name": "南滚河国家级自然保护区", "功能分区": "核心区", "面积": "96.5", "级别": "1", "是": "true"},
		{"name": "临翔区 <&> \"引号\"", "description": "描述\n第二行", "名称": "另一个"},
		{}, {}, {"name": "点"}, {}, {},
	}
	for i, r := range src.Records {
		if !orb.Equal(r.Geom, roundTrip[i].Geom) {
			t.Errorf("feature %d: geometry %v, want %v", i, r.Geom, roundTrip[i].Geom)
		}
		if len(r.Props) != len(wantProps[i]) {
			t.Errorf("feature %d: props %v, want %v", i, r.Props, wantProps[i])
		}
		for k, v := range wantProps[i] {
			if r.Props[k] != v {
				t.Errorf("feature %d: %s = %q, want %q", i, k, r.Props[k], v)
			}
		}
	}
}

func TestKMLRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := kml.Write(&buf, "保护地", roundTrip); err != nil {
		t.Fatal(err)
	}
	src, err := kml.Read(bytes.NewReader(buf.Bytes()), "rt.kml")
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	checkRoundTrip(t, src)
	if !bytes.Contains(buf.Bytes(), []byte("<name>保护地</name>")) {
		t.Errorf("no document name in\n%s", buf.Bytes())
	}
}

func TestKMZRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := kml.WriteKMZ(&buf, "保护地", roundTrip); err != nil {
		t.Fatal(err)
	}
	src, err := kml.ReadKMZ(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "rt.kmz")
	if err != nil {
		t.Fatal(err)
	}
	checkRoundTrip(t, src)
}

func TestWriteKMLBadGeometry(t *testing.T) {
	err := kml.Write(&bytes.Buffer{}, "x", []geo.Record{{Geom: orb.Point{1, 2}}, {Geom: orb.Bound{}}, {Geom: badGeom{}}})
	if err == nil || !strings.HasPrefix(err.Error(), "data: x: feature 2: unsupported geometry") {
		t.Errorf("error %v", err)
	}
}

type badGeom struct{ orb.Point }

func FuzzReadKML(f *testing.F) {
	b, err := os.ReadFile("testdata/sample.kml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	var buf bytes.Buffer
	if err := kml.Write(&buf, "保护地", roundTrip); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`<kml><Placemark><MultiGeometry><Point><coordinates>1,2</coordinates></Point></MultiGeometry></Placemark></kml>`))
	// The limits' edges: tuples joined by spaces next to commas, white space
	// of all kinds, more tuples and placemarks than fuzzLimits allow, long
	// text and comments, CDATA with markup.
	f.Add([]byte("<kml><Placemark id=\"a\"><name>路</name><LineString><coordinates> 1 ,2\u00a03, 4\n\t5,6,7 </coordinates></LineString></Placemark></kml>"))
	f.Add([]byte(`<kml><Placemark><LineString><coordinates>` + strings.Repeat("1,1 ", 100) + `</coordinates></LineString></Placemark></kml>`))
	f.Add([]byte(`<kml>` + strings.Repeat(`<Placemark><name>p</name><Point><coordinates>1,2</coordinates></Point></Placemark>`, 20) + `</kml>`))
	f.Add([]byte(`<kml><!--` + strings.Repeat("x", 4096) + `--><Placemark><description><![CDATA[<b>` + strings.Repeat("y", 4096) + `</b>]]></description></Placemark></kml>`))
	f.Add([]byte(`<kml><Placemark><Point><coordinates>1,2 , 3,4</coordinates></Point></Placemark></kml>`))
	fuzzLimits := kml.Limits{MaxFeatures: 16, MaxVertices: 64}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			t.Skip()
		}
		var err error
		geotest.AllocBound(t, len(b), 256, 4<<20, func() { _, err = kml.Read(bytes.NewReader(b), "fuzz.kml") })
		if err != nil && !strings.HasPrefix(err.Error(), "data: fuzz.kml: ") {
			t.Errorf("error %q does not name the file", err)
		}
		// Within limits, a document is read whole or refused, never read past them.
		src, err := kml.ReadLimit(bytes.NewReader(b), "fuzz.kml", fuzzLimits)
		if err != nil {
			return
		}
		verts := 0
		for _, r := range src.Records {
			if r.Geom != nil {
				verts += geo.CountVertices(r.Geom)
			}
		}
		// A ring the file left open gains its closing point, one per three tuples at most.
		if len(src.Records) > fuzzLimits.MaxFeatures || verts > fuzzLimits.MaxVertices*4/3 {
			t.Errorf("%d placemarks, %d vertices read within limits %+v", len(src.Records), verts, fuzzLimits)
		}
	})
}
