package report

import (
	"embed"
	"html/template"
	"strconv"
	"time"

	"github.com/redline-gis/redline/analysis"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"num":     FormatNumber,
	"inum":    func(n int) string { return FormatNumber(float64(n), 0) },
	"verdict": VerdictText,
	"f1":      func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) },
	"half":    func(x float64) float64 { return x / 2 },
	"add":     func(a, b float64) float64 { return a + b },
	"tr":      tr,
	"role":    sourceRole,
}).ParseFS(templateFS, "templates/*.tmpl"))

// Source is one input file of a report.
type Source struct {
	Role     string // "sites", "regions", or the layer's name
	Kind     string // layer kind, if any
	Path     string
	Format   string
	CRS      string // the file's CRS as read
	Features int
}

// Meta is what a report says about how it was made.
type Meta struct {
	Title     string // default: the report's own title
	Note      string // shown under the title (e.g. "illustrative data")
	Sources   []Source
	Generated time.Time
	Version   string // tool version
	NearM     float64
}

func areaMethodText(lang Lang, method string) string {
	if method == analysis.AreaMethod {
		return tr(lang, "CGCS2000 椭球面积（经纬度直线边，椭球面精确积分）；距离、长度为椭球大地线",
			"exact ellipsoidal area on CGCS2000 (edges straight in lon/lat); distances and lengths geodesic")
	}
	return method
}

// layerLabel names a layer for people: a layer named after its built-in
// kind gets the kind's Chinese name in Chinese reports.
func layerLabel(lang Lang, name, kind string) string {
	if lang != EN && name == kind {
		return analysis.KindNameZH(kind)
	}
	return name
}

// sourceRole names a report source's role for people.
func sourceRole(lang Lang, s Source) string {
	switch s.Role {
	case "sites":
		return tr(lang, "项目地块", "sites")
	case "regions":
		return tr(lang, "行政区", "regions")
	}
	return layerLabel(lang, s.Role, s.Kind)
}
