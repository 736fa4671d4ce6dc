package shapefile

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// dbfCharset is the text encoding of a DBF file. A nil enc means UTF-8.
type dbfCharset struct {
	name string
	enc  encoding.Encoding
}

var (
	dbfUTF8    = dbfCharset{name: "UTF-8"}
	dbfGB18030 = dbfCharset{name: "GB18030", enc: simplifiedchinese.GB18030}
	dbfCP1252  = dbfCharset{name: "windows-1252", enc: charmap.Windows1252}
)

// dbfCodePages maps Windows/DOS code page numbers to decoders. GBK (936) and
// GB2312 text is decoded as GB18030, which is a superset of both.
var dbfCodePages = map[int]dbfCharset{
	437:   {"CP437", charmap.CodePage437},
	850:   {"CP850", charmap.CodePage850},
	852:   {"CP852", charmap.CodePage852},
	855:   {"CP855", charmap.CodePage855},
	858:   {"CP858", charmap.CodePage858},
	860:   {"CP860", charmap.CodePage860},
	862:   {"CP862", charmap.CodePage862},
	863:   {"CP863", charmap.CodePage863},
	865:   {"CP865", charmap.CodePage865},
	866:   {"CP866", charmap.CodePage866},
	874:   {"windows-874", charmap.Windows874},
	932:   {"Shift_JIS", japanese.ShiftJIS},
	936:   {"GBK", simplifiedchinese.GB18030},
	949:   {"EUC-KR", korean.EUCKR},
	950:   {"Big5", traditionalchinese.Big5},
	1250:  {"windows-1250", charmap.Windows1250},
	1251:  {"windows-1251", charmap.Windows1251},
	1252:  {"windows-1252", charmap.Windows1252},
	1253:  {"windows-1253", charmap.Windows1253},
	1254:  {"windows-1254", charmap.Windows1254},
	1255:  {"windows-1255", charmap.Windows1255},
	1256:  {"windows-1256", charmap.Windows1256},
	1257:  {"windows-1257", charmap.Windows1257},
	1258:  {"windows-1258", charmap.Windows1258},
	10000: {"macintosh", charmap.Macintosh},
	10007: {"x-mac-cyrillic", charmap.MacintoshCyrillic},
	20866: {"KOI8-R", charmap.KOI8R},
	21866: {"KOI8-U", charmap.KOI8U},
	28591: {"ISO-8859-1", charmap.ISO8859_1},
	28592: {"ISO-8859-2", charmap.ISO8859_2},
	28595: {"ISO-8859-5", charmap.ISO8859_5},
	28605: {"ISO-8859-15", charmap.ISO8859_15},
	54936: {"GB18030", simplifiedchinese.GB18030},
	65001: {"UTF-8", nil},
}

// dbfLDIDCodePages maps the DBF language-driver byte (header offset 29) to a
// code page. 0x57 ("ANSI", the writer's system code page) is deliberately
// absent: Chinese shapefiles carry it with GBK text, so it means "detect".
var dbfLDIDCodePages = map[byte]int{
	0x01: 437, 0x02: 850, 0x03: 1252, 0x04: 10000,
	0x08: 865, 0x09: 437, 0x0A: 850, 0x0B: 437, 0x0D: 437, 0x0E: 850, 0x0F: 437,
	0x10: 850, 0x11: 437, 0x12: 850, 0x13: 932, 0x14: 850, 0x15: 437, 0x16: 850,
	0x17: 865, 0x18: 437, 0x19: 437, 0x1A: 850, 0x1B: 437, 0x1C: 863, 0x1D: 850,
	0x1F: 852, 0x22: 852, 0x23: 852, 0x24: 860, 0x25: 850, 0x26: 866, 0x37: 850,
	0x40: 852, 0x4D: 936, 0x4E: 949, 0x4F: 950, 0x50: 874,
	0x58: 1252, 0x59: 1252, 0x64: 852, 0x65: 866, 0x66: 865,
	0x78: 950, 0x79: 949, 0x7A: 936, 0x7B: 932, 0x7C: 874, 0x7D: 1255, 0x7E: 1256,
	0x96: 10007, 0xC8: 1250, 0xC9: 1251, 0xCA: 1254, 0xCB: 1253, 0xCC: 1257,
}

// dbfCharsetFromCPG reads the content of a .cpg file: "UTF-8", "GBK", "936",
// "CP936", "GB18030", "Windows-1251", "ANSI 1251", "ISO-8859-1", ...
func dbfCharsetFromCPG(cpg string) (dbfCharset, bool) {
	s := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(cpg, "\uFEFF")))
	s = strings.NewReplacer("_", "-", " ", "").Replace(s)
	switch s {
	case "UTF-8", "UTF8":
		return dbfUTF8, true
	case "GBK", "GB2312", "EUC-CN", "GB-2312":
		return dbfCodePages[936], true
	case "GB18030", "GB-18030":
		return dbfGB18030, true
	case "BIG5", "BIG-5":
		return dbfCodePages[950], true
	case "SHIFT-JIS", "SJIS":
		return dbfCodePages[932], true
	case "EUC-KR":
		return dbfCodePages[949], true
	case "KOI8-R", "KOI8R":
		return dbfCodePages[20866], true
	case "KOI8-U", "KOI8U":
		return dbfCodePages[21866], true
	case "LATIN1":
		return dbfCodePages[28591], true
	}
	if rest, ok := strings.CutPrefix(s, "ISO-8859-"); ok {
		s = "ISO8859-" + rest
	}
	if rest, ok := strings.CutPrefix(s, "ISO8859-"); ok {
		if n, err := strconv.Atoi(rest); err == nil && n >= 1 && n <= 16 {
			if n == 1 || n == 2 || n == 5 || n == 15 {
				return dbfCodePages[28590+n], true
			}
			if cs, ok := dbfISO8859(n); ok {
				return cs, true
			}
		}
		return dbfCharset{}, false
	}
	for _, p := range []string{"WINDOWS-", "CP-", "CP", "MS", "ANSI", "OEM", "IBM", "DOS"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s = strings.TrimPrefix(rest, "-")
			break
		}
	}
	if n, err := strconv.Atoi(s); err == nil {
		cs, ok := dbfCodePages[n]
		return cs, ok
	}
	return dbfCharset{}, false
}

func dbfISO8859(n int) (dbfCharset, bool) {
	m := map[int]*charmap.Charmap{
		3: charmap.ISO8859_3, 4: charmap.ISO8859_4, 6: charmap.ISO8859_6, 7: charmap.ISO8859_7,
		8: charmap.ISO8859_8, 9: charmap.ISO8859_9, 10: charmap.ISO8859_10, 13: charmap.ISO8859_13,
		14: charmap.ISO8859_14, 16: charmap.ISO8859_16,
	}
	cm, ok := m[n]
	if !ok {
		return dbfCharset{}, false
	}
	return dbfCharset{name: "ISO-8859-" + strconv.Itoa(n), enc: cm}, true
}

// dbfDetector guesses the encoding of text whose code page is not declared.
// It looks only at fields with non-ASCII bytes: ASCII reads the same in every
// encoding redline supports.
type dbfDetector struct {
	nonASCII  bool // some non-ASCII text was seen
	notUTF8   bool
	notGB1830 bool
}

func (d *dbfDetector) add(b []byte) {
	if dbfIsASCII(b) {
		return
	}
	d.nonASCII = true
	if !d.notUTF8 && !utf8.Valid(b) {
		d.notUTF8 = true
	}
	if !d.notGB1830 && !dbfValidGB18030(b) {
		d.notGB1830 = true
	}
}

// charset returns UTF-8 when all text is valid UTF-8, else GB18030 when it is
// well-formed GB18030 (GBK is a subset), else windows-1252.
func (d *dbfDetector) charset() dbfCharset {
	switch {
	case !d.notUTF8:
		return dbfUTF8
	case !d.notGB1830:
		return dbfGB18030
	default:
		return dbfCP1252
	}
}

func dbfIsASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// dbfValidGB18030 reports whether b is a well-formed GB18030 byte sequence:
// ASCII, two-byte (81–FE, 40–7E/80–FE) or four-byte (81–FE 30–39 81–FE 30–39).
// A multi-byte character cut by the end of a fixed-width field counts as valid.
func dbfValidGB18030(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
			continue
		case c == 0x80 || c == 0xFF:
			return false
		}
		if i+1 >= len(b) {
			return true
		}
		c2 := b[i+1]
		switch {
		case c2 >= 0x40 && c2 <= 0xFE && c2 != 0x7F:
			i += 2
		case c2 >= 0x30 && c2 <= 0x39:
			if i+3 >= len(b) {
				return true
			}
			if b[i+2] < 0x81 || b[i+2] > 0xFE || b[i+3] < 0x30 || b[i+3] > 0x39 {
				return false
			}
			i += 4
		default:
			return false
		}
	}
	return true
}

// dbfDecoder turns raw field bytes into UTF-8 text.
type dbfDecoder struct {
	cs      dbfCharset
	dec     *encoding.Decoder
	invalid int // values that were not valid in cs
}

func newDBFDecoder(cs dbfCharset) *dbfDecoder {
	d := &dbfDecoder{cs: cs}
	if cs.enc != nil {
		d.dec = cs.enc.NewDecoder()
	}
	return d
}

func (d *dbfDecoder) text(b []byte) string {
	if dbfIsASCII(b) {
		return string(b)
	}
	if d.dec == nil {
		if !utf8.Valid(b) {
			d.invalid++
			return strings.ToValidUTF8(string(b), "\uFFFD")
		}
		return string(b)
	}
	out, err := d.dec.Bytes(b)
	if err != nil {
		d.invalid++
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	if d.cs.enc == simplifiedchinese.GB18030 && !dbfValidGB18030(b) {
		d.invalid++
	}
	return string(out)
}
