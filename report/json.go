package report

import (
	"encoding/json"
	"io"

	"github.com/goccy/go-yaml"
)

// WriteJSON writes v as indented JSON followed by a newline. Non-ASCII text
// is written as is (UTF-8), and <, >, & are not escaped.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
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
