package ingest_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"wenda/rag/ingest"
	"wenda/rag/ingest/ingesttest"
)

const (
	title = "示范市教育事业发展“十四五”规划"
	prose = "到2025年,示范市义务教育巩固率达到93.5%。"
)

// wantRows are the table as rag's splitter reads tables: the caption, the
// header, a group row and data rows, one a line.
var wantRows = []string{
	"表1:示范市“十四五”教育发展主要指标",
	"指标 单位 2020年 2025年",
	"义务教育",
	"巩固率 % 91.2 93.5",
	"学前三年毛入园率 % 88.1 92.4",
}

func checkText(t *testing.T, got ingest.Result, format ingest.Format) {
	t.Helper()
	if got.Format != format {
		t.Errorf("Format = %q, want %q", got.Format, format)
	}
	if got.Title != title {
		t.Errorf("Title = %q, want %q", got.Title, title)
	}
	lines := strings.Split(got.Text, "\n")
	i := 0
	for _, l := range lines {
		if i < len(wantRows) && strings.TrimSpace(l) == wantRows[i] {
			i++
		}
	}
	if i < len(wantRows) {
		t.Errorf("Text lacks line %q (in order); text:\n%s", wantRows[i], got.Text)
	}
	if !strings.Contains(strings.ReplaceAll(got.Text, "\n", ""), "义务教育巩固率达到93.5%") {
		t.Errorf("Text lacks the prose; text:\n%s", got.Text)
	}
}

func TestReadHTML(t *testing.T) {
	got, err := ingest.Read(ingesttest.HTMLPage(title, prose, ingesttest.PlanTable))
	if err != nil {
		t.Fatal(err)
	}
	checkText(t, got, ingest.HTML)
	for _, furniture := range []string{"首页", "当前位置", "页面统计脚本", "版权所有", "访问量"} {
		if strings.Contains(got.Text, furniture) {
			t.Errorf("Text keeps page furniture %q:\n%s", furniture, got.Text)
		}
	}
}

func TestReadDOCX(t *testing.T) {
	got, err := ingest.Read(ingesttest.DOCX(title, prose, ingesttest.PlanTable))
	if err != nil {
		t.Fatal(err)
	}
	checkText(t, got, ingest.DOCX)
}

func TestReadMarkdown(t *testing.T) {
	got, err := ingest.Read(ingesttest.Markdown(title, prose, ingesttest.PlanTable))
	if err != nil {
		t.Fatal(err)
	}
	checkText(t, got, ingest.Markdown)
}

func TestReadText(t *testing.T) {
	in := "\ufeff" + title + "\r\n\r\n\r\n" + prose + "\r\n"
	got, err := ingest.Read([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != ingest.Text || got.Text != title+"\n\n"+prose {
		t.Errorf("Read = %q %q, want text %q", got.Format, got.Text, title+"\n\n"+prose)
	}
}

// TestReadPDF reads a PDF printed by Chromium from the HTML page: Chinese in
// CID fonts, the table's cells as positioned glyphs.
func TestReadPDF(t *testing.T) {
	if _, err := ingesttest.Chromium(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	pdf, err := ingesttest.PrintPDF(t.Context(), ingesttest.HTMLPage(title, prose, ingesttest.PlanTable))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ingest.Read(pdf)
	if err != nil {
		t.Fatal(err)
	}
	checkText(t, got, ingest.PDF)
}

func TestReadASCIIPDF(t *testing.T) {
	got, err := ingest.Read(ingesttest.TextPDF("Enrolment rate 97.01%"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != ingest.PDF || got.Text != "Enrolment rate 97.01%" {
		t.Errorf("Read = %q %q, want pdf %q", got.Format, got.Text, "Enrolment rate 97.01%")
	}
}

func TestReadRefuses(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"encrypted PDF", ingesttest.EncryptedPDF(), ingest.ErrEncrypted},
		{"image-only PDF", ingesttest.ImagePDF(), ingest.ErrNoText},
		{"PNG", png, ingest.ErrNotDocument},
		{"zip that is no DOCX", zipOf(t, "a.txt"), ingest.ErrNotDocument},
		{"truncated PDF", ingesttest.TextPDF("x")[:60], ingest.ErrNotDocument},
		{"empty", nil, ingest.ErrNoText},
		{"blank text", []byte(" \n\t\n"), ingest.ErrNoText},
		{"GBK bytes", []byte{0xc4, 0xcf, 0xb2, 0xfd}, ingest.ErrNotDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ingest.Read(tt.data)
			if !errors.Is(err, tt.want) {
				t.Errorf("Read(%s) error = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		data string
		want ingest.Format
	}{
		{"<!DOCTYPE html><p>x</p>", ingest.HTML},
		{"  <html><body>x</body></html>", ingest.HTML},
		{"# 标题\n\n正文", ingest.Markdown},
		{"| a | b |\n| --- | --- |\n| 1 | 2 |", ingest.Markdown},
		{"南昌市 2020 年", ingest.Text},
		{"%PDF-1.7\n", ingest.PDF},
	}
	for _, tt := range tests {
		if got := ingest.Detect([]byte(tt.data)); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.data, got, tt.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(ingesttest.HTMLPage(title, prose, ingesttest.PlanTable))
	f.Add(ingesttest.Markdown(title, prose, ingesttest.PlanTable))
	f.Add(ingesttest.DOCX(title, prose, ingesttest.PlanTable))
	f.Add(ingesttest.TextPDF("x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ingest.Read(data)
		if err == nil && strings.TrimSpace(res.Text) == "" {
			t.Errorf("Read returned no text and no error")
		}
	})
}

func zipOf(t *testing.T, name string) []byte {
	t.Helper()
	var b strings.Builder
	_ = name
	// A minimal zip: one stored, empty file.
	z := "PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00a.txt" +
		"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00a.txt" +
		"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x33\x00\x00\x00\x23\x00\x00\x00\x00\x00"
	b.WriteString(z)
	return []byte(b.String())
}

// TestReadHTMLLayoutTable reads a page laid out with tables, as older
// government sites are: the layout cells are blocks, the data table inside
// is rows, and a Word-style data table (a <p> in every cell) is rows too.
func TestReadHTMLLayoutTable(t *testing.T) {
	page := `<html><head><title>` + title + `</title></head><body>
<table width="100%"><tr><td class="menu">首页 | 政务公开</td></tr>
<tr><td><h1>` + title + `</h1>
<p>` + prose + `</p><p>各县（区）要按照规划要求，结合本地实际，制定具体实施方案，明确时间表和路线图，确保各项目标任务按期完成，并将落实情况及时报送市教育局。</p>
<p>表1:示范市“十四五”教育发展主要指标</p>
<table border="1">
<tr><td><p class="MsoNormal">指标</p></td><td><p class="MsoNormal">单位</p></td><td><p>2020年</p></td><td><p>2025年</p></td></tr>
<tr><td><p>义务教育</p></td><td></td><td></td><td></td></tr>
<tr><td><p>巩固率</p></td><td><p>%</p></td><td><p>91.2</p></td><td><p>93.5</p></td></tr>
<tr><td><p>学前三年毛入园率</p></td><td><p>%</p></td><td><p>88.1</p></td><td><p>92.4</p></td></tr>
</table></td></tr></table></body></html>`
	got, err := ingest.Read([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	checkText(t, got, ingest.HTML)
	if !strings.Contains(got.Text, "\n各县（区）要按照规划要求") {
		t.Errorf("the layout cell's paragraphs run together:\n%s", got.Text)
	}
	if strings.Contains(got.Text, "首页") {
		t.Errorf("the menu cell is kept:\n%s", got.Text)
	}
}
