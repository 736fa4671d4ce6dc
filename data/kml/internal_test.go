package kml

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/redline-gis/redline/internal/geotest"
)

func TestKMLVertexLimit(t *testing.T) {
	lim := Limits{MaxVertices: 3}
	tests := []struct{ name, in, err string }{
		{"one coordinates", `<kml><Placemark id="a"><name>路</name><LineString><coordinates>1,2 3,4 5,6 7,8</coordinates></LineString></Placemark></kml>`,
			`data: l.kml: line 1: placemark 0 (id a, name "路"): <coordinates> holds 4 tuples, which with the 0 before are more than the limit of 3 vertices`},
		{"across placemarks", `<kml><Placemark><LineString><coordinates>1,2 3,4</coordinates></LineString></Placemark>` +
			`<Placemark><name>第二</name><LineString><coordinates>1, 2 3 ,4</coordinates></LineString></Placemark></kml>`,
			`data: l.kml: line 1: placemark 1 (name "第二"): <coordinates> holds 2 tuples, which with the 2 before are more than the limit of 3 vertices`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadLimit(strings.NewReader(tt.in), "l.kml", lim)
			if err == nil || err.Error() != tt.err {
				t.Errorf("error %v\nwant  %s", err, tt.err)
			}
		})
	}
	// At the limit is fine: 3 tuples, spaces next to commas joining them.
	src, err := ReadLimit(strings.NewReader(`<kml><Placemark><LineString><coordinates> 1 ,2  3, 4
		5,6 </coordinates></LineString></Placemark></kml>`), "l.kml", lim)
	if err != nil || len(src.Records) != 1 {
		t.Fatalf("3 tuples within a limit of 3: %v", err)
	}
}

func TestKMLFeatureLimit(t *testing.T) {
	in := `<kml>` + strings.Repeat(`<Placemark><Point><coordinates>1,2</coordinates></Point></Placemark>`, 3) + `</kml>`
	_, err := ReadLimit(strings.NewReader(in), "f.kml", Limits{MaxFeatures: 2})
	if err == nil || err.Error() != "data: f.kml: line 1: more than 2 placemarks, the limit" {
		t.Errorf("feature limit: %v", err)
	}
}

// tupleStream is a KML document whose one <coordinates> holds n "1,1 "
// tuples, made as it is read: a billion tuples (4 GB) cost nothing to build.
type tupleStream struct {
	head, tail string
	left       int
}

func newTupleStream(n int) *tupleStream {
	return &tupleStream{
		head: `<kml><Placemark id="p7"><name>大地块</name><Polygon><outerBoundaryIs><LinearRing><coordinates>`,
		tail: `</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>`,
		left: n,
	}
}

func (s *tupleStream) Read(p []byte) (int, error) {
	switch {
	case s.head != "":
		n := copy(p, s.head)
		s.head = s.head[n:]
		return n, nil
	case s.left > 0:
		n := 0
		for ; n+4 <= len(p) && s.left > 0; s.left-- {
			n += copy(p[n:], "1,1 ")
		}
		return n, nil
	case s.tail != "":
		n := copy(p, s.tail)
		s.tail = s.tail[n:]
		return n, nil
	}
	return 0, io.EOF
}

// A <coordinates> of a billion tuples is refused after reading the 64 MiB
// one element may hold, without holding the 4 GB (before: 8 GB allocated,
// 86 s, and then the same refusal).
func TestKMLBillionTuples(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 64 MiB (TestKMLLongText tests the limit on a small one)")
	}
	start := time.Now()
	var err error
	geotest.AllocBound(t, 0, 0, 400<<20, func() { _, err = Read(newTupleStream(1_000_000_000), "big.kml") })
	want := `data: big.kml: line 1: placemark 0 (id p7, name "大地块"): <coordinates> longer than 67108864 bytes, the limit of one element`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v to refuse", d)
	}
}

func TestKMLLongText(t *testing.T) {
	defer func(n int) { maxKMLText = n }(maxKMLText)
	maxKMLText = 100
	tests := []struct{ name, in, err string }{
		{"coordinates", `<kml><Placemark><name>a</name><Point><coordinates>` + strings.Repeat("1,1 ", 30) + `</coordinates></Point></Placemark></kml>`,
			`placemark 0 (name "a"): <coordinates> longer than 100 bytes, the limit of one element`},
		{"description", `<kml><Placemark id="d"><description>` + strings.Repeat("x", 101) + `</description></Placemark></kml>`,
			`placemark 0 (id d): <description> longer than 100 bytes, the limit of one element`},
		{"comment", `<kml><!--` + strings.Repeat("x", 101) + `--></kml>`,
			`data: c.kml: line 1: text or comment longer than 100 bytes, the limit`},
		// CDATA pieces each under the guard, together over the element's limit
		{"split text", `<kml><Placemark><description><![CDATA[` + strings.Repeat("<b>xxxxxxxx</b>", 10) + `]]></description></Placemark></kml>`,
			`placemark 0: <description> longer than 100 bytes, the limit of one element`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in), "c.kml")
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), "data: c.kml: line 1: ") {
				t.Errorf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
	// Text up to the limit reads.
	src, err := Read(strings.NewReader(`<kml><Placemark><description>`+strings.Repeat("y", 100)+`</description></Placemark></kml>`), "c.kml")
	if err != nil || len(src.Records[0].Props["description"].(string)) != 100 {
		t.Errorf("100 bytes within a limit of 100: %v", err)
	}
}

func zipOf(t *testing.T, name string, body io.Reader) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A KMZ of under 0.5 MB whose doc.kml inflates to 480 MB is refused from
// its directory, before anything is inflated (before: 1 GB allocated, 5 s).
func TestKMZBomb(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("compresses 480 MB (TestKMZEntryLimit tests the limit on a small one)")
	}
	kmz := zipOf(t, "doc.kml", newTupleStream(120_000_000))
	var err error
	geotest.AllocBound(t, len(kmz), 0, 1<<20, func() { _, err = ReadKMZ(bytes.NewReader(kmz), int64(len(kmz)), "bomb.kmz") })
	if err == nil || !strings.HasPrefix(err.Error(), "data: bomb.kmz: doc.kml expands ") ||
		!strings.Contains(err.Error(), "to 480000170: more than the limit of 20 times") {
		t.Errorf("error %v", err)
	}
}

func TestKMZEntryLimit(t *testing.T) {
	doc := "<kml>" + strings.Repeat(" ", 200) + "</kml>"
	kmz := zipOf(t, "doc.kml", strings.NewReader(doc))
	_, err := ReadKMZLimit(bytes.NewReader(kmz), int64(len(kmz)), "big.kmz", Limits{MaxExpandedBytes: 100})
	if err == nil || err.Error() != "data: big.kmz: doc.kml is 211 bytes uncompressed, more than the limit of 100" {
		t.Errorf("size limit: %v", err)
	}
	// a header that understates the size: the reader still stops at it
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	raw, err := zw.CreateRaw(&zip.FileHeader{Name: "doc.kml", Method: zip.Store, UncompressedSize64: 50, CompressedSize64: 211})
	if err != nil {
		t.Fatal(err)
	}
	raw.Write([]byte(doc))
	zw.Close()
	_, err = ReadKMZ(bytes.NewReader(out.Bytes()), int64(out.Len()), "lie.kmz")
	if err == nil || !strings.HasPrefix(err.Error(), "data: lie.kmz") {
		t.Errorf("understated size: %v", err)
	}
	// The vertex limit reaches the document inside a KMZ.
	kmz = zipOf(t, "doc.kml", newTupleStream(5))
	_, err = ReadKMZLimit(bytes.NewReader(kmz), int64(len(kmz)), "v.kmz", Limits{MaxVertices: 4})
	if want := `data: v.kmz/doc.kml: line 1: placemark 0 (id p7, name "大地块"): <coordinates> holds 5 tuples, which with the 0 before are more than the limit of 4 vertices`; err == nil || err.Error() != want {
		t.Errorf("vertex limit in a KMZ: %v\nwant %s", err, want)
	}
}
