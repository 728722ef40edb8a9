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

// handleReadyz says whether the index is loaded and questions are answered.
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
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	}
}
