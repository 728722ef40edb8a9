package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// SharedLimiter is a rate limit shared by several replicas: one budget per
// client, not one per replica (rag/postgres's Store is one). Take takes one
// of perMinute tokens from the bucket of key and returns 0, or how long
// until a token is there. An error means the shared budget could not be
// consulted; the server then limits per process, as a single replica does.
type SharedLimiter interface {
	Take(ctx context.Context, key string, perMinute int) (time.Duration, error)
}

var errShuttingDown = &apiError{http.StatusServiceUnavailable, "shutting_down", "服务正在停止,请稍后再试"}

// Drain makes /readyz answer 503 so that a load balancer stops sending new
// requests, while the requests it still sends are served. Call it on
// SIGTERM, before the HTTP server's Shutdown.
func (s *Server) Drain() { s.draining.Store(true) }

// sharedAllow asks the shared budget once the local bucket has said yes.
// The local bucket is a pre-check that costs no round trip: every replica
// spends at least its own share of the shared budget, so a client that
// this replica's bucket refuses is refused by the shared one too. When the
// shared budget refuses, the local bucket takes its state (empty for as long
// as the shared one is), so the next questions are refused without a round
// trip and it never holds fewer tokens than the shared one afterwards.
func (s *Server) sharedAllow(c *gin.Context, l *limiter, key string) (bool, time.Duration) {
	wait, err := s.cfg.SharedLimit.Take(c.Request.Context(), key, s.cfg.RateLimit)
	if err != nil {
		s.metrics.fallbacks.WithLabelValues("rate_limit").Inc()
		s.cfg.Logger.Debug("shared rate limit unavailable, limiting per process", slog.Any("err", err))
		return true, 0
	}
	if wait > 0 {
		l.follow(key, wait)
		return false, wait
	}
	return true, 0
}

// sharedMetrics registers wenda_database_up and the fallback counter when
// the server runs as one of several replicas.
func (m *metrics) sharedMetrics(up func() bool) {
	m.fallbacks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "wenda_database_fallbacks_total",
		Help: "Decisions made per process because the shared database could not be reached, by what was decided.",
	}, []string{"what"})
	m.reg.MustRegister(m.fallbacks)
	if up == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "wenda_database_up",
		Help: "1 when the shared PostgreSQL answered the last exchange; 0 while WeChat and the rate limit fall back to per-process state and admin writes are refused.",
	}, func() float64 {
		if up() {
			return 1
		}
		return 0
	}))
}
