package api

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"
)

const requestIDKey = "request_id"

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes X-Request-ID from the client when it is well formed, makes
// one otherwise, and echoes it.
func (s *Server) requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !requestIDRE.MatchString(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(requestIDKey, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

// accessLog logs every request with its route, status and duration; never a
// body or a question.
func (s *Server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if !s.cfg.Logger.Enabled(c.Request.Context(), slog.LevelInfo) {
			return // the attributes below would be made for nothing
		}
		route := routeOf(c)
		s.cfg.Logger.Info("request",
			slog.String("request_id", c.GetString(requestIDKey)),
			slog.String("method", c.Request.Method),
			slog.String("route", route),
			slog.Int("status", c.Writer.Status()),
			slog.Duration("duration", time.Since(start)))
	}
}

// routeOf is the request's route pattern, "unmatched" for none: a label
// that never holds a path a client made up.
func routeOf(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

// recoverer turns a panic into a logged 500 in the API's error shape.
func (s *Server) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.cfg.Logger.Error("panic", slog.String("request_id", c.GetString(requestIDKey)), slog.Any("panic", v))
				if !c.Writer.Written() {
					writeError(c, errInternal)
				}
			}
		}()
		c.Next()
	}
}

// limitBody bounds request bodies; reading past the limit fails with
// *http.MaxBytesError, which writeError maps to 413.
func (s *Server) limitBody() gin.HandlerFunc { return s.limitBodyTo(s.cfg.MaxBodyBytes) }

func (s *Server) limitBodyTo(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > n {
			writeError(c, errTooLarge)
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		c.Next()
	}
}
