// Package report renders analysis results for people and scripts: text
// tables, JSON/YAML, CSV, self-contained HTML pages with SVG maps, and xlsx
// workbooks, in Chinese (default) or English; and the overlap pieces and
// thematic regions as geo.Records for a format writer.
//
// Reports people read (tables, HTML, xlsx) number sites and rows from 1;
// JSON and CSV keep the 0-based index that scripts use.
//
// It never imports a format package (data, data/<format>) and never opens
// files: every writer takes an io.Writer, so that only cmd and server touch
// the file system.
package report
