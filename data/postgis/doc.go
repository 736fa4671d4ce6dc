// Package postgis is redline's PostGIS layer store: it imports features into
// a table, reads a table back as a geo.Layer (whole, or only the candidates
// of some boxes), and writes screening results.
//
// It holds a connection pool it is handed (cmd opens it) and never opens
// files. It knows nothing of the analysis: results arrive as plain rows.
// Table and column names only ever reach SQL as quoted identifiers checked
// against the catalog, values only as $n parameters; no SQL text comes from
// users. Messages never carry a password.
package postgis
