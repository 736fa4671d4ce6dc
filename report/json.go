package report

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"

	"github.com/goccy/go-yaml"
)

// WriteJSON writes v as indented JSON followed by a newline. Non-ASCII text
// is written as is (UTF-8), and <, >, & are not escaped. The encoder and its
// buffers are reused (the service writes one document per request), so
// only the document's bytes reach w, in one Write.
func WriteJSON(w io.Writer, v any) error {
	j := jsonEncoders.Get().(*jsonEncoder)
	defer j.release()
	if err := j.enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(j.buf.Bytes())
	return err
}

// jsonEncoder is an indenting encoder writing into its own buffer.
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonEncoders = sync.Pool{New: func() any {
	j := &jsonEncoder{}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	j.enc.SetIndent("", "  ")
	return j
}}

// release returns j to the pool unless a large document grew it: those are
// rare (a whole layer's report) and would stay resident.
func (j *jsonEncoder) release() {
	if j.buf.Cap() > 1<<20 {
		return
	}
	j.buf.Reset()
	jsonEncoders.Put(j)
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
