package eval_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wenda/eval"
	"wenda/rag"
)

func TestHTTPAsker(t *testing.T) {
	var got struct {
		Question string        `json:"question"`
		History  []rag.Message `json:"history"`
		Stream   bool          `json:"stream"`
	}
	want := rag.Answer{Answer: "97.01%[1]", Answered: true, Mode: "extractive", Question: "q", Sources: []rag.Source{{N: 1, DocID: "nc"}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/ask" {
			http.NotFound(w, r)
			return
		}
		json.NewDecoder(r.Body).Decode(&got)
		json.NewEncoder(w).Encode(want)
	}))
	defer srv.Close()
	history := []rag.Message{{Role: "user", Content: "南昌"}}
	a, err := eval.NewHTTPAsker(srv.URL+"/", time.Second).Ask(t.Context(), rag.Request{Question: "q", History: history})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("Ask() mismatch (-want +got):\n%s", diff)
	}
	if got.Question != "q" || got.Stream || !cmp.Equal(got.History, history) {
		t.Errorf("request = %+v, want the question and history, not streamed", got)
	}
}

func TestHTTPAskerErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   *eval.APIError
	}{
		{"api error", 400, `{"error":{"code":"invalid_request","message":"问题不能为空"}}`, &eval.APIError{Status: 400, Code: "invalid_request", Message: "问题不能为空"}},
		{"proxy page", 502, "<html>Bad Gateway</html>", &eval.APIError{Status: 502, Message: "<html>Bad Gateway</html>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			_, err := eval.NewHTTPAsker(srv.URL, time.Second).Ask(t.Context(), rag.Request{Question: "q"})
			var got *eval.APIError
			if !errors.As(err, &got) {
				t.Fatalf("Ask() error = %v, want an *APIError", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Ask() error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// A rate-limited request is retried after Retry-After.
func TestHTTPAskerRateLimited(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"code":"rate_limited","message":"提问太频繁了,请稍后再试"}}`))
			return
		}
		json.NewEncoder(w).Encode(rag.Answer{Answer: "ok", Answered: true})
	}))
	defer srv.Close()
	a, err := eval.NewHTTPAsker(srv.URL, 5*time.Second).Ask(t.Context(), rag.Request{Question: "q"})
	if err != nil || a.Answer != "ok" || calls.Load() != 2 {
		t.Errorf("Ask() = %q, %v after %d calls, want ok after 2", a.Answer, err, calls.Load())
	}

	// Within the timeout only.
	calls.Store(0)
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv2.Close()
	start := time.Now()
	_, err = eval.NewHTTPAsker(srv2.URL, 200*time.Millisecond).Ask(t.Context(), rag.Request{Question: "q"})
	var ae *eval.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusTooManyRequests || time.Since(start) > 3*time.Second {
		t.Errorf("Ask(always 429) = %v after %v, want the 429 once the timeout is over", err, time.Since(start))
	}
}

func TestHTTPAskerReady(t *testing.T) {
	var ready atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" || !ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"error":{"code":"not_ready","message":"服务正在加载资料,请稍后再试"}}`))
			return
		}
		w.Write([]byte(`{"status":"ready"}`))
	}))
	defer srv.Close()
	h := eval.NewHTTPAsker(srv.URL, time.Second)
	if err := h.Ready(t.Context()); err == nil {
		t.Error("Ready(loading) = nil, want an error")
	}
	ready.Store(true)
	if err := h.Ready(t.Context()); err != nil {
		t.Errorf("Ready() = %v, want nil", err)
	}
}
