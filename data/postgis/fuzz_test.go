package postgis

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// FuzzParseURL: any string gives a Source or ErrBadURL, never a panic, and
// a password never shows in the error or in String().
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"postgresql://u:pw@h:5432/db?table=s.t&id=bsm&zone=gnfq&mode=pushdown",
		"postgresql:///postgres?host=/tmp/x&user=postgres&table=t",
		"postgres://u:pw@h/db?table=a;b",
		"postgresql://u:pw@[::1/db?table=t",
		"postgresql://u@h/db?password=pw&table=t",
		"file.geojson",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src, err := ParseURL(s, true)
		pw := ""
		if i := strings.Index(s, ":pw@"); i >= 0 {
			pw = "pw@"
		}
		if err != nil {
			if pw != "" && strings.Contains(err.Error(), ":"+pw) {
				t.Fatalf("password in %v", err)
			}
			return
		}
		if pw != "" && strings.Contains(src.String(), ":"+pw) {
			t.Fatalf("password in %s", src)
		}
		if err := checkName(src.Table, false); err != nil {
			t.Fatalf("accepted table %q: %v", src.Table, err)
		}
	})
}

// FuzzDecode: stored bytes that are not what redline wrote give an error,
// never a panic.
func FuzzDecode(f *testing.F) {
	wkb, _ := multiPolygonEWKB(squarePolygon())
	f.Add(wkb, []byte(`{"a":1.0,"b":[1,"x"]}`))
	f.Add([]byte{1, 3, 0, 0, 32}, []byte(`[]`))
	f.Fuzz(func(t *testing.T, wkb, props []byte) {
		_, _, _ = decodeEWKB(wkb)
		_, _ = decodeProps(props)
	})
}

func squarePolygon() orb.Polygon {
	return orb.Polygon{{{99, 23}, {99.1, 23}, {99.1, 23.1}, {99, 23.1}, {99, 23}}}
}
