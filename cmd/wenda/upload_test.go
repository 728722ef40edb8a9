package main

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"wenda/rag"
	"wenda/rag/ingest/ingesttest"
)

// upload posts a file with metadata to the admin API as the admin page does.
func upload(t *testing.T, base, token string, file []byte, fields map[string]string) (int, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	// The name says nothing: the format is told from the content.
	fw, _ := w.CreateFormFile("file", "upload.bin")
	fw.Write(file)
	w.Close()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", base+"/api/v1/documents", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return sendAdmin(t, req, token)
}

type uploadCase struct {
	format, city, short, value string
	file                       func(title, prose string, t ingesttest.Table) ([]byte, error)
}

func uploadCases(t *testing.T) []uploadCase {
	cases := []uploadCase{
		{"html", "赣州市", "赣州", "95.1", func(a, b string, t ingesttest.Table) ([]byte, error) { return ingesttest.HTMLPage(a, b, t), nil }},
		{"docx", "上饶市", "上饶", "95.2", func(a, b string, t ingesttest.Table) ([]byte, error) { return ingesttest.DOCX(a, b, t), nil }},
		{"markdown", "景德镇市", "景德镇", "95.3", func(a, b string, t ingesttest.Table) ([]byte, error) { return ingesttest.Markdown(a, b, t), nil }},
	}
	if _, err := ingesttest.Chromium(); err == nil {
		cases = append(cases, uploadCase{"pdf", "萍乡市", "萍乡", "95.4", func(a, b string, tb ingesttest.Table) ([]byte, error) {
			return ingesttest.PrintPDF(t.Context(), ingesttest.HTMLPage(a, b, tb))
		}})
	} else if os.Getenv("CI") != "" {
		t.Fatal(err)
	} else {
		t.Log("no PDF case: ", err)
	}
	return cases
}

// TestServeUploadFiles uploads a file of each format with a table, asks for
// a figure of each table at once and after a restart, and checks that
// unreadable files are refused with nothing indexed.
func TestServeUploadFiles(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"WENDA_DATA_DIR": dir, "WENDA_ADMIN_TOKEN": adminToken}
	base := startServe(t, env)
	cases := uploadCases(t)
	for _, c := range cases {
		title := c.city + "教育事业发展“十四五”规划"
		file, err := c.file(title, c.city+"坚持教育优先发展。", ingesttest.Plan(c.city, c.value))
		if err != nil {
			t.Fatal(err)
		}
		code, body := upload(t, base, adminToken, file, map[string]string{
			"id": "plan-" + c.format, "city": c.city, "province": "江西省", "published": "2022-03-15",
			"url": "https://jyj.example.gov.cn/" + c.format + "/plan",
		})
		if code != 201 {
			t.Fatalf("upload %s = %d %s, want 201", c.format, code, body)
		}
		var info rag.DocumentInfo
		json.Unmarshal([]byte(body), &info)
		if info.Title != title || info.Chunks == 0 || info.Figures < 4 {
			t.Errorf("upload %s: %+v, want the file's title, chunks and figures", c.format, info)
		}
	}
	ask := func(base string) {
		t.Helper()
		for _, c := range cases {
			_, a := postAsk(t, base, `{"question":"`+c.short+`义务教育巩固率2025年目标是多少"}`)
			if !a.Answered || !strings.Contains(a.Answer, c.value) {
				t.Errorf("%s: %q, want %s", c.format, a.Answer, c.value)
				continue
			}
			if s := a.Sources[0]; s.DocID != "plan-"+c.format || s.Published != "2022-03-15" || s.URL != "https://jyj.example.gov.cn/"+c.format+"/plan" {
				t.Errorf("%s: first source %+v, want plan-%s of 2022-03-15 with its URL", c.format, s, c.format)
			}
		}
	}
	ask(base)

	refused := []struct {
		name string
		file []byte
		code int
		want string
	}{
		{"encrypted PDF", ingesttest.EncryptedPDF(), 422, "encrypted_pdf"},
		{"image-only PDF", ingesttest.ImagePDF(), 422, "no_text"},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 415, "unsupported_format"},
	}
	_, before := adminDo(t, "GET", base+"/api/v1/documents", adminToken, "")
	for _, r := range refused {
		code, body := upload(t, base, adminToken, r.file, map[string]string{"id": "bad", "title": "坏文件", "city": "赣州市"})
		if code != r.code || !strings.Contains(body, `"code":"`+r.want+`"`) {
			t.Errorf("upload %s = %d %s, want %d %s", r.name, code, body, r.code, r.want)
		}
	}
	if _, after := adminDo(t, "GET", base+"/api/v1/documents", adminToken, ""); after != before {
		t.Errorf("refused uploads changed the documents:\nbefore %s\nafter  %s", before, after)
	}
	if entries, _ := os.ReadDir(dir + "/documents"); len(entries) != len(cases) {
		t.Errorf("library holds %d files, want %d", len(entries), len(cases))
	}

	ask(startServe(t, map[string]string{"WENDA_DATA_DIR": dir, "WENDA_ADMIN_TOKEN": adminToken}))
}
