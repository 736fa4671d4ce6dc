package geojson

import (
	"bytes"
	"runtime"
	"testing"
)

// A small document in memory (an upload to the service) is read without a
// stream buffer of streamChunk: the reader says when it has ended. The
// service reads one such document per request.
func TestReadSmallInputAllocatesLittle(t *testing.T) {
	doc := []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"s1","properties":{"name":"a"},` +
		`"geometry":{"type":"Polygon","coordinates":[[[100,25],[100.01,25],[100.01,25.01],[100,25.01],[100,25]]]}}]}`)
	read := func() {
		src, err := ReadLimit(bytes.NewReader(doc), "sites.geojson", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(src.Records) != 1 {
			t.Fatalf("%d records, want 1", len(src.Records))
		}
	}
	read()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const n = 20
	for i := 0; i < n; i++ {
		read()
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > uint64(streamChunk)/4 {
		t.Errorf("reading a %d-byte document allocated %d bytes, want far less than the %d-byte stream buffer", len(doc), per, streamChunk)
	}
}
