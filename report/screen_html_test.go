package report

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/paulmach/orb"
	"golang.org/x/net/html"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
)

// reportFixture: a 400 m square site at 24°N; red-line square A overlaps its
// eastern half, square B lies 300 m north of it, square C 20 km away.
const (
	reportSites = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"S1","name":"工业地块","project_type":"industrial"},"geometry":{"type":"Polygon","coordinates":[[[100,24],[100.004,24],[100.004,24.0036],[100,24.0036],[100,24]]]}},
{"type":"Feature","properties":{"id":"S2","name":"远处地块"},"geometry":{"type":"Point","coordinates":[100.5,24.5]}}]}`
	reportRedline = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"A","name":"红线甲"},"geometry":{"type":"Polygon","coordinates":[[[100.002,23.999],[100.006,23.999],[100.006,24.002],[100.002,24.002],[100.002,23.999]]]}},
{"type":"Feature","properties":{"id":"B"},"geometry":{"type":"Polygon","coordinates":[[[100,24.0063],[100.004,24.0063],[100.004,24.008],[100,24.008],[100,24.0063]]]}},
{"type":"Feature","properties":{"id":"C"},"geometry":{"type":"Polygon","coordinates":[[[100.2,24.2],[100.21,24.2],[100.21,24.21],[100.2,24.21],[100.2,24.2]]]}}]}`
)

func screenFixture(t *testing.T) (*analysis.ScreenResult, []*analysis.Constraint) {
	t.Helper()
	fsys := fstest.MapFS{"sites.geojson": {Data: []byte(reportSites)}, "redline.geojson": {Data: []byte(reportRedline)}}
	sites, _, err := data.ReadLayer(fsys, "sites.geojson", data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rl, _, err := data.ReadLayer(fsys, "redline.geojson", data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := analysis.NewConstraint(rl, analysis.LayerConfig{Kind: "redline"})
	if err != nil {
		t.Fatal(err)
	}
	layers := []*analysis.Constraint{c}
	res, err := analysis.Screen(context.Background(), sites, layers, analysis.DefaultRules(), analysis.ScreenOptions{NearM: 1000, Pieces: true})
	if err != nil {
		t.Fatal(err)
	}
	return res, layers
}

// svgPaths returns, per <svg class="map">, the number of <path> elements in it.
func svgPaths(t *testing.T, doc *html.Node) []int {
	t.Helper()
	var counts []int
	var count func(n *html.Node) int
	count = func(n *html.Node) int {
		c := 0
		if n.Type == html.ElementNode && n.Data == "path" {
			c++
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			c += count(k)
		}
		return c
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "svg" && htmlAttr(n, "class") == "map" {
			counts = append(counts, count(n))
			return
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(doc)
	return counts
}

func htmlAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// checkSelfContained fails on any reference to the network: external URLs
// in src, href or url(), and any http:// or https:// at all.
func checkSelfContained(t *testing.T, page string, doc *html.Node) {
	t.Helper()
	if i := strings.Index(page, "http://"); i >= 0 {
		t.Errorf("page contains http://: %q", page[max(0, i-40):min(len(page), i+40)])
	}
	if i := strings.Index(page, "https://"); i >= 0 {
		t.Errorf("page contains https://: %q", page[max(0, i-40):min(len(page), i+40)])
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if (a.Key == "src" || a.Key == "href" || a.Key == "xlink:href") && !strings.HasPrefix(a.Val, "#") {
					t.Errorf("<%s %s=%q>: external reference", n.Data, a.Key, a.Val)
				}
				if strings.Contains(a.Val, "url(") && !strings.Contains(a.Val, "url(#") {
					t.Errorf("<%s %s=%q>: url()", n.Data, a.Key, a.Val)
				}
			}
			if n.Data == "link" || n.Data == "script" || n.Data == "iframe" || n.Data == "img" {
				t.Errorf("<%s> in a self-contained report", n.Data)
			}
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(doc)
	if strings.Contains(page, "url(") || strings.Contains(page, "@import") || strings.Contains(page, "@font-face") {
		t.Error("CSS loads something (url(), @import or @font-face)")
	}
}

func TestScreenHTML(t *testing.T) {
	res, layers := screenFixture(t)
	meta := Meta{Generated: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Version: "test", NearM: 1000,
		Sources: []Source{{Role: "redline", Kind: "redline", Path: "redline.geojson", Format: "GeoJSON", Features: 3},
			{Role: "sites", Path: "sites.geojson", Format: "GeoJSON", Features: 2}}}
	for _, lang := range []Lang{ZH, EN} {
		t.Run(string(lang), func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteScreenHTML(&b, res, layers, meta, lang); err != nil {
				t.Fatal(err)
			}
			page := b.String()
			doc, err := html.Parse(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			checkSelfContained(t, page, doc)
			// One path per item drawn, and for S1 exactly: A and B (C is out of
			// view), the piece S1 ∩ A, and the site.
			got := svgPaths(t, doc)
			if len(got) != len(res.Sites) {
				t.Fatalf("%d maps, want one per site (%d)", len(got), len(res.Sites))
			}
			for i := range res.Sites {
				m := buildSiteMap(&res.Sites[i], layers, lang)
				if got[i] != len(m.Items) {
					t.Errorf("site %d: %d paths, drew %d items", i, got[i], len(m.Items))
				}
			}
			if got[0] != 4 {
				t.Errorf("site S1: %d paths, want 4 (features A, B; one piece; the site)", got[0])
			}
			if got[1] != 1 {
				t.Errorf("site S2: %d paths, want 1 (the site alone)", got[1])
			}
			want := []string{"break-after: page", "size: A4", "Noto Sans CJK SC", Disclaimer(lang), "2026-01-02 03:04:05 UTC",
				"redline test", "redline.geojson", VerdictText(lang, "prohibited"), "B", "stroke-dasharray"}
			if lang == ZH {
				want = append(want, "生态保护红线", "红线甲", "公顷", "亩")
			} else {
				want = append(want, `lang="en"`, "ha", "mu")
			}
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

func TestScreenHTMLWithoutGeometry(t *testing.T) {
	res, _ := screenFixture(t)
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back analysis.ScreenResult // as read back from JSON: no geometries
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteScreenHTML(&out, &back, nil, Meta{}, ZH); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	if n := svgPaths(t, doc); len(n) != 0 {
		t.Errorf("%d maps without geometry, want none", len(n))
	}
}

func TestScaleBarRound(t *testing.T) {
	for _, widthDeg := range []float64{0.0001, 0.001, 0.01, 0.1, 1} {
		v := newView(padBound(reportBound(widthDeg), 0, 0))
		s := scaleBar(v)
		m := s.Px * v.mPerPx
		lead := m / pow10floor(m)
		if math.Abs(lead-1) > 1e-9 && math.Abs(lead-2) > 1e-9 && math.Abs(lead-5) > 1e-9 {
			t.Errorf("width %g°: scale bar %g m is not 1, 2 or 5 × 10ⁿ", widthDeg, m)
		}
		if s.Px < mapW/12 || s.Px > mapW/4 {
			t.Errorf("width %g°: scale bar %g px, want a fifth of the map or so", widthDeg, s.Px)
		}
	}
}

func reportBound(widthDeg float64) orb.Bound {
	return orb.Bound{Min: orb.Point{100, 24}, Max: orb.Point{100 + widthDeg, 24 + widthDeg/2}}
}

func pow10floor(x float64) float64 { return math.Pow(10, math.Floor(math.Log10(x))) }
