package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/rag"
)

// memDocs is an in-memory DocumentAdmin.
type memDocs struct {
	mu   sync.Mutex
	docs map[string]rag.Document
}

func (m *memDocs) List() []rag.DocumentInfo {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []rag.DocumentInfo
	for _, d := range m.docs {
		out = append(out, rag.DocumentInfo{ID: d.ID, Title: d.Title, Added: d.ID != "seed"})
	}
	return out
}

func (m *memDocs) Add(_ context.Context, d rag.Document) (rag.DocumentInfo, error) {
	if err := d.Validate(); err != nil {
		return rag.DocumentInfo{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs[d.ID] = d
	return rag.DocumentInfo{ID: d.ID, Title: d.Title, Added: true, Bytes: len(d.Text)}, nil
}

func (m *memDocs) Remove(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id == "seed" {
		return rag.ErrReadOnlyDocument
	}
	if _, ok := m.docs[id]; !ok {
		return rag.ErrDocumentNotFound
	}
	delete(m.docs, id)
	return nil
}

func doAuth(t *testing.T, h http.Handler, method, path, body, token, contentType string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestDocumentsAdmin(t *testing.T) {
	docs := &memDocs{docs: map[string]rag.Document{"seed": {ID: "seed", Title: "种子"}}}
	s := New(Config{AdminToken: "s3cret", Documents: docs})
	s.SetAsker(validatingAsker)
	h := s.Handler()
	const js = "application/json"
	tests := []struct {
		name, method, path, body, token, ctype string
		wantCode                               int
	}{
		{"list without token", "GET", "/api/v1/documents", "", "", js, 401},
		{"list with wrong token", "GET", "/api/v1/documents", "", "nope", js, 401},
		{"add without token", "POST", "/api/v1/documents", `{"id":"a","title":"t","text":"x"}`, "", js, 401},
		{"list", "GET", "/api/v1/documents", "", "s3cret", js, 200},
		{"add json", "POST", "/api/v1/documents", `{"id":"gz-2024","title":"赣州公报","city":"赣州市","text":"巩固率96.5%。"}`, "s3cret", js, 201},
		{"add text", "POST", "/api/v1/documents?id=gz-txt&title=%E8%B5%A3%E5%B7%9E&city=%E8%B5%A3%E5%B7%9E%E5%B8%82", "巩固率96.5%。", "s3cret", "text/plain; charset=utf-8", 201},
		{"add without text", "POST", "/api/v1/documents", `{"id":"b","title":"t"}`, "s3cret", js, 400},
		{"add bad id", "POST", "/api/v1/documents", `{"id":"../x","title":"t","text":"x"}`, "s3cret", js, 400},
		{"add broken json", "POST", "/api/v1/documents", `{"id":`, "s3cret", js, 400},
		{"delete added", "DELETE", "/api/v1/documents/gz-2024", "", "s3cret", js, 204},
		{"delete again", "DELETE", "/api/v1/documents/gz-2024", "", "s3cret", js, 404},
		{"delete built-in", "DELETE", "/api/v1/documents/seed", "", "s3cret", js, 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := doAuth(t, h, tt.method, tt.path, tt.body, tt.token, tt.ctype)
			if w.Code != tt.wantCode {
				t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.path, w.Code, w.Body, tt.wantCode)
			}
			if w.Code >= 400 && !strings.Contains(w.Body.String(), `"error"`) {
				t.Errorf("error body %s is not the error shape", w.Body)
			}
		})
	}
	if _, ok := docs.docs["gz-txt"]; !ok {
		t.Error("plain-text upload was not added")
	}
}

func TestDocumentsAdminOffWithoutToken(t *testing.T) {
	h := New(Config{Documents: &memDocs{docs: map[string]rag.Document{}}}).Handler()
	if w := doAuth(t, h, "GET", "/api/v1/documents", "", "", "application/json"); w.Code != 404 {
		t.Errorf("admin API without a configured token = %d, want 404", w.Code)
	}
}

func TestRateLimit(t *testing.T) {
	s := New(Config{RateLimit: 5})
	s.SetAsker(validatingAsker)
	h := s.Handler()
	var codes []int
	for range 7 {
		codes = append(codes, do(t, h, "POST", "/api/v1/ask", `{"question":"问"}`).Code)
	}
	w := do(t, h, "POST", "/api/v1/ask", `{"question":"问"}`)
	if codes[4] != 200 || codes[5] != 429 || w.Code != 429 {
		t.Fatalf("statuses = %v then %d, want 5×200 then 429", codes, w.Code)
	}
	if ra := w.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q, want seconds to wait", ra)
	}
	var body errorBody
	json.Unmarshal(w.Body.Bytes(), &body)
	if body.Error.Code != "rate_limited" {
		t.Errorf("error code = %q, want rate_limited", body.Error.Code)
	}
	// Another client is not limited.
	req := httptest.NewRequestWithContext(t.Context(), "POST", "/api/v1/ask", strings.NewReader(`{"question":"问"}`))
	req.RemoteAddr = "192.0.2.9:1234"
	w2 := httptest.NewRecorder()
	h.ServeHTTP(w2, req)
	if w2.Code != 200 {
		t.Errorf("another client = %d, want 200", w2.Code)
	}
	// X-Forwarded-For from an untrusted peer does not change the client.
	req = httptest.NewRequestWithContext(t.Context(), "POST", "/api/v1/ask", strings.NewReader(`{"question":"问"}`))
	req.Header.Set("X-Forwarded-For", "198.51.100.7")
	w3 := httptest.NewRecorder()
	h.ServeHTTP(w3, req)
	if w3.Code != 429 {
		t.Errorf("spoofed X-Forwarded-For = %d, want 429", w3.Code)
	}
}

func TestLimiterRefills(t *testing.T) {
	now := time.Unix(0, 0)
	l := newLimiter(60)
	l.now = func() time.Time { return now }
	for range 60 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatal("refused within the burst")
		}
	}
	ok, wait := l.allow("a")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("past the burst: ok=%v wait=%v, want refused for about a second", ok, wait)
	}
	now = now.Add(time.Second)
	if ok, _ := l.allow("a"); !ok {
		t.Error("not refilled after a second at 60/min")
	}
}

func TestCORS(t *testing.T) {
	s := New(Config{CORSOrigins: []string{"https://gov.example"}})
	s.SetAsker(validatingAsker)
	h := s.Handler()
	req := httptest.NewRequestWithContext(t.Context(), "OPTIONS", "/api/v1/ask", nil)
	req.Header.Set("Origin", "https://gov.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "https://gov.example" {
		t.Errorf("preflight = %d %v, want 204 allowing the origin", w.Code, w.Header())
	}
	req = httptest.NewRequestWithContext(t.Context(), "POST", "/api/v1/ask", strings.NewReader(`{"question":"问"}`))
	req.Header.Set("Origin", "https://evil.example")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("an unlisted origin was allowed")
	}
}

func TestMetrics(t *testing.T) {
	s := New(Config{Corpus: func() (int, int) { return 5, 240 }})
	s.SetAsker(validatingAsker)
	h := s.Handler()
	do(t, h, "POST", "/api/v1/ask", `{"question":"问"}`)
	do(t, h, "POST", "/api/v1/ask", `{"question":""}`)
	w := do(t, h, "GET", "/metrics", "")
	for _, want := range []string{
		`wenda_http_requests_total{route="/api/v1/ask",status="200"} 1`,
		`wenda_http_requests_total{route="/api/v1/ask",status="400"} 1`,
		`wenda_answers_total{answered="true",fallback="",mode="extractive"} 1`,
		`wenda_documents 5`, `wenda_chunks 240`, `wenda_http_request_duration_seconds_bucket`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
