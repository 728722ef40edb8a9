package web_test

import (
	"net/http/httptest"
	"testing"

	"wenda/api"
	"wenda/api/web"
	"wenda/rag"
	"wenda/seeds"
)

// TestChatPageAgainstWenda runs the chat scenario in a real browser against
// a whole wenda (seeds indexed, extractive answers, the real API), not a
// fake: the streamed answer holds 97.01, citations open real passages, the
// follow-up and the refusal come from the engine.
func TestChatPageAgainstWenda(t *testing.T) {
	chromiumPath(t)
	docs, err := rag.LoadDir(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := rag.Build(t.Context(), docs, rag.BuildOptions{
		Embedder: rag.NewHashEmbedder(0), Tokens: &rag.LazyTiktoken{Encoding: rag.DefaultEncoding},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := api.New(api.Config{Web: web.Handler()})
	s.SetAsker(rag.NewEngine(ix))
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	runChatScenario(t, srv.URL, false)
}
