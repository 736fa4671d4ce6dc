package geojson

import (
	"fmt"
	"strings"
	"testing"
)

// Issue 15 item 1: what follows the first JSON value is an error naming its
// byte offset (white space is fine), at every buffer size.
func TestReadTrailingData(t *testing.T) {
	fc := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}`
	cases := []struct {
		doc    string
		offset string
	}{
		{fc + fc, fmt.Sprintf("byte %d", len(fc))},
		{fc + "\n\n" + fc, fmt.Sprintf("byte %d", len(fc)+2)},
		{`[]x`, "byte 2"},
		{`[] []`, "byte 3"},
		{`{"type":"Point","coordinates":[1,2]} ,`, "byte 37"},
	}
	for _, c := range cases {
		for _, chunk := range []int{1 << 20, 1, 7} {
			func() {
				defer func(n int) { streamChunk = n }(streamChunk)
				streamChunk = chunk
				_, err := Read(strings.NewReader(c.doc), "two.geojson")
				if err == nil || !strings.Contains(err.Error(), "data after the first JSON value at "+c.offset) || !strings.Contains(err.Error(), "two.geojson") {
					t.Errorf("%.30q (chunk %d): error %v, want one naming the file and %s", c.doc, chunk, err, c.offset)
				}
			}()
		}
	}
	for _, ok := range []string{fc + "\n", fc + " \t\r\n ", "[]\n"} {
		if _, err := Read(strings.NewReader(ok), "x.geojson"); err != nil {
			t.Errorf("%.30q: white space after the value: %v", ok, err)
		}
	}
}

// Issue 15 items 2 and 19: a FeatureCollection whose features member is
// misspelt names the member; a type that is not a string is named; a doubled
// features member is warned of.
func TestReadTopLevelMembers(t *testing.T) {
	for doc, want := range map[string]string{
		`{"type":"FeatureCollection","Features":[]}`: `unknown top-level member(s) "Features"`,
		`{"type":"FeatureCollection"}`:               `without a "features" member`,
		`{"type":1}`:                                 `"type" is 1, not a string`,
		`{"typ":"FeatureCollection","feature":[]}`:   `unknown top-level member(s) "feature", "typ"`,
	} {
		_, err := Read(strings.NewReader(doc), "x.geojson")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", doc, err, want)
		}
	}
	src, err := Read(strings.NewReader(`{"type":"FeatureCollection","features":[],"features":[]}`), "x.geojson")
	if err != nil || len(src.Warnings) != 1 || !strings.Contains(src.Warnings[0].Msg, `second "features" member at byte`) {
		t.Errorf("doubled features: %v, warnings %q", err, src.Warnings)
	}
}

// Issue 15 item 18: a parse error names the id found in the properties
// before the bad part.
func TestParseErrorNamesPropertyID(t *testing.T) {
	doc := `[{"type":"Feature","properties":{"id":"U1"},"geometry":{"type":"Point","coordinates":[1,2]}},
{"type":"Feature","properties":{"编号":"地块7"},"geometry":{"type":"Polygon","coordinates":[[[1,2],[3]]]}}]`
	_, err := Read(strings.NewReader(doc), "x.geojson")
	if err == nil || !strings.Contains(err.Error(), "x.geojson: feature 1 (id 地块7)") {
		t.Errorf("error %v; want it to name feature 1 (id 地块7)", err)
	}
}
