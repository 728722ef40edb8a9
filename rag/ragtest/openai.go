// Package ragtest holds fakes for testing package rag and its callers
// without the network: an OpenAI-compatible server on loopback. It knows the
// wire format only, not package rag.
package ragtest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// Reply scripts one answer of the fake server.
type Reply struct {
	// Status, when not 0 or 200, is sent with an OpenAI error body.
	Status int
	// Text is the reply's content. A stream sends it in Chunks, or in pieces
	// of a few characters when Chunks is nil.
	Text   string
	Chunks []string
	// Delay is waited before the headers are sent; ChunkDelay between the
	// chunks of a stream. Both end when the client goes away.
	Delay      time.Duration
	ChunkDelay time.Duration
	// BreakAfter > 0 aborts the connection after that many content chunks,
	// without a finish reason or [DONE].
	BreakAfter int
	// Malformed sends a body (or, in a stream, a chunk) that is not JSON,
	// as a proxy's error page or a buggy server does.
	Malformed bool
}

// Hang is a Delay longer than any test.
const Hang = time.Hour

// ChatRequest is a chat completion request as the server decoded it.
type ChatRequest struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Stream      bool      `json:"stream"`
	Temperature float64   `json:"temperature"`
	MaxTokens   int       `json:"max_tokens"`
	// Auth is the Authorization header.
	Auth string `json:"-"`
}

// Message is one message of a ChatRequest.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// EmbedRequest is an embeddings request as the server decoded it.
type EmbedRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
	Auth  string   `json:"-"`
}

// Server is a fake OpenAI-compatible endpoint: POST /v1/chat/completions
// (plain and streamed) and POST /v1/embeddings. It rejects any other path,
// a request without "Authorization: Bearer <Key>" (when Key is set), a body
// that is not JSON, and a request without a model or messages (400). Its
// replies are scripted with Chat, ChatFunc and Embed; requests are recorded.
type Server struct {
	*httptest.Server
	// Key is the API key the server expects.
	Key string

	mu        sync.Mutex
	chat      func(ChatRequest) Reply
	embed     func(EmbedRequest) Reply
	dim       int
	chats     []ChatRequest
	embeds    []EmbedRequest
	bad       []string // wire format faults, for Check
	done      chan struct{}
	closeOnce sync.Once
}

// NewServer starts a fake on loopback that answers every chat with "好的。"
// and every embedding with 64-dimension vectors, and closes it when the
// test ends.
func NewServer(t testing.TB, key string) *Server {
	t.Helper()
	s := &Server{Key: key, dim: 64, done: make(chan struct{})}
	s.chat = func(ChatRequest) Reply { return Reply{Text: "好的。"} }
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Close releases any reply still waiting, then stops the server.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.Server.Close()
}

// BaseURL is the endpoint with its version, as OPENAI_BASE_URL wants it.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Chat scripts the chat replies: one per request in order, the last one
// repeated.
func (s *Server) Chat(replies ...Reply) {
	var mu sync.Mutex
	i := 0
	s.ChatFunc(func(ChatRequest) Reply {
		mu.Lock()
		defer mu.Unlock()
		r := replies[min(i, len(replies)-1)]
		i++
		return r
	})
}

// ChatFunc scripts the chat replies with a function of the request.
func (s *Server) ChatFunc(f func(ChatRequest) Reply) {
	s.mu.Lock()
	s.chat = f
	s.mu.Unlock()
}

// EmbedFunc scripts the embedding replies; a Reply with Status 0 and no
// Malformed gets the vectors of Vector.
func (s *Server) EmbedFunc(f func(EmbedRequest) Reply) {
	s.mu.Lock()
	s.embed = f
	s.mu.Unlock()
}

// ChatRequests returns the chat requests received so far.
func (s *Server) ChatRequests() []ChatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ChatRequest(nil), s.chats...)
}

// EmbedRequests returns the embedding requests received so far.
func (s *Server) EmbedRequests() []EmbedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]EmbedRequest(nil), s.embeds...)
}

// Faults returns what was wrong with the requests' wire format: a wrong
// path or method, a missing key, a body that is not JSON.
func (s *Server) Faults() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bad...)
}

func (s *Server) fault(w http.ResponseWriter, status int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	s.bad = append(s.bad, msg)
	s.mu.Unlock()
	writeError(w, status, msg)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		s.fault(w, http.StatusMethodNotAllowed, "method %s", r.Method)
		return
	}
	auth := r.Header.Get("Authorization")
	if s.Key != "" && auth != "Bearer "+s.Key {
		s.fault(w, http.StatusUnauthorized, "authorization %q", auth)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.fault(w, http.StatusBadRequest, "content type %q", ct)
		return
	}
	switch r.URL.Path {
	case "/v1/chat/completions":
		var req ChatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			s.fault(w, http.StatusBadRequest, "chat body: %v", err)
			return
		}
		if req.Model == "" || len(req.Messages) == 0 {
			s.fault(w, http.StatusBadRequest, "chat without model or messages")
			return
		}
		req.Auth = auth
		s.mu.Lock()
		s.chats = append(s.chats, req)
		f := s.chat
		s.mu.Unlock()
		s.replyChat(w, r, req, f(req))
	case "/v1/embeddings":
		var req EmbedRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			s.fault(w, http.StatusBadRequest, "embeddings body: %v", err)
			return
		}
		if req.Model == "" || len(req.Input) == 0 {
			s.fault(w, http.StatusBadRequest, "embeddings without model or input")
			return
		}
		req.Auth = auth
		s.mu.Lock()
		s.embeds = append(s.embeds, req)
		f, dim := s.embed, s.dim
		s.mu.Unlock()
		var rep Reply
		if f != nil {
			rep = f(req)
		}
		s.replyEmbed(w, r, req, rep, dim)
	default:
		s.fault(w, http.StatusNotFound, "path %s", r.URL.Path)
	}
}

// wait sleeps d, or less when the client or the server goes away; it
// reports whether the full time passed.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.done:
	}
	return false
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": msg, "type": http.StatusText(status), "code": status,
	}})
}

func (s *Server) replyChat(w http.ResponseWriter, r *http.Request, req ChatRequest, rep Reply) {
	if !s.wait(r, rep.Delay) {
		return
	}
	if rep.Status != 0 && rep.Status != http.StatusOK {
		writeError(w, rep.Status, "scripted failure")
		return
	}
	if !req.Stream {
		w.Header().Set("Content-Type", "application/json")
		if rep.Malformed {
			fmt.Fprint(w, `{"id": "chatcmpl-1", "choices": [{"message": {"content": 南昌}}]}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": req.Model,
			"choices": []any{map[string]any{
				"index": 0, "message": map[string]any{"role": "assistant", "content": rep.Text}, "finish_reason": "stop",
			}},
			"usage": map[string]int{"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	send := func(delta map[string]any, finish any) {
		raw, _ := json.Marshal(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		})
		fmt.Fprintf(w, "data: %s\n\n", raw)
		if flusher != nil {
			flusher.Flush()
		}
	}
	send(map[string]any{"role": "assistant", "content": ""}, nil)
	chunks := rep.Chunks
	if chunks == nil {
		chunks = Pieces(rep.Text, 4)
	}
	for i, c := range chunks {
		if i > 0 && !s.wait(r, rep.ChunkDelay) {
			return
		}
		if rep.Malformed && i == len(chunks)/2 {
			fmt.Fprint(w, "data: {\"choices\": [{\"delta\": {\"content\": 南昌}}]}\n\n")
			if flusher != nil {
				flusher.Flush()
			}
			return
		}
		send(map[string]any{"content": c}, nil)
		if rep.BreakAfter > 0 && i+1 >= rep.BreakAfter {
			// Abort the connection mid-stream: the client reads an
			// unexpected EOF, as when a proxy or the server dies.
			panic(http.ErrAbortHandler)
		}
	}
	send(map[string]any{}, "stop")
	fmt.Fprint(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

func (s *Server) replyEmbed(w http.ResponseWriter, r *http.Request, req EmbedRequest, rep Reply, dim int) {
	if !s.wait(r, rep.Delay) {
		return
	}
	if rep.Status != 0 && rep.Status != http.StatusOK {
		writeError(w, rep.Status, "scripted failure")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.Malformed {
		fmt.Fprint(w, `{"object": "list", "data": [{"embedding": [0.1, NaN]}]}`)
		return
	}
	data := make([]any, len(req.Input))
	// Listed in reverse: the client must order vectors by their index.
	for i, text := range req.Input {
		data[len(req.Input)-1-i] = map[string]any{"object": "embedding", "index": i, "embedding": Vector(text, dim)}
	}
	json.NewEncoder(w).Encode(map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": 1, "total_tokens": 1},
	})
}

// Vector is the fake's embedding of text: character bigrams hashed into
// dim buckets, deliberately not normalised (length about 3 or more), so
// that a client that forgets to normalise is caught.
func Vector(text string, dim int) []float32 {
	v := make([]float32, dim)
	prev := ""
	for _, r := range text {
		cur := string(r)
		h := fnv.New32a()
		h.Write([]byte(prev + cur))
		v[h.Sum32()%uint32(dim)] += 3
		prev = cur
	}
	v[0] += 3 // never the zero vector
	return v
}

// Pieces cuts text into pieces of n runes, as a model streams tokens.
func Pieces(text string, n int) []string {
	var out []string
	for text != "" {
		i, count := 0, 0
		for i < len(text) && count < n {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
			count++
		}
		out = append(out, text[:i])
		text = text[i:]
	}
	return out
}
