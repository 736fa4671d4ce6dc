package shapefile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/redline-gis/redline/geo"
)

func readDBFOnly(t *testing.T, dbf []byte, extra map[string][]byte) *geo.Source {
	t.Helper()
	var shp testFile
	shp.typ = typePoint
	// One point per DBF record (deleted ones included).
	n := int(dbf[4]) | int(dbf[5])<<8
	for i := range n {
		shp.add(testPoint(typePoint, float64(i), 0))
	}
	files := map[string][]byte{"t.shp": shp.bytes(), "t.dbf": dbf}
	for k, v := range extra {
		files[k] = v
	}
	return readShp(t, testFS(files), "t.shp")
}

func TestDBFTypes(t *testing.T) {
	fields := []dbfTestField{
		{"NAME", 'C', 12, 0}, {"COUNT", 'N', 10, 0}, {"SHARE", 'N', 12, 4}, {"RATE", 'F', 10, 3},
		{"OK", 'L', 1, 0}, {"DAY", 'D', 8, 0}, {"HUGE", 'N', 22, 0},
	}
	rows := [][]string{
		{"Lincang  ", "     25600", "     25.6000", "     0.256", "T", "20190630", "  99999999999999999999"},
		{"", "", "", "", "?", "", ""},
		{"*DELETED*", "gone", "1", "", "", "F", "", ""},
		{"  x", "-3", "**********", " 1,5", "n", "00000000", "-12"},
	}
	src := readDBFOnly(t, dbfTestBuild(0x03, fields, rows), nil)
	want := []map[string]any{
		{"NAME": "Lincang", "COUNT": int64(25600), "SHARE": 25.6, "RATE": 0.256, "OK": true, "DAY": "2019-06-30", "HUGE": 1e20},
		{"NAME": "", "COUNT": nil, "SHARE": nil, "RATE": nil, "OK": nil, "DAY": nil, "HUGE": nil},
		{"NAME": "  x", "COUNT": int64(-3), "SHARE": nil, "RATE": 1.5, "OK": false, "DAY": nil, "HUGE": int64(-12)},
	}
	if len(src.Records) != len(want) {
		t.Fatalf("%d records, want %d (deleted record must be skipped)", len(src.Records), len(want))
	}
	for i, w := range want {
		if !reflect.DeepEqual(src.Records[i].Props, w) {
			t.Errorf("record %d:\n got %#v\nwant %#v", i, src.Records[i].Props, w)
		}
	}
	// The shape of the deleted record (x = 2) is skipped too.
	if x := src.Records[2].Geom.(interface{ Y() float64 }); x == nil {
		t.Fatal("no point")
	}
	if got := src.Records[2].Geom.Bound().Min[0]; got != 3 {
		t.Errorf("record 2 is shape x=%v, want the shape after the deleted one (x=3)", got)
	}
}

func TestDBFEncodings(t *testing.T) {
	gbk := "\xba\xda\xc1\xfa\xbd\xad\xca\xa1"     // 黑龙江省
	gbkName := "\xb9\xa6\xc4\xdc\xb7\xd6\xc7\xf8" // 功能分区
	tests := []struct {
		name  string
		ldid  byte
		field string
		value string
		extra map[string][]byte
		want  string
		warn  string
	}{
		{"LDID 0x4D GBK", 0x4D, "NAME", gbk, nil, "黑龙江省", ""},
		{"LDID 0x7A GBK", 0x7A, "NAME", gbk, nil, "黑龙江省", ""},
		{"LDID 0x57 with GBK text", 0x57, "NAME", gbk, nil, "黑龙江省", "detected as GB18030"},
		{"LDID 0x57 with UTF-8 text", 0x57, "NAME", "黑龙江省", nil, "黑龙江省", "detected as UTF-8"},
		{"no LDID, UTF-8", 0, "NAME", "临沧市", nil, "临沧市", "detected as UTF-8"},
		{"no LDID, Latin-1 text", 0, "NAME", "caf\xe9 ", nil, "café", "detected as windows-1252"},
		{"cpg beats LDID", 0x4D, "NAME", "黑龙江省", map[string][]byte{"t.cpg": []byte("UTF-8")}, "黑龙江省", ""},
		{"cpg GBK", 0, "NAME", gbk, map[string][]byte{"t.cpg": []byte("GBK")}, "黑龙江省", ""},
		{"cpg CP936", 0, "NAME", gbk, map[string][]byte{"t.cpg": []byte("CP936")}, "黑龙江省", ""},
		{"cpg GB18030", 0, "NAME", gbk, map[string][]byte{"t.cpg": []byte("GB18030\n")}, "黑龙江省", ""},
		{"cpg 1251", 0, "NAME", "\xca\xe8\xf0", map[string][]byte{"t.cpg": []byte("1251")}, "Кир", ""},
		{"cpg ANSI 1251", 0, "NAME", "\xca\xe8\xf0", map[string][]byte{"t.cpg": []byte("ANSI 1251")}, "Кир", ""},
		{"unknown cpg falls back", 0x4D, "NAME", gbk, map[string][]byte{"t.cpg": []byte("EBCDIC-37")}, "黑龙江省", "not supported"},
		{"LDID 0xC9 1251", 0xC9, "NAME", "\xca\xe8\xf0", nil, "Кир", ""},
		{"GBK field name", 0x57, gbkName, "core", nil, "core", "detected as GB18030"},
		{"bad UTF-8 under cpg", 0, "NAME", "ok\xff", map[string][]byte{"t.cpg": []byte("UTF-8")}, "ok\uFFFD", "not valid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dbf := dbfTestBuild(tc.ldid, []dbfTestField{{tc.field, 'C', 20, 0}}, [][]string{{tc.value}, {"plain"}})
			src := readDBFOnly(t, dbf, tc.extra)
			field := src.Fields[0]
			if tc.field == gbkName && field != "功能分区" {
				t.Errorf("field name %q, want 功能分区", field)
			}
			if got := src.Records[0].Props[field]; got != tc.want {
				t.Errorf("value %q, want %q", got, tc.want)
			}
			if tc.warn == "" && len(src.Warnings) > 0 {
				t.Errorf("unexpected warnings %q", src.Warnings)
			}
			if tc.warn != "" && !hasWarning(src, tc.warn) {
				t.Errorf("no warning %q in %q", tc.warn, src.Warnings)
			}
		})
	}
}

func TestDBFMismatchedCounts(t *testing.T) {
	fields := []dbfTestField{{"N", 'N', 3, 0}}
	// DBF with one record fewer than the .shp.
	shp := (&testFile{typ: typePoint}).add(testPoint(1, 0, 0)).add(testPoint(1, 1, 1)).bytes()
	dbf := dbfTestBuild(0, fields, [][]string{{"7"}})
	src := readShp(t, testFS(map[string][]byte{"t.shp": shp, "t.dbf": dbf}), "t.shp")
	if len(src.Records) != 2 || src.Records[1].Props != nil || !hasWarning(src, "records 1 and later have no attributes") {
		t.Errorf("records %v, warnings %q", src.Records, src.Warnings)
	}
	// Header claims more records than the file holds.
	dbf = dbfTestBuild(0, fields, [][]string{{"7"}, {"8"}})
	dbf[4] = 5
	src = readShp(t, testFS(map[string][]byte{"t.shp": shp, "t.dbf": dbf}), "t.shp")
	if !hasWarning(src, "header says 5 records but the file holds 2") {
		t.Errorf("warnings %q", src.Warnings)
	}
	// Fields wider than the record.
	dbf = dbfTestBuild(0, fields, [][]string{{"7"}})
	dbf[10] = 2
	_, err := Read(testFS(map[string][]byte{"t.shp": shp, "t.dbf": dbf}), "t.shp")
	if err == nil || !strings.Contains(err.Error(), "data: t.dbf: fields need 4 bytes per record but the header says 2") {
		t.Errorf("err = %v", err)
	}
}

func TestDBFZeroWidthFields(t *testing.T) {
	fields := []dbfTestField{{"L", 'L', 0, 0}, {"N", 'N', 0, 0}, {"D", 'D', 0, 0}, {"C", 'C', 0, 0}, {"I", 'I', 0, 0}}
	src := readDBFOnly(t, dbfTestBuild(0, fields, [][]string{{"", "", "", "", ""}}), nil)
	want := map[string]any{"L": nil, "N": nil, "D": nil, "C": "", "I": ""}
	if !reflect.DeepEqual(src.Records[0].Props, want) {
		t.Errorf("got %#v", src.Records[0].Props)
	}
}

func TestDBFValidGB18030(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"abc", true}, {"\xba\xda", true}, {"\x81\x30\x81\x30", true}, {"caf\xe9 ", false}, {"\x80", false}, {"\xba", true},
	} {
		if got := dbfValidGB18030([]byte(tc.in)); got != tc.want {
			t.Errorf("dbfValidGB18030(%q) = %v", tc.in, got)
		}
	}
}
