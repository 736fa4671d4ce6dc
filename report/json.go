package report

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"

	"github.com/goccy/go-yaml"
)

// WriteJSON writes v as indented JSON followed by a newline. Non-ASCII text
// is written as is (UTF-8), and <, >, & are not escaped. The bytes are
// json.Encoder's with SetIndent("", "  "); the encoder and its buffers are
// reused (the service writes one document per request), and the indenting
// is done by indentJSON, which is some three times faster than the
// encoder's own on these documents. Only the document reaches w, in one
// Write.
func WriteJSON(w io.Writer, v any) error {
	j := jsonEncoders.Get().(*jsonEncoder)
	defer j.release()
	if err := j.enc.Encode(v); err != nil {
		return err
	}
	j.out = indentJSON(j.out[:0], j.buf.Bytes())
	_, err := w.Write(j.out)
	return err
}

// jsonEncoder is a compact encoder writing into its own buffer, and the
// buffer of the indented document.
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
	out []byte
}

var jsonEncoders = sync.Pool{New: func() any {
	j := &jsonEncoder{}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	return j
}}

// release returns j to the pool unless a large document grew it: those are
// rare (a whole layer's report) and would stay resident.
func (j *jsonEncoder) release() {
	if j.buf.Cap() > 1<<20 || cap(j.out) > 2<<20 {
		return
	}
	j.buf.Reset()
	jsonEncoders.Put(j)
}

// indentJSON appends src, the compact JSON json.Encoder writes (no white
// space outside strings, then a newline), indented by two spaces as
// json.Encoder.SetIndent("", "  ") does: empty objects and arrays stay {}
// and [], a colon is followed by a space. Only the string boundaries need
// tracking, since the encoder's output is valid JSON.
func indentJSON(dst, src []byte) []byte {
	const spaces = "                                                                "
	newline := func(dst []byte, depth int) []byte {
		dst = append(dst, '\n')
		for n := 2 * depth; n > 0; n -= len(spaces) {
			dst = append(dst, spaces[:min(n, len(spaces))]...)
		}
		return dst
	}
	needIndent, inString, escaped := false, false, false
	depth := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			switch {
			case escaped:
				escaped = false
				dst = append(dst, c)
			case c == '\\':
				escaped = true
				dst = append(dst, c)
			case c == '"':
				inString = false
				dst = append(dst, c)
			default: // a run of plain string bytes, copied at once
				j := i + 1
				for j < len(src) && src[j] != '"' && src[j] != '\\' {
					j++
				}
				dst = append(dst, src[i:j]...)
				i = j - 1
			}
			continue
		}
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			dst = newline(dst, depth)
		}
		switch c {
		case '"':
			inString = true
			dst = append(dst, c)
		case '{', '[':
			needIndent = true // {} and [] stay together
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = newline(dst, depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				dst = newline(dst, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// WriteYAML writes v as YAML.
func WriteYAML(w io.Writer, v any) error {
	b, err := yaml.MarshalWithOptions(v, yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
