package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/sample"
	"github.com/redline-gis/redline/geo"
)

func multipartBody(t testing.TB, files map[string][]byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, b := range files {
		w, err := mw.CreateFormFile("sites", name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// The three body forms give the same document, and it is the document the
// CLI's functions (analysis.Screen + report.WriteJSON) make.
func TestExecuteBodiesGiveTheCLIDocument(t *testing.T) {
	cat := demoCatalog(t)
	_, ts := startServer(t, cat, Config{})
	sitesB, err := fs.ReadFile(sample.FS, sample.Sites)
	if err != nil {
		t.Fatal(err)
	}
	want := cliJSON(t, cat, sample.FS, sample.Sites, analysis.ScreenOptions{NearM: 1000})
	exec := ts.URL + "/processes/screen/execution"

	doc := []byte(`{"inputs": {"sites": ` + string(sitesB) + `, "near": "1km"}}`)
	mp, mpType := multipartBody(t, map[string][]byte{"sites.geojson": sitesB}, map[string]string{"near": "1000"})
	for _, c := range []struct {
		name, ctype string
		body        []byte
	}{
		{"execute document", "application/json", doc},
		{"bare GeoJSON", "application/geo+json", sitesB},
		{"multipart", mpType, mp},
	} {
		code, h, got := do(t, "POST", exec, c.ctype, c.body)
		if code != 200 || h.Get("Content-Type") != "application/json" {
			t.Fatalf("%s: %d %s", c.name, code, got)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the document differs from the CLI's\n got %.300s\nwant %.300s", c.name, got, want)
		}
	}

	// Other upload formats: the same sites as a zipped shapefile and as KML
	// (written by the CLI's writers) give the same verdicts.
	sites, _, _ := data.ReadLayer(sample.FS, sample.Sites, data.ReadOptions{})
	var feats []geo.Record
	var ids []string
	for _, f := range sites.Features {
		if f.Geom.GeoJSONType() != "Polygon" {
			continue // a shapefile holds one kind of geometry
		}
		ids = append(ids, f.ID)
		feats = append(feats, geo.Record{Geom: f.Geom, Props: map[string]any{"id": f.ID, "名称": f.Props["名称"], "项目类型": f.Props["项目类型"]}})
	}
	var zipB, kmlB bytes.Buffer
	write := func(name string, buf *bytes.Buffer) error {
		out := data.Output{Name: name, Write: func(fn func(io.Writer) error) error { return fn(buf) }}
		return data.WriteFeatures(out, []string{"id", "名称", "项目类型"}, feats, data.WriteOptions{})
	}
	if err := write("sites.zip", &zipB); err != nil {
		t.Fatal(err)
	}
	if err := write("sites.kml", &kmlB); err != nil {
		t.Fatal(err)
	}
	var ref analysis.ScreenResult
	json.Unmarshal(want, &ref)
	refVerdict := map[string]analysis.Verdict{}
	for _, s := range ref.Sites {
		refVerdict[s.ID] = s.Verdict
	}
	for name, b := range map[string][]byte{"sites.zip": zipB.Bytes(), "sites.kml": kmlB.Bytes()} {
		mp, mpType := multipartBody(t, map[string][]byte{name: b}, nil)
		code, _, got := do(t, "POST", exec, mpType, mp)
		var res analysis.ScreenResult
		if code != 200 || json.Unmarshal(got, &res) != nil {
			t.Fatalf("%s: %d %s", name, code, got)
		}
		if len(res.Sites) != len(ids) {
			t.Fatalf("%s: %d sites, want %d", name, len(res.Sites), len(ids))
		}
		for i, s := range res.Sites {
			if s.ID != ids[i] || s.Verdict != refVerdict[s.ID] {
				t.Errorf("%s: site %d: %s %s, want %s %s", name, i, s.ID, s.Verdict, ids[i], refVerdict[ids[i]])
			}
		}
	}

	// Inputs: type applies to every site.
	code, _, got := do(t, "POST", exec, "application/json", []byte(`{"inputs": {"sites": `+string(sitesB)+`, "type": "工业"}}`))
	wantT := cliJSON(t, cat, sample.FS, sample.Sites, analysis.ScreenOptions{NearM: 1000, Type: "industrial"})
	if code != 200 || !bytes.Equal(got, wantT) {
		t.Errorf("type input: %d, document differs", code)
	}
}

func TestResultFormats(t *testing.T) {
	cat := demoCatalog(t)
	_, ts := startServer(t, cat, Config{})
	sitesB, _ := fs.ReadFile(sample.FS, sample.Sites)
	exec := ts.URL + "/processes/screen/execution"
	for _, c := range []struct {
		query, accept, ctype, starts string
	}{
		{"?f=html", "", "text/html; charset=utf-8", "<!DOCTYPE html>"},
		{"", "text/html", "text/html; charset=utf-8", "<!DOCTYPE html>"},
		{"?f=csv", "", "text/csv; charset=utf-8", "\uFEFF"},
		{"?f=xlsx", "", mediaTypes[fXLSX], "PK"},
		{"?f=geojson", "", "application/geo+json", `{"type":"FeatureCollection"`},
		{"", "application/geo+json", "application/geo+json", `{"type":"FeatureCollection"`},
		{"?f=json", "text/html", "application/json", "{"},
	} {
		code, h, b := do(t, "POST", exec+c.query, "application/geo+json", sitesB, "Accept", c.accept)
		if code != 200 || h.Get("Content-Type") != c.ctype || !bytes.HasPrefix(b, []byte(c.starts)) {
			t.Errorf("%s Accept %q: %d %s %.60q", c.query, c.accept, code, h.Get("Content-Type"), b)
		}
	}
	if _, h, _ := do(t, "POST", exec+"?f=html", "application/geo+json", sitesB); !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("HTML report without a CSP: %v", h)
	}
	if code, _, _ := do(t, "POST", exec+"?f=pdf", "application/geo+json", sitesB); code != http.StatusNotAcceptable {
		t.Errorf("f=pdf: %d", code)
	}
	// fail_on counts the sites at or above it.
	code, h, _ := do(t, "POST", exec+"?fail_on=prohibited", "application/geo+json", sitesB)
	if code != 200 || h.Get("Redline-Findings") != "3" {
		t.Errorf("fail_on: %d findings %q, want 3 (the demo's prohibited sites)", code, h.Get("Redline-Findings"))
	}
}

func waitJob(t *testing.T, url string) statusDoc {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		_, _, b := do(t, "GET", url, "", nil)
		var st statusDoc
		json.Unmarshal(b, &st)
		if st.Status != stateAccepted && st.Status != stateRunning {
			return st
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %s did not finish", url)
	return statusDoc{}
}

func TestAsyncJobs(t *testing.T) {
	cat := demoCatalog(t)
	_, ts := startServer(t, cat, Config{})
	sitesB, _ := fs.ReadFile(sample.FS, sample.Sites)
	code, h, b := do(t, "POST", ts.URL+"/processes/screen/execution", "application/geo+json", sitesB, "Prefer", "respond-async")
	loc := h.Get("Location")
	if code != http.StatusCreated || !strings.HasPrefix(loc, "/jobs/") {
		t.Fatalf("async: %d %q %s", code, loc, b)
	}
	st := waitJob(t, ts.URL+loc)
	if st.Status != stateSuccessful || st.Progress != 100 || st.Created == "" || st.Started == "" || st.Finished == "" {
		t.Fatalf("job: %+v", st)
	}
	want := cliJSON(t, cat, sample.FS, sample.Sites, analysis.ScreenOptions{NearM: 1000})
	if code, _, got := do(t, "GET", ts.URL+loc+"/results", "", nil); code != 200 || !bytes.Equal(got, want) {
		t.Errorf("job results: %d, document differs from the CLI's", code)
	}
	for _, f := range resultFormats {
		if code, h, _ := do(t, "GET", ts.URL+loc+"/results?f="+f, "", nil); code != 200 || h.Get("Content-Type") != mediaTypes[f] {
			t.Errorf("results f=%s: %d %s", f, code, h.Get("Content-Type"))
		}
	}
	code, _, b = do(t, "GET", ts.URL+loc+"/sites", "", nil)
	var sites struct{ Features []featureDoc }
	if code != 200 || json.Unmarshal(b, &sites) != nil || len(sites.Features) != 8 {
		t.Errorf("job sites: %d %.200s", code, b)
	}
	code, _, b = do(t, "GET", ts.URL+"/jobs", "", nil)
	if code != 200 || !bytes.Contains(b, []byte(strings.TrimPrefix(loc, "/jobs/"))) {
		t.Errorf("job list: %d %s", code, b)
	}
	// Dismiss: the job and its results go.
	if code, _, _ := do(t, "DELETE", ts.URL+loc, "", nil); code != 200 {
		t.Errorf("DELETE: %d", code)
	}
	if code, _, _ := do(t, "GET", ts.URL+loc+"/results", "", nil); code != http.StatusGone {
		t.Errorf("results after DELETE: %d, want 410", code)
	}
	if code, _, _ := do(t, "GET", ts.URL+"/jobs/nope", "", nil); code != 404 {
		t.Errorf("unknown job: %d", code)
	}
	// A failing job says why, in its status and its results.
	code, h, _ = do(t, "POST", ts.URL+"/processes/screen/execution", "application/geo+json", []byte(`{"type":"FeatureCollection","features":[]}`), "Prefer", "respond-async")
	st = waitJob(t, ts.URL+h.Get("Location"))
	if code != 201 || st.Status != stateFailed || !strings.Contains(st.Message, "no features") {
		t.Errorf("failed job: %d %+v", code, st)
	}
	if code, _, b := do(t, "GET", ts.URL+h.Get("Location")+"/results", "", nil); code != 400 || !strings.Contains(string(b), "no features") {
		t.Errorf("failed job results: %d %s", code, b)
	}
}

func TestShareProcess(t *testing.T) {
	cat := demoCatalog(t)
	_, ts := startServer(t, cat, Config{})
	// Two regions splitting the reserve layer's box in half: the shares are
	// the layer's areas inside each, and they sum to the total.
	b := cat.layer("reserve").Layer.Bound()
	midX := (b.Min[0] + b.Max[0]) / 2
	box := func(id string, x0, x1 float64) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"id":%q,"name":%q},"geometry":{"type":"Polygon","coordinates":[[[%v,%v],[%v,%v],[%v,%v],[%v,%v],[%v,%v]]]}}`,
			id, id, x0, b.Min[1], x1, b.Min[1], x1, b.Max[1], x0, b.Max[1], x0, b.Min[1])
	}
	fc := `{"type":"FeatureCollection","features":[` + box("W", b.Min[0], midX) + "," + box("E", midX, b.Max[0]) + `]}`
	code, _, out := do(t, "POST", ts.URL+"/processes/share/execution", "application/json",
		[]byte(`{"inputs": {"regions": `+fc+`, "layers": ["reserve"], "target": "10"}}`))
	var res analysis.ShareResult
	if code != 200 || json.Unmarshal(out, &res) != nil {
		t.Fatalf("share: %d %s", code, out)
	}
	if res.Layer != "reserve" || len(res.Regions) != 2 || res.TargetPct == nil || *res.TargetPct != 10 {
		t.Fatalf("share: %s", out)
	}
	sum := res.Regions[0].CoveredM2 + res.Regions[1].CoveredM2
	if d := sum - res.Total.CoveredM2; d > 1e-6*sum || d < -1e-6*sum {
		t.Errorf("regions cover %v, total %v", sum, res.Total.CoveredM2)
	}
	if code, _, b := do(t, "POST", ts.URL+"/processes/share/execution", "application/json",
		[]byte(`{"inputs": {"regions": `+fc+`, "layers": ["nope"]}}`)); code != 400 || !strings.Contains(string(b), "nope") {
		t.Errorf("unknown layer: %d %s", code, b)
	}
}

func TestJobTTL(t *testing.T) {
	_, ts := startServer(t, demoCatalog(t), Config{JobTTL: 50 * time.Millisecond})
	sitesB, _ := fs.ReadFile(sample.FS, sample.Sites)
	_, h, _ := do(t, "POST", ts.URL+"/processes/screen/execution", "application/geo+json", sitesB, "Prefer", "respond-async")
	loc := h.Get("Location")
	if st := waitJob(t, ts.URL+loc); st.Status != stateSuccessful {
		t.Fatalf("job: %+v", st)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, _, _ := do(t, "GET", ts.URL+loc, "", nil)
		if code == 404 {
			return // swept after its TTL
		}
		if time.Now().After(deadline) {
			t.Fatal("job still kept 10 s after a 50 ms TTL")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
