package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

// outcome is a finished execution: the result and what its reports need.
type outcome struct {
	process  string
	screen   *analysis.ScreenResult
	share    report.Share
	diff     *analysis.DiffResult
	old, new *geo.Layer // diff: the versions (the HTML report's maps)
	cat      *Catalog   // the layers it was computed on (the HTML report's maps)
	meta     report.Meta
	lang     report.Lang
	findings int // sites at or above fail_on
	warnings []string
}

// readUpload reads the layer of a file input, as the CLI reads a file.
func (s *Server) readUpload(req *execRequest, input string) (*geo.Layer, *data.LayerInfo, error) {
	u := req.uploads[input]
	name := u.name
	ro := s.cfg.Read
	if req.crs != "" {
		ro.CRS = req.crs
	}
	if req.idField != "" {
		ro.IDField = req.idField
	}
	l, info, err := data.ReadLayer(u.files, name, ro)
	if err != nil {
		return nil, nil, err
	}
	if l.Len() > s.cfg.MaxSites {
		return nil, nil, statusErr(http.StatusRequestEntityTooLarge, "%s: %d features, more than the limit of %d (--max-sites)",
			name, l.Len(), s.cfg.MaxSites)
	}
	if l.Len() == 0 {
		return nil, nil, fmt.Errorf("%s: no features with a geometry", name)
	}
	l.Name = name
	return l, info, nil
}

// run executes req on the catalog c. pieces asks for the overlap pieces
// (the HTML report and the GeoJSON result need them).
func (s *Server) run(ctx context.Context, c *Catalog, req *execRequest, pieces bool, progress func(done, total int)) (*outcome, error) {
	o := &outcome{process: req.process, cat: c, lang: req.lang,
		meta: report.Meta{Generated: time.Now(), Version: s.cfg.Version, NearM: req.nearM, Note: c.Note}}
	switch req.process {
	case "screen":
		return o, s.runScreen(ctx, c, req, pieces, progress, o)
	case "share":
		return o, s.runShare(ctx, c, req, o)
	case "diff":
		// Only uploads are compared: no loaded layer, so no demo note in the report.
		o.meta.NearM, o.meta.Note = 0, ""
		return o, s.runDiff(ctx, req, o)
	}
	return nil, statusErr(http.StatusNotFound, "no process %q", req.process)
}

func (s *Server) runScreen(ctx context.Context, c *Catalog, req *execRequest, pieces bool, progress func(done, total int), o *outcome) error {
	sites, info, err := s.readUpload(req, "sites")
	if err != nil {
		return err
	}
	o.warnings = append(o.warnings, geo.WarningMessages(info.Warnings)...)
	o.meta.Sources = append(append(o.meta.Sources, c.Sources...), source("sites", req.uploads["sites"].name, sites, info))
	sopt := analysis.ScreenOptions{Type: req.typ, NearM: req.nearM, Invalid: req.invalid, Pieces: pieces, Progress: progress,
		By: c.By, Access: c.Access}
	var res *analysis.ScreenResult
	if c.pushdown() {
		res, o.cat, err = s.screenPushdown(ctx, c, sites, sopt)
	} else {
		res, err = analysis.Screen(ctx, sites, c.Layers, c.Rules, sopt)
	}
	if err != nil {
		return err
	}
	o.screen = res
	if req.failOn > 0 {
		for _, st := range res.Sites {
			if st.Verdict >= req.failOn {
				o.findings++
			}
		}
	}
	return nil
}

func (s *Server) runShare(ctx context.Context, c *Catalog, req *execRequest, o *outcome) error {
	regions, info, err := s.readUpload(req, "regions")
	if err != nil {
		return err
	}
	o.warnings = append(o.warnings, geo.WarningMessages(info.Warnings)...)
	o.meta.Sources = append(o.meta.Sources, source("regions", req.uploads["regions"].name, regions, info))
	var target *analysis.Target
	if req.target != "" {
		t, err := analysis.ParseTarget(req.target)
		if err != nil {
			return fmt.Errorf("input target: %w", err)
		}
		target = &t
	}
	names := req.layers
	if len(names) == 0 {
		for _, l := range c.Layers {
			names = append(names, l.Name)
		}
	}
	ropt := analysis.RegionOptions{NameField: req.regionField, NoGaps: req.whole}
	rg, err := analysis.NewRegions(ctx, regions, ropt)
	if err != nil {
		return fmt.Errorf("%s: %w", req.uploads["regions"].name, err)
	}
	for _, name := range names {
		l := c.layer(name)
		if l == nil {
			return fmt.Errorf("input layers: no layer %q (GET /collections lists them)", name)
		}
		if c.table(l) != nil {
			return statusErr(http.StatusUnprocessableEntity, "layer %s stays in PostGIS (pushdown): share measures a whole layer, "+
				"so the service does not run it on this layer; run `redline share` against the table, or serve it with mode=load", name)
		}
		opt := analysis.ShareOptions{Regions: ropt, Whole: req.whole}
		if target != nil && (target.Layer == "" || target.Layer == name) {
			opt.Target = *target
		}
		named := *l.Layer // the result names the layer as the catalog does
		named.Name = name
		res, err := rg.Share(ctx, &named, opt)
		if err != nil {
			return fmt.Errorf("layer %s: %w", name, err)
		}
		o.share.Results = append(o.share.Results, res)
		for i := range c.Layers {
			if c.Layers[i] == l && i < len(c.Sources) {
				o.meta.Sources = append(o.meta.Sources, c.Sources[i])
			}
		}
		o.findings += len(res.Missed())
	}
	return nil
}

// runDiff compares the uploaded OLD and NEW as `redline diff` does; it
// uses no loaded layer. With no_loss, the places where the area falls are
// the findings (the CLI's exit 3).
func (s *Server) runDiff(ctx context.Context, req *execRequest, o *outcome) error {
	read := func(input, role string) (*geo.Layer, *data.LayerInfo, error) {
		l, info, err := s.readUpload(req, input)
		if err != nil {
			return nil, nil, err
		}
		o.warnings = append(o.warnings, geo.WarningMessages(info.Warnings)...)
		o.meta.Sources = append(o.meta.Sources, source(role, req.uploads[input].name, l, info))
		return l, info, nil
	}
	old, oldInfo, err := read("old", "OLD")
	if err != nil {
		return err
	}
	new, newInfo, err := read("new", "NEW")
	if err != nil {
		return err
	}
	if oc, nc := oldInfo.CRS.String(), newInfo.CRS.String(); oc != nc {
		o.warnings = append(o.warnings, fmt.Sprintf("OLD %s is in %s, NEW %s in %s: both converted to CGCS2000 lon/lat", old.Name, oc, new.Name, nc))
	}
	dopt := analysis.DiffOptions{MinAreaM2: req.minAreaM2, Invalid: req.invalid, ByField: req.by}
	if req.uploads["regions"] != nil {
		regions, _, err := read("regions", "regions")
		if err != nil {
			return err
		}
		if dopt.Regions, err = analysis.NewRegions(ctx, regions, analysis.RegionOptions{NameField: req.regionField}); err != nil {
			return fmt.Errorf("%s: %w", regions.Name, err)
		}
	}
	if req.uploads["landuse"] != nil {
		if dopt.Landuse, _, err = read("landuse", "landuse"); err != nil {
			return err
		}
	}
	res, err := analysis.Diff(ctx, old, new, dopt)
	if err != nil {
		return err
	}
	res.Old.CRS, res.New.CRS = o.meta.Sources[0].CRS, o.meta.Sources[1].CRS
	o.diff, o.old, o.new = res, old, new
	if req.noLoss {
		o.findings = len(res.Losses(req.perRegion))
	}
	return nil
}

func source(role, name string, l *geo.Layer, info *data.LayerInfo) report.Source {
	crs := info.CRS.String()
	if info.CRSFrom != "" {
		crs += " (" + info.CRSFrom + ")"
	}
	return report.Source{Role: role, Path: name, Format: info.Format, CRS: crs, Features: l.Len()}
}

// errQueueFull is answered 503 with Retry-After.
var errQueueFull = &httpError{status: http.StatusServiceUnavailable, retryAfter: 2,
	err: errors.New("the work queue is full (--queue): try again shortly")}

// enqueue takes a place in the queue, or fails at once when it is full.
func (s *Server) enqueue() error {
	if n := s.waiting.Add(1); n > int64(s.cfg.Queue) {
		s.waiting.Add(-1)
		return errQueueFull
	}
	s.m.queue.Set(float64(s.waiting.Load()))
	return nil
}

// work waits (holding a queue place from enqueue) for a worker slot and
// runs fn in it.
func (s *Server) work(ctx context.Context, fn func() error) error {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		s.waiting.Add(-1)
		s.m.queue.Set(float64(s.waiting.Load()))
		return ctx.Err()
	}
	s.waiting.Add(-1)
	s.m.queue.Set(float64(s.waiting.Load()))
	defer func() { <-s.slots }()
	return fn()
}
