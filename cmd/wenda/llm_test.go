package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"wenda/rag/ragtest"
)

var sourceNumRE = regexp.MustCompile(`(?s)<资料 编号="(\d+)">\n([^<]*)`)

// fakeModel answers from the prompt's source that holds figure, citing it,
// with the answer's figure replaced by say (figure itself when empty).
func fakeModel(figure, say string) func(ragtest.ChatRequest) ragtest.Reply {
	if say == "" {
		say = figure
	}
	return func(req ragtest.ChatRequest) ragtest.Reply {
		for _, m := range sourceNumRE.FindAllStringSubmatch(req.Messages[0].Content, -1) {
			if strings.Contains(m[2], figure) {
				return ragtest.Reply{Text: fmt.Sprintf("2020年南昌市义务教育巩固率为%s[%s]。", say, m[1])}
			}
		}
		return ragtest.Reply{Text: "抱歉，现有资料中没有找到相关数据。"}
	}
}

func llmEnv(t *testing.T, srv *ragtest.Server) map[string]string {
	return map[string]string{
		"WENDA_DATA_DIR":   t.TempDir(),
		"OPENAI_BASE_URL":  srv.BaseURL(),
		"OPENAI_API_KEY":   "sk-test",
		"WENDA_CHAT_MODEL": "qwen2.5:7b",
	}
}

func TestAskCommandLLM(t *testing.T) {
	tests := []struct {
		name    string
		say     string
		want    string
		wantNot string
	}{
		{"the model's answer", "", "2020年南昌市义务教育巩固率为97.01%[", ""},
		// A model that invents a figure is caught: the extractive answer shows.
		{"unverified figure", "98.5%", "97.01", "98.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ragtest.NewServer(t, "sk-test")
			srv.ChatFunc(fakeModel("97.01%", tt.say))
			env := llmEnv(t, srv)
			var out bytes.Buffer
			err := run(t.Context(), []string{"ask", "南昌义务教育巩固率是多少?"}, func(k string) string { return env[k] }, nil, &out, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tt.want) || (tt.wantNot != "" && strings.Contains(out.String(), tt.wantNot)) {
				t.Errorf("wenda ask output, want %q and not %q:\n%s", tt.want, tt.wantNot, out.String())
			}
			if len(srv.ChatRequests()) != 1 || len(srv.EmbedRequests()) != 0 {
				t.Errorf("server saw %d chat and %d embeddings requests, want 1 and 0", len(srv.ChatRequests()), len(srv.EmbedRequests()))
			}
		})
	}
}

func TestAskCommandLLMDown(t *testing.T) {
	srv := ragtest.NewServer(t, "sk-test")
	srv.Chat(ragtest.Reply{Delay: ragtest.Hang})
	env := llmEnv(t, srv)
	env["WENDA_LLM_TIMEOUT"] = "500ms"
	var out bytes.Buffer
	start := time.Now()
	err := run(t.Context(), []string{"ask", "南昌义务教育巩固率是多少?"}, func(k string) string { return env[k] }, nil, &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "97.01") {
		t.Errorf("wenda ask with a hanging model = %v:\n%s\nwant the extractive answer", err, out.String())
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("wenda ask took %v", d)
	}
}

func TestServeSemanticIndex(t *testing.T) {
	srv := ragtest.NewServer(t, "sk-test")
	srv.ChatFunc(fakeModel("97.01%", ""))
	env := llmEnv(t, srv)
	env["WENDA_EMBED_MODEL"] = "bge-m3"
	base := startServe(t, env)
	if len(srv.EmbedRequests()) == 0 {
		t.Fatal("the index was not embedded by the endpoint")
	}
	if _, err := os.Stat(filepath.Join(env["WENDA_DATA_DIR"], "index.bin")); err != nil {
		t.Errorf("saved index: %v", err)
	}
	code, a := postAsk(t, base, `{"question":"南昌义务教育巩固率是多少?"}`)
	if code != 200 || a.Mode != "llm" || !strings.Contains(a.Answer, "97.01%[") {
		t.Errorf("ask = %d mode %q fallback %q %q, want the model's answer", code, a.Mode, a.Fallback, a.Answer)
	}
}

// TestShutdownLetsStreamsFinish stops wenda (as SIGTERM does) while a slow
// model is streaming an answer: the stream runs to its done event before
// the server exits.
func TestShutdownLetsStreamsFinish(t *testing.T) {
	srv := ragtest.NewServer(t, "sk-test")
	srv.ChatFunc(func(req ragtest.ChatRequest) ragtest.Reply {
		r := fakeModel("97.01%", "")(req)
		r.ChunkDelay = 150 * time.Millisecond
		return r
	})
	env := llmEnv(t, srv)
	env["WENDA_ADDR"] = freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, io.Discard, io.Discard)
	}()
	base := "http://" + env["WENDA_ADDR"]
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("wenda did not become ready")
		}
	}
	resp, err := http.Post(base+"/api/v1/ask", "application/json", strings.NewReader(`{"question":"南昌义务教育巩固率是多少","stream":true}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 1)
	if _, err := resp.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel() // the signal: stop accepting, let what runs finish
	rest, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("stream cut by the shutdown: %v", err)
	}
	if !strings.Contains(string(rest), "event: done") || !strings.Contains(string(rest), "97.01") {
		t.Errorf("stream after the shutdown began = %q, want it to end with done and 97.01", rest)
	}
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
}

// TestServeStreamsCheckedSentencesOnly is the streamed "98.5%": the
// model's second sentence invents a figure, and neither endpoint sends any
// part of it, in any event; the first sentence goes out as written, and the
// chat reply lists only the source it cites.
func TestServeStreamsCheckedSentencesOnly(t *testing.T) {
	srv := ragtest.NewServer(t, "sk-test")
	var first string
	srv.ChatFunc(func(req ragtest.ChatRequest) ragtest.Reply {
		r := fakeModel("97.01%", "")(req)
		first = r.Text
		r.Text += "“十四五”目标为98.5%。"
		return r
	})
	base := startServe(t, llmEnv(t, srv))

	resp, err := http.Post(base+"/api/v1/ask", "application/json", strings.NewReader(`{"question":"南昌义务教育巩固率是多少?","stream":true}`))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	var deltas strings.Builder
	for _, ev := range strings.Split(string(body), "\n\n") {
		if strings.HasPrefix(ev, "event: delta") {
			if strings.Contains(ev, "98.5") {
				t.Errorf("delta event holds the invented figure: %q", ev)
			}
			_, data, _ := strings.Cut(ev, "data:")
			var d struct{ Text string }
			if err := json.Unmarshal([]byte(data), &d); err != nil {
				t.Fatalf("delta %q: %v", ev, err)
			}
			deltas.WriteString(d.Text)
		}
	}
	if deltas.String() != first || !strings.Contains(string(body), "event: done") || strings.Contains(string(body), "98.5") {
		t.Errorf("streamed %q, want the first sentence %q, then done; body:\n%s", deltas.String(), first, body)
	}

	resp, err = http.Post(base+"/v1/chat/completions", "application/json", strings.NewReader(
		`{"model":"wenda","stream":true,"messages":[{"role":"user","content":"南昌义务教育巩固率是多少?"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	var reply strings.Builder
	for _, line := range strings.Split(string(body), "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok || data == "[DONE]" {
			continue
		}
		var ch struct {
			Choices []struct{ Delta struct{ Content string } }
		}
		if err := json.Unmarshal([]byte(data), &ch); err != nil {
			t.Fatalf("chunk %q: %v", data, err)
		}
		for _, c := range ch.Choices {
			reply.WriteString(c.Delta.Content)
		}
	}
	text, sources, ok := strings.Cut(reply.String(), "\n\n来源:\n")
	if !ok || text != first || strings.Contains(reply.String(), "98.5") {
		t.Fatalf("chat reply = %q, want %q and its sources", reply.String(), first)
	}
	if lines := strings.Split(sources, "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "[") || !strings.Contains(lines[0], "(南昌市,") {
		t.Errorf("sources = %q, want the one cited source on one line", sources)
	}
}
