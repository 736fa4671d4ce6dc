package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/redline-gis/redline/geo"
)

// ClassBy asks for a layer broken down by the values of one field
// (`--by KIND=FIELD`): the 压占分析 / 土地利用现状表 of a pre-approval report.
type ClassBy struct {
	Layer string // layer name (its kind unless a layers file names it)
	Field string // e.g. DLMC (三调 地类名称) or DLBM (地类编码)
}

// The 三调 fields for a land class: its code (DLBM) and its name (DLMC).
var (
	landCodeFields = []string{"DLBM", "地类编码"}
	landNameFields = []string{"DLMC", "地类名称"}
)

// Classes holds the class of every feature of a layer by one field. Features
// of one class are dissolved when measured, so overlapping features of a
// class never count twice.
type Classes struct {
	Layer string
	Field string
	Keys  []string // per feature (by position): what groups it
	// Values are what reports show: the field's value, or for a 三调 code the
	// GB/T 21010-2017 name (水田 for 0101; an unknown code stays the code).
	Values []string
	Codes  []string // per feature: the 三调 code where there is one
	// FromCodes says the names were looked up from codes (DLBM).
	FromCodes bool
}

// NewClasses reads field from every feature of l. When field is a 三调 code
// field (DLBM, 地类编码), or a name field (DLMC, 地类名称) that the layer
// does not have while it has DLBM, values are codes and names come from the
// GB/T 21010-2017 table. A field that no feature has is an error naming the
// layer and the fields it does have. Any number of distinct values is fine.
func NewClasses(l *geo.Layer, field string) (*Classes, error) {
	return newClasses(l.Name, l, field)
}

// newClasses is NewClasses for a layer called name in messages.
func newClasses(name string, l *geo.Layer, field string) (*Classes, error) {
	field = strings.TrimSpace(field)
	if field == "" {
		return nil, fmt.Errorf("analysis: layer %s: no field to break down by", name)
	}
	n := l.Len()
	c := &Classes{Layer: l.Name, Field: field, Keys: make([]string, n), Values: make([]string, n), Codes: make([]string, n)}
	has := func(fields []string) bool {
		for i := range l.Features {
			if _, ok := lookupFold(l.Features[i].Props, fields); ok {
				return true
			}
		}
		return false
	}
	fields := []string{field}
	byCode := foldIn(field, landCodeFields)
	// An empty layer has no field to miss: pushdown screens a batch of
	// sites far from every feature with an empty piece of the layer.
	if n > 0 && !has(fields) {
		if !foldIn(field, landNameFields) || !has(landCodeFields) {
			return nil, fmt.Errorf("analysis: layer %s: no feature has the field %q (fields: %s)", name, field, fieldList(l))
		}
		fields, byCode = landCodeFields, true
	}
	c.FromCodes = byCode
	for i := range l.Features {
		props := l.Features[i].Props
		raw, _ := lookupFold(props, fields)
		v := strings.TrimSpace(raw)
		code := v
		if !byCode {
			code, _ = lookupFold(props, landCodeFields)
			code = strings.TrimSpace(code)
		}
		c.Codes[i] = code
		c.Keys[i], c.Values[i] = v, v
		if byCode || v == "" && code != "" {
			c.Keys[i], c.Values[i] = code, code
			if lc, ok := LookupLandClass(code); ok {
				c.Values[i] = lc.Name
			}
		}
	}
	return c, nil
}

func foldIn(s string, list []string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// fieldList names the fields of a layer's features, sorted, for messages.
func fieldList(l *geo.Layer) string {
	seen := map[string]bool{}
	for i := range l.Features {
		for k := range l.Features[i].Props {
			seen[k] = true
		}
	}
	if len(seen) == 0 {
		return "none"
	}
	names := make([]string, 0, len(seen))
	for k := range seen {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) > 40 {
		names = append(names[:40], fmt.Sprintf("… %d more", len(names)-40))
	}
	return strings.Join(names, ", ")
}

// ClassOverlap is one row of a site's table by class: how much of the site
// one class value of a layer covers (its features dissolved), or, with
// Uncovered, the part no feature of the layer covers. For a polygon site the
// rows' areas add up to the site's area when the layer's classes do not
// overlap each other; for a line the lengths add up to its length.
type ClassOverlap struct {
	Layer         string  `json:"layer"`
	Field         string  `json:"field"`
	Value         string  `json:"value"` // "" for the uncovered row
	Code          string  `json:"code,omitempty"`
	OverlapM2     float64 `json:"overlap_m2"`
	OverlapPct    float64 `json:"overlap_pct"` // of the site's area, or of its length for a line
	LengthInsideM float64 `json:"length_inside_m"`
	Inside        bool    `json:"inside"` // the site meets the class's interior (a point site: lies in it)
	Uncovered     bool    `json:"uncovered,omitempty"`
}

// classMember is a feature of a class that a site may touch: its position
// in the layer and its checked (possibly repaired) geometry.
type classMember struct {
	fi    int
	f     *geo.Feature // the (checked) feature: its engine form is built only if an overlay needs it
	piece geo.Shape    // site ∩ feature when built already (else empty)
}

// tabulate measures site f against each class of the members (features of
// the layer that may touch it, validated) and adds the uncovered row, which
// is the site less the layer's dissolved overlap lo.
func tabulate(f *geo.Feature, dim int, siteArea, siteLen float64, cl *Classes, members []classMember, lo LayerOverlap) ([]ClassOverlap, error) {
	groups := map[string][]classMember{}
	for _, m := range members {
		k := cl.Keys[m.fi]
		groups[k] = append(groups[k], m)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rows := []ClassOverlap{}
	for _, k := range keys {
		g := groups[k]
		first := g[0].fi
		row := ClassOverlap{Layer: cl.Layer, Field: cl.Field, Value: cl.Values[first], Code: classCode(cl, g)}
		switch dim {
		case 2:
			a, err := membersAreaM2(f, g)
			if err != nil {
				return nil, fmt.Errorf("analysis: site %s: layer %s: class %q: %w", f.Label(), cl.Layer, row.Value, err)
			}
			row.OverlapM2 = min(a, siteArea)
			row.OverlapPct, row.Inside = pct(row.OverlapM2, siteArea), row.OverlapM2 > 0
		case 1:
			in, err := lengthInside(f.Shape(), siteLen, g)
			if err != nil {
				return nil, fmt.Errorf("analysis: site %s: layer %s: class %q: %w", f.Label(), cl.Layer, row.Value, err)
			}
			row.LengthInsideM = in
			row.OverlapPct, row.Inside = pct(in, siteLen), in > 0
		default:
			for _, m := range g {
				hit, err := geo.Intersects(f.Shape(), m.f.Shape())
				if err != nil {
					return nil, fmt.Errorf("analysis: site %s: layer %s: class %q: %w", f.Label(), cl.Layer, row.Value, err)
				}
				if hit {
					row.Inside, row.OverlapPct = true, 100
					break
				}
			}
		}
		if row.Inside {
			rows = append(rows, row)
		}
	}
	slices.SortStableFunc(rows, func(a, b ClassOverlap) int {
		if c := cmp.Compare(b.OverlapM2, a.OverlapM2); c != 0 {
			return c
		}
		return cmp.Compare(b.LengthInsideM, a.LengthInsideM)
	})
	un := ClassOverlap{Layer: cl.Layer, Field: cl.Field, Uncovered: true}
	switch dim {
	case 2:
		un.OverlapM2 = math.Max(0, siteArea-lo.OverlapM2)
		un.OverlapPct = pct(un.OverlapM2, siteArea)
		un.Inside = un.OverlapM2 > 0
	case 1:
		un.LengthInsideM = math.Max(0, siteLen-lo.LengthInsideM)
		un.OverlapPct = pct(un.LengthInsideM, siteLen)
		un.Inside = un.LengthInsideM > 0
	default:
		un.Inside = !lo.Inside
		if un.Inside {
			un.OverlapPct = 100
		}
	}
	return append(rows, un), nil
}

// membersAreaM2 is the area of site f that the members cover together.
func membersAreaM2(f *geo.Feature, members []classMember) (float64, error) {
	cv := geo.Cover{Clip: f.Geom, ClipFeature: f}
	for _, m := range members {
		cv.Shapes, cv.Pieces = append(cv.Shapes, m.f.Shape()), append(cv.Pieces, m.piece)
		if geo.IsPolygonal(f.Geom) {
			cv.Geoms = append(cv.Geoms, m.f.Geom)
		}
	}
	a, _, err := cv.AreaM2()
	return a, err
}

// classCode is the 三调 code of a class when all its features agree on one.
func classCode(cl *Classes, g []classMember) string {
	code := cl.Codes[g[0].fi]
	for _, m := range g[1:] {
		if cl.Codes[m.fi] != code {
			return ""
		}
	}
	return code
}

// lengthInside is the length of a line site inside the union of members:
// its length less the length outside every one of them.
func lengthInside(site geo.Shape, siteLen float64, members []classMember) (float64, error) {
	rest := site
	for _, m := range members {
		d, err := geo.Difference(rest, m.f.Shape())
		if err != nil {
			return 0, err
		}
		rest = d
	}
	return math.Max(0, siteLen-rest.Linear().LengthM()), nil
}
