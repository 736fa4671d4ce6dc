package postgis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Properties travel as jsonb. A jsonb number keeps the digits it was given,
// so the encoding keeps Go's types: a float64 is always written with a
// decimal point (3.0, never 3) and an int64 never is; reading back gives the
// same type and, by the shortest round-trip formatting, the same bits.

// encodeProps writes props as a JSON object for a jsonb column.
func encodeProps(props map[string]any) ([]byte, error) {
	var b bytes.Buffer
	if err := encodeValue(&b, props); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func encodeValue(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case string:
		if err := checkText(v); err != nil {
			return err
		}
		s, _ := json.Marshal(v)
		b.Write(s)
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case int:
		b.WriteString(strconv.Itoa(v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%v cannot be stored in jsonb", v)
		}
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		b.WriteString(s)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := checkText(k); err != nil {
				return fmt.Errorf("property name %q: %w", k, err)
			}
			s, _ := json.Marshal(k)
			b.Write(s)
			b.WriteByte(':')
			if err := encodeValue(b, v[k]); err != nil {
				return fmt.Errorf("property %q: %w", k, err)
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encodeValue(b, x); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		return fmt.Errorf("a value of type %T cannot be stored", v)
	}
	return nil
}

// checkText refuses what PostgreSQL text cannot hold.
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("text %q is not valid UTF-8", s)
	}
	if strings.ContainsRune(s, 0) {
		return fmt.Errorf("text %q holds a NUL character", s)
	}
	return nil
}

// decodeProps reads a jsonb object written by encodeProps (or any JSON
// object: an integer without a decimal point becomes int64, every other
// number float64).
func decodeProps(raw []byte) (map[string]any, error) {
	if len(raw) == 0 {
		return map[string]any{}, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("props: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return map[string]any{}, nil
		}
		return nil, fmt.Errorf("props: not a JSON object")
	}
	return plain(m).(map[string]any), nil
}

func plain(v any) any {
	switch v := v.(type) {
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i
			}
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = plain(x)
		}
	case []any:
		for i, x := range v {
			v[i] = plain(x)
		}
	}
	return v
}
