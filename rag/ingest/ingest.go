// Package ingest reads the files operators have — PDF, DOCX, HTML, Markdown
// and plain text — into the plain text that a rag.Document holds: one
// paragraph or heading a line, and each table as its caption line followed by
// one row a line, cells separated by a space, the way the seed plan's tables
// came out of their PDF ("指标 单位 2020年 2025年" / "巩固率 % 97.01 97.68"),
// so that rag's splitter turns every row into a statement that stands alone.
//
// It owns format detection (from the content, never the file name) and the
// errors for files it cannot read. It knows nothing of splitting, indexing or
// metadata validation: those stay in rag.
//
// The readers are pure Go so that wenda stays one static binary without cgo:
// PDF with github.com/ledongthuc/pdf (a maintained fork of rsc.io/pdf that
// decodes CID fonts through their ToUnicode maps, as Chinese PDFs need, and
// reports glyph positions, from which rows and cells are rebuilt), HTML with
// golang.org/x/net/html (the Go team's HTML5 parser), Markdown with
// github.com/yuin/goldmark (CommonMark with GFM tables), DOCX with the
// standard library's archive/zip and encoding/xml (a DOCX is a zip of XML;
// the parts read here are few and stable).
package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Format is a kind of file ingest reads.
type Format string

// Formats ingest reads.
const (
	PDF      Format = "pdf"
	DOCX     Format = "docx"
	HTML     Format = "html"
	Markdown Format = "markdown"
	Text     Format = "text"
)

// Errors for files that cannot be read. Each names the problem, so that an
// operator knows what to do with the file.
var (
	// ErrEncrypted is a PDF that needs a password to open.
	ErrEncrypted = errors.New("the PDF is encrypted")
	// ErrNoText is a document without text to index, such as a scanned,
	// image-only PDF.
	ErrNoText = errors.New("the document has no text (a scanned or image-only file needs OCR first)")
	// ErrNotDocument is a file that is none of the formats read here (an
	// image, an archive, a spreadsheet, a legacy .doc), or one too damaged to
	// read.
	ErrNotDocument = errors.New("not a readable PDF, DOCX, HTML, Markdown or text file")
)

// Result is what a file held.
type Result struct {
	Format Format
	// Title is the title the file gives itself (HTML <title>, DOCX and PDF
	// document properties, a Markdown first heading), "" when none.
	Title string
	// Text is the document's text, one paragraph, heading or table row a line.
	Text string
}

// Read detects the format of data and extracts its text. A file without text
// is ErrNoText; an encrypted PDF ErrEncrypted; anything else unreadable
// ErrNotDocument, wrapped with the detail.
func Read(data []byte) (Result, error) {
	f := Detect(data)
	var (
		res Result
		err error
	)
	switch f {
	case PDF:
		res, err = readPDF(data)
	case DOCX:
		res, err = readDOCX(data)
	case HTML:
		res, err = readHTML(data)
	case Markdown:
		res, err = readMarkdown(data)
	case Text:
		res = Result{Text: cleanText(string(bytes.TrimPrefix(data, utf8BOM)))}
	default:
		return Result{}, fmt.Errorf("%w: %s", ErrNotDocument, http.DetectContentType(data))
	}
	if err != nil {
		return Result{}, err
	}
	res.Format = f
	res.Title = strings.TrimSpace(res.Title)
	if strings.TrimSpace(res.Text) == "" {
		return Result{}, ErrNoText
	}
	return res, nil
}

var utf8BOM = []byte("\xef\xbb\xbf")

var (
	htmlStartRE = regexp.MustCompile(`(?i)^\s*(<!doctype html|<html|<head|<body|<meta|<title|<!--)`)
	mdRE        = regexp.MustCompile(`(?m)^(#{1,6}\s+\S|\|?\s*:?-{3,}:?\s*\|)`)
)

// Detect tells the format from the content: the PDF and zip magic numbers, an
// HTML start, Markdown headings or table rules, else text when the bytes are
// UTF-8 text. It returns "" for anything else.
func Detect(data []byte) Format {
	head := data[:min(len(data), 1024)]
	switch {
	case bytes.HasPrefix(bytes.TrimLeft(head, "\x00\t\r\n "), []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if isDOCX(data) {
			return DOCX
		}
		return ""
	}
	body := bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0 {
		return ""
	}
	switch {
	case htmlStartRE.Match(body[:min(len(body), 512)]):
		return HTML
	case mdRE.Match(body):
		return Markdown
	}
	return Text
}

// cleanText trims every line and drops control characters and runs of blank
// lines, keeping one blank line between paragraphs.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	blank := true
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimFunc(strings.Map(func(r rune) rune {
			if r == '\t' || r == '\u00a0' || r == '\u3000' {
				return ' '
			}
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, line), unicode.IsSpace)
		if line == "" {
			if !blank {
				b.WriteString("\n")
			}
			blank = true
			continue
		}
		b.WriteString(line)
		b.WriteString("\n")
		blank = false
	}
	return strings.TrimSpace(b.String())
}

// cell joins a table cell's words: inside a cell, spaces are layout ("2020
// 年", "97.01 %"), and a space is what separates cells in a row.
func cell(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// tableText renders a table's rows, one a line. A header row starting with
// 指标 and 单位 is the layout rag's splitter reads as a table; such a table
// without a caption gets one ("表N:" and the nearest heading), since the
// splitter finds tables by their caption.
type tableWriter struct {
	n       int    // tables written so far
	heading string // the nearest heading, for a missing caption
}

// write writes a table. captioned says the paragraph before it, already
// written, is its caption ("表2:…").
func (t *tableWriter) write(b *strings.Builder, caption string, captioned bool, rows [][]string) {
	t.n++
	var lines []string
	for _, r := range rows {
		var cells []string
		for _, c := range r {
			if c = cell(c); c != "" {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 {
			lines = append(lines, strings.Join(cells, " "))
		}
	}
	if len(lines) == 0 {
		return
	}
	caption = strings.TrimSpace(caption)
	if caption == "" && !captioned && strings.HasPrefix(lines[0], "指标 单位 ") {
		heading := t.heading
		if heading == "" {
			heading = "数据表"
		}
		caption = fmt.Sprintf("表%d:%s", t.n, heading)
	}
	b.WriteString("\n")
	if caption != "" {
		b.WriteString(normaliseCaption(caption))
		b.WriteString("\n")
	}
	b.WriteString(strings.Join(lines, "\n"))
	b.WriteString("\n\n")
}

var captionRE = regexp.MustCompile(`^表\s*(\d+)\s*[:：.．、]?\s*`)

// normaliseCaption writes "表 2 南昌市…" and "表2．南昌市…" as "表2:南昌市…".
func normaliseCaption(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if m := captionRE.FindStringSubmatchIndex(s); m != nil {
		return "表" + s[m[2]:m[3]] + ":" + s[m[1]:]
	}
	return s
}

// isCaption tells a paragraph that names the table after it.
func isCaption(s string) bool {
	return captionRE.MatchString(strings.TrimSpace(s)) && utf8.RuneCountInString(s) < 80
}
