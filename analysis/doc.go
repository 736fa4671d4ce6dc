// Package analysis holds redline's questions: screening sites against
// constraint layers with the rule book, area shares per region, overlaps,
// the changes between two versions of a layer (diff), and layer summaries.
// Its functions take layers and options and return values: no files, no
// printing, no flags.
package analysis
