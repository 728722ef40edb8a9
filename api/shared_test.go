package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/rag"
)

// budget is a SharedLimiter in memory: n tokens for every key together,
// as if other replicas had spent the rest; err fails every Take.
type budget struct {
	mu    sync.Mutex
	n     int
	calls int
	err   error
}

func (b *budget) Take(_ context.Context, key string, perMinute int) (time.Duration, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	if b.err != nil {
		return 0, b.err
	}
	if b.n > 0 {
		b.n--
		return 0, nil
	}
	return 7 * time.Second, nil
}

func TestSharedRateLimit(t *testing.T) {
	tests := []struct {
		name       string
		shared     *budget
		wantOK     int
		wantShared int // round trips: refused locally, a question costs none
	}{
		{"shared budget spent by other replicas", &budget{n: 2}, 2, 3},
		{"local bucket refuses first", &budget{n: 100}, 6, 6},
		{"database down: per process", &budget{err: fmt.Errorf("%w: down", rag.ErrUnavailable)}, 6, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Config{RateLimit: 6, SharedLimit: tt.shared, DatabaseUp: func() bool { return tt.shared.err == nil }})
			s.SetAsker(validatingAsker)
			h := s.Handler()
			ok := 0
			for range 10 {
				w := do(t, h, http.MethodPost, "/api/v1/ask", `{"question":"南昌义务教育巩固率是多少?"}`)
				switch w.Code {
				case http.StatusOK:
					ok++
				case http.StatusTooManyRequests:
					if w.Header().Get("Retry-After") == "" {
						t.Error("429 without Retry-After")
					}
				default:
					t.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
			if ok != tt.wantOK || tt.shared.calls != tt.wantShared {
				t.Errorf("10 questions: %d answered, %d shared round trips; want %d and %d", ok, tt.shared.calls, tt.wantOK, tt.wantShared)
			}
			m := do(t, h, http.MethodGet, "/metrics", "").Body.String()
			wantUp := "wenda_database_up 1"
			if tt.shared.err != nil {
				wantUp = "wenda_database_up 0"
				if !strings.Contains(m, `wenda_database_fallbacks_total{what="rate_limit"} 6`) {
					t.Errorf("/metrics lacks 6 rate-limit fallbacks")
				}
			}
			if !strings.Contains(m, wantUp) {
				t.Errorf("/metrics lacks %q", wantUp)
			}
		})
	}
}

func TestDrain(t *testing.T) {
	s := New(Config{})
	s.SetAsker(validatingAsker)
	h := s.Handler()
	if w := do(t, h, http.MethodGet, "/readyz", ""); w.Code != http.StatusOK {
		t.Fatalf("/readyz = %d before Drain", w.Code)
	}
	s.Drain()
	w := do(t, h, http.MethodGet, "/readyz", "")
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), `"shutting_down"`) {
		t.Errorf("/readyz after Drain = %d %s, want 503 shutting_down", w.Code, w.Body)
	}
	// Requests that still arrive are answered.
	if w := do(t, h, http.MethodPost, "/api/v1/ask", `{"question":"南昌义务教育巩固率是多少?"}`); w.Code != http.StatusOK {
		t.Errorf("ask while draining = %d", w.Code)
	}
}

// downDocs refuses writes as a replica does while its database is down.
type downDocs struct{ memDocs }

func (d *downDocs) Add(context.Context, rag.Document) (rag.DocumentInfo, error) {
	return rag.DocumentInfo{}, fmt.Errorf("put document: %w", errors.Join(rag.ErrUnavailable, errors.New("dial tcp 127.0.0.1:5432: connection refused")))
}

func TestAdminWriteWhileDatabaseDown(t *testing.T) {
	s := New(Config{AdminToken: "tok", Documents: &downDocs{memDocs{docs: map[string]rag.Document{}}}})
	s.SetAsker(validatingAsker)
	w := doAuth(t, s.Handler(), http.MethodPost, "/api/v1/documents",
		`{"id":"d","title":"t","city":"赣州市","published":"2024","text":"正文"}`, "tok", "application/json")
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), `"database_unavailable"`) ||
		strings.Contains(w.Body.String(), "5432") {
		t.Errorf("add while the database is down = %d %s; want 503 database_unavailable, details hidden", w.Code, w.Body)
	}
}
