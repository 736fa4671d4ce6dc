package kml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/htmlindex"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// Limits for the KML reader, against hostile input (variables for tests).
var (
	maxKMLDepth = 100      // element nesting depth
	maxKMLText  = 64 << 20 // bytes in one text element (coordinates, description) or comment
)

// Limits bound what one KML or KMZ may cost (geo.ReadLimits, the limits
// every format takes; MaxFeatures counts placemarks, MaxExpandedBytes a
// KMZ's document). data passes every format its one vertex limit.
type Limits = geo.ReadLimits

// DefaultLimits are the limits of Read and ReadKMZ.
var DefaultLimits = geo.DefaultReadLimits

// Read reads the Placemarks of a KML document, wherever they sit
// (Document and Folder nesting). Point, LineString, LinearRing, Polygon
// (outer and inner boundaries) and MultiGeometry become orb geometries in
// lon/lat; a MultiGeometry gives a MultiPoint, MultiLineString or
// MultiPolygon when its members are all of one kind, else a Collection.
// Props are "name", "description" and the ExtendedData Data/value and
// SchemaData/SimpleData pairs, all strings. Record.ID is the Placemark's id
// attribute. Polygon rings are closed (with a warning when the file left
// them open) and oriented: outer counter-clockwise, holes clockwise. The
// document is read as a stream; name is used in messages only.
func Read(r io.Reader, name string) (*geo.Source, error) {
	return ReadLimit(r, name, Limits{})
}

// ReadLimit is Read within lim (MaxFeatures, MaxVertices). No text element
// is held before its length is known to be within the limit, and a
// <coordinates> is counted before its points are allocated.
func ReadLimit(r io.Reader, name string, lim Limits) (*geo.Source, error) {
	k := &reader{
		name: name,
		lim:  lim.WithDefaults(),
		src:  &geo.Source{Format: "KML", CRS: crs.CGCS2000, CRSFrom: "KML"},
		seen: map[string]bool{},
	}
	k.dec = xml.NewDecoder(&textGuard{r: r, max: maxKMLText})
	k.dec.Entity = xml.HTMLEntity
	k.dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unsupported encoding %q", label)
		}
		return enc.NewDecoder().Reader(in), nil
	}
	if err := k.document(); err != nil {
		return nil, err
	}
	return k.src, nil
}

type reader struct {
	name    string
	lim     Limits
	dec     *xml.Decoder
	src     *geo.Source
	seen    map[string]bool // field names
	coords  int
	index   int    // current Placemark, 0-based
	id      string // its id attribute
	pname   string // its <name>, once read
	inPlace bool
	inText  string // the element whose text is being read, for messages
}

// errLongText is textGuard's error: a run of text too long to buffer.
var errLongText = errors.New("text too long")

// textGuard fails a read once more than max bytes have passed without a
// '<' or '>': encoding/xml buffers a whole text (or comment) before it
// returns it, so a <coordinates> of a billion tuples would be held in
// memory before any limit of ours could see it. A run between markup bytes
// is never longer than the text element it lies in, so the guard refuses
// nothing that the per-element limit would let through.
type textGuard struct {
	r   io.Reader
	max int
	run int
}

func (g *textGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for at := 0; ; {
		j := bytes.IndexAny(p[at:n], "<>")
		if j < 0 {
			j = n - at
		}
		if g.run+j > g.max {
			// What comes before the run is read; the decoder meets the
			// error inside the element, which names it.
			return at + g.max - g.run, errLongText
		}
		if at+j == n {
			g.run += j
			return n, err
		}
		g.run, at = 0, at+j+1
	}
}

// syntaxError is an error about the input, already located.
type syntaxError struct{ msg string }

func (e *syntaxError) Error() string { return e.msg }

// errf makes an error naming the file, the line and the current Placemark.
func (k *reader) errf(format string, args ...any) error {
	line, _ := k.dec.InputPos()
	return &syntaxError{fmt.Sprintf("data: %s: %s", k.name, k.where(line)) + fmt.Sprintf(format, args...)}
}

func (k *reader) where(line int) string {
	s := fmt.Sprintf("line %d: ", line)
	if k.inPlace {
		s += k.placemarkLabel() + ": "
	}
	return s
}

// placemarkLabel names the current Placemark by index, id and <name>:
// `placemark 3 (id a, name "红线 1")`.
func (k *reader) placemarkLabel() string {
	if k.pname == "" {
		return geo.Label("placemark", k.index, k.id)
	}
	name := k.pname
	if r := []rune(name); len(r) > 40 {
		name = string(r[:40]) + "…"
	}
	if k.id == "" {
		return fmt.Sprintf("placemark %d (name %q)", k.index, name)
	}
	return fmt.Sprintf("placemark %d (id %s, name %q)", k.index, k.id, name)
}

func (k *reader) warnf(format string, args ...any) {
	line, _ := k.dec.InputPos()
	k.src.Warnings = append(k.src.Warnings, geo.Warnf(format, args...).Prefixed(k.name+": "+k.where(line)))
}

// token returns the next token, turning decoder errors into located errors.
func (k *reader) token() (xml.Token, error) {
	t, err := k.dec.Token()
	if err == io.EOF {
		return nil, k.errf("unexpected end of file")
	}
	if err != nil {
		var ke *syntaxError
		if errors.As(err, &ke) {
			return nil, err
		}
		if errors.Is(err, errLongText) {
			return nil, k.longText()
		}
		var syn *xml.SyntaxError
		if errors.As(err, &syn) {
			return nil, k.errf("XML syntax error: %s", syn.Msg)
		}
		return nil, k.errf("%v", err)
	}
	return t, nil
}

// longText is the error for a text run over maxKMLText, naming the element.
func (k *reader) longText() error {
	if k.inText == "" {
		return k.errf("text or comment longer than %d bytes, the limit", maxKMLText)
	}
	return k.errf("<%s> longer than %d bytes, the limit of one element", k.inText, maxKMLText)
}

// document reads up to the root element, checks that it is <kml>, and walks it.
func (k *reader) document() error {
	for {
		t, err := k.dec.Token()
		if err == io.EOF {
			return fmt.Errorf("data: %s: no <kml> element", k.name)
		}
		if err != nil {
			var syn *xml.SyntaxError
			if errors.As(err, &syn) {
				return k.errf("XML syntax error: %s", syn.Msg)
			}
			if errors.Is(err, errLongText) {
				return k.longText()
			}
			return k.errf("%v", err)
		}
		if se, ok := t.(xml.StartElement); ok {
			if se.Name.Local != "kml" {
				return k.errf("not a KML document: root element <%s>", se.Name.Local)
			}
			return k.walk(1)
		}
	}
}

// walk reads the content of a container element up to its end tag.
func (k *reader) walk(depth int) error {
	if depth > maxKMLDepth {
		return k.errf("elements nested deeper than %d", maxKMLDepth)
	}
	for {
		t, err := k.token()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if t.Name.Local == "Placemark" {
				err = k.placemark(t, depth+1)
			} else {
				err = k.walk(depth + 1)
			}
			if err != nil {
				return err
			}
		}
	}
}

// skip reads to the end of the current element, within the depth limit.
func (k *reader) skip(depth int) error {
	for n := depth; n >= depth; {
		if n > maxKMLDepth {
			return k.errf("elements nested deeper than %d", maxKMLDepth)
		}
		t, err := k.token()
		if err != nil {
			return err
		}
		switch t.(type) {
		case xml.StartElement:
			n++
		case xml.EndElement:
			n--
		}
	}
	return nil
}

func (k *reader) addField(f string) {
	if !k.seen[f] {
		k.seen[f] = true
		k.src.Fields = append(k.src.Fields, f)
	}
}

func (k *reader) placemark(start xml.StartElement, depth int) error {
	if len(k.src.Records) >= k.lim.MaxFeatures {
		return k.errf("more than %d placemarks, the limit", k.lim.MaxFeatures)
	}
	k.inPlace, k.id, k.pname = true, "", ""
	defer func() { k.inPlace = false; k.index++ }()
	for _, a := range start.Attr {
		if a.Name.Local == "id" {
			k.id = a.Value
		}
	}
	rec := geo.Record{ID: k.id, Props: map[string]any{}}
	for {
		t, err := k.token()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.EndElement:
			if rec.Geom == nil {
				k.warnf("no geometry")
			}
			k.src.Records = append(k.src.Records, rec)
			return nil
		case xml.StartElement:
			switch t.Name.Local {
			case "name", "description":
				s, err := k.text(t.Name.Local, depth+1)
				if err != nil {
					return err
				}
				k.addField(t.Name.Local)
				rec.Props[t.Name.Local] = strings.TrimSpace(s)
				if t.Name.Local == "name" {
					k.pname = strings.TrimSpace(s)
				}
			case "ExtendedData":
				if err := k.extendedData(rec.Props, depth+1); err != nil {
					return err
				}
			case "Point", "LineString", "LinearRing", "Polygon", "MultiGeometry":
				g, err := k.geometry(t, depth+1)
				if err != nil {
					return err
				}
				if rec.Geom != nil {
					k.warnf("more than one geometry: <%s> ignored", t.Name.Local)
					continue
				}
				rec.Geom = g
			default:
				if err := k.skip(depth + 1); err != nil {
					return err
				}
			}
		}
	}
}

// text returns the character data of the current element, elem; child
// elements are skipped.
func (k *reader) text(elem string, depth int) (string, error) {
	k.inText = elem
	defer func() { k.inText = "" }()
	var b strings.Builder
	for {
		t, err := k.token()
		if err != nil {
			return "", err
		}
		switch t := t.(type) {
		case xml.CharData:
			if b.Len()+len(t) > maxKMLText {
				return "", k.longText()
			}
			b.Write(t)
		case xml.StartElement:
			if err := k.skip(depth + 1); err != nil {
				return "", err
			}
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// extendedData reads <Data name=""><value/></Data> and
// <SchemaData><SimpleData name=""/></SchemaData> into props.
func (k *reader) extendedData(props map[string]any, depth int) error {
	for {
		t, err := k.token()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			switch t.Name.Local {
			case "Data":
				key := attr(t, "name")
				val, err := k.dataValue(depth + 1)
				if err != nil {
					return err
				}
				k.setProp(props, key, val)
			case "SchemaData":
				if err := k.schemaData(props, depth+1); err != nil {
					return err
				}
			default:
				if err := k.skip(depth + 1); err != nil {
					return err
				}
			}
		}
	}
}

func (k *reader) setProp(props map[string]any, key, val string) {
	if key == "" {
		k.warnf("ExtendedData without a name ignored")
		return
	}
	if _, dup := props[key]; dup {
		k.warnf("property %q given twice: using the last value", key)
	}
	k.addField(key)
	props[key] = val
}

// dataValue returns the <value> of a <Data> element.
func (k *reader) dataValue(depth int) (string, error) {
	val := ""
	for {
		t, err := k.token()
		if err != nil {
			return "", err
		}
		switch t := t.(type) {
		case xml.EndElement:
			return val, nil
		case xml.StartElement:
			if t.Name.Local == "value" {
				if val, err = k.text("value", depth+1); err != nil {
					return "", err
				}
			} else if err := k.skip(depth + 1); err != nil {
				return "", err
			}
		}
	}
}

func (k *reader) schemaData(props map[string]any, depth int) error {
	for {
		t, err := k.token()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if t.Name.Local == "SimpleData" {
				val, err := k.text("SimpleData", depth+1)
				if err != nil {
					return err
				}
				k.setProp(props, attr(t, "name"), val)
			} else if err := k.skip(depth + 1); err != nil {
				return err
			}
		}
	}
}

// coordinates parses "lon,lat[,alt] lon,lat[,alt] ..." (altitudes dropped).
// Spaces next to the commas are tolerated. The tuples are counted against
// the vertex limit before their points are allocated.
func (k *reader) coordinates(depth int) ([]orb.Point, error) {
	s, err := k.text("coordinates", depth)
	if err != nil {
		return nil, err
	}
	n := 0
	eachTuple(s, func(string) error { n++; return nil })
	if k.coords+n > k.lim.MaxVertices {
		return nil, k.errf("<coordinates> holds %d tuples, which with the %d before are more than the limit of %d vertices",
			n, k.coords, k.lim.MaxVertices)
	}
	k.coords += n
	pts := make([]orb.Point, 0, n)
	err = eachTuple(s, func(tuple string) error {
		p, err := k.tuple(tuple)
		pts = append(pts, p)
		return err
	})
	return pts, err
}

// tuple parses one "lon,lat[,alt]", spaces around the commas allowed.
func (k *reader) tuple(tuple string) (orb.Point, error) {
	lonS, rest, ok1 := strings.Cut(tuple, ",")
	latS, altS, hasAlt := strings.Cut(rest, ",")
	if !ok1 || strings.Contains(altS, ",") {
		return orb.Point{}, k.errf("bad coordinate tuple %.40q: want lon,lat[,alt]", tuple)
	}
	lon, err1 := strconv.ParseFloat(strings.TrimSpace(lonS), 64)
	lat, err2 := strconv.ParseFloat(strings.TrimSpace(latS), 64)
	if err1 != nil || err2 != nil {
		return orb.Point{}, k.errf("bad coordinate tuple %.40q", tuple)
	}
	if hasAlt {
		if _, err := strconv.ParseFloat(strings.TrimSpace(altS), 64); err != nil {
			return orb.Point{}, k.errf("bad altitude in %.40q", tuple)
		}
	}
	if !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
		return orb.Point{}, k.errf("coordinate %.40q out of lon/lat range", tuple)
	}
	return orb.Point{lon, lat}, nil
}

// eachTuple calls fn with each tuple of a <coordinates> text, a slice of s:
// tuples are separated by white space, except white space next to a comma.
// It stops at fn's first error.
func eachTuple(s string, fn func(string) error) error {
	i := 0
	for {
		i += spaceLen(s[i:])
		if i == len(s) {
			return nil
		}
		start := i
		for {
			for i < len(s) {
				if c := s[i]; c < utf8.RuneSelf {
					if asciiSpace(c) {
						break
					}
					i++
					continue
				}
				if spaceLen(s[i:]) > 0 {
					break
				}
				_, w := utf8.DecodeRuneInString(s[i:])
				i += w
			}
			end := i
			j := i + spaceLen(s[i:])
			if j < len(s) && (s[end-1] == ',' || s[j] == ',') {
				i = j
				continue
			}
			if err := fn(s[start:end]); err != nil {
				return err
			}
			break
		}
	}
}

// spaceLen is the length of the white space (as strings.Fields has it) at
// the start of s.
func spaceLen(s string) int {
	n := 0
	for n < len(s) {
		if c := s[n]; c < utf8.RuneSelf {
			if !asciiSpace(c) {
				break
			}
			n++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[n:])
		if !unicode.IsSpace(r) {
			break
		}
		n += w
	}
	return n
}

func asciiSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

// childCoordinates reads an element (Point, LineString, LinearRing) whose
// <coordinates> child holds its points.
func (k *reader) childCoordinates(depth int) ([]orb.Point, error) {
	var pts []orb.Point
	found := false
	for {
		t, err := k.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.EndElement:
			if !found {
				return nil, k.errf("no <coordinates>")
			}
			return pts, nil
		case xml.StartElement:
			if t.Name.Local == "coordinates" && !found {
				found = true
				if pts, err = k.coordinates(depth + 1); err != nil {
					return nil, err
				}
			} else if err := k.skip(depth + 1); err != nil {
				return nil, err
			}
		}
	}
}

// ring closes and checks a LinearRing.
func (k *reader) ring(pts []orb.Point) (orb.Ring, error) {
	distinct := map[orb.Point]bool{}
	for _, p := range pts {
		distinct[p] = true
	}
	if len(distinct) < 3 {
		return nil, k.errf("ring has %d distinct points, need at least 3", len(distinct))
	}
	r := orb.Ring(pts)
	if r[0] != r[len(r)-1] {
		k.warnf("ring is not closed: closed it")
		r = append(r, r[0])
	}
	return r, nil
}

func (k *reader) geometry(start xml.StartElement, depth int) (orb.Geometry, error) {
	if depth > maxKMLDepth {
		return nil, k.errf("elements nested deeper than %d", maxKMLDepth)
	}
	switch start.Name.Local {
	case "Point":
		pts, err := k.childCoordinates(depth)
		if err != nil {
			return nil, err
		}
		if len(pts) != 1 {
			return nil, k.errf("Point has %d coordinates, want 1", len(pts))
		}
		return pts[0], nil
	case "LineString":
		pts, err := k.childCoordinates(depth)
		if err != nil {
			return nil, err
		}
		if len(pts) < 2 {
			return nil, k.errf("LineString has %d coordinates, need at least 2", len(pts))
		}
		return orb.LineString(pts), nil
	case "LinearRing":
		pts, err := k.childCoordinates(depth)
		if err != nil {
			return nil, err
		}
		r, err := k.ring(pts)
		if err != nil {
			return nil, err
		}
		return geo.PolygonOriented(orb.Polygon{r}), nil
	case "Polygon":
		return k.polygon(depth)
	}
	return k.multiGeometry(depth)
}

func (k *reader) polygon(depth int) (orb.Geometry, error) {
	var outer orb.Ring
	var holes []orb.Ring
	for {
		t, err := k.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.EndElement:
			if outer == nil {
				return nil, k.errf("Polygon without outerBoundaryIs")
			}
			return geo.PolygonOriented(append(orb.Polygon{outer}, holes...)), nil
		case xml.StartElement:
			name := t.Name.Local
			if name != "outerBoundaryIs" && name != "innerBoundaryIs" {
				if err := k.skip(depth + 1); err != nil {
					return nil, err
				}
				continue
			}
			rings, err := k.boundary(depth + 1)
			if err != nil {
				return nil, err
			}
			if name == "innerBoundaryIs" {
				holes = append(holes, rings...)
				continue
			}
			if outer != nil || len(rings) != 1 {
				return nil, k.errf("Polygon has more than one outer boundary")
			}
			outer = rings[0]
		}
	}
}

// boundary reads the LinearRings of an outer/innerBoundaryIs element.
func (k *reader) boundary(depth int) ([]orb.Ring, error) {
	var rings []orb.Ring
	for {
		t, err := k.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.EndElement:
			return rings, nil
		case xml.StartElement:
			if t.Name.Local != "LinearRing" {
				if err := k.skip(depth + 1); err != nil {
					return nil, err
				}
				continue
			}
			pts, err := k.childCoordinates(depth + 1)
			if err != nil {
				return nil, err
			}
			r, err := k.ring(pts)
			if err != nil {
				return nil, err
			}
			rings = append(rings, r)
		}
	}
}

func (k *reader) multiGeometry(depth int) (orb.Geometry, error) {
	var gs []orb.Geometry
	for {
		t, err := k.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.EndElement:
			if len(gs) == 0 {
				k.warnf("empty MultiGeometry")
				return nil, nil
			}
			return combine(gs), nil
		case xml.StartElement:
			switch t.Name.Local {
			case "Point", "LineString", "LinearRing", "Polygon", "MultiGeometry":
				g, err := k.geometry(t, depth+1)
				if err != nil {
					return nil, err
				}
				if g != nil {
					gs = append(gs, g)
				}
			default:
				if err := k.skip(depth + 1); err != nil {
					return nil, err
				}
			}
		}
	}
}

// combine makes a Multi* of members of one kind, else a Collection. Nested
// multi-geometries of the same kind are flattened.
func combine(gs []orb.Geometry) orb.Geometry {
	var mp orb.MultiPoint
	var ml orb.MultiLineString
	var mpoly orb.MultiPolygon
	for _, g := range gs {
		switch g := g.(type) {
		case orb.Point:
			mp = append(mp, g)
		case orb.MultiPoint:
			mp = append(mp, g...)
		case orb.LineString:
			ml = append(ml, g)
		case orb.MultiLineString:
			ml = append(ml, g...)
		case orb.Polygon:
			mpoly = append(mpoly, g)
		case orb.MultiPolygon:
			mpoly = append(mpoly, g...)
		default:
			return orb.Collection(gs)
		}
	}
	switch {
	case len(mp) > 0 && len(ml) == 0 && len(mpoly) == 0:
		return mp
	case len(ml) > 0 && len(mp) == 0 && len(mpoly) == 0:
		return ml
	case len(mpoly) > 0 && len(mp) == 0 && len(ml) == 0:
		return mpoly
	}
	return orb.Collection(gs)
}
