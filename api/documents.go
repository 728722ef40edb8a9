package api

import (
	"context"
	"crypto/subtle"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"wenda/rag"
)

// DocumentAdmin lists, adds and removes documents; rag.Documents is one.
type DocumentAdmin interface {
	List() []rag.DocumentInfo
	Add(ctx context.Context, doc rag.Document) (rag.DocumentInfo, error)
	Remove(ctx context.Context, id string) error
}

var (
	errUnauthorized = &apiError{http.StatusUnauthorized, "unauthorized", "需要有效的管理令牌"}
	errReadOnly     = &apiError{http.StatusConflict, "read_only", "内置文档不能删除"}
)

// requireAdmin checks the bearer token in constant time.
func (s *Server) requireAdmin() gin.HandlerFunc {
	want := []byte("Bearer " + s.cfg.AdminToken)
	return func(c *gin.Context) {
		got := []byte(c.GetHeader("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="wenda"`)
			s.writeError(c, errUnauthorized)
			return
		}
		c.Next()
	}
}

// handleListDocuments answers GET /api/v1/documents.
func (s *Server) handleListDocuments() gin.HandlerFunc {
	return func(c *gin.Context) {
		docs := s.cfg.Documents.List()
		if docs == nil {
			docs = []rag.DocumentInfo{}
		}
		c.JSON(http.StatusOK, gin.H{"documents": docs})
	}
}

type addDocumentRequest struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	City      string `json:"city"`
	Province  string `json:"province"`
	Published string `json:"published"`
	Kind      string `json:"kind"`
	Text      string `json:"text"`
}

// handleAddDocument answers POST /api/v1/documents: a JSON document, or a
// plain-text body with the metadata in the query string
// (?id=…&title=…&city=…&province=…&published=…).
func (s *Server) handleAddDocument() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req addDocumentRequest
		if strings.HasPrefix(c.ContentType(), "text/plain") {
			raw, err := io.ReadAll(c.Request.Body)
			if err != nil {
				s.writeError(c, err)
				return
			}
			req = addDocumentRequest{
				ID: c.Query("id"), Title: c.Query("title"), City: c.Query("city"), Province: c.Query("province"),
				Published: c.Query("published"), Kind: c.Query("kind"), Text: string(raw),
			}
		} else if err := decodeJSON(c, &req); err != nil {
			s.writeError(c, err)
			return
		}
		info, err := s.cfg.Documents.Add(c.Request.Context(), rag.Document{
			ID: req.ID, Title: req.Title, City: req.City, Province: req.Province,
			Published: req.Published, Kind: req.Kind, Text: req.Text,
		})
		if err != nil {
			s.writeError(c, err)
			return
		}
		s.metrics.refreshCorpus()
		c.JSON(http.StatusCreated, info)
	}
}

// handleDeleteDocument answers DELETE /api/v1/documents/:id.
func (s *Server) handleDeleteDocument() gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.cfg.Documents.Remove(c.Request.Context(), c.Param("id")); err != nil {
			s.writeError(c, err)
			return
		}
		s.metrics.refreshCorpus()
		c.Status(http.StatusNoContent)
	}
}
