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

// Config configures the HTTP layer.
type Config struct {
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (64 KiB when zero).
	MaxBodyBytes int64
	// WeChat, when set, serves GET and POST /wechat/mp.
	WeChat http.Handler
	// Web, when set, serves the chat page on / and /static/.
	Web http.Handler
}

// Server is wenda's HTTP API. The answerer is set once the index is loaded;
// until then /readyz and the question endpoints answer 503.
type Server struct {
	cfg   Config
	asker atomic.Pointer[askerBox]
	start time.Time
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
	return &Server{cfg: cfg, start: time.Now()}
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
	r.Use(s.requestID(), s.accessLog(), s.recoverer())
	s.addRoutes(r)
	return r
}

// addRoutes is the one place every route is declared.
func (s *Server) addRoutes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz())
	r.GET("/readyz", s.handleReadyz())
	v1 := r.Group("/api/v1", s.limitBody())
	v1.POST("/ask", s.handleAsk())
	r.POST("/v1/chat/completions", s.limitBody(), s.handleChatCompletions())
	r.GET("/v1/models", s.handleModels())
	if s.cfg.WeChat != nil {
		r.GET("/wechat/mp", gin.WrapH(s.cfg.WeChat))
		r.POST("/wechat/mp", gin.WrapH(s.cfg.WeChat))
	}
	if s.cfg.Web != nil {
		r.GET("/", gin.WrapH(s.cfg.Web))
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
