package server

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/sample"
	"github.com/redline-gis/redline/report"
)

// catalogFrom reads layers (kind → file in fsys) as the command does.
func catalogFrom(t testing.TB, fsys fs.FS, layers [][2]string, note string) *Catalog {
	t.Helper()
	c := &Catalog{Rules: analysis.DefaultRules(), Note: note}
	for _, kf := range layers {
		l, _, err := data.ReadLayer(fsys, kf[1], data.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		l.Name = kf[1]
		con, err := analysis.NewConstraint(l, analysis.LayerConfig{Name: kf[0], Kind: kf[0]})
		if err != nil {
			t.Fatal(err)
		}
		c.Layers = append(c.Layers, con)
	}
	return c
}

func demoCatalog(t testing.TB) *Catalog {
	var ls [][2]string
	for _, l := range sample.Layers {
		ls = append(ls, [2]string{l.Kind, l.File})
	}
	return catalogFrom(t, sample.FS, ls, sample.Note)
}

// startServer serves cat on a loopback test server.
func startServer(t testing.TB, cat *Catalog, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Load == nil && cat != nil {
		cfg.Load = func(context.Context) (*Catalog, error) { return cat, nil }
	}
	s := New(cfg)
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return s, ts
}

var client = &http.Client{Timeout: 60 * time.Second}

// do sends a request and returns the status, headers and body.
func do(t testing.TB, method, url, ctype string, body []byte, hdr ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// cliJSON is what `redline screen --format json` writes for sites on cat.
func cliJSON(t testing.TB, cat *Catalog, fsys fs.FS, name string, opt analysis.ScreenOptions) []byte {
	t.Helper()
	sites, _, err := data.ReadLayer(fsys, name, data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Screen(context.Background(), sites, cat.Layers, cat.Rules, opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.WriteJSON(&buf, res); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newTestServer serves s (loaded or not) on loopback.
func newTestServer(t testing.TB, s *Server) string {
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

func staticLoad(c *Catalog) Loader {
	return func(context.Context) (*Catalog, error) { return c, nil }
}
