package postgis

import (
	"context"
	"math"
	"reflect"
	"testing"
)

// Properties go through a real jsonb column and come back with the same
// Go types and the same bits.
func TestPropsRoundTripJSONB(t *testing.T) {
	pool, _, _ := testDB(t)
	ctx := context.Background()
	cases := []map[string]any{
		{"a": 3.0, "b": int64(3), "c": "三", "d": nil, "e": true, "f": false},
		{"x": 0.1, "y": -2.5, "z": 1e300, "w": 5e-324, "v": math.MaxFloat64, "u": 123456789.123456789},
		{"i": int64(math.MaxInt64), "j": int64(math.MinInt64), "k": 1e15, "l": -0.0001},
		{"nested": map[string]any{"p": []any{1.5, int64(2), "q"}}, "功能分区": "核心区"},
		{},
	}
	for _, want := range cases {
		b, err := encodeProps(want)
		if err != nil {
			t.Fatal(err)
		}
		var back string
		if err := pool.QueryRow(ctx, "SELECT $1::jsonb::text", string(b)).Scan(&back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		got, err := decodeProps([]byte(back))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("jsonb %s\n got %#v\nwant %#v", back, got, want)
		}
		for k, v := range want {
			if f, ok := v.(float64); ok && math.Float64bits(f) != math.Float64bits(got[k].(float64)) {
				t.Errorf("%s: bits differ", k)
			}
		}
	}
}

func TestEncodePropsRefuses(t *testing.T) {
	for name, p := range map[string]map[string]any{
		"NaN":     {"a": math.NaN()},
		"Inf":     {"a": math.Inf(1)},
		"NUL":     {"a": "x\x00y"},
		"badUTF8": {"a": "\xff"},
		"type":    {"a": struct{}{}},
	} {
		if _, err := encodeProps(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
