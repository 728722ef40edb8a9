package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"wenda/rag"
)

type askRequest struct {
	Question string        `json:"question"`
	History  []rag.Message `json:"history"`
	Stream   bool          `json:"stream"`
}

// decodeJSON reads one JSON object from the body into v.
func decodeJSON(c *gin.Context, v any) error {
	dec := json.NewDecoder(c.Request.Body)
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return &apiError{http.StatusBadRequest, "invalid_json", "请求体为空"}
		}
		return errBadJSON
	}
	return nil
}

// handleAsk answers POST /api/v1/ask, as one JSON object or, with "stream":
// true, as server-sent events: sources, delta…, done.
func (s *Server) handleAsk() gin.HandlerFunc {
	return func(c *gin.Context) {
		asker := s.currentAsker()
		if asker == nil {
			s.writeError(c, errNotReady)
			return
		}
		var req askRequest
		if err := decodeJSON(c, &req); err != nil {
			s.writeError(c, err)
			return
		}
		a, err := asker.Ask(c.Request.Context(), rag.Request{Question: req.Question, History: req.History})
		if err != nil {
			s.writeError(c, err)
			return
		}
		if !req.Stream {
			c.JSON(http.StatusOK, a)
			return
		}
		streamAnswer(c, a)
	}
}

// streamAnswer sends a finished answer as server-sent events: its sources,
// the text in pieces, then the whole object. A client that goes away stops
// the stream.
func streamAnswer(c *gin.Context, a rag.Answer) {
	setSSEHeaders(c)
	c.SSEvent("sources", a.Sources)
	c.Writer.Flush()
	for _, piece := range pieces(a.Answer, 16) {
		if c.Request.Context().Err() != nil {
			return
		}
		c.SSEvent("delta", gin.H{"text": piece})
		c.Writer.Flush()
	}
	c.SSEvent("done", a)
	c.Writer.Flush()
}

func setSSEHeaders(c *gin.Context) {
	c.Header("Content-Type", "text/event-stream; charset=utf-8")
	c.Header("Cache-Control", "no-cache")
	c.Header("Connection", "keep-alive")
	c.Header("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
}

// pieces cuts text into runs of about n runes, preferring to end a piece at
// punctuation so that a streamed answer reads naturally.
func pieces(text string, n int) []string {
	var out []string
	var b strings.Builder
	count := 0
	for _, r := range text {
		b.WriteRune(r)
		count++
		if (count >= n && strings.ContainsRune(",。;:、\n,;", r)) || count >= 2*n {
			out = append(out, b.String())
			b.Reset()
			count = 0
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}
