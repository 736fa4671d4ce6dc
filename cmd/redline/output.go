package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
)

// writeFeatures writes feats to path in the format its extension names:
// .geojson/.json, .shp (with its sidecar files), .zip (a zipped shapefile),
// .kml or .kmz.
func writeFeatures(path string, fields []string, feats []data.OutFeature) error {
	ext := strings.ToLower(filepath.Ext(path))
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	switch ext {
	case ".shp":
		dir := filepath.Dir(path)
		return data.WriteShapefile(func(name string) (io.WriteCloser, error) {
			return newAtomicFile(filepath.Join(dir, name))
		}, base, fields, feats)
	case ".zip":
		return writeFileAtomic(path, func(f *os.File) error { return data.WriteShapefileZip(f, base, fields, feats) })
	case ".kml":
		return writeFileAtomic(path, func(f *os.File) error { return data.WriteKML(f, base, feats) })
	case ".kmz":
		return writeFileAtomic(path, func(f *os.File) error { return data.WriteKMZ(f, base, feats) })
	case ".geojson", ".json":
		return writeFileAtomic(path, func(f *os.File) error { return data.WriteGeoJSON(f, fields, feats) })
	}
	return usageErr("%s: unknown output format %q (want .geojson, .shp, .zip, .kml or .kmz)", path, ext)
}

// writeRecords writes the pieces and regions of a report with
// writeFeatures. Glue until the format writers take []geo.Record (issue 10):
// then writeFeatures takes them directly and this goes.
func writeRecords(path string, fields []string, recs []geo.Record) error {
	feats := make([]data.OutFeature, len(recs))
	for i, r := range recs {
		feats[i] = data.OutFeature{Geom: r.Geom, Props: r.Props}
	}
	return writeFeatures(path, fields, feats)
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
