// Package server is the screening service of `redline serve`: OGC API
// Features for the loaded constraint layers, OGC API Processes (screen,
// share, diff) with synchronous execution and asynchronous jobs, the results in
// every form the CLI writes, the embedded web page, and the operations
// around them (health, metrics, access log, reload, limits).
//
// Handlers decode a request, call analysis and encode the result with the
// same report writers as the CLI; the package has no analysis of its own.
// It never reads a path a request names: layers come from the Loader the
// command hands it, uploads are read from memory.
package server
