package kml

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/redline-gis/redline/geo"
)

// maxKMZEntry caps the uncompressed size of the KML document in a KMZ
// (a variable for tests).
var maxKMZEntry uint64 = 512 << 20

// ReadKMZ reads a KMZ: the zip's doc.kml, or else its first .kml entry in
// archive order, with Read. Entries with unsafe names (absolute, "..",
// backslashes) are never chosen, and the entry's uncompressed size is capped;
// nothing is extracted to disk. name is used in messages only.
func ReadKMZ(r io.ReaderAt, size int64, name string) (*geo.Source, error) {
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
	if doc.UncompressedSize64 > maxKMZEntry {
		return nil, fmt.Errorf("data: %s: %s is %d bytes uncompressed, more than the limit of %d", name, doc.Name, doc.UncompressedSize64, maxKMZEntry)
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, fmt.Errorf("data: %s: %s: %w", name, doc.Name, err)
	}
	defer rc.Close()
	lr := &capReader{r: rc, n: int64(maxKMZEntry)}
	src, err := Read(lr, name+"/"+doc.Name)
	if lr.over {
		return nil, fmt.Errorf("data: %s: %s is larger than the limit of %d bytes uncompressed", name, doc.Name, maxKMZEntry)
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
