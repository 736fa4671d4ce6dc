package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/server"
)

// configFor writes a layers file saying what classFiles' flags say: the
// land-use layer by DLBM and the access list, both relative to the file.
func configFor(t *testing.T, flags []string) string {
	t.Helper()
	path := func(flag string) string {
		for i, f := range flags {
			if f == flag {
				v := flags[i+1]
				if _, p, ok := strings.Cut(v, "="); ok && flag == "--layer" {
					return p
				}
				return v
			}
		}
		t.Fatalf("no %s in %q", flag, flags)
		return ""
	}
	lu := path("--layer")
	dir := filepath.Dir(lu)
	cfg := "layers:\n" +
		"  - kind: landuse\n    path: " + filepath.Base(lu) + "\n    by: DLBM\n" +
		"  - kind: control_unit\n    path: units.geojson\n" +
		"access_list: " + filepath.Base(path("--access-list")) + "\n"
	return writeFile(t, dir, "layers.yaml", cfg)
}

// A layers file's by: and access_list: do what --by and --access-list do:
// the same document, byte for byte (TestScreenByAndAccessList checks its
// numbers), from screen and from the service.
func TestConfigByAndAccessList(t *testing.T) {
	sites, flags := classFiles(t)
	code, want, errOut := runCLI(t, append([]string{"screen", sites, "--format", "json"}, flags...)...)
	if code != 0 {
		t.Fatalf("flags: exit %d: %s", code, errOut)
	}
	if !strings.Contains(want, `"classes"`) || !strings.Contains(want, `"clauses"`) {
		t.Fatalf("the flags' document has no classes or clauses:\n%.600s", want)
	}
	cfg := configFor(t, flags)
	code, got, errOut := runCLI(t, "screen", sites, "--config", cfg, "--format", "json", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("config: exit %d: %s", code, errOut)
	}
	if got != want {
		t.Errorf("--config with by: and access_list: differs from --by and --access-list\n got %.600s\nwant %.600s", got, want)
	}
	// The same --by again is fine; another field for the layer is a usage error.
	if code, _, errOut := runCLI(t, "screen", sites, "--config", cfg, "--by", "landuse=DLBM", "--format", "json", "--fail-on", "never"); code != 0 {
		t.Errorf("--by repeating the config: exit %d: %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "screen", sites, "--config", cfg, "--by", "landuse=DLMC", "--fail-on", "never")
	if code != exitUsage || !strings.Contains(errOut, "--by landuse=DLMC: "+cfg+" says by: DLBM for layer landuse") {
		t.Errorf("--by against the config: exit %d: %s", code, errOut)
	}

	// redline serve --config: the service's document is the CLI's.
	s := server.New(server.Config{Load: serveLoader(nil, cfg, "", data.ReadOptions{}, 0, io.Discard)})
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer func() { ts.Close(); s.Close() }()
	body, err := os.ReadFile(sites)
	if err != nil {
		t.Fatal(err)
	}
	status, served := post(t, ts.URL+"/processes/screen/execution", "application/geo+json", body)
	if status != 200 || !bytes.Equal(served, []byte(want)) {
		t.Errorf("serve --config: %d, document differs from the CLI's\n got %.600s\nwant %.600s", status, served, want)
	}
}

// Mistakes in a layers file name the file and the line of the key.
func TestConfigByErrors(t *testing.T) {
	sites, flags := classFiles(t)
	dir := filepath.Dir(configFor(t, flags))
	tests := []struct{ name, cfg, err string }{
		{"layer=field", "layers:\n  - kind: landuse\n    path: landuse.geojson\n    by: landuse=DLBM\n",
			"bad.yaml:4: layer 0 (landuse): by: \"landuse=DLBM\": give the field only (by: DLBM)"},
		{"blank by", "layers:\n  - kind: reserve\n    path: units.geojson\n  - kind: landuse\n    path: landuse.geojson\n    by: \"  \"\n",
			"bad.yaml:6: layer 1 (landuse): by: no field name"},
		{"misspelt key", "layers:\n  - kind: landuse\n    path: landuse.geojson\naccess_lsit: access.csv\n", "access_lsit"},
		{"blank access list", "layers:\n  - kind: landuse\n    path: landuse.geojson\naccess_list: \" \"\n", "bad.yaml:4: access_list: no file name"},
		{"by a missing field", "layers:\n  - kind: landuse\n    path: landuse.geojson\n    by: NOSUCH\n", `no feature has the field "NOSUCH"`},
		{"missing access list", "layers:\n  - kind: landuse\n    path: landuse.geojson\naccess_list: nosuch.csv\n", "nosuch.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeFile(t, dir, "bad.yaml", tt.cfg)
			code, _, errOut := runCLI(t, "screen", sites, "--config", cfg, "--fail-on", "never")
			if code == 0 || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d: %s\nwant an error containing %q", code, errOut, tt.err)
			}
			if strings.Contains(tt.err, "bad.yaml") && !strings.Contains(errOut, cfg+":") {
				t.Errorf("the error does not name the file %s: %s", cfg, errOut)
			}
		})
	}
}
