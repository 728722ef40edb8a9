package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// ask sends a question from remote to one of the question endpoints.
func askFrom(t *testing.T, h http.Handler, path, remote string, header map[string]string) int {
	t.Helper()
	body := `{"question":"问"}`
	if path == "/v1/chat/completions" {
		body = `{"model":"wenda","messages":[{"role":"user","content":"问"}]}`
	}
	req := httptest.NewRequestWithContext(t.Context(), "POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = remote
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

// TestRateLimitOneBudget: a budget of 6 gives exactly 6 answers and then
// 429, whichever question endpoint the questions go to.
func TestRateLimitOneBudget(t *testing.T) {
	const ask, chat = "/api/v1/ask", "/v1/chat/completions"
	patterns := map[string]func(i int) string{
		"ask only":    func(int) string { return ask },
		"chat only":   func(int) string { return chat },
		"alternating": func(i int) string { return []string{ask, chat}[i%2] },
		"ask then chat": func(i int) string {
			if i < 3 {
				return ask
			}
			return chat
		},
	}
	for name, path := range patterns {
		t.Run(name, func(t *testing.T) {
			s := New(Config{RateLimit: 6})
			s.SetAsker(validatingAsker)
			h := s.Handler()
			var got []int
			for i := range 10 {
				got = append(got, askFrom(t, h, path(i), "192.0.2.1:1000", nil))
			}
			want := []int{200, 200, 200, 200, 200, 200, 429, 429, 429, 429}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("statuses = %v, want %v", got, want)
			}
		})
	}
}

// TestRateLimitIPv6Prefix: the addresses of one /64 share a budget; another
// /64 has its own.
func TestRateLimitIPv6Prefix(t *testing.T) {
	s := New(Config{RateLimit: 2})
	s.SetAsker(validatingAsker)
	h := s.Handler()
	for i, remote := range []string{"[2001:db8:1:2::1]:1000", "[2001:db8:1:2:ffff::9]:1000", "[2001:db8:1:2::abcd]:1000"} {
		want := 200
		if i == 2 {
			want = 429
		}
		if got := askFrom(t, h, "/api/v1/ask", remote, nil); got != want {
			t.Errorf("question %d from %s = %d, want %d", i+1, remote, got, want)
		}
	}
	if got := askFrom(t, h, "/api/v1/ask", "[2001:db8:1:3::1]:1000", nil); got != 200 {
		t.Errorf("another /64 = %d, want 200", got)
	}
	// IPv4 clients, and IPv4 in IPv6, keep a bucket per address.
	for _, remote := range []string{"192.0.2.1:1", "192.0.2.2:1", "[::ffff:192.0.2.3]:1"} {
		if got := askFrom(t, h, "/api/v1/ask", remote, nil); got != 200 {
			t.Errorf("%s = %d, want 200", remote, got)
		}
	}
}

// TestRateLimitIgnoresXRealIP: behind a trusted proxy the client is named
// by X-Forwarded-For only; an X-Real-IP the client sent through the proxy
// does not buy it another budget.
func TestRateLimitIgnoresXRealIP(t *testing.T) {
	s := New(Config{RateLimit: 1, TrustedProxies: []string{"10.0.0.1"}})
	s.SetAsker(validatingAsker)
	h := s.Handler()
	proxy := "10.0.0.1:5000"
	if got := askFrom(t, h, "/api/v1/ask", proxy, map[string]string{"X-Real-IP": "198.51.100.1"}); got != 200 {
		t.Fatalf("first = %d, want 200", got)
	}
	if got := askFrom(t, h, "/api/v1/ask", proxy, map[string]string{"X-Real-IP": "198.51.100.2"}); got != 429 {
		t.Errorf("another X-Real-IP = %d, want 429", got)
	}
	// X-Forwarded-For from the trusted proxy does name the client.
	if got := askFrom(t, h, "/api/v1/ask", proxy, map[string]string{"X-Forwarded-For": "198.51.100.3"}); got != 200 {
		t.Errorf("X-Forwarded-For from a trusted proxy = %d, want 200", got)
	}
}

// TestHead: HEAD is answered where GET is, for monitors and load balancers.
func TestHead(t *testing.T) {
	s := New(Config{Web: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html></html>"))
	})})
	s.SetAsker(validatingAsker)
	h := s.Handler()
	for _, path := range []string{"/", "/healthz", "/readyz"} {
		if w := do(t, h, "HEAD", path, ""); w.Code != 200 {
			t.Errorf("HEAD %s = %d, want 200", path, w.Code)
		}
	}
}

// TestReadyzWarnings: /readyz names what start-up skipped.
func TestReadyzWarnings(t *testing.T) {
	s := New(Config{Warnings: func() []string { return []string{"documents/broken.json skipped: unexpected end of JSON input"} }})
	s.SetAsker(validatingAsker)
	w := do(t, s.Handler(), "GET", "/readyz", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "broken.json") {
		t.Errorf("readyz = %d %s, want 200 naming broken.json", w.Code, w.Body)
	}
}
