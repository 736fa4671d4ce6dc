package main

import (
	"context"
	"io"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

// reportSource describes a file read, for a report's data sources.
func reportSource(path string, l *geo.Layer, info *data.LayerInfo) report.Source {
	crs := info.CRS.String()
	if info.CRSFrom != "" {
		crs += " (" + info.CRSFrom + ")"
	}
	if info.Path != "" {
		path = info.Path // a database URL without its password
	}
	return report.Source{Path: path, Format: info.Format, CRS: crs, Features: l.Len()}
}

// nameSources gives each source its role: the constraint layers were read
// first, in order, and the sites last.
func nameSources(srcs []report.Source, layers []*analysis.Constraint) []report.Source {
	for i := range srcs {
		if i < len(layers) {
			srcs[i].Role, srcs[i].Kind = layers[i].Name, layers[i].Kind
		} else {
			srcs[i].Role = "sites"
		}
	}
	return srcs
}

// writeShareReports writes share's --html and --xlsx files.
func writeShareReports(ctx context.Context, rep report.Share, meta report.Meta, opt shareOptions) error {
	if opt.HTML != "" {
		if err := writeFileAtomic(ctx, opt.HTML, func(f io.Writer) error { return report.WriteShareHTML(f, rep, meta, opt.Lang) }); err != nil {
			return err
		}
	}
	if opt.XLSX != "" {
		return writeFileAtomic(ctx, opt.XLSX, func(f io.Writer) error { return report.WriteShareXLSX(f, rep, opt.Lang) })
	}
	return nil
}
