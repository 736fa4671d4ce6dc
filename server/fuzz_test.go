package server

import (
	"bytes"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/redline-gis/redline/data/sample"
)

// FuzzExecute: any body under any of the accepted content types gets an
// answer with a status from the documented set, never a panic, from the
// screen and the diff process.
func FuzzExecute(f *testing.F) {
	sitesB, _ := fs.ReadFile(sample.FS, sample.Sites)
	f.Add("application/json", []byte(`{"inputs": {"sites": `+string(sitesB)+`}}`))
	f.Add("application/geo+json", sitesB)
	f.Add("application/json", []byte(`{"inputs": {"sites": {"href": "x"}}}`))
	f.Add("application/json", []byte(`{"inputs": {"sites": {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[100.2,23.9],[100.3,23.9],[100.2,23.9]]]}}]}, "near": "x"}}`))
	f.Add("multipart/form-data; boundary=X", []byte("--X\r\nContent-Disposition: form-data; name=\"sites\"; filename=\"a.zip\"\r\n\r\nPK\x03\x04\r\n--X--\r\n"))
	f.Add("application/json", []byte(`{"inputs": {"old": `+string(sitesB)+`, "new": {"type":"FeatureCollection","features":[]}, "min_area": "1ha"}}`))
	f.Add("multipart/form-data; boundary=X", []byte("--X\r\nContent-Disposition: form-data; name=\"old\"; filename=\"a.geojson\"\r\n\r\n{}\r\n--X\r\nContent-Disposition: form-data; name=\"new\"; filename=\"a.geojson\"\r\n\r\n{}\r\n--X--\r\n"))
	s := New(Config{MaxBody: 1 << 20, MaxSites: 50, Load: staticLoad(demoCatalog(f))})
	defer s.Close()
	if err := s.Reload(f.Context()); err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	ok := map[int]bool{200: true, 400: true, 413: true, 415: true, 422: true, 503: true, 504: true}
	f.Fuzz(func(t *testing.T, ctype string, body []byte) {
		for _, process := range []string{"screen", "diff"} {
			req := httptest.NewRequest("POST", "/processes/"+process+"/execution", bytes.NewReader(body))
			req.Header.Set("Content-Type", ctype)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if !ok[rec.Code] {
				t.Fatalf("%s: status %d for %q %q: %s", process, rec.Code, ctype, body, rec.Body.Bytes())
			}
			if rec.Code != http.StatusOK && rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%s: status %d without problem+json", process, rec.Code)
			}
		}
	})
}
