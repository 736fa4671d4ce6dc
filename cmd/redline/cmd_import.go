package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

type importOptions struct {
	sources   []string
	db        string
	table     string
	kind      string
	zoneField string
	nameField string
	replace   bool
	partition string
	invalid   analysis.InvalidPolicy
	read      data.ReadOptions
	quiet     bool
	stderr    io.Writer
}

func importCommand() *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "import constraint layers into PostGIS (one transaction, GiST index, a row in redline_layers)",
		ArgsUsage: "SRC [SRC …]",
		Description: "Reads each SRC (any format and CRS, like every command), checks it (--repair / --skip-invalid as in\n" +
			"screen) and writes one table: fid bigint primary key (the feature's position; a second SRC's\n" +
			"features follow the first's), id, name, zone (normalised for --kind), props jsonb,\n" +
			"geom geometry(MultiPolygon,4490), with a GiST index, plus a row in the schema's redline_layers table.\n" +
			"A failed or interrupted import leaves the old table as it was.",
		Flags: append(readFlags(),
			&cli.StringFlag{Name: "db", Usage: "database URL: postgresql://user@host:port/db (libpq: PG* variables, .pgpass, sslmode, host=/socket/dir)"},
			&cli.StringFlag{Name: "table", Usage: "table to write: schema.table or table (or table= in --db)"},
			&cli.StringFlag{Name: "kind", Usage: "layer kind, for the zone column (reserve, water, …)"},
			&cli.StringFlag{Name: "zone-field", Usage: "property holding the zone (default: the kind's usual fields)"},
			&cli.StringFlag{Name: "name-field", Usage: "property holding the feature's name"},
			&cli.BoolFlag{Name: "replace", Usage: "replace the table if it exists (swapped at commit)"},
			&cli.StringFlag{Name: "partition-by", Usage: "property (e.g. the region code) whose values partition the table by list, one local partition each"},
			&cli.BoolFlag{Name: "skip-invalid", Usage: "leave invalid features out, and list them"},
			&cli.BoolFlag{Name: "repair", Usage: "repair invalid features (exact repairs; MakeValid with GEOS), and list what changed"},
			&cli.BoolFlag{Name: quietFlag, Aliases: []string{"q"}, Usage: "no progress bars on stderr"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usageErr("import takes one or more SRC files")
			}
			if c.String("db") == "" {
				return usageErr("import needs --db postgresql://…")
			}
			opt := importOptions{sources: c.Args().Slice(), db: c.String("db"), table: c.String("table"), kind: c.String("kind"),
				zoneField: c.String("zone-field"), nameField: c.String("name-field"), replace: c.Bool("replace"), partition: c.String("partition-by"),
				read: readOptions(c), quiet: c.Bool(quietFlag), stderr: c.App.ErrWriter}
			var err error
			if opt.invalid, err = invalidPolicy(c); err != nil {
				return err
			}
			return runImport(c.Context, opt, c.App.Writer)
		},
	}
}

func runImport(ctx context.Context, opt importOptions, stdout io.Writer) error {
	src, err := postgis.ParseURL(opt.db, opt.table == "")
	if err != nil {
		return usageErr("--db: %v", err)
	}
	if opt.table != "" {
		schema, table, ok := strings.Cut(opt.table, ".")
		if !ok {
			schema, table = "", opt.table
		}
		if src, err = src.WithTable(schema, table); err != nil {
			return usageErr("--table: %v", err)
		}
	}
	kind := opt.kind
	if kind == "" {
		kind = src.Table
	}
	prog := newProgress(opt.stderr, opt.quiet)
	var rows []postgis.ImportRow
	var sums, crss []string
	offset := 0
	for _, path := range opt.sources {
		l, info, err := readLayerProgress(path, opt.read, prog)
		if err != nil {
			return err
		}
		warn(opt.stderr, info.Warnings)
		feats, err := importFeatures(l, path, offset, opt.invalid, opt.stderr)
		if err != nil {
			return err
		}
		fl := &geo.Layer{Name: path}
		for _, f := range feats {
			fl.Add(f)
		}
		c, err := analysis.NewConstraint(fl, analysis.LayerConfig{Kind: kind, ZoneField: opt.zoneField, NameField: opt.nameField})
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		warn(opt.stderr, c.Warnings)
		for i := range fl.Features {
			rows = append(rows, postgis.ImportRow{Feature: &fl.Features[i], Name: c.Names[i], Zone: c.Zones[i]})
		}
		offset += l.Len() + info.Skipped
		sum, err := fileSHA256(path)
		if err != nil {
			return err
		}
		sums, crss = append(sums, sum), append(crss, info.CRS.String())
	}
	spec := postgis.ImportSpec{Dest: src, Replace: opt.replace, PartitionBy: opt.partition, Kind: opt.kind, ZoneField: opt.zoneField,
		Source: strings.Join(baseNames(opt.sources), ", "), CRS: strings.Join(crss, ", "), SHA256: strings.Join(sums, ", "), Version: version}
	pool, err := openDB(ctx, src)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgis.Import(ctx, pool, spec, rows); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d features into %s\n", len(rows), src)
	return nil
}

// importFeatures checks each feature (polygons only, valid unless the
// policy skips or repairs it) on all cores and numbers it from offset.
func importFeatures(l *geo.Layer, path string, offset int, policy analysis.InvalidPolicy, stderr io.Writer) ([]geo.Feature, error) {
	res := make([]importCheck, l.Len())
	if err := par.For(context.Background(), l.Len(), 0, func(_, i int) error {
		res[i] = checkImport(l.Features[i], path, policy)
		return res[i].err
	}); err != nil {
		return nil, err
	}
	out := make([]geo.Feature, 0, l.Len())
	for _, r := range res {
		if r.err != nil {
			return nil, r.err
		}
		if r.note != "" {
			fmt.Fprintf(stderr, "warning: %s\n", r.note)
		}
		if r.skip {
			continue
		}
		r.f.Index += offset
		out = append(out, r.f)
	}
	return out, nil
}

// importCheck is one feature after the invalid-feature policy.
type importCheck struct {
	f    geo.Feature
	skip bool
	note string // what was done, for stderr
	err  error
}

func checkImport(f geo.Feature, path string, policy analysis.InvalidPolicy) (c importCheck) {
	c.f = f
	if !geo.IsPolygonal(f.Geom) {
		c.err = fmt.Errorf("%s: %s is a %s: constraint tables hold polygons only", path, f.Label(), f.Geom.GeoJSONType())
		return c
	}
	ps := geo.Validate(f.Geom)
	if ps == nil {
		return c
	}
	switch policy {
	case analysis.InvalidSkip:
		c.skip, c.note = true, fmt.Sprintf("%s: %s is invalid (%s): skipped", path, f.Label(), ps[0])
	case analysis.InvalidRepair:
		g, did, err := geo.Repair(f.Geom)
		if err != nil {
			c.err = fmt.Errorf("%s: %s is invalid (%s) and cannot be repaired: %w", path, f.Label(), ps[0], err)
			return c
		}
		nf, err := geo.NewFeature(f.Index, f.ID, f.Props, g)
		if err != nil {
			c.err = fmt.Errorf("%s: %s: repaired geometry: %w", path, f.Label(), err)
			return c
		}
		c.f, c.note = nf, fmt.Sprintf("%s: %s is invalid (%s): %s", path, f.Label(), ps[0], strings.Join(did, "; "))
	default:
		c.err = fmt.Errorf("%s: %s is invalid: %s (use --repair or --skip-invalid, or fix it with 'redline validate --repair')", path, f.Label(), ps[0])
	}
	return c
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}
