package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"wenda/api"
	"wenda/rag"
)

// BenchmarkServeAsk is the whole extractive /api/v1/ask handler (routing,
// middleware, decoding, answering, encoding) without the network, on all
// cores: go test ./cmd/wenda -run '^$' -bench ServeAsk -count 5
func BenchmarkServeAsk(b *testing.B) {
	b.Run("cached", func(b *testing.B) { benchServeAsk(b, rag.DefaultAnswerCache) })
	b.Run("uncached", func(b *testing.B) { benchServeAsk(b, 0) })
}

func benchServeAsk(b *testing.B, cache int) {
	gin.SetMode(gin.ReleaseMode)
	cfg := config{DataDir: b.TempDir(), AnswerCache: cache}
	eng, err := openEngine(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	s := api.New(api.Config{})
	s.SetAsker(eng)
	h := s.Handler()
	questions := []string{
		`{"question":"南昌义务教育巩固率是多少"}`, `{"question":"南昌市學前三年毛入園率是多少?"}`,
		`{"question":"九江“十四五”期间新增学位多少个?"}`, `{"question":"巴中到2027年普惠性学前教育覆盖率目标是多少?"}`,
		`{"question":"上海市义务教育巩固率是多少"}`,
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			req := httptest.NewRequest("POST", "/api/v1/ask", strings.NewReader(questions[i%len(questions)]))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
			io.Discard.Write(w.Body.Bytes())
			i++
		}
	})
}
