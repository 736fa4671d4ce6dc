package geojson

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo"
)

// This file holds the hand-written GeoJSON parser that Read runs on
// each feature: one pass over the feature's bytes, with coordinates parsed
// straight into exactly sized orb slices (no reflection, no intermediate
// [][]float64). Properties are small and go to encoding/json (UseNumber), so
// their semantics stay exactly those of the standard library. The parser
// follows encoding/json where GeoJSON leaves room (member names match
// case-insensitively, the last of duplicate members wins, unknown members are
// skipped but must be valid JSON) and is stricter than encoding/json + orb
// only where the old reader accepted nonsense: a position needs at least two
// numbers (a third and further numbers, e.g. Z, are dropped), coordinates
// must be nested exactly as the type says, and null does not stand in for a
// coordinate or a geometry inside a GeometryCollection.

const (
	// maxSkipDepth bounds the nesting of values the parser skips (unknown
	// members, ids); encoding/json's own limit is 10000.
	maxSkipDepth = 1000
	// maxCollectionDepth bounds GeometryCollections inside GeometryCollections.
	maxCollectionDepth = 32
)

// featureParser parses one feature (or geometry) held in b. Its scratch
// slices are reused from feature to feature; nothing it returns aliases b.
type featureParser struct {
	b   []byte
	i   int
	pts []orb.Point // positions of the geometry being parsed
	cnt [4][]int    // cnt[k]: child counts of the arrays at nesting level k (k ≥ 1)
	// slab is where the geometries' coordinates are carved from (alloc).
	slab []orb.Point
	// verts counts the vertices parsed since the caller last reset it.
	verts int
}

type syntaxError struct {
	msg string
	off int
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s (byte %d of the feature)", e.msg, e.off) }

func (p *featureParser) errf(format string, a ...any) error {
	return &syntaxError{fmt.Sprintf(format, a...), p.i}
}

// describe names the byte at p.i for an error message.
func (p *featureParser) describe() string {
	if p.i >= len(p.b) {
		return "end of input"
	}
	c := p.b[p.i]
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (p *featureParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte (0 at the end).
func (p *featureParser) peek() byte {
	p.ws()
	if p.i >= len(p.b) {
		return 0
	}
	return p.b[p.i]
}

func (p *featureParser) expect(c byte) error {
	if p.peek() != c {
		return p.errf("want %q, found %s", c, p.describe())
	}
	p.i++
	return nil
}

// literal consumes the keyword w (true, false, null).
func (p *featureParser) literal(w string) error {
	if len(p.b)-p.i < len(w) || string(p.b[p.i:p.i+len(w)]) != w {
		return p.errf("invalid literal, found %s", p.describe())
	}
	p.i += len(w)
	return nil
}

// rawString checks the JSON string at p.i (at its opening quote) and
// returns it with its quotes; plain is true when it has no escapes and only
// ASCII, so that its text is raw[1:len(raw)-1] as is.
func (p *featureParser) rawString() (raw []byte, plain bool, err error) {
	if p.peek() != '"' {
		return nil, false, p.errf("want a string, found %s", p.describe())
	}
	start := p.i
	p.i++
	plain = true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return p.b[start:p.i], plain, nil
		case c == '\\':
			plain = false
			p.i++
			if p.i >= len(p.b) {
				return nil, false, p.errf("unterminated string")
			}
			switch p.b[p.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				if len(p.b)-p.i < 5 || !isHex(p.b[p.i+1]) || !isHex(p.b[p.i+2]) || !isHex(p.b[p.i+3]) || !isHex(p.b[p.i+4]) {
					return nil, false, p.errf("invalid \\u escape in string")
				}
				p.i += 5
			default:
				return nil, false, p.errf("invalid escape in string")
			}
		case c < 0x20:
			return nil, false, p.errf("control character in string")
		default:
			if c >= 0x80 {
				plain = false
			}
			p.i++
		}
	}
	return nil, false, p.errf("unterminated string")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// stringText returns the text of a checked raw string as encoding/json
// decodes it (escapes resolved, invalid UTF-8 replaced by U+FFFD).
func stringText(raw []byte, plain bool) string {
	if plain {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	_ = json.Unmarshal(raw, &s) // raw was checked: cannot fail
	return s
}

// key reads a member name and the colon after it. The returned bytes are
// the name's text; they may alias p.b, so use them before parsing on.
func (p *featureParser) key() ([]byte, error) {
	raw, plain, err := p.rawString()
	if err != nil {
		return nil, err
	}
	if err := p.expect(':'); err != nil {
		return nil, err
	}
	if plain {
		return raw[1 : len(raw)-1], nil
	}
	return []byte(stringText(raw, false)), nil
}

// member reports whether the name k selects the member name, as
// encoding/json matches struct fields (exactly, else folding case).
func member(k []byte, name string) bool {
	return string(k) == name || bytes.EqualFold(k, []byte(name))
}

// skip checks and skips one JSON value.
func (p *featureParser) skip(depth int) error {
	if depth > maxSkipDepth {
		return p.errf("nested more than %d deep", maxSkipDepth)
	}
	switch c := p.peek(); c {
	case '{':
		p.i++
		if p.peek() == '}' {
			p.i++
			return nil
		}
		for {
			if _, _, err := p.rawString(); err != nil {
				return err
			}
			if err := p.expect(':'); err != nil {
				return err
			}
			if err := p.skip(depth + 1); err != nil {
				return err
			}
			switch p.peek() {
			case ',':
				p.i++
			case '}':
				p.i++
				return nil
			default:
				return p.errf("want ',' or '}' in object, found %s", p.describe())
			}
		}
	case '[':
		p.i++
		if p.peek() == ']' {
			p.i++
			return nil
		}
		for {
			if err := p.skip(depth + 1); err != nil {
				return err
			}
			switch p.peek() {
			case ',':
				p.i++
			case ']':
				p.i++
				return nil
			default:
				return p.errf("want ',' or ']' in array, found %s", p.describe())
			}
		}
	case '"':
		_, _, err := p.rawString()
		return err
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.literal("null")
	default:
		if c == '-' || '0' <= c && c <= '9' {
			_, err := p.number()
			return err
		}
		return p.errf("want a value, found %s", p.describe())
	}
}

// rawValue skips one value and returns its bytes.
func (p *featureParser) rawValue() ([]byte, error) {
	p.ws()
	start := p.i
	if err := p.skip(0); err != nil {
		return nil, err
	}
	return p.b[start:p.i], nil
}

// isNull consumes a null if one comes next.
func (p *featureParser) isNull() bool {
	if p.peek() == 'n' && len(p.b)-p.i >= 4 && string(p.b[p.i:p.i+4]) == "null" {
		p.i += 4
		return true
	}
	return false
}

// members calls fn for each member of the object at p.i, positioned at the
// member's value; fn must consume the value.
func (p *featureParser) members(what string, fn func(k []byte) error) error {
	if p.peek() != '{' {
		return p.errf("%s is not an object: found %s", what, p.describe())
	}
	p.i++
	if p.peek() == '}' {
		p.i++
		return nil
	}
	for {
		k, err := p.key()
		if err != nil {
			return err
		}
		if err := fn(k); err != nil {
			return err
		}
		switch p.peek() {
		case ',':
			p.i++
		case '}':
			p.i++
			return nil
		default:
			return p.errf("want ',' or '}' in %s, found %s", what, p.describe())
		}
	}
}

// parseFeature parses the Feature in b. It returns the record so far (with
// its id when one was read) along with any error.
func (p *featureParser) parseFeature(b []byte) (geo.Record, error) {
	p.b, p.i = b, 0
	var (
		typ       []byte
		typPlain  bool
		typSet    bool
		idRaw     []byte
		propsRaw  []byte
		geom      orb.Geometry
		ext       geo.Extent
		geomErr   error
		typeIsStr = true
		badGeom   bool // the syntax error is in the geometry
	)
	err := p.members("feature", func(k []byte) error {
		switch {
		case member(k, "type"):
			if p.isNull() {
				typ, typSet = nil, false
				return nil
			}
			if p.peek() != '"' {
				typeIsStr = false // as encoding/json: an error even if a later "type" is a string
				return p.skip(0)
			}
			raw, plain, err := p.rawString()
			typ, typPlain, typSet = raw, plain, true
			return err
		case member(k, "id"):
			raw, err := p.rawValue()
			idRaw = raw
			return err
		case member(k, "properties"):
			raw, err := p.rawValue()
			propsRaw = raw
			return err
		case member(k, "geometry"):
			p.ws()
			start := p.i
			geom, ext, geomErr = nil, geo.Extent{}, nil
			if p.isNull() {
				return nil
			}
			if p.peek() != '{' {
				if err := p.skip(0); err != nil {
					return err
				}
				geomErr = errors.New("geometry: not an object")
				return nil
			}
			geom, geomErr = p.geometry(0)
			if geomErr == nil {
				// Now, while its points are in cache, not in a later pass
				// over the whole layer.
				ext = geo.ExtentOf(geom)
			}
			if geomErr != nil {
				// Find the end of the value to read on (the id may follow).
				geom, p.i = nil, start
				if p.skip(0) != nil {
					badGeom = true
					return geomErr // it says more than skip's error
				}
			}
			return nil
		}
		return p.skip(0)
	})
	rec := geo.Record{ID: idText(idRaw)}
	if err == nil && p.peek() != 0 {
		err = p.errf("data after the feature: %s", p.describe())
	}
	if (err != nil || geomErr != nil) && rec.ID == "" {
		rec.ID = idFromProps(propsRaw) // so that the error names the feature's id
	}
	if err != nil && badGeom {
		return rec, err
	}
	if err != nil {
		return rec, fmt.Errorf("not a Feature object: %w", err)
	}
	if !typeIsStr {
		return rec, errors.New("not a Feature object: \"type\" is not a string")
	}
	t := ""
	if typSet {
		t = stringText(typ, typPlain)
	}
	if t != "Feature" {
		return rec, fmt.Errorf("type is %q, want \"Feature\"", t)
	}
	rec.Props = map[string]any{}
	if len(propsRaw) > 0 && string(propsRaw) != "null" {
		if err := decodeProps(propsRaw, rec.Props); err != nil {
			return rec, fmt.Errorf("properties: %w", err)
		}
	}
	if geomErr != nil {
		return rec, geomErr
	}
	rec.Geom, rec.Extent = geom, ext
	return rec, nil
}

// decodeProps decodes a properties object into props, numbers as int64 when
// they are integers that fit, else float64.
func decodeProps(raw []byte, props map[string]any) error {
	if flatProps(raw, props) {
		return nil
	}
	clear(props)
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		return err
	}
	for k, v := range m {
		props[k] = plainValue(v)
	}
	return nil
}

// errNotFlat stops flatProps at a value it leaves to encoding/json.
var errNotFlat = errors.New("not flat")

// flatProps decodes raw, a checked properties object whose values are all
// strings, numbers, booleans or null (the common case), as decodeProps's
// encoding/json path would, without a decoder per feature; it reports false
// (props then partly filled) for anything else.
func flatProps(raw []byte, props map[string]any) bool {
	p := featureParser{b: raw}
	err := p.members("properties", func(k []byte) error {
		var v any
		switch c := p.peek(); {
		case c == '"':
			raw, plain, err := p.rawString()
			if err != nil {
				return err
			}
			v = stringText(raw, plain)
		case c == '-' || '0' <= c && c <= '9':
			start := p.i
			if _, err := p.number(); err != nil {
				return err
			}
			v = plainValue(json.Number(p.b[start:p.i]))
		case c == 't':
			if err := p.literal("true"); err != nil {
				return err
			}
			v = true
		case c == 'f':
			if err := p.literal("false"); err != nil {
				return err
			}
			v = false
		case c == 'n':
			if err := p.literal("null"); err != nil {
				return err
			}
		default:
			return errNotFlat
		}
		props[string(k)] = v
		return nil
	})
	return err == nil && p.peek() == 0
}

// idText renders a checked GeoJSON id (string or number) as text.
func idText(raw []byte) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		plain := true
		for _, c := range raw[1 : len(raw)-1] {
			if c == '\\' || c >= 0x80 {
				plain = false
				break
			}
		}
		return stringText(raw, plain)
	}
	return string(raw)
}

// geomType is a GeoJSON geometry type with the nesting of its coordinates.
type geomType struct {
	name   string
	levels int // arrays around the positions: Point 0 … MultiPolygon 3
}

var geomTypes = [...]geomType{
	{"Point", 0}, {"MultiPoint", 1}, {"LineString", 1},
	{"MultiLineString", 2}, {"Polygon", 2}, {"MultiPolygon", 3},
	{"GeometryCollection", -1},
}

func lookupGeomType(s []byte) (geomType, bool) {
	for _, t := range geomTypes {
		if string(s) == t.name {
			return t, true
		}
	}
	return geomType{}, false
}

// geometry parses the geometry object at p.i. nest counts the enclosing
// GeometryCollections. Errors start with "geometry: ".
func (p *featureParser) geometry(nest int) (orb.Geometry, error) {
	var (
		typ        geomType
		typName    string
		typSet     bool
		coords     orb.Geometry
		coordsType string // the type coords was parsed as
		cStart     = -1
		geoms      orb.Collection
		geomsSet   bool
	)
	err := p.members("geometry", func(k []byte) error {
		switch {
		case member(k, "type"):
			if p.isNull() {
				typSet, typName = false, ""
				return nil
			}
			raw, plain, err := p.rawString()
			if err != nil {
				return fmt.Errorf("\"type\": %w", err)
			}
			typName, typSet = stringText(raw, plain), true
			typ, _ = lookupGeomType([]byte(typName))
			return nil
		case member(k, "coordinates"):
			p.ws()
			cStart = p.i
			if typSet && typ.levels >= 0 && typ.name != "" {
				g, err := p.coordinates(typ)
				if err != nil {
					return err
				}
				coords, coordsType = g, typ.name
				return nil
			}
			coords, coordsType = nil, ""
			return p.skip(0)
		case member(k, "geometries"):
			if p.isNull() {
				geoms, geomsSet = nil, false
				return nil
			}
			gs, err := p.collection(nest)
			if err != nil {
				return err
			}
			geoms, geomsSet = gs, true
			return nil
		}
		return p.skip(0)
	})
	var g orb.Geometry
	if err == nil {
		switch {
		case !typSet:
			err = errors.New("no \"type\"")
		case typ.name == "":
			err = fmt.Errorf("unknown type %q", typName)
		case typ.levels < 0 && !geomsSet:
			err = errors.New("GeometryCollection without \"geometries\"")
		case typ.levels < 0:
			g = geoms
		case cStart < 0:
			err = fmt.Errorf("%s without \"coordinates\"", typ.name)
		case coordsType != typ.name:
			// "type" came after "coordinates": parse them now.
			end := p.i
			p.i = cStart
			g, err = p.coordinates(typ)
			p.i = end
		default:
			g = coords
		}
	}
	if err != nil {
		if nest == 0 {
			err = fmt.Errorf("geometry: %w", err)
		}
		return nil, err
	}
	return g, nil
}

// collection parses the "geometries" array of a GeometryCollection.
func (p *featureParser) collection(nest int) (orb.Collection, error) {
	if nest+1 > maxCollectionDepth {
		return nil, p.errf("GeometryCollections nested more than %d deep", maxCollectionDepth)
	}
	if err := p.expect('['); err != nil {
		return nil, fmt.Errorf("\"geometries\": %w", err)
	}
	gs := orb.Collection{}
	if p.peek() == ']' {
		p.i++
		return gs, nil
	}
	for {
		if p.peek() != '{' {
			return nil, p.errf("\"geometries\" holds %s, not a geometry object", p.describe())
		}
		g, err := p.geometry(nest + 1)
		if err != nil {
			return nil, err
		}
		gs = append(gs, g)
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return gs, nil
		default:
			return nil, p.errf("want ',' or ']' in \"geometries\", found %s", p.describe())
		}
	}
}

// coordinates parses the coordinates of a geometry of type t into exactly
// sized orb slices: all positions of the geometry share one backing array.
func (p *featureParser) coordinates(t geomType) (orb.Geometry, error) {
	p.pts = p.pts[:0]
	for k := range p.cnt {
		p.cnt[k] = p.cnt[k][:0]
	}
	if err := p.nested(t, t.levels); err != nil {
		return nil, err
	}
	p.verts += len(p.pts)
	if t.levels == 0 {
		return p.pts[0], nil
	}
	all := p.alloc(len(p.pts))
	copy(all, p.pts)
	// take returns the next n positions of all.
	take := func(n int) []orb.Point {
		s := all[:n:n]
		all = all[n:]
		return s
	}
	switch t.name {
	case "MultiPoint":
		return orb.MultiPoint(all), nil
	case "LineString":
		return orb.LineString(all), nil
	case "MultiLineString":
		ls := make(orb.MultiLineString, len(p.cnt[1]))
		for i, n := range p.cnt[1] {
			ls[i] = take(n)
		}
		return ls, nil
	case "Polygon":
		pg := make(orb.Polygon, len(p.cnt[1]))
		for i, n := range p.cnt[1] {
			pg[i] = take(n)
		}
		return pg, nil
	}
	// MultiPolygon
	rings := make([]orb.Ring, len(p.cnt[1]))
	for i, n := range p.cnt[1] {
		rings[i] = take(n)
	}
	mp := make(orb.MultiPolygon, len(p.cnt[2]))
	for i, n := range p.cnt[2] {
		mp[i] = orb.Polygon(rings[:n:n])
		rings = rings[n:]
	}
	return mp, nil
}

// Slab sizes in points: the first slab is small (a request's one site
// keeps little), each next one twice the last, up to 1 MiB.
const (
	minSlab = 1 << 10
	maxSlab = 1 << 16
)

// alloc returns room for n points, carved from p.slab: one allocation per
// slab rather than per geometry, which would be rounded up to the
// allocator's size classes (17 % more than the coordinates on the anchors'
// large constraints). A geometry keeps its whole slab alive, so only those
// of one input share one; a large geometry gets its own.
func (p *featureParser) alloc(n int) []orb.Point {
	if n == 0 || n > maxSlab/4 {
		return make([]orb.Point, n)
	}
	if cap(p.slab)-len(p.slab) < n {
		p.slab = make([]orb.Point, 0, min(maxSlab, max(minSlab, 2*cap(p.slab), n)))
	}
	k := len(p.slab)
	p.slab = p.slab[:k+n]
	return p.slab[k : k+n : k+n]
}

// nested parses an array nested level deep around positions (level 0: a
// position), appending positions to p.pts and child counts to p.cnt.
func (p *featureParser) nested(t geomType, level int) error {
	if c := p.peek(); c != '[' {
		if c == '-' || '0' <= c && c <= '9' {
			return p.errf("%s coordinates: want %d levels of arrays around the numbers, found a number at level %d",
				t.name, t.levels+1, t.levels-level+1)
		}
		return p.errf("%s coordinates: want an array, found %s", t.name, p.describe())
	}
	p.i++
	if level == 0 {
		return p.position(t)
	}
	n := 0
	if p.peek() == ']' {
		p.i++
	} else {
		for {
			if err := p.nested(t, level-1); err != nil {
				return err
			}
			n++
			c := p.peek()
			p.i++
			if c == ']' {
				break
			}
			if c != ',' {
				p.i--
				return p.errf("%s coordinates: want ',' or ']', found %s", t.name, p.describe())
			}
		}
	}
	p.cnt[level] = append(p.cnt[level], n)
	return nil
}

// position parses the numbers of one position after its '['.
func (p *featureParser) position(t geomType) error {
	// The common position, "x,y]" without white space and with exact
	// numbers, in one go; anything else the loop below reads or refuses.
	if x, i, kind := scanNumber(p.b, p.i); kind == numExact && i < len(p.b) && p.b[i] == ',' {
		if y, i, kind := scanNumber(p.b, i+1); kind == numExact && i < len(p.b) && p.b[i] == ']' {
			p.i = i + 1
			p.pts = append(p.pts, orb.Point{x, y})
			return nil
		}
	}
	var xy [2]float64
	k := 0
	for {
		c := p.peek()
		if c == ']' && k == 0 {
			break
		}
		if c != '-' && (c < '0' || c > '9') {
			if c == '[' {
				return p.errf("%s coordinates: too deeply nested (a position holds an array)", t.name)
			}
			return p.errf("%s coordinates: want a number, found %s", t.name, p.describe())
		}
		v, err := p.number()
		if err != nil {
			return fmt.Errorf("%s coordinates: %w", t.name, err)
		}
		if k < 2 {
			xy[k] = v
		}
		k++
		c = p.peek()
		p.i++
		if c == ']' {
			break
		}
		if c != ',' {
			p.i--
			return p.errf("%s coordinates: want ',' or ']' in a position, found %s", t.name, p.describe())
		}
	}
	if k < 2 {
		return p.errf("%s coordinates: position %d has %d numbers, want at least 2", t.name, len(p.pts), k)
	}
	p.pts = append(p.pts, orb.Point(xy))
	return nil
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// pow10u holds the powers of ten up to 10⁸.
var pow10u = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8}

// digits8 returns how many of the eight bytes of v (the first in its low
// byte) are leading ASCII digits, and their value. A byte is a digit when
// neither x + 0x46 (x > '9') nor x − '0' (x < '0') sets its high bit;
// carries and borrows only pass from a non-digit byte to the bytes after
// it, which are not counted. The value is the digits shifted to the top,
// zeros before them, folded by pairs, quads and halves.
func digits8(v uint64) (k int, value uint64) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	nondigit := ((v + 0x46*ones) | (v - '0'*ones)) & highs
	k = bits.TrailingZeros64(nondigit) / 8 // 8 when all are digits
	if k == 0 {
		return 0, 0
	}
	d := (v - '0'*ones) << (64 - 8*k)
	d = (d * (10<<8 + 1)) >> 8 & 0x00FF00FF00FF00FF
	d = (d * (100<<16 + 1)) >> 16 & 0x0000FFFF0000FFFF
	return k, (d * (10000<<32 + 1)) >> 32
}

// number parses a JSON number at p.i as strconv.ParseFloat(s, 64) does
// (correctly rounded; out of range is an error, as in encoding/json).
func (p *featureParser) number() (float64, error) {
	start := p.i
	f, end, kind := scanNumber(p.b, start)
	p.i = end
	switch kind {
	case numExact:
		return f, nil
	case numBadDigit:
		return 0, p.errf("invalid number: want a digit, found %s", p.describe())
	case numBadFraction:
		return 0, p.errf("invalid number: want a digit after '.', found %s", p.describe())
	case numBadExponent:
		return 0, p.errf("invalid number: want a digit in the exponent, found %s", p.describe())
	}
	s := p.b[start:end]
	f, err := strconv.ParseFloat(string(s), 64) // rare: exponents, long mantissas
	if err != nil {
		return 0, &syntaxError{fmt.Sprintf("number %s out of range", s), start}
	}
	return f, nil
}

// What scanNumber found.
const (
	numExact       = iota // the value is exact: mantissa < 2⁵³ over a power of ten ≤ 22
	numStrconv            // a valid number that strconv must convert
	numBadDigit           // invalid: no digit at end
	numBadFraction        // invalid: no digit after '.' at end
	numBadExponent        // invalid: no digit in the exponent at end
)

// scanNumber reads the JSON number at b[i:] and returns where it ends (or
// where it is invalid) and, when kind is numExact, its value.
func scanNumber(b []byte, i int) (f float64, end int, kind int) {
	neg := false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	var mant uint64
	nd := 0 // significant digits in mant
	exp := 0
	exact := true // mant holds all digits
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
			if nd < 19 {
				mant = mant*10 + uint64(b[i]-'0')
				nd++
			} else {
				exact = false
			}
		}
	default:
		return 0, i, numBadDigit
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, i, numBadFraction
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			if nd <= 11 && i+8 <= len(b) {
				// Up to eight digits at once while mant has room for them
				// (the fractions of coordinates). A leading zero counts as
				// a digit here: that only sends more numbers to strconv.
				k, v := digits8(binary.LittleEndian.Uint64(b[i:]))
				mant = mant*pow10u[k] + v
				nd += k
				exp -= k
				i += k
				continue
			}
			switch {
			case nd >= 19:
				exact = false
			case mant == 0 && b[i] == '0':
				exp-- // a leading zero takes no digit of mant
			default:
				mant = mant*10 + uint64(b[i]-'0')
				nd++
				exp--
			}
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return 0, i, numBadExponent
		}
		for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		}
		exact = false // leave exponents to strconv
	}
	if exact && mant>>53 == 0 {
		f := float64(mant)
		if neg {
			f = -f
		}
		switch {
		case exp == 0 || mant == 0:
			return f, i, numExact
		case exp < 0 && exp >= -22:
			return f / pow10[-exp], i, numExact
		}
	}
	return 0, i, numStrconv
}

// IDFields are the properties an error names as the feature's id when the
// feature has no "id" member: data.DefaultIDFields (a test keeps them
// equal; data imports this package, not the other way round).
var IDFields = []string{"id", "ID", "编号", "BSM", "name"}

// idFromProps is the id-like property of a feature's raw properties, for
// messages about a feature that failed to parse; "" if none.
func idFromProps(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	for _, k := range IDFields {
		switch v := m[k].(type) {
		case string:
			if v != "" {
				return v
			}
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}
