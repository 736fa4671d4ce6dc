package dxf

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

// codePage returns the decoder of a $DWGCODEPAGE value (ANSI_936, dos850, …),
// nil for an unknown or empty one.
func codePage(name string) encoding.Encoding {
	n := strings.ToUpper(strings.TrimSpace(name))
	switch n {
	case "ANSI_936", "GB2312", "GBK", "DOS936":
		return simplifiedchinese.GB18030 // a superset of GBK and GB2312
	case "ANSI_950", "BIG5", "DOS950":
		return traditionalchinese.Big5
	case "ANSI_932", "DOS932", "SHIFT_JIS":
		return japanese.ShiftJIS
	case "ANSI_949", "DOS949":
		return korean.EUCKR
	case "ANSI_874", "DOS874":
		return charmap.Windows874
	case "DOS437":
		return charmap.CodePage437
	case "DOS850":
		return charmap.CodePage850
	case "DOS852":
		return charmap.CodePage852
	case "DOS855":
		return charmap.CodePage855
	case "DOS857":
		return charmap.CodePage858
	case "DOS860":
		return charmap.CodePage860
	case "DOS862":
		return charmap.CodePage862
	case "DOS863":
		return charmap.CodePage863
	case "DOS865":
		return charmap.CodePage865
	case "DOS866":
		return charmap.CodePage866
	case "ISO8859-1", "ISO8859_1":
		return charmap.ISO8859_1
	}
	if strings.HasPrefix(n, "ANSI_125") && len(n) == 8 {
		return []encoding.Encoding{charmap.Windows1250, charmap.Windows1251, charmap.Windows1252,
			charmap.Windows1253, charmap.Windows1254, charmap.Windows1255, charmap.Windows1256,
			charmap.Windows1257, charmap.Windows1258}[n[7]-'0']
	}
	return nil
}

// textDecoder turns the raw bytes of a DXF string into UTF-8.
type textDecoder struct {
	utf8 bool              // the file's strings are UTF-8
	enc  encoding.Encoding // else this code page (nil: Windows-1252)
}

// chooseDecoder applies the rules: UTF-8 for AC1021 (2007) and later whatever
// $DWGCODEPAGE says; UTF-8 when every non-ASCII string of the file is valid
// UTF-8 (writers that ignore the header); else the code page, else GB18030
// when every string decodes as such, else Windows-1252.
func chooseDecoder(acadver, codepage string, allUTF8, allGB bool) (textDecoder, string) {
	if v := strings.ToUpper(strings.TrimSpace(acadver)); len(v) == 6 && strings.HasPrefix(v, "AC") && v >= "AC1021" {
		return textDecoder{utf8: true}, ""
	}
	if allUTF8 {
		return textDecoder{utf8: true}, ""
	}
	if e := codePage(codepage); e != nil {
		return textDecoder{enc: e}, ""
	}
	if allGB {
		return textDecoder{enc: simplifiedchinese.GB18030}, "text has no code page ($DWGCODEPAGE): read as GBK/GB18030"
	}
	return textDecoder{enc: charmap.Windows1252}, "text has no code page ($DWGCODEPAGE) and is not GBK: read as Windows-1252"
}

// decode returns s as UTF-8 with \U+XXXX and \M+nXXXX escapes resolved.
func (d textDecoder) decode(s string) string {
	if !isASCII(s) {
		if d.utf8 {
			s = strings.ToValidUTF8(s, "\uFFFD")
			if g, ok := undoLatin1(s); ok {
				s = g
			}
		} else {
			enc := d.enc
			if enc == nil {
				enc = charmap.Windows1252
			}
			if out, err := enc.NewDecoder().String(s); err == nil {
				s = out
			}
		}
	}
	if strings.Contains(s, `\U+`) || strings.Contains(s, `\u+`) || strings.Contains(s, `\M+`) || strings.Contains(s, `\m+`) {
		s = unescape(s)
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// unescape resolves \U+XXXX (a Unicode code point) and \M+nXXXX (a
// double-byte character of code page n: 1 Shift-JIS, 2 Big5, 3 and 4 Korean,
// 5 GBK).
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+7 <= len(s) && (s[i+1] == 'U' || s[i+1] == 'u') && s[i+2] == '+' {
			if n, err := strconv.ParseUint(s[i+3:i+7], 16, 32); err == nil && utf8.ValidRune(rune(n)) {
				b.WriteRune(rune(n))
				i += 7
				continue
			}
		}
		if s[i] == '\\' && i+8 <= len(s) && (s[i+1] == 'M' || s[i+1] == 'm') && s[i+2] == '+' {
			if n, err := strconv.ParseUint(s[i+4:i+8], 16, 16); err == nil {
				var enc encoding.Encoding
				switch s[i+3] {
				case '1':
					enc = japanese.ShiftJIS
				case '2':
					enc = traditionalchinese.Big5
				case '3', '4':
					enc = korean.EUCKR
				case '5':
					enc = simplifiedchinese.GB18030
				}
				if enc != nil {
					if out, err := enc.NewDecoder().Bytes([]byte{byte(n >> 8), byte(n)}); err == nil {
						b.Write(out)
						i += 8
						continue
					}
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// plainText removes MTEXT formatting codes (\P paragraphs, \f fonts,
// \H heights, \S stacks, braces, …) and caret-encoded control characters,
// and trims the result. Paragraph breaks become spaces.
func plainText(s string, mtext bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '^' && i+1 < len(s):
			i++
			if s[i] == ' ' {
				b.WriteByte('^')
			} else {
				b.WriteByte(' ') // ^J, ^I, … control characters
			}
		case !mtext:
			b.WriteByte(c)
		case c == '{' || c == '}':
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case '\\', '{', '}':
				b.WriteByte(s[i])
			case 'P', 'p', 'N', 'X', '~':
				b.WriteByte(' ')
			case 'L', 'l', 'O', 'o', 'K', 'k':
			case 'S': // stacked fraction a^b or a/b or a#b up to ';'
				j := strings.IndexByte(s[i:], ';')
				if j < 0 {
					j = len(s) - i
				}
				st := strings.NewReplacer("^", "/", "#", "/").Replace(s[i+1 : i+j])
				b.WriteString(st)
				i += j
			case 'A', 'C', 'c', 'F', 'f', 'H', 'h', 'Q', 'q', 'T', 't', 'W', 'w':
				j := strings.IndexByte(s[i:], ';')
				if j < 0 {
					j = len(s) - i - 1
				}
				i += j
			default:
				b.WriteByte('\\')
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// undoLatin1 repairs GBK text that a tool read as Latin-1 and stored as
// UTF-8 ("Ô¤ÉèÖµ" for 预设值): every character is below U+0100 and the
// high ones pair up into GB2312 double bytes (both in A1–FE). Accented Latin
// text rarely has two such letters side by side everywhere.
func undoLatin1(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	high := 0
	for _, r := range s {
		if r > 0xFF {
			return "", false
		}
		b = append(b, byte(r))
		if r >= 0x80 {
			high++
		}
	}
	if high == 0 || high%2 != 0 {
		return "", false
	}
	for i := 0; i < len(b); i++ {
		if b[i] < 0x80 {
			continue
		}
		if i+1 >= len(b) || b[i] < 0xA1 || b[i] > 0xFE || b[i+1] < 0xA1 || b[i+1] > 0xFE {
			return "", false
		}
		i++
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return "", false
	}
	return string(out), true
}
