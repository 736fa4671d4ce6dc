// Package archtest checks that imports point one way:
// cmd → server → report → analysis → geo → geo/crs; cmd, server → data → data/<format> → geo.
package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/redline-gis/redline/"

// banned lists, per package directory, import paths (prefixes) that its
// non-test files must not use.
var banned = map[string][]string{
	"geo":         {module + "data", module + "analysis", module + "cmd", "github.com/urfave/cli", "os", "encoding/json", "html/template"},
	"analysis":    {module + "data", module + "report", module + "cmd", "github.com/urfave/cli", "os", "net/http", "github.com/tidwall/rtree", "github.com/peterstace/simplefeatures"},
	"data":        {module + "cmd", module + "analysis", module + "report", "github.com/urfave/cli", "os", "github.com/tidwall/rtree", "github.com/peterstace/simplefeatures"},
	"data/sample": {module + "cmd", "github.com/urfave/cli", "os"},
	// report renders analysis results: it knows no file format (data and
	// every data/<format>), opens no file or socket, and has no flags.
	"report": {module + "data", module + "cmd", "github.com/urfave/cli", "os", "net", "github.com/tidwall/rtree", "github.com/peterstace/simplefeatures"},
	"data/*": {module + "cmd", "github.com/urfave/cli", "os", "github.com/tidwall/rtree", "github.com/peterstace/simplefeatures"},
	// server decodes, calls analysis, encodes with report: no flags, no
	// geometry engine of its own; only cmd imports it.
	// screenpush screens by pushdown for cmd and server alike: it knows
	// analysis and data/postgis, no flags, files, reports or server.
	"screenpush": {module + "cmd", module + "report", "github.com/urfave/cli", "os", "net/http", "github.com/tidwall/rtree", "github.com/peterstace/simplefeatures"},
	"server":     {module + "cmd", "github.com/urfave/cli", "github.com/tidwall/rtree", "github.com/peterstace/simplefeatures"},
}

// nothingImportsServer: the service sits on top, next to cmd.
func init() {
	for dir := range banned {
		if dir != "server" {
			banned[dir] = append(banned[dir], module+"server")
		}
	}
}

// ownOnly lists, per package directory ("dir/*": every package directly
// below dir), the only packages of this module its non-test files may
// import: a format knows geo and nothing else of ours, geo only geo/crs,
// geo/crs nothing.
var ownOnly = map[string][]string{
	"geo":     {"geo/crs"},
	"geo/crs": {},
	"data/*":  {"geo", "geo/crs"},
}

// packageDirs expands a rule's key: "dir/*" gives every directory directly
// below dir that holds Go files, anything else itself.
func packageDirs(t *testing.T, root, key string) []string {
	parent, ok := strings.CutSuffix(key, "/*")
	if !ok {
		return []string{key}
	}
	entries, err := os.ReadDir(filepath.Join(root, parent))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if files, _ := filepath.Glob(filepath.Join(root, parent, e.Name(), "*.go")); e.IsDir() && len(files) > 0 {
			dirs = append(dirs, parent+"/"+e.Name())
		}
	}
	if len(dirs) == 0 {
		t.Errorf("%s: no packages found", key)
	}
	return dirs
}

// imports returns the import paths of each non-test, non-generator Go file
// in dir.
func imports(t *testing.T, root, dir string) map[string][]string {
	files, _ := filepath.Glob(filepath.Join(root, dir, "*.go"))
	out := map[string][]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "//go:build ignore") {
			continue // generators run with go run, not part of the package
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = []string{}
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			out[f] = append(out[f], path)
		}
	}
	return out
}

func TestOwnImports(t *testing.T) {
	root := filepath.Join("..", "..")
	for key, allowed := range ownOnly {
		for _, dir := range packageDirs(t, root, key) {
			files := imports(t, root, dir)
			if len(files) == 0 {
				t.Errorf("%s: no Go files found", dir)
			}
			for f, paths := range files {
				for _, path := range paths {
					own, ok := strings.CutPrefix(path, module)
					if ok && !slices.Contains(allowed, own) {
						t.Errorf("%s imports %s: package %s may import only %v of this module", f, path, dir, allowed)
					}
				}
			}
		}
	}
}

func TestImportDirection(t *testing.T) {
	root := filepath.Join("..", "..")
	for key, bans := range banned {
		for _, dir := range packageDirs(t, root, key) {
			files := imports(t, root, dir)
			if len(files) == 0 && dir != "data/sample" {
				t.Errorf("%s: no Go files found", dir)
			}
			for f, paths := range files {
				for _, path := range paths {
					for _, b := range bans {
						if path == b || strings.HasPrefix(path, b+"/") {
							t.Errorf("%s imports %s: not allowed in package %s", f, path, dir)
						}
					}
				}
			}
		}
	}
}
