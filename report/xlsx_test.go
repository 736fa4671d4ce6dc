package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/redline-gis/redline/internal/geotest"
)

// xlsxRows reads a sheet back with raw (unformatted) cell values.
// openXLSX writes a workbook with write and opens it for reading.
func openXLSX(t *testing.T, write func(io.Writer) error) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func xlsxRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows
}

func xlsxFloat(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("cell %q is not a number: %v", s, err)
	}
	return x
}

func TestScreenXLSX(t *testing.T) {
	res, _ := screenFixture(t)
	// The numbers to match are those of the JSON output.
	var js bytes.Buffer
	if err := WriteJSON(&js, res); err != nil {
		t.Fatal(err)
	}
	var want struct {
		Sites []struct {
			AreaM2    float64 `json:"area_m2"`
			Conflicts []struct {
				FeatureID  string  `json:"feature_id"`
				OverlapM2  float64 `json:"overlap_m2"`
				OverlapPct float64 `json:"overlap_pct"`
			} `json:"conflicts"`
			Nearby []struct {
				DistanceM float64 `json:"distance_m"`
			} `json:"nearby"`
		} `json:"sites"`
	}
	if err := json.Unmarshal(js.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	tol := geotest.Tol{Rel: 1e-9, Abs: 1e-9}
	for _, lang := range []Lang{ZH, EN} {
		t.Run(string(lang), func(t *testing.T) {
			f := openXLSX(t, func(w io.Writer) error { return WriteScreenXLSX(w, res, lang) })
			sum, conf, near := ScreenXLSXSheets(lang)
			if got := f.GetSheetList(); len(got) != 3 || got[0] != sum || got[1] != conf || got[2] != near {
				t.Fatalf("sheets %v, want %s, %s, %s", got, sum, conf, near)
			}
			rows := xlsxRows(t, f, sum)
			if len(rows) != 1+len(want.Sites) {
				t.Fatalf("summary: %d rows, want %d", len(rows), 1+len(want.Sites))
			}
			for i, s := range want.Sites {
				geotest.ApproxEqual(t, "site area", xlsxFloat(t, rows[1+i][5]), s.AreaM2, tol)
			}
			rows = xlsxRows(t, f, conf)
			k := 1
			for _, s := range want.Sites {
				for _, c := range s.Conflicts {
					if k >= len(rows) {
						t.Fatalf("conflicts: %d rows, want more", len(rows))
					}
					if rows[k][5] != c.FeatureID {
						t.Errorf("conflict row %d: feature %q, want %q", k, rows[k][5], c.FeatureID)
					}
					geotest.ApproxEqual(t, "overlap_m2", xlsxFloat(t, rows[k][8]), c.OverlapM2, tol)
					geotest.ApproxEqual(t, "overlap_pct", xlsxFloat(t, rows[k][11]), c.OverlapPct, tol)
					k++
				}
			}
			if k != len(rows) || k == 1 {
				t.Errorf("conflicts: %d rows, want %d (and at least one)", len(rows), k)
			}
			rows = xlsxRows(t, f, near)
			k = 1
			for _, s := range want.Sites {
				for _, n := range s.Nearby {
					geotest.ApproxEqual(t, "distance_m", xlsxFloat(t, rows[k][8]), n.DistanceM, tol)
					k++
				}
			}
			if k != len(rows) {
				t.Errorf("nearby: %d rows, want %d", len(rows), k)
			}
			// Header frozen, numbers formatted.
			for _, sh := range []string{sum, conf, near} {
				p, err := f.GetPanes(sh)
				if err != nil || !p.Freeze || p.YSplit != 1 {
					t.Errorf("sheet %s: panes %+v (%v), want the header row frozen", sh, p, err)
				}
			}
			shown, err := f.GetCellValue(conf, "I2")
			if err != nil {
				t.Fatal(err)
			}
			if want := FormatNumber(want.Sites[0].Conflicts[0].OverlapM2, 2); shown != want {
				t.Errorf("overlap shown as %q, want %q (format #,##0.00)", shown, want)
			}
		})
	}
}
