package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/sample"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

// The files demo writes into --out.
const (
	demoPieces = "conflicts.geojson"
	demoCSV    = "screen.csv"
	demoJSON   = "screen.json"
	demoHTML   = "report.html"
	demoXLSX   = "screen.xlsx"
)

type demoOptions struct {
	out    string
	lang   report.Lang
	stderr io.Writer
}

func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "screen the embedded illustrative data set (示意数据) and write the reports",
		Description: "Runs `redline screen` on a small data set embedded in the binary, placed in Lincang (Yunnan):\n" +
			"red-line patches (two of them overlapping), a nature reserve with core/buffer/experimental zones,\n" +
			"a drinking-water-source zone (Level I/II/quasi), permanent farmland, two 三线一单 control units with an\n" +
			"access list, a land-use layer (broken down by DLMC, as --by landuse=DLMC), and eight proposed sites that\n" +
			"between them reach every verdict. The data are illustrative, not official (示意数据，非官方数据).\n" +
			"Prints the table and writes " + demoPieces + ", " + demoCSV + ", " + demoJSON + ", " + demoHTML + " and " + demoXLSX +
			" into --out.\n" +
			"Exit code 0 even though some demo sites are prohibited: it is a demo (screen would exit 3).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "redline-demo", Usage: "directory for the reports (created if needed)"},
			&cli.StringFlag{Name: "lang", Value: "zh", Usage: "report language: zh or en"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return usageErr("demo takes no arguments, got %d", c.NArg())
			}
			if c.String("out") == "" {
				return usageErr("--out: want a directory")
			}
			lang, err := parseLang(c.String("lang"))
			if err != nil {
				return err
			}
			return runDemo(c.Context, demoOptions{out: c.String("out"), lang: lang, stderr: c.App.ErrWriter}, c.App.Writer)
		},
	}
}

// runDemo screens the embedded sites against the embedded layers with the
// default rule book, writes the reports into opt.out and prints the table.
func runDemo(ctx context.Context, opt demoOptions, stdout io.Writer) error {
	var cfgs []data.ConfigLayer
	for _, l := range append(sample.Layers, sample.ClassLayer) {
		cfgs = append(cfgs, data.ConfigLayer{Kind: l.Kind, Path: l.File})
	}
	rep := reportInputs{meta: report.Meta{Generated: time.Now(), Version: version, NearM: 1000,
		Note: sample.Note}}
	read := func(name string, ro data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
		l, info, err := readSample(name, ro)
		if err == nil {
			rep.meta.Sources = append(rep.meta.Sources, reportSource(name, l, info))
		}
		return l, info, err
	}
	layers, err := readConstraints(cfgs, data.ReadOptions{}, false, opt.stderr, read)
	if err != nil {
		return err
	}
	sites, info, err := read(sample.Sites, data.ReadOptions{})
	if err != nil {
		return err
	}
	rep.layers, rep.meta.Sources = layers, nameSources(rep.meta.Sources, layers)
	warn(opt.stderr, info.Warnings)
	b, err := fs.ReadFile(sample.FS, sample.AccessList)
	if err != nil {
		return fmt.Errorf("embedded sample: %w", err)
	}
	access, err := analysis.ParseAccessList(sample.AccessList, b)
	if err != nil {
		return fmt.Errorf("embedded sample: %w", err)
	}
	res, err := analysis.Screen(ctx, sites, layers, analysis.DefaultRules(), analysis.ScreenOptions{NearM: 1000, Pieces: true, // screen's default --near
		By: []analysis.ClassBy{{Layer: sample.ClassLayer.Kind, Field: sample.ClassField}}, Access: access})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opt.out, 0o755); err != nil {
		return err
	}
	out := screenOptions{outputs: outputs{Lang: opt.lang, Pieces: filepath.Join(opt.out, demoPieces),
		CSV: filepath.Join(opt.out, demoCSV), JSON: filepath.Join(opt.out, demoJSON),
		HTML: filepath.Join(opt.out, demoHTML), XLSX: filepath.Join(opt.out, demoXLSX)}, stderr: opt.stderr}
	if err := writeScreenOutputs(ctx, res, rep, out); err != nil {
		return err
	}
	if err := report.WriteScreenTable(stdout, res, opt.lang); err != nil {
		return err
	}
	if opt.lang == report.EN {
		fmt.Fprintf(opt.stderr, "demo: illustrative data, not official; wrote %s, %s, %s, %s and %s in %s\n",
			demoPieces, demoCSV, demoJSON, demoHTML, demoXLSX, opt.out)
	} else {
		fmt.Fprintf(opt.stderr, "demo: 示意数据，非官方数据；报告 %s、%s、%s、%s、%s 已写入 %s\n",
			demoPieces, demoCSV, demoJSON, demoHTML, demoXLSX, opt.out)
	}
	return nil
}

// readSample reads a file of the embedded data set as a layer.
func readSample(name string, opt data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
	l, info, err := data.ReadLayer(sample.FS, name, opt)
	if err != nil {
		return nil, nil, fmt.Errorf("embedded sample: %w", err)
	}
	l.Name = name
	info.Path = name
	return l, info, nil
}
