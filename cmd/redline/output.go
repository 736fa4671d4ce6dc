package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
)

// writeFeatures writes feats to path in the format its extension names
// (data.WriteFeatures): .geojson/.json, .shp (with its sidecar files), .zip
// (a zipped shapefile), .kml, .kmz or .gpkg. prj is the .prj of a shapefile whose
// geometries are not CGCS2000 lon/lat ("" for lon/lat).
func writeFeatures(path string, fields []string, feats []geo.Record, prj string) error {
	return writeFeaturesWith(path, fields, feats, data.WriteOptions{PRJ: prj})
}

// writeFeaturesWith is writeFeatures with every write option (the CRS of a
// GeoPackage output).
func writeFeaturesWith(path string, fields []string, feats []geo.Record, opt data.WriteOptions) error {
	dir := filepath.Dir(path)
	out := data.Output{
		Name: path,
		Create: func(name string) (io.WriteCloser, error) {
			return newAtomicFile(filepath.Join(dir, name))
		},
		Write: func(fn func(w io.Writer) error) error {
			return writeFileAtomic(path, func(f *os.File) error { return fn(f) })
		},
	}
	err := data.WriteFeatures(out, fields, feats, opt)
	if errors.Is(err, data.ErrOutputFormat) {
		return usageErr("%s: %v", path, err)
	}
	return err
}

// atomicFile is a file written under a temporary name and renamed on Close.
type atomicFile struct {
	*os.File
	path string
}

func newAtomicFile(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{f, path}, nil
}

func (a *atomicFile) Close() error {
	if err := a.File.Close(); err != nil {
		os.Remove(a.File.Name())
		return err
	}
	return os.Rename(a.File.Name(), a.path)
}
