package main

import (
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/internal/geotest"
	"github.com/redline-gis/redline/report"
)

func TestDemoHTMLXLSX(t *testing.T) {
	dir, rep, _, stderr := runDemoTest(t)
	for _, name := range []string{demoHTML, demoXLSX, demoJSON} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", name, st.Mode().Perm())
		}
		if !strings.Contains(stderr, name) {
			t.Errorf("stderr does not name %s: %s", name, stderr)
		}
	}
	page, err := os.ReadFile(filepath.Join(dir, demoHTML))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Sites {
		if !strings.Contains(string(page), s.ID) {
			t.Errorf("%s lacks site %s", demoHTML, s.ID)
		}
	}
	if n := strings.Count(string(page), `<svg class="map"`); n != len(rep.Sites) {
		t.Errorf("%s: %d maps, want %d", demoHTML, n, len(rep.Sites))
	}
	f, err := excelize.OpenFile(filepath.Join(dir, demoXLSX))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, conf, _ := report.ScreenXLSXSheets(report.ZH)
	rows, err := f.GetRows(conf, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	k := 1
	for _, s := range rep.Sites {
		for _, c := range s.Conflicts {
			if k >= len(rows) {
				t.Fatalf("%s: %d conflict rows, want more", demoXLSX, len(rows)-1)
			}
			got, err := strconv.ParseFloat(rows[k][8], 64)
			if err != nil {
				t.Fatalf("row %d: overlap %q: %v", k, rows[k][8], err)
			}
			geotest.ApproxEqual(t, s.ID+" "+c.FeatureID, got, c.OverlapM2, geotest.Tol{Rel: 1e-9, Abs: 1e-9})
			k++
		}
	}
	if k != len(rows) {
		t.Errorf("%s: %d conflict rows, want %d", demoXLSX, len(rows)-1, k-1)
	}
}

// TestDemoHTMLChromium renders the demo report in headless Chromium and
// checks that the screenshot is not blank. It skips without chromium.
func TestDemoHTMLChromium(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not on PATH")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	dir, _, _, _ := runDemoTest(t)
	shot := filepath.Join(t.TempDir(), "report.png")
	abs, err := filepath.Abs(filepath.Join(dir, demoHTML))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--screenshot="+shot, "--window-size=1240,3600", "file://"+abs)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	fh, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	dark, red := pixelCounts(img)
	total := img.Bounds().Dx() * img.Bounds().Dy()
	t.Logf("%d×%d: %d dark pixels, %d verdict-red pixels", img.Bounds().Dx(), img.Bounds().Dy(), dark, red)
	if dark < total/200 {
		t.Errorf("screenshot is blank: %d dark pixels of %d", dark, total)
	}
	if red < 500 {
		t.Errorf("screenshot shows no prohibited badge or piece: %d red pixels", red)
	}
}

// pixelCounts counts dark pixels (text, lines) and strongly red ones (the
// prohibited badge and overlap pieces).
func pixelCounts(img image.Image) (dark, red int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if r+g+bl < 3*100 {
				dark++
			}
			if r > 150 && g < 90 && bl < 90 {
				red++
			}
		}
	}
	return dark, red
}

func TestShareHTMLXLSX(t *testing.T) {
	dir := t.TempDir()
	regions := writeShareFixture(t, dir, "county", shareBox(99, 23, 99.1, 23.1), shareBox(99.1, 23, 99.2, 23.1))
	red := writeShareFixture(t, dir, "red", shareBox(99, 23, 99.05, 23.1), shareBox(99.19, 23, 99.2, 23.1))
	htmlPath, xlsxPath := filepath.Join(dir, "share.html"), filepath.Join(dir, "share.xlsx")
	var out, errb strings.Builder
	code := run(context.Background(), []string{"redline", "share", "--regions", regions, "--layer", "redline=" + red,
		"--target", "25.6%", "--html", htmlPath, "--xlsx", xlsxPath, "--format", "json"}, &out, &errb)
	if code != exitFindings { // region 2 (10 %) misses 25.6 %
		t.Fatalf("exit %d, want %d: %s", code, exitFindings, errb.String())
	}
	var res analysis.ShareResult
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"county", "redline", "25.6", `<svg class="chart"`, `<svg class="map"`} {
		if !strings.Contains(string(page), w) {
			t.Errorf("share.html lacks %q", w)
		}
	}
	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	name, _ := report.ShareXLSXSheets(report.ZH)
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(res.Regions)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(res.Regions)+2)
	}
	for i, g := range res.Regions {
		got, err := strconv.ParseFloat(rows[1+i][5], 64)
		if err != nil {
			t.Fatal(err)
		}
		geotest.ApproxEqual(t, "covered_m2", got, g.CoveredM2, geotest.Tol{Rel: 1e-9, Abs: 1e-9})
	}
}

func TestOverlapsXLSX(t *testing.T) {
	dir := t.TempDir()
	a := writeShareFixture(t, dir, "a", shareBox(99, 23, 99.05, 23.1))
	b := writeShareFixture(t, dir, "b", shareBox(99.02, 23, 99.1, 23.1))
	xlsxPath := filepath.Join(dir, "overlaps.xlsx")
	var out, errb strings.Builder
	if code := run(context.Background(), []string{"redline", "overlaps", a, b, "--xlsx", xlsxPath, "--format", "json"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res analysis.OverlapResult
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pairs, _ := report.OverlapsXLSXSheets(report.ZH)
	rows, err := f.GetRows(pairs, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pairs) != 1 || len(rows) != 2 {
		t.Fatalf("%d pairs, %d rows; want 1 pair in 2 rows", len(res.Pairs), len(rows))
	}
	got, err := strconv.ParseFloat(rows[1][10], 64)
	if err != nil {
		t.Fatal(err)
	}
	geotest.ApproxEqual(t, "overlap_m2", got, res.Pairs[0].OverlapM2, geotest.Tol{Rel: 1e-9, Abs: 1e-9})
}
