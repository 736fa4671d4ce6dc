package data

import (
	"encoding/json"
	"io"
)

// WriteJSON writes v as indented JSON followed by a newline. Non-ASCII text
// is written as is (UTF-8), and <, >, & are not escaped.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
