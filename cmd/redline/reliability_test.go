//go:build unix

package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
)

// Issue 15 item 20: an unknown command is a usage error (exit 2), so a
// pipeline does not believe it ran.
func TestUnknownCommandExit2(t *testing.T) {
	for _, name := range []string{"nosuch", "scren", "diff2"} {
		code, _, errOut := runCLI(t, name, "x.geojson")
		if code != exitUsage || !strings.Contains(errOut, fmt.Sprintf("no command %q", name)) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the name", name, code, errOut)
		}
	}
}

// Issue 15 item 10: a million warnings of one kind print 20 lines and a
// count; other kinds keep their own 20.
func TestWarningsCapped(t *testing.T) {
	var buf bytes.Buffer
	ww := newWarnWriter(&buf)
	var msgs []geo.Warning
	for i := range 100_000 {
		msgs = append(msgs, geo.Warnf("%s: %s has no geometry: skipped", "a.txt", fmt.Sprintf("feature %d (id P%d)", i, i)))
	}
	warn(ww, msgs)
	warnf(ww, "b.geojson: data lie outside China (centre %.4f,%.4f): check the CRS", 1.5, 2.5)
	ww.flush()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 22 {
		t.Fatalf("%d lines, want 20 + 1 other kind + 1 count:\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[21], "99980 more warnings") || !strings.Contains(lines[21], "feature 20 (id P20)") {
		t.Errorf("count line %q", lines[21])
	}
	if !strings.Contains(lines[20], "outside China") {
		t.Errorf("other kind not shown: %q", lines[20])
	}
}

// bigLayer writes a GeoJSON layer of n squares with a long text property,
// large enough that its shapefile does not fit in a small file-size limit.
func bigLayer(t *testing.T, dir, name string, n int) string {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		x, y := 100+float64(i%100)*0.01, 23+float64(i/100)*0.01
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"id":"F%d","note":"%s"},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			i, strings.Repeat("x", 50), x, y, x+0.005, y, x+0.005, y+0.005, x, y+0.005, x, y)
	}
	b.WriteString("]}")
	return writeFile(t, dir, name, b.String())
}

// Issue 15 item 11: a write that fails (here a file-size limit, as a full
// disk would) leaves the old outputs as they were and no temporary files;
// exit 1.
func TestFailedWriteKeepsOldOutputs(t *testing.T) {
	dir := t.TempDir()
	in := bigLayer(t, dir, "in.geojson", 2000)
	for _, out := range []string{"out.shp", "out.zip", "out.geojson"} {
		t.Run(out, func(t *testing.T) {
			target := filepath.Join(dir, out)
			old := map[string]string{}
			for _, p := range outputFiles(outputPath{Path: target, Features: true}) {
				old[p] = "old " + p
				writeFile(t, dir, filepath.Base(p), old[p])
			}
			var code int
			var errOut string
			code, _, errOut = runCLIFileSizeLimit(t, 4<<10, "convert", in, target)
			if code != exitError || !strings.Contains(errOut, "the old file") {
				t.Fatalf("exit %d, stderr %q; want 1 and a message that the old files are kept", code, errOut)
			}
			for p, want := range old {
				if b, err := os.ReadFile(p); err != nil || string(b) != want {
					t.Errorf("%s: %q, %v; want the old content", p, b, err)
				}
			}
			assertNoTemporaries(t, dir)
		})
	}
}

// runCLIFileSizeLimit runs the CLI in a child process (this test binary,
// through TestMain) with RLIMIT_FSIZE at n bytes: writes beyond it fail with
// EFBIG, as on a full disk. A child, because the limit holds for a whole
// process and would also stop the test framework's own writes.
func runCLIFileSizeLimit(t *testing.T, n uint64, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", fsizeChildEnv, n))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stderr.String(), fsizeUnavailable) {
		t.Skip(strings.TrimSpace(stderr.String()))
	}
	return code, stdout.String(), stderr.String()
}

const (
	fsizeChildEnv    = "REDLINE_TEST_CLI_FSIZE"
	fsizeUnavailable = "cannot set RLIMIT_FSIZE"
)

// TestMain runs the CLI itself when started by runCLIFileSizeLimit.
func TestMain(m *testing.M) {
	if v := os.Getenv(fsizeChildEnv); v != "" {
		n, _ := strconv.ParseUint(v, 10, 64)
		signal.Ignore(syscall.SIGXFSZ)
		var lim syscall.Rlimit
		err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim)
		if err == nil {
			lim.Cur = n
			err = syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, fsizeUnavailable+":", err)
			os.Exit(1)
		}
		os.Exit(run(context.Background(), append([]string{"redline"}, os.Args[1:]...), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func assertNoTemporaries(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary %s left behind", e.Name())
		}
	}
}

// Issue 15 items 12 and 15: a shapefile set replaces the old one whole (an
// old sidecar the new set lacks does not survive), through a temporary
// folder that is gone afterwards; every output is 0644 less the umask.
func TestShapefileSetWholeAndMode(t *testing.T) {
	dir := t.TempDir()
	in := bigLayer(t, dir, "in.geojson", 3)
	target := filepath.Join(dir, "out.shp")
	writeFile(t, dir, "out.shp", "old")
	writeFile(t, dir, "out.dbf", "old")
	writeFile(t, dir, "out.qix", "stale index") // not ours: left alone
	old := syscall.Umask(0o027)
	code, _, errOut := runCLI(t, "convert", in, target)
	syscall.Umask(old)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, ext := range []string{".shp", ".shx", ".dbf", ".prj", ".cpg"} {
		st, err := os.Stat(filepath.Join(dir, "out"+ext))
		if err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		if st.Mode().Perm() != 0o640 {
			t.Errorf("%s: mode %v, want 0640 (0644 less umask 027)", ext, st.Mode().Perm())
		}
	}
	l, _, err := readLayer(target, data.ReadOptions{})
	if err != nil || l.Len() != 3 {
		t.Fatalf("read back: %v", err)
	}
	assertNoTemporaries(t, dir)
	code, _, errOut = runCLI(t, "convert", in, filepath.Join(dir, "out.geojson"))
	if st, err := os.Stat(filepath.Join(dir, "out.geojson")); code != 0 || err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("geojson: exit %d (%s), mode %v; want 0644", code, errOut, st.Mode().Perm())
	}
}

// Issue 15 items 13, 14 and 16: a device, FIFO, symlink or folder at an
// output path, an output equal to an input and an unknown -o extension are
// refused before any work (exit 2), and nothing is touched.
func TestOutputPathsCheckedBeforeWork(t *testing.T) {
	dir := t.TempDir()
	sites := bigLayer(t, dir, "sites.geojson", 3)
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	os.Symlink(sites, link)
	os.Mkdir(filepath.Join(dir, "folder.html"), 0o755)
	layer := []string{"--layer", "redline=../../testdata/redline.geojson"}
	cases := []struct {
		args []string
		msg  string
	}{
		{append([]string{"screen", sites, "--json", "/dev/null"}, layer...), "/dev/null is not a regular file (a device)"},
		{append([]string{"screen", sites, "--json", fifo}, layer...), "is not a regular file (a FIFO)"},
		{append([]string{"screen", sites, "--csv", link}, layer...), "is not a regular file (a symbolic link)"},
		{append([]string{"screen", sites, "--html", filepath.Join(dir, "folder.html")}, layer...), "(a folder)"},
		{append([]string{"screen", sites, "-o", sites}, layer...), "would overwrite the input " + sites},
		{append([]string{"screen", sites, "-o", "../../testdata/redline.geojson"}, layer...), "would overwrite the input"},
		{append([]string{"screen", sites, "-o", filepath.Join(dir, "pieces.dxf2")}, layer...), `unknown output format ".dxf2"`},
		{append([]string{"screen", sites, "--json", filepath.Join(dir, "nosuchdir", "x.json")}, layer...), "does not exist"},
		{[]string{"convert", sites, sites}, "would overwrite the input"},
		{[]string{"convert", sites, "./" + filepath.Base(sites) + "x"}, "unknown output format"},
		{[]string{"validate", sites, "--repair", sites}, "would overwrite the input"},
	}
	for _, c := range cases {
		before, _ := os.ReadFile(sites)
		code, _, errOut := runCLI(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.msg) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", c.args, code, errOut, c.msg)
		}
		if after, _ := os.ReadFile(sites); !bytes.Equal(before, after) {
			t.Errorf("%q: the input changed", c.args)
		}
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced")
	}
}

// Issue 15 item 17: convert stops on Ctrl-C (exit 1) and leaves no output.
func TestConvertStopsOnCancel(t *testing.T) {
	dir := t.TempDir()
	in := bigLayer(t, dir, "in.geojson", 10)
	out := filepath.Join(dir, "out.geojson")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"redline", "convert", in, out}, &stdout, &stderr); code != exitError {
		t.Errorf("exit %d, want 1; stderr %s", code, stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output left: %v", err)
	}
	assertNoTemporaries(t, dir)
}

// Issue 15 item 15: DBF text over 254 bytes is warned of, naming the field
// and the feature.
func TestDBFLongTextWarned(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in.geojson", `[{"type":"Feature","properties":{"id":"A","note":"`+strings.Repeat("长", 100)+`"},"geometry":{"type":"Point","coordinates":[100,23]}}]`)
	code, _, errOut := runCLI(t, "convert", in, filepath.Join(dir, "out.shp"))
	if code != 0 || !strings.Contains(errOut, `feature 0 (id A): field "note" has 300 bytes`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// Issue 15 item 7: the memory limit counts a zip's entries uncompressed.
func TestReadBytesOfZip(t *testing.T) {
	dir := t.TempDir()
	f, _ := os.Create(filepath.Join(dir, "a.zip"))
	zw := zip.NewWriter(f)
	w, _ := zw.Create("a.shp")
	w.Write(make([]byte, 10<<20))
	zw.Close()
	f.Close()
	st, _ := os.Stat(filepath.Join(dir, "a.zip"))
	if got := readBytes(filepath.Join(dir, "a.zip")); got != 10<<20 || st.Size() > 1<<20 {
		t.Errorf("readBytes = %d for a %d-byte zip of 10 MiB, want 10 MiB", got, st.Size())
	}
}

// Issue 15 items 3 and 5: a site with a null geometry stays in every output
// with the verdict error and its reason, counts in the summary, and makes
// the run exit 1 unless --skip-invalid; --skip-invalid that leaves no site
// is exit 1.
func TestNullGeometrySitesKept(t *testing.T) {
	dir := t.TempDir()
	sites := writeFile(t, dir, "sites.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"IN","name":"在红线内"},"geometry":{"type":"Polygon","coordinates":[[[100.005,23.905],[100.01,23.905],[100.01,23.91],[100.005,23.91],[100.005,23.905]]]}},
{"type":"Feature","properties":{"id":"NULL","name":"无图形"},"geometry":null}]}`)
	layer := []string{"--layer", "redline=../../testdata/redline.geojson", "--fail-on", "never"}
	csvPath := filepath.Join(dir, "r.csv")
	code, out, errOut := runCLI(t, append([]string{"screen", sites, "--format", "json", "--csv", csvPath}, layer...)...)
	if code != exitError || !strings.Contains(errOut, "1 of 2 sites have no geometry and were not screened (site 1 (id NULL) first") {
		t.Fatalf("exit %d, stderr %q; want 1 naming the site", code, errOut)
	}
	var res struct {
		Sites []struct {
			Index   int    `json:"index"`
			ID      string `json:"id"`
			Verdict string `json:"verdict"`
			Error   string `json:"error"`
		} `json:"sites"`
		Summary struct {
			Sites, Error, Prohibited int
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(res.Sites) != 2 || res.Sites[1].ID != "NULL" || res.Sites[1].Index != 1 || res.Sites[1].Verdict != "error" || !strings.Contains(res.Sites[1].Error, "no geometry") {
		t.Errorf("sites %+v", res.Sites)
	}
	if res.Summary.Sites != 2 || res.Summary.Error != 1 {
		t.Errorf("summary %+v", res.Summary)
	}
	b, _ := os.ReadFile(csvPath)
	if !strings.Contains(string(b), "1,NULL,无图形,,,0,0,error,") || !strings.Contains(string(b), "no geometry") {
		t.Errorf("CSV lacks the error site:\n%s", b)
	}
	html, xlsx := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.xlsx")
	code, out, errOut = runCLI(t, append([]string{"screen", sites, "--skip-invalid", "--html", html, "--xlsx", xlsx}, layer...)...)
	if code != 0 || !strings.Contains(out, "错误（未筛查） 1: 2 NULL;") {
		t.Errorf("--skip-invalid: exit %d, stderr %q, table:\n%s", code, errOut, out)
	}
	if b, err := os.ReadFile(html); err != nil || !strings.Contains(string(b), "错误（未筛查）") || !strings.Contains(string(b), "NULL") {
		t.Errorf("HTML report lacks the error site (%v)", err)
	}
	if st, err := os.Stat(xlsx); err != nil || st.Size() == 0 {
		t.Errorf("xlsx: %v", err)
	}
	// Every site invalid and skipped: nothing was screened.
	bow := writeFile(t, dir, "bow.geojson", `[{"type":"Feature","properties":{"id":"B"},"geometry":{"type":"Polygon","coordinates":[[[100,23.9],[100.01,23.91],[100.01,23.9],[100,23.91],[100,23.9]]]}}]`)
	code, _, errOut = runCLI(t, append([]string{"screen", bow, "--skip-invalid"}, layer...)...)
	if code != exitError || !strings.Contains(errOut, "no site was screened") {
		t.Errorf("all skipped: exit %d, stderr %q; want 1", code, errOut)
	}
}

// Issue 15 item 18: an invalid site's error names its file; convert warns
// of the invalid features it writes (a bow-tie, an unclosed ring).
func TestInvalidFeatureMessages(t *testing.T) {
	dir := t.TempDir()
	bow := writeFile(t, dir, "bow.geojson", `[{"type":"Feature","properties":{"id":"B"},"geometry":{"type":"Polygon","coordinates":[[[100,23.9],[100.01,23.91],[100.01,23.9],[100,23.91],[100,23.9]]]}},
{"type":"Feature","properties":{"id":"U"},"geometry":{"type":"Polygon","coordinates":[[[100,23.9],[100.01,23.9],[100.01,23.91],[100,23.91]]]}}]`)
	code, _, errOut := runCLI(t, "screen", bow, "--layer", "redline=../../testdata/redline.geojson")
	if code != exitError || !strings.Contains(errOut, bow+" (layer sites): feature 0 (id B) is invalid") {
		t.Errorf("screen: exit %d, stderr %q; want the file, index and id", code, errOut)
	}
	code, _, errOut = runCLI(t, "convert", bow, filepath.Join(dir, "out.geojson"))
	if code != 0 || !strings.Contains(errOut, "feature 0 (id B) is invalid") || !strings.Contains(errOut, "feature 1 (id U) is invalid") {
		t.Errorf("convert: exit %d, stderr %q; want a warning for each invalid feature", code, errOut)
	}
}

// Issue 15 item 13: "-" writes an output to stdout (instead of the
// --format report).
func TestOutputToStdout(t *testing.T) {
	code, out, errOut := runCLI(t, "screen", "../../testdata/sites.geojson", "--layer", "redline=../../testdata/redline.geojson",
		"--json", "-", "--fail-on", "never")
	var res map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res["sites"] == nil {
		t.Errorf("exit %d, stderr %q; stdout is not the JSON report: %.200s", code, errOut, out)
	}
	code, _, errOut = runCLI(t, "screen", "../../testdata/sites.geojson", "--layer", "redline=../../testdata/redline.geojson",
		"--json", "-", "--csv", "-")
	if code != exitUsage || !strings.Contains(errOut, "both write to stdout") {
		t.Errorf("two outputs on stdout: exit %d, %q", code, errOut)
	}
}

// Issue 15 item 10, through a command: a file with 5 000 features without
// geometry prints 20 of those warnings and a count.
func TestWarningsCappedInACommand(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(`[{"type":"Feature","properties":{"id":"OK"},"geometry":{"type":"Point","coordinates":[100,23]}}`)
	for i := range 5000 {
		fmt.Fprintf(&b, `,{"type":"Feature","properties":{"id":"N%d"},"geometry":null}`, i)
	}
	b.WriteString("]")
	in := writeFile(t, dir, "nulls.geojson", b.String())
	code, _, errOut := runCLI(t, "info", in)
	if code != 0 {
		t.Fatalf("exit %d: %.300s", code, errOut)
	}
	if n := strings.Count(errOut, "has no geometry: skipped\n"); n != 20 {
		t.Errorf("%d warnings printed, want 20", n)
	}
	if !strings.Contains(errOut, "… and 4980 more warnings like the 20 above") {
		t.Errorf("no count line in %.500s", errOut[max(0, len(errOut)-500):])
	}
}
