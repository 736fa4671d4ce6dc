package analysis

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// AccessClause is one row of an access list (生态环境准入清单): for sites in a
// control unit (by unit code or category) of a project type or an industry
// (a GB/T 4754-2017 code prefix), a verdict and the clause that says so.
type AccessClause struct {
	Line int `json:"line"` // 1-based line of the row in the access list
	// Unit is a unit code (ZH53090220001), a category (priority, key,
	// general) or "*" for every unit.
	Unit string `json:"unit"`
	// Target is a project type (industrial), a GB/T 4754 industry code
	// prefix (C26 = 化学原料和化学制品制造业; C2614), or "*".
	Target  string  `json:"target"`
	Verdict Verdict `json:"verdict"`
	Text    string  `json:"clause"`
	Source  string  `json:"source"`

	unitRank   int // 2 unit code, 1 category, 0 any
	targetRank int // 2+len industry prefix, 1 project type, 0 any
}

// AccessList is a parsed access list, rows in file order.
type AccessList struct {
	Name    string         `json:"name"`
	Clauses []AccessClause `json:"clauses"`
}

// Column names an access list's CSV header may use (matched
// case-insensitively), and the YAML keys.
var accessColumns = map[string][]string{
	"unit":    {"unit", "单元", "管控单元", "管控单元编码", "环境管控单元编码", "HJDYBM", "category", "管控类别"},
	"target":  {"target", "industry", "type", "project_type", "行业", "行业代码", "项目类型", "行业/项目类型"},
	"verdict": {"verdict", "结论", "准入结论"},
	"clause":  {"clause", "text", "条款", "管控要求", "准入要求", "内容"},
	"source":  {"source", "basis", "来源", "依据", "出处"},
}

// ParseAccessList reads an access list: CSV with a header row (UTF-8, a
// BOM is fine), or YAML (a list of rows, or a mapping with key clauses), by
// name's extension, else by content. Every row needs a unit, a target, a
// verdict, clause text and its source; an error names the line.
func ParseAccessList(name string, b []byte) (*AccessList, error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	lower := strings.ToLower(name)
	var rows []AccessClause
	var err error
	switch {
	case strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml"):
		rows, err = accessYAML(b)
	case strings.HasSuffix(lower, ".csv"):
		rows, err = accessCSV(b)
	default:
		t := bytes.TrimSpace(b)
		if bytes.HasPrefix(t, []byte("clauses:")) || bytes.HasPrefix(t, []byte("- ")) || bytes.HasPrefix(t, []byte("#")) {
			rows, err = accessYAML(b)
		} else {
			rows, err = accessCSV(b)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("analysis: access list %s: %w", name, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("analysis: access list %s: no rows", name)
	}
	for i := range rows {
		if err := rows[i].normalise(); err != nil {
			return nil, fmt.Errorf("analysis: access list %s: line %d: %w", name, rows[i].Line, err)
		}
	}
	return &AccessList{Name: name, Clauses: rows}, nil
}

func accessCSV(b []byte) ([]AccessClause, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		for key, names := range accessColumns {
			if foldIn(h, names) {
				if _, dup := col[key]; dup {
					return nil, fmt.Errorf("line 1: two %s columns (%s)", key, strings.Join(accessColumns[key], ", "))
				}
				col[key] = i
			}
		}
	}
	for _, key := range []string{"unit", "target", "verdict", "clause", "source"} {
		if _, ok := col[key]; !ok {
			return nil, fmt.Errorf("line 1: no %s column (one of: %s; header: %s)", key, strings.Join(accessColumns[key], ", "), strings.Join(header, ","))
		}
	}
	var rows []AccessClause
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // a csv.ParseError names the line
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("line %d: %d fields, the header has %d", line, len(rec), len(header))
		}
		get := func(k string) string { return strings.TrimSpace(rec[col[k]]) }
		row := AccessClause{Line: line, Unit: get("unit"), Target: get("target"), Text: get("clause"), Source: get("source")}
		if row.Verdict, err = parseAccessVerdict(get("verdict")); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

type accessYAMLRow struct {
	Unit    string `yaml:"unit"`
	Target  string `yaml:"target"`
	Verdict string `yaml:"verdict"`
	Clause  string `yaml:"clause"`
	Source  string `yaml:"source"`
}

func accessYAML(b []byte) ([]AccessClause, error) {
	f, err := parser.ParseBytes(b, 0)
	if err != nil {
		return nil, err // names the line
	}
	if len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return nil, fmt.Errorf("want one YAML document: a list of rows, or clauses: [rows]")
	}
	body := f.Docs[0].Body
	if m, ok := body.(*ast.MappingNode); ok {
		body = nil
		for _, kv := range m.Values {
			if kv.Key.String() != "clauses" {
				return nil, fmt.Errorf("line %d: unknown key %s (want clauses)", kv.Key.GetToken().Position.Line, kv.Key.String())
			}
			body = kv.Value
		}
	} else if m, ok := body.(*ast.MappingValueNode); ok && m.Key.String() == "clauses" {
		body = m.Value
	}
	seq, ok := body.(*ast.SequenceNode)
	if !ok {
		return nil, fmt.Errorf("want a list of rows, or clauses: [rows]")
	}
	var rows []AccessClause
	for _, n := range seq.Values {
		line := n.GetToken().Position.Line
		var y accessYAMLRow
		if err := yaml.NodeToValue(n, &y, yaml.DisallowUnknownField()); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		row := AccessClause{Line: line, Unit: strings.TrimSpace(y.Unit), Target: strings.TrimSpace(y.Target),
			Text: strings.TrimSpace(y.Clause), Source: strings.TrimSpace(y.Source)}
		if row.Verdict, err = parseAccessVerdict(y.Verdict); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// parseAccessVerdict reads a verdict in English or Chinese; "clear" is not
// a verdict a clause can give.
func parseAccessVerdict(s string) (Verdict, error) {
	switch strings.TrimSpace(s) {
	case "禁止", "禁止准入", "禁止类":
		return Prohibited, nil
	case "限制", "限制准入", "限制类":
		return Restricted, nil
	case "需审查", "审查":
		return Review, nil
	case "允许", "允许准入", "允许类":
		return Allowed, nil
	}
	v, err := ParseVerdict(s)
	if err == nil && v == Clear {
		err = fmt.Errorf("verdict %q: a clause gives prohibited, restricted, review or allowed", s)
	}
	return v, err
}

// industryCode is a GB/T 4754-2017 code or prefix: a section letter and up
// to four digits (C, C26, C261, C2614), or the digits alone (2614).
var industryCode = regexp.MustCompile(`^([A-Ta-t])?([0-9]{2,4})?$`)

// normalise checks and canonicalises a row's unit and target.
func (c *AccessClause) normalise() error {
	switch {
	case c.Text == "":
		return fmt.Errorf("no clause text")
	case c.Source == "":
		return fmt.Errorf("no source: every clause needs the document it comes from")
	}
	switch u := c.Unit; {
	case u == "" || u == "*" || u == "全部" || u == "所有":
		c.Unit, c.unitRank = "*", 0
	case unitCategory(u) != "":
		c.Unit, c.unitRank = unitCategory(u), 1
	default:
		c.unitRank = 2
	}
	t := c.Target
	switch {
	case t == "" || t == "*" || t == "全部" || t == "所有":
		c.Target, c.targetRank = "*", 0
		return nil
	}
	if code, ok := normaliseIndustry(t); ok {
		c.Target, c.targetRank = code, 2+len(code)
		return nil
	}
	typ, err := ParseProjectType(t)
	if err != nil {
		return fmt.Errorf("target %q is neither a project type nor a GB/T 4754 industry code (C26, C2614)", t)
	}
	c.Target, c.targetRank = typ, 1
	return nil
}

// unitCategory normalises a control unit category, or returns "".
func unitCategory(s string) string {
	if z, ok := kinds[KindControlUnit].values[strings.TrimSpace(s)]; ok {
		return z
	}
	return kinds[KindControlUnit].values[strings.ToLower(strings.TrimSpace(s))]
}

// normaliseIndustry returns a GB/T 4754 code with its section letter (the
// letter follows from the two-digit division when only digits are given).
func normaliseIndustry(s string) (string, bool) {
	m := industryCode.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || m[0] == "" {
		return "", false
	}
	letter, digits := strings.ToUpper(m[1]), m[2]
	if digits == "" {
		return letter, letter != ""
	}
	sec := industrySection(digits[:2])
	if sec == "" || letter != "" && letter != sec {
		return "", false
	}
	return sec + digits, true
}

// industrySection is the GB/T 4754-2017 section (门类) of a two-digit
// division (大类): 01–05 A 农林牧渔业, 06–12 B 采矿业, 13–43 C 制造业, ….
func industrySection(div string) string {
	var d int
	if _, err := fmt.Sscanf(div, "%d", &d); err != nil {
		return ""
	}
	bounds := []struct {
		last int
		sec  string
	}{{5, "A"}, {12, "B"}, {43, "C"}, {46, "D"}, {50, "E"}, {52, "F"}, {60, "G"}, {62, "H"}, {65, "I"},
		{69, "J"}, {70, "K"}, {72, "L"}, {75, "M"}, {79, "N"}, {82, "O"}, {83, "P"}, {85, "Q"}, {90, "R"},
		{96, "S"}, {97, "T"}}
	if d < 1 {
		return ""
	}
	for _, b := range bounds {
		if d <= b.last {
			return b.sec
		}
	}
	return ""
}

// Match returns the clauses for a site of project type typ and industry code
// (GB/T 4754; "" when unknown) in a unit of code and category: most specific
// first (a clause naming the unit before one for its category before one for
// every unit; then the longest industry prefix, a project type, any), file
// order among equals. A nil list matches nothing.
func (a *AccessList) Match(code, category, typ, industry string) []AccessClause {
	if a == nil {
		return nil
	}
	ind, _ := normaliseIndustry(industry)
	var out []AccessClause
	for _, c := range a.Clauses {
		unitOK := c.unitRank == 0 || c.unitRank == 1 && c.Unit == category || c.unitRank == 2 && c.Unit == code && code != ""
		targetOK := c.targetRank == 0 || c.targetRank == 1 && c.Target == typ || c.targetRank >= 2 && ind != "" && strings.HasPrefix(ind, c.Target)
		if unitOK && targetOK {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(x, y AccessClause) int {
		if c := cmp.Compare(y.unitRank, x.unitRank); c != 0 {
			return c
		}
		return cmp.Compare(y.targetRank, x.targetRank)
	})
	return out
}

// SiteIndustryFields are the site properties read for a GB/T 4754 industry code.
var SiteIndustryFields = []string{"行业代码", "industry", "HYDM", "行业类别代码", "industry_code"}
