package kml

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func TestKMLLimits(t *testing.T) {
	defer func(n int) { maxKMLCoords = n }(maxKMLCoords)
	maxKMLCoords = 3
	_, err := Read(strings.NewReader(`<kml><Placemark id="a"><LineString><coordinates>1,2 3,4 5,6 7,8</coordinates></LineString></Placemark></kml>`), "l.kml")
	if err == nil || err.Error() != "data: l.kml: line 1: placemark 0 (id a): more than 3 coordinates" {
		t.Errorf("coordinate limit: %v", err)
	}
}

func TestKMZEntryLimit(t *testing.T) {
	defer func(n uint64) { maxKMZEntry = n }(maxKMZEntry)
	maxKMZEntry = 100
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("doc.kml")
	w.Write([]byte("<kml>" + strings.Repeat(" ", 200) + "</kml>"))
	zw.Close()
	_, err := ReadKMZ(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "big.kmz")
	if err == nil || !strings.Contains(err.Error(), "data: big.kmz: doc.kml is 211 bytes uncompressed, more than the limit of 100") {
		t.Errorf("size limit: %v", err)
	}
	// a header that understates the size: the reader still stops at the limit
	var out bytes.Buffer
	zw = zip.NewWriter(&out)
	raw, err := zw.CreateRaw(&zip.FileHeader{Name: "doc.kml", Method: zip.Store, UncompressedSize64: 50, CompressedSize64: 211})
	if err != nil {
		t.Fatal(err)
	}
	raw.Write([]byte("<kml>" + strings.Repeat(" ", 200) + "</kml>"))
	zw.Close()
	_, err = ReadKMZ(bytes.NewReader(out.Bytes()), int64(out.Len()), "lie.kmz")
	if err == nil || !strings.HasPrefix(err.Error(), "data: lie.kmz") {
		t.Errorf("understated size: %v", err)
	}
	t.Log(err)
}
