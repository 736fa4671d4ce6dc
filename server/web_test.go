package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redline-gis/redline/internal/geotest"

	"github.com/chromedp/chromedp"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data/sample"
	"github.com/redline-gis/redline/report"
)

// chromium finds the browser: $REDLINE_CHROMIUM, else Debian's.
func chromium(t *testing.T) string {
	if p := os.Getenv("REDLINE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	geotest.Unavailable(t, "chromium not found: apt-get install -y chromium fonts-noto-cjk (or set REDLINE_CHROMIUM) to run the browser test")
	return ""
}

// The page in a real headless Chromium: upload the demo sites, wait for
// the verdicts, check the tables against the JSON, check the map, switch
// to English, and save a screenshot ($REDLINE_SCREENSHOT, else a temp dir).
func TestWebPageInChromium(t *testing.T) {
	browser := chromium(t)
	cat := demoCatalog(t)
	_, ts := startServer(t, cat, Config{})
	sitesB, _ := fs.ReadFile(sample.FS, sample.Sites)
	dir := t.TempDir()
	sitesPath := filepath.Join(dir, "sites.geojson")
	if err := os.WriteFile(sitesPath, sitesB, 0o644); err != nil {
		t.Fatal(err)
	}
	var want analysis.ScreenResult
	if err := json.Unmarshal(cliJSON(t, cat, sample.FS, sample.Sites, analysis.ScreenOptions{NearM: 1000}), &want); err != nil {
		t.Fatal(err)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(filepath.Join(dir, "profile")), chromedp.WindowSize(1400, 1000),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("disable-default-apps", true),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	type row struct{ ID, Verdict string }
	type counts struct{ Layers, Pieces, Sites int }
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(`body[data-ready="1"]`),
		chromedp.SetUploadFiles(`#file`, []string{sitesPath}),
		chromedp.Click(`#run`),
		chromedp.WaitVisible(`#downloads:not([hidden])`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#pieces path").length > 0`)); err != nil {
		t.Fatal(err)
	}
	sites, err := chromedp.Run(ctx, chromedp.Evaluate[[]row](`[...document.querySelectorAll("#site-table tbody tr")].map(r => ({ID: r.cells[1].textContent, Verdict: r.cells[5].textContent}))`))
	if err != nil {
		t.Fatal(err)
	}
	conflicts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#conflict-table tbody tr").length`))
	if err != nil {
		t.Fatal(err)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[counts](`({Layers: document.querySelectorAll("#layers path").length, Pieces: document.querySelectorAll("#pieces path").length, Sites: document.querySelectorAll("#sites path, #sites circle").length})`))
	if err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != len(want.Sites) {
		t.Fatalf("page shows %d sites, the JSON has %d", len(sites), len(want.Sites))
	}
	nConf := 0
	for i, s := range want.Sites {
		nConf += len(s.Conflicts)
		if sites[i].ID != s.ID || sites[i].Verdict != report.VerdictText(report.ZH, s.Verdict.String()) {
			t.Errorf("row %d: %+v, want %s %s", i, sites[i], s.ID, report.VerdictText(report.ZH, s.Verdict.String()))
		}
	}
	if conflicts != nConf {
		t.Errorf("conflict table has %d rows, the JSON %d conflicts", conflicts, nConf)
	}
	if drawn.Layers == 0 || drawn.Pieces == 0 || drawn.Sites < len(want.Sites) {
		t.Errorf("map drew %+v", drawn)
	}
	shot := os.Getenv("REDLINE_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(dir, "page.png")
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)
	// A click on a row zooms the map to that site.
	if err := chromedp.Do(ctx, chromedp.Click(`#site-table tbody tr:first-child`)); err != nil {
		t.Fatal(err)
	}
	if png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(strings.TrimSuffix(shot, ".png")+"-site.png", png, 0o644)

	// English.
	if err := chromedp.Do(ctx, chromedp.Click(`#lang-en`)); err != nil {
		t.Fatal(err)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text(`h2`))
	if err != nil {
		t.Fatal(err)
	}
	verdict, err := chromedp.Run(ctx, chromedp.Text(`#site-table tbody tr:first-child td:last-child`))
	if err != nil {
		t.Fatal(err)
	}
	if heading != "Verdict per site" || verdict != want.Sites[0].Verdict.String() {
		t.Errorf("English: heading %q, verdict %q", heading, verdict)
	}

	// Pasted coordinates: a polygon inside the reserve's core zone is prohibited.
	core := -1
	for i, z := range cat.layer("reserve").Zones {
		if z == "core" {
			core = i
		}
	}
	c := cat.layer("reserve").Layer.Features[core].Bound.Center()
	coords := fmt.Sprintf("%.6f,%.6f\n%.6f,%.6f\n%.6f,%.6f", c[0], c[1], c[0]+0.0005, c[1], c[0], c[1]+0.0005)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(`body[data-ready="1"]`),
		chromedp.Click(`#paste-box summary`), chromedp.SendKeys(`#coords`, coords), chromedp.Click(`#run`),
		chromedp.WaitVisible(`#downloads:not([hidden])`)); err != nil {
		t.Fatal(err)
	}
	pasted, err := chromedp.Run(ctx, chromedp.Evaluate[[]row](`[...document.querySelectorAll("#site-table tbody tr")].map(r => ({ID: r.cells[1].textContent, Verdict: r.cells[5].textContent}))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(pasted) != 1 || pasted[0].ID != "P1" || pasted[0].Verdict != report.VerdictText(report.ZH, "prohibited") {
		t.Errorf("pasted coordinates: %+v", pasted)
	}
}

// With a token, the page asks for it and then works.
func TestWebPageWithToken(t *testing.T) {
	browser := chromium(t)
	_, ts := startServer(t, demoCatalog(t), Config{Token: "s3cret"})
	dir := t.TempDir()
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(browser), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	defer cancelA()
	ctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(`body[data-ready="1"]`),
		chromedp.WaitVisible(`#token-row:not([hidden])`), chromedp.SendKeys(`#token`, "s3cret"),
		chromedp.Click(`#paste-box summary`), chromedp.SendKeys(`#coords`, "100.2,23.9"),
		chromedp.Click(`#run`), chromedp.WaitVisible(`#downloads:not([hidden])`)); err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#site-table tbody tr").length`))
	if err != nil || n != 1 {
		t.Errorf("rows %d, %v", n, err)
	}
}
