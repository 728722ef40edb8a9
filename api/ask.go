package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

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

// answer answers req through the asker's stream when it has one, reporting
// to ev (the zero Events for an answer not streamed), and records the
// answer. The request is validated by the asker, once: an invalid one fails
// before any event, so its error still goes out as a plain JSON error.
func (s *Server) answer(c *gin.Context, asker Asker, req rag.Request, ev rag.Events) (rag.Answer, error) {
	var a rag.Answer
	var err error
	if st, ok := asker.(Streamer); ok {
		a, err = st.AskStream(c.Request.Context(), req, ev)
	} else if a, err = asker.Ask(c.Request.Context(), req); err == nil {
		ev.Emit(a)
	}
	if err != nil {
		return a, err
	}
	s.recordAnswer(c, a)
	return a, nil
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
			a, err := s.answer(c, asker, rreq, rag.Events{})
			if err != nil {
				s.writeError(c, err)
				return
			}
			// The whole body with its length, written at once: a replica
			// stopped mid-answer cuts as little as it can, and a proxy
			// sees a response either whole or not begun.
			body, err := json.Marshal(a)
			if err != nil {
				s.writeError(c, err)
				return
			}
			c.Header("Content-Length", strconv.Itoa(len(body)))
			c.Data(http.StatusOK, "application/json; charset=utf-8", body)
			return
		}
		st := &sseStream{c: c}
		a, err := s.answer(c, asker, rreq, rag.Events{
			Sources: func(src []rag.Source) { st.json("sources", src) },
			Delta:   func(text string) { st.json("delta", gin.H{"text": text}) },
		})
		if err != nil {
			if !st.started {
				s.writeError(c, err)
				return
			}
			ae := classify(err)
			s.logFailure(c, err, ae)
			st.json("error", errorBody{Error: errorDetail{Code: ae.code, Message: ae.message}})
			return
		}
		st.json("done", a)
	}
}
