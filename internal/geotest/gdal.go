package geotest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// GDAL runs GDAL's command-line tool name (ogrinfo, ogr2ogr) with args and
// returns its output, failing t when it fails. A missing tool is
// Unavailable. HTTP goes straight to the (loopback) servers under test,
// never through a proxy, and each run is bounded to a minute.
func GDAL(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, "%s not found: apt-get install -y gdal-bin to run this test", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), "GDAL_HTTP_TIMEOUT=30", "NO_PROXY=*", "no_proxy=*", "http_proxy=", "HTTP_PROXY=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return out
}
