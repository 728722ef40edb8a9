package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"wenda/rag"
)

// UnansweredLog keeps the questions wenda refused for want of a document:
// their normalised text and a count, nothing about who asked. Record is
// called once per refusal and must not block on slow storage for long;
// List returns the most asked first. rag.UnansweredFile keeps them in the
// data dir; a database store can take its place.
type UnansweredLog interface {
	Record(ctx context.Context, question string) error
	List(ctx context.Context) ([]rag.Unanswered, error)
	Clear(ctx context.Context) error
}

// recordUnanswered counts a refusal; a failing store is logged, never the
// citizen's problem.
func (s *Server) recordUnanswered(c *gin.Context, a rag.Answer) {
	if s.cfg.Unanswered == nil || a.Answered || a.Question == "" {
		return
	}
	if err := s.cfg.Unanswered.Record(c.Request.Context(), a.Question); err != nil {
		s.cfg.Logger.Warn("unanswered question not recorded", slog.String("request_id", c.GetString(requestIDKey)), slog.Any("err", err))
	}
}

// handleListUnanswered answers GET /api/v1/unanswered:
// {"enabled": true, "questions": [{"text": "…", "count": 3}]}.
func (s *Server) handleListUnanswered() gin.HandlerFunc {
	return func(c *gin.Context) {
		list := []rag.Unanswered{}
		if s.cfg.Unanswered != nil {
			got, err := s.cfg.Unanswered.List(c.Request.Context())
			if err != nil {
				s.writeError(c, err)
				return
			}
			list = append(list, got...)
		}
		c.JSON(http.StatusOK, gin.H{"enabled": s.cfg.Unanswered != nil, "questions": list})
	}
}

// handleClearUnanswered answers DELETE /api/v1/unanswered.
func (s *Server) handleClearUnanswered() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.cfg.Unanswered != nil {
			if err := s.cfg.Unanswered.Clear(c.Request.Context()); err != nil {
				s.writeError(c, err)
				return
			}
		}
		c.Status(http.StatusNoContent)
	}
}
