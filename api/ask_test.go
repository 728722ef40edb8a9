package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"wenda/rag"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	m.Run()
}

// askerFunc adapts a function to Asker for tests.
type askerFunc func(ctx context.Context, req rag.Request) (rag.Answer, error)

func (f askerFunc) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) { return f(ctx, req) }

var fixedAnswer = rag.Answer{
	Answer: "南昌市2020年九年义务教育巩固率为97.01%[1]。", Answered: true, Mode: rag.ModeExtractive,
	Question: "南昌义务教育巩固率是多少",
	Sources:  []rag.Source{{N: 1, DocID: "nc", Title: "规划", City: "南昌市", Published: "2022", Text: "巩固率 97.01"}},
}

// validatingAsker validates like rag.Engine and answers fixedAnswer.
var validatingAsker = askerFunc(func(_ context.Context, req rag.Request) (rag.Answer, error) {
	if err := req.Validate(); err != nil {
		return rag.Answer{}, err
	}
	return fixedAnswer, nil
})

func newTestServer(a Asker) http.Handler {
	s := New(Config{})
	if a != nil {
		s.SetAsker(a)
	}
	return s.Handler()
}

func do(t *testing.T, h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestAsk(t *testing.T) {
	h := newTestServer(validatingAsker)
	w := do(t, h, "POST", "/api/v1/ask", `{"question":"南昌义务教育巩固率是多少"}`)
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", w.Code, w.Body)
	}
	var got rag.Answer
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fixedAnswer, got); diff != "" {
		t.Errorf("POST /api/v1/ask mismatch (-want +got):\n%s", diff)
	}
	if w.Header().Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID in the response")
	}
}

func TestAskErrors(t *testing.T) {
	h := newTestServer(validatingAsker)
	tests := []struct {
		name     string
		body     string
		wantCode int
		wantErr  string
	}{
		{"broken json", `{"question":`, 400, "invalid_json"},
		{"empty body", ``, 400, "invalid_json"},
		{"empty question", `{"question":"  "}`, 400, "invalid_request"},
		{"long question", `{"question":"` + strings.Repeat("问", 600) + `"}`, 413, "question_too_long"},
		{"long history", `{"question":"问","history":[` + strings.TrimSuffix(strings.Repeat(`{"role":"user","content":"a"},`, 21), ",") + `]}`, 413, "history_too_long"},
		{"bad role", `{"question":"问","history":[{"role":"system","content":"a"}]}`, 400, "invalid_request"},
		{"huge body", `{"question":"` + strings.Repeat("a", 2<<20) + `"}`, 413, "body_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, h, "POST", "/api/v1/ask", tt.body)
			if w.Code != tt.wantCode {
				t.Errorf("status = %d, want %d; body %s", w.Code, tt.wantCode, w.Body)
			}
			var got errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("body is not the error shape: %s", w.Body)
			}
			if got.Error.Code != tt.wantErr || got.Error.Message == "" {
				t.Errorf("error = %+v, want code %q with a message", got.Error, tt.wantErr)
			}
		})
	}
}

func TestAskHidesInternalErrors(t *testing.T) {
	h := newTestServer(askerFunc(func(context.Context, rag.Request) (rag.Answer, error) {
		return rag.Answer{}, io.ErrUnexpectedEOF
	}))
	w := do(t, h, "POST", "/api/v1/ask", `{"question":"问"}`)
	if w.Code != 500 || strings.Contains(w.Body.String(), "unexpected EOF") {
		t.Errorf("got %d %s, want 500 without the internal error text", w.Code, w.Body)
	}
}

func TestReadiness(t *testing.T) {
	s := New(Config{})
	h := s.Handler()
	if w := do(t, h, "GET", "/healthz", ""); w.Code != 200 {
		t.Errorf("GET /healthz = %d, want 200", w.Code)
	}
	if w := do(t, h, "GET", "/readyz", ""); w.Code != 503 {
		t.Errorf("GET /readyz before the index = %d, want 503", w.Code)
	}
	if w := do(t, h, "POST", "/api/v1/ask", `{"question":"问"}`); w.Code != 503 {
		t.Errorf("POST /api/v1/ask before the index = %d, want 503", w.Code)
	}
	s.SetAsker(validatingAsker)
	if w := do(t, h, "GET", "/readyz", ""); w.Code != 200 {
		t.Errorf("GET /readyz after the index = %d, want 200", w.Code)
	}
	if w := do(t, h, "GET", "/nope", ""); w.Code != 404 || !strings.Contains(w.Body.String(), `"not_found"`) {
		t.Errorf("GET /nope = %d %s, want 404 in the error shape", w.Code, w.Body)
	}
}

// sseEvents parses a text/event-stream body into (event, data) pairs.
func sseEvents(t *testing.T, body string) [][2]string {
	t.Helper()
	var out [][2]string
	for _, block := range strings.Split(body, "\n\n") {
		var ev, data string
		for _, line := range strings.Split(block, "\n") {
			switch {
			case strings.HasPrefix(line, "event:"):
				ev = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:"):
				data += strings.TrimPrefix(line, "data:")
			}
		}
		if ev != "" {
			out = append(out, [2]string{ev, data})
		}
	}
	return out
}

func TestAskStream(t *testing.T) {
	h := newTestServer(validatingAsker)
	w := do(t, h, "POST", "/api/v1/ask", `{"question":"南昌义务教育巩固率是多少","stream":true}`)
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type = %q, want text/event-stream", ct)
	}
	events := sseEvents(t, w.Body.String())
	if len(events) < 3 || events[0][0] != "sources" || events[len(events)-1][0] != "done" {
		t.Fatalf("events = %v, want sources, delta…, done", events)
	}
	var text strings.Builder
	for _, ev := range events[1 : len(events)-1] {
		if ev[0] != "delta" {
			t.Fatalf("event %q between sources and done, want delta", ev[0])
		}
		var d struct{ Text string }
		if err := json.Unmarshal([]byte(ev[1]), &d); err != nil {
			t.Fatal(err)
		}
		text.WriteString(d.Text)
	}
	if text.String() != fixedAnswer.Answer {
		t.Errorf("deltas = %q, want %q", text.String(), fixedAnswer.Answer)
	}
	var done rag.Answer
	if err := json.Unmarshal([]byte(events[len(events)-1][1]), &done); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fixedAnswer, done); diff != "" {
		t.Errorf("done event mismatch (-want +got):\n%s", diff)
	}
}

// TestAskStreamClientDisconnect checks that a client leaving mid-stream
// cancels the answer's context.
func TestAskStreamClientDisconnect(t *testing.T) {
	cancelled := make(chan struct{})
	slow := streamerFunc(func(ctx context.Context, _ rag.Request, ev rag.Events) (rag.Answer, error) {
		ev.Sources(nil)
		ev.Delta("第一段")
		select {
		case <-ctx.Done():
			close(cancelled)
			return rag.Answer{}, ctx.Err()
		case <-time.After(10 * time.Second):
			return fixedAnswer, nil
		}
	})
	s := New(Config{})
	s.SetAsker(slow)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v1/ask", strings.NewReader(`{"question":"问","stream":true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if _, err := resp.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	resp.Body.Close()
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the answer's context was not cancelled after the client left")
	}
}

// streamerFunc is an Asker and Streamer from one function.
type streamerFunc func(ctx context.Context, req rag.Request, ev rag.Events) (rag.Answer, error)

func (f streamerFunc) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) {
	return f(ctx, req, rag.Events{})
}

func (f streamerFunc) AskStream(ctx context.Context, req rag.Request, ev rag.Events) (rag.Answer, error) {
	return f(ctx, req, ev)
}

// A streamed request is validated by the answerer alone, and an invalid one
// still gets a plain JSON error with its status, on both endpoints: nothing
// is streamed before the answerer's first event.
func TestStreamInvalidRequest(t *testing.T) {
	calls := 0
	h := newTestServer(streamerFunc(func(ctx context.Context, req rag.Request, ev rag.Events) (rag.Answer, error) {
		calls++
		if err := req.Validate(); err != nil {
			return rag.Answer{}, err
		}
		ev.Emit(fixedAnswer)
		return fixedAnswer, nil
	}))
	tests := []struct {
		path, body string
		wantCode   int
		wantErr    string
	}{
		{"/api/v1/ask", `{"question":"  ","stream":true}`, 400, `"code":"invalid_request"`},
		{"/api/v1/ask", `{"question":"` + strings.Repeat("问", 501) + `","stream":true}`, 413, `"code":"question_too_long"`},
		{"/v1/chat/completions", `{"stream":true,"messages":[{"role":"user","content":"  "}]}`, 400, `"code":"invalid_request"`},
	}
	for _, tt := range tests {
		calls = 0
		w := do(t, h, "POST", tt.path, tt.body)
		if w.Code != tt.wantCode || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") ||
			!strings.Contains(w.Body.String(), tt.wantErr) {
			t.Errorf("POST %s %s = %d %q %s, want %d JSON with %s", tt.path, tt.body, w.Code, w.Header().Get("Content-Type"), w.Body, tt.wantCode, tt.wantErr)
		}
		if calls != 1 {
			t.Errorf("POST %s: answerer called %d times, want once", tt.path, calls)
		}
	}
}
