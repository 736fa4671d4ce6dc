package shapefile

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redline-gis/redline/geo"
)

// timeNow is the clock for the DBF header date and zip entry times; tests
// replace it to get byte-stable output.
var timeNow = time.Now

const (
	dbfMaxText   = 254
	dbfMaxFields = 2046 // the header length is a uint16
)

// dbfOutField is one column of a DBF being written.
type dbfOutField struct {
	key      string // property key
	name     string // ≤ 10 bytes, unique
	typ      byte
	length   int
	decimals int
}

type dbfTable struct{ fields []dbfOutField }

// dbfPlan chooses the columns: names, types and widths.
func dbfPlan(keys []string, feats []geo.Record) (*dbfTable, error) {
	if keys == nil {
		seen := map[string]bool{}
		for _, f := range feats {
			for k := range f.Props {
				if !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		sort.Strings(keys)
	}
	if len(keys) > dbfMaxFields {
		return nil, fmt.Errorf("data: %d attributes; a DBF holds at most %d", len(keys), dbfMaxFields)
	}
	t := &dbfTable{}
	used := map[string]bool{}
	recLen := 1
	for _, k := range keys {
		f := dbfOutField{key: k, name: dbfUniqueName(k, used)}
		dbfInferType(&f, feats)
		recLen += f.length
		t.fields = append(t.fields, f)
	}
	if recLen > math.MaxUint16 {
		return nil, fmt.Errorf("data: a DBF record would be %d bytes; the limit is %d", recLen, math.MaxUint16)
	}
	return t, nil
}

// dbfUniqueName cuts name to 10 bytes on a UTF-8 boundary and, if that name
// is taken (case-insensitively), replaces its end by _1, _2, ...
func dbfUniqueName(name string, used map[string]bool) string {
	name = strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "_")
	if name == "" {
		name = "FIELD"
	}
	n := dbfCut(name, 10)
	for i := 1; used[strings.ToUpper(n)]; i++ {
		suffix := "_" + strconv.Itoa(i)
		n = dbfCut(name, 10-len(suffix)) + suffix
	}
	used[strings.ToUpper(n)] = true
	return n
}

// dbfCut returns the longest prefix of s of at most n bytes that does not
// split a UTF-8 character.
func dbfCut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func dbfInt(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case int8:
		return int64(v), true
	case int16:
		return int64(v), true
	case int32:
		return int64(v), true
	case int64:
		return v, true
	case uint8:
		return int64(v), true
	case uint16:
		return int64(v), true
	case uint32:
		return int64(v), true
	case uint:
		if uint64(v) <= math.MaxInt64 {
			return int64(v), true
		}
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v), true
		}
	}
	return 0, false
}

func dbfFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case float32:
		return float64(v), true
	}
	return 0, false
}

// dbfInferType sets the column type from the values: all integers → N n.0,
// numbers with floats → N with decimals, all bool → L, all time.Time → D,
// anything else → C.
func dbfInferType(f *dbfOutField, feats []geo.Record) {
	var nInt, nFloat, nBool, nTime, nOther int
	for _, ft := range feats {
		v := ft.Props[f.key]
		if v == nil {
			continue
		}
		if _, ok := dbfInt(v); ok {
			nInt++
		} else if _, ok := dbfFloat(v); ok {
			nFloat++
		} else if _, ok := v.(bool); ok {
			nBool++
		} else if _, ok := v.(time.Time); ok {
			nTime++
		} else {
			nOther++
		}
	}
	switch {
	case nOther == 0 && nBool == 0 && nTime == 0 && nFloat > 0:
		f.typ = 'N'
		for _, ft := range feats {
			if v, ok := dbfFloat(ft.Props[f.key]); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				s := strconv.FormatFloat(v, 'f', -1, 64)
				if i := strings.IndexByte(s, '.'); i >= 0 {
					f.decimals = max(f.decimals, len(s)-i-1)
				}
			}
		}
		f.decimals = min(max(f.decimals, 1), 15)
	case nOther == 0 && nBool == 0 && nTime == 0 && nInt > 0:
		f.typ = 'N'
	case nOther == 0 && nInt == 0 && nFloat == 0 && nTime == 0 && nBool > 0:
		f.typ, f.length = 'L', 1
		return
	case nOther == 0 && nInt == 0 && nFloat == 0 && nBool == 0 && nTime > 0:
		f.typ, f.length = 'D', 8
		return
	default:
		f.typ = 'C'
	}
	f.length = 1
	for _, ft := range feats {
		f.length = max(f.length, len(f.format(ft.Props[f.key])))
	}
	if f.typ == 'N' {
		f.length = max(f.length, f.decimals+2)
	}
}

// format renders v for this column, not yet padded.
func (f *dbfOutField) format(v any) string {
	if v == nil {
		return ""
	}
	switch f.typ {
	case 'N':
		if i, ok := dbfInt(v); ok {
			if f.decimals == 0 {
				return strconv.FormatInt(i, 10)
			}
			v = float64(i)
		}
		x, _ := dbfFloat(v)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		s := strconv.FormatFloat(x, 'f', f.decimals, 64)
		if p, err := strconv.ParseFloat(s, 64); err != nil || p != x || len(s) > 32 {
			s = strconv.FormatFloat(x, 'g', -1, 64) // exact; readers parse exponents
		}
		return s
	case 'L':
		if v.(bool) {
			return "T"
		}
		return "F"
	case 'D':
		return v.(time.Time).Format("20060102")
	}
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case bool:
		s = strconv.FormatBool(v)
	case time.Time:
		s = v.Format(time.RFC3339)
	case fmt.Stringer:
		s = v.String()
	default:
		if x, ok := dbfFloat(v); ok {
			s = strconv.FormatFloat(x, 'g', -1, 64)
		} else if i, ok := dbfInt(v); ok {
			s = strconv.FormatInt(i, 10)
		} else {
			s = fmt.Sprint(v)
		}
	}
	return dbfCut(strings.ToValidUTF8(s, "\uFFFD"), dbfMaxText)
}

// write writes the whole DBF: header, field descriptors, records, 0x1A.
func (t *dbfTable) write(w *bufio.Writer, feats []geo.Record) error {
	hdrLen := 32 + 32*len(t.fields) + 1
	recLen := 1
	for _, f := range t.fields {
		recLen += f.length
	}
	h := make([]byte, 32)
	h[0] = 0x03
	now := timeNow()
	h[1], h[2], h[3] = byte(now.Year()-1900), byte(now.Month()), byte(now.Day())
	binary.LittleEndian.PutUint32(h[4:], uint32(len(feats)))
	binary.LittleEndian.PutUint16(h[8:], uint16(hdrLen))
	binary.LittleEndian.PutUint16(h[10:], uint16(recLen))
	w.Write(h)
	for _, f := range t.fields {
		fd := make([]byte, 32)
		copy(fd[:10], f.name)
		fd[11] = f.typ
		fd[16] = byte(f.length)
		fd[17] = byte(f.decimals)
		w.Write(fd)
	}
	w.WriteByte(0x0D)
	rec := make([]byte, recLen)
	for _, ft := range feats {
		rec[0] = ' '
		off := 1
		for i := range t.fields {
			f := &t.fields[i]
			s := f.format(ft.Props[f.key])
			cell := rec[off : off+f.length]
			for k := range cell {
				cell[k] = ' '
			}
			if f.typ == 'N' {
				copy(cell[f.length-len(s):], s) // numbers are right-aligned
			} else {
				copy(cell, s)
			}
			off += f.length
		}
		if _, err := w.Write(rec); err != nil {
			return err
		}
	}
	_, err := w.Write([]byte{0x1A})
	return err
}
