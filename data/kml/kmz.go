package kml

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/redline-gis/redline/geo"
)

// minExpandCap is what any KMZ's document may expand to, whatever its
// ratio; above it Limits.MaxExpandRatio applies (as for a zipped shapefile).
const minExpandCap = 32 << 20

// ReadKMZ reads a KMZ: the zip's doc.kml, or else its first .kml entry in
// archive order, with Read. Entries with unsafe names (absolute, "..",
// backslashes) are never chosen, and the entry's uncompressed size is capped;
// nothing is extracted to disk. name is used in messages only.
func ReadKMZ(r io.ReaderAt, size int64, name string) (*geo.Source, error) {
	return ReadKMZLimit(r, size, name, Limits{})
}

// ReadKMZLimit is ReadKMZ within lim. The document's declared uncompressed
// size is checked against MaxExpandedBytes and MaxExpandRatio before
// anything is inflated, and the inflating reader stops at that size should
// the header understate it.
func ReadKMZLimit(r io.ReaderAt, size int64, name string, lim Limits) (*geo.Source, error) {
	lim = lim.WithDefaults()
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("data: %s: not a KMZ (zip) file: %w", name, err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if !safeZipName(f.Name) || f.FileInfo().IsDir() || !strings.EqualFold(path.Ext(f.Name), ".kml") {
			continue
		}
		if strings.EqualFold(f.Name, "doc.kml") {
			doc = f
			break
		}
		if doc == nil {
			doc = f
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("data: %s: no .kml document in the KMZ", name)
	}
	ratioCap := max(minExpandCap, lim.MaxExpandRatio*uint64(max(size, 0)))
	if n := doc.UncompressedSize64; n > lim.MaxExpandedBytes {
		return nil, fmt.Errorf("data: %s: %s is %d bytes uncompressed, more than the limit of %d", name, doc.Name, n, lim.MaxExpandedBytes)
	} else if n > ratioCap {
		return nil, fmt.Errorf("data: %s: %s expands %d times, from %d bytes to %d: more than the limit of %d times "+
			"(KML compresses 3 to 10 times; this looks like a zip bomb); unzip it and read the .kml if it is real",
			name, doc.Name, n/uint64(max(size, 1)), size, n, lim.MaxExpandRatio)
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, fmt.Errorf("data: %s: %s: %w", name, doc.Name, err)
	}
	defer rc.Close()
	declared := int64(doc.UncompressedSize64) // within the limits, checked above
	lr := &capReader{r: rc, n: declared}
	src, err := ReadLimit(lr, name+"/"+doc.Name, lim)
	if lr.over {
		return nil, fmt.Errorf("data: %s: %s inflates to more than the %d bytes its header declares", name, doc.Name, declared)
	}
	if err != nil {
		return nil, err
	}
	src.Format = "KMZ"
	return src, nil
}

// safeZipName reports whether a zip entry name stays inside the archive.
func safeZipName(n string) bool {
	if n == "" || strings.ContainsAny(n, "\\\x00") || strings.HasPrefix(n, "/") || (len(n) > 1 && n[1] == ':') {
		return false
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return false
		}
	}
	return true
}

// capReader reads at most n bytes and records whether more were there
// (zip headers may understate the size).
type capReader struct {
	r    io.Reader
	n    int64
	over bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		var one [1]byte
		if k, _ := c.r.Read(one[:]); k > 0 {
			c.over = true
			return 0, fmt.Errorf("entry larger than the limit")
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	k, err := c.r.Read(p)
	c.n -= int64(k)
	return k, err
}
