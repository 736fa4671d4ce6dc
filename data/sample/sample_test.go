package sample_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/sample"
	"github.com/redline-gis/redline/geo"
)

// names lists the embedded files, sorted.
func names(t *testing.T) []string {
	t.Helper()
	ns, err := fs.Glob(sample.FS, "*.geojson")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{sample.Sites, sample.ClassLayer.File}
	for _, l := range sample.Layers {
		want = append(want, l.File)
	}
	sort.Strings(want)
	if strings.Join(ns, ",") != strings.Join(want, ",") {
		t.Fatalf("embedded files %v, want %v", ns, want)
	}
	return ns
}

func TestFilesParseAndAreValid(t *testing.T) {
	size := 0
	for _, name := range names(t) {
		t.Run(name, func(t *testing.T) {
			b, err := fs.ReadFile(sample.FS, name)
			if err != nil {
				t.Fatal(err)
			}
			size += len(b)
			l, info, err := data.ReadLayer(sample.FS, name, data.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(info.Warnings) > 0 {
				t.Errorf("warnings: %v", info.Warnings)
			}
			if l.Len() == 0 {
				t.Fatal("no features")
			}
			seen := map[string]bool{}
			for i := range l.Features {
				f := &l.Features[i]
				if ps := geo.Validate(f.Geom); len(ps) > 0 {
					t.Errorf("%s: invalid: %v", f.Label(), ps)
				}
				if f.ID == "" || seen[f.ID] {
					t.Errorf("%s: id %q empty or repeated", f.Label(), f.ID)
				}
				seen[f.ID] = true
				if f.Props["note"] != sample.Note {
					t.Errorf("%s: note = %v, want %q", f.Label(), f.Props["note"], sample.Note)
				}
				// Lincang's extent.
				b := f.Bound
				if b.Min[0] < 99.0 || b.Max[0] > 100.5 || b.Min[1] < 23.1 || b.Max[1] > 25.0 {
					t.Errorf("%s: bound %v is outside Lincang", f.Label(), b)
				}
			}
		})
	}
	if size > 200_000 {
		t.Errorf("data set is %d bytes, want well under 200 KB", size)
	}
}

// TestFilesSayIllustrative checks the file-level statement, which survives
// tools that drop properties.
func TestFilesSayIllustrative(t *testing.T) {
	for _, name := range names(t) {
		b, err := fs.ReadFile(sample.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		var top struct {
			Type        string `json:"type"`
			Name        string `json:"name"`
			Description string `json:"description"`
		}
		if err := json.Unmarshal(b, &top); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if top.Type != "FeatureCollection" || top.Name+".geojson" != name || !strings.HasPrefix(top.Description, sample.Note) {
			t.Errorf("%s: type %q, name %q, description %q: want a FeatureCollection named after the file whose description starts with the note",
				name, top.Type, top.Name, top.Description)
		}
	}
}

// TestLayersLoadAsConstraints checks that zones are read as the kinds say.
func TestLayersLoadAsConstraints(t *testing.T) {
	wantZones := map[string][]string{
		"redline":      {"", "", "", ""},
		"reserve":      {"core", "buffer", "experimental"},
		"water":        {"I", "II", "quasi"},
		"farmland":     {"", "", ""},
		"control_unit": {"priority", "key"},
		"landuse":      {"", "", "", "", "", ""},
	}
	for _, sl := range append(sample.Layers, sample.ClassLayer) {
		l, _, err := data.ReadLayer(sample.FS, sl.File, data.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := analysis.NewConstraint(l, analysis.LayerConfig{Kind: sl.Kind})
		if err != nil {
			t.Fatalf("%s: %v", sl.File, err)
		}
		if got, want := strings.Join(c.Zones, ","), strings.Join(wantZones[sl.Kind], ","); got != want {
			t.Errorf("%s: zones %q, want %q", sl.File, got, want)
		}
	}
}

// TestAccessListParses checks the embedded access list and that its
// clauses name the demo's units.
func TestAccessListParses(t *testing.T) {
	b, err := fs.ReadFile(sample.FS, sample.AccessList)
	if err != nil {
		t.Fatal(err)
	}
	a, err := analysis.ParseAccessList(sample.AccessList, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Clauses) != 3 || a.Clauses[0].Unit != "ZH53090210001" || a.Clauses[1].Target != "K70" {
		t.Errorf("clauses %+v", a.Clauses)
	}
	for _, c := range a.Clauses {
		if !strings.Contains(c.Source, "示意") {
			t.Errorf("line %d: source %q should say it is illustrative", c.Line, c.Source)
		}
	}
}

// TestNestedZonesShareRings checks that each zone's hole is exactly the
// outer ring of the zone inside it, so the zones tile without gaps.
func TestNestedZonesShareRings(t *testing.T) {
	for _, name := range []string{"reserve.geojson", "water.geojson"} {
		l, _, err := data.ReadLayer(sample.FS, name, data.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < l.Len(); i++ {
			inner, ok1 := l.Features[i-1].Geom.(orb.Polygon)
			zone, ok2 := l.Features[i].Geom.(orb.Polygon)
			if !ok1 || !ok2 || len(zone) != 2 {
				t.Fatalf("%s: feature %d: want a polygon with one hole around the polygon before it", name, i)
			}
			hole, outer := zone[1], inner[0]
			if len(hole) != len(outer) {
				t.Fatalf("%s: feature %d: hole has %d points, inner zone %d", name, i, len(hole), len(outer))
			}
			for k := range hole {
				if hole[k] != outer[len(outer)-1-k] {
					t.Fatalf("%s: feature %d: hole point %d %v is not the inner zone's %v", name, i, k, hole[k], outer[len(outer)-1-k])
				}
			}
		}
	}
}

// TestGeneratorReproducesFiles runs the generator into a temporary
// directory and requires byte-identical files, so they cannot drift.
func TestGeneratorReproducesFiles(t *testing.T) {
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		if gobin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to run the generator")
		}
	}
	// Read the generator's source here so that the test cache sees it: a
	// cached pass must not survive a change to the generator.
	if _, err := os.ReadFile(filepath.Join("gen", "main.go")); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(gobin, "run", "./gen", "-out", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, out)
	}
	for _, name := range names(t) {
		want, err := fs.ReadFile(sample.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the generator writes different bytes than the embedded file: run 'go run ./data/sample/gen' and review the diff", name)
		}
	}
	want, err := fs.ReadFile(sample.FS, sample.AccessList)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, sample.AccessList)); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s: the generator writes different bytes than the embedded file (%v)", sample.AccessList, err)
	}
	extra, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(extra) != len(names(t))+1 {
		t.Errorf("the generator wrote %d files, the package embeds %d", len(extra), len(names(t))+1)
	}
}
