package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the service's Prometheus metrics, in a registry of its own so
// that several servers (tests) never share counters.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
	queue    prometheus.Gauge
	jobs     *prometheus.GaugeVec
	features *prometheus.GaugeVec
	reloads  *prometheus.CounterVec
	pushdown pushdownMetrics
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "redline_http_requests_total",
			Help: "HTTP requests by route pattern and status code."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "redline_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 120}}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "redline_http_in_flight_requests",
			Help: "HTTP requests being served."}),
		queue: prometheus.NewGauge(prometheus.GaugeOpts{Name: "redline_queue_length",
			Help: "Executions waiting for a worker."}),
		jobs: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "redline_jobs",
			Help: "Asynchronous jobs kept, by state."}, []string{"state"}),
		features: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "redline_layer_features",
			Help: "Features of each loaded constraint layer."}, []string{"layer"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "redline_reloads_total",
			Help: "Layer reloads by result (ok, failed)."}, []string{"result"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.inFlight, m.queue, m.jobs, m.features, m.reloads,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.pushdown.register(m.reg)
	for _, s := range jobStates {
		m.jobs.WithLabelValues(s).Set(0)
	}
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// setLayers publishes the feature counts of a freshly loaded catalog.
func (m *metrics) setLayers(c *Catalog) {
	m.features.Reset()
	for i, l := range c.Layers {
		m.features.WithLabelValues(l.Name).Set(float64(c.featureCount(i)))
	}
}
