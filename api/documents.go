package api

import (
	"context"
	"crypto/subtle"
	"errors"
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
	errBadUpload    = &apiError{http.StatusBadRequest, "invalid_upload", "请以 multipart/form-data 上传,文件放在 file 字段"}
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
	URL       string `json:"url"`
	Text      string `json:"text"`
}

// handleAddDocument answers POST /api/v1/documents: a file in a
// multipart/form-data body (field file, metadata in fields id, title, city,
// province, published, url), a JSON document, or a plain-text body with the
// metadata in the query string (?id=…&title=…&city=…&province=…&published=…&url=…).
func (s *Server) handleAddDocument() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.ContentType() == "multipart/form-data" {
			s.addFile(c)
			return
		}
		// Text and JSON bodies are the text itself: no larger than a document.
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, rag.MaxDocumentBytes+64<<10)
		var req addDocumentRequest
		if strings.HasPrefix(c.ContentType(), "text/plain") {
			raw, err := io.ReadAll(c.Request.Body)
			if err != nil {
				s.writeError(c, err)
				return
			}
			req = addDocumentRequest{
				ID: c.Query("id"), Title: c.Query("title"), City: c.Query("city"), Province: c.Query("province"),
				Published: c.Query("published"), Kind: c.Query("kind"), URL: c.Query("url"), Text: string(raw),
			}
		} else if err := decodeJSON(c, &req); err != nil {
			s.writeError(c, err)
			return
		}
		info, err := s.cfg.Documents.Add(c.Request.Context(), rag.Document{
			ID: req.ID, Title: req.Title, City: req.City, Province: req.Province,
			Published: req.Published, Kind: req.Kind, URL: req.URL, Text: req.Text,
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

// addFile adds the document in a multipart upload. Nothing is stored or
// indexed unless the file reads and the document validates.
func (s *Server) addFile(c *gin.Context) {
	// Fields and the file are kept in memory up to the body limit: an
	// upload's temporary files would outlive a killed process.
	if err := c.Request.ParseMultipartForm(rag.MaxFileBytes + 1<<20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.writeError(c, err)
			return
		}
		s.writeError(c, errBadUpload)
		return
	}
	defer c.Request.MultipartForm.RemoveAll()
	fh, err := c.FormFile("file")
	if err != nil {
		s.writeError(c, errBadUpload)
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.writeError(c, err)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, rag.MaxFileBytes+1))
	f.Close()
	if err != nil {
		s.writeError(c, err)
		return
	}
	doc, err := rag.DocumentFromFile(data, rag.Document{
		ID: c.PostForm("id"), Title: c.PostForm("title"), City: c.PostForm("city"), Province: c.PostForm("province"),
		Published: c.PostForm("published"), Kind: c.PostForm("kind"), URL: c.PostForm("url"),
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	info, err := s.cfg.Documents.Add(c.Request.Context(), doc)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.metrics.refreshCorpus()
	c.JSON(http.StatusCreated, info)
}
