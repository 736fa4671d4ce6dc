// Package archtest checks that imports point one way:
// cmd → {report, data} → analysis → geo → {orb, go-geom, rtree, simplefeatures}.
package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
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
	"data":        {module + "cmd", "github.com/urfave/cli", "os", "github.com/tidwall/rtree", "github.com/peterstace/simplefeatures"},
	"data/sample": {module + "cmd", "github.com/urfave/cli", "os"},
	// report renders analysis results: it knows no file format (data and
	// every data/<format>), opens no file or socket, and has no flags.
	"report": {module + "data", module + "cmd", "github.com/urfave/cli", "os", "net", "github.com/tidwall/rtree", "github.com/peterstace/simplefeatures"},
}

func TestImportDirection(t *testing.T) {
	root := filepath.Join("..", "..")
	for dir, bans := range banned {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if len(files) == 0 && dir != "data/sample" {
			t.Errorf("%s: no Go files found", dir)
		}
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
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, b := range bans {
					if path == b || strings.HasPrefix(path, b+"/") {
						t.Errorf("%s imports %s: not allowed in package %s", f, path, dir)
					}
				}
			}
		}
	}
}
