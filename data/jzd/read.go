package jzd

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/redline-gis/redline/geo"
)

// Format is Source.Format for the 界址点坐标 TXT exchange format.
const Format = "界址点坐标 TXT"

// Limits for the 界址点坐标 TXT reader, against hostile input.
const (
	maxBytes  = 256 << 20  // whole file
	maxPoints = 10_000_000 // point lines in the whole file
	maxRings  = 1_000      // rings in one plot (bounds the work of one plot)
)

// headerFields are the plot header fields of the exchange format, in order.
var headerFields = []string{"界址点数", "地块面积", "地块编号", "地块名称", "记录图形属性", "图幅号", "地块用途", "地类编码"}

// headerFields13 names fields 9–13 of the newer 13-field plot header.
var headerFields13 = []string{"图斑类型", "地类", "改造前质量等别", "改造后质量等别", "备注"}

// Read reads a 勘测定界界址点坐标交换格式 TXT file (the "报部格式" of land
// approvals): a [属性描述] header of key=value lines and a [地块坐标] section
// with one header line per plot followed by its "点号,圈号,X,Y" point lines,
// X being the northing and Y the easting.
//
// Each plot becomes one Record whose geometry is in the file's Gauss–Krüger
// CRS with x = easting and y = northing (the columns are swapped). Rings are
// grouped by 圈号 and nesting decides (geo.ByNesting): a ring inside an even
// number of rings is the outer ring of a part, else a hole of the smallest
// ring containing it; several parts make a MultiPolygon.
// Outer rings are counter-clockwise, holes clockwise, all rings closed.
// 记录图形属性 线 / 点 give LineString / Point geometries (Multi* when there
// are several 圈号).
//
// The text may be UTF-8 (with or without BOM) or GB18030/GBK, with CRLF, LF or
// CR line ends. Tolerated irregularities (missing keys, unclosed rings, a
// missing trailing "@", ...) are reported in Source.Warnings; name is used in
// messages only.
func Read(r io.Reader, name string) (*geo.Source, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	if len(raw) > maxBytes {
		return nil, fmt.Errorf("data: %s: file larger than %d bytes", name, maxBytes)
	}
	text, err := decodeText(raw)
	if err != nil {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	p := &parser{name: name, src: &geo.Source{Format: Format}, header: map[string]key{}}
	if w := mixedEncodings(raw); w != "" {
		p.warnf(0, "%s", w)
	}
	if err := p.parse(text); err != nil {
		return nil, err
	}
	return p.src, nil
}

// decodeText returns the file as UTF-8: UTF-8 if valid (BOM removed),
// else decoded from GB18030 (a superset of GBK and GB2312).
func decodeText(raw []byte) (string, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil {
		return "", fmt.Errorf("text is neither UTF-8 nor GB18030: %w", err)
	}
	return string(out), nil
}

// mixedEncodings says which lines are UTF-8 in a file that is not (and so
// is read as GB18030, which garbles them); "" when the file is one or the
// other.
func mixedEncodings(raw []byte) string {
	if utf8.Valid(raw) {
		return ""
	}
	var utf8Lines []int
	n := 0
	for i, line := range bytes.Split(raw, []byte("\n")) {
		if utf8.Valid(line) && bytes.ContainsFunc(line, func(r rune) bool { return r >= 0x80 }) {
			n++
			if len(utf8Lines) < 5 {
				utf8Lines = append(utf8Lines, i+1)
			}
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("the text mixes encodings: %d lines (first %v) are UTF-8 in a file read as GB18030/GBK; their text is garbled: save the file in one encoding", n, utf8Lines)
}

// splitLines splits s at CRLF, LF and lone CR.
func splitLines(s string) []string {
	var lines []string
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	return lines
}

type key struct {
	value string
	line  int
}

// point is one point line.
type point struct {
	num   string // 点号
	ring  int    // 圈号
	north float64
	east  float64
	line  int
}

// plot is one plot as read, before building its geometry.
type plot struct {
	index  int // 0-based
	line   int // header line
	fields []string
	id     string
	points []point
}

type parser struct {
	name   string
	src    *geo.Source
	header map[string]key
	plots  []*plot
	npts   int
}

// where is "name: line N: " or "name: " when the line is unknown (0).
func (p *parser) where(line int) string {
	if line <= 0 {
		return p.name + ": "
	}
	return fmt.Sprintf("%s: line %d: ", p.name, line)
}

func (p *parser) warnf(line int, format string, args ...any) {
	p.src.Warnings = append(p.src.Warnings, geo.Warnf(format, args...).Prefixed(p.where(line)))
}

func (p *parser) plotWarnf(pl *plot, line int, format string, args ...any) {
	p.src.Warnings = append(p.src.Warnings, geo.Warnf(format, args...).Prefixed(p.where(line)+geo.Label("plot", pl.index, pl.id)+": "))
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("data: %s"+format, append([]any{p.where(line)}, args...)...)
}

func (p *parser) plotErrorf(pl *plot, line int, format string, args ...any) error {
	return fmt.Errorf("data: %s%s: "+format, append([]any{p.where(line), geo.Label("plot", pl.index, pl.id)}, args...)...)
}

// replacer maps full-width punctuation to ASCII and trims spaces.
var replacer = strings.NewReplacer("，", ",", "＝", "=", "【", "[", "】", "]", "＠", "@", "\u3000", " ", "\t", " ")

const (
	secNone = iota
	secHeader
	secPlots
)

func (p *parser) parse(text string) error {
	sec := secNone
	var cur *plot
	for i, raw := range splitLines(text) {
		ln := i + 1
		line := strings.TrimSpace(replacer.Replace(raw))
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			switch strings.TrimSpace(line[1 : len(line)-1]) {
			case "属性描述":
				sec = secHeader
			case "地块坐标":
				sec = secPlots
			default:
				p.warnf(ln, "unknown section %s ignored", line)
				sec = secNone
			}
			continue
		}
		switch sec {
		case secNone, secHeader:
			if k, v, ok := strings.Cut(line, "="); ok {
				if sec == secNone {
					p.warnf(ln, "key %q outside a [属性描述] section", strings.TrimSpace(k))
				}
				k = strings.TrimSpace(k)
				if old, dup := p.header[k]; dup {
					p.warnf(ln, "key %s repeated (first on line %d): using the last value", k, old.line)
				}
				p.header[k] = key{value: strings.TrimSpace(v), line: ln}
				continue
			}
			if sec == secHeader || !looksLikePlotHeader(line) {
				p.warnf(ln, "line ignored: %.40q", line)
				continue
			}
			p.warnf(ln, "plot header before a [地块坐标] section")
			sec = secPlots
		}
		fields := strings.Split(line, ",")
		for j := range fields {
			fields[j] = strings.TrimSpace(fields[j])
		}
		hasAt := fields[len(fields)-1] == "@"
		switch {
		case hasAt || len(fields) >= 6:
			if hasAt {
				fields = fields[:len(fields)-1]
			}
			cur = &plot{index: len(p.plots), line: ln, fields: fields}
			cur.id = plotID(cur)
			p.plots = append(p.plots, cur)
			if !hasAt {
				p.plotWarnf(cur, ln, "plot header has no trailing @")
			}
		case len(fields) == 4 || len(fields) == 5:
			if cur == nil {
				return p.errorf(ln, "point line before any plot header")
			}
			pt, err := parsePoint(fields)
			if err != nil {
				return p.plotErrorf(cur, ln, "%w", err)
			}
			if len(fields) == 5 && fields[4] != "" {
				p.plotWarnf(cur, ln, "extra field %q after X,Y ignored", fields[4])
			}
			pt.line = ln
			cur.points = append(cur.points, pt)
			if p.npts++; p.npts > maxPoints {
				return p.errorf(ln, "more than %d points", maxPoints)
			}
		default:
			if cur == nil {
				return p.errorf(ln, "expected a plot header or 点号,圈号,X,Y, got %.40q", line)
			}
			return p.plotErrorf(cur, ln, "expected 点号,圈号,X,Y, got %.40q", line)
		}
	}
	if len(p.plots) == 0 {
		return fmt.Errorf("data: %s: no plots (no [地块坐标] records)", p.name)
	}
	return p.build()
}

// looksLikePlotHeader reports whether a line outside the [地块坐标] section
// is a plot header: "n,area,...,@".
func looksLikePlotHeader(line string) bool {
	f := strings.Split(line, ",")
	if len(f) < 6 {
		return false
	}
	_, err := strconv.Atoi(strings.TrimSpace(f[0]))
	return err == nil
}

// plotID is 地块编号, else 地块名称, else the 1-based ordinal.
func plotID(pl *plot) string {
	for _, i := range []int{2, 3} {
		if i < len(pl.fields) && pl.fields[i] != "" {
			return pl.fields[i]
		}
	}
	return strconv.Itoa(pl.index + 1)
}

func parsePoint(f []string) (point, error) {
	var pt point
	pt.num = f[0]
	ring, err := strconv.Atoi(f[1])
	if err != nil {
		return pt, fmt.Errorf("bad 圈号 %q", f[1])
	}
	pt.ring = ring
	if pt.north, err = parseCoord(f[2]); err != nil {
		return pt, fmt.Errorf("point %s: bad X (northing) %q", f[0], f[2])
	}
	if pt.east, err = parseCoord(f[3]); err != nil {
		return pt, fmt.Errorf("point %s: bad Y (easting) %q", f[0], f[3])
	}
	return pt, nil
}

// parseCoord parses a finite coordinate of at most 1e9 in magnitude.
func parseCoord(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	if v != v || v > 1e9 || v < -1e9 {
		return 0, fmt.Errorf("out of range")
	}
	return v, nil
}

// build turns the plots into records, after settling the CRS.
func (p *parser) build() error {
	if err := p.swapCheck(); err != nil {
		return err
	}
	if err := p.crs(); err != nil {
		return err
	}
	fields := append([]string(nil), headerFields...)
	for _, pl := range p.plots {
		for len(fields) < len(pl.fields) {
			fields = append(fields, extraFieldName(len(fields), len(pl.fields)))
		}
	}
	p.src.Fields = fields
	for _, pl := range p.plots {
		props, err := p.props(pl)
		if err != nil {
			return err
		}
		g, err := p.geometry(pl)
		if err != nil {
			return err
		}
		p.checkArea(pl, props, g)
		p.src.Records = append(p.src.Records, geo.Record{ID: pl.id, Props: props, Geom: g})
	}
	return nil
}

// extraFieldName names header field i (0-based) of a header with n fields.
func extraFieldName(i, n int) string {
	if n == 13 && i >= 8 {
		return headerFields13[i-8]
	}
	return "字段" + strconv.Itoa(i+1)
}

func (p *parser) props(pl *plot) (map[string]any, error) {
	props := make(map[string]any, len(pl.fields))
	for i, v := range pl.fields {
		key := extraFieldName(i, len(pl.fields))
		if i < len(headerFields) {
			key = headerFields[i]
		}
		switch i {
		case 0:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, p.plotErrorf(pl, pl.line, "bad 界址点数 %q", v)
			}
			props[key] = n
			if int(n) != len(pl.points) {
				p.plotWarnf(pl, pl.line, "界址点数 is %d but the plot has %d points", n, len(pl.points))
			}
		case 1:
			if v == "" {
				props[key] = nil
				p.plotWarnf(pl, pl.line, "地块面积 is empty")
				continue
			}
			a, err := strconv.ParseFloat(v, 64)
			if err != nil || a != a {
				return nil, p.plotErrorf(pl, pl.line, "bad 地块面积 %q", v)
			}
			props[key] = a
		default:
			props[key] = v
		}
	}
	for i := len(pl.fields); i < len(headerFields); i++ {
		props[headerFields[i]] = ""
	}
	if len(pl.fields) < len(headerFields) {
		p.plotWarnf(pl, pl.line, "plot header has %d fields, expected %d", len(pl.fields), len(headerFields))
	}
	return props, nil
}

// geometry builds the plot's geometry from its rings.
func (p *parser) geometry(pl *plot) (orb.Geometry, error) {
	if len(pl.points) == 0 {
		return nil, p.plotErrorf(pl, pl.line, "no points")
	}
	kind := ""
	if len(pl.fields) > 4 {
		kind = pl.fields[4]
	}
	switch kind {
	case "点", "point", "Point":
		return p.pointGeometry(pl), nil
	case "线", "line", "Line":
		return p.lineGeometry(pl)
	case "面", "polygon", "Polygon":
	case "":
		p.plotWarnf(pl, pl.line, "记录图形属性 is empty: read as 面 (polygon)")
	default:
		p.plotWarnf(pl, pl.line, "记录图形属性 %q unknown: read as 面 (polygon)", kind)
	}
	return p.polygonGeometry(pl)
}

// groups splits the plot's points into runs of the same 圈号.
func groups(pts []point) [][]point {
	var out [][]point
	start := 0
	for i := 1; i <= len(pts); i++ {
		if i == len(pts) || pts[i].ring != pts[start].ring {
			out = append(out, pts[start:i])
			start = i
		}
	}
	return out
}

func (p *parser) pointGeometry(pl *plot) orb.Geometry {
	if len(pl.points) == 1 {
		return orb.Point{pl.points[0].east, pl.points[0].north}
	}
	mp := make(orb.MultiPoint, len(pl.points))
	for i, pt := range pl.points {
		mp[i] = orb.Point{pt.east, pt.north}
	}
	return mp
}

func (p *parser) lineGeometry(pl *plot) (orb.Geometry, error) {
	var mls orb.MultiLineString
	for _, g := range groups(pl.points) {
		ls := make(orb.LineString, 0, len(g))
		for _, pt := range g {
			q := orb.Point{pt.east, pt.north}
			if len(ls) > 0 && ls[len(ls)-1] == q {
				continue
			}
			ls = append(ls, q)
		}
		if len(ls) < 2 {
			return nil, p.plotErrorf(pl, g[0].line, "line 圈号 %d has fewer than 2 distinct points", g[0].ring)
		}
		mls = append(mls, ls)
	}
	if len(mls) == 1 {
		return mls[0], nil
	}
	return mls, nil
}

// checkArea warns when 地块面积 disagrees with the plot's coordinates by
// more than 1 %, read as m² (as survey software writes it) and as 公顷
// (as the exchange format specifies) alike. The plane area is the one in
// the file's own projected CRS; lon/lat plots are not checked.
func (p *parser) checkArea(pl *plot, props map[string]any, g orb.Geometry) {
	given, ok := props["地块面积"].(float64)
	if !ok || given <= 0 || p.src.CRS.IsLonLat() || !geo.IsPolygonal(g) {
		return
	}
	got := planeArea(g)
	for _, unit := range []float64{1, 1e4} {
		if math.Abs(given*unit-got) <= 0.01*got {
			return
		}
	}
	p.plotWarnf(pl, pl.line, "地块面积 is %g but the coordinates enclose %.2f m² (%.4f 公顷): more than 1 %% apart; check the plot", given, got, got/1e4)
}

// planeArea is the planar area of g's polygons in the file's units.
func planeArea(g orb.Geometry) float64 {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	a := 0.0
	for _, poly := range polys {
		for k, r := range poly {
			if k == 0 {
				a += math.Abs(geo.RingSignedArea(r))
			} else {
				a -= math.Abs(geo.RingSignedArea(r))
			}
		}
	}
	return a
}
