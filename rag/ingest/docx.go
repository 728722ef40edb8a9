package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// maxDOCXPart bounds the XML read from one part of a DOCX: a zip bomb stops
// here.
const maxDOCXPart = 64 << 20

func isDOCX(data []byte) bool {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			return true
		}
	}
	return false
}

func readPart(z *zip.Reader, name string) ([]byte, error) {
	for _, f := range z.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxDOCXPart+1))
		if err != nil {
			return nil, err
		}
		if len(b) > maxDOCXPart {
			return nil, fmt.Errorf("%s is over %d bytes", name, maxDOCXPart)
		}
		return b, nil
	}
	return nil, nil
}

// readDOCX reads word/document.xml: paragraphs (w:p, runs' w:t, w:tab and
// w:br), headings (a w:pStyle naming a heading or the title) and tables
// (w:tbl rows and cells, a nested table's text inside its cell); the title
// from docProps/core.xml.
func readDOCX(data []byte) (Result, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrNotDocument, err)
	}
	body, err := readPart(z, "word/document.xml")
	if err != nil || body == nil {
		return Result{}, fmt.Errorf("%w: word/document.xml: %v", ErrNotDocument, err)
	}
	var res Result
	if core, err := readPart(z, "docProps/core.xml"); err == nil && core != nil {
		var props struct {
			Title string `xml:"title"`
		}
		if xml.Unmarshal(core, &props) == nil {
			res.Title = props.Title
		}
	}
	text, err := docxText(body)
	if err != nil {
		return Result{}, fmt.Errorf("%w: word/document.xml: %v", ErrNotDocument, err)
	}
	res.Text = cleanText(text)
	return res, nil
}

func docxText(body []byte) (string, error) {
	const w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	dec := xml.NewDecoder(bytes.NewReader(body))
	var (
		out     strings.Builder
		tables  tableWriter
		para    strings.Builder // the paragraph being read
		heading bool            // its style is a heading
		last    string          // the last paragraph outside tables
		// Tables nest: each level has its rows and the cell being read.
		stack []*docxTable
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != w {
				continue
			}
			switch t.Name.Local {
			case "p":
				para.Reset()
				heading = false
			case "pStyle":
				for _, a := range t.Attr {
					v := strings.ToLower(a.Value)
					if a.Name.Local == "val" && (strings.HasPrefix(v, "heading") || v == "title" || (len(v) == 1 && v[0] >= '1' && v[0] <= '9')) {
						heading = true
					}
				}
			case "tab":
				para.WriteString(" ")
			case "br", "cr":
				para.WriteString("\n")
			case "tbl":
				stack = append(stack, &docxTable{})
			case "tr":
				if len(stack) > 0 {
					top := stack[len(stack)-1]
					top.rows = append(top.rows, nil)
				}
			case "tc":
				if len(stack) > 0 {
					stack[len(stack)-1].cell.Reset()
				}
			}
		case xml.CharData:
			// Text is only inside w:t (and w:delText, deleted text, left out).
			// The decoder gives CharData of every element; take it in w:t only.
		case xml.EndElement:
			if t.Name.Space != w {
				continue
			}
			switch t.Name.Local {
			case "p":
				p := para.String()
				if len(stack) > 0 {
					top := stack[len(stack)-1]
					if top.cell.Len() > 0 {
						top.cell.WriteString(" ")
					}
					top.cell.WriteString(p)
					continue
				}
				out.WriteString(p)
				out.WriteString("\n")
				if strings.TrimSpace(p) != "" {
					last = p
					if heading {
						tables.heading = strings.TrimSpace(p)
					}
				}
			case "tc":
				if len(stack) > 0 {
					top := stack[len(stack)-1]
					if n := len(top.rows); n > 0 {
						top.rows[n-1] = append(top.rows[n-1], top.cell.String())
					}
				}
			case "tbl":
				if len(stack) == 0 {
					continue
				}
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if len(stack) > 0 {
					// A nested table is text of its parent's cell.
					parent := stack[len(stack)-1]
					for _, r := range top.rows {
						parent.cell.WriteString(" " + strings.Join(r, " "))
					}
					continue
				}
				tables.write(&out, "", isCaption(last), top.rows)
				last = ""
			}
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Space == w && se.Name.Local == "t" {
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				return "", err
			}
			para.WriteString(s)
		}
	}
	return out.String(), nil
}

type docxTable struct {
	rows [][]string
	cell strings.Builder
}
