package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// handleHealthz says the process is alive.
func (s *Server) handleHealthz() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"status": "ok"})
	}
}

// handleReadyz says whether the index is loaded and questions are answered,
// and what start-up skipped: a server that serves what it could is ready,
// and says so to the operator who looks.
func (s *Server) handleReadyz() gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.draining.Load() {
			s.writeError(c, errShuttingDown)
			return
		}
		if s.currentAsker() == nil {
			s.writeError(c, errNotReady)
			return
		}
		warnings := []string{}
		if s.cfg.Warnings != nil {
			warnings = append(warnings, s.cfg.Warnings()...)
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready", "warnings": warnings})
	}
}
