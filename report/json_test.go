package report

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// encoderJSON is what json.Encoder with SetIndent("", "  ") writes: the
// bytes WriteJSON must give.
func encoderJSON(t testing.TB, v any) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

func checkWriteJSON(t *testing.T, name string, v any) {
	t.Helper()
	want, werr := encoderJSON(t, v)
	var got bytes.Buffer
	gerr := WriteJSON(&got, v)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("%s: error %v, the encoder's %v", name, gerr, werr)
	}
	if werr == nil && !bytes.Equal(got.Bytes(), want) {
		t.Errorf("%s: WriteJSON differs from json.Encoder's indenting\n got %q\nwant %q", name, got.Bytes(), want)
	}
}

type jsonFixture struct {
	Name    string            `json:"name"`
	Empty   []int             `json:"empty"`
	Nil     []int             `json:"nil"`
	Map     map[string]any    `json:"map"`
	NoMap   map[string]string `json:"no_map"`
	Omitted string            `json:"omitted,omitempty"`
	Raw     json.RawMessage   `json:"raw"`
	Nested  [][]float64       `json:"nested"`
	Ptr     *jsonFixture      `json:"ptr,omitempty"`
}

func TestWriteJSONMatchesTheEncoder(t *testing.T) {
	values := map[string]any{
		"null":          nil,
		"number":        1.5e-9,
		"string":        "plain",
		"escapes":       "quote \" backslash \\ \\\" tab \t newline \n nul \x00 <b>&amp;</b> \u2028 \u2029 \\u0041 end\\",
		"chinese":       "生态保护红线 — 云南省临沧市 \"调入\" 地块",
		"invalid utf-8": "a\xffb",
		"empties":       []any{map[string]any{}, []any{}, "", [][]any{{}}, map[string]any{"a": []any{}, "b": map[string]any{}}},
		"structs": jsonFixture{Name: "a:b,c{d}[e]", Empty: []int{}, Map: map[string]any{"k:{": "v,]", "": 0, "z": []any{1, "x", nil, true, false}},
			Raw: json.RawMessage(`{ "spaced" : [ 1 , 2 ] , "s" : "a , b" }`), Nested: [][]float64{{1, 2}, {}, {-0.5, 1e21}},
			Ptr: &jsonFixture{Name: "inner", Raw: json.RawMessage(`null`)}},
		"deep": func() any {
			var v any = "leaf"
			for i := 0; i < 60; i++ { // deeper than the run of spaces indentJSON copies at once
				v = map[string]any{"d": []any{v}}
			}
			return v
		}(),
		"array at top": []string{"a", "b"},
	}
	for name, v := range values {
		checkWriteJSON(t, name, v)
	}
	// An error stays an error, and leaves no partial document.
	var got bytes.Buffer
	if err := WriteJSON(&got, math.NaN()); err == nil || got.Len() != 0 {
		t.Errorf("NaN: err %v, wrote %q; want an error and nothing written", err, got.Bytes())
	}
	checkWriteJSON(t, "after an error", values["structs"])
}

// The repository's GeoJSON files, decoded and written again, give the
// encoder's bytes (coordinates, properties in Chinese, nesting).
func TestWriteJSONMatchesTheEncoderOnFiles(t *testing.T) {
	files, _ := filepath.Glob("../data/sample/*.geojson")
	if len(files) == 0 {
		t.Fatal("no sample GeoJSON files found")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		checkWriteJSON(t, filepath.Base(f), v)
	}
}

func FuzzWriteJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[{},[],"x\"y\\",1,null,true]}`, `"\u2028<>&"`, `[[[[]]],{"":{"":""}}]`, `{"k":"\\\\\"","l":"\\"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		checkWriteJSON(t, "fuzz", v)
	})
}
