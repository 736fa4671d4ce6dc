package server

import (
	"archive/zip"
	"bytes"
	"net/http"
	"path"
	"strings"
)

// Limits on an uploaded archive (zip shapefile, KMZ), checked before data
// reads it: the expanded size is capped at archiveExpansion × --max-body,
// so a zip bomb is refused from its directory, without expanding anything.
const (
	archiveExpansion  = 4
	archiveMaxEntries = 1000
)

// checkArchives refuses uploaded archives that would expand past the limits.
func (s *Server) checkArchives(files memFS) error {
	for name, b := range files {
		ext := strings.ToLower(path.Ext(name))
		if ext != ".zip" && ext != ".kmz" {
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			continue // data says what is wrong with it
		}
		if len(zr.File) > archiveMaxEntries {
			return statusErr(http.StatusRequestEntityTooLarge, "%s: %d entries, more than the limit of %d", name, len(zr.File), archiveMaxEntries)
		}
		var total uint64
		max := uint64(archiveExpansion * s.cfg.MaxBody)
		for _, f := range zr.File {
			total += f.UncompressedSize64
			if total > max {
				return statusErr(http.StatusRequestEntityTooLarge, "%s: expands to more than %d bytes (the limit is %d × --max-body)",
					name, max, archiveExpansion)
			}
		}
	}
	return nil
}
