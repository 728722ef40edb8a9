package ingest

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipped are elements that hold no content of a saved page: scripts and
// styles, and a government site's furniture — navigation, header, footer,
// sidebars, forms.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Iframe: true,
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Svg: true, atom.Button: true, atom.Select: true, atom.Head: true,
}

// furniture are class or id words of blocks that are page furniture even
// when written as plain divs, as older government sites do.
var furniture = []string{"nav", "menu", "footer", "breadcrumb", "crumb", "sidebar", "share", "copyright", "toolbar", "header"}

func isFurniture(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" && a.Key != "role" {
			continue
		}
		v := strings.ToLower(a.Val)
		if a.Key == "role" && (v == "navigation" || v == "banner" || v == "contentinfo") {
			return true
		}
		for _, w := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }) {
			for _, f := range furniture {
				if w == f {
					return true
				}
			}
		}
	}
	return false
}

var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true, atom.Li: true,
	atom.Ul: true, atom.Ol: true, atom.Blockquote: true, atom.Pre: true, atom.Br: true, atom.Hr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Dd: true, atom.Dt: true, atom.Dl: true, atom.Figure: true, atom.Figcaption: true, atom.Center: true,
}

var headings = map[atom.Atom]bool{atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

func readHTML(data []byte) (Result, error) {
	doc, err := html.Parse(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	if err != nil {
		return Result{}, err
	}
	var res Result
	if t := find(doc, atom.Title); t != nil {
		res.Title = strings.Join(strings.Fields(textOf(t)), " ")
	}
	// A page that marks its content (<main>, <article>) is read from there:
	// everything around it is the site's.
	root := doc
	if m := find(doc, atom.Main); m != nil {
		root = m
	} else if a := find(doc, atom.Article); a != nil {
		root = a
	}
	w := &htmlWriter{}
	w.walk(root)
	res.Text = cleanText(w.b.String())
	return res, nil
}

func find(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, a); f != nil {
			return f
		}
	}
	return nil
}

// textOf is the text of n's subtree, skipped elements left out.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
				return
			}
			if n.DataAtom == atom.Br {
				b.WriteString(" ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

type htmlWriter struct {
	b      strings.Builder
	tables tableWriter
	last   string // the last paragraph written, a caption for a table after it
}

func (w *htmlWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.b.WriteString(strings.Join(strings.Fields(n.Data), " "))
		if strings.TrimSpace(n.Data) != "" {
			w.last += n.Data
		}
		return
	case html.ElementNode:
	case html.DocumentNode:
	default:
		return
	}
	if n.Type == html.ElementNode {
		if skipped[n.DataAtom] || isFurniture(n) {
			return
		}
		if n.DataAtom == atom.Table && !isLayoutTable(n) {
			w.table(n)
			return
		}
		if blocks[n.DataAtom] || layoutBlocks[n.DataAtom] {
			w.b.WriteString("\n")
			w.last = ""
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if n.Type == html.ElementNode && (blocks[n.DataAtom] || layoutBlocks[n.DataAtom]) {
		w.b.WriteString("\n")
		if headings[n.DataAtom] {
			w.tables.heading = strings.TrimSpace(w.last)
		}
	}
}

// table writes a table's rows. Its caption is its <caption>, or the
// paragraph just before it when that reads "表N…" (then already written).
func (w *htmlWriter) table(t *html.Node) {
	caption := ""
	if c := find(t, atom.Caption); c != nil {
		caption = textOf(c)
	}
	var rows [][]string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Tr {
			var row []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
					row = append(row, textOf(c))
				}
			}
			rows = append(rows, row)
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Table && n != t {
			return // a nested layout table is read as its own rows' text below
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(t)
	w.tables.write(&w.b, caption, isCaption(w.last), rows)
	w.last = ""
}

// readMarkdown renders Markdown (CommonMark with GFM tables) to HTML and
// reads that: one path for headings, paragraphs and tables.
func readMarkdown(data []byte) (Result, error) {
	var buf bytes.Buffer
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	if err := md.Convert(bytes.TrimPrefix(data, utf8BOM), &buf); err != nil {
		return Result{}, err
	}
	res, err := readHTML(buf.Bytes())
	if err != nil {
		return Result{}, err
	}
	if h := find(mustParse(buf.Bytes()), atom.H1); h != nil {
		res.Title = strings.TrimSpace(textOf(h))
	}
	return res, nil
}

func mustParse(b []byte) *html.Node {
	n, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return &html.Node{Type: html.DocumentNode}
	}
	return n
}

// layoutBlocks are the parts of a layout table, read as blocks.
var layoutBlocks = map[atom.Atom]bool{atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true}

// isLayoutTable tells a table that lays out a page, as older government
// sites do, from one that holds data: a layout table's cells hold
// headings, lists, forms or other tables, or long text. (Paragraphs are no
// sign: Word's HTML puts every data cell's text in a <p>.) Its cells are
// read as blocks; its data tables inside are still read as rows.
func isLayoutTable(t *html.Node) bool {
	layout := false
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if layout {
			return
		}
		if n.Type == html.ElementNode && n != t {
			switch n.DataAtom {
			case atom.Table, atom.Ul, atom.Ol, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
				atom.Article, atom.Section, atom.Main, atom.Nav, atom.Form:
				layout = true
				return
			case atom.Td, atom.Th:
				if utf8.RuneCountInString(strings.TrimSpace(textOf(n))) > 100 {
					layout = true
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(t, 0)
	return layout
}
