package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

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
		if errors.As(err, &mbe) || isBodyTimeout(err) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return &apiError{http.StatusBadRequest, "invalid_json", "请求体为空"}
		}
		return errBadJSON
	}
	return nil
}

// openQuestion is how both question endpoints begin: the answerer, once the
// index is loaded, and the request body decoded into v.
func (s *Server) openQuestion(c *gin.Context, v any) (Asker, error) {
	asker := s.currentAsker()
	if asker == nil {
		return nil, errNotReady
	}
	if err := decodeJSON(c, v); err != nil {
		return nil, err
	}
	return asker, nil
}

// Streamer answers with progress events; rag.Engine is one. An Asker that
// is not a Streamer is streamed from its finished answer.
type Streamer interface {
	AskStream(ctx context.Context, req rag.Request, ev rag.Events) (rag.Answer, error)
}

// askStream answers through the asker's stream when it has one.
func askStream(ctx context.Context, a Asker, req rag.Request, ev rag.Events) (rag.Answer, error) {
	if st, ok := a.(Streamer); ok {
		return st.AskStream(ctx, req, ev)
	}
	ans, err := a.Ask(ctx, req)
	if err != nil {
		return ans, err
	}
	if ev.Sources != nil {
		ev.Sources(ans.Sources)
	}
	if ev.Delta != nil {
		for _, p := range rag.Pieces(ans.Answer, 16) {
			ev.Delta(p)
		}
	}
	return ans, nil
}

// handleAsk answers POST /api/v1/ask, as one JSON object or, with "stream":
// true, as server-sent events: sources, delta…, done. A client that goes
// away cancels the request's context, and with it the work upstream.
func (s *Server) handleAsk() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req askRequest
		asker, err := s.openQuestion(c, &req)
		if err != nil {
			s.writeError(c, err)
			return
		}
		rreq := rag.Request{Question: req.Question, History: req.History}
		if !req.Stream {
			a, err := asker.Ask(c.Request.Context(), rreq)
			if err != nil {
				s.writeError(c, err)
				return
			}
			s.recordAnswer(c, a)
			c.JSON(http.StatusOK, a)
			return
		}
		// Validation errors must still be plain JSON errors: check before
		// the event stream starts.
		if err := rreq.Validate(); err != nil {
			s.writeError(c, err)
			return
		}
		started := false
		start := func() {
			if !started {
				started = true
				setSSEHeaders(c)
			}
		}
		a, err := askStream(c.Request.Context(), asker, rreq, rag.Events{
			Sources: func(src []rag.Source) {
				start()
				c.SSEvent("sources", src)
				c.Writer.Flush()
			},
			Delta: func(text string) {
				start()
				c.SSEvent("delta", gin.H{"text": text})
				c.Writer.Flush()
			},
		})
		if err != nil {
			if !started {
				s.writeError(c, err)
				return
			}
			ae := classify(err)
			s.logFailure(c, err, ae)
			c.SSEvent("error", errorBody{Error: errorDetail{Code: ae.code, Message: ae.message}})
			c.Writer.Flush()
			return
		}
		s.recordAnswer(c, a)
		start()
		c.SSEvent("done", a)
		c.Writer.Flush()
	}
}

func setSSEHeaders(c *gin.Context) {
	c.Header("Content-Type", "text/event-stream; charset=utf-8")
	c.Header("Cache-Control", "no-cache")
	c.Header("Connection", "keep-alive")
	c.Header("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
}

// pieces is rag.Pieces, kept for the OpenAI-compatible stream.
func pieces(text string, n int) []string { return rag.Pieces(text, n) }
