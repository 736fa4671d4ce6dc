package coords

import (
	"strings"
	"unicode"
)

// role is what a column holds.
type role int

const (
	roleProp role = iota
	rolePlot
	rolePoint
	roleRing
	roleX // northing (survey X)
	roleY // easting (survey Y)
	roleLon
	roleLat
	roleWKT
)

// header names by role, compared after normalize.
var roleNames = map[role][]string{
	rolePlot:  {"地块编号", "地块号", "地块", "宗地号", "宗地编号", "宗地代码", "图斑编号", "项目编号", "plot", "plotid", "plotno", "parcel", "parcelid", "block"},
	rolePoint: {"点号", "界址点号", "界址点", "点名", "点", "序号", "j", "jzd", "point", "pointid", "pointno", "pt", "ptno", "no", "number"},
	roleRing:  {"圈号", "环号", "圈", "ring", "ringno", "part", "partno"},
	roleX:     {"x", "x坐标", "x北", "x北坐标", "北坐标", "纵坐标", "北", "n", "northing", "north"},
	roleY:     {"y", "y坐标", "y东", "y东坐标", "东坐标", "横坐标", "东", "e", "easting", "east"},
	roleLon:   {"经度", "lon", "lng", "long", "longitude"},
	roleLat:   {"纬度", "lat", "latitude"},
	roleWKT:   {"wkt", "geometry", "geom", "几何", "图形", "shape"},
}

// normalize lower-cases a header and drops spaces, brackets, units and
// punctuation: "X(北)" → "x北", "Y 坐标(m)" → "y坐标".
func normalize(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	for _, u := range []string{"(m)", "（m）", "(米)", "（米）", "/m", "_m"} {
		s = strings.ReplaceAll(s, u, "")
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// columns assigns a role to each header cell; ok is false when the row is
// not a header (no coordinate columns).
func columns(header []string) ([]role, bool) {
	roles := make([]role, len(header))
	have := map[role]bool{}
	idCol := -1
	for i, h := range header {
		n := normalize(h)
		if n == "id" || n == "fid" || n == "编号" {
			idCol = i
			continue
		}
		for r, names := range roleNames {
			for _, name := range names {
				if n == name && !have[r] {
					roles[i], have[r] = r, true
				}
			}
		}
	}
	// "id" is the point number when nothing else is, else a plot id when
	// nothing else is, else a property.
	if idCol >= 0 {
		switch {
		case !have[rolePoint]:
			roles[idCol], have[rolePoint] = rolePoint, true
		case !have[rolePlot]:
			roles[idCol], have[rolePlot] = rolePlot, true
		}
	}
	ok := (have[roleX] && have[roleY]) || (have[roleLon] && have[roleLat]) || have[roleWKT]
	return roles, ok
}
