package analysis_test

import (
	"context"
	"strings"
	"testing"

	"github.com/redline-gis/redline/analysis"
)

const accessCSV = "\ufeff管控单元编码,行业代码,结论,管控要求,来源\n" +
	"priority,C26,禁止,优先保护单元禁止新建化学原料和化学制品制造项目,示意清单 第1条\n" + // line 2
	"ZH001,C2614,restricted,ZH001 内有机化学原料制造须符合园区规划,示意清单 第2条\n" + // line 3
	"ZH001,工业,review,ZH001 内工业项目须开展环境影响论证,示意清单 第3条\n" + // line 4
	"key,*,allowed,重点管控单元执行污染物排放管控要求,示意清单 第4条\n" + // line 5
	"*,mining,restricted,各单元采矿项目须落实生态修复,示意清单 第5条\n" // line 6

func TestParseAccessListCSVAndYAML(t *testing.T) {
	a, err := analysis.ParseAccessList("list.csv", []byte(accessCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Clauses) != 5 || a.Clauses[0].Line != 2 || a.Clauses[4].Line != 6 {
		t.Fatalf("clauses %+v", a.Clauses)
	}
	c := a.Clauses[2]
	if c.Unit != "ZH001" || c.Target != "industrial" || c.Verdict != analysis.Review {
		t.Errorf("row 3: %+v", c)
	}
	y := `clauses:
  - {unit: 优先保护单元, target: "26", verdict: prohibited, clause: 禁止化工, source: 示意}
  - unit: ZH001
    target: C2614
    verdict: 限制
    clause: 须符合规划
    source: 示意
`
	b, err := analysis.ParseAccessList("list.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Clauses) != 2 || b.Clauses[0].Line != 2 || b.Clauses[1].Line != 3 || b.Clauses[0].Target != "C26" || b.Clauses[0].Unit != "priority" {
		t.Errorf("yaml: %+v", b.Clauses)
	}
}

func TestParseAccessListErrors(t *testing.T) {
	head := "unit,target,verdict,clause,source\n"
	for name, tc := range map[string]struct{ file, src, want string }{
		"unknown verdict": {"a.csv", head + "priority,C26,maybe,x,y\n", "line 2"},
		"short row":       {"a.csv", head + "priority,C26,review,x,y\nkey,C26,review\n", "line 3"},
		"no source":       {"a.csv", head + "priority,C26,review,x,\n", "line 2: no source"},
		"bad target":      {"a.csv", head + "priority,spaceport,review,x,y\n", "line 2: target"},
		"no verdict col":  {"a.csv", "unit,target,clause,source\n", "no verdict column"},
		"clear verdict":   {"a.csv", head + "key,*,clear,x,y\n", "line 2"},
		"yaml verdict":    {"a.yaml", "- {unit: key, target: '*', verdict: 禁, clause: x, source: y}\n- {unit: key, target: '*', verdict: nope, clause: x, source: y}\n", "line 1"},
		"yaml field":      {"a.yaml", "clauses:\n  - {unit: key, target: '*', verdict: review, clause: x, source: y}\n  - {unit: key, tgt: '*', verdict: review, clause: x, source: y}\n", "line 3"},
		"empty":           {"a.csv", head, "no rows"},
		"bad quote":       {"a.csv", head + "key,\"*,review,x,y\n", "line"},
	} {
		_, err := analysis.ParseAccessList(tc.file, []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file) {
			t.Errorf("%s: %v, want an error with %q", name, err, tc.want)
		}
	}
}

func TestAccessListMatch(t *testing.T) {
	a, err := analysis.ParseAccessList("list.csv", []byte(accessCSV))
	if err != nil {
		t.Fatal(err)
	}
	lines := func(cs []analysis.AccessClause) []int {
		var out []int
		for _, c := range cs {
			out = append(out, c.Line)
		}
		return out
	}
	for _, tc := range []struct {
		name                     string
		code, cat, typ, industry string
		want                     []int
	}{
		{"prefix C26 matches C2614, unit code first", "ZH001", "priority", "industrial", "C2614", []int{3, 4, 2}},
		{"digits only get their section", "ZH001", "priority", "chemical", "2614", []int{3, 2}},
		{"other unit, same category", "ZH002", "priority", "chemical", "C2619", []int{2}},
		{"industry outside the prefix", "ZH002", "priority", "industrial", "C3011", nil},
		{"key unit, any type", "ZH009", "key", "tourism", "", []int{5}},
		{"every unit, by type", "ZH009", "general", "mining", "B0810", []int{6}},
		{"no matching clause", "ZH009", "general", "tourism", "", nil},
	} {
		got := lines(a.Match(tc.code, tc.cat, tc.typ, tc.industry))
		if len(got) != len(tc.want) {
			t.Errorf("%s: lines %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: lines %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

// TestScreenControlUnits: a site over two units with different verdicts
// (the strictest wins, both listed), each category × project type by the
// default rules, a clause by industry prefix, a unit without clauses.
func TestScreenControlUnits(t *testing.T) {
	units := constraint(t, "control_unit", layer(t, "control_unit",
		feat{"U1", map[string]any{"HJDYBM": "ZH001", "HJDYMC": "示意优先保护单元", "管控类别": "优先保护单元"}, box(100.00, 23.90, 100.01, 23.91)},
		feat{"U2", map[string]any{"HJDYBM": "ZH002", "HJDYMC": "示意重点管控单元", "管控类别": "重点管控单元"}, box(100.01, 23.90, 100.02, 23.91)},
		feat{"U3", map[string]any{"HJDYBM": "ZH003", "管控类别": "一般管控单元"}, box(100.02, 23.90, 100.03, 23.91)}))
	if units.Zones[0] != "priority" || units.Zones[1] != "key" || units.Zones[2] != "general" || units.Codes[0] != "ZH001" || units.Names[0] != "示意优先保护单元" {
		t.Fatalf("zones %v codes %v names %v", units.Zones, units.Codes, units.Names)
	}
	acc, err := analysis.ParseAccessList("list.csv", []byte(accessCSV))
	if err != nil {
		t.Fatal(err)
	}
	screen := func(typ, industry string, b [4]float64) analysis.SiteResult {
		t.Helper()
		props := map[string]any{"project_type": typ}
		if industry != "" {
			props["行业代码"] = industry
		}
		sites := layer(t, "sites", feat{"S", props, box(b[0], b[1], b[2], b[3])})
		res, err := analysis.Screen(context.Background(), sites, []*analysis.Constraint{units}, analysis.DefaultRules(), analysis.ScreenOptions{Access: acc})
		if err != nil {
			t.Fatal(err)
		}
		return res.Sites[0]
	}
	inU1 := [4]float64{100.002, 23.902, 100.004, 23.904}
	inU2 := [4]float64{100.012, 23.902, 100.014, 23.904}
	inU3 := [4]float64{100.022, 23.902, 100.024, 23.904}
	overU1U2 := [4]float64{100.008, 23.902, 100.012, 23.904}
	for _, tc := range []struct {
		name     string
		typ, ind string
		where    [4]float64
		want     analysis.Verdict
		wantRule string
	}{
		{"priority × industrial (default rule)", "industrial", "", inU1, analysis.Review, "control-unit-priority-development"},
		{"priority × tourism", "tourism", "", inU1, analysis.Allowed, "control-unit-priority-other"},
		{"priority × C2614 by prefix C26", "chemical", "C2614", inU1, analysis.Prohibited, "access-list:2"},
		{"key × chemical: clause allowed", "chemical", "", inU2, analysis.Allowed, "control-unit-key"},
		{"key × mining: clause for every unit", "mining", "", inU2, analysis.Restricted, "access-list:6"},
		{"general × tourism: no clause", "tourism", "", inU3, analysis.Allowed, "control-unit-general"},
	} {
		s := screen(tc.typ, tc.ind, tc.where)
		if len(s.Conflicts) != 1 || s.Conflicts[0].Verdict != tc.want || s.Conflicts[0].RuleID != tc.wantRule {
			t.Errorf("%s: %+v", tc.name, s.Conflicts)
		}
	}
	s := screen("chemical", "C2614", overU1U2)
	if len(s.Conflicts) != 2 || s.Verdict != analysis.Prohibited {
		t.Fatalf("two units: verdict %s, %+v", s.Verdict, s.Conflicts)
	}
	if c := s.Conflicts[0]; c.UnitCode != "ZH001" || c.Verdict != analysis.Prohibited || len(c.Clauses) != 2 || c.Clauses[0].Line != 3 {
		t.Errorf("unit ZH001: %+v", c)
	}
	if c := s.Conflicts[1]; c.UnitCode != "ZH002" || c.Verdict != analysis.Allowed || len(c.Clauses) != 1 {
		t.Errorf("unit ZH002: %+v", c)
	}
	// A site industry code that is not one is an error naming the site.
	sites := layer(t, "sites", feat{"S9", map[string]any{"行业代码": "化工"}, box(inU1[0], inU1[1], inU1[2], inU1[3])})
	if _, err := analysis.Screen(context.Background(), sites, []*analysis.Constraint{units}, analysis.DefaultRules(), analysis.ScreenOptions{Access: acc}); err == nil || !strings.Contains(err.Error(), "S9") {
		t.Errorf("bad industry code: %v", err)
	}
}

func FuzzParseAccessList(f *testing.F) {
	f.Add("a.csv", accessCSV)
	f.Add("a.yaml", "clauses:\n  - {unit: key, target: C26, verdict: review, clause: x, source: y}\n")
	f.Add("a", "- {unit: '*', target: '*', verdict: allowed, clause: x, source: y}\n")
	f.Add("a.csv", "unit,target,verdict,clause,source\n\"a\"\"b\",C,review,x,y\n")
	f.Fuzz(func(t *testing.T, name, src string) {
		a, err := analysis.ParseAccessList(name, []byte(src))
		if err != nil {
			return
		}
		for _, c := range a.Clauses {
			if c.Line < 1 || c.Text == "" || c.Source == "" || c.Verdict == analysis.Clear {
				t.Fatalf("accepted a bad clause %+v", c)
			}
			a.Match("ZH001", "priority", "chemical", "C2614")
		}
	})
}
