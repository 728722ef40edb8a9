package api

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
)

// cors lets the configured origins ("*" for any) call the question
// endpoints from a browser, so the chat can be embedded in another site.
func (s *Server) cors() gin.HandlerFunc {
	origins := s.cfg.CORSOrigins
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if origin == "" || len(origins) == 0 {
			c.Next()
			return
		}
		if slices.Contains(origins, "*") || slices.Contains(origins, origin) {
			c.Header("Access-Control-Allow-Origin", origin)
			c.Header("Vary", "Origin")
			c.Header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			c.Header("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Request-ID")
			c.Header("Access-Control-Expose-Headers", "X-Request-ID, Retry-After")
			c.Header("Access-Control-Max-Age", "600")
		}
		if c.Request.Method == http.MethodOptions {
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		c.Next()
	}
}
