// Package ingesttest makes the files ingest's tests read — a DOCX written
// here, a PDF printed by headless Chromium from an HTML page, a PDF that
// needs a password and one with no text — so that no test depends on a
// binary fixture whose making nobody can repeat.
package ingesttest

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Table is a document's table: a caption ("表1:…"), a header row and rows.
type Table struct {
	Caption string
	Rows    [][]string
}

// PlanTable is a table in the seed plan's layout: indicators with a unit and
// one value a year. Its figure 93.5 (义务教育巩固率 in 2025) is in no seed.
var PlanTable = Plan("示范市", "93.5")

// Plan is a city's plan table whose 2025 义务教育巩固率 is v2025.
func Plan(city, v2025 string) Table {
	return Table{
		Caption: "表1:" + city + "“十四五”教育发展主要指标",
		Rows: [][]string{
			{"指标", "单位", "2020年", "2025年"},
			{"义务教育", "", "", ""},
			{"巩固率", "%", "91.2", v2025},
			{"学前三年毛入园率", "%", "88.1", "92.4"},
		},
	}
}

// HTMLPage is a saved government page: navigation, a breadcrumb, a script and
// a footer around an article with a heading, prose and the table.
func HTMLPage(title, prose string, t Table) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>%s</title>
<style>body{font-family:"Noto Sans CJK SC",sans-serif} td,th{border:1px solid #999;padding:4px 12px}</style>
<script>var trackingCode = "页面统计脚本";</script></head><body>
<div class="nav">首页 | 政务公开 | 教育动态</div>
<div class="breadcrumb">当前位置:首页 > 教育动态</div>
<article><h1>%s</h1><p>%s</p>
<p>%s</p>
<table><tbody>`, html.EscapeString(title), html.EscapeString(title), html.EscapeString(prose), html.EscapeString(t.Caption))
	for _, r := range t.Rows {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString(`</tbody></table></article>
<footer>版权所有:示范市教育局 访问量:12345</footer></body></html>`)
	return []byte(b.String())
}

// DOCX writes a Word document: a title heading, a paragraph, the table's
// caption paragraph and the table, and the title in the document properties.
func DOCX(title, prose string, t Table) []byte {
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xmlEscape(&b, s)
		return b.String()
	}
	para := func(style, text string) string {
		p := "<w:p>"
		if style != "" {
			p += `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
		}
		return p + `<w:r><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r></w:p>`
	}
	var body strings.Builder
	body.WriteString(para("Heading1", title))
	body.WriteString(para("", prose))
	body.WriteString(para("", t.Caption))
	body.WriteString("<w:tbl>")
	for _, r := range t.Rows {
		body.WriteString("<w:tr>")
		for _, c := range r {
			body.WriteString("<w:tc>" + para("", c) + "</w:tc>")
		}
		body.WriteString("</w:tr>")
	}
	body.WriteString("</w:tbl>")
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + esc(title) + `</dc:title></cp:coreProperties>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`},
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := z.Create(f.name)
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			panic(err)
		}
	}
	if err := z.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func xmlEscape(b *bytes.Buffer, s string) error {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	_, err := b.WriteString(r.Replace(s))
	return err
}

// Markdown writes a Markdown document with a GFM table.
func Markdown(title, prose string, t Table) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n\n%s\n\n", title, prose, t.Caption)
	for i, r := range t.Rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString(strings.Repeat("| --- ", len(r)) + "|\n")
		}
	}
	return []byte(b.String())
}

// ErrNoChromium is returned by PrintPDF when Debian's chromium is missing.
var ErrNoChromium = errors.New("chromium not found (apt-get install -y chromium fonts-noto-cjk)")

// Chromium returns the path of Debian's chromium, or ErrNoChromium.
func Chromium() (string, error) {
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	return "", ErrNoChromium
}

// PrintPDF prints an HTML page to PDF with headless Chromium, as a bureau's
// staff would with 打印 → 另存为 PDF. The page's Chinese needs a CJK font
// (fonts-noto-cjk) to come out as text.
func PrintPDF(ctx context.Context, page_ []byte) ([]byte, error) {
	exe, err := Chromium()
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "wenda-pdf-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.UserDataDir(profile), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-proxy-server", true),
	)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	tctx, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()
	var out []byte
	err = chromedp.Do(tctx,
		chromedp.Navigate("about:blank"),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return err
			}
			_, err = chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(page_)})
			return err
		}),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{})
			out = res.Data
			return err
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("print to PDF: %w", err)
	}
	return out, nil
}

// rawPDF assembles a one-page PDF whose page draws content, with extra
// entries in the trailer.
func rawPDF(content, trailerExtra string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailerExtra, xref)
	return b.Bytes()
}

// TextPDF is a one-page PDF that shows text in Helvetica (ASCII only).
func TextPDF(text string) []byte {
	return rawPDF(fmt.Sprintf("BT /F1 12 Tf 20 100 Td (%s) Tj ET", text), "")
}

// ImagePDF is a page with no text, as a scanner makes: here a filled
// rectangle stands for the scanned image.
func ImagePDF() []byte {
	return rawPDF("0.5 g 20 20 160 160 re f", "")
}

// EncryptedPDF needs a user password: its standard security handler's U
// entry matches no empty password, so a reader without the password cannot
// open it.
func EncryptedPDF() []byte {
	hex32 := strings.Repeat("5a", 32)
	return rawPDF("BT /F1 12 Tf 20 100 Td (secret) Tj ET",
		"/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <"+hex32+"> /U <"+strings.Repeat("a5", 32)+"> >> /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]")
}
