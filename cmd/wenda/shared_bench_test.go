package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"wenda/api"
	"wenda/rag/postgres"
	"wenda/rag/postgres/pgtest"
)

// BenchmarkAskRateLimit is the cost of the shared rate limit per question: one uncached
// extractive /api/v1/ask, one question after another, with no limit (the yardstick), the
// per-process limit, and the limit shared through PostgreSQL on loopback. Every question
// comes from a new client, so each takes a token from a bucket of its own and none is
// refused: go test ./cmd/wenda -run '^$' -bench AskRateLimit -count 5
func BenchmarkAskRateLimit(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	eng, err := openEngine(context.Background(), config{DataDir: b.TempDir()}, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	pg := pgtest.Start(b)
	st, err := postgres.Open(pg.URL, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Ping(context.Background()); err != nil {
		b.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  api.Config
	}{
		{"none", api.Config{}},
		{"local", api.Config{RateLimit: 1 << 20}},
		{"shared", api.Config{RateLimit: 1 << 20, SharedLimit: st, DatabaseUp: st.Up}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			s := api.New(tt.cfg)
			s.SetAsker(eng)
			h := s.Handler()
			i := 0
			for b.Loop() {
				req := httptest.NewRequest("POST", "/api/v1/ask", strings.NewReader(`{"question":"南昌义务教育巩固率是多少"}`))
				req.RemoteAddr = fmt.Sprintf("198.18.%d.%d:40000", i>>8&255, i&255)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
				i++
			}
		})
	}
}
