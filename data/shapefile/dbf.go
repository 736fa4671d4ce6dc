package shapefile

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/geo"
)

// dbfLookahead is how many bytes of records the encoding detector may see
// ahead of the first record whose text is not plain ASCII.
const dbfLookahead = 1 << 20

// dbfField is one column of a DBF table.
type dbfField struct {
	rawName  []byte
	name     string // decoded, unique
	typ      byte   // 'C', 'N', 'F', 'L', 'D', ...
	offset   int    // within the record, after the deletion flag
	length   int
	decimals int
}

// dbfReader reads a dBase III/IV table record by record.
type dbfReader struct {
	name    string // file name, for messages
	r       *bufio.Reader
	fields  []dbfField
	nrec    int // from the header
	recLen  int
	ldid    byte
	read    int // records read so far
	buf     []byte
	dec     *dbfDecoder // nil until the encoding is known
	warn    func(geo.Warning)
	badNums int
}

// newDBFReader reads the header of a DBF table. cs is the encoding from the
// .cpg file, or nil to use the language-driver byte or detection.
// size is the file size if known, else -1; it only sizes the read buffer.
func newDBFReader(r io.Reader, size int64, name string, cs *dbfCharset, warn func(geo.Warning)) (*dbfReader, error) {
	bufSize := 64 << 10
	if cs == nil { // the detector may need to look ahead
		bufSize = dbfLookahead
		if size >= 0 && size < dbfLookahead {
			bufSize = max(int(size), 4096)
		}
	}
	d := &dbfReader{name: name, r: bufio.NewReaderSize(r, bufSize), warn: warn}
	var h [32]byte
	if _, err := io.ReadFull(d.r, h[:]); err != nil {
		return nil, fmt.Errorf("data: %s: reading header: %w", name, dbfEOF(err))
	}
	d.nrec = int(binary.LittleEndian.Uint32(h[4:8]))
	hdrLen := int(binary.LittleEndian.Uint16(h[8:10]))
	d.recLen = int(binary.LittleEndian.Uint16(h[10:12]))
	d.ldid = h[29]
	if hdrLen < 33 {
		return nil, fmt.Errorf("data: %s: header length %d is too small", name, hdrLen)
	}
	if d.recLen < 1 {
		return nil, fmt.Errorf("data: %s: record length %d is too small", name, d.recLen)
	}
	rest := make([]byte, hdrLen-32)
	if _, err := io.ReadFull(d.r, rest); err != nil {
		return nil, fmt.Errorf("data: %s: reading field descriptors: %w", name, dbfEOF(err))
	}
	off := 0
	for i := 0; i+32 <= len(rest) && rest[i] != 0x0D; i += 32 {
		fd := rest[i : i+32]
		f := dbfField{
			rawName:  bytes.TrimRight(bytes.SplitN(fd[:11], []byte{0}, 2)[0], " "),
			typ:      fd[11],
			offset:   off,
			length:   int(fd[16]),
			decimals: int(fd[17]),
		}
		off += f.length
		d.fields = append(d.fields, f)
	}
	if off+1 > d.recLen {
		return nil, fmt.Errorf("data: %s: fields need %d bytes per record but the header says %d", name, off+1, d.recLen)
	}
	d.buf = make([]byte, d.recLen)

	switch {
	case cs != nil:
		d.dec = newDBFDecoder(*cs)
	case dbfLDIDCodePages[d.ldid] != 0:
		if c, ok := dbfCodePages[dbfLDIDCodePages[d.ldid]]; ok {
			d.dec = newDBFDecoder(c)
		} else {
			warn(geo.Warnf("%s: code page %d (language driver 0x%02X) is not supported; detecting the text encoding",
				name, dbfLDIDCodePages[d.ldid], d.ldid))
		}
	}
	if d.dec == nil {
		d.detect()
	}
	seen := map[string]bool{}
	for i := range d.fields {
		f := &d.fields[i]
		f.name = d.dec.text(f.rawName)
		if f.name == "" {
			f.name = "FIELD_" + strconv.Itoa(i+1)
		}
		base := f.name
		for n := 2; seen[f.name]; n++ {
			f.name = base + "_" + strconv.Itoa(n)
		}
		if f.name != base {
			warn(geo.Warnf("%s: field %d: name %q is used twice; renamed to %q", name, i, base, f.name))
		}
		seen[f.name] = true
	}
	return d, nil
}

func dbfEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// detect picks the text encoding from the field names and the records in the
// lookahead window. Only non-ASCII text matters, so looking ahead from the
// start is as good as looking at the first record that has some.
func (d *dbfReader) detect() {
	var det dbfDetector
	for _, f := range d.fields {
		det.add(f.rawName)
	}
	peek, _ := d.r.Peek(dbfLookahead)
	for len(peek) >= d.recLen {
		rec := peek[:d.recLen]
		peek = peek[d.recLen:]
		for _, f := range d.fields {
			if f.typ == 'C' || f.typ == 'M' {
				det.add(rec[1+f.offset : 1+f.offset+f.length])
			}
		}
	}
	cs := det.charset()
	d.dec = newDBFDecoder(cs)
	if det.nonASCII {
		d.warn(geo.Warnf("%s: no .cpg file and language driver 0x%02X; text detected as %s", d.name, d.ldid, cs.name))
	}
}

// next reads the next record. It returns ok=false at the end of the table.
// deleted reports a record marked '*'; its values are nil.
func (d *dbfReader) next() (vals []any, deleted, ok bool, err error) {
	if d.read >= d.nrec {
		return nil, false, false, nil
	}
	n, err := io.ReadFull(d.r, d.buf)
	if err != nil {
		if n == 0 || (n == 1 && d.buf[0] == 0x1A) {
			d.warn(geo.Warnf("%s: header says %d records but the file holds %d", d.name, d.nrec, d.read))
			d.nrec = d.read
			return nil, false, false, nil
		}
		return nil, false, false, fmt.Errorf("data: %s: record %d: truncated (%d of %d bytes)", d.name, d.read, n, d.recLen)
	}
	i := d.read
	d.read++
	if d.buf[0] == '*' {
		return nil, true, true, nil
	}
	vals = make([]any, len(d.fields))
	for k := range d.fields {
		vals[k] = d.value(i, &d.fields[k], d.buf[1+d.fields[k].offset:1+d.fields[k].offset+d.fields[k].length])
	}
	return vals, false, true, nil
}

// value decodes one field: C → string (trailing spaces trimmed); N, F →
// int64 when there are no decimals and it fits, else float64, blank → nil;
// L → bool or nil; D → "YYYY-MM-DD" or nil.
func (d *dbfReader) value(rec int, f *dbfField, b []byte) any {
	switch f.typ {
	case 'N', 'F':
		s := strings.TrimSpace(string(bytes.Trim(b, "\x00")))
		if s == "" || strings.Trim(s, "*") == "" {
			return nil
		}
		if f.decimals == 0 {
			if v, err := strconv.ParseInt(s, 10, 64); err == nil {
				return v
			}
		}
		if !strings.Contains(s, ".") {
			s = strings.Replace(s, ",", ".", 1) // decimal comma
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			d.badNums++
			if d.badNums <= 10 {
				d.warn(geo.Warnf("%s: record %d: field %s: %q is not a number; read as empty", d.name, rec, f.name, s))
			}
			return nil
		}
		return v
	case 'L':
		if len(b) == 0 {
			return nil
		}
		switch b[0] {
		case 'T', 't', 'Y', 'y':
			return true
		case 'F', 'f', 'N', 'n':
			return false
		}
		return nil
	case 'D':
		s := strings.TrimSpace(string(bytes.Trim(b, "\x00")))
		if s == "" || strings.Trim(s, "0") == "" {
			return nil
		}
		if len(s) == 8 && dbfDigits(s) {
			return s[:4] + "-" + s[4:6] + "-" + s[6:]
		}
		return s
	case 'I':
		if len(b) == 4 {
			return int64(int32(binary.LittleEndian.Uint32(b)))
		}
	case 'O':
		if len(b) == 8 {
			return math.Float64frombits(binary.LittleEndian.Uint64(b))
		}
	}
	return d.dec.text(bytes.TrimRight(bytes.TrimRight(b, "\x00"), " "))
}

func dbfDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// finish reports text that did not decode cleanly.
func (d *dbfReader) finish() {
	if d.badNums > 10 {
		d.warn(geo.Warnf("%s: %d values in numeric fields are not numbers; read as empty", d.name, d.badNums))
	}
	if d.dec.invalid > 0 {
		d.warn(geo.Warnf("%s: %d text values are not valid %s; bad bytes replaced by U+FFFD", d.name, d.dec.invalid, d.dec.cs.name))
	}
}
