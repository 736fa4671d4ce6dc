package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/sample"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
	"github.com/redline-gis/redline/report"
)

// boxFC is a FeatureCollection of lon/lat boxes [x1, y1, x2, y2], with ids
// and, when given, one more property per box.
func boxFC(boxes [][4]float64, ids []string, prop string, vals ...string) string {
	var feats []string
	for i, b := range boxes {
		props := fmt.Sprintf(`{"id":%q,"name":"区%d"`, ids[i], i+1)
		if prop != "" {
			props += fmt.Sprintf(`,%q:%q`, prop, vals[i])
		}
		feats = append(feats, fmt.Sprintf(`{"type":"Feature","properties":%s},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			props, b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3], b[0], b[1]))
	}
	return `{"type":"FeatureCollection","features":[` + strings.Join(feats, ",") + `]}`
}

// The hand case of the CLI's TestDiffCLI (two counties; A kept, B removed
// from the second, C added to the first): every number against closed-form
// box areas, the identities, and no_loss counted as findings.
var (
	diffRegions = boxFC([][4]float64{{100, 23.9, 100.1, 24}, {100.1, 23.9, 100.2, 24}}, []string{"530902", "530925"}, "")
	diffOld     = boxFC([][4]float64{{100.01, 23.91, 100.03, 23.93}, {100.12, 23.91, 100.14, 23.94}}, []string{"A", "B"}, "")
	diffNew     = boxFC([][4]float64{{100.01, 23.91, 100.03, 23.93}, {100.04, 23.94, 100.05, 23.95}}, []string{"A", "C"}, "")
	// 耕地 west of 100.045°E, 林地 east of it (C is split in halves; B is 林地).
	diffLanduse = boxFC([][4]float64{{100, 23.9, 100.045, 24}, {100.045, 23.9, 100.2, 24}}, []string{"L1", "L2"}, "DLMC", "耕地", "林地")
)

func diffDoc(inputs ...string) []byte {
	return []byte(`{"inputs": {` + strings.Join(inputs, ", ") + `}}`)
}

func TestDiffProcess(t *testing.T) {
	_, ts := startServer(t, demoCatalog(t), Config{})
	exec := ts.URL + "/processes/diff/execution"
	code, h, out := do(t, "POST", exec, "application/json", diffDoc(`"old": `+diffOld, `"new": `+diffNew,
		`"regions": `+diffRegions, `"landuse": `+diffLanduse, `"by": "DLMC"`, `"no_loss": true`, `"per_region": "true"`))
	var res analysis.DiffResult
	if code != 200 || json.Unmarshal(out, &res) != nil {
		t.Fatalf("diff: %d %s", code, out)
	}
	box := geotest.BoxAreaM2
	tol := geotest.Tol{Rel: 1e-9, Abs: 1e-3}
	a, b, c := box(100.01, 23.91, 100.03, 23.93), box(100.12, 23.91, 100.14, 23.94), box(100.04, 23.94, 100.05, 23.95)
	if len(res.Regions) != 2 {
		t.Fatalf("%d regions: %s", len(res.Regions), out)
	}
	r1, r2 := res.Regions[0], res.Regions[1]
	geotest.ApproxEqual(t, "region 1 area", r1.AreaM2, box(100, 23.9, 100.1, 24), tol)
	geotest.ApproxEqual(t, "region 1 kept", r1.KeptM2, a, tol)
	geotest.ApproxEqual(t, "region 1 added", r1.AddedM2, c, tol)
	geotest.ApproxEqual(t, "region 2 removed", r2.RemovedM2, b, tol)
	geotest.ApproxEqual(t, "region 2 new", r2.NewM2, 0, tol)
	geotest.ApproxEqual(t, "total old", res.Total.OldM2, a+b, tol)
	geotest.ApproxEqual(t, "total new", res.Total.NewM2, a+c, tol)
	for _, g := range append(res.Regions, res.Total) {
		name := fmt.Sprintf("region %d", g.Index)
		geotest.ApproxEqual(t, name+": new−old = added−removed", g.NewM2-g.OldM2, g.AddedM2-g.RemovedM2, tol)
		geotest.ApproxEqual(t, name+": kept+removed = old", g.KeptM2+g.RemovedM2, g.OldM2, tol)
		geotest.ApproxEqual(t, name+": kept+added = new", g.KeptM2+g.AddedM2, g.NewM2, tol)
	}
	// Land classes: C half 耕地, half 林地; B all 林地.
	class := map[string]float64{}
	for _, cc := range res.Classes {
		if cc.Region == -1 {
			class[cc.Class+" added"] += cc.AddedM2
			class[cc.Class+" removed"] += cc.RemovedM2
		}
	}
	geotest.ApproxEqual(t, "耕地 added", class["耕地 added"], box(100.04, 23.94, 100.045, 23.95), tol)
	geotest.ApproxEqual(t, "林地 added", class["林地 added"], box(100.045, 23.94, 100.05, 23.95), tol)
	geotest.ApproxEqual(t, "林地 removed", class["林地 removed"], b, tol)
	status := map[string]string{}
	for _, f := range res.Features {
		status[f.ID] = f.Status
	}
	if status["A"] != analysis.FeatureUnchanged || status["B"] != analysis.FeatureRemoved || status["C"] != analysis.FeatureAdded {
		t.Errorf("feature statuses %v", status)
	}
	// no_loss with per_region: the total and the second county fall.
	if h.Get("Redline-Findings") != "2" {
		t.Errorf("no_loss per_region: findings %q, want 2", h.Get("Redline-Findings"))
	}
	code, h, _ = do(t, "POST", exec, "application/json", diffDoc(`"old": `+diffOld, `"new": `+diffNew, `"no_loss": true`))
	if code != 200 || h.Get("Redline-Findings") != "1" {
		t.Errorf("no_loss: %d findings %q, want 1 (the total)", code, h.Get("Redline-Findings"))
	}
	code, h, _ = do(t, "POST", exec, "application/json", diffDoc(`"old": `+diffNew, `"new": `+diffOld, `"no_loss": true`))
	if code != 200 || h.Get("Redline-Findings") != "" {
		t.Errorf("no_loss on a gain: %d findings %q, want none", code, h.Get("Redline-Findings"))
	}

	// min_area: C (about 1.1 km²) is a sliver under 2 km², its area stays.
	code, _, out = do(t, "POST", exec, "application/json", diffDoc(`"old": `+diffOld, `"new": `+diffNew, `"min_area": "200ha"`))
	var small analysis.DiffResult
	if code != 200 || json.Unmarshal(out, &small) != nil {
		t.Fatalf("min_area: %d %s", code, out)
	}
	if small.Pieces != 1 || small.Slivers.AddedCount != 1 {
		t.Errorf("min_area 200ha: %d pieces, %d added slivers; want 1 and 1", small.Pieces, small.Slivers.AddedCount)
	}
	geotest.ApproxEqual(t, "min_area: added stays", small.Total.AddedM2, c, tol)

	// The same request as multipart uploads in other formats (OLD as a
	// zipped shapefile, NEW as KML, both written by the CLI's writers) gives
	// the same numbers; both versions may carry the same file name.
	multi := func(files map[string][2]any, fields map[string]string) ([]byte, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for input, f := range files {
			w, _ := mw.CreateFormFile(input, f[0].(string))
			w.Write(f[1].([]byte))
		}
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		mw.Close()
		return buf.Bytes(), mw.FormDataContentType()
	}
	body, ctype := multi(map[string][2]any{
		"old":     {"红线.zip", writeAs(t, diffOld, "红线.zip")},
		"new":     {"红线.zip", writeAs(t, diffNew, "红线.zip")},
		"regions": {"县.kml", writeAs(t, diffRegions, "县.kml")},
		"landuse": {"三调.geojson", []byte(diffLanduse)},
	}, map[string]string{"by": "DLMC"})
	code, _, got := do(t, "POST", exec, ctype, body)
	var mres analysis.DiffResult
	if code != 200 || json.Unmarshal(got, &mres) != nil {
		t.Fatalf("multipart: %d %s", code, got)
	}
	if mres.Old.Name != "红线.zip" || mres.New.Name != "红线.zip" || len(mres.Regions) != 2 || len(mres.Classes) != len(res.Classes) {
		t.Fatalf("multipart: %s", got)
	}
	// Layers sent as form fields holding GeoJSON (curl -F 'old=<a.geojson')
	// are the execute document's inline layers: the same document.
	body, ctype = multi(nil, map[string]string{"old": diffOld, "new": diffNew, "min_area": "200ha"})
	if code, _, got := do(t, "POST", exec, ctype, body); code != 200 || !bytes.Equal(got, out) {
		t.Errorf("form fields: %d, the document differs from the execute document's\n got %.300s\nwant %.300s", code, got, out)
	}
	for i, g := range append(mres.Regions, mres.Total) {
		w := append(res.Regions, res.Total)[i]
		for _, v := range [][3]any{{"old", g.OldM2, w.OldM2}, {"new", g.NewM2, w.NewM2}, {"added", g.AddedM2, w.AddedM2},
			{"removed", g.RemovedM2, w.RemovedM2}, {"kept", g.KeptM2, w.KeptM2}} {
			geotest.ApproxEqual(t, fmt.Sprintf("multipart region %d %s", g.Index, v[0]), v[1].(float64), v[2].(float64), tol)
		}
	}
}

// writeAs writes the FeatureCollection fc in the format of name with the
// CLI's writers.
func writeAs(t *testing.T, fc, name string) []byte {
	t.Helper()
	l, _, err := data.ReadLayer(memFS{"in.geojson": []byte(fc)}, "in.geojson", data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var recs []geo.Record
	for _, f := range l.Features {
		recs = append(recs, geo.Record{Geom: f.Geom, Props: map[string]any{"id": f.ID, "name": f.Props["name"]}})
	}
	var buf bytes.Buffer
	out := data.Output{Name: name, Write: func(fn func(io.Writer) error) error { return fn(&buf) }}
	if err := data.WriteFeatures(out, []string{"id", "name"}, recs, data.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDiffResultFormats(t *testing.T) {
	_, ts := startServer(t, demoCatalog(t), Config{})
	exec := ts.URL + "/processes/diff/execution"
	doc := diffDoc(`"old": `+diffOld, `"new": `+diffNew, `"regions": `+diffRegions, `"lang": "en"`)
	for _, c := range []struct {
		query, ctype, starts string
	}{
		{"?f=html", "text/html; charset=utf-8", "<!DOCTYPE html>"},
		{"?f=csv", "text/csv; charset=utf-8", "\uFEFF"},
		{"?f=xlsx", mediaTypes[fXLSX], "PK"},
		{"?f=geojson", "application/geo+json", `{"type":"FeatureCollection"`},
	} {
		code, h, b := do(t, "POST", exec+c.query, "application/json", doc)
		if code != 200 || h.Get("Content-Type") != c.ctype || !bytes.HasPrefix(b, []byte(c.starts)) {
			t.Errorf("%s: %d %s %.60q", c.query, code, h.Get("Content-Type"), b)
			continue
		}
		switch c.query {
		case "?f=geojson":
			// The ledger pieces: B removed, C added, with their areas.
			var fc struct {
				Features []struct{ Properties map[string]any }
			}
			if err := json.Unmarshal(b, &fc); err != nil || len(fc.Features) != 2 {
				t.Errorf("pieces: %v %.300s", err, b)
			}
		case "?f=xlsx":
			x, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			ledger, _, _, _ := report.DiffXLSXSheets(report.EN)
			rows, err := x.GetRows(ledger)
			if err != nil || len(rows) != 3 { // header and two pieces
				t.Errorf("ledger sheet %q: %v, %d rows", ledger, err, len(rows))
			}
		case "?f=html":
			if !bytes.Contains(b, []byte("530925")) {
				t.Errorf("HTML report without the regions")
			}
			// Only uploads are compared: the demo layers' note does not apply.
			if bytes.Contains(b, []byte(sample.Note)) {
				t.Errorf("diff HTML report carries the demo layers' note")
			}
		}
	}
}

// Bad inputs get the CLI's messages with their status, and a job runs diff
// as the synchronous call does.
func TestDiffProcessErrorsAndJobs(t *testing.T) {
	_, ts := startServer(t, demoCatalog(t), Config{MaxSites: 3})
	exec := ts.URL + "/processes/diff/execution"
	bow := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"BOW"},"geometry":{"type":"Polygon","coordinates":[[[100.01,23.91],[100.03,23.93],[100.03,23.91],[100.01,23.93],[100.01,23.91]]]}}]}`
	points := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P"},"geometry":{"type":"Point","coordinates":[100.01,23.91]}}]}`
	four := boxFC([][4]float64{{100, 23, 100.1, 23.1}, {101, 23, 101.1, 23.1}, {102, 23, 102.1, 23.1}, {103, 23, 103.1, 23.1}}, []string{"1", "2", "3", "4"}, "")
	for _, c := range []struct {
		name, ctype string
		body        []byte
		code        int
		want        string
	}{
		{"no new", "application/json", diffDoc(`"old": ` + diffOld), 400, "input new: missing"},
		{"bare GeoJSON", "application/geo+json", []byte(diffOld), 415, "two layers"},
		{"landuse without by", "application/json", diffDoc(`"old": `+diffOld, `"new": `+diffNew, `"landuse": `+diffLanduse), 400, "landuse and by go together"},
		{"min_area", "application/json", diffDoc(`"old": `+diffOld, `"new": `+diffNew, `"min_area": "lots"`), 400, "input min_area"},
		{"no_loss", "application/json", diffDoc(`"old": `+diffOld, `"new": `+diffNew, `"no_loss": "maybe"`), 400, "input no_loss"},
		{"unknown input", "application/json", diffDoc(`"old": `+diffOld, `"new": `+diffNew, `"sites": `+diffOld), 400, `unknown input "sites"`},
		{"href", "application/json", diffDoc(`"old": {"href": "/etc/passwd"}`, `"new": `+diffNew), 400, "references (href) are not accepted"},
		{"bow-tie", "application/json", diffDoc(`"old": `+bow, `"new": `+diffNew), 422, "BOW"},
		{"points", "application/json", diffDoc(`"old": `+points, `"new": `+diffNew), 400, "P"},
		{"max-sites", "application/json", diffDoc(`"old": `+four, `"new": `+diffNew), 413, "--max-sites"},
	} {
		code, h, b := do(t, "POST", exec, c.ctype, c.body)
		var p problem
		json.Unmarshal(b, &p)
		if code != c.code || h.Get("Content-Type") != "application/problem+json" || !strings.Contains(p.Detail, c.want) {
			t.Errorf("%s: %d %s, want %d with %q", c.name, code, b, c.code, c.want)
		} else {
			t.Logf("%s: %d %s", c.name, code, p.Detail)
		}
	}
	// skip_invalid: the bow-tie is left out and listed, as with --skip-invalid.
	code, _, b := do(t, "POST", exec, "application/json", diffDoc(`"old": `+bow+`, "new": `+diffNew, `"skip_invalid": true`))
	var res analysis.DiffResult
	if code != 200 || json.Unmarshal(b, &res) != nil || len(res.Repairs) != 1 || res.Total.OldM2 != 0 {
		t.Errorf("skip_invalid: %d %.300s", code, b)
	}

	// Async: 201 and Location; the job's result is the synchronous document.
	doc := diffDoc(`"old": `+diffOld, `"new": `+diffNew, `"regions": `+diffRegions, `"no_loss": true`)
	_, _, want := do(t, "POST", exec, "application/json", doc)
	code, h, b := do(t, "POST", exec, "application/json", doc, "Prefer", "respond-async")
	loc := h.Get("Location")
	if code != http.StatusCreated || !strings.HasPrefix(loc, "/jobs/") {
		t.Fatalf("async: %d %q %s", code, loc, b)
	}
	st := waitJob(t, ts.URL+loc)
	if st.Status != stateSuccessful || st.ProcessID != "diff" || st.Progress != 100 || st.Findings != 1 {
		t.Fatalf("job: %+v", st)
	}
	if code, _, got := do(t, "GET", ts.URL+loc+"/results", "", nil); code != 200 || !bytes.Equal(got, want) {
		t.Errorf("job results: %d, differ from the synchronous document\n got %.300s\nwant %.300s", code, got, want)
	}
	for _, f := range resultFormats {
		if code, h, _ := do(t, "GET", ts.URL+loc+"/results?f="+f, "", nil); code != 200 || h.Get("Content-Type") != mediaTypes[f] {
			t.Errorf("results f=%s: %d %s", f, code, h.Get("Content-Type"))
		}
	}
	// A failing job says why.
	_, h, _ = do(t, "POST", exec, "application/json", diffDoc(`"old": `+bow, `"new": `+diffNew), "Prefer", "respond-async")
	if st := waitJob(t, ts.URL+h.Get("Location")); st.Status != stateFailed || !strings.Contains(st.Message, "BOW") {
		t.Errorf("failed job: %+v", st)
	}
	if code, _, b := do(t, "GET", ts.URL+h.Get("Location")+"/results", "", nil); code != 422 {
		t.Errorf("failed job results: %d %s", code, b)
	}
}

func TestDiffProcessDescription(t *testing.T) {
	_, ts := startServer(t, demoCatalog(t), Config{})
	code, _, b := do(t, "GET", ts.URL+"/processes", "", nil)
	var list struct {
		Processes []processDoc
		Note      string
	}
	if code != 200 || json.Unmarshal(b, &list) != nil || list.Note != "" {
		t.Fatalf("/processes: %d %s", code, b)
	}
	var ids []string
	for _, p := range list.Processes {
		ids = append(ids, p.ID)
	}
	if strings.Join(ids, ",") != "screen,share,diff" {
		t.Errorf("processes %v", ids)
	}
	code, _, b = do(t, "GET", ts.URL+"/processes/diff", "", nil)
	var p processDoc
	if code != 200 || json.Unmarshal(b, &p) != nil {
		t.Fatalf("/processes/diff: %d %s", code, b)
	}
	for _, in := range []string{"old", "new", "regions", "region_field", "landuse", "by", "min_area", "no_loss", "per_region", "crs", "id_field", "skip_invalid", "repair", "lang"} {
		if _, ok := p.Inputs[in]; !ok {
			t.Errorf("/processes/diff: no input %s", in)
		}
	}
	if p.Inputs["old"].MinOccurs != 1 || p.Inputs["regions"].MinOccurs != 0 {
		t.Errorf("minOccurs: old %d, regions %d", p.Inputs["old"].MinOccurs, p.Inputs["regions"].MinOccurs)
	}
}
