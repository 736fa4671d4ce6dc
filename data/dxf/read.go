package dxf

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/redline-gis/redline/geo"
)

// Format is geo.Source.Format for DXF drawings.
const Format = "DXF"

// Options control Read. The zero value reads every layer, expands blocks
// and reads circles as lines.
type Options struct {
	// Layers keeps only entities on these layers (case-insensitive, as in
	// AutoCAD); empty keeps all. A name no entity or layer table has is an
	// error that lists the layers.
	Layers []string
	// NoBlocks leaves INSERTs unexpanded (they are skipped).
	NoBlocks bool
	// CloseCircles reads CIRCLEs as closed rings (polygons) instead of lines.
	CloseCircles bool
	// ArcToleranceM is the largest distance in metres between a densified arc
	// and the true arc (default 0.01), converted to drawing units by
	// $INSUNITS (unitless drawings are taken as metres).
	ArcToleranceM float64
	// MaxVertices caps the vertices of the whole drawing after densification
	// and block expansion (default 100 million).
	MaxVertices int
	// MaxBytes caps the input size (default 2 GiB).
	MaxBytes int64
}

// Fields are the properties of every record, in this order.
var Fields = []string{"layer", "entity", "color", "linetype", "name"}

// maxBlockDepth is how deep INSERTs nest before expansion stops with a
// warning (blocks that insert each other).
const maxBlockDepth = 16

// drawing is what the parse pass collects.
type drawing struct {
	acadver, codepage string
	insunits          int
	layers            []layerDef
	blocks            map[string]*block
	entities          []*entity
	skipped           map[string]int // entity kinds not drawn
	allUTF8, allGB    bool
	dec               textDecoder
}

type layerDef struct {
	name, linetype string
	color          int
}

type block struct {
	base     [2]float64
	entities []*entity
}

// Read reads an ASCII DXF drawing. name is used in messages only.
func Read(r io.Reader, name string, opt Options) (*geo.Source, error) {
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = 2 << 30
	}
	if opt.MaxVertices <= 0 {
		opt.MaxVertices = 100_000_000
	}
	if opt.ArcToleranceM <= 0 {
		opt.ArcToleranceM = 0.01
	}
	tr, err := newTagReader(r, opt.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("dxf: %s: %w", name, err)
	}
	d := &drawing{blocks: map[string]*block{}, skipped: map[string]int{}, allUTF8: true, allGB: true}
	if err := d.parse(tr); err != nil {
		return nil, fmt.Errorf("dxf: %s: %w", name, err)
	}
	src, err := d.build(opt)
	if err != nil {
		return nil, fmt.Errorf("dxf: %s: %w", name, err)
	}
	return src, nil
}

// noteText records whether a raw string fits UTF-8 and GB18030, for the
// choice of decoder.
func (d *drawing) noteText(s string) {
	if isASCII(s) {
		return
	}
	if d.allUTF8 && !utf8.ValidString(s) {
		d.allUTF8 = false
	}
	if d.allGB {
		out, err := simplifiedchinese.GB18030.NewDecoder().String(s)
		if err != nil || strings.ContainsRune(out, utf8.RuneError) {
			d.allGB = false
		}
	}
}

// nextEntity reads "0 KIND" and the tags up to the next "0". It returns
// io.EOF at the end of input.
func nextEntity(tr *tagReader, buf []tag) (string, int, []tag, error) {
	tr.reset()
	tg, err := tr.next()
	if err != nil {
		return "", 0, nil, err
	}
	for tg.code == 999 { // comments
		if tg, err = tr.next(); err != nil {
			return "", 0, nil, err
		}
	}
	if tg.code != 0 {
		return "", 0, nil, fmt.Errorf("line %d: want group code 0 (an entity), got %d", tr.line-1, tg.code)
	}
	kind := strings.ToUpper(strings.TrimSpace(string(tg.val)))
	line := tr.line - 1
	if kind == "EOF" {
		return kind, line, nil, nil // anything after EOF is not read
	}
	buf = buf[:0]
	for {
		tg, err := tr.next()
		if err == io.EOF {
			return kind, line, buf, nil
		}
		if err != nil {
			return "", 0, nil, err
		}
		if tg.code == 0 {
			tr.unread(tg)
			return kind, line, buf, nil
		}
		buf = append(buf, tg)
	}
}

func (d *drawing) parse(tr *tagReader) error {
	var buf []tag
	section := "ENTITIES" // entities before any SECTION (entities-only files)
	var cur *block        // the BLOCK being read
	var poly *entity      // the POLYLINE or INSERT collecting VERTEX/ATTRIB
	seenEOF := false
	target := func() *[]*entity {
		if cur != nil {
			return &cur.entities
		}
		return &d.entities
	}
	for !seenEOF {
		kind, line, tags, err := nextEntity(tr, buf)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		buf = tags
		switch kind {
		case "EOF":
			seenEOF = true
			continue
		case "SECTION":
			section = ""
			if len(tags) > 0 && tags[0].code == 2 {
				section = strings.ToUpper(strings.TrimSpace(string(tags[0].val)))
			}
			if section == "HEADER" {
				d.header(tags)
			}
			poly, cur = nil, nil
			continue
		case "ENDSEC":
			section = "ENTITIES"
			poly, cur = nil, nil
			continue
		}
		switch section {
		case "HEADER":
			d.header(tags) // "0" tags inside HEADER are not expected; be lenient
		case "TABLES":
			if kind == "LAYER" {
				var ld layerDef
				ld.color = 7
				for _, tg := range tags {
					switch tg.code {
					case 2:
						ld.name = string(tg.val)
					case 6:
						ld.linetype = string(tg.val)
					case 62:
						if c, err := tg.int(); err == nil {
							ld.color = c
						}
					}
				}
				d.noteText(ld.name)
				d.noteText(ld.linetype)
				d.layers = append(d.layers, ld)
			}
		case "BLOCKS", "ENTITIES":
			switch kind {
			case "BLOCK":
				e, err := parseEntity(kind, line, tags)
				if err != nil {
					return fmt.Errorf("line %d: BLOCK: %w", line, err)
				}
				cur = &block{}
				if len(e.pts) > 0 {
					cur.base = e.pts[0]
				}
				d.noteText(e.block)
				d.blocks[strings.ToUpper(e.block)] = cur
				poly = nil
				continue
			case "ENDBLK":
				cur, poly = nil, nil
				continue
			case "SEQEND":
				poly = nil
				continue
			}
			e, err := parseEntity(kind, line, tags)
			if err != nil {
				return fmt.Errorf("line %d: %s%s: %w", line, kind, handleNote(tags), err)
			}
			d.noteText(e.layer)
			d.noteText(e.linetype)
			d.noteText(e.text)
			d.noteText(e.block)
			switch {
			case kind == "VERTEX" && poly != nil && poly.kind == "POLYLINE":
				if !e.closed { // spline frame control points are not on the curve
					poly.pts = append(poly.pts, e.pts[0])
					poly.bulges = append(poly.bulges, e.bulges[0])
				}
				continue
			case kind == "ATTRIB" && poly != nil && poly.kind == "INSERT":
				poly.attribs = append(poly.attribs, e)
				continue
			}
			poly = nil
			if kind == "POLYLINE" || kind == "INSERT" {
				poly = e
			}
			*target() = append(*target(), e)
		}
	}
	return nil
}

func handleNote(tags []tag) string {
	for _, tg := range tags {
		if tg.code == 5 {
			return " (handle " + string(tg.val) + ")"
		}
	}
	return ""
}

func (d *drawing) header(tags []tag) {
	for i := 0; i+1 < len(tags); i++ {
		if tags[i].code != 9 {
			continue
		}
		v := tags[i+1]
		switch strings.ToUpper(string(tags[i].val)) {
		case "$ACADVER":
			d.acadver = string(v.val)
		case "$DWGCODEPAGE":
			d.codepage = string(v.val)
		case "$INSUNITS":
			if n, err := v.int(); err == nil {
				d.insunits = n
			}
		}
	}
}

// unitsPerMetre returns drawing units per metre by $INSUNITS (1 when
// unitless or unknown).
func unitsPerMetre(insunits int) float64 {
	switch insunits {
	case 1:
		return 1 / 0.0254
	case 2:
		return 1 / 0.3048
	case 3:
		return 1 / 1609.344
	case 4:
		return 1000
	case 5:
		return 100
	case 7:
		return 0.001
	case 14:
		return 10
	case 15:
		return 0.1
	}
	return 1
}

// layerList returns the drawing's layer names (table first, then any only
// entities use), sorted.
func (d *drawing) layerList() []string {
	seen := map[string]bool{}
	var out []string
	add := func(raw string) {
		n := d.dec.decode(raw)
		if n == "" || seen[strings.ToUpper(n)] {
			return
		}
		seen[strings.ToUpper(n)] = true
		out = append(out, n)
	}
	for _, l := range d.layers {
		add(l.name)
	}
	for _, e := range d.entities {
		add(e.layer)
	}
	for _, b := range d.blocks {
		for _, e := range b.entities {
			add(e.layer)
		}
	}
	sort.Strings(out)
	return out
}
