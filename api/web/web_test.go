package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"wenda/api/web"
)

func serve(t *testing.T, method, target string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, target, nil)
	for k, vs := range header {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	web.Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHandlerServesFiles(t *testing.T) {
	tests := []struct {
		path     string
		wantType string
		wantBody []string
	}{
		{"/", "text/html; charset=utf-8", []string{
			`<html lang="zh-CN">`,
			`<meta name="viewport"`,
			"<title>教育政策问答</title>",
			`href="/static/app.css"`,
			`src="/static/app.js"`,
			`role="log"`,
			"南昌义务教育巩固率是多少？",
			"南昌市學前三年毛入園率是多少？",
			"九江“十四五”期间新增学位多少个？",
			"巴中到2027年义务教育巩固率目标是多少？",
			"回答只来自已公开发布的文件",
			"新对话",
			"停止",
		}},
		{"/index.html", "text/html; charset=utf-8", []string{"<title>教育政策问答</title>"}},
		{"/static/app.css", "text/css; charset=utf-8", []string{".msg-assistant.not-found", ":focus-visible"}},
		{"/static/app.js", "text/javascript; charset=utf-8", []string{"/api/v1/ask", "AbortController", "资料中没有找到"}},
		{"/static/icon.svg", "image/svg+xml", []string{"<svg"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := serve(t, http.MethodGet, tt.path, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status = %d, want 200", tt.path, res.StatusCode)
			}
			if got := res.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("GET %s: Content-Type = %q, want %q", tt.path, got, tt.wantType)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("GET %s: Cache-Control = %q, want no-cache", tt.path, got)
			}
			if got := res.Header.Get("ETag"); !regexp.MustCompile(`^"[0-9a-f]{24}"$`).MatchString(got) {
				t.Errorf("GET %s: ETag = %q, want a quoted content hash", tt.path, got)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("GET %s: X-Content-Type-Options = %q, want nosniff", tt.path, got)
			}
			b := body(t, res)
			for _, want := range tt.wantBody {
				if !strings.Contains(b, want) {
					t.Errorf("GET %s: body lacks %q", tt.path, want)
				}
			}
		})
	}
}

func TestHandlerPageHeaders(t *testing.T) {
	res := serve(t, http.MethodGet, "/", nil)
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy = %q, want it to contain %q", csp, want)
		}
	}
	if got := res.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q, want no-referrer", got)
	}
}

func TestHandlerRevalidates(t *testing.T) {
	for _, path := range []string{"/", "/static/app.js"} {
		first := serve(t, http.MethodGet, path, nil)
		etag := first.Header.Get("ETag")
		res := serve(t, http.MethodGet, path, http.Header{"If-None-Match": {etag}})
		if res.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match %s: status = %d, want 304", path, etag, res.StatusCode)
		}
		if b := body(t, res); b != "" {
			t.Errorf("GET %s 304: body = %q, want empty", path, b)
		}
		res = serve(t, http.MethodGet, path, http.Header{"If-None-Match": {`"stale"`}})
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s with a stale ETag: status = %d, want 200", path, res.StatusCode)
		}
	}
}

func TestHandlerHead(t *testing.T) {
	res := serve(t, http.MethodHead, "/static/app.css", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("HEAD /static/app.css: status = %d, want 200", res.StatusCode)
	}
	if got := res.Header.Get("Content-Type"); got != "text/css; charset=utf-8" {
		t.Errorf("HEAD /static/app.css: Content-Type = %q", got)
	}
	if b := body(t, res); b != "" {
		t.Errorf("HEAD /static/app.css: body = %q, want empty", b)
	}
}

func TestHandlerErrors(t *testing.T) {
	tests := []struct {
		method, path string
		wantStatus   int
		wantCode     string
	}{
		{http.MethodGet, "/static/nope.js", http.StatusNotFound, `"not_found"`},
		{http.MethodGet, "/static/", http.StatusNotFound, `"not_found"`},
		{http.MethodGet, "/static", http.StatusNotFound, `"not_found"`},
		{http.MethodGet, "/static/../web.go", http.StatusNotFound, `"not_found"`},
		{http.MethodGet, "/app.js", http.StatusNotFound, `"not_found"`},
		{http.MethodPost, "/", http.StatusMethodNotAllowed, `"method_not_allowed"`},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			res := serve(t, tt.method, tt.path, nil)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := res.Header.Get("Content-Type"); got != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q, want JSON", got)
			}
			if b := body(t, res); !strings.Contains(b, `{"error":{"code":`+tt.wantCode) {
				t.Errorf("body = %q, want the API error shape with code %s", b, tt.wantCode)
			}
		})
	}
}

// TestPageLinksResolve checks that every /static/ URL the page and the
// stylesheet name is served, so a renamed file cannot leave a broken link.
func TestPageLinksResolve(t *testing.T) {
	ref := regexp.MustCompile(`/static/[A-Za-z0-9._/-]+`)
	for _, page := range []string{"/", "/static/app.css", "/static/app.js"} {
		for _, link := range ref.FindAllString(body(t, serve(t, http.MethodGet, page, nil)), -1) {
			if res := serve(t, http.MethodGet, link, nil); res.StatusCode != http.StatusOK {
				t.Errorf("%s links %s: status = %d, want 200", page, link, res.StatusCode)
			}
		}
	}
}

// TestNoRemoteOrUnsafeCode guards two promises of the page: it fetches nothing
// but our own origin (no CDN), and it never parses user or document text as
// HTML.
func TestNoRemoteOrUnsafeCode(t *testing.T) {
	remote := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	for _, path := range []string{"/", "/static/app.css", "/static/app.js", "/static/icon.svg"} {
		b := body(t, serve(t, http.MethodGet, path, nil))
		// The SVG namespace is a name, not a fetch.
		b = strings.ReplaceAll(b, "http://www.w3.org/2000/svg", "")
		if m := remote.FindString(b); m != "" {
			t.Errorf("%s refers to a remote origin: %q", path, m)
		}
	}
	js := body(t, serve(t, http.MethodGet, "/static/app.js", nil))
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
		if strings.Contains(js, sink) {
			t.Errorf("app.js uses %s; render text with textContent or text nodes", sink)
		}
	}
}

func TestSiteTitleAndFooter(t *testing.T) {
	h := web.NewHandler(web.Site{Title: "南昌市教育局 · 政策问答", Footer: []string{"主办单位：南昌市教育局", "联系电话：0791-0000000 <script>"}})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", nil))
	b := rec.Body.String()
	for _, want := range []string{
		"<title>南昌市教育局 · 政策问答</title>",
		"<span>南昌市教育局 · 政策问答</span>",
		"<p>主办单位：南昌市教育局</p>",
		"<p>联系电话：0791-0000000 &lt;script&gt;</p>", // text, never markup
		"本页回答只来自所列的公开文件，请以原文为准。",
	} {
		if !strings.Contains(b, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestFullWidthPunctuation checks that the page's own Chinese text uses
// full-width punctuation: no ASCII , ; : ? ! ( ) next to a Han character in
// the HTML or in the script's string literals.
func TestFullWidthPunctuation(t *testing.T) {
	halfWidth := regexp.MustCompile(`\p{Han}[,;:?!()]|[,;:?!()]\p{Han}`)
	literal := regexp.MustCompile("\"[^\"\\n]*\\p{Han}[^\"\\n]*\"|`[^`\\n]*\\p{Han}[^`\\n]*`")
	for _, path := range []string{"/", "/admin", "/static/app.js", "/static/admin.js"} {
		var text string
		rec := httptest.NewRecorder()
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, path, nil)
		if path == "/admin" {
			web.Admin().ServeHTTP(rec, req)
		} else {
			web.Handler().ServeHTTP(rec, req)
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", path, rec.Code)
		}
		if strings.HasSuffix(path, ".js") {
			for _, line := range strings.Split(rec.Body.String(), "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "//") {
					continue // comments are for developers, in English
				}
				text += strings.Join(literal.FindAllString(line, -1), "\n") + "\n"
			}
		} else {
			text = rec.Body.String()
		}
		for _, m := range halfWidth.FindAllString(text, -1) {
			t.Errorf("%s: half-width punctuation in Chinese text: %q", path, m)
		}
	}
}

func TestAdminPage(t *testing.T) {
	for _, path := range []string{"/admin", "/admin/"} {
		rec := httptest.NewRecorder()
		web.Admin().ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, path, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<title>资料管理 · 教育政策问答</title>") {
			t.Errorf("GET %s = %d, want the admin page", path, rec.Code)
		}
		if got := rec.Header().Get("Content-Security-Policy"); got == "" {
			t.Errorf("GET %s: no Content-Security-Policy", path)
		}
	}
}
