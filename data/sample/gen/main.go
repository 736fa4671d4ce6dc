// Command gen writes the illustrative data set of package sample
// (data/sample/*.geojson), deterministically: the same program always
// writes the same bytes, and sample's tests check that the embedded files
// are exactly what it writes.
//
//	go run ./data/sample/gen            # rewrites data/sample/*.geojson
//	go run ./data/sample/gen -out DIR   # writes them into DIR
//
// Every shape is built from parameters: a centre (lon/lat), radii or
// half-sides in metres (converted to degrees with the CGCS2000 ellipsoid's
// local scale at the centre), and a smooth "wobble" that makes outlines look
// natural while keeping them star-shaped around their centre, hence simple.
// Nested zones (core/buffer/experimental, Level I/II/quasi) share one
// outline scaled by different radii, so their rings never cross and the
// hole of each zone is exactly the outer ring of the zone inside it.
// The red-line patches HX-002 and HX-003 and the sites are lon/lat boxes
// with round corners, so that tests can compute their overlaps in closed
// form. The data are illustrative, not official: every file says so.
//
// It uses only the standard library, so the tests can run it cheaply.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// note is carried by every file (top-level "description") and every
// feature (property "note"); package sample exports the same text as Note.
const note = "示意数据，非官方数据 / illustrative, not official data"

func main() {
	out := flag.String("out", filepath.Join("data", "sample"), "directory to write the GeoJSON files into")
	flag.Parse()
	for _, f := range files() {
		if err := os.WriteFile(filepath.Join(*out, f.name+".geojson"), f.encode(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	if err := os.WriteFile(filepath.Join(*out, "access_list.csv"), []byte(accessList), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// pt is a lon/lat position in degrees.
type pt struct{ lon, lat float64 }

// ring is a closed ring (first position repeated last).
type ring []pt

// geom is a GeoJSON geometry: Polygon (rings), LineString or Point.
type geom struct {
	typ   string
	rings []ring // Polygon: outer counter-clockwise, holes clockwise
	line  []pt   // LineString
	point pt     // Point
}

// prop is one property, kept in order so the output is stable.
type prop struct {
	key string
	val any
}

type feature struct {
	props []prop
	geom  geom
}

type file struct {
	name, title string
	feats       []feature
}

// The CGCS2000 ellipsoid.
const (
	ellA = 6378137.0
	ellF = 1 / 298.257222101
)

// metresPerDegree returns the length of one degree of longitude and of
// latitude at latitude lat (degrees) on the ellipsoid.
func metresPerDegree(lat float64) (lon, latM float64) {
	e2 := ellF * (2 - ellF)
	s := math.Sin(lat * math.Pi / 180)
	w := 1 - e2*s*s
	n := ellA / math.Sqrt(w)
	m := ellA * (1 - e2) / (w * math.Sqrt(w))
	return n * math.Cos(lat*math.Pi/180) * math.Pi / 180, m * math.Pi / 180
}

// offset moves c by east and north metres.
func offset(c pt, east, north float64) pt {
	kx, ky := metresPerDegree(c.lat)
	return pt{c.lon + east/kx, c.lat + north/ky}
}

// wobble is a radius factor 1 + Σ amp·sin(k·θ + phase); amplitudes sum
// to well under 1, so the factor stays positive.
type wobble [][3]float64 // amp, k, phase

func (w wobble) at(t float64) float64 {
	r := 1.0
	for _, h := range w {
		r += h[0] * math.Sin(h[1]*t+h[2])
	}
	return r
}

// blob is a natural-looking closed outline around c: an ellipse with
// semi-axes a (along rot degrees from east) and b metres, scaled by w, n
// vertices, counter-clockwise. It is star-shaped around c, hence simple.
func blob(c pt, a, b, rot float64, w wobble, n int) ring {
	r := make(ring, 0, n+1)
	sr, cr := math.Sincos(rot * math.Pi / 180)
	for i := 0; i < n; i++ {
		t := 2 * math.Pi * float64(i) / float64(n)
		f := w.at(t)
		x, y := a*f*math.Cos(t), b*f*math.Sin(t)
		r = append(r, round(offset(c, x*cr-y*sr, x*sr+y*cr)))
	}
	return append(r, r[0])
}

// onBlob is the point of blob(c, a, b, 0, w, ·) at angle t, pushed out by
// extra metres along the ray.
func onBlob(c pt, a, b float64, w wobble, t, extra float64) pt {
	f := w.at(t)
	x, y := a*f*math.Cos(t), b*f*math.Sin(t)
	d := math.Hypot(x, y)
	return offset(c, x*(d+extra)/d, y*(d+extra)/d)
}

// box is the lon/lat box [lon1, lon2] × [lat1, lat2], counter-clockwise.
func box(lon1, lat1, lon2, lat2 float64) ring {
	return ring{{lon1, lat1}, {lon2, lat1}, {lon2, lat2}, {lon1, lat2}, {lon1, lat1}}
}

// boxAround is a box of w × h metres centred on c, its corners rounded to
// 1e-4° (about 10 m) so that they are short decimals.
func boxAround(c pt, w, h float64) ring {
	sw, ne := offset(c, -w/2, -h/2), offset(c, w/2, h/2)
	r4 := func(v float64) float64 { return math.Round(v*1e4) / 1e4 }
	return box(r4(sw.lon), r4(sw.lat), r4(ne.lon), r4(ne.lat))
}

// reversed returns r clockwise (for a hole).
func reversed(r ring) ring {
	out := make(ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

// round keeps 7 decimals (about 1 cm).
func round(p pt) pt {
	return pt{math.Round(p.lon*1e7) / 1e7, math.Round(p.lat*1e7) / 1e7}
}

func polygon(rings ...ring) geom { return geom{typ: "Polygon", rings: rings} }

// The places of the data set, around 临翔区 (Lincang's seat, ~100.08E 23.88N).
var (
	reserveC = pt{100.20, 23.96} // the nature reserve's centre
	reserveW = wobble{{0.07, 3, 0.4}, {0.04, 5, 1.9}, {0.02, 9, 0.7}}
	waterC   = pt{100.02, 23.84} // the reservoir (drinking-water source)
	waterW   = wobble{{0.08, 2, 2.1}, {0.04, 5, 0.3}, {0.015, 11, 1.2}}
)

// Zone radii in metres: reserve core/buffer/experimental, water I/II/quasi.
const (
	coreM, bufferM, experimentalM = 1500.0, 2500.0, 4000.0
	levelIM, levelIIM, quasiM     = 800.0, 2000.0, 3000.0
)

func files() []file {
	return []file{redlineFile(), reserveFile(), waterFile(), farmlandFile(), controlUnitFile(), landuseFile(), sitesFile()}
}

// The two control units (三线一单 环境管控单元): a priority-protection unit over
// the reserve's south-west quarter (S05 lies in it, S01 does not) and a
// key-control unit over the reservoir's north-west shore (S08).
func controlUnitFile() file {
	return file{name: "control_unit", title: "环境管控单元（示意）/ environmental control units (illustrative)", feats: []feature{
		{props: []prop{{"id", "ZH53090210001"}, {"HJDYBM", "ZH53090210001"}, {"HJDYMC", "南汀河示意优先保护单元"}, {"管控类别", "优先保护单元"}},
			geom: polygon(boxBetween(reserveC, -4500, -4500, -800, -600))},
		{props: []prop{{"id", "ZH53090220001"}, {"HJDYBM", "ZH53090220001"}, {"HJDYMC", "示意水库周边重点管控单元"}, {"管控类别", "重点管控单元"}},
			geom: polygon(boxBetween(waterC, -1500, 100, 600, 1600))},
	}}
}

// accessList is the units' illustrative access list (生态环境准入清单): a
// clause for tourism in the priority unit (S05) and one by GB/T 4754 industry
// prefix K70 (房地产开发经营) in key-control units (S08, 行业代码 K7010).
const accessList = "管控单元编码,行业代码,结论,管控要求,来源\n" +
	"ZH53090210001,旅游,限制,优先保护单元内旅游接待设施须控制建设规模，不得新增污染物直接排放,示意准入清单（非官方）第1条\n" +
	"重点管控单元,K70,限制,重点管控单元内房地产开发项目须配套污水收集处理设施，不得向水库直接排放,示意准入清单（非官方）第2条\n" +
	"重点管控单元,C26,禁止,重点管控单元内禁止新建化学原料和化学制品制造项目,示意准入清单（非官方）第3条\n"

// The land-use parcels (三调-like, DLBM/DLMC) around S06 and S07: lon/lat
// boxes, so that tests know their overlaps in closed form. Around S06: 水田
// west, 旱地 north-east, 设施农用地 south-east (code only: the name comes
// from GB/T 21010). Around S07: 乔木林地 west (two overlapping features: the
// class is dissolved), 工业用地 north-east, nothing south-east (未覆盖).
func landuseFile() file {
	parcel := func(id, code, name string, r ring) feature {
		ps := []prop{{"id", id}, {"DLBM", code}}
		if name != "" {
			ps = append(ps, prop{"DLMC", name})
		}
		return feature{props: ps, geom: polygon(r)}
	}
	c6, c7 := s06Centre(), pt{100.36, 23.70}
	return file{name: "landuse", title: "土地利用现状（示意）/ land use (illustrative)", feats: []feature{
		parcel("TB-0001", "0101", "水田", boxBetween(c6, -400, -300, 0, 300)),
		parcel("TB-0002", "0103", "旱地", boxBetween(c6, 0, 0, 400, 300)),
		parcel("TB-0003", "1202", "", boxBetween(c6, 0, -300, 400, 0)),
		parcel("TB-0004", "0301", "乔木林地", boxBetween(c7, -400, -400, 0, 400)),
		parcel("TB-0005", "0301", "乔木林地", boxBetween(c7, -200, -100, 0, 100)),
		parcel("TB-0006", "0601", "工业用地", boxBetween(c7, 0, 0, 400, 400)),
	}}
}

// boxBetween is the box from (west, south) to (east, north) metres off c,
// its corners rounded to 1e-4°.
func boxBetween(c pt, west, south, east, north float64) ring {
	sw, ne := offset(c, west, south), offset(c, east, north)
	r4 := func(v float64) float64 { return math.Round(v*1e4) / 1e4 }
	return box(r4(sw.lon), r4(sw.lat), r4(ne.lon), r4(ne.lat))
}

// s06Centre is the centre of S06, the seed farm on the farmland's east side.
func s06Centre() pt { return offset(farmlandC, 380, 40) }

func redlineFile() file {
	return file{name: "redline", title: "生态保护红线（示意）/ ecological protection red line (illustrative)", feats: []feature{
		{props: []prop{{"id", "HX-001"}, {"名称", "南汀河北岸山脊"}, {"红线类型", "水源涵养"}},
			geom: polygon(blob(pt{100.10, 23.90}, 2500, 600, 35, wobble{{0.06, 4, 0.2}, {0.03, 7, 2.5}}, 120))},
		// HX-002 and HX-003 overlap (two delimitation batches): a site over
		// both must count the shared part once per layer.
		{props: []prop{{"id", "HX-002"}, {"名称", "博尚水库东坡"}, {"红线类型", "水土保持"}},
			geom: polygon(box(100.300, 23.800, 100.312, 23.810))},
		{props: []prop{{"id", "HX-003"}, {"名称", "博尚水库东坡（补划）"}, {"红线类型", "水土保持"}},
			geom: polygon(box(100.308, 23.806, 100.320, 23.816))},
		{props: []prop{{"id", "HX-004"}, {"名称", "马台林区"}, {"红线类型", "生物多样性维护"}},
			geom: polygon(blob(pt{100.24, 23.76}, 1000, 900, 0, wobble{{0.1, 3, 1.0}, {0.05, 6, 0.1}}, 96))},
	}}
}

// zoned returns nested zones: the first is a disc-like outline of radius
// radii[0], each next one a ring from radii[i-1] to radii[i].
func zoned(c pt, w wobble, radii ...float64) []geom {
	var out []geom
	var inner ring
	for _, r := range radii {
		outer := blob(c, r, r, 0, w, 144)
		if inner == nil {
			out = append(out, polygon(outer))
		} else {
			out = append(out, polygon(outer, reversed(inner)))
		}
		inner = outer
	}
	return out
}

func reserveFile() file {
	z := zoned(reserveC, reserveW, coreM, bufferM, experimentalM)
	name := "南汀河示意自然保护区"
	return file{name: "reserve", title: "自然保护区功能分区（示意）/ nature reserve zones (illustrative)", feats: []feature{
		{props: []prop{{"id", "ZR-core"}, {"保护区名称", name}, {"功能分区", "核心区"}}, geom: z[0]},
		{props: []prop{{"id", "ZR-buffer"}, {"保护区名称", name}, {"功能分区", "缓冲区"}}, geom: z[1]},
		{props: []prop{{"id", "ZR-exp"}, {"保护区名称", name}, {"功能分区", "实验区"}}, geom: z[2]},
	}}
}

func waterFile() file {
	z := zoned(waterC, waterW, levelIM, levelIIM, quasiM)
	name := "示意水库饮用水水源保护区"
	return file{name: "water", title: "饮用水水源保护区（示意）/ drinking-water-source protection zones (illustrative)", feats: []feature{
		{props: []prop{{"id", "SY-1"}, {"名称", name}, {"保护区级别", "一级"}}, geom: z[0]},
		{props: []prop{{"id", "SY-2"}, {"名称", name}, {"保护区级别", "二级"}}, geom: z[1]},
		{props: []prop{{"id", "SY-Z"}, {"名称", name}, {"保护区级别", "准保护区"}}, geom: z[2]},
	}}
}

// farmlandC is the centre of the first farmland patch, which S06 farms.
var farmlandC = pt{100.10, 23.79}

func farmlandFile() file {
	return file{name: "farmland", title: "永久基本农田（示意）/ permanent basic farmland (illustrative)", feats: []feature{
		{props: []prop{{"id", "JBNT-001"}, {"名称", "南美坝区一片"}},
			geom: polygon(blob(farmlandC, 520, 380, 10, wobble{{0.08, 3, 0.5}, {0.04, 5, 2.0}}, 72))},
		{props: []prop{{"id", "JBNT-002"}, {"名称", "南美坝区二片"}},
			geom: polygon(blob(pt{100.125, 23.797}, 380, 300, -20, wobble{{0.07, 2, 1.1}, {0.05, 7, 0.4}}, 72))},
		{props: []prop{{"id", "JBNT-003"}, {"名称", "南美坝区三片"}},
			geom: polygon(blob(pt{100.118, 23.775}, 320, 260, 40, wobble{{0.09, 3, 2.7}, {0.03, 6, 1.5}}, 72))},
	}}
}

func sitesFile() file {
	site := func(id, name, typ string, g geom) feature {
		return feature{props: []prop{{"id", id}, {"名称", name}, {"项目类型", typ}}, geom: g}
	}
	// S01 straddles the core/buffer boundary due east of the reserve's centre.
	s01 := boxAround(onBlob(reserveC, coreM, coreM, reserveW, 0, 0), 400, 400)
	// S05 sits well inside the experimental zone, south-west of the centre.
	t5 := 215 * math.Pi / 180
	s05 := boxAround(onBlob(reserveC, 3250, 3250, reserveW, t5, 0), 220, 200)
	// S04, an outfall, lies 350 m (along the ray) outside the quasi zone.
	t4 := -30 * math.Pi / 180
	s04 := round(onBlob(waterC, quasiM, quasiM, waterW, t4, 350))
	// S08 straddles the Level I/II boundary.
	t8 := 120 * math.Pi / 180
	s08 := boxAround(onBlob(waterC, levelIM, levelIM, waterW, t8, 0), 300, 260)
	road := []pt{{100.0820, 23.9220}, {100.0905, 23.9128}, {100.0968, 23.9061}, {100.1010, 23.9010},
		{100.1062, 23.8962}, {100.1120, 23.8905}, {100.1180, 23.8840}}
	return file{name: "sites", title: "拟建项目选址（示意）/ proposed project sites (illustrative)", feats: []feature{
		site("S01", "工业园扩区", "工业", polygon(s01)),
		site("S02", "物流商贸中心", "商业", polygon(box(100.3060, 23.8075, 100.3105, 23.8115))),
		site("S03", "乡村公路改线", "道路", geom{typ: "LineString", line: road}),
		site("S04", "化工厂排污口", "化工", geom{typ: "Point", point: s04}),
		site("S05", "生态旅游接待站", "旅游", polygon(s05)),
		site("S06", "水稻良种繁育基地", "农业", polygon(boxAround(s06Centre(), 300, 250))),
		site("S07", "农产品加工厂", "工业", polygon(boxAround(pt{100.36, 23.70}, 300, 300))),
		withProp(site("S08", "湖畔度假酒店", "房地产", polygon(s08)), prop{"行业代码", "K7010"}),
	}}
}

// withProp adds a property to a feature.
func withProp(f feature, p prop) feature {
	f.props = append(f.props, p)
	return f
}

// encode writes f as an RFC 7946 FeatureCollection, one feature per line,
// with a top-level "name" and "description" (foreign members) and the
// note as every feature's first property.
func (f file) encode() []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","name":`)
	b.Write(mustJSON(f.name))
	b.WriteString(`,"description":`)
	b.Write(mustJSON(note + ". " + f.title + "; made by data/sample/gen for `redline demo`."))
	b.WriteString(`,"features":[`)
	for i, ft := range f.feats {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n{\"type\":\"Feature\",\"properties\":{")
		for j, p := range append([]prop{{"note", note}}, ft.props...) {
			if j > 0 {
				b.WriteByte(',')
			}
			b.Write(mustJSON(p.key))
			b.WriteByte(':')
			b.Write(mustJSON(p.val))
		}
		b.WriteString(`},"geometry":`)
		ft.geom.encode(&b)
		b.WriteByte('}')
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

func (g geom) encode(b *bytes.Buffer) {
	fmt.Fprintf(b, `{"type":%q,"coordinates":`, g.typ)
	switch g.typ {
	case "Point":
		writePt(b, g.point)
	case "LineString":
		writePts(b, g.line)
	case "Polygon":
		b.WriteByte('[')
		for i, r := range g.rings {
			if i > 0 {
				b.WriteByte(',')
			}
			writePts(b, r)
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
}

func writePts(b *bytes.Buffer, ps []pt) {
	b.WriteByte('[')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		writePt(b, p)
	}
	b.WriteByte(']')
}

func writePt(b *bytes.Buffer, p pt) {
	b.WriteByte('[')
	b.WriteString(strconv.FormatFloat(p.lon, 'f', -1, 64))
	b.WriteByte(',')
	b.WriteString(strconv.FormatFloat(p.lat, 'f', -1, 64))
	b.WriteByte(']')
}

func mustJSON(v any) []byte {
	out, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings are marshalled
	}
	return out
}
