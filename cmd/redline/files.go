package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
)

// readLayer opens path from the file system and reads it as a layer.
func readLayer(path string, opt data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
	return readLayerProgress(path, opt, nil)
}

// readLayerProgress is readLayer showing a bar of the bytes read from a
// large file on p (nil: none).
func readLayerProgress(path string, opt data.ReadOptions, p *progress) (*geo.Layer, *data.LayerInfo, error) {
	if postgis.IsURL(path) {
		return readDBLayer(path, opt)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, errNotFound(err))
	}
	fsys := p.fs(os.DirFS(filepath.Dir(abs)))
	l, info, err := data.ReadLayer(fsys, filepath.Base(abs), opt)
	if err != nil {
		return nil, nil, err
	}
	l.Name = path
	info.Path = path
	return l, info, nil
}

// contents lists the layers of a DXF drawing or the tables of a GeoPackage.
func contents(path string) ([]data.DXFLayer, []data.GPKGTable, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, errNotFound(err))
	}
	return data.Contents(os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
}

func errNotFound(err error) error {
	if os.IsNotExist(err) {
		return fmt.Errorf("no such file")
	}
	return err
}
