package api

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
)

// sseStream writes server-sent events, the one writer of both streaming
// endpoints. Nothing is written before the first event: until then an error
// can still go out as a plain JSON error with its status. A client that went
// away ends the stream; what is left is not written.
type sseStream struct {
	c       *gin.Context
	started bool
	gone    bool
}

// start writes the headers, once.
func (s *sseStream) start() {
	if s.started {
		return
	}
	s.started = true
	h := s.c.Writer.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no") // nginx: pass each event on as it comes
	s.c.Status(http.StatusOK)
}

// event writes one event, "event: name" (none when name is "") and "data:
// data", and flushes it.
func (s *sseStream) event(name string, data []byte) {
	s.start()
	if s.gone || s.c.Request.Context().Err() != nil {
		s.gone = true
		return
	}
	b := make([]byte, 0, len(name)+len(data)+16)
	if name != "" {
		b = append(append(append(b, "event: "...), name...), '\n')
	}
	b = append(append(append(b, "data: "...), data...), "\n\n"...)
	if _, err := s.c.Writer.Write(b); err != nil {
		s.gone = true
		return
	}
	s.c.Writer.Flush()
}

// json writes v as one event's data.
func (s *sseStream) json(name string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return // cannot happen: the types written marshal
	}
	s.event(name, b)
}
