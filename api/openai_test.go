package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"
	openai "github.com/sashabaranov/go-openai"

	"wenda/rag"
)

var chatAnswer = rag.Answer{
	Answer: "南昌市2020年九年义务教育巩固率为97.01%[1],高中阶段毛入学率为92%[2]。", Answered: true,
	Mode: rag.ModeExtractive, Question: "南昌义务教育巩固率是多少",
	Sources: []rag.Source{
		{N: 1, DocID: "nc", Title: "南昌市教育事业发展规划", City: "南昌市", Published: "2022-03-01", Text: "巩固率 97.01"},
		{N: 2, DocID: "nc2", Title: "南昌市统计公报", City: "南昌市", Published: "2021", Text: "毛入学率 92"},
	},
}

const chatReply = "南昌市2020年九年义务教育巩固率为97.01%[1],高中阶段毛入学率为92%[2]。" +
	"\n\n来源:\n[1] 南昌市教育事业发展规划(南昌市,2022-03-01)\n[2] 南昌市统计公报(南昌市,2021)"

// recordingAsker validates like rag.Engine, records the last request and
// answers chatAnswer.
type recordingAsker struct {
	mu  sync.Mutex
	req rag.Request
}

func (r *recordingAsker) Ask(_ context.Context, req rag.Request) (rag.Answer, error) {
	r.mu.Lock()
	r.req = req
	r.mu.Unlock()
	if err := req.Validate(); err != nil {
		return rag.Answer{}, err
	}
	return chatAnswer, nil
}

func (r *recordingAsker) last() rag.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.req
}

// newOpenAIRouter routes only the OpenAI endpoints, the way addRoutes does.
func newOpenAIRouter(a Asker) http.Handler {
	s := New(Config{})
	if a != nil {
		s.SetAsker(a)
	}
	r := gin.New()
	r.ContextWithFallback = true
	r.POST("/v1/chat/completions", s.limitBody(), s.handleChatCompletions())
	r.GET("/v1/models", s.handleModels())
	return r
}

func TestModels(t *testing.T) {
	w := do(t, newOpenAIRouter(nil), "GET", "/v1/models", "")
	if w.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", w.Code, w.Body)
	}
	var got modelList
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Data) == 1 && got.Data[0].Created <= 0 {
		t.Errorf("created = %d, want a unix time", got.Data[0].Created)
	}
	want := modelList{Object: "list", Data: []model{{ID: "wenda", Object: "model", OwnedBy: "wenda"}}}
	for i := range got.Data {
		got.Data[i].Created = 0
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET /v1/models mismatch (-want +got):\n%s", diff)
	}
}

func TestChatCompletions(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		wantRequest rag.Request
	}{
		{
			name:        "one question",
			body:        `{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"南昌义务教育巩固率是多少"}]}`,
			wantRequest: rag.Request{Question: "南昌义务教育巩固率是多少", History: []rag.Message{}},
		},
		{
			name: "history without system and sources",
			body: `{"model":"wenda","messages":[
				{"role":"system","content":"You are a helpful assistant."},
				{"role":"user","content":"南昌义务教育巩固率是多少"},
				{"role":"assistant","content":` + mustJSON(t, chatReply) + `},
				{"role":"user","content":"那高中呢"}]}`,
			wantRequest: rag.Request{Question: "那高中呢", History: []rag.Message{
				{Role: "user", Content: "南昌义务教育巩固率是多少"},
				{Role: "assistant", Content: chatAnswer.Answer},
			}},
		},
		{
			name: "content parts",
			body: `{"model":"wenda","messages":[{"role":"user","content":[
				{"type":"text","text":"南昌义务教育"},
				{"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}},
				{"type":"text","text":"巩固率是多少"}]}]}`,
			wantRequest: rag.Request{Question: "南昌义务教育\n巩固率是多少", History: []rag.Message{}},
		},
		{
			name: "history keeps the last 20",
			body: `{"model":"wenda","messages":[` +
				strings.Repeat(`{"role":"user","content":"旧"},{"role":"assistant","content":"答"},`, 15) +
				`{"role":"user","content":"新问题"}]}`,
			wantRequest: rag.Request{Question: "新问题", History: repeatTurns(10)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asker := &recordingAsker{}
			w := do(t, newOpenAIRouter(asker), "POST", "/v1/chat/completions", tt.body)
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", w.Code, w.Body)
			}
			if diff := cmp.Diff(tt.wantRequest, asker.last()); diff != "" {
				t.Errorf("rag.Request mismatch (-want +got):\n%s", diff)
			}
			var got chatCompletion
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got.ID, "chatcmpl-") || got.Created <= 0 {
				t.Errorf("id, created = %q, %d; want chatcmpl-… and a unix time", got.ID, got.Created)
			}
			u := got.Usage
			if u == nil || u.PromptTokens <= 0 || u.CompletionTokens <= 0 || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
				t.Errorf("usage = %+v, want positive counts that add up", u)
			}
			got.ID, got.Created, got.Usage = "", 0, nil
			stop := "stop"
			want := chatCompletion{
				Object: "chat.completion", Model: "wenda",
				Choices: []chatChoice{{Message: &chatDelta{Role: "assistant", Content: chatReply}, FinishReason: &stop}},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("completion mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChatCompletionsStream(t *testing.T) {
	tests := []struct {
		name      string
		options   string
		wantUsage bool
	}{
		{"without usage", ``, false},
		{"with usage", `,"stream_options":{"include_usage":true}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"model":"wenda","stream":true` + tt.options + `,"messages":[{"role":"user","content":"南昌义务教育巩固率是多少"}]}`
			w := do(t, newOpenAIRouter(&recordingAsker{}), "POST", "/v1/chat/completions", body)
			if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/event-stream") {
				t.Fatalf("status = %d, Content-Type %q, want 200 text/event-stream", w.Code, w.Header().Get("Content-Type"))
			}
			data := sseData(t, w.Body.String())
			if len(data) == 0 || data[len(data)-1] != "[DONE]" {
				t.Fatalf("stream does not end with [DONE]: %q", data)
			}
			var chunks []chatCompletion
			for _, d := range data[:len(data)-1] {
				var ch chatCompletion
				if err := json.Unmarshal([]byte(d), &ch); err != nil {
					t.Fatalf("chunk %q: %v", d, err)
				}
				sameID := strings.HasPrefix(ch.ID, "chatcmpl-") && (len(chunks) == 0 || ch.ID == chunks[0].ID)
				if ch.Object != "chat.completion.chunk" || ch.Model != "wenda" || !sameID {
					t.Errorf("chunk header = %q %q %q, want one chatcmpl id, chat.completion.chunk, wenda", ch.ID, ch.Object, ch.Model)
				}
				chunks = append(chunks, ch)
			}
			var usage *chatUsage
			if tt.wantUsage {
				last := chunks[len(chunks)-1]
				if len(last.Choices) != 0 || last.Usage == nil {
					t.Fatalf("last chunk = %+v, want no choices and usage", last)
				}
				usage, chunks = last.Usage, chunks[:len(chunks)-1]
			}
			if len(chunks) < 3 {
				t.Fatalf("got %d chunks, want role, content…, stop", len(chunks))
			}
			if diff := cmp.Diff(&chatDelta{Role: "assistant"}, chunks[0].Choices[0].Delta); diff != "" {
				t.Errorf("first delta mismatch (-want +got):\n%s", diff)
			}
			var text strings.Builder
			for _, ch := range chunks[1 : len(chunks)-1] {
				if len(ch.Choices) != 1 || ch.Choices[0].FinishReason != nil || ch.Usage != nil {
					t.Errorf("content chunk = %+v, want one choice, no finish_reason, no usage", ch)
				}
				text.WriteString(ch.Choices[0].Delta.Content)
			}
			if diff := cmp.Diff(chatReply, text.String()); diff != "" {
				t.Errorf("streamed text mismatch (-want +got):\n%s", diff)
			}
			stop := "stop"
			if diff := cmp.Diff(chatChoice{Delta: &chatDelta{}, FinishReason: &stop}, chunks[len(chunks)-1].Choices[0]); diff != "" {
				t.Errorf("final choice mismatch (-want +got):\n%s", diff)
			}
			if tt.wantUsage && (usage.CompletionTokens <= 0 || usage.TotalTokens != usage.PromptTokens+usage.CompletionTokens) {
				t.Errorf("usage = %+v, want positive counts that add up", usage)
			}
		})
	}
}

func TestChatCompletionsErrors(t *testing.T) {
	upstream := askerFunc(func(context.Context, rag.Request) (rag.Answer, error) {
		return rag.Answer{}, fmt.Errorf("generate: %w", rag.ErrUpstream)
	})
	internal := askerFunc(func(context.Context, rag.Request) (rag.Answer, error) {
		return rag.Answer{}, io.ErrUnexpectedEOF
	})
	question := func(q string) string {
		return `{"model":"wenda","messages":[{"role":"user","content":` + mustJSON(t, q) + `}]}`
	}
	tests := []struct {
		name     string
		asker    Asker
		body     string
		wantCode int
		wantErr  openAIErrorDetail
	}{
		{"broken json", &recordingAsker{}, `{"messages":`, 400,
			openAIErrorDetail{Type: "invalid_request_error", Code: "invalid_json"}},
		{"bad content", &recordingAsker{}, `{"messages":[{"role":"user","content":42}]}`, 400,
			openAIErrorDetail{Type: "invalid_request_error", Code: "invalid_json"}},
		{"no user message", &recordingAsker{}, `{"messages":[{"role":"system","content":"hi"}]}`, 400,
			openAIErrorDetail{Type: "invalid_request_error", Code: "invalid_request"}},
		{"empty content", &recordingAsker{}, question("  "), 400,
			openAIErrorDetail{Type: "invalid_request_error", Code: "invalid_request"}},
		{"long question", &recordingAsker{}, question(strings.Repeat("问", 600)), 413,
			openAIErrorDetail{Type: "invalid_request_error", Code: "question_too_long"}},
		{"huge body", &recordingAsker{}, question(strings.Repeat("a", 2<<20)), 413,
			openAIErrorDetail{Type: "invalid_request_error", Code: "body_too_large"}},
		{"not ready", nil, question("问"), 503,
			openAIErrorDetail{Type: "server_error", Code: "not_ready"}},
		{"upstream", upstream, question("问"), 502,
			openAIErrorDetail{Type: "server_error", Code: "upstream_error"}},
		{"internal", internal, question("问"), 500,
			openAIErrorDetail{Type: "server_error", Code: "internal_error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequestWithContext(t.Context(), "POST", "/v1/chat/completions", strings.NewReader(tt.body))
			// An unknown length, as with a chunked body, gets past limitBody's
			// Content-Length check to the reader's limit.
			req.ContentLength = -1
			w := httptest.NewRecorder()
			newOpenAIRouter(tt.asker).ServeHTTP(w, req)
			if w.Code != tt.wantCode {
				t.Errorf("status = %d, want %d; body %s", w.Code, tt.wantCode, w.Body)
			}
			var raw map[string]map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
				t.Fatalf("body is not the OpenAI error shape: %s", w.Body)
			}
			if p, ok := raw["error"]["param"]; !ok || p != nil {
				t.Errorf(`error.param = %v (present %t), want null`, p, ok)
			}
			var got openAIErrorBody
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Error.Message == "" || strings.Contains(got.Error.Message, "unexpected EOF") {
				t.Errorf("error.message = %q, want a public message", got.Error.Message)
			}
			got.Error.Message = ""
			if diff := cmp.Diff(tt.wantErr, got.Error); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGoOpenAI drives the endpoints with a real OpenAI client, as the chat
// bots and UIs that use wenda do.
func TestGoOpenAI(t *testing.T) {
	srv := httptest.NewServer(newOpenAIRouter(&recordingAsker{}))
	t.Cleanup(srv.Close)
	cfg := openai.DefaultConfig("test")
	cfg.BaseURL = srv.URL + "/v1"
	client := openai.NewClientWithConfig(cfg)
	messages := []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: "You are a helpful assistant."},
		{Role: openai.ChatMessageRoleUser, Content: "南昌义务教育巩固率是多少"},
	}

	models, err := client.ListModels(t.Context())
	if err != nil {
		t.Fatalf("ListModels: %v", err)
	}
	if len(models.Models) != 1 || models.Models[0].ID != "wenda" {
		t.Errorf("ListModels = %+v, want the one model wenda", models.Models)
	}

	resp, err := client.CreateChatCompletion(t.Context(), openai.ChatCompletionRequest{Model: "gpt-4o-mini", Messages: messages})
	if err != nil {
		t.Fatalf("CreateChatCompletion: %v", err)
	}
	if len(resp.Choices) != 1 {
		t.Fatalf("CreateChatCompletion choices = %+v, want one", resp.Choices)
	}
	if diff := cmp.Diff(chatReply, resp.Choices[0].Message.Content); diff != "" {
		t.Errorf("CreateChatCompletion content mismatch (-want +got):\n%s", diff)
	}
	if resp.Choices[0].FinishReason != openai.FinishReasonStop || resp.Usage.CompletionTokens <= 0 ||
		resp.Usage.TotalTokens != resp.Usage.PromptTokens+resp.Usage.CompletionTokens {
		t.Errorf("CreateChatCompletion finish, usage = %q, %+v; want stop and counts that add up", resp.Choices[0].FinishReason, resp.Usage)
	}

	stream, err := client.CreateChatCompletionStream(t.Context(), openai.ChatCompletionRequest{
		Model: "gpt-4o-mini", Messages: messages, Stream: true,
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
	})
	if err != nil {
		t.Fatalf("CreateChatCompletionStream: %v", err)
	}
	defer stream.Close()
	var text strings.Builder
	var usage *openai.Usage
	var finish openai.FinishReason
	for {
		ch, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("stream.Recv: %v", err)
		}
		for _, c := range ch.Choices {
			text.WriteString(c.Delta.Content)
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
		if ch.Usage != nil {
			usage = ch.Usage
		}
	}
	if diff := cmp.Diff(chatReply, text.String()); diff != "" {
		t.Errorf("streamed content mismatch (-want +got):\n%s", diff)
	}
	if finish != openai.FinishReasonStop || usage == nil || usage.CompletionTokens <= 0 {
		t.Errorf("stream finish, usage = %q, %+v; want stop and positive usage", finish, usage)
	}

	_, err = openai.NewClientWithConfig(cfg).CreateChatCompletion(t.Context(), openai.ChatCompletionRequest{
		Model: "wenda", Messages: messages[:1],
	})
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 400 || apiErr.Code != "invalid_request" {
		t.Errorf("CreateChatCompletion without a user message: err = %v, want an APIError 400 invalid_request", err)
	}
}

// sseData returns the data of each event in a stream, in order.
func sseData(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		d, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			t.Fatalf("unexpected line %q in the stream", line)
		}
		out = append(out, d)
	}
	return out
}

func repeatTurns(n int) []rag.Message {
	out := []rag.Message{}
	for range n {
		out = append(out, rag.Message{Role: "user", Content: "旧"}, rag.Message{Role: "assistant", Content: "答"})
	}
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestChatSourcesCitedOnly: the appended list holds the sources the answer
// cites, once each, one line per source with its section.
func TestChatSourcesCitedOnly(t *testing.T) {
	plan := rag.Source{N: 1, Title: "南昌市教育事业发展“十四五”规划", City: "南昌市", Published: "2022", Section: "一、发展基础 > 表1 主要成就"}
	a := rag.Answer{
		Answer: "2020年为97.01%[1]，2015年为96%[3]。", Answered: true, Mode: rag.ModeLLM,
		Sources: []rag.Source{plan, {N: 2, Title: "南昌市统计公报", City: "南昌市", Published: "2021"}, func() rag.Source { s := plan; s.N = 3; return s }()},
	}
	want := "2020年为97.01%[1]，2015年为96%[3]。\n\n来源:\n[1][3] 南昌市教育事业发展“十四五”规划(南昌市,2022) 表1 主要成就"
	if got := replyText(a); got != want {
		t.Errorf("replyText() = %q, want %q", got, want)
	}
	a.Answer = "抱歉，现有资料中没有找到相关数据。"
	if got := replyText(a); got != a.Answer {
		t.Errorf("replyText() of an answer citing nothing = %q, want the answer alone", got)
	}
}

func TestClaimMetrics(t *testing.T) {
	s := New(Config{})
	s.SetAsker(askerFunc(func(context.Context, rag.Request) (rag.Answer, error) {
		return rag.Answer{Answer: "97.01%[1]", Answered: true, Mode: rag.ModeLLM, Claims: &rag.Claims{Passed: 2, Blocked: 1}}, nil
	}))
	h := s.Handler()
	do(t, h, "POST", "/api/v1/ask", `{"question":"南昌义务教育巩固率是多少"}`)
	w := do(t, h, "GET", "/metrics", "")
	for _, want := range []string{`wenda_llm_claims_total{verdict="passed"} 2`, `wenda_llm_claims_total{verdict="blocked"} 1`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
