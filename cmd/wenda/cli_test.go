package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"wenda/rag/ingest/ingesttest"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(t.Context(), args, func(k string) string { return env[k] }, nil, &out, &errb)
	return out.String(), errb.String(), err
}

func TestUsageListsCommands(t *testing.T) {
	for _, args := range [][]string{nil, {"help"}, {"-h"}, {"--help"}} {
		out, _, err := runCLI(t, nil, args...)
		if err != nil {
			t.Errorf("wenda %v: %v", args, err)
		}
		for _, c := range commands {
			if !strings.Contains(out, "\n  "+c.name+" ") {
				t.Errorf("wenda %v does not list %q:\n%s", args, c.name, out)
			}
		}
	}
	if _, _, err := runCLI(t, nil, "-addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "wenda serve -addr") {
		t.Errorf("wenda -addr: %v, want a hint to put the command first", err)
	}
	if _, _, err := runCLI(t, nil, "frobnicate"); err == nil {
		t.Errorf("wenda frobnicate succeeded")
	}
}

// TestCommandHelp checks that each command's -h lists its own flags only and
// the environment variables it reads.
func TestCommandHelp(t *testing.T) {
	tests := []struct {
		args    []string
		want    []string
		notWant []string
	}{
		{[]string{"serve", "-h"}, []string{"usage: wenda serve", "-addr", "-data", "-seeds", "WENDA_ADMIN_TOKEN", "WENDA_UNANSWERED_LOG", "WENDA_SITE_FOOTER", "WENDA_WECHAT_TOKEN"}, nil},
		{[]string{"ask", "-h"}, []string{`usage: wenda ask [flags] "问题"`, "-data", "-seeds", "WENDA_DATA_DIR", "OPENAI_BASE_URL"}, []string{"-addr", "WENDA_ADMIN_TOKEN", "WENDA_WECHAT"}},
		{[]string{"index", "-h"}, []string{"-data", "WENDA_EMBED_MODEL"}, []string{"-addr"}},
		{[]string{"eval", "-h"}, []string{"-min-accuracy", "-json", "-html", "-compare", "-url", "-data", "-seeds", "OPENAI_BASE_URL"}, []string{"-addr", "WENDA_ADMIN_TOKEN"}},
		{[]string{"add", "-h"}, []string{"usage: wenda add [flags] FILE", "-title", "-city", "-published", "-url", "-data"}, []string{"-addr"}},
		{[]string{"help", "ask"}, []string{`usage: wenda ask`}, nil},
	}
	for _, tt := range tests {
		_, stderr, err := runCLI(t, nil, tt.args...)
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("wenda %v: err = %v, want flag.ErrHelp (exit 0, nothing more printed)", tt.args, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("wenda %v lacks %q:\n%s", tt.args, w, stderr)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(stderr, w) {
				t.Errorf("wenda %v lists %q, which it does not use:\n%s", tt.args, w, stderr)
			}
		}
	}
	if exitCode(flag.ErrHelp) != 0 {
		t.Errorf("exit code of -h = %d, want 0", exitCode(flag.ErrHelp))
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version", "-version"} {
		out, _, err := runCLI(t, nil, arg)
		if err != nil || !strings.HasPrefix(out, "wenda ") || !strings.Contains(out, "go1.") {
			t.Errorf("wenda %s = %q, %v; want wenda <version> <go version>", arg, out, err)
		}
	}
}

// TestAskKeepsNoFiles runs `wenda ask` in an empty directory, which stays
// empty.
func TestAskKeepsNoFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	out, _, err := runCLI(t, nil, "ask", "南昌义务教育巩固率是多少")
	if err != nil || !strings.Contains(out, "97.01") {
		t.Fatalf("ask = %q, %v", out, err)
	}
	for _, d := range []string{dir, tmp} {
		if entries, _ := os.ReadDir(d); len(entries) != 0 {
			t.Errorf("ask left %d files in %s: %v", len(entries), d, entries)
		}
	}
}

func TestMinAccuracyValidated(t *testing.T) {
	for _, v := range []string{"95", "-0.1"} {
		_, _, err := runCLI(t, map[string]string{"WENDA_DATA_DIR": t.TempDir()}, "eval", "-min-accuracy", v)
		if err == nil || !strings.Contains(err.Error(), "between 0 and 1") {
			t.Errorf("eval -min-accuracy %s: %v, want a range error", v, err)
		}
	}
}

// TestStartupErrorsBeforeListening: what start-up can check fails before
// wenda says it is listening.
func TestStartupErrorsBeforeListening(t *testing.T) {
	readOnly := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(readOnly, 0o555)
	tests := map[string]map[string]string{
		"missing seeds dir":    {"WENDA_SEEDS_DIR": filepath.Join(t.TempDir(), "nope"), "WENDA_DATA_DIR": t.TempDir()},
		"bad CORS origin":      {"WENDA_CORS_ORIGINS": "foo", "WENDA_DATA_DIR": t.TempDir()},
		"data dir is a file":   {"WENDA_DATA_DIR": writeFile(t, "x")},
		"data dir read-only":   {"WENDA_DATA_DIR": readOnly},
		"wechat without appid": {"WENDA_WECHAT_TOKEN": "tok", "WENDA_WECHAT_AESKEY": strings.Repeat("a", 43), "WENDA_DATA_DIR": t.TempDir()},
	}
	for name, env := range tests {
		if name == "data dir read-only" && os.Geteuid() == 0 {
			continue // root writes anywhere
		}
		env["WENDA_ADDR"] = freeAddr(t)
		out, _, err := runCLI(t, env, "serve")
		if err == nil {
			t.Errorf("%s: serve started", name)
		}
		if strings.Contains(out, "listening") {
			t.Errorf("%s: printed %q before failing with %v", name, out, err)
		}
		if err != nil && strings.Contains(err.Error(), "wechat: wechat") {
			t.Errorf("%s: error stutters: %v", name, err)
		}
	}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAddCommand adds a DOCX from the command line; ask then answers from
// its table, with the date and link.
func TestAddCommand(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "plan.docx")
	os.WriteFile(file, ingesttest.DOCX("抚州市教育事业发展“十四五”规划", "抚州市坚持教育优先发展。", ingesttest.Plan("抚州市", "96.6")), 0o644)
	out, _, err := runCLI(t, nil, "add", "-data", data, "-city", "抚州市", "-province", "江西省", "-published", "2022-05-10",
		"-url", "https://jyj.example.gov.cn/fuzhou/plan", "-id", "fuzhou-plan", file)
	if err != nil || !strings.Contains(out, "added fuzhou-plan: 抚州市教育事业发展“十四五”规划") {
		t.Fatalf("add = %q, %v", out, err)
	}
	out, _, err = runCLI(t, nil, "ask", "-data", data, "抚州义务教育巩固率2025年目标是多少")
	if err != nil || !strings.Contains(out, "96.6") || !strings.Contains(out, "（抚州市，2022-05-10）") || !strings.Contains(out, "https://jyj.example.gov.cn/fuzhou/plan") {
		t.Errorf("ask after add = %q, %v", out, err)
	}
	if _, _, err := runCLI(t, nil, "add", "-data", data, writeFile(t, "\x89PNG\r\n\x1a\n\x00\x00")); err == nil || !strings.Contains(err.Error(), "not a readable") {
		t.Errorf("add of a PNG: %v, want not a readable document", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(data, "documents")); len(entries) != 1 {
		t.Errorf("library holds %d files, want 1", len(entries))
	}
}

// TestUnansweredFromBothChannels: with WENDA_UNANSWERED_LOG=on, refusals on
// the API and on WeChat are counted, normalised, and listed for the admin;
// answered questions are not.
func TestUnansweredFromBothChannels(t *testing.T) {
	const token = "wendatest"
	dir := t.TempDir()
	base := startServe(t, map[string]string{"WENDA_DATA_DIR": dir, "WENDA_WECHAT_TOKEN": token,
		"WENDA_ADMIN_TOKEN": "tok", "WENDA_UNANSWERED_LOG": "on"})
	postAsk(t, base, `{"question":"南昌义务教育巩固率是多少"}`)
	postAsk(t, base, `{"question":"南昌市有多少个博物馆？"}`)
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "nonce2"
	sig := wechatSignature(token, ts, nonce)
	msg := `<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[user2]]></FromUserName>` +
		`<CreateTime>` + ts + `</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
		`<Content><![CDATA[南昌市有多少个博物馆]]></Content><MsgId>99887766</MsgId></xml>`
	resp, err := http.Post(fmt.Sprintf("%s/wechat/mp?signature=%s&timestamp=%s&nonce=%s&openid=user2", base, sig, ts, nonce), "text/xml", strings.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	code, body := adminDo(t, "GET", base+"/api/v1/unanswered", "tok", "")
	want := `{"enabled":true,"questions":[{"text":"南昌市有多少个博物馆","count":2}]}`
	if code != 200 || body != want {
		t.Errorf("unanswered = %d %s, want %s", code, body, want)
	}
	if code, _ := adminDo(t, "GET", base+"/api/v1/unanswered", "wrong", ""); code != 401 {
		t.Errorf("wrong token = %d, want 401", code)
	}
}
