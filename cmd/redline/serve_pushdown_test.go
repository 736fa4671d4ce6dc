package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/internal/geotest"
	"github.com/redline-gis/redline/server"
)

// serveDB starts the service as `serve` does, with --db-load-limit limit,
// and gives its URL and the server (for reloads).
func serveDB(t *testing.T, specs []string, limit int) (string, *server.Server) {
	t.Helper()
	ls, err := parseLayerSpecs(specs)
	if err != nil {
		t.Fatal(err)
	}
	s := server.New(server.Config{Load: serveLoader(ls, "", "", data.ReadOptions{}, limit, io.Discard)})
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return ts.URL, s
}

func get(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// A layer served from its PostGIS table by pushdown (never loaded) gives
// the same screen documents and the same items as the file loaded whole.
func TestServePushdownEqualsFile(t *testing.T) {
	pool, schema, url := testPG(t)
	ctx := context.Background()
	dir := t.TempDir()
	sites, cons := filepath.Join(dir, "sites.geojson"), filepath.Join(dir, "constraints.geojson")
	gunzipTo(t, "../../testdata/anchors/sites.geojson.gz", sites)
	gunzipTo(t, "../../testdata/anchors/constraints.geojson.gz", cons)
	if code, out, errs := runCLI(t, "import", cons, "--db", url, "--table", schema+".cons", "--kind", "reserve"); code != exitOK {
		t.Fatalf("import: exit %d: %s %s", code, out, errs)
	}
	table := url + "&table=" + schema + ".cons"
	fileURL, _ := serveDB(t, []string{"reserve=" + cons}, 0)
	pushURL, pushSrv := serveDB(t, []string{"reserve=" + table + "&mode=pushdown"}, 0)
	autoURL, _ := serveDB(t, []string{"reserve=" + table}, 10) // above --db-load-limit
	if tl := pushSrv.Catalog().Tables; len(tl) != 1 || tl[0] == nil {
		t.Fatal("the pushdown layer was loaded")
	}
	body, err := os.ReadFile(sites)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"?near=800&type=mining", "?near=0&type=other&f=geojson", "?near=300&f=html"} {
		status, want := post(t, fileURL+"/processes/screen/execution"+q, "application/geo+json", body)
		if status != 200 {
			t.Fatalf("file %s: %d %s", q, status, want)
		}
		for name, base := range map[string]string{"pushdown": pushURL, "automatic pushdown": autoURL} {
			status, got := post(t, base+"/processes/screen/execution"+q, "application/geo+json", body)
			if status != 200 {
				t.Fatalf("%s %s: %d %.300s", name, q, status, got)
			}
			if strings.Contains(q, "html") {
				// The report names its sources (a file, a table) and the time: same size, same conflicts.
				if n := bytes.Count(got, []byte("<tr")); n != bytes.Count(want, []byte("<tr")) || n < 10 {
					t.Errorf("%s %s: %d table rows, the file's report %d", name, q, n, bytes.Count(want, []byte("<tr")))
				}
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s %s: the document differs from the file-backed server's (%d vs %d bytes)\n got %.300s\nwant %.300s", name, q, len(got), len(want), got, want)
			}
		}
		if !strings.Contains(q, "html") && !bytes.Contains(want, []byte(`"feature_index"`)) {
			t.Fatalf("%s: no conflicts: the test checks nothing", q)
		}
	}
	// Items by box: the same features, the same numberMatched, the same
	// pages; boxes that only touch a feature's box count, as in a loaded layer.
	var box [4]float64
	if err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
		FROM (SELECT geom::box3d b FROM %s.cons ORDER BY fid LIMIT 1 OFFSET 3) s`, schema)).Scan(&box[0], &box[1], &box[2], &box[3]); err != nil {
		t.Fatal(err)
	}
	bb := func(x0, y0, x1, y1 float64) string {
		return fmt.Sprintf("bbox=%.17g,%.17g,%.17g,%.17g", x0, y0, x1, y1)
	}
	queries := []string{
		"limit=1000",
		"limit=7&offset=5",
		"limit=10&offset=100000",
		bb(box[0], box[1], box[2], box[3]) + "&limit=1000",
		bb(box[2], box[3], box[2]+0.5, box[3]+0.5) + "&limit=1000", // touches at a corner
		bb(box[0]-0.3, box[1]-0.3, box[0], box[1]) + "&limit=1000",
		bb(box[2]+1e-9, box[1], box[2]+0.5, box[3]) + "&limit=1000", // misses it by 0.1 mm: the index's float boxes alone would not
		bb(box[0]-0.05, box[1]-0.05, box[2]+0.05, box[3]+0.05) + "&limit=3&offset=1",
		bb(-10, -10, -9, -9),
	}
	matchedSome := false
	for _, q := range queries {
		sw, want := get(t, fileURL+"/collections/reserve/items?"+q)
		sg, got := get(t, pushURL+"/collections/reserve/items?"+q)
		want = bytes.ReplaceAll(want, []byte(fileURL), []byte("BASE"))
		got = bytes.ReplaceAll(got, []byte(pushURL), []byte("BASE"))
		if sw != 200 || sg != sw || !bytes.Equal(got, want) {
			t.Errorf("items?%s: pushdown %d %d bytes, file %d %d bytes\n got %.400s\nwant %.400s", q, sg, len(got), sw, len(want), got, want)
		}
		matchedSome = matchedSome || bytes.Contains(want, []byte(`"Feature"`))
		t.Logf("items?%s: %d features", q, bytes.Count(want, []byte(`"Feature"`)))
	}
	if !matchedSome {
		t.Fatal("no items matched: the test checks nothing")
	}
	// Reading the layer page by page as GDAL does, following the next
	// links: the same pages as the file's; the table's pages after the
	// first continue from the last fid (no OFFSET), and each box is counted
	// once.
	m0 := metricValues(t, pushURL)
	walked := 0
	for _, q := range []string{"limit=4", bb(box[0]-0.2, box[1]-0.2, box[2]+0.2, box[3]+0.2) + "&limit=3"} {
		fu, pu := fileURL+"/collections/reserve/items?"+q, pushURL+"/collections/reserve/items?"+q
		features, matched := 0, -1
		for pages := 0; pu != ""; pages++ {
			if pages > 1000 {
				t.Fatalf("items?%s: more than 1000 pages", q)
			}
			sw, want := get(t, fu)
			sg, got := get(t, pu)
			var doc struct {
				NumberMatched int
				Features      []json.RawMessage
				Links         []struct{ Href, Rel string }
			}
			if err := json.Unmarshal(got, &doc); sg != 200 || err != nil {
				t.Fatalf("%s: %d %v %.300s", pu, sg, err, got)
			}
			if sw != 200 || !bytes.Equal(bytes.ReplaceAll(got, []byte(pushURL), []byte("BASE")), bytes.ReplaceAll(want, []byte(fileURL), []byte("BASE"))) {
				t.Fatalf("page %d of items?%s: the table's differs from the file's\n got %.400s\nwant %.400s", pages, q, got, want)
			}
			features += len(doc.Features)
			matched = doc.NumberMatched
			fu, pu = "", ""
			for _, l := range doc.Links {
				if l.Rel == "next" {
					pu, fu = l.Href, strings.Replace(l.Href, pushURL, fileURL, 1)
				}
			}
			walked++
		}
		if features != matched || matched < 7 {
			t.Errorf("items?%s: %d features on all pages, numberMatched %d (want at least 7 to page)", q, features, matched)
		}
	}
	m1 := metricValues(t, pushURL)
	keyset := m1["redline_pushdown_item_pages_keyset_total"] - m0["redline_pushdown_item_pages_keyset_total"]
	offset := m1["redline_pushdown_item_pages_offset_total"] - m0["redline_pushdown_item_pages_offset_total"]
	counts := m1["redline_pushdown_item_counts_total"] - m0["redline_pushdown_item_counts_total"]
	t.Logf("paging: %d pages, %g by fid, %g by OFFSET, %g counts", walked, keyset, offset, counts)
	if offset != 2 || keyset != float64(walked-2) || counts != 1 {
		t.Errorf("paging %d pages: %g by fid, %g by OFFSET, %g counts; want %d, 2 (the first pages), 1 (the box)", walked, keyset, offset, counts, walked-2)
	}
	for _, fid := range []string{"0", "3", "9999999", "x"} {
		sw, want := get(t, fileURL+"/collections/reserve/items/"+fid)
		sg, got := get(t, pushURL+"/collections/reserve/items/"+fid)
		if sg != sw || (sw == 200 && !bytes.Equal(got, want)) {
			t.Errorf("items/%s: pushdown %d %.200s, file %d %.200s", fid, sg, got, sw, want)
		}
	}
	// The collection: the table's row count; an extent from the statistics.
	type collDoc struct {
		Features int
		Extent   struct{ Spatial struct{ BBox [][4]float64 } }
	}
	var fc, pc collDoc
	for _, x := range []struct {
		url string
		doc *collDoc
	}{{fileURL, &fc}, {pushURL, &pc}} {
		s, b := get(t, x.url+"/collections/reserve")
		if err := json.Unmarshal(b, x.doc); s != 200 || err != nil || len(x.doc.Extent.Spatial.BBox) != 1 {
			t.Fatalf("collection: %d %v %s", s, err, b)
		}
	}
	fe, pe := fc.Extent.Spatial.BBox[0], pc.Extent.Spatial.BBox[0]
	t.Logf("extent: file %v, table (estimated) %v", fe, pe)
	if pc.Features != fc.Features || fc.Features == 0 {
		t.Errorf("collection: %d features from the table, %d from the file", pc.Features, fc.Features)
	}
	for k := range fe { // the statistics' boxes are float4: within a few metres
		if math.Abs(fe[k]-pe[k]) > 1e-3 {
			t.Errorf("estimated extent %v, exact %v", pe, fe)
			break
		}
	}
	t.Run("gdal", func(t *testing.T) { gdalSameLayers(t, fileURL, pushURL, box) })
	// share measures whole layers: a clear 422 on a pushdown layer.
	if s, b := post(t, pushURL+"/processes/share/execution", "application/geo+json", body); s != http.StatusUnprocessableEntity || !strings.Contains(string(b), "pushdown") {
		t.Errorf("share on a pushdown layer: %d %s", s, b)
	}
	// A job submitted just before a reload runs on the layers it was given
	// (their pool stays open for it) and gives the synchronous document.
	_, want := post(t, fileURL+"/processes/screen/execution?near=800&type=mining", "application/geo+json", body)
	req, _ := http.NewRequest("POST", pushURL+"/processes/screen/execution?near=800&type=mining", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/geo+json")
	req.Header.Set("Prefer", "respond-async")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusCreated || loc == "" {
		t.Fatalf("async screen: %d %q", resp.StatusCode, loc)
	}
	if err := pushSrv.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, st := get(t, pushURL+loc)
		if bytes.Contains(st, []byte(`"successful"`)) {
			break
		}
		if bytes.Contains(st, []byte(`"failed"`)) || time.Now().After(deadline) {
			t.Fatalf("job: %s", st)
		}
	}
	if s, got := get(t, pushURL+loc+"/results"); s != 200 || !bytes.Equal(got, want) {
		t.Errorf("job results across a reload: %d, %d bytes, the file-backed server's %d", s, len(got), len(want))
	}
	// A reload swaps in new pools; the old one is closed once unused.
	old := pushSrv.Catalog()
	if err := pushSrv.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := old.Tables[0].Pool.Ping(pctx); err == nil {
		t.Error("the replaced catalog's pool is still open")
	}
	if s, b := post(t, pushURL+"/processes/screen/execution?near=800&type=mining", "application/geo+json", body); s != 200 {
		t.Errorf("screen after reload: %d %.300s", s, b)
	}
	// A table changed behind redline's back (its row count no longer the
	// import's): the reload fails and says why; the layers in service stay.
	if _, err := pool.Exec(ctx, fmt.Sprintf("DELETE FROM %s.cons WHERE fid = 0", schema)); err != nil {
		t.Fatal(err)
	}
	before := pushSrv.Catalog()
	if err := pushSrv.Reload(ctx); err == nil || !strings.Contains(err.Error(), "redline_layers") || pushSrv.Catalog() != before {
		t.Errorf("reload of a changed table: %v", err)
	}
	if s, _ := post(t, pushURL+"/processes/screen/execution?near=800&type=mining", "application/geo+json", body); s != 200 {
		t.Errorf("screen after a failed reload: %d", s)
	}
}

// gdalSameLayers reads the layer through GDAL's OGC API Features driver
// from both servers: ogrinfo's count and ogr2ogr's features (all, paged;
// and within a box) are the same.
func gdalSameLayers(t *testing.T, fileURL, pushURL string, box [4]float64) {
	run := func(name string, args ...string) []byte { t.Helper(); return geotest.GDAL(t, name, args...) }
	ogrinfo, ogr2ogr := "ogrinfo", "ogr2ogr"
	info := run(ogrinfo, "-so", "-ro", "OAPIF:"+pushURL, "reserve")
	if !bytes.Contains(info, []byte("Feature Count: 80")) || !bytes.Contains(info, []byte("Extent: (99.01")) {
		t.Errorf("ogrinfo on the pushdown layer:\n%s", info)
	}
	dir := t.TempDir()
	for _, spat := range [][]string{nil, {fmt.Sprint(box[0]), fmt.Sprint(box[1]), fmt.Sprint(box[2]), fmt.Sprint(box[3])}} {
		var outs [2][]byte
		for i, base := range []string{fileURL, pushURL} {
			dst := filepath.Join(dir, fmt.Sprintf("%d-%d.geojson", len(spat), i))
			args := []string{"-f", "GeoJSON", "-oo", "PAGE_SIZE=7", dst, "OAPIF:" + base, "reserve"}
			if spat != nil {
				args = append(args, append([]string{"-spat"}, spat...)...)
			}
			run(ogr2ogr, args...)
			b, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			outs[i] = b
		}
		if !bytes.Equal(outs[0], outs[1]) || bytes.Count(outs[0], []byte(`"Feature"`)) == 0 {
			t.Errorf("ogr2ogr -spat %v: %d features from the table, %d from the file", spat,
				bytes.Count(outs[1], []byte(`"Feature"`)), bytes.Count(outs[0], []byte(`"Feature"`)))
		}
	}
}

// metricValues reads the server's /metrics counters (lines without labels).
func metricValues(t *testing.T, base string) map[string]float64 {
	t.Helper()
	s, b := get(t, base+"/metrics")
	if s != 200 {
		t.Fatalf("/metrics: %d", s)
	}
	m := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		name, val, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(val, 64); err == nil {
			m[name] = v
		}
	}
	return m
}
