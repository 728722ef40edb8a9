package rag_test

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/rag"
	"wenda/rag/openai"
	"wenda/rag/ragtest"
)

var (
	llmIndexOnce sync.Once
	llmIndex     *rag.Index
	llmIndexErr  error
)

// seedIndex is the seeds' index with the offline embedder, built once and
// shared: engines over it differ only in their options.
func seedIndex(t testing.TB) *rag.Index {
	t.Helper()
	llmIndexOnce.Do(func() {
		var tk *rag.Tiktoken
		if tk, llmIndexErr = rag.NewTiktoken(rag.DefaultEncoding); llmIndexErr != nil {
			return
		}
		llmIndex, _, llmIndexErr = rag.Build(context.Background(), seedDocs(t), rag.BuildOptions{Embedder: rag.NewHashEmbedder(0), Tokens: tk})
	})
	if llmIndexErr != nil {
		t.Fatal(llmIndexErr)
	}
	return llmIndex
}

// llmEngine is an engine over the seeds in llm mode, talking to srv.
func llmEngine(t *testing.T, srv *ragtest.Server, cfg rag.LLMConfig) *rag.Engine {
	t.Helper()
	return rag.NewEngine(seedIndex(t), rag.WithLLM(ragtest.Client(t, srv, openai.Config{}), cfg))
}

var sourceBlockRE = regexp.MustCompile(`(?s)<资料 编号="(\d+)">\n(.*?)\n</资料>`)

// sourceWith returns the number of the prompt's first source that holds
// text, or 0.
func sourceWith(req ragtest.ChatRequest, text string) int {
	for _, m := range sourceBlockRE.FindAllStringSubmatch(req.Messages[0].Content, -1) {
		if strings.Contains(m[2], text) {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return 0
}

func isCondense(req ragtest.ChatRequest) bool {
	return strings.Contains(req.Messages[0].Content, "改写问题")
}

// citing answers from the source that holds 97.01%, citing it.
func citing(req ragtest.ChatRequest) ragtest.Reply {
	n := sourceWith(req, "97.01%")
	if n == 0 {
		return ragtest.Reply{Text: "抱歉，现有资料中没有找到相关数据。"}
	}
	return ragtest.Reply{Text: fmt.Sprintf("2020年南昌市九年义务教育巩固率为97.01%%[%d]。", n)}
}

// recorder collects the events of an answer.
type recorder struct {
	mu      sync.Mutex
	sources [][]rag.Source
	deltas  []string
	order   []string // "sources" and "delta", as they came
}

func (r *recorder) events() rag.Events {
	return rag.Events{
		Sources: func(s []rag.Source) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.sources = append(r.sources, s)
			r.order = append(r.order, "sources")
		},
		Delta: func(d string) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.deltas = append(r.deltas, d)
			r.order = append(r.order, "delta")
		},
	}
}

func (r *recorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.deltas, "")
}

const nanchang = "南昌义务教育巩固率是多少?"

func TestLLMAnswerCitesSources(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.ChatFunc(citing)
	e := llmEngine(t, srv, rag.LLMConfig{})
	var rec recorder
	a, err := e.AskStream(t.Context(), rag.Request{Question: nanchang}, rec.events())
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != rag.ModeLLM || a.Fallback != "" || !a.Answered {
		t.Fatalf("answer mode=%q fallback=%q answered=%v (%q), want an llm answer", a.Mode, a.Fallback, a.Answered, a.Answer)
	}
	reqs := srv.ChatRequests()
	if len(reqs) != 1 {
		t.Fatalf("server saw %d chat requests, want 1 (no rewriting without history)", len(reqs))
	}
	req := reqs[0]
	n := sourceWith(req, "97.01%")
	if want := fmt.Sprintf("97.01%%[%d]", n); !strings.Contains(a.Answer, want) {
		t.Errorf("answer %q does not cite [%d]", a.Answer, n)
	}
	// The answer's sources are the prompt's, numbered alike.
	blocks := sourceBlockRE.FindAllStringSubmatch(req.Messages[0].Content, -1)
	if len(a.Sources) != len(blocks) || len(blocks) == 0 {
		t.Fatalf("answer has %d sources, prompt %d", len(a.Sources), len(blocks))
	}
	for i, s := range a.Sources {
		if s.N != i+1 || blocks[i][1] != strconv.Itoa(s.N) || !strings.Contains(blocks[i][2], s.Title) {
			t.Errorf("source %d is [%d] %q, prompt has [%s]", i, s.N, s.Title, blocks[i][1])
		}
	}
	if !strings.Contains(a.Sources[n-1].Text, "97.01%") {
		t.Errorf("cited source [%d] does not hold 97.01%%: %q", n, a.Sources[n-1].Text)
	}
	if a.Claims == nil || a.Claims.Blocked != 0 || a.Claims.Passed == 0 {
		t.Errorf("claims = %+v, want passed and none blocked", a.Claims)
	}
	// The wire: the standalone question as delimited data, the model, the key.
	if req.Model != "qwen2.5:7b" || !req.Stream || len(req.Messages) != 2 || req.Messages[0].Role != "system" ||
		req.Messages[1].Role != "user" || !strings.Contains(req.Messages[1].Content, "<问题>\n"+nanchang+"\n</问题>") {
		t.Errorf("answer request = %+v", req)
	}
	// Events: the sources first, then the model's pieces as they came.
	if len(rec.order) < 2 || rec.order[0] != "sources" || strings.Count(strings.Join(rec.order, " "), "sources") != 1 {
		t.Errorf("events = %v, want sources once, then deltas", rec.order)
	}
	if rec.text() != a.Answer {
		t.Errorf("streamed %q, answer %q", rec.text(), a.Answer)
	}
	ragtest.CheckNoFaults(t, srv)
}

// TestLLMUnverifiedFigure is the "done when": a model that writes
// 98.5% is caught, and the citizen sees 97.01% from the extractive path.
func TestLLMUnverifiedFigure(t *testing.T) {
	want, err := rag.NewEngine(seedIndex(t)).Ask(t.Context(), rag.Request{Question: nanchang})
	if err != nil {
		t.Fatal(err)
	}
	for _, reply := range []func(req ragtest.ChatRequest) string{
		func(ragtest.ChatRequest) string { return "南昌义务教育巩固率为98.5%" }, // the issue's, citing nothing
		func(req ragtest.ChatRequest) string {
			return fmt.Sprintf("南昌义务教育巩固率为98.5%%[%d]。", sourceWith(req, "97.01%"))
		},
	} {
		srv := ragtest.NewServer(t, ragtest.TestKey)
		srv.ChatFunc(func(req ragtest.ChatRequest) ragtest.Reply { return ragtest.Reply{Text: reply(req)} })
		e := llmEngine(t, srv, rag.LLMConfig{})
		var rec recorder
		a, err := e.AskStream(t.Context(), rag.Request{Question: nanchang}, rec.events())
		if err != nil {
			t.Fatal(err)
		}
		if a.Mode != rag.ModeExtractive || a.Fallback != rag.FallbackUnverifiedFigure {
			t.Errorf("mode=%q fallback=%q, want extractive with %q", a.Mode, a.Fallback, rag.FallbackUnverifiedFigure)
		}
		if !strings.Contains(a.Answer, "97.01%") || strings.Contains(a.Answer, "98.5") || a.Answer != want.Answer {
			t.Errorf("answer = %q, want the extractive engine's %q", a.Answer, want.Answer)
		}
		// Nothing of the model's was streamed: only the extractive answer.
		if strings.Contains(rec.text(), "98.5") || rec.text() != a.Answer || len(rec.sources) != 1 {
			t.Errorf("events: streamed %q with %d sources events, want the extractive answer once", rec.text(), len(rec.sources))
		}
	}
}

func TestLLMUpstreamFailures(t *testing.T) {
	const timeout = 400 * time.Millisecond
	tests := []struct {
		name      string
		reply     ragtest.Reply
		down      bool
		want      string
		wantCalls int // chat requests; 0: do not check
	}{
		{"endpoint down", ragtest.Reply{}, true, rag.FallbackUpstreamError, 0},
		{"500", ragtest.Reply{Status: 500}, false, rag.FallbackUpstreamError, 3},
		{"429", ragtest.Reply{Status: 429}, false, rag.FallbackUpstreamError, 3},
		{"401", ragtest.Reply{Status: 401}, false, rag.FallbackUpstreamError, 1},
		{"malformed JSON", ragtest.Reply{Chunks: []string{"南昌"}, Malformed: true}, false, rag.FallbackUpstreamError, 1},
		{"hanging", ragtest.Reply{Delay: ragtest.Hang}, false, rag.FallbackTimeout, 0},
		{"slow first token", ragtest.Reply{Delay: 3 * timeout, Text: "2020年"}, false, rag.FallbackTimeout, 0},
		{"stream broken", ragtest.Reply{Chunks: []string{"2020年", "南昌市", "九年义务教育"}, BreakAfter: 2}, false, rag.FallbackStreamBroken, 1},
		{"stream stalls after its first token", ragtest.Reply{Chunks: []string{"2020年", "南昌市"}, ChunkDelay: ragtest.Hang}, false, rag.FallbackStreamBroken, 1},
		{"empty reply", ragtest.Reply{Chunks: []string{}}, false, rag.FallbackUpstreamError, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ragtest.NewServer(t, ragtest.TestKey)
			srv.Chat(tt.reply)
			cfg := rag.LLMConfig{Timeout: timeout}
			switch {
			case tt.name == "stream stalls after its first token":
				cfg.MaxDuration = 2 * timeout
			case tt.want != rag.FallbackTimeout:
				// A failure that is no timeout comes at once; a short
				// timeout would only make the case flaky on a busy machine
				// (retrieval under -race can take most of 400 ms).
				cfg.Timeout = 10 * time.Second
			}
			e := llmEngine(t, srv, cfg)
			if tt.down {
				srv.Close()
			}
			var rec recorder
			start := time.Now()
			a, err := e.AskStream(t.Context(), rag.Request{Question: nanchang}, rec.events())
			elapsed := time.Since(start)
			if err != nil {
				t.Fatalf("AskStream: %v, want the extractive answer", err)
			}
			if a.Mode != rag.ModeExtractive || a.Fallback != tt.want || !strings.Contains(a.Answer, "97.01%") {
				t.Errorf("answer mode=%q fallback=%q %q, want extractive 97.01%% with %q", a.Mode, a.Fallback, a.Answer, tt.want)
			}
			// Within the timeout (and a generous margin for -race).
			if limit := cfg.MaxDuration + timeout + 2*time.Second; elapsed > limit {
				t.Errorf("took %v, want under %v", elapsed, limit)
			}
			// No sentence of the model's was complete: nothing of it went
			// out, and the extractive answer is streamed with its sources.
			if len(rec.sources) != 1 || rec.text() != a.Answer {
				t.Errorf("events: %d sources, streamed %q, want the extractive answer alone", len(rec.sources), rec.text())
			}
			if tt.wantCalls > 0 {
				if n := len(srv.ChatRequests()); n != tt.wantCalls {
					t.Errorf("server saw %d chat requests, want %d", n, tt.wantCalls)
				}
			}
		})
	}
}

// TestLLMStreamBrokenAfterSentence: what was sent stays; the answer is the
// sentences that passed, never taken back.
func TestLLMStreamBrokenAfterSentence(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	first := "2020年南昌市九年义务教育巩固率为97.01%。"
	srv.Chat(ragtest.Reply{Chunks: []string{first, "“十四五”目标是", "2025年达到"}, BreakAfter: 2})
	var rec recorder
	a, err := llmEngine(t, srv, rag.LLMConfig{}).AskStream(t.Context(), rag.Request{Question: nanchang}, rec.events())
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != rag.ModeLLM || a.Answer != strings.TrimSpace(first) || rec.text() != a.Answer || len(rec.sources) != 1 {
		t.Errorf("answer mode=%q %q, streamed %q with %d sources events; want the first sentence, sent once", a.Mode, a.Answer, rec.text(), len(rec.sources))
	}
}

func TestLLMRetryThenAnswer(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	calls := 0
	srv.ChatFunc(func(req ragtest.ChatRequest) ragtest.Reply {
		calls++
		if calls == 1 {
			return ragtest.Reply{Status: 429}
		}
		return citing(req)
	})
	a, err := llmEngine(t, srv, rag.LLMConfig{}).Ask(t.Context(), rag.Request{Question: nanchang})
	if err != nil || a.Mode != rag.ModeLLM || a.Fallback != "" {
		t.Errorf("Ask = mode %q fallback %q, %v; want the model's answer after a retry", a.Mode, a.Fallback, err)
	}
}

// TestLLMCallerDeadline: WeChat's passive mode gives about 4 s; the answer
// must come back before the caller's deadline, not after WENDA_LLM_TIMEOUT.
func TestLLMCallerDeadline(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.Chat(ragtest.Reply{Delay: ragtest.Hang})
	e := llmEngine(t, srv, rag.LLMConfig{Timeout: time.Minute})
	for _, d := range []time.Duration{1500 * time.Millisecond, 200 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(t.Context(), d)
		start := time.Now()
		a, err := e.Ask(ctx, rag.Request{Question: nanchang})
		elapsed := time.Since(start)
		late := ctx.Err() != nil
		cancel()
		if err != nil || a.Fallback != rag.FallbackTimeout || !strings.Contains(a.Answer, "97.01%") {
			t.Errorf("deadline %v: Ask = %q fallback %q, %v; want the extractive answer", d, a.Answer, a.Fallback, err)
		}
		if late {
			t.Errorf("deadline %v: answered after the deadline (%v)", d, elapsed)
		}
	}
	// The 200 ms deadline leaves no time for the model: it is not asked.
	if n := len(srv.ChatRequests()); n != 1 {
		t.Errorf("server saw %d chat requests, want 1", n)
	}
}

func TestLLMNotCalled(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.ChatFunc(citing)
	e := llmEngine(t, srv, rag.LLMConfig{})
	for _, q := range []string{
		"上海义务教育巩固率是多少?", // a place the corpus does not cover
		"北京有多少所幼儿园?",
	} {
		a, err := e.Ask(t.Context(), rag.Request{Question: q})
		if err != nil || a.Answered || a.Mode != rag.ModeExtractive || a.Fallback != "" || !strings.HasPrefix(a.Answer, "抱歉") {
			t.Errorf("Ask(%q) = %+v, %v; want the extractive refusal", q, a, err)
		}
	}
	if n := len(srv.ChatRequests()); n != 0 {
		t.Errorf("server saw %d chat requests, want none", n)
	}
}

func TestLLMRefusal(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.Chat(ragtest.Reply{Text: "抱歉，现有资料中没有找到相关数据。"})
	a, err := llmEngine(t, srv, rag.LLMConfig{}).Ask(t.Context(), rag.Request{Question: "南昌市民办学校学费是多少?"})
	if err != nil || a.Mode != rag.ModeLLM || a.Answered {
		t.Errorf("Ask = mode %q answered %v %q, %v; want the model's refusal, not answered", a.Mode, a.Answered, a.Answer, err)
	}
}

func TestLLMCondense(t *testing.T) {
	history := []rag.Message{
		{Role: "user", Content: nanchang},
		{Role: "assistant", Content: "2020年南昌市九年义务教育巩固率为97.01%[1]。"},
	}
	const rewritten = "九江市义务教育巩固率是多少?"
	rules := rag.NewEngine(seedIndex(t)).Standalone(rag.Request{Question: "那九江呢?", History: history})
	tests := []struct {
		name     string
		question string
		condense ragtest.Reply
		want     string
		asked    bool // the model was asked to rewrite
	}{
		{"rewritten by the model", "那九江呢?", ragtest.Reply{Text: rewritten}, rewritten, true},
		{"label and quotes dropped", "那九江呢?", ragtest.Reply{Text: "改写后的问题：“" + rewritten + "”\n说明:……"}, rewritten, true},
		{"error: rules", "那九江呢?", ragtest.Reply{Status: 400}, rules, true},
		{"empty: rules", "那九江呢?", ragtest.Reply{Text: "  "}, rules, true},
		{"overlong: rules", "那九江呢?", ragtest.Reply{Text: strings.Repeat("九江市义务教育巩固率", 20)}, rules, true},
		{"slow: rules", "那九江呢?", ragtest.Reply{Delay: ragtest.Hang}, rules, true},
		{"standalone already", "九江市义务教育巩固率是多少?", ragtest.Reply{Text: "不该被问"}, "九江市义务教育巩固率是多少?", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ragtest.NewServer(t, ragtest.TestKey)
			var mu sync.Mutex
			var condense []ragtest.ChatRequest
			srv.ChatFunc(func(req ragtest.ChatRequest) ragtest.Reply {
				if isCondense(req) {
					mu.Lock()
					condense = append(condense, req)
					mu.Unlock()
					return tt.condense
				}
				return ragtest.Reply{Text: "九江市的数据见资料[1]。"}
			})
			e := llmEngine(t, srv, rag.LLMConfig{Timeout: time.Second})
			a, err := e.Ask(t.Context(), rag.Request{Question: tt.question, History: history})
			if err != nil {
				t.Fatal(err)
			}
			if a.Question != tt.want {
				t.Errorf("standalone question = %q, want %q", a.Question, tt.want)
			}
			mu.Lock()
			defer mu.Unlock()
			if (len(condense) > 0) != tt.asked {
				t.Fatalf("model asked to rewrite %d times, want %v", len(condense), tt.asked)
			}
			if tt.asked {
				req := condense[0]
				if req.Stream || !strings.Contains(req.Messages[1].Content, "市民："+nanchang) || !strings.Contains(req.Messages[1].Content, "<问题>\n那九江呢?\n</问题>") {
					t.Errorf("rewrite request = %+v", req)
				}
			}
			// The answer request carries the standalone question.
			for _, r := range srv.ChatRequests() {
				if !isCondense(r) && !strings.Contains(r.Messages[1].Content, "<问题>\n"+tt.want+"\n</问题>") {
					t.Errorf("answer request asks %q, want %q", r.Messages[1].Content, tt.want)
				}
			}
		})
	}
}

func TestLLMTokenBudget(t *testing.T) {
	tk, err := rag.TiktokenForModel("qwen2.5:7b")
	if err != nil {
		t.Fatal(err)
	}
	prompts := map[int]string{}
	for _, budget := range []int{3000, 800, 150} {
		srv := ragtest.NewServer(t, ragtest.TestKey)
		srv.ChatFunc(citing)
		e := llmEngine(t, srv, rag.LLMConfig{MaxContextTokens: budget, Tokens: tk})
		a, err := e.Ask(t.Context(), rag.Request{Question: nanchang})
		if err != nil {
			t.Fatal(err)
		}
		reqs := srv.ChatRequests()
		if len(reqs) != 1 {
			t.Fatalf("budget %d: %d requests", budget, len(reqs))
		}
		sys := reqs[0].Messages[0].Content
		prompts[budget] = sys
		used := 0
		for _, m := range sourceBlockRE.FindAllString(sys, -1) {
			used += tk.Count(m)
		}
		if used > budget || len(a.Sources) == 0 {
			t.Errorf("budget %d: sources take %d tokens in %d sources", budget, used, len(a.Sources))
		}
		t.Logf("budget %d: %d sources, %d tokens, answer %q", budget, len(a.Sources), used, a.Answer)
	}
	if n := strings.Count(prompts[3000], "<资料 编号="); n <= strings.Count(prompts[800], "<资料 编号=") || n < 4 {
		t.Errorf("a larger budget gives %d sources, want more than a smaller one", n)
	}
	// The source holding the answer comes first, whatever the budget.
	if !strings.Contains(prompts[800], "97.01%") {
		t.Error("the 800-token prompt lost the source with the answer")
	}
}

// TestLLMSemanticIndex: with WENDA_EMBED_MODEL the chunks are embedded by the
// endpoint in batches, the saved index follows the model, and BM25 keeps
// answering.
func TestLLMSemanticIndex(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	path := filepath.Join(t.TempDir(), "index.bin")
	tk, err := rag.NewTiktoken(rag.DefaultEncoding)
	if err != nil {
		t.Fatal(err)
	}
	build := func(model string) (*rag.Index, rag.BuildInfo) {
		t.Helper()
		emb := ragtest.Client(t, srv, openai.Config{EmbedModel: model})
		ix, info, err := rag.Build(t.Context(), seedDocs(t), rag.BuildOptions{Embedder: emb, Tokens: tk, SnapshotPath: path})
		if err != nil {
			t.Fatal(err)
		}
		return ix, info
	}
	ix, info := build("bge-m3")
	if info.Loaded {
		t.Fatal("first build loaded a snapshot")
	}
	reqs := srv.EmbedRequests()
	texts := 0
	for _, r := range reqs {
		texts += len(r.Input)
		if len(r.Input) > openai.DefaultEmbedBatch || r.Model != "bge-m3" {
			t.Errorf("embeddings request of %d texts for %q", len(r.Input), r.Model)
		}
	}
	if texts != info.Chunks {
		t.Errorf("embedded %d texts for %d chunks", texts, info.Chunks)
	}
	// The fake's vectors are not a model's: the answer need only be
	// Nanchang's and the question embedded by the endpoint.
	a, err := rag.NewEngine(ix).Ask(t.Context(), rag.Request{Question: nanchang})
	if err != nil || !a.Answered || !strings.Contains(a.Answer, "南昌") || !strings.Contains(a.Answer, "巩固率") {
		t.Errorf("Ask over the semantic index = %q, %v; want Nanchang's 巩固率", a.Answer, err)
	}
	if n := len(srv.EmbedRequests()); n != len(reqs)+1 {
		t.Errorf("asking made %d embeddings requests, want 1", n-len(reqs))
	}
	if _, info = build("bge-m3"); !info.Loaded {
		t.Errorf("same model: snapshot not loaded (%v)", info.Rebuilt)
	}
	if _, info = build("text-embedding-v3"); info.Loaded || info.Rebuilt == nil {
		t.Error("changed model: snapshot loaded, want a rebuild")
	}
	ragtest.CheckNoFaults(t, srv)
}

// TestLLMEmbedEndpointHangsAtQuery: with WENDA_EMBED_MODEL the question is
// embedded by the endpoint; when that hangs, the search goes on with BM25
// alone and the citizen gets the extractive answer within WENDA_LLM_TIMEOUT.
func TestLLMEmbedEndpointHangsAtQuery(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.ChatFunc(citing)
	tk, err := rag.NewTiktoken(rag.DefaultEncoding)
	if err != nil {
		t.Fatal(err)
	}
	oa := ragtest.Client(t, srv, openai.Config{})
	ix, _, err := rag.Build(t.Context(), seedDocs(t), rag.BuildOptions{Embedder: oa, Tokens: tk})
	if err != nil {
		t.Fatal(err)
	}
	srv.EmbedFunc(func(ragtest.EmbedRequest) ragtest.Reply { return ragtest.Reply{Delay: ragtest.Hang} })
	e := rag.NewEngine(ix, rag.WithLLM(oa, rag.LLMConfig{Timeout: 300 * time.Millisecond}))
	start := time.Now()
	a, err := e.Ask(t.Context(), rag.Request{Question: nanchang})
	if err != nil {
		t.Fatalf("Ask = %v, want the extractive answer", err)
	}
	if a.Mode != rag.ModeExtractive || a.Fallback == "" || !strings.Contains(a.Answer, "97.01") {
		t.Errorf("Ask = mode %q fallback %q %q, want the extractive 97.01 with a fallback reason", a.Mode, a.Fallback, a.Answer)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Ask took %v with a 300ms timeout", d)
	}
}

func TestLLMConcurrent(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.ChatFunc(citing)
	e := llmEngine(t, srv, rag.LLMConfig{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			a, err := e.Ask(t.Context(), rag.Request{Question: nanchang})
			if err == nil && a.Mode != rag.ModeLLM {
				err = fmt.Errorf("mode %q fallback %q", a.Mode, a.Fallback)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// instant is a Generator that answers at once, to measure what wenda adds
// before the model's first token (DESIGN §6: under 5 ms).
type instant struct{}

func (instant) Chat(context.Context, []rag.ChatMessage) (string, error) { return "", nil }

func (instant) ChatStream(_ context.Context, _ []rag.ChatMessage, onDelta func(string)) (string, error) {
	onDelta("好")
	return "好", nil
}

func BenchmarkLLMToFirstToken(b *testing.B) {
	e := rag.NewEngine(seedIndex(b), rag.WithLLM(instant{}, rag.LLMConfig{}))
	questions := []string{nanchang, "九江市高中阶段毛入学率是多少?", "巴中有多少所幼儿园?"}
	var total time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		var first time.Duration
		e.AskStream(b.Context(), rag.Request{Question: questions[i%len(questions)]}, rag.Events{
			Delta: func(string) {
				if first == 0 {
					first = time.Since(start)
				}
			},
		})
		total += first
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs-to-first-token")
}

// scripted is a Generator that streams a right answer to the 巩固率
// question in tokens of two characters, tokenDelay apart, noting when it
// sent its first token.
type scripted struct {
	tokenDelay time.Duration
	first      time.Time
}

func (s *scripted) Chat(context.Context, []rag.ChatMessage) (string, error) { return "", nil }

func (s *scripted) ChatStream(ctx context.Context, msgs []rag.ChatMessage, onDelta func(string)) (string, error) {
	n := 0
	for _, m := range sourceBlockRE.FindAllStringSubmatch(msgs[0].Content, -1) {
		if strings.Contains(m[2], "97.01%") {
			n, _ = strconv.Atoi(m[1])
			break
		}
	}
	text := fmt.Sprintf("2020年南昌市九年义务教育巩固率为97.01%%[%d]。“十四五”规划目标是2025年达到97.68%%。", n)
	for i, tok := range ragtest.Pieces(text, 2) {
		if i > 0 && s.tokenDelay > 0 {
			time.Sleep(s.tokenDelay)
		}
		if i == 0 {
			s.first = time.Now()
		}
		onDelta(tok)
	}
	return text, ctx.Err()
}

// BenchmarkLLMToFirstSentence measures what the claim check costs a
// streamed answer: the time from the question to its first sentence on the
// wire against the model's own first token, with a model that writes
// instantly (the check's cost alone) and one at 50 tokens a second (what a
// citizen waits for: the model writing its first sentence).
func BenchmarkLLMToFirstSentence(b *testing.B) {
	for _, delay := range []time.Duration{0, 20 * time.Millisecond} {
		b.Run("token_delay="+delay.String(), func(b *testing.B) {
			gen := &scripted{tokenDelay: delay}
			e := rag.NewEngine(seedIndex(b), rag.WithLLM(gen, rag.LLMConfig{}))
			var toToken, toSentence time.Duration
			for b.Loop() {
				start := time.Now()
				var first time.Time
				a, _ := e.AskStream(b.Context(), rag.Request{Question: nanchang}, rag.Events{
					Delta: func(string) {
						if first.IsZero() {
							first = time.Now()
						}
					},
				})
				if a.Mode != rag.ModeLLM {
					b.Fatalf("answer mode %q fallback %q: the scripted answer must pass", a.Mode, a.Fallback)
				}
				toToken += gen.first.Sub(start)
				toSentence += first.Sub(start)
			}
			b.ReportMetric(float64(toToken.Microseconds())/float64(b.N), "µs-to-model-first-token")
			b.ReportMetric(float64(toSentence.Microseconds())/float64(b.N), "µs-to-first-sentence")
			b.ReportMetric(float64((toSentence-toToken).Microseconds())/float64(b.N), "µs-sentence-after-token")
		})
	}
}
