package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/analysis"
)

// problem is an RFC 7807 problem detail.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance,omitempty"`
}

// httpError is an error with the status it is answered with.
type httpError struct {
	status     int
	retryAfter int // seconds; 0: no Retry-After
	err        error
}

func (e *httpError) Error() string { return e.err.Error() }
func (e *httpError) Unwrap() error { return e.err }

// statusErr gives err a status.
func statusErr(status int, format string, args ...any) error {
	return &httpError{status: status, err: fmt.Errorf(format, args...)}
}

// statusOf maps an error to its HTTP status: a status given on the way,
// else by what went wrong.
func statusOf(err error) (int, int) {
	var he *httpError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he.status, he.retryAfter
	case errors.As(err, &mb):
		return http.StatusRequestEntityTooLarge, 0
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, 0
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, 0
	case errors.Is(err, analysis.ErrInvalidGeometry):
		return http.StatusUnprocessableEntity, 0
	case strings.Contains(err.Error(), "unknown format"):
		// data's message for content it cannot recognise.
		return http.StatusUnsupportedMediaType, 0
	}
	return http.StatusBadRequest, 0
}

// writeProblem answers err as application/problem+json; it is the only
// place errors are written.
func writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	status, retry := statusOf(err)
	detail := err.Error()
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		detail = fmt.Sprintf("request body larger than the limit of %d bytes (--max-body)", mb.Limit)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		detail = "the work took longer than the server's --timeout: " + detail
	}
	if errors.Is(err, analysis.ErrInvalidGeometry) {
		detail += `; as request inputs: "repair": true or "skip_invalid": true`
	}
	if retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retry))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	b, _ := json.Marshal(problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: detail, Instance: r.URL.Path})
	w.Write(append(b, '\n'))
}
