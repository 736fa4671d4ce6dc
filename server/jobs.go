package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb/geojson"
)

// Job states (OGC API Processes statusCode).
const (
	stateAccepted   = "accepted"
	stateRunning    = "running"
	stateSuccessful = "successful"
	stateFailed     = "failed"
	stateDismissed  = "dismissed"
)

// maxJobsKept caps the jobs (and their results) held in memory.
const maxJobsKept = 10_000

var jobStates = []string{stateAccepted, stateRunning, stateSuccessful, stateFailed, stateDismissed}

// job is one asynchronous execution.
type job struct {
	id, process string
	cancel      context.CancelFunc

	mu                         sync.Mutex
	state                      string
	done, total                int
	created, started, finished time.Time
	out                        *outcome
	err                        error
}

type statusDoc struct {
	JobID     string `json:"jobID"`
	ProcessID string `json:"processID"`
	Type      string `json:"type"`
	Status    string `json:"status"`
	Message   string `json:"message,omitempty"`
	Progress  int    `json:"progress"`
	Created   string `json:"created"`
	Started   string `json:"started,omitempty"`
	Finished  string `json:"finished,omitempty"`
	Updated   string `json:"updated"`
	Findings  int    `json:"findings,omitempty"`
	Links     []link `json:"links"`
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func (j *job) status(r *http.Request) statusDoc {
	j.mu.Lock()
	defer j.mu.Unlock()
	d := statusDoc{JobID: j.id, ProcessID: j.process, Type: "process", Status: j.state,
		Created: stamp(j.created), Started: stamp(j.started), Finished: stamp(j.finished)}
	d.Updated = d.Created
	for _, t := range []string{d.Started, d.Finished} {
		if t != "" {
			d.Updated = t
		}
	}
	switch {
	case j.state == stateSuccessful:
		d.Progress = 100
	case j.total > 0:
		d.Progress = 100 * j.done / j.total
	}
	if j.err != nil {
		d.Message = j.err.Error()
	}
	if j.out != nil {
		d.Findings = j.out.findings
	}
	b := baseURL(r) + "/jobs/" + j.id
	d.Links = []link{{b, "self", "application/json", "status"}}
	if j.state == stateSuccessful {
		for _, f := range resultFormats {
			d.Links = append(d.Links, link{b + "/results?f=" + f, "http://www.opengis.net/def/rel/ogc/1.0/results",
				mediaTypes[f], "result as " + f})
		}
	}
	return d
}

// jobStore keeps jobs until their TTL after they finish.
type jobStore struct {
	mu   sync.Mutex
	jobs map[string]*job
	ttl  time.Duration
	m    *metrics
}

func newJobStore(ttl time.Duration, m *metrics) *jobStore {
	return &jobStore{jobs: map[string]*job{}, ttl: ttl, m: m}
}

func (st *jobStore) get(id string) *job {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.jobs[id]
}

// setState moves j to state and keeps the gauge in step.
func (st *jobStore) setState(j *job, state string) {
	j.mu.Lock()
	old := j.state
	j.state = state
	now := time.Now()
	switch state {
	case stateRunning:
		j.started = now
	case stateSuccessful, stateFailed, stateDismissed:
		if j.finished.IsZero() {
			j.finished = now
		}
	}
	j.mu.Unlock()
	if old != "" {
		st.m.jobs.WithLabelValues(old).Dec()
	}
	st.m.jobs.WithLabelValues(state).Inc()
}

// sweep drops finished jobs older than the TTL, until ctx ends.
func (st *jobStore) sweep(ctx context.Context) {
	t := time.NewTicker(min(st.ttl/4+time.Second, time.Minute))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			st.mu.Lock()
			for id, j := range st.jobs {
				j.mu.Lock()
				old := !j.finished.IsZero() && now.Sub(j.finished) > st.ttl
				state := j.state
				j.mu.Unlock()
				if old {
					delete(st.jobs, id)
					st.m.jobs.WithLabelValues(state).Dec()
				}
			}
			st.mu.Unlock()
		}
	}
}

func newJobID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// submit queues req as a job on catalog c, held by the caller, and
// releases c when the job is done; it fails at once with 503 when the
// queue is full.
func (s *Server) submit(c *Catalog, req *execRequest) (j *job, err error) {
	defer func() {
		if err != nil {
			c.release()
		}
	}()
	s.jobs.mu.Lock()
	kept := len(s.jobs.jobs)
	s.jobs.mu.Unlock()
	if kept >= maxJobsKept {
		return nil, &httpError{status: http.StatusServiceUnavailable, retryAfter: 60,
			err: fmt.Errorf("%d jobs are kept (the limit): DELETE finished jobs or wait for --job-ttl", kept)}
	}
	if err := s.enqueue(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Timeout)
	j = &job{id: newJobID(), process: req.process, cancel: cancel, created: time.Now()}
	s.jobs.mu.Lock()
	s.jobs.jobs[j.id] = j
	s.jobs.mu.Unlock()
	s.jobs.setState(j, stateAccepted)
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		defer c.release()
		defer cancel()
		err := s.work(ctx, func() error {
			s.jobs.setState(j, stateRunning)
			o, err := s.run(ctx, c, req, true, func(done, total int) {
				j.mu.Lock()
				j.done, j.total = done, total
				j.mu.Unlock()
			})
			j.mu.Lock()
			j.out = o
			j.mu.Unlock()
			return err
		})
		j.mu.Lock()
		dismissed := j.state == stateDismissed
		if err != nil && !dismissed {
			j.err, j.out = err, nil
		}
		j.mu.Unlock()
		switch {
		case dismissed:
		case err != nil:
			s.jobs.setState(j, stateFailed)
		default:
			s.jobs.setState(j, stateSuccessful)
		}
	}()
	return j, nil
}

func (s *Server) jobList(w http.ResponseWriter, r *http.Request) {
	s.jobs.mu.Lock()
	list := make([]*job, 0, len(s.jobs.jobs))
	for _, j := range s.jobs.jobs {
		list = append(list, j)
	}
	s.jobs.mu.Unlock()
	slices.SortFunc(list, func(a, b *job) int { return a.created.Compare(b.created) })
	docs := []statusDoc{}
	for _, j := range list {
		docs = append(docs, j.status(r))
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": docs,
		"links": []link{{baseURL(r) + "/jobs", "self", "application/json", "jobs"}}})
}

func (s *Server) findJob(w http.ResponseWriter, r *http.Request) *job {
	j := s.jobs.get(r.PathValue("id"))
	if j == nil {
		writeProblem(w, r, statusErr(http.StatusNotFound, "no job %q (finished jobs are kept for --job-ttl)", r.PathValue("id")))
	}
	return j
}

func (s *Server) jobStatus(w http.ResponseWriter, r *http.Request) {
	if j := s.findJob(w, r); j != nil {
		writeJSON(w, http.StatusOK, j.status(r))
	}
}

func (s *Server) jobResults(w http.ResponseWriter, r *http.Request) {
	j := s.findJob(w, r)
	if j == nil {
		return
	}
	f, err := resultFormat(r)
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	j.mu.Lock()
	state, out, jerr := j.state, j.out, j.err
	j.mu.Unlock()
	switch state {
	case stateSuccessful:
		writeOutcome(w, r, out, f)
	case stateFailed:
		writeProblem(w, r, jerr)
	case stateDismissed:
		writeProblem(w, r, statusErr(http.StatusGone, "job %s was dismissed", j.id))
	default:
		writeProblem(w, r, statusErr(http.StatusNotFound, "job %s is %s: no result yet", j.id, state))
	}
}

// jobDismiss cancels a job (or forgets a finished one).
func (s *Server) jobDismiss(w http.ResponseWriter, r *http.Request) {
	j := s.findJob(w, r)
	if j == nil {
		return
	}
	j.cancel()
	j.mu.Lock()
	was := j.state
	j.out = nil
	j.mu.Unlock()
	if was != stateDismissed {
		s.jobs.setState(j, stateDismissed)
	}
	writeJSON(w, http.StatusOK, j.status(r))
}

// jobSites answers the sites of a finished screen job as GeoJSON (lon/lat)
// with their index, id, name and verdict: the page draws them.
func (s *Server) jobSites(w http.ResponseWriter, r *http.Request) {
	j := s.findJob(w, r)
	if j == nil {
		return
	}
	j.mu.Lock()
	out := j.out
	j.mu.Unlock()
	if out == nil || out.screen == nil {
		writeProblem(w, r, statusErr(http.StatusNotFound, "job %s has no screening result", j.id))
		return
	}
	fc := map[string]any{"type": "FeatureCollection"}
	feats := make([]featureDoc, 0, len(out.screen.Sites))
	for _, st := range out.screen.Sites {
		feats = append(feats, featureDoc{Type: "Feature", ID: st.Index, Geometry: geojson.NewGeometry(st.Geom),
			Properties: map[string]any{"index": st.Index, "id": st.ID, "name": st.Name, "verdict": st.Verdict.String()}})
	}
	fc["features"] = feats
	writeJSONType(w, http.StatusOK, "application/geo+json", fc)
}
