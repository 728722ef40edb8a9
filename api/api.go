// Package api exposes package rag over HTTP with gin. It owns routing,
// decoding, encoding, streaming and the mapping of errors to status codes; it
// holds no retrieval or answering logic.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"wenda/rag"
)

// Asker answers a citizen's question. rag.Engine is one; tests fake it.
type Asker interface {
	Ask(ctx context.Context, req rag.Request) (rag.Answer, error)
}

// DefaultRateLimit is the questions a minute a client may ask when the
// operator does not say (WENDA_RATE_LIMIT): a citizen asks a few, a script
// that asks more is slowed down.
const DefaultRateLimit = 60

// Config configures the HTTP layer.
type Config struct {
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (64 KiB when zero).
	MaxBodyBytes int64
	// BodyTimeout bounds the time a client takes to send a request body
	// (DefaultBodyTimeout when zero).
	BodyTimeout time.Duration
	// WeChat, when set, serves GET and POST /wechat/mp.
	WeChat http.Handler
	// Web, when set, serves the chat page on / and /static/.
	Web http.Handler
	// RateLimit is questions per minute per client IP on the question
	// endpoints; 0 turns it off.
	RateLimit int
	// TrustedProxies are the proxies whose X-Forwarded-For names the client.
	TrustedProxies []string
	// CORSOrigins may call the question endpoints from a browser ("*": any).
	CORSOrigins []string
	// AdminToken enables /api/v1/documents with this bearer token.
	AdminToken string
	// Documents is what the admin endpoints administer.
	Documents DocumentAdmin
	// Corpus reports documents and chunks indexed, for /metrics.
	Corpus func() (docs, chunks int)
	// Warnings, when set, says what start-up skipped or could not do (a
	// damaged document, an index snapshot it could not save), for /readyz.
	Warnings func() []string
	// SharedLimit, when set, makes RateLimit one budget per client across
	// replicas (see SharedLimiter).
	SharedLimit SharedLimiter
	// DatabaseUp, when set, is exported as wenda_database_up.
	DatabaseUp func() bool
	// Unanswered, when set, keeps the questions refused for want of a
	// document (WENDA_UNANSWERED_LOG=on), shown on the admin page.
	Unanswered UnansweredLog
	// Admin, when set with AdminToken, serves the admin page at /admin.
	Admin http.Handler
}

// Server is wenda's HTTP API. The answerer is set once the index is loaded;
// until then /readyz and the question endpoints answer 503.
type Server struct {
	cfg      Config
	asker    atomic.Pointer[askerBox]
	start    time.Time
	metrics  *metrics
	draining atomic.Bool
}

type askerBox struct{ Asker }

// New returns a server with no answerer yet.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 10
	}
	if cfg.BodyTimeout <= 0 {
		cfg.BodyTimeout = DefaultBodyTimeout
	}
	m := newMetrics()
	m.corpus = cfg.Corpus
	m.sharedMetrics(cfg.DatabaseUp)
	return &Server{cfg: cfg, start: time.Now(), metrics: m}
}

// SetAsker makes the server ready to answer.
func (s *Server) SetAsker(a Asker) { s.asker.Store(&askerBox{a}) }

func (s *Server) currentAsker() Asker {
	if b := s.asker.Load(); b != nil {
		return b.Asker
	}
	return nil
}

// Handler returns the routed handler.
func (s *Server) Handler() http.Handler {
	r := gin.New()
	r.ContextWithFallback = true
	// Only the configured proxies may name the client, and only in
	// X-Forwarded-For: gin would also believe X-Real-IP, which a proxy that
	// sets X-Forwarded-For passes through from the client unchanged. With no
	// proxies, the client is the connection's address.
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	if err := r.SetTrustedProxies(s.cfg.TrustedProxies); err != nil {
		r.SetTrustedProxies(nil)
	}
	r.Use(s.requestID(), s.accessLog(), s.metrics.observe(), s.recoverer())
	s.addRoutes(r)
	return guardBody(r, s.cfg.BodyTimeout)
}

// addRoutes is the one place every route is declared.
func (s *Server) addRoutes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz())
	r.HEAD("/healthz", s.handleHealthz())
	r.GET("/readyz", s.handleReadyz())
	r.HEAD("/readyz", s.handleReadyz())
	r.GET("/metrics", s.metrics.handler())

	public := r.Group("", s.cors())
	public.OPTIONS("/api/v1/ask", func(c *gin.Context) {})
	public.OPTIONS("/v1/chat/completions", func(c *gin.Context) {})
	public.GET("/v1/models", s.handleModels())
	// The question endpoints share one limiter: a client has one budget
	// whichever of them it asks through.
	questions := public.Group("", s.rateLimit(), s.limitBody())
	questions.POST("/api/v1/ask", s.handleAsk())
	questions.POST("/v1/chat/completions", s.handleChatCompletions())

	if s.cfg.AdminToken != "" && s.cfg.Documents != nil {
		admin := r.Group("/api/v1/documents", s.requireAdmin())
		admin.GET("", s.handleListDocuments())
		// Documents are larger than questions: files up to rag.MaxFileBytes,
		// text up to rag.MaxDocumentBytes (checked by the handler).
		admin.POST("", s.limitBodyTo(rag.MaxFileBytes+1<<20), bodyTimeout(uploadBodyTimeout), s.handleAddDocument())
		admin.DELETE("/:id", s.handleDeleteDocument())
		unanswered := r.Group("/api/v1/unanswered", s.requireAdmin())
		unanswered.GET("", s.handleListUnanswered())
		unanswered.DELETE("", s.handleClearUnanswered())
		if s.cfg.Admin != nil {
			// The page is public; what it shows comes from the endpoints
			// above, with the token the operator types in.
			r.GET("/admin", gin.WrapH(s.cfg.Admin))
			r.GET("/admin/*filepath", gin.WrapH(s.cfg.Admin))
		}
	}
	if s.cfg.WeChat != nil {
		r.GET("/wechat/mp", gin.WrapH(s.cfg.WeChat))
		r.POST("/wechat/mp", gin.WrapH(s.cfg.WeChat))
	}
	if s.cfg.Web != nil {
		r.GET("/", gin.WrapH(s.cfg.Web))
		r.HEAD("/", gin.WrapH(s.cfg.Web))
		r.GET("/static/*filepath", gin.WrapH(s.cfg.Web))
	}
	r.NoRoute(func(c *gin.Context) {
		writeError(c, errNotFound)
	})
	r.NoMethod(func(c *gin.Context) {
		writeError(c, errMethod)
	})
	r.HandleMethodNotAllowed = true
}
