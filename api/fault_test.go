package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/rag"
)

// FuzzAskRequest feeds arbitrary bodies to /api/v1/ask: the answer is a 200
// or a 4xx in the error shape, never a 5xx or a panic.
func FuzzAskRequest(f *testing.F) {
	for _, s := range []string{`{"question":"南昌义务教育巩固率是多少"}`, `{"question":`, ``, `[]`, `{"question":"a","history":[{"role":"user"}]}`,
		`{"question":"` + strings.Repeat("问", 501) + `"}`, `{"question":"a","stream":true}`, "\xff\xfe", `{"question":null}`} {
		f.Add(s)
	}
	h := newTestServer(validatingAsker)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/ask", strings.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("body %q got %d %s", body, w.Code, w.Body)
		}
		if w.Code >= 400 && !strings.Contains(w.Body.String(), `"error"`) {
			t.Fatalf("body %q got %d without the error shape: %s", body, w.Code, w.Body)
		}
	})
}

// TestStreamingClientsLeaveNoGoroutines opens a thousand streams that each
// leave mid-answer and checks that the server's goroutines come back down.
func TestStreamingClientsLeaveNoGoroutines(t *testing.T) {
	slow := streamerFunc(func(ctx context.Context, _ rag.Request, ev rag.Events) (rag.Answer, error) {
		ev.Sources(nil)
		for {
			ev.Delta("片段")
			select {
			case <-ctx.Done():
				return rag.Answer{}, ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	s := New(Config{})
	s.SetAsker(slow)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for range 1000 {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v1/ask", strings.NewReader(`{"question":"问","stream":true}`))
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			buf := make([]byte, 32)
			resp.Body.Read(buf)
			cancel()
			resp.Body.Close()
		}()
	}
	wg.Wait()
	client.CloseIdleConnections()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if runtime.NumGoroutine() <= before+10 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("goroutines = %d after 1000 abandoned streams, want about %d", runtime.NumGoroutine(), before)
}
