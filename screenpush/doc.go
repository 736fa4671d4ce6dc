// Package screenpush screens sites against layers read from PostGIS batch
// by batch (pushdown): it fetches only the candidates of each batch's
// boxes, screens with analysis.Screen and merges the batches in site order,
// giving the JSON a run on the loaded layers gives. cmd (screen) and
// server (serve) both use it. It must not know flags, files, sockets of its
// own (it is handed a pool) or reports.
package screenpush
