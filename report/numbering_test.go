package report

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/redline-gis/redline/analysis"
)

// Human reports (table, HTML, xlsx) number sites and rows from 1, as people
// count; JSON and CSV keep the 0-based index that scripts use (issue 10,
// item 9). The fixtures' sites and regions have indexes 0 and 1.

func TestScreenNumbering(t *testing.T) {
	res, layers := screenFixture(t)
	if res.Sites[0].Index != 0 || res.Sites[1].Index != 1 {
		t.Fatalf("fixture indexes %d, %d, want 0, 1", res.Sites[0].Index, res.Sites[1].Index)
	}
	var table bytes.Buffer
	if err := WriteScreenTable(&table, res, ZH); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\n   1  S1 ", "\n   2  S2 "} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if strings.Contains(table.String(), "\n   0  S1 ") {
		t.Errorf("table numbers S1 as 0:\n%s", table.String())
	}

	var page bytes.Buffer
	if err := WriteScreenHTML(&page, res, layers, Meta{}, ZH); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"地块 1 · S1", "地块 2 · S2", `<tr><td class="n">1</td><td>S1</td>`, `<tr><td class="n">2</td><td>S2</td>`} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("html lacks %q", want)
		}
	}

	f := openXLSX(t, func(w io.Writer) error { return WriteScreenXLSX(w, res, ZH) })
	sum, conf, _ := ScreenXLSXSheets(ZH)
	rows := xlsxRows(t, f, sum)
	if rows[1][0] != "1" || rows[1][1] != "S1" || rows[2][0] != "2" || rows[2][1] != "S2" {
		t.Errorf("xlsx summary numbers %v / %v, want 1 S1 / 2 S2", rows[1][:2], rows[2][:2])
	}
	if rows := xlsxRows(t, f, conf); len(rows) < 2 || rows[1][0] != "1" || rows[1][1] != "S1" {
		t.Errorf("xlsx conflicts: first row %v, want site 1 S1", rows[1:])
	}

	var c bytes.Buffer
	if err := WriteScreenCSV(&c, res, ZH); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][0] != "0" || recs[1][1] != "S1" || recs[len(recs)-1][0] != "1" || recs[len(recs)-1][1] != "S2" {
		t.Errorf("csv site_index: %v … %v, want 0 S1 … 1 S2", recs[1][:2], recs[len(recs)-1][:2])
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"index": 0,`) || !strings.Contains(js.String(), `"index": 1,`) {
		t.Errorf("json lost the 0-based index")
	}
}

func TestShareNumbering(t *testing.T) {
	rep := shareFixture(t)
	r := rep.Results[0]
	if len(r.Regions) < 2 || r.Regions[0].Index != 0 {
		t.Fatalf("fixture: %d regions, first index %d", len(r.Regions), r.Regions[0].Index)
	}
	id0, id1 := r.Regions[0].ID, r.Regions[1].ID
	var table bytes.Buffer
	if err := WriteShareTable(&table, rep, EN); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\n1  " + id0 + " ", "\n2  " + id1 + " "} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	var page bytes.Buffer
	if err := WriteShareHTML(&page, rep, Meta{}, EN); err != nil {
		t.Fatal(err)
	}
	if want := `<tr><td class="n">1</td><td>` + id0 + `</td>`; !strings.Contains(page.String(), want) {
		t.Errorf("html lacks %q", want)
	}
	f := openXLSX(t, func(w io.Writer) error { return WriteShareXLSX(w, rep, EN) })
	name, _ := ShareXLSXSheets(EN)
	if rows := xlsxRows(t, f, name); rows[1][1] != "1" || rows[1][2] != id0 || rows[2][1] != "2" {
		t.Errorf("xlsx region #: %v / %v, want 1 %s / 2 %s", rows[1][:3], rows[2][:3], id0, id1)
	}
	var c bytes.Buffer
	if err := WriteShareCSV(&c, rep, EN); err != nil {
		t.Fatal(err)
	}
	if want := "," + "0," + id0 + ","; !strings.Contains(c.String(), want) {
		t.Errorf("csv lacks region_idx 0 (%q):\n%s", want, c.String())
	}
}

func TestValidateNumbering(t *testing.T) {
	res := &analysis.ValidateResult{Files: []analysis.FileValidation{{Path: "a.geojson", Features: 9,
		Invalid: []analysis.InvalidFeature{{Index: 4, ID: "F5", Reason: "ring 0 self-intersects"}}}}}
	var b bytes.Buffer
	if err := WriteValidateTable(&b, res, EN); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\n5  F5 ") {
		t.Errorf("validate table does not number feature index 4 as 5:\n%s", b.String())
	}
	b.Reset()
	changes := []analysis.Repair{{FeatureIndex: 4, FeatureID: "F5", Reason: "ring 0 self-intersects", Did: []string{"MakeValid (GEOS)"}}}
	if err := WriteRepairTable(&b, "a.geojson", changes, EN); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\n5  F5 ") {
		t.Errorf("repair table does not number feature index 4 as 5:\n%s", b.String())
	}
}
