package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wenda/rag/ingest/ingesttest"
)

// browser is a headless Chromium tab of Debian's chromium.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func openBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	exe, err := ingesttest.Chromium()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.UserDataDir(t.TempDir()), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(width, height), chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-proxy-server", true),
	)
	root, cancelRoot := context.WithTimeout(context.Background(), 3*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc(); cancelRoot() })
	// The first action starts the browser, which lives as long as the
	// context of that action: the tab's, not a step's.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx}
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func browserEval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *browser) waitFor(what, cond string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		b.t.Fatalf("wait for %s: %v; page: %s", what, err, browserEval[string](b, `document.body.innerText`))
	}
}

func (b *browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	dir := os.Getenv("WENDA_SCREENSHOTS")
	if dir == "" {
		dir = b.t.TempDir()
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

// TestAdminPageInBrowser signs in to /admin, uploads an HTML page, a DOCX and
// a PDF, each with a table, then an encrypted and an image-only PDF: the
// three are answered (a figure of each table) at once and after a restart;
// the two PDFs get an error that names the problem and change nothing. The
// unanswered question asked in between is listed.
func TestAdminPageInBrowser(t *testing.T) {
	b := openBrowser(t, 1280, 900)
	dir := t.TempDir()
	env := map[string]string{"WENDA_DATA_DIR": dir, "WENDA_ADMIN_TOKEN": "tok", "WENDA_UNANSWERED_LOG": "on"}
	base := startServe(t, env)

	type file struct {
		name, city, short, value string
		body                     []byte
	}
	plan := func(city string) string { return city + "教育事业发展“十四五”规划" }
	pdf, err := ingesttest.PrintPDF(t.Context(), ingesttest.HTMLPage(plan("萍乡市"), "萍乡市坚持教育优先发展。", ingesttest.Plan("萍乡市", "95.4")))
	if err != nil {
		t.Fatal(err)
	}
	files := []file{
		{"ganzhou.html", "赣州市", "赣州", "95.1", ingesttest.HTMLPage(plan("赣州市"), "赣州市坚持教育优先发展。", ingesttest.Plan("赣州市", "95.1"))},
		{"shangrao.docx", "上饶市", "上饶", "95.2", ingesttest.DOCX(plan("上饶市"), "上饶市坚持教育优先发展。", ingesttest.Plan("上饶市", "95.2"))},
		{"pingxiang.pdf", "萍乡市", "萍乡", "95.4", pdf},
	}
	write := func(name string, body []byte) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	b.do("open the admin page", chromedp.Navigate(base+"/admin"))
	b.do("sign in", chromedp.SendKeys(chromedp.ID("token"), "tok"), chromedp.Click(chromedp.CSS(`#login-form button`)))
	b.waitFor("the panels", `!document.getElementById("panels").hidden && document.querySelectorAll("#docs tbody tr").length === 5`)

	upload := func(path, city, published, url string) (status string, isError bool) {
		t.Helper()
		b.do("choose the file", chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{path}))
		for name, v := range map[string]string{"city": city, "province": "江西省", "published": published, "url": url} {
			browserEval[chromedp.Void](b, fmt.Sprintf(`document.querySelector("input[name=%s]").value = %q`, name, v))
		}
		browserEval[chromedp.Void](b, `document.getElementById("upload-status").textContent = ""`)
		b.do("upload", chromedp.Click(chromedp.ID("upload-btn")))
		b.waitFor("the upload's outcome", `(() => { const s = document.getElementById("upload-status").textContent;
			return s !== "" && !s.startsWith("正在"); })()`)
		return browserEval[string](b, `document.getElementById("upload-status").textContent`),
			browserEval[bool](b, `document.getElementById("upload-status").classList.contains("error")`)
	}
	for _, f := range files {
		url := "https://jyj.example.gov.cn/" + f.name
		status, isErr := upload(write(f.name, f.body), f.city, "2022-03-15", url)
		if isErr || !strings.HasPrefix(status, "已添加“"+plan(f.city)+"”") {
			t.Fatalf("upload %s: %q", f.name, status)
		}
	}
	b.waitFor("the list with the uploads", `document.querySelectorAll("#docs tbody tr").length === 8`)
	row := browserEval[[]string](b, `[...document.querySelector('#docs tbody tr:last-child').cells].map(c => c.textContent)`)
	if len(row) < 6 || row[1] != "萍乡市" || row[2] != "2022年3月15日" || row[3] == "0" || row[4] == "0" || row[5] != "上传" {
		t.Errorf("the PDF's row = %q, want city, full date, chunk and figure counts", row)
	}

	for _, bad := range []struct{ name, want string }{
		{"locked.pdf", "已加密"},
		{"scan.pdf", "没有可提取的文字"},
		{"photo.png", "只支持 PDF、DOCX、HTML、Markdown 和纯文本"},
	} {
		body := map[string][]byte{"locked.pdf": ingesttest.EncryptedPDF(), "scan.pdf": ingesttest.ImagePDF(),
			"photo.png": []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}[bad.name]
		status, isErr := upload(write(bad.name, body), "赣州市", "2022", "")
		if !isErr || !strings.Contains(status, bad.want) {
			t.Errorf("upload %s: %q (error %v), want an error with %q", bad.name, status, isErr, bad.want)
		}
	}
	b.screenshot("admin-desktop-1280x900-upload-error")
	if n := browserEval[int](b, `document.querySelectorAll("#docs tbody tr").length`); n != 8 {
		t.Errorf("after the refused uploads the list has %d rows, want 8", n)
	}

	ask := func(base string) {
		t.Helper()
		for _, f := range files {
			_, a := postAsk(t, base, fmt.Sprintf(`{"question":"%s义务教育巩固率2025年目标是多少"}`, f.short))
			if !a.Answered || !strings.Contains(a.Answer, f.value) {
				t.Errorf("%s: %q, want %s", f.name, a.Answer, f.value)
			}
		}
	}
	ask(base)
	// A refusal is listed on the page, normalised, with its count.
	postAsk(t, base, `{"question":"赣州市生均公用经费是多少？"}`)
	postAsk(t, base, `{"question":"赣州市生均公用经费是多少"}`)
	b.do("reload", chromedp.Navigate(base+"/admin"))
	b.waitFor("the unanswered questions", `document.querySelectorAll("#unanswered li").length > 0 && !document.getElementById("panels").hidden`)
	if got := browserEval[string](b, `document.getElementById("unanswered").innerText`); !strings.Contains(got, "赣州市生均公用经费是多少") || !strings.Contains(got, "2 次") {
		t.Errorf("unanswered questions = %q, want the question once with 2 次", got)
	}
	b.screenshot("admin-desktop-1280x900")
	b.do("phone size", chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2)))
	if w := browserEval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
		t.Errorf("on a phone the admin page scrolls sideways by %d px", w)
	}
	b.screenshot("admin-phone-360x740")

	ask(startServe(t, map[string]string{"WENDA_DATA_DIR": dir, "WENDA_ADMIN_TOKEN": "tok"}))
}
