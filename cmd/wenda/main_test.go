package main

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/rag"
)

// freeAddr returns a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `wenda serve` on a free loopback port with a fresh data
// directory and waits until it is ready.
func startServe(t *testing.T, env map[string]string) string {
	t.Helper()
	addr := freeAddr(t)
	env["WENDA_ADDR"] = addr
	if env["WENDA_DATA_DIR"] == "" {
		env["WENDA_DATA_DIR"] = t.TempDir()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr syncBuffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, io.Discard, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("wenda did not become ready; log:\n%s", stderr.String())
	return ""
}

func postAsk(t *testing.T, base, body string) (int, rag.Answer) {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/ask", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a rag.Answer
	json.NewDecoder(resp.Body).Decode(&a)
	return resp.StatusCode, a
}

func TestServeAnswers(t *testing.T) {
	base := startServe(t, map[string]string{})
	tests := []struct {
		question     string
		wantAnswered bool
		wantIn       string
		wantDoc      string
	}{
		{"南昌义务教育巩固率是多少", true, "97.01", "nanchang-14th-five-year-education-plan"},
		{"南昌市義務教育鞏固率是多少?", true, "97.01", "nanchang-14th-five-year-education-plan"},
		{"九江义务教育巩固率是多少", false, "", ""},
		{"上海市义务教育巩固率是多少", false, "", ""},
	}
	for _, tt := range tests {
		code, a := postAsk(t, base, fmt.Sprintf(`{"question":%q}`, tt.question))
		if code != 200 {
			t.Fatalf("ask(%q) status = %d, want 200", tt.question, code)
		}
		if a.Answered != tt.wantAnswered || !strings.Contains(a.Answer, tt.wantIn) {
			t.Errorf("ask(%q) = %v %q, want answered=%v containing %q", tt.question, a.Answered, a.Answer, tt.wantAnswered, tt.wantIn)
		}
		if !tt.wantAnswered && (strings.ContainsAny(a.Answer, "0123456789") || len(a.Sources) != 0) {
			t.Errorf("ask(%q) refusal = %q with %d sources, want no figure and no source", tt.question, a.Answer, len(a.Sources))
		}
		if tt.wantDoc != "" && (len(a.Sources) == 0 || a.Sources[0].DocID != tt.wantDoc) {
			t.Errorf("ask(%q) sources = %+v, want first from %s", tt.question, a.Sources, tt.wantDoc)
		}
	}
	code, a := postAsk(t, base, `{"question":"那2025年的目标呢?","history":[{"role":"user","content":"南昌义务教育巩固率是多少"},{"role":"assistant","content":"97.01%"}]}`)
	if code != 200 || !strings.Contains(a.Answer, "97.68") || !strings.Contains(a.Question, "2025") {
		t.Errorf("follow-up = %d %q (standalone %q), want 97.68 for 2025", code, a.Answer, a.Question)
	}
}

func TestServeRestartLoadsSavedIndex(t *testing.T) {
	dir := t.TempDir()
	for range 2 {
		base := startServe(t, map[string]string{"WENDA_DATA_DIR": dir})
		if _, a := postAsk(t, base, `{"question":"南昌义务教育巩固率是多少"}`); !strings.Contains(a.Answer, "97.01") {
			t.Fatalf("answer = %q, want 97.01", a.Answer)
		}
	}
}

func TestServeBusyPortFailsAtOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := map[string]string{"WENDA_ADDR": ln.Addr().String(), "WENDA_DATA_DIR": t.TempDir()}
	err = run(t.Context(), []string{"serve"}, func(k string) string { return env[k] }, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("serve on a busy port = %v, want a listen error", err)
	}
}

func TestAskCommand(t *testing.T) {
	var out bytes.Buffer
	env := map[string]string{"WENDA_DATA_DIR": t.TempDir()}
	err := run(t.Context(), []string{"ask", "南昌义务教育巩固率是多少"}, func(k string) string { return env[k] }, nil, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"97.01", "来源", "南昌市教育事业发展“十四五”规划"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("wenda ask output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []map[string]string{
		{"WENDA_LLM_TIMEOUT": "soon"},
		{"WENDA_RATE_LIMIT": "-1"},
		{"WENDA_ANSWER_CACHE": "lots"},
		{"WENDA_ADDR": "nonsense"},
		{"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"},
		{"WENDA_LOG_LEVEL": "loud"},
		{"WENDA_CORS_ORIGINS": "foo"},
		{"WENDA_CORS_ORIGINS": "https://a.example, https://b.example/path"},
		{"WENDA_UNANSWERED_LOG": "yes"},
	}
	for _, env := range tests {
		if _, _, err := parseConfig("t", nil, func(k string) string { return env[k] }, io.Discard); err == nil {
			t.Errorf("parseConfig(%v) = nil error, want one", env)
		}
	}
	env := map[string]string{"WENDA_ADDR": "127.0.0.1:1"}
	c, _, err := parseConfig("t", []string{"-addr", "127.0.0.1:2"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil || c.Addr != "127.0.0.1:2" {
		t.Errorf("flag over env: addr = %q, err %v; want 127.0.0.1:2", c.Addr, err)
	}
}

func TestEvalCommandGates(t *testing.T) {
	var out bytes.Buffer
	env := map[string]string{"WENDA_DATA_DIR": t.TempDir()}
	err := run(t.Context(), []string{"eval", "-min-accuracy", "0.9999"}, func(k string) string { return env[k] }, nil, &out, io.Discard)
	if err == nil {
		t.Errorf("eval with -min-accuracy above its accuracy succeeded, want failure")
	}
	if !strings.Contains(out.String(), "accuracy") {
		t.Errorf("eval output lacks the summary:\n%s", out.String())
	}
}

func wechatSignature(parts ...string) string {
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// TestServeWeChat drives the WeChat callback of a running wenda in passive
// plaintext mode: URL verification, then a question answered from the seeds.
func TestServeWeChat(t *testing.T) {
	const token = "wendatest"
	base := startServe(t, map[string]string{"WENDA_WECHAT_TOKEN": token})
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "nonce1"
	sig := wechatSignature(token, ts, nonce)
	resp, err := http.Get(fmt.Sprintf("%s/wechat/mp?signature=%s&timestamp=%s&nonce=%s&echostr=hello", base, sig, ts, nonce))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "hello" {
		t.Fatalf("verification = %d %q, want 200 hello", resp.StatusCode, body)
	}
	msg := `<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[user1]]></FromUserName>` +
		`<CreateTime>` + ts + `</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
		`<Content><![CDATA[南昌义务教育巩固率是多少]]></Content><MsgId>1234567890</MsgId></xml>`
	url := fmt.Sprintf("%s/wechat/mp?signature=%s&timestamp=%s&nonce=%s&openid=user1", base, sig, ts, nonce)
	resp, err = http.Post(url, "text/xml", strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "97.01") || !strings.Contains(string(body), "<ToUserName><![CDATA[user1]]>") {
		t.Errorf("reply = %d %s, want a text reply to user1 with 97.01", resp.StatusCode, body)
	}
	bad := fmt.Sprintf("%s/wechat/mp?signature=%s&timestamp=%s&nonce=%s", base, "0000", ts, nonce)
	resp, err = http.Post(bad, "text/xml", strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("wrong signature = %d, want 403", resp.StatusCode)
	}
}

func adminDo(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return sendAdmin(t, req, token)
}

// sendAdmin sends req with the admin token and returns the status and body.
func sendAdmin(t *testing.T, req *http.Request, token string) (int, string) {
	t.Helper()
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeDocumentsAdmin adds a document through the admin API, asks about
// it at once and after a restart, then deletes it.
func TestServeDocumentsAdmin(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"WENDA_DATA_DIR": dir, "WENDA_ADMIN_TOKEN": adminToken}
	const q = `{"question":"赣州义务教育巩固率是多少"}`
	base := startServe(t, env)
	if _, a := postAsk(t, base, q); a.Answered {
		t.Fatalf("before the add: %q, want a refusal", a.Answer)
	}
	doc := `{"id":"ganzhou-2024","title":"赣州市2024年教育统计公报","city":"赣州市","province":"江西省","published":"2024","text":"2024年,赣州市义务教育巩固率达到96.5%。"}`
	if code, body := adminDo(t, "POST", base+"/api/v1/documents", adminToken, doc); code != 201 {
		t.Fatalf("add = %d %s, want 201", code, body)
	}
	if _, a := postAsk(t, base, q); !a.Answered || !strings.Contains(a.Answer, "96.5") {
		t.Fatalf("right after the add: %q, want 96.5", a.Answer)
	}
	base2 := startServe(t, map[string]string{"WENDA_DATA_DIR": dir, "WENDA_ADMIN_TOKEN": adminToken})
	if _, a := postAsk(t, base2, q); !a.Answered || !strings.Contains(a.Answer, "96.5") {
		t.Fatalf("after a restart: %q, want 96.5", a.Answer)
	}
	if code, _ := adminDo(t, "DELETE", base2+"/api/v1/documents/ganzhou-2024", adminToken, ""); code != 204 {
		t.Fatalf("delete = %d, want 204", code)
	}
	if _, a := postAsk(t, base2, q); a.Answered {
		t.Errorf("after the delete: %q, want a refusal", a.Answer)
	}
	if code, _ := adminDo(t, "GET", base2+"/api/v1/documents", "wrong", ""); code != 401 {
		t.Errorf("wrong token = %d, want 401", code)
	}
}
