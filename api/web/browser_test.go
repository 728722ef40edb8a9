package web_test

// End-to-end tests of the chat page in a real headless Chromium, driven with
// chromedp. The scenario functions take a base URL, so the same steps can run
// against the real server (package api, cmd) as well as against the fake
// /api/v1/ask below:
//
//	runChatScenario(t, baseURL)  — any wenda server: ask, stream, cite, follow up, not found, 新对话
//	runFaultScenario(t, baseURL) — needs the fake's triggers: 429, 500, a broken connection,
//	                               an error mid-stream, a long answer, 停止
//
// Screenshots go to a temporary directory whose path the test logs; they are
// for looking at, never committed.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"wenda/api/web"
)

// Questions of the chat scenario. They are real questions: the real server
// answers the first with 97.01 and refuses the third.
const (
	qRate     = "南昌义务教育巩固率是多少"
	qFollowUp = "那2025年的目标呢?"
	qShanghai = "上海市义务教育巩固率是多少"
	qExample  = "南昌义务教育巩固率是多少？" // the first example on the welcome screen
)

func TestChatPageInBrowser(t *testing.T) {
	chromiumPath(t) // skip (or fail in CI) before the checks below
	fake := &fakeAsk{}
	srv := newFakeServer(t, fake)

	runChatScenario(t, srv.URL, true)

	// The page sent the history the fake saw: none first, then the first
	// turn with the follow-up, then two turns, and none after 新对话.
	for _, tt := range []struct {
		question string
		want     []int
	}{
		{qRate, []int{0, 0}}, // once in each viewport
		{qFollowUp, []int{2, 2}},
		{qShanghai, []int{4, 4}},
		{qExample, []int{0, 0}}, // after 新对话
	} {
		if got := fake.historyLengths(tt.question); !slices.Equal(got, tt.want) {
			t.Errorf("history lengths the server got with %q = %v, want %v", tt.question, got, tt.want)
		}
	}
}

func TestChatPageFaultsInBrowser(t *testing.T) {
	srv := newFakeServer(t, &fakeAsk{})
	runFaultScenario(t, srv.URL)
}

// TestSSEParserInBrowser feeds the page's own event-stream parser every way
// of cutting a stream into two chunks, and one character at a time.
func TestSSEParserInBrowser(t *testing.T) {
	srv := newFakeServer(t, &fakeAsk{})
	p := openPage(t, srv.URL, desktop)
	p.waitFor("the page", `document.querySelectorAll(".example").length === 4`)

	type event = [2]string // name, data
	tests := []struct {
		name  string
		input string
		want  []event
	}{
		{"LF", "event: sources\ndata: []\n\n", []event{{"sources", "[]"}}},
		{"CRLF", "event: delta\r\ndata: {\"text\":\"97.01%\"}\r\n\r\n", []event{{"delta", `{"text":"97.01%"}`}}},
		{"CR", "event: done\rdata: {}\r\r", []event{{"done", "{}"}}},
		{"multi-line data", "event: done\ndata: {\ndata:   \"a\": 1\ndata: }\n\n", []event{{"done", "{\n  \"a\": 1\n}"}}},
		{"no space after the colon", "event:delta\ndata:x\n\n", []event{{"delta", "x"}}},
		{"default name", "data: hi\n\n", []event{{"message", "hi"}}},
		{"comments and unknown fields", ": ping\nid: 7\nretry: 10\nevent: a\ndata: 1\n\n: bye\n\n", []event{{"a", "1"}}},
		{"empty events are not dispatched", "event: a\n\n\n\ndata: 2\n\n", []event{{"message", "2"}}},
		{"two events", "event: a\r\ndata: 1\r\n\r\nevent: b\r\ndata: 2\r\n\r\n", []event{{"a", "1"}, {"b", "2"}}},
		{"an unfinished last event is dropped", "event: a\ndata: 1\n\nevent: b\ndata: 2\n", []event{{"a", "1"}}},
		{"Chinese text", "event: delta\ndata: {\"text\":\"巩固率[1]\"}\n\n", []event{{"delta", `{"text":"巩固率[1]"}`}}},
	}
	for _, tt := range tests {
		input, _ := json.Marshal(tt.input)
		got := evalAsync[[][][2]string](p, `(async () => {
			const { SSEParser } = await import("/static/app.js");
			const input = `+string(input)+`;
			const parse = (chunks) => {
				const out = [];
				const parser = new SSEParser((name, data) => out.push([name, data]));
				for (const c of chunks) parser.push(c);
				parser.end();
				return out;
			};
			const ways = [[input], [...input]];
			for (let i = 1; i < input.length; i++) ways.push([input.slice(0, i), input.slice(i)]);
			return ways.map(parse);
		})()`)
		for i, g := range got {
			if !slices.Equal(g, tt.want) {
				t.Errorf("%s, cut #%d: events = %q, want %q", tt.name, i, g, tt.want)
				break
			}
		}
	}
	p.checkProblems()
}

// runChatScenario drives the page at baseURL the way a citizen does, once on a
// 360×740 phone and once on a 1280×800 desktop.
// observeStreaming asks the scenario to catch the answer mid-stream: a
// fake server streams slowly enough; the real extractive answer arrives in
// about a millisecond and is checked only once done.
func runChatScenario(t *testing.T, baseURL string, observeStreaming bool) {
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			p := openPage(t, baseURL, vp)
			p.waitFor("the welcome screen", `!document.getElementById("welcome").hidden && document.querySelectorAll(".example").length === 4`)
			p.checkLayout("welcome")
			p.screenshot("1-welcome")

			// Shift+Enter breaks the line and sends nothing.
			p.do("type two lines", chromedp.Click(chromedp.ID("q")), chromedp.SendKeys(chromedp.ID("q"), "第一行"),
				chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierShift)), chromedp.SendKeys(chromedp.ID("q"), "第二行"))
			if got := evalJS[string](p, `document.getElementById("q").value`); got != "第一行\n第二行" {
				t.Errorf("after Shift+Enter the text box holds %q, want two lines", got)
			}
			if n := evalJS[int](p, `window.__asks.length`); n != 0 {
				t.Errorf("Shift+Enter sent %d questions, want 0", n)
			}
			p.clearInput()

			// The first question streams in: the send button is off and 停止 is
			// shown while the text grows.
			p.ask(qRate)
			if observeStreaming {
				p.waitFor("the answer to start streaming", `(() => {
				const a = lastAnswer();
				return a && a.classList.contains("streaming") && a.querySelector(".answer").textContent.length > 0 &&
					document.getElementById("send").disabled && !document.getElementById("stop").hidden;
			})()`)
			}
			p.waitAnswered()
			if got := p.lastAnswerText(); !strings.Contains(got, "97.01") {
				t.Errorf("answer to %q = %q, want it to contain 97.01", qRate, got)
			}
			p.waitFor("the controls to come back", `!document.getElementById("send").disabled && document.getElementById("stop").hidden`)
			if n := evalJS[int](p, `lastAnswer().querySelectorAll(".answer .cite").length`); n == 0 {
				t.Errorf("the answer has no citation buttons")
			}
			if n := evalJS[int](p, `lastAnswer().querySelectorAll(".sources .source-item").length`); n == 0 {
				t.Errorf("the answer has no sources list")
			}
			if got := p.sentHistory(0); len(got) != 0 {
				t.Errorf("the first question went with history %v, want none", got)
			}
			p.checkLayout("answer")
			p.screenshot("2-answer")

			// Citation [1] opens the source panel with the title of source 1;
			// focus moves into it, Esc closes it and gives the focus back.
			wantTitle := evalJS[string](p, `lastAnswer().querySelector('.source-item[data-n="1"] .source-name').textContent`)
			p.do("click citation [1]", chromedp.Click(chromedp.CSS(`.msg-assistant:last-child .answer .cite[data-n="1"]`)))
			p.waitFor("the source panel", `document.getElementById("source").open && document.getElementById("source").contains(document.activeElement)`)
			if got := evalJS[string](p, `document.getElementById("source-title").textContent`); got != wantTitle || got == "" {
				t.Errorf("source panel title = %q, want %q", got, wantTitle)
			}
			if got := evalJS[string](p, `document.getElementById("source-text").textContent`); got == "" {
				t.Errorf("source panel shows no passage")
			}
			p.screenshot("3-source")
			p.do("press Esc", chromedp.KeyEvent(kb.Escape))
			p.waitFor("the panel to close and focus to return", `!document.getElementById("source").open &&
				document.activeElement.matches('.cite[data-n="1"]')`)

			// A follow-up goes with the first turn as history.
			p.ask(qFollowUp)
			p.waitAnswered()
			hist := p.sentHistory(1)
			if len(hist) != 2 || hist[0].Role != "user" || hist[0].Content != qRate || hist[1].Role != "assistant" || !strings.Contains(hist[1].Content, "97.01") {
				t.Errorf("the follow-up went with history %+v, want the first question and its answer", hist)
			}

			// A question the documents cannot answer looks different.
			p.ask(qShanghai)
			p.waitAnswered()
			if !evalJS[bool](p, `lastAnswer().classList.contains("not-found")`) {
				t.Errorf("answer to %q is not styled as not found", qShanghai)
			}
			if got := evalJS[string](p, `lastAnswer().querySelector(".nf-label")?.textContent ?? ""`); got != "资料中没有找到" {
				t.Errorf("not-found label = %q, want 资料中没有找到", got)
			}
			if got := evalJS[string](p, `getComputedStyle(lastAnswer()).borderTopStyle`); got != "dashed" {
				t.Errorf("not-found answer border = %q, want dashed", got)
			}
			if got := len(p.sentHistory(2)); got != 4 {
				t.Errorf("the third question went with %d history messages, want 4", got)
			}
			p.checkLayout("conversation")
			p.scrollToBottom()
			p.screenshot("4-not-found")

			// 新对话 clears the page and the history.
			p.do("click 新对话", chromedp.Click(chromedp.ID("new-chat")))
			p.waitFor("an empty conversation", `document.getElementById("log").children.length === 0 &&
				!document.getElementById("welcome").hidden && document.getElementById("new-chat").hidden`)

			// An example question is asked with one tap, with no history.
			p.do("tap the first example", chromedp.Click(chromedp.CSS(".example")))
			p.waitAnswered()
			if got := p.lastAnswerText(); !strings.Contains(got, "97.01") {
				t.Errorf("answer to the example %q = %q, want 97.01", qExample, got)
			}
			if got := p.sentHistory(3); len(got) != 0 {
				t.Errorf("the first question after 新对话 went with history %v, want none", got)
			}
			if got := evalJS[string](p, `window.__asks[3].question`); got != qExample {
				t.Errorf("the example sent the question %q, want %q", got, qExample)
			}
			p.checkProblems()
		})
	}
}

// runFaultScenario needs a server that answers the fake's trigger words:
// 限流 (429 once, Retry-After 2), 服务故障 (500), 断网 (connection closed),
// 中断 (an error event mid-stream), 长回答 (2,000 deltas at once) and 慢 (an
// answer that never ends).
func runFaultScenario(t *testing.T, baseURL string) {
	p := openPage(t, baseURL, phone)
	p.waitFor("the page", `document.querySelectorAll(".example").length === 4`)

	// 429: a kind message with the wait, 重试 counts down, then works.
	p.ask("限流测试:" + qRate)
	p.waitFor("the rate-limit message", `(() => {
		const box = lastAnswer().querySelector(".error-box");
		return box && /请 \d 秒后再试/.test(box.textContent) && box.querySelector(".btn-retry").disabled;
	})()`)
	p.screenshot("5-rate-limited")
	p.waitFor("重试 to be enabled after the wait", `!lastAnswer().querySelector(".btn-retry").disabled`)
	p.do("click 重试", chromedp.Click(chromedp.CSS(".msg-assistant:last-child .btn-retry")))
	p.waitAnswered()
	if got := p.lastAnswerText(); !strings.Contains(got, "97.01") {
		t.Errorf("answer after 重试 = %q, want 97.01", got)
	}
	if n := evalJS[int](p, `document.querySelectorAll(".error-box").length`); n != 0 {
		t.Errorf("%d error boxes remain after a successful retry", n)
	}

	// Document text is shown as text: the markup in source 2 stays inert.
	p.do("open source 2", chromedp.Click(chromedp.CSS(`.msg-assistant:last-child .source-item[data-n="2"]`)))
	p.waitFor("the source panel", `document.getElementById("source").open`)
	if got := evalJS[string](p, `document.getElementById("source-text").textContent`); !strings.Contains(got, "<img src=x") {
		t.Errorf("source text = %q, want the markup shown literally", got)
	}
	if evalJS[bool](p, `document.querySelector("#source-text img, #log img") !== null || window.__xss === 1`) {
		t.Errorf("document text was parsed as HTML")
	}
	p.do("close the panel", chromedp.Click(chromedp.ID("source-close")))
	p.waitFor("the panel to close", `!document.getElementById("source").open && document.activeElement.matches('.source-item[data-n="2"]')`)

	// 5xx and a dropped connection: a kind message and 重试.
	for _, tt := range []struct{ question, want string }{
		{"服务故障测试", "服务暂时出了点问题"},
		{"断网测试", "网络连接失败"},
		{"中断测试", "回答服务中断了"},
	} {
		p.ask(tt.question)
		p.waitFor("the error of "+tt.question, fmt.Sprintf(`(() => {
			const box = lastAnswer().querySelector(".error-box");
			return box && box.textContent.includes(%q) && box.querySelector(".btn-retry") !== null &&
				!document.getElementById("send").disabled;
		})()`, tt.want))
	}
	// The part streamed before the error stays on the page.
	if got := p.lastAnswerText(); !strings.Contains(got, "南昌市") {
		t.Errorf("partial answer before the error = %q, want it kept", got)
	}
	// A newer question takes 重试 away from the older failures.
	if n := evalJS[int](p, `document.querySelectorAll(".btn-retry").length`); n != 1 {
		t.Errorf("%d 重试 buttons on the page, want 1 (the last failure only)", n)
	}
	p.screenshot("6-errors")

	// A long answer of many small deltas: text grows in place, so the
	// answer stays a few nodes (text, citation, text, ...), not thousands.
	p.ask("长回答测试")
	p.waitAnswered()
	if got, want := evalJS[int](p, `lastAnswer().querySelector(".answer").textContent.length`), longAnswerLen(); got != want {
		t.Errorf("long answer has %d characters on the page, want %d", got, want)
	}
	if got := evalJS[int](p, `lastAnswer().querySelectorAll(".answer .cite").length`); got != longCites {
		t.Errorf("long answer has %d citation buttons, want %d", got, longCites)
	}
	if got := evalJS[int](p, `lastAnswer().querySelector(".answer").childNodes.length`); got > 2*longCites+1 {
		t.Errorf("long answer is %d DOM nodes, want at most %d", got, 2*longCites+1)
	}

	// 停止 aborts a long answer and keeps what came.
	p.ask("慢一点回答")
	p.waitFor("the slow answer to stream", `lastAnswer().querySelector(".answer").textContent.length > 10`)
	p.do("click 停止", chromedp.Click(chromedp.ID("stop")))
	p.waitFor("the answer to stop", `(() => {
		const a = lastAnswer();
		return a.classList.contains("stopped") && !a.classList.contains("streaming") &&
			a.textContent.includes("已停止") && !document.getElementById("send").disabled && document.getElementById("stop").hidden;
	})()`)
	p.checkLayout("errors")

	// The dark palette, for the eye: the same page with prefers-color-scheme: dark.
	p.do("switch to dark mode", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
		})
		return err
	}))
	p.do("open source 1", chromedp.Click(chromedp.CSS(`.msg-assistant .source-item[data-n="1"]`)))
	p.waitFor("the source panel", `document.getElementById("source").open`)
	p.screenshot("7-dark")
	p.checkProblems()
}

// ---------- the browser ----------

type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	phone   = viewport{"phone-360x740", 360, 740, true}
	desktop = viewport{"desktop-1280x800", 1280, 800, false}
)

// chromiumPath finds Debian's chromium. Without it the browser tests skip on a
// developer's machine but fail in CI, which must always run them.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	const why = "chromium not found (neither /usr/bin/chromium nor chromium on PATH); install it with: apt-get install -y chromium"
	if os.Getenv("CI") != "" {
		t.Fatal(why + " — CI must run the browser tests")
	}
	t.Skip(why)
	return ""
}

var (
	shotsOnce sync.Once
	shotsDir  string
	shotsErr  error
)

// screenshotDir is one temporary directory for all screenshots of the run.
func screenshotDir(t *testing.T) string {
	shotsOnce.Do(func() {
		shotsDir, shotsErr = os.MkdirTemp("", "wenda-web-screenshots-")
	})
	if shotsErr != nil {
		t.Fatalf("screenshot dir: %v", shotsErr)
	}
	return shotsDir
}

// tab is one browser tab on the chat page.
type tab struct {
	t      *testing.T
	ctx    context.Context // the tab; it lives as long as the test
	origin string
	vp     viewport

	mu       sync.Mutex
	problems []string // script errors, console errors, requests to other origins
}

// The spy records the body of every question the page sends, so that the
// scenarios can check the history against any server; lastAnswer() keeps the
// conditions below short.
const fetchSpy = `(() => {
	window.__asks = [];
	const fetch = window.fetch;
	window.fetch = function (input, init) {
		try {
			if (String(input).includes("/api/v1/ask") && init && typeof init.body === "string") window.__asks.push(JSON.parse(init.body));
		} catch (e) {}
		return fetch.apply(this, arguments);
	};
	window.lastAnswer = () => { const all = document.querySelectorAll(".msg-assistant"); return all[all.length - 1] || null; };
})();`

func openPage(t *testing.T, baseURL string, vp viewport) *tab {
	t.Helper()
	exe := chromiumPath(t)
	profile, err := os.MkdirTemp("", "wenda-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile), // fresh profile each time
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(int(vp.width), int(vp.height)),
		// The machine has no network: keep Chromium from calling Google.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("lang", "zh-CN"),
	)
	// The whole tab, browser start included, gets a bound; each step below
	// gets its own, shorter one.
	root, cancelRoot := context.WithTimeout(context.Background(), 3*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	p := &tab{t: t, origin: strings.TrimSuffix(baseURL, "/"), vp: vp}
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithListener(p.listen))
	p.ctx = ctx
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelRoot()
		_ = os.RemoveAll(profile)
	})

	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start chromium: %v", err)
		}
	case <-time.After(45 * time.Second):
		cancelRoot()
		t.Fatal("start chromium: no answer in 45s")
	}

	emulate := chromedp.EmulateViewport(vp.width, vp.height)
	if vp.mobile {
		emulate = chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	addSpy := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fetchSpy})
		return err
	})
	p.do("open the page", emulate, addSpy, chromedp.Navigate(p.origin+"/"))
	return p
}

// listen runs in the tab's event loop: it must return fast.
func (p *tab) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		problem = "uncaught exception: " + d.Text
		if d.Exception != nil {
			problem += " " + d.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			problem = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
		}
	case *log.EventEntryAdded:
		e := ev.Entry
		// A failed question (429, 500, a closed connection) is what the fault
		// scenario asks for; the browser logs it, and that is fine.
		expected := e.Source == log.EntrySourceNetwork && strings.HasPrefix(e.URL, p.origin+"/api/v1/ask")
		if e.Level == log.EntryLevelError && !expected {
			problem = fmt.Sprintf("browser log (%s): %s %s", e.Source, e.Text, e.URL)
		}
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		if !strings.HasPrefix(u, p.origin+"/") && !strings.HasPrefix(u, "data:") && u != "about:blank" {
			problem = "request to another origin: " + u
		}
	}
	if problem != "" {
		p.mu.Lock()
		p.problems = append(p.problems, problem)
		p.mu.Unlock()
	}
}

// checkProblems fails the test for every script error, console error and
// foreign request seen so far.
func (p *tab) checkProblems() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pr := range p.problems {
		p.t.Errorf("%s: %s", p.vp.name, pr)
	}
}

func (p *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("%s: %s: %v", p.vp.name, what, err)
	}
}

func evalJS[T any](p *tab, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("%s: evaluate %s: %v", p.vp.name, expr, err)
	}
	return v
}

// evalAsync evaluates an expression that returns a promise.
func evalAsync[T any](p *tab, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: evaluate: %v", p.vp.name, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds, for at most 15 s.
func (p *tab) waitFor(what, cond string) {
	p.t.Helper()
	const limit = 15 * time.Second
	ctx, cancel := context.WithTimeout(p.ctx, limit+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond,
		chromedp.WithPollingInterval(25*time.Millisecond), chromedp.WithPollingTimeout(limit)))
	if err != nil {
		log := evalJS[string](p, `document.getElementById("log").innerText`)
		p.t.Fatalf("%s: wait for %s: %v\nconversation on the page:\n%s", p.vp.name, what, err, log)
	}
}

// ask types the question and presses Enter.
func (p *tab) ask(question string) {
	p.t.Helper()
	p.waitFor("the send button", `!document.getElementById("send").disabled`)
	p.clearInput()
	p.do("ask "+question,
		chromedp.Click(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), question),
		pressEnter)
	p.waitFor("the question on the page", fmt.Sprintf(`(() => {
		const q = document.querySelectorAll(".msg-user");
		return q.length > 0 && q[q.length - 1].textContent.endsWith(%q) && document.getElementById("q").value === "";
	})()`, question))
}

// pressEnter sends the Enter key without the separate "char" event that
// KeyEvent adds: the protocol types that char even when the page cancelled
// the keydown, which a real keyboard never does.
var pressEnter = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
		})
		if err != nil {
			return err
		}
	}
	return nil
})

// clearInput empties the text box as a user would, with an input event.
func (p *tab) clearInput() {
	p.t.Helper()
	evalJS[chromedp.Void](p, `(() => { const q = document.getElementById("q"); q.value = ""; q.dispatchEvent(new Event("input")); })()`)
}

// waitAnswered waits for the last answer to finish streaming.
func (p *tab) waitAnswered() {
	p.t.Helper()
	p.waitFor("the answer", `(() => {
		const a = lastAnswer();
		return a && !a.classList.contains("streaming") && !a.hasAttribute("aria-busy") &&
			a.querySelector(".answer").textContent.length > 0 && !document.getElementById("send").disabled;
	})()`)
	if box := evalJS[string](p, `lastAnswer().querySelector(".error-box")?.textContent ?? ""`); box != "" {
		p.t.Fatalf("%s: the answer failed: %s", p.vp.name, box)
	}
}

func (p *tab) lastAnswerText() string {
	p.t.Helper()
	return evalJS[string](p, `lastAnswer().querySelector(".answer").textContent`)
}

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// sentHistory is the history the page sent with its i-th question.
func (p *tab) sentHistory(i int) []message {
	p.t.Helper()
	raw := evalJS[string](p, fmt.Sprintf(`JSON.stringify(window.__asks[%d] ?? null)`, i))
	var req struct {
		Question string    `json:"question"`
		History  []message `json:"history"`
		Stream   bool      `json:"stream"`
	}
	if err := json.Unmarshal([]byte(raw), &req); err != nil || raw == "null" {
		p.t.Fatalf("%s: question %d was not sent (%s)", p.vp.name, i, raw)
	}
	if !req.Stream {
		p.t.Errorf("%s: question %d was sent without stream:true", p.vp.name, i)
	}
	return req.History
}

func (p *tab) scrollToBottom() {
	p.t.Helper()
	evalJS[chromedp.Void](p, `(() => { const s = document.getElementById("main"); s.scrollTop = s.scrollHeight; })()`)
	p.do("let the page settle", chromedp.Sleep(150*time.Millisecond))
}

// checkLayout checks the promises of a mobile-first page: no sideways
// scrolling, and every control at least 44×44 px (citations inside the text
// are the exception WCAG allows for inline targets; their touch area is
// padded with CSS).
func (p *tab) checkLayout(when string) {
	p.t.Helper()
	if w := evalJS[int](p, `Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth,
		document.getElementById("main").scrollWidth - document.getElementById("main").clientWidth)`); w > 0 {
		p.t.Errorf("%s, %s: the page scrolls sideways by %d px", p.vp.name, when, w)
	}
	small := evalJS[[]string](p, `[...document.querySelectorAll("button, textarea, a[href]")].filter(el => {
		if (el.matches(".cite, .skip-link")) return false;
		const r = el.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && (r.width < 44 || r.height < 44);
	}).map(el => el.outerHTML.slice(0, 80) + " " + Math.round(el.getBoundingClientRect().width) + "×" + Math.round(el.getBoundingClientRect().height))`)
	for _, s := range small {
		p.t.Errorf("%s, %s: tap target smaller than 44 px: %s", p.vp.name, when, s)
	}
}

func (p *tab) screenshot(name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("%s: screenshot %s: %v", p.vp.name, name, err)
	}
	path := filepath.Join(screenshotDir(p.t), p.vp.name+"-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
}

// ---------- the fake API ----------

func newFakeServer(t *testing.T, fake *fakeAsk) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("POST /api/v1/ask", fake)
	mux.Handle("/", web.Handler())
	srv := httptest.NewServer(mux) // loopback only
	t.Cleanup(srv.Close)
	return srv
}

// fakeAsk stands in for POST /api/v1/ask. It streams the way the real one
// does, and its chunks are deliberately awkward: events split across writes,
// a character split between two chunks, CRLF, CR and LF line ends, multi-line
// data and comment lines.
type fakeAsk struct {
	mu      sync.Mutex
	asked   []askRequest
	limited bool // the 限流 question has had its one 429
}

type askRequest struct {
	Question string    `json:"question"`
	History  []message `json:"history"`
	Stream   bool      `json:"stream"`
}

type source struct {
	N         int     `json:"n"`
	DocID     string  `json:"doc_id"`
	Title     string  `json:"title"`
	City      string  `json:"city"`
	Published string  `json:"published"`
	URL       string  `json:"url,omitempty"`
	Section   string  `json:"section"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
}

type answer struct {
	Answer   string   `json:"answer"`
	Answered bool     `json:"answered"`
	Mode     string   `json:"mode"`
	Question string   `json:"question"`
	Sources  []source `json:"sources"`
	Figures  []figure `json:"figures,omitempty"`
}

// figure is one of an answer's figures (DESIGN §4).
type figure struct {
	Value   string `json:"value"`
	Unit    string `json:"unit"`
	Measure string `json:"measure"`
	Place   string `json:"place"`
	Period  string `json:"period"`
	Kind    string `json:"kind"`
	N       int    `json:"n"`
}

// nanchangFigures are the 巩固率 answer's: two results and a target.
var nanchangFigures = []figure{
	{"96", "%", "义务教育巩固率", "南昌市", "2015", "achieved", 1},
	{"97.01", "%", "义务教育巩固率", "南昌市", "2020", "achieved", 1},
	{"97.68", "%", "义务教育巩固率", "南昌市", "2025", "target", 2},
}

var nanchangSources = []source{
	{
		N: 1, DocID: "nc-edu-14th", Title: "南昌市“十四五”教育事业发展规划", City: "南昌市", Published: "2021-12-30",
		URL:     "https://www.nc.gov.cn/ncszf/jyfz/plan.html",
		Section: "表2 南昌市“十四五”时期教育事业发展主要目标",
		Text:    "表2 南昌市“十四五”时期教育事业发展主要目标 · 九年义务教育 · 巩固率:2020年97.01%,2025年97.68%",
		Score:   0.83,
	},
	{
		N: 2, DocID: "nc-edu-balance", Title: "南昌市推进义务教育优质均衡发展实施方案", City: "南昌市", Published: "2022-03-15",
		URL:     "javascript:window.__xss=2", // never a link
		Section: "一、总体目标",
		// The markup proves that the page shows document text as text.
		Text:  "到2025年,全市九年义务教育巩固率达到97.68%。<img src=x onerror=\"window.__xss=1\"><b>原文如此</b>",
		Score: 0.61,
	},
}

func (f *fakeAsk) historyLengths(question string) []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	lengths := []int{}
	for _, r := range f.asked {
		if r.Question == question {
			lengths = append(lengths, len(r.History))
		}
	}
	return lengths
}

func (f *fakeAsk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req askRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || strings.TrimSpace(req.Question) == "" {
		writeAPIError(w, http.StatusBadRequest, "invalid_request", "问题不能为空")
		return
	}
	f.mu.Lock()
	f.asked = append(f.asked, req)
	firstLimit := strings.Contains(req.Question, "限流") && !f.limited
	if firstLimit {
		f.limited = true
	}
	f.mu.Unlock()

	q, n := req.Question, len(req.History)
	echo := fmt.Sprintf("(本次请求附带历史消息 %d 条)", n)
	switch {
	case firstLimit:
		w.Header().Set("Retry-After", "2")
		writeAPIError(w, http.StatusTooManyRequests, "rate_limited", "请求太频繁,请稍后再试")
	case strings.Contains(q, "服务故障"):
		writeAPIError(w, http.StatusInternalServerError, "internal", "服务器内部错误")
	case strings.Contains(q, "断网"):
		hijackAndClose(w)
	case strings.Contains(q, "上海"):
		stream(w, r, "\n", nil, []string{"抱歉,现有资料中没有找到上海市义务教育巩固率的相关数据。"}, answer{
			Answer: "抱歉,现有资料中没有找到上海市义务教育巩固率的相关数据。", Answered: false, Mode: "extractive",
			Question: q, Sources: []source{},
		}, nil)
	case strings.Contains(q, "中断"):
		stream(w, r, "\n", nanchangSources, pieces("2020年南昌市义务教育巩固率为"), answer{},
			map[string]any{"error": map[string]string{"code": "upstream_error", "message": "回答服务中断了,请重试。"}})
	case strings.Contains(q, "长回答"):
		text := longAnswer()
		s := newSSE(w, "\n")
		s.split = false
		s.event("sources", nanchangSources, true)
		for _, d := range longDeltas() {
			s.event("delta", map[string]string{"text": d}, false)
		}
		s.event("done", answer{Answer: text, Answered: true, Mode: "llm", Question: q, Sources: nanchangSources}, true)
	case strings.Contains(q, "慢"):
		slow(w, r)
	case strings.Contains(q, "目标"):
		text := "按照“十四五”规划,南昌市到2025年九年义务教育巩固率的目标是97.68% [1][2]。" + echo
		stream(w, r, "\r", nanchangSources, pieces(text), answer{
			Answer: text, Answered: true, Mode: "extractive", Question: "南昌市2025年义务教育巩固率目标是多少", Sources: nanchangSources,
		}, nil)
	case strings.Contains(q, "巩固率"):
		text := "2020年南昌市义务教育巩固率为97.01%;“十四五”规划目标是2025年达到97.68% [1][2]。" + echo
		stream(w, r, "\r\n", nanchangSources, pieces(text), answer{
			Answer: text, Answered: true, Mode: "extractive", Question: "南昌市义务教育巩固率是多少", Sources: nanchangSources, Figures: nanchangFigures,
		}, nil)
	default:
		text := "这是测试服务器的回答。" + echo
		stream(w, r, "\n", nil, pieces(text), answer{Answer: text, Answered: true, Mode: "extractive", Question: q, Sources: []source{}}, nil)
	}
}

func writeAPIError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": message}})
}

func hijackAndClose(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	_ = conn.Close()
}

// pieces cuts a text into deltas of three characters, so that a citation
// such as [1] is split between deltas too.
func pieces(text string) []string {
	var out []string
	runes := []rune(text)
	for i := 0; i < len(runes); i += 3 {
		out = append(out, string(runes[i:min(i+3, len(runes))]))
	}
	return out
}

// The long answer: 2,000 deltas, with a citation after every 250th.
const longCites = 8

func longDeltas() []string {
	var out []string
	for i := range 2000 {
		d := fmt.Sprintf("第%04d句内容。", i+1)
		if (i+1)%250 == 0 {
			d += "[1]"
		}
		out = append(out, d)
	}
	return out
}

func longAnswer() string { return strings.Join(longDeltas(), "") }

// longAnswerLen is the length in UTF-16 units, as textContent.length counts:
// every character of the answer is in the BMP, and each [1] becomes a button
// whose text is "[1]" too.
func longAnswerLen() int { return utf8.RuneCountInString(longAnswer()) }

// sseWriter writes events with the given line end, each in two writes cut
// inside the first multi-byte character, so the page sees split characters
// and split events.
type sseWriter struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	eol   string
	split bool // write each event in two pieces
}

func newSSE(w http.ResponseWriter, eol string) *sseWriter {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	s := &sseWriter{w: w, rc: http.NewResponseController(w), eol: eol, split: true}
	s.write(": wenda fake stream" + eol + eol)
	return s
}

func (s *sseWriter) write(chunk string) {
	_, _ = s.w.Write([]byte(chunk))
	_ = s.rc.Flush()
}

func (s *sseWriter) event(name string, v any, indent bool) {
	var data []byte
	if indent {
		data, _ = json.MarshalIndent(v, "", "  ") // several data: lines
	} else {
		data, _ = json.Marshal(v)
	}
	var b strings.Builder
	b.WriteString("event: " + name + s.eol)
	for line := range strings.SplitSeq(string(data), "\n") {
		b.WriteString("data:" + line + s.eol) // no space after the colon is valid too
	}
	b.WriteString(s.eol)
	msg := b.String()
	if !s.split {
		s.write(msg)
		return
	}
	cut := len(msg) / 2
	if i := strings.IndexFunc(msg, func(r rune) bool { return r >= utf8.RuneSelf }); i >= 0 {
		cut = i + 1 // inside the first multi-byte character
	}
	s.write(msg[:cut])
	time.Sleep(3 * time.Millisecond)
	s.write(msg[cut:])
}

func stream(w http.ResponseWriter, r *http.Request, eol string, sources []source, deltas []string, done answer, fail any) {
	s := newSSE(w, eol)
	if sources == nil {
		sources = []source{}
	}
	s.event("sources", sources, true)
	for _, d := range deltas {
		if sleep(r.Context(), 30*time.Millisecond) != nil {
			return
		}
		s.event("delta", map[string]string{"text": d}, false)
	}
	if fail != nil {
		s.event("error", fail, false)
		return
	}
	s.event("done", done, true)
}

// slow streams until the client goes away or a minute has passed.
func slow(w http.ResponseWriter, r *http.Request) {
	s := newSSE(w, "\n")
	s.event("sources", nanchangSources, true)
	for i := range 400 {
		if sleep(r.Context(), 150*time.Millisecond) != nil {
			return
		}
		s.event("delta", map[string]string{"text": "这是一段很长的回答,第" + strconv.Itoa(i+1) + "句。"}, false)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
