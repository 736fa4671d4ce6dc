package coords

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/redline-gis/redline/geo"
)

// Formats for geo.Source.Format.
const (
	FormatCSV  = "坐标表 CSV"
	FormatXLSX = "坐标表 XLSX"
)

// Limits against hostile input.
const (
	maxBytes  = 256 << 20
	maxRows   = 10_000_000
	maxRings  = 10_000 // per plot
	maxFields = 1_000
)

// Options control the readers. The zero value reads the first sheet.
type Options struct {
	// Sheet names the xlsx worksheet (default: the first).
	Sheet string
}

// ReadCSV reads a CSV (or tab/semicolon-separated) coordinate table, UTF-8
// (with or without BOM) or GBK/GB18030. name is used in messages only.
func ReadCSV(r io.Reader, name string) (*geo.Source, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("coords: %s: %w", name, err)
	}
	if len(raw) > maxBytes {
		return nil, fmt.Errorf("coords: %s: larger than %d bytes", name, maxBytes)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(raw) {
		if raw, err = simplifiedchinese.GB18030.NewDecoder().Bytes(raw); err != nil {
			return nil, fmt.Errorf("coords: %s: text is neither UTF-8 nor GBK: %w", name, err)
		}
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comma = delimiter(raw)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = true
	var rows [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("coords: %s: %w", name, err)
		}
		if len(rows) >= maxRows {
			return nil, fmt.Errorf("coords: %s: more than %d rows", name, maxRows)
		}
		rows = append(rows, rec)
	}
	src, err := fromRows(rows, FormatCSV, "line")
	if err != nil {
		return nil, fmt.Errorf("coords: %s: %w", name, err)
	}
	return src, nil
}

// delimiter picks ',', '\t' or ';' by their count in the first line.
func delimiter(b []byte) rune {
	line := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	}
	best, n := ',', bytes.Count(line, []byte(","))
	for _, d := range []rune{'\t', ';', '，'} {
		if c := bytes.Count(line, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

// ReadXLSX reads a coordinate table from an Excel workbook (opt.Sheet or
// the first sheet), taking cell values as stored, not as displayed.
func ReadXLSX(r io.Reader, name string, opt Options) (*geo.Source, error) {
	f, err := excelize.OpenReader(io.LimitReader(r, maxBytes))
	if err != nil {
		return nil, fmt.Errorf("coords: %s: not an xlsx workbook: %w", name, err)
	}
	defer f.Close()
	sheet := opt.Sheet
	if sheet == "" {
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("coords: %s: no worksheet", name)
		}
		sheet = sheets[0]
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("coords: %s: sheet %q: %w", name, sheet, err)
	}
	src, err := fromRows(rows, FormatXLSX, "row")
	if err != nil {
		return nil, fmt.Errorf("coords: %s: sheet %q: %w", name, sheet, err)
	}
	return src, nil
}

// point is one row's coordinate (x east or lon, y north or lat).
type point struct {
	row  int // 1-based row (line) number
	num  string
	ring string
	p    orb.Point
}

type plot struct {
	id     string
	row    int
	props  map[string]any
	points []point
	wkt    orb.Geometry
}

// fromRows turns table rows into a Source: the first row with coordinate
// columns is the header.
func fromRows(rows [][]string, format, unit string) (*geo.Source, error) {
	h := -1
	var roles []role
	for i, r := range rows {
		if rs, ok := columns(r); ok {
			h, roles = i, rs
			break
		}
		if i >= 20 {
			break
		}
	}
	if h < 0 {
		return nil, fmt.Errorf("no header row with coordinate columns (X and Y, 经度 and 纬度, or WKT) in the first %d rows", min(len(rows), 21))
	}
	header := rows[h]
	if len(header) > maxFields {
		return nil, fmt.Errorf("%d columns, more than %d", len(header), maxFields)
	}
	col := map[role]int{}
	src := &geo.Source{Format: format}
	for i, r := range roles {
		if r == roleProp {
			if name := strings.TrimSpace(header[i]); name != "" {
				src.Fields = append(src.Fields, name)
			}
			continue
		}
		col[r] = i
		if r == rolePlot {
			src.Fields = append([]string{strings.TrimSpace(header[i])}, src.Fields...)
		}
	}
	_, hasX := col[roleX]
	_, hasLon := col[roleLon]
	_, hasWKT := col[roleWKT]
	cell := func(r []string, ro role) string {
		if i, ok := col[ro]; ok && i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	var plots []*plot
	byID := map[string]*plot{}
	for i := h + 1; i < len(rows); i++ {
		r := rows[i]
		line := i + 1
		if blank(r) {
			continue
		}
		id := cell(r, rolePlot)
		pl := byID[id]
		if pl == nil {
			pl = &plot{id: id, row: line, props: map[string]any{}}
			for k, ro := range roles {
				if ro == roleProp && k < len(r) && strings.TrimSpace(header[k]) != "" {
					pl.props[strings.TrimSpace(header[k])] = value(r[k])
				} else if ro == roleProp && strings.TrimSpace(header[k]) != "" {
					pl.props[strings.TrimSpace(header[k])] = nil
				}
			}
			if i, ok := col[rolePlot]; ok {
				pl.props[strings.TrimSpace(header[i])] = id
			}
			byID[id] = pl
			plots = append(plots, pl)
		}
		switch {
		case hasWKT && cell(r, roleWKT) != "":
			if pl.wkt != nil || len(pl.points) > 0 {
				return nil, fmt.Errorf("%s %d: plot %q has a second geometry", unit, line, id)
			}
			g, err := wkt.Unmarshal(cell(r, roleWKT))
			if err != nil {
				return nil, fmt.Errorf("%s %d: WKT: %w", unit, line, err)
			}
			pl.wkt = g
		case hasX || hasLon:
			p, err := rowPoint(r, cell, hasLon)
			if err != nil {
				return nil, fmt.Errorf("%s %d: %w", unit, line, err)
			}
			if pl.wkt != nil {
				return nil, fmt.Errorf("%s %d: plot %q has both WKT and points", unit, line, id)
			}
			pl.points = append(pl.points, point{row: line, num: cell(r, rolePoint), ring: cell(r, roleRing), p: p})
		default:
			return nil, fmt.Errorf("%s %d: no coordinates", unit, line)
		}
	}
	if hasX {
		swapIfEastNorth(plots, src)
	}
	for _, pl := range plots {
		rec, err := buildPlot(pl, src, unit)
		if err != nil {
			return nil, err
		}
		src.Records = append(src.Records, rec)
	}
	return src, nil
}

func blank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// value types a property cell: integer, number, else text.
func value(s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && (len(s) == 1 || s[0] != '0') {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xXnN") {
		return f
	}
	return s
}

func rowPoint(r []string, cell func([]string, role) string, lonLat bool) (orb.Point, error) {
	if lonLat {
		lon, err := parseAngle(cell(r, roleLon), 180)
		if err != nil {
			return orb.Point{}, fmt.Errorf("经度/longitude: %w", err)
		}
		lat, err := parseAngle(cell(r, roleLat), 90)
		if err != nil {
			return orb.Point{}, fmt.Errorf("纬度/latitude: %w", err)
		}
		return orb.Point{lon, lat}, nil
	}
	x, err := number(cell(r, roleX))
	if err != nil {
		return orb.Point{}, fmt.Errorf("X: %w", err)
	}
	y, err := number(cell(r, roleY))
	if err != nil {
		return orb.Point{}, fmt.Errorf("Y: %w", err)
	}
	return orb.Point{y, x}, nil // survey X is the northing
}

func number(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), 64)
	if err != nil || f != f || f > 1e9 || f < -1e9 {
		return 0, fmt.Errorf("%q is not a coordinate", s)
	}
	return f, nil
}

// swapIfEastNorth swaps x and y of every point when the survey-X column
// holds eastings and the Y column northings: Chinese northings lie in
// 1.5–6 × 10⁶ m, eastings below 10⁶ (no zone prefix) or above 1.3 × 10⁷
// (zone prefix).
func swapIfEastNorth(plots []*plot, src *geo.Source) {
	var n, swapped int
	for _, pl := range plots {
		for _, p := range pl.points {
			east, north := p.p[0], p.p[1] // as read: east from Y, north from X
			n++
			if isNorthing(east) && !isNorthing(north) {
				swapped++
			}
		}
	}
	if n == 0 || swapped*2 <= n {
		return
	}
	for _, pl := range plots {
		for i := range pl.points {
			pl.points[i].p[0], pl.points[i].p[1] = pl.points[i].p[1], pl.points[i].p[0]
		}
	}
	src.Warnings = append(src.Warnings, geo.Warnf("the X column holds eastings and the Y column northings (survey X is the northing): the columns were swapped"))
}

func isNorthing(v float64) bool { return v >= 1.5e6 && v <= 6e6 }

// buildPlot makes one plot's record: WKT as given, else rings from points.
func buildPlot(pl *plot, src *geo.Source, unit string) (geo.Record, error) {
	rec := geo.Record{ID: pl.id, Props: pl.props}
	label := fmt.Sprintf("plot %q (%s %d)", pl.id, unit, pl.row)
	if pl.id == "" {
		label = fmt.Sprintf("the plot of %s %d", unit, pl.row)
	}
	if pl.wkt != nil {
		rec.Geom = pl.wkt
		return rec, nil
	}
	runs := splitRings(pl.points)
	if len(runs) > maxRings {
		return rec, fmt.Errorf("%s: %d rings, more than %d", label, len(runs), maxRings)
	}
	var rings []orb.Ring
	for _, run := range runs {
		r := make(orb.Ring, 0, len(run)+1)
		for _, p := range run {
			if len(r) > 0 && r[len(r)-1] == p.p {
				continue // repeated point
			}
			r = append(r, p.p)
		}
		if len(r) > 1 && r[0] != r[len(r)-1] {
			src.Warnings = append(src.Warnings, geo.Warnf("%s: ring %s (%s %d) is not closed: closed by repeating its first point",
				label, ringName(run[0]), unit, run[len(run)-1].row))
			r = append(r, r[0])
		}
		if len(r) < 4 {
			return rec, fmt.Errorf("%s: ring %s has %d distinct points; a polygon ring needs at least 3", label, ringName(run[0]), max(len(r)-1, 1))
		}
		rings = append(rings, r)
	}
	g, notes := geo.AssembleRings(rings, geo.ByNesting)
	for _, nt := range notes {
		src.Warnings = append(src.Warnings, nt.Warning(label+": "))
	}
	rec.Geom = g
	return rec, nil
}

func ringName(p point) string {
	if p.ring == "" {
		return "1"
	}
	return p.ring
}

// splitRings groups a plot's points into rings: by the ring column when
// there is one (in order of first appearance), and within that into runs
// that end where a point returns to the run's first point (same number or
// same coordinates).
func splitRings(pts []point) [][]point {
	var order []string
	by := map[string][]point{}
	for _, p := range pts {
		if _, ok := by[p.ring]; !ok {
			order = append(order, p.ring)
		}
		by[p.ring] = append(by[p.ring], p)
	}
	var out [][]point
	for _, k := range order {
		g := by[k]
		start := 0
		for i := 1; i < len(g); i++ {
			first := g[start]
			if i-start >= 3 && (g[i].p == first.p || (first.num != "" && g[i].num == first.num)) {
				g[i].p = first.p // the closing point repeats the first
				out = append(out, g[start:i+1])
				start = i + 1
				i = start
			}
		}
		if start < len(g) {
			out = append(out, g[start:])
		}
	}
	return out
}

// LooksLikeTable reports whether head (the start of a text file) begins
// with a coordinate-table header row (and is not a 界址点 TXT exchange file).
func LooksLikeTable(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if bytes.Contains(head, []byte("属性描述")) || bytes.Contains(head, []byte("地块坐标")) || bytes.Contains(head, []byte("\xca\xf4\xd0\xd4")) {
		return false
	}
	line := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		line = head[:i]
	}
	if !utf8.Valid(line) {
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(line); err == nil {
			line = d
		}
	}
	r := csv.NewReader(bytes.NewReader(line))
	r.Comma = delimiter(line)
	r.LazyQuotes = true
	rec, err := r.Read()
	if err != nil {
		return false
	}
	_, ok := columns(rec)
	return ok
}
