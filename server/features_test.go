package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

type itemsPage struct {
	NumberMatched  int `json:"numberMatched"`
	NumberReturned int `json:"numberReturned"`
	Links          []link
	Features       []struct {
		ID         int            `json:"id"`
		Properties map[string]any `json:"properties"`
	}
}

func getItems(t *testing.T, url string) itemsPage {
	t.Helper()
	code, h, b := do(t, "GET", url, "", nil)
	if code != 200 || h.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("GET %s: %d %s %s", url, code, h.Get("Content-Type"), b)
	}
	var p itemsPage
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCollectionsAndItems(t *testing.T) {
	cat := demoCatalog(t)
	_, ts := startServer(t, cat, Config{})
	code, _, b := do(t, "GET", ts.URL+"/collections", "", nil)
	var cols struct{ Collections []collectionDoc }
	if code != 200 || json.Unmarshal(b, &cols) != nil || len(cols.Collections) != len(cat.Layers) {
		t.Fatalf("collections: %d %s", code, b)
	}
	for i, c := range cols.Collections {
		l := cat.Layers[i]
		bd := l.Layer.Bound()
		if c.ID != l.Name || c.Features != l.Layer.Len() || c.Extent.Spatial.BBox[0] != [4]float64{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]} {
			t.Errorf("collection %d: %+v", i, c)
		}
	}

	// Paging: pages of 2 walk every feature once, in file order, with next/prev links.
	l := cat.layer("reserve")
	var seen []int
	url := ts.URL + "/collections/reserve/items?limit=2"
	for url != "" {
		p := getItems(t, url)
		if p.NumberMatched != l.Layer.Len() || p.NumberReturned != len(p.Features) {
			t.Fatalf("%s: matched %d returned %d of %d", url, p.NumberMatched, p.NumberReturned, len(p.Features))
		}
		url = ""
		for _, f := range p.Features {
			seen = append(seen, f.ID)
		}
		for _, ln := range p.Links {
			if ln.Rel == "next" {
				url = ln.Href
			}
		}
	}
	if want := []int{0, 1, 2}; !slices.Equal(seen, want) {
		t.Errorf("paged ids %v, want %v", seen, want)
	}

	// bbox: exactly the features whose boxes meet it (checked against every feature's box).
	for _, l := range cat.Layers {
		b := l.Layer.Bound()
		mid := orb.Bound{Min: b.Min, Max: orb.Point{(b.Min[0] + b.Max[0]) / 2, (b.Min[1] + b.Max[1]) / 2}}
		var want []int
		for _, f := range l.Layer.Features {
			if f.Bound.Intersects(mid) {
				want = append(want, f.Index)
			}
		}
		p := getItems(t, fmt.Sprintf("%s/collections/%s/items?bbox=%v,%v,%v,%v&limit=10000", ts.URL, l.Name, mid.Min[0], mid.Min[1], mid.Max[0], mid.Max[1]))
		var got []int
		for _, f := range p.Features {
			got = append(got, f.ID)
		}
		if !slices.Equal(got, want) || p.NumberMatched != len(want) {
			t.Errorf("%s bbox: got %v (matched %d), want %v", l.Name, got, p.NumberMatched, want)
		}
	}

	// One feature, its zone as read, and the errors.
	code, _, b = do(t, "GET", ts.URL+"/collections/reserve/items/0", "", nil)
	var f featureDoc
	if code != 200 || json.Unmarshal(b, &f) != nil || f.ID != 0 || f.Properties["redline_zone"] != cat.layer("reserve").Zones[0] {
		t.Errorf("item 0: %d %s", code, b)
	}
	for _, c := range []struct {
		url  string
		code int
	}{
		{"/collections/nope", 404}, {"/collections/reserve/items/99", 404}, {"/collections/reserve/items/x", 404},
		{"/collections/reserve/items?bbox=1,2,3", 400}, {"/collections/reserve/items?bbox=3,2,1,4", 400},
		{"/collections/reserve/items?limit=0", 400}, {"/collections/reserve/items?offset=-1", 400},
		{"/nothing/here", 404},
	} {
		code, h, b := do(t, "GET", ts.URL+c.url, "", nil)
		if code != c.code || h.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s: %d %s %s, want %d problem+json", c.url, code, h.Get("Content-Type"), b, c.code)
		}
	}
	// limit above the maximum is capped, not refused.
	if p := getItems(t, ts.URL+"/collections/reserve/items?limit=1000000"); p.NumberReturned != l.Layer.Len() {
		t.Errorf("limit capped: %d", p.NumberReturned)
	}
}

func TestLandingConformance(t *testing.T) {
	_, ts := startServer(t, demoCatalog(t), Config{})
	code, h, b := do(t, "GET", ts.URL+"/", "", nil, "Accept", "application/json")
	var doc struct {
		Links []link
		Note  string
	}
	if code != 200 || json.Unmarshal(b, &doc) != nil || doc.Note == "" || h.Get("Redline-Data") == "" {
		t.Fatalf("landing: %d %v %s", code, h, b)
	}
	rels := map[string]bool{}
	for _, l := range doc.Links {
		rels[l.Rel] = true
	}
	for _, r := range []string{"self", "conformance", "data", "service-desc"} {
		if !rels[r] {
			t.Errorf("landing lacks rel %s", r)
		}
	}
	code, h, b = do(t, "GET", ts.URL+"/", "", nil, "Accept", "text/html,application/xhtml+xml")
	if code != 200 || h.Get("Content-Type") != "text/html; charset=utf-8" || !bytes.Contains(b, []byte("/web/app.js")) {
		t.Errorf("page: %d %s", code, h.Get("Content-Type"))
	}
	code, _, b = do(t, "GET", ts.URL+"/conformance", "", nil)
	if code != 200 || !json.Valid(b) || !slices.Contains(conformanceClasses, "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson") {
		t.Errorf("conformance: %d %s", code, b)
	}
	for _, p := range []string{"/processes", "/processes/screen", "/processes/share", "/healthz", "/readyz", "/api", "/web/app.js", "/web/config.json"} {
		if code, _, b := do(t, "GET", ts.URL+p, "", nil); code != http.StatusOK {
			t.Errorf("GET %s: %d %s", p, code, b)
		}
	}
}
