package api

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"wenda/rag"
)

// metrics are the server's Prometheus collectors, in a registry of its own
// so that servers in tests do not share counters.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	answers   *prometheus.CounterVec
	claims    *prometheus.CounterVec
	documents prometheus.Gauge
	chunks    prometheus.Gauge
	corpus    func() (docs, chunks int)
	fallbacks *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wenda_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "wenda_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wenda_answers_total", Help: "Answers by mode, whether the documents answered, and fallback reason (upstream errors, unverified figures).",
		}, []string{"mode", "answered", "fallback"}),
		claims: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wenda_llm_claims_total", Help: "Claims (figures with their place, period and kind) of the model's answers, by the check's verdict.",
		}, []string{"verdict"}),
		documents: prometheus.NewGauge(prometheus.GaugeOpts{Name: "wenda_documents", Help: "Documents indexed."}),
		chunks:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "wenda_chunks", Help: "Chunks indexed."}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.answers, m.claims, m.documents, m.chunks,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe counts a request once it is done.
func (m *metrics) observe() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := routeOf(c)
		m.requests.WithLabelValues(route, strconv.Itoa(c.Writer.Status())).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}
}

func (m *metrics) answer(a rag.Answer) {
	m.answers.WithLabelValues(string(a.Mode), strconv.FormatBool(a.Answered), a.Fallback).Inc()
	if a.Claims != nil {
		m.claims.WithLabelValues(rag.ClaimPassed).Add(float64(a.Claims.Passed))
		m.claims.WithLabelValues(rag.ClaimBlocked).Add(float64(a.Claims.Blocked))
	}
}

// recordAnswer counts an answer and logs why a model's answer was replaced
// by the extractive one (never the question).
func (s *Server) recordAnswer(c *gin.Context, a rag.Answer) {
	s.metrics.answer(a)
	s.recordUnanswered(c, a)
	if a.Fallback != "" && a.Fallback != rag.FallbackCanceled {
		s.cfg.Logger.Warn("llm answer replaced by the extractive one",
			slog.String("request_id", c.GetString(requestIDKey)), slog.String("fallback", a.Fallback))
	}
}

func (m *metrics) refreshCorpus() {
	if m.corpus != nil {
		d, c := m.corpus()
		m.documents.Set(float64(d))
		m.chunks.Set(float64(c))
	}
}

func (m *metrics) handler() gin.HandlerFunc {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return func(c *gin.Context) {
		m.refreshCorpus()
		h.ServeHTTP(c.Writer, c.Request)
	}
}
