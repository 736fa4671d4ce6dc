package report

import (
	"io"
	"strings"

	"golang.org/x/text/width"
)

// Table is a plain-text table for terminals; its columns line up with
// Chinese text, whose characters take two columns.
type Table struct {
	Header []string
	Rows   [][]string
	Right  []bool // right-align column i (numbers)
}

// Add appends a row.
func (t *Table) Add(cells ...string) { t.Rows = append(t.Rows, cells) }

// Write renders the table with two spaces between columns.
func (t *Table) Write(w io.Writer) error {
	n := len(t.Header)
	widths := make([]int, n)
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		for i := 0; i < n && i < len(row); i++ {
			widths[i] = max(widths[i], displayWidth(row[i]))
		}
	}
	var b strings.Builder
	line := func(row []string) {
		for i := 0; i < n; i++ {
			cell := ""
			if i < len(row) {
				cell = row[i]
			}
			pad := strings.Repeat(" ", widths[i]-displayWidth(cell))
			if i < len(t.Right) && t.Right[i] {
				b.WriteString(pad + cell)
			} else if i == n-1 {
				b.WriteString(cell)
			} else {
				b.WriteString(cell + pad)
			}
			if i < n-1 {
				b.WriteString("  ")
			}
		}
		b.WriteString("\n")
	}
	line(t.Header)
	rule := make([]string, n)
	for i := range rule {
		rule[i] = strings.Repeat("-", widths[i])
	}
	line(rule)
	for _, r := range t.Rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// displayWidth counts terminal columns: East Asian wide and full-width
// characters take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
