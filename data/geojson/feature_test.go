package geojson

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo"
)

const fastSq = `{"type":"Polygon","coordinates":[[[100,23.9],[100.01,23.9],[100.01,23.91],[100,23.91],[100,23.9]]]}`

func fastFeature(geom string) string {
	return `{"type":"FeatureCollection","features":[{"type":"Feature","id":"f","properties":{},"geometry":` + geom + `}]}`
}

// TestReadGeoJSONRejects lists input the parser must refuse, each with the
// words its error must hold.
func TestReadGeoJSONRejects(t *testing.T) {
	deep := strings.Repeat("[", 2000) + strings.Repeat("]", 2000)
	gc := fastSq
	for range 40 {
		gc = `{"type":"GeometryCollection","geometries":[` + gc + `]}`
	}
	tests := []struct{ name, in, want string }{
		{"one number", fastFeature(`{"type":"Point","coordinates":[1]}`), "position 0 has 1 numbers, want at least 2"},
		{"empty position", fastFeature(`{"type":"LineString","coordinates":[[1,2],[]]}`), "position 1 has 0 numbers"},
		{"polygon as line", fastFeature(`{"type":"Polygon","coordinates":[[1,2],[3,4]]}`), "Polygon coordinates: want 3 levels of arrays around the numbers, found a number at level 3"},
		{"line too deep", fastFeature(`{"type":"LineString","coordinates":[[[1,2]]]}`), "too deeply nested"},
		{"string number", fastFeature(`{"type":"Point","coordinates":["1",2]}`), "want a number"},
		{"null number", fastFeature(`{"type":"Point","coordinates":[null,2]}`), "want a number"},
		{"null coordinates", fastFeature(`{"type":"Point","coordinates":null}`), "want an array"},
		{"leading zero", fastFeature(`{"type":"Point","coordinates":[01,2]}`), "want ',' or ']' in a position"},
		{"bare point", fastFeature(`{"type":"Point","coordinates":[1.,2]}`), "want a digit after '.'"},
		{"leading point", fastFeature(`{"type":"Point","coordinates":[.5,2]}`), "want a number"},
		{"plus", fastFeature(`{"type":"Point","coordinates":[+1,2]}`), "want a number"},
		{"empty exponent", fastFeature(`{"type":"Point","coordinates":[1e,2]}`), "exponent"},
		{"NaN", fastFeature(`{"type":"Point","coordinates":[NaN,2]}`), "want a number"},
		{"minus alone", fastFeature(`{"type":"Point","coordinates":[-,2]}`), "want a digit"},
		{"hex", fastFeature(`{"type":"Point","coordinates":[0x10,2]}`), "want ',' or ']'"},
		{"overflow", fastFeature(`{"type":"Point","coordinates":[1e400,2]}`), "out of range"},
		{"trailing comma coordinates", fastFeature(`{"type":"LineString","coordinates":[[1,2],[3,4],]}`), "want an array"},
		{"trailing comma features", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null},]}`, "want a value"},
		{"missing comma features", `[{"type":"Feature","properties":{},"geometry":null} {"type":"Feature","properties":{},"geometry":null}]`, "after feature 0: want ',' or ']'"},
		{"trailing comma top", `{"type":"FeatureCollection","features":[],}`, "want a value"},
		{"unknown type", fastFeature(`{"type":"Circle","coordinates":[1,2]}`), `unknown type "Circle"`},
		{"no type", fastFeature(`{"coordinates":[1,2]}`), `no "type"`},
		{"no coordinates", fastFeature(`{"type":"Point"}`), `Point without "coordinates"`},
		{"collection without geometries", fastFeature(`{"type":"GeometryCollection"}`), `without "geometries"`},
		{"null in collection", fastFeature(`{"type":"GeometryCollection","geometries":[null]}`), "not a geometry object"},
		{"collections too deep", fastFeature(gc), "nested more than 32 deep"},
		{"deep foreign member", fastFeature(`{"type":"Point","coordinates":[1,2],"x":` + deep + `}`), "nested more than 1000 deep"},
		{"control character", `[{"type":"Feature","id":"a` + "\x01" + `","properties":{},"geometry":null}]`, "control character"},
		{"bad escape", `[{"type":"Feature","id":"a\x","properties":{},"geometry":null}]`, "invalid escape"},
		{"bad unicode escape", `[{"type":"Feature","id":"a\u12g4","properties":{},"geometry":null}]`, `invalid \u escape`},
		{"mismatched brackets", `[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2}]}]`, "feature 0"},
		{"type not a string", `[{"type":5,"properties":{},"geometry":null}]`, `"type" is not a string`},
		{"type a string too late", `[{"type":5,"type":"Feature","properties":{},"geometry":null}]`, `"type" is not a string`},
		{"properties array", `[{"type":"Feature","id":7,"properties":[1],"geometry":null}]`, "feature 0 (id 7): properties"},
		{"geometry a number", `[{"type":"Feature","id":7,"properties":{},"geometry":5}]`, "feature 0 (id 7): geometry: not an object"},
		{"id after bad geometry", `[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1]},"id":"late"}]`, "feature 0 (id late): geometry: Point coordinates"},
		{"truncated", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":` + fastSq, "feature 0: unexpected EOF"},
		{"truncated after", `[{"type":"Feature","properties":{},"geometry":null}`, "after feature 0: unexpected EOF"},
		{"empty", ``, "not JSON"},
		{"number", `5`, "not a GeoJSON object or array"},
		{"garbage", `hello`, "not JSON"},
		{"bad member name", `{5:1}`, "want a member name"},
		{"features not array", `{"type":"FeatureCollection","features":{}}`, `"features" is not an array`},
		{"invalid other member", `{"type":"FeatureCollection","name":[1,,2],"features":[]}`, `member "name": invalid JSON`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, err := Read(strings.NewReader(tc.in), "x.geojson")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "data: x.geojson: ") {
				t.Errorf("error %v, want it to start with the file and mention %q (read %v)", err, tc.want, src)
			}
		})
	}
}

func TestReadGeoJSONVertexLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString(`[`)
	for i := range 100 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"type":"Feature","properties":{},"geometry":` + fastSq + `}`)
	}
	b.WriteString(`]`)
	defer func(n int) { streamChunk = n }(streamChunk)
	streamChunk = 256 // many batches: the limit stops the read early
	_, err := ReadLimit(strings.NewReader(b.String()), "x.geojson", 99)
	if err == nil || !strings.Contains(err.Error(), "more than 99 vertices") {
		t.Errorf("error %v, want the limit of 99 vertices", err)
	}
	if _, err := ReadLimit(strings.NewReader(b.String()), "x.geojson", 500); err != nil {
		t.Errorf("500 vertices with a limit of 500: %v", err)
	}
	single := `{"type":"Feature","properties":{},"geometry":` + fastSq + `}`
	if _, err := ReadLimit(strings.NewReader(single), "x.geojson", 4); err == nil || !strings.Contains(err.Error(), "limit of 4") {
		t.Errorf("single feature: error %v, want the limit of 4", err)
	}
}

// TestReadGeoJSONMatchesOld reads valid GeoJSON in unusual but legal
// shapes with the parser and with the old encoding/json + orb reader.
func TestReadGeoJSONMatchesOld(t *testing.T) {
	docs := []string{
		fastFeature(fastSq),
		`{"features":[{"type":"Feature","properties":{"id":7},"geometry":` + fastSq + `}],"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4490"}}}`,
		"\uFEFF \r\n\t[ { \"type\" : \"Feature\" , \"id\" : 1.50 , \"properties\" : { } , \"geometry\" : { \"type\" : \"Point\" , \"coordinates\" : [ -0 , 1E2 , 7 ] } } ]\n",
		`[{"geometry":{"coordinates":[[[1,2],[3,4],[5,6],[1,2]]],"type":"Polygon"},"properties":null,"type":"Feature"}]`,
		`[{"Type":"Feature","ID":"\u0041\n","PROPERTIES":{"\u00e9":1},"Geometry":{"TYPE":"LineString","Coordinates":[[1,2],[3,4]]}}]`,
		`[{"t\u0079pe":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[1,2],[3,4,5,6]]}}]`,
		`[{"type":"Feature","properties":{"a":1},"properties":{"b":2},"geometry":{"type":"Point","coordinates":[1,2]},"geometry":{"type":"Point","coordinates":[3,4]}}]`,
		`[{"type":"Feature","properties":{"big":12345678901234567890,"i":-42,"f":1.5,"e":1e3,"s":"红线","n":null,"b":true,"o":{"x":[1,2.5]}},"geometry":null}]`,
		`[{"type":"Feature","id":{"a": [1, 2]},"properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],[1,2]],[[1.5,2.5],[2,3],[1.5,2.5]]],[[[10,20],[30,40],[50,60],[10,20]]],[]]}}]`,
		`[{"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[[[1,2],[3,4]],[],[[5,6]]]},"bbox":[1,2,3,4],"foreign":{"x":[true,false,null]}}]`,
		`[{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"GeometryCollection","geometries":[]},{"coordinates":[[1,2],[3,4]],"type":"LineString"}]}}]`,
		`[{"type":"Feature","properties":{},"geometry":{"type":"Point","type":"LineString","coordinates":[[1,2],[3,4]]}}]`,
		`[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[]}},{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[]]}}]`,
		`[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0.1,0.000000000000000000000000001234,123456789012345678901234567890,1.7976931348623157e308,4.9e-324,1e-400,99.123456789012345678,-0.0]}}]`,
		`[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[99.12345678901234567,-23.000000000000000001]}}]`,
		`[]`,
		`{"type":"Feature","id":"one","properties":{"a":"b"},"geometry":` + fastSq + `}`,
		`{"type":"Feature","properties":null,"geometry":null}`,
		fastSq,
		`{"type":"GeometryCollection","geometries":[` + fastSq + `,{"type":"Point","coordinates":[1,2]}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}],"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}`,
	}
	for i, doc := range docs {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			old, oerr := oldReadGeoJSON(strings.NewReader(doc), "x.geojson")
			if oerr != nil {
				t.Fatalf("old reader: %v", oerr)
			}
			for _, chunk := range []int{1 << 20, 1, 5, 64} {
				func() {
					defer func(n int) { streamChunk = n }(streamChunk)
					streamChunk = chunk
					src, err := Read(iotest.HalfReader(strings.NewReader(doc)), "x.geojson")
					if err != nil {
						t.Fatalf("chunk %d: %v", chunk, err)
					}
					if d := diffSources(old, src); d != "" {
						t.Errorf("chunk %d: %s", chunk, d)
					}
				}()
			}
		})
	}
}

// diffSources describes how b differs from a ("" if not), comparing
// coordinates bit for bit.
func diffSources(a, b *geo.Source) string {
	if a.CRSFrom != b.CRSFrom || a.CRS != b.CRS {
		return fmt.Sprintf("CRS %v (%s), want %v (%s)", b.CRS, b.CRSFrom, a.CRS, a.CRSFrom)
	}
	if len(a.Records) != len(b.Records) {
		return fmt.Sprintf("%d records, want %d", len(b.Records), len(a.Records))
	}
	for i := range a.Records {
		ra, rb := a.Records[i], b.Records[i]
		if ra.ID != rb.ID {
			return fmt.Sprintf("record %d: id %q, want %q", i, rb.ID, ra.ID)
		}
		if !reflect.DeepEqual(ra.Props, rb.Props) {
			return fmt.Sprintf("record %d: properties %#v, want %#v", i, rb.Props, ra.Props)
		}
		if !sameGeometry(ra.Geom, rb.Geom) {
			return fmt.Sprintf("record %d: geometry %#v, want %#v", i, rb.Geom, ra.Geom)
		}
		// The extent the parser hands on must be what NewFeature would
		// find on the old reader's geometry, bit for bit.
		if rb.Extent.Known() && !sameExtent(rb.Extent, geo.ExtentOf(ra.Geom)) {
			return fmt.Sprintf("record %d: extent %#v, want %#v", i, rb.Extent, geo.ExtentOf(ra.Geom))
		}
		if !rb.Extent.Known() && rb.Geom != nil {
			return fmt.Sprintf("record %d: no extent", i)
		}
	}
	return ""
}

// sameExtent compares the boxes' bits (−0 is not 0) and the rest.
func sameExtent(a, b geo.Extent) bool {
	for k := range 2 {
		if math.Float64bits(a.Bound.Min[k]) != math.Float64bits(b.Bound.Min[k]) ||
			math.Float64bits(a.Bound.Max[k]) != math.Float64bits(b.Bound.Max[k]) {
			return false
		}
	}
	a.Bound, b.Bound = orb.Bound{}, orb.Bound{}
	return a == b
}

// sameGeometry compares types, nil-ness of slices and coordinate bits.
func sameGeometry(a, b orb.Geometry) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	same := func(x, y []orb.Point) bool {
		if (x == nil) != (y == nil) || len(x) != len(y) {
			return false
		}
		for i := range x {
			if math.Float64bits(x[i][0]) != math.Float64bits(y[i][0]) || math.Float64bits(x[i][1]) != math.Float64bits(y[i][1]) {
				return false
			}
		}
		return true
	}
	switch a := a.(type) {
	case nil:
		return true
	case orb.Point:
		return same([]orb.Point{a}, []orb.Point{b.(orb.Point)})
	case orb.MultiPoint:
		return same(a, b.(orb.MultiPoint))
	case orb.LineString:
		return same(a, b.(orb.LineString))
	case orb.MultiLineString:
		bb := b.(orb.MultiLineString)
		if (a == nil) != (bb == nil) || len(a) != len(bb) {
			return false
		}
		for i := range a {
			if !same(a[i], bb[i]) {
				return false
			}
		}
		return true
	case orb.Polygon:
		bb := b.(orb.Polygon)
		if (a == nil) != (bb == nil) || len(a) != len(bb) {
			return false
		}
		for i := range a {
			if !same(a[i], bb[i]) {
				return false
			}
		}
		return true
	case orb.MultiPolygon:
		bb := b.(orb.MultiPolygon)
		if (a == nil) != (bb == nil) || len(a) != len(bb) {
			return false
		}
		for i := range a {
			if !sameGeometry(a[i], bb[i]) {
				return false
			}
		}
		return true
	case orb.Collection:
		bb := b.(orb.Collection)
		if (a == nil) != (bb == nil) || len(a) != len(bb) {
			return false
		}
		for i := range a {
			if !sameGeometry(a[i], bb[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// genGeoJSON writes a random valid FeatureCollection: member order,
// white space, number spellings (exponents, Z values, long mantissas,
// negative zero), escapes and property types all vary.
func genGeoJSON(rng *rand.Rand) string {
	var b strings.Builder
	ws := func() {
		for range rng.Intn(3) {
			b.WriteByte(" \t\n\r"[rng.Intn(4)])
		}
	}
	num := func() {
		switch rng.Intn(9) {
		case 0:
			b.WriteString(strconv.Itoa(rng.Intn(2000) - 1000))
		case 1:
			b.WriteString(strconv.FormatFloat(rng.NormFloat64()*1e6, 'e', -1, 64))
		case 2:
			b.WriteString(strconv.FormatFloat(rng.Float64()*360-180, 'f', rng.Intn(25), 64))
		case 3:
			b.WriteString("-0")
		case 4:
			fmt.Fprintf(&b, "%d.%0*dE%+d", rng.Intn(100), 1+rng.Intn(20), rng.Int63n(1e15), rng.Intn(40)-20)
		case 5:
			b.WriteString(strconv.FormatFloat(math.Float64frombits(rng.Uint64()&^(0x7ff<<52)|uint64(rng.Intn(2046)+1)<<52), 'g', -1, 64))
		default:
			b.WriteString(strconv.FormatFloat(99+rng.Float64(), 'f', 7, 64))
		}
	}
	pos := func() {
		b.WriteByte('[')
		ws()
		for k := range 2 + rng.Intn(2) {
			if k > 0 {
				b.WriteByte(',')
				ws()
			}
			num()
			ws()
		}
		b.WriteByte(']')
	}
	var arr func(level int)
	arr = func(level int) {
		if level == 0 {
			pos()
			return
		}
		b.WriteByte('[')
		for k := range rng.Intn(4) {
			if k > 0 {
				b.WriteByte(',')
			}
			ws()
			arr(level - 1)
			ws()
		}
		b.WriteByte(']')
	}
	var geom func(nest int)
	geom = func(nest int) {
		t := geomTypes[rng.Intn(len(geomTypes))]
		if t.levels < 0 && nest > 2 {
			t = geomTypes[0]
		}
		parts := []func(){
			func() { fmt.Fprintf(&b, `"type":%q`, t.name) },
		}
		if t.levels >= 0 {
			parts = append(parts, func() { b.WriteString(`"coordinates":`); ws(); arr(t.levels) })
		} else {
			parts = append(parts, func() {
				b.WriteString(`"geometries":[`)
				for k := range rng.Intn(3) {
					if k > 0 {
						b.WriteByte(',')
					}
					geom(nest + 1)
				}
				b.WriteString(`]`)
			})
		}
		if rng.Intn(4) == 0 {
			parts = append(parts, func() { b.WriteString(`"bbox":[1,2,3,4]`) })
		}
		rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		b.WriteByte('{')
		for k, p := range parts {
			if k > 0 {
				b.WriteByte(',')
			}
			ws()
			p()
			ws()
		}
		b.WriteByte('}')
	}
	str := func() {
		s := []string{"a", "红线", `q\"x`, `\u0041\u00e9\ud83d\ude00`, `tab\tnl\n`, "", `\/`, "\xff"}[rng.Intn(8)]
		b.WriteString(`"` + s + `"`)
	}
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := range rng.Intn(6) {
		if i > 0 {
			b.WriteByte(',')
		}
		ws()
		parts := []func(){
			func() { b.WriteString(`"type":"Feature"`) },
			func() {
				b.WriteString(`"properties":`)
				if rng.Intn(5) == 0 {
					b.WriteString("null")
					return
				}
				b.WriteByte('{')
				for k := range rng.Intn(4) {
					if k > 0 {
						b.WriteByte(',')
					}
					switch rng.Intn(6) { // duplicates, escapes: the last wins
					case 0:
						b.WriteString(`"k\u0030"`)
					case 1:
						b.WriteString(`"k0"`)
					default:
						fmt.Fprintf(&b, `"k%d"`, k)
					}
					ws()
					b.WriteByte(':')
					ws()
					switch rng.Intn(6) {
					case 5:
						b.WriteString([]string{"9223372036854775807", "9223372036854775808", "-9223372036854775809", "1.0", "1e2", "-0", "0.1"}[rng.Intn(7)])
					case 0:
						num()
					case 1:
						str()
					case 2:
						b.WriteString([]string{"true", "false", "null"}[rng.Intn(3)])
					case 3:
						b.WriteString(`{"x":[`)
						num()
						b.WriteString(`]}`)
					default:
						b.WriteString(strconv.FormatInt(rng.Int63()-rng.Int63(), 10))
					}
				}
				b.WriteByte('}')
			},
			func() {
				b.WriteString(`"geometry":`)
				if rng.Intn(6) == 0 {
					b.WriteString("null")
				} else {
					geom(0)
				}
			},
		}
		if rng.Intn(2) == 0 {
			parts = append(parts, func() {
				b.WriteString(`"id":`)
				if rng.Intn(2) == 0 {
					num()
				} else {
					str()
				}
			})
		}
		rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		b.WriteByte('{')
		for k, p := range parts {
			if k > 0 {
				b.WriteByte(',')
			}
			ws()
			p()
			ws()
		}
		b.WriteByte('}')
		ws()
	}
	b.WriteString(`]}`)
	return b.String()
}

// FuzzReadGeoJSONDifferential checks the parser against the old reader
// (encoding/json + orb): on generated valid GeoJSON both must give the same
// records, coordinates bit for bit; on arbitrary bytes the parser must not
// panic or hang, and whatever it accepts the old reader must accept with the
// same result (the parser is only ever stricter).
//
//	go test ./data/geojson -run '^$' -fuzz FuzzReadGeoJSONDifferential -fuzztime 2000x
func FuzzReadGeoJSONDifferential(f *testing.F) {
	f.Add([]byte(fastFeature(fastSq)))
	f.Add([]byte(`[{"type":"Feature","properties":{"a":[1,{"b":null}]},"geometry":{"coordinates":[[1,2,3]],"type":"MultiPoint"}}]`))
	f.Add([]byte(`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1e5,-0.5]}]}`))
	f.Add([]byte(`{"type":"Feature","id":5,"properties":null,"geometry":{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],[1,2]]]]}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<16 {
			return
		}
		h := fnv.New64a()
		h.Write(in)
		seed := int64(h.Sum64())
		defer func(n int) { streamChunk = n }(streamChunk)
		streamChunk = 1 + int(uint64(seed)%200)

		// Generated valid GeoJSON: both readers agree.
		doc := genGeoJSON(rand.New(rand.NewSource(seed)))
		old, oerr := oldReadGeoJSON(strings.NewReader(doc), "g.geojson")
		src, err := Read(strings.NewReader(doc), "g.geojson")
		if oerr != nil || err != nil {
			t.Fatalf("generated %s:\nold: %v\nnew: %v", doc, oerr, err)
		}
		if d := diffSources(old, src); d != "" {
			t.Fatalf("generated %s: %s", doc, d)
		}

		// The fuzzer's bytes: what the parser accepts, the old reader did.
		src, err = Read(bytes.NewReader(in), "f.geojson")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "data: f.geojson: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		old, oerr = oldReadGeoJSONNoPanic(in)
		if oerr != nil {
			t.Fatalf("%q: the old reader refused it (%v), the parser accepted it", in, oerr)
		}
		if d := diffSources(old, src); d != "" {
			t.Fatalf("%q: %s", in, d)
		}
	})
}

func oldReadGeoJSONNoPanic(in []byte) (src *geo.Source, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return oldReadGeoJSON(bytes.NewReader(in), "f.geojson")
}

// TestNumberMatchesStrconv: the number parser (eight digits at a time where
// it can) gives strconv.ParseFloat's float64, bit for bit, on decimals of
// every length, with leading zeros, long mantissas and exponents, followed
// by the bytes that end a number in a position.
func TestNumberMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.Intn(10))
		}
		return string(b)
	}
	for k := 0; k < 200000; k++ {
		s := ""
		if rng.Intn(3) == 0 {
			s = "-"
		}
		if rng.Intn(4) == 0 {
			s += "0"
		} else {
			s += string(byte('1'+rng.Intn(9))) + digits(rng.Intn(5))
		}
		if rng.Intn(6) != 0 {
			frac := digits(1 + rng.Intn(22))
			if rng.Intn(5) == 0 {
				frac = "000" + frac
			}
			s += "." + frac
		}
		if rng.Intn(10) == 0 {
			s += "e" + []string{"", "+", "-"}[rng.Intn(3)] + digits(1+rng.Intn(2))
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			continue
		}
		// What follows, read along by the eight-digit step: the end of the
		// input, the next position, and bytes just outside '0'..'9' and
		// above 0x80, which must end the digits without carrying into them.
		for _, end := range []string{"", ",", "]", " ,1", "],[99.1234567,23.7654321]", "\xba\xff\x00/:99999999", ":/0123456789", "名称\x80\xc0"} {
			p := &featureParser{b: []byte(s + end)}
			got, err := p.number()
			if err != nil || math.Float64bits(got) != math.Float64bits(want) || p.i != len(s) {
				t.Fatalf("%q: got %v (%v, at %d), want %v", s+end, got, err, p.i, want)
			}
		}
	}
}

// TestStructuralBytesMatchesScanClass: the eight-byte step of skipValue
// flags exactly the brackets and quotes of each word, byte by byte, as it
// counts them.
func TestStructuralBytesMatchesScanClass(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	var w [8]byte
	for k := 0; k < 500000; k++ {
		for i := range w {
			switch rng.Intn(4) {
			case 0:
				w[i] = `"[]{}`[rng.Intn(5)]
			case 1:
				w[i] = byte(rng.Intn(256))
			default:
				w[i] = "0123456789.,-e \n:"[rng.Intn(17)]
			}
		}
		open, closed, quote := structuralBytes(binary.LittleEndian.Uint64(w[:]))
		for i, c := range w {
			bit := func(m uint64) bool { return m>>(8*i+7)&1 == 1 }
			if bit(open) != (c == '[' || c == '{') || bit(closed) != (c == ']' || c == '}') || bit(quote) != (c == '"') {
				t.Fatalf("%q: byte %d (%q) flagged open %v closed %v quote %v", w, i, c, bit(open), bit(closed), bit(quote))
			}
		}
		if (open|closed|quote)&^0x8080808080808080 != 0 {
			t.Fatalf("%q: flags outside the high bits", w)
		}
	}
}
