package ingest

import (
	"io"
	"math"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// glyph is one shown character with its position in page space.
type glyph struct {
	x, y, w, size float64
	s             string
}

// pdfFont decodes a font's codes to text and gives their advance widths.
//
// The text of a code comes from the font's ToUnicode map when it has one,
// as PDF 32000 §9.10.2 says a reader should, and only then from its
// encoding. The library's own text walk prefers an /Encoding dictionary:
// for the Type3 fonts Chromium writes for CJK OpenType fonts (encoding
// glyph names /g0 /gAE99, the text only in ToUnicode) that yields bytes, not
// Chinese, hence this walk.
type pdfFont struct {
	f      pdf.Font
	cmap   *toUnicode
	cid    bool // Type0: two-byte codes, widths from the descendant's /W
	widths map[int]float64
	dw     float64
	scale  float64 // glyph space to text space: 1/1000, or a Type3's FontMatrix
}

func newPDFFont(f pdf.Font) *pdfFont {
	pf := &pdfFont{f: f, widths: map[int]float64{}, scale: 0.001}
	if tu := f.V.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		pf.cmap = parseToUnicode(tu)
	}
	switch f.V.Key("Subtype").Name() {
	case "Type0":
		pf.cid = true
		d := f.V.Key("DescendantFonts").Index(0)
		pf.dw = 1000
		if v := d.Key("DW"); v.Kind() == pdf.Integer || v.Kind() == pdf.Real {
			pf.dw = v.Float64()
		}
		w := d.Key("W")
		for i := 0; i < w.Len(); {
			first := int(w.Index(i).Int64())
			if i+1 < w.Len() && w.Index(i+1).Kind() == pdf.Array {
				arr := w.Index(i + 1)
				for j := 0; j < arr.Len(); j++ {
					pf.widths[first+j] = arr.Index(j).Float64()
				}
				i += 2
				continue
			}
			if i+2 >= w.Len() {
				break
			}
			last, width := int(w.Index(i+1).Int64()), w.Index(i+2).Float64()
			for c := first; c <= last && c-first < 1<<16; c++ {
				pf.widths[c] = width
			}
			i += 3
		}
	default:
		if f.V.Key("Subtype").Name() == "Type3" {
			if m := f.V.Key("FontMatrix"); m.Len() > 0 {
				pf.scale = m.Index(0).Float64()
			}
		}
		first := int(f.V.Key("FirstChar").Int64())
		ws := f.V.Key("Widths")
		for i := 0; i < ws.Len(); i++ {
			pf.widths[first+i] = ws.Index(i).Float64()
		}
	}
	return pf
}

// codes splits a shown string into the font's codes.
func (pf *pdfFont) codes(raw string) []string {
	n := 1
	if pf.cid {
		n = 2
	}
	if pf.cmap != nil && pf.cmap.width > 0 {
		n = pf.cmap.width
	}
	var out []string
	for len(raw) > 0 {
		k := min(n, len(raw))
		out = append(out, raw[:k])
		raw = raw[k:]
	}
	return out
}

func (pf *pdfFont) text(code string) string {
	if pf.cmap != nil {
		if s, ok := pf.cmap.m[code]; ok {
			return s
		}
	}
	if pf.cid {
		return "" // a CID without a Unicode mapping has no text to give
	}
	return pf.f.Encoder().Decode(code)
}

func (pf *pdfFont) width(code string) float64 {
	c := 0
	for i := 0; i < len(code); i++ {
		c = c<<8 | int(code[i])
	}
	if w, ok := pf.widths[c]; ok {
		return w * pf.scale
	}
	if pf.cid {
		return pf.dw * pf.scale
	}
	return 0
}

// toUnicode is a ToUnicode CMap: codes of one byte length to text.
type toUnicode struct {
	width int
	m     map[string]string
}

func utf16BE(s string) string {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}

// parseToUnicode reads a ToUnicode CMap's codespace, bfchar and bfrange
// entries (a range's destination a string whose last character counts up,
// or an array of strings). The CMap is read with a tokenizer of its own:
// the library's PostScript interpreter needs a resource dictionary that
// cannot be made from outside it.
func parseToUnicode(v pdf.Value) *toUnicode {
	rc := v.Reader()
	defer rc.Close()
	raw, err := io.ReadAll(io.LimitReader(rc, 4<<20))
	if err != nil && len(raw) == 0 {
		return nil
	}
	m := &toUnicode{m: map[string]string{}}
	var section string
	var operands []cmapToken
	for _, tok := range cmapTokens(string(raw)) {
		if tok.kind != 'k' {
			operands = append(operands, tok)
			continue
		}
		switch tok.s {
		case "begincodespacerange", "beginbfchar", "beginbfrange":
			section, operands = tok.s, nil
			continue
		case "endcodespacerange":
			for i := 0; i+1 < len(operands); i += 2 {
				m.width = max(m.width, len(operands[i+1].s))
			}
		case "endbfchar":
			for i := 0; i+1 < len(operands); i += 2 {
				m.m[operands[i].s] = utf16BE(operands[i+1].s)
			}
		case "endbfrange":
			for i := 0; i+2 < len(operands); {
				lo, hi := operands[i].s, operands[i+1].s
				i += 2
				var dst []string
				if operands[i].kind == '[' {
					for i++; i < len(operands) && operands[i].kind != ']'; i++ {
						dst = append(dst, operands[i].s)
					}
				} else {
					dst = []string{operands[i].s}
				}
				i++
				if len(lo) != len(hi) || len(lo) == 0 || len(lo) > 4 {
					continue
				}
				l, h := codeInt(lo), codeInt(hi)
				for c := l; c <= h && c-l < 1<<16; c++ {
					code := intCode(c, len(lo))
					if len(dst) == 1 {
						r := []rune(utf16BE(dst[0]))
						if len(r) == 0 {
							continue
						}
						// The last character counts up across the range.
						r[len(r)-1] += rune(c - l)
						m.m[code] = string(r)
					} else if c-l < len(dst) {
						m.m[code] = utf16BE(dst[c-l])
					}
				}
			}
		}
		_ = section
		operands = nil
	}
	if len(m.m) == 0 {
		return nil
	}
	return m
}

// cmapToken is a hex string ('h', s its bytes), '[' or ']', or a keyword
// or number ('k').
type cmapToken struct {
	kind byte
	s    string
}

func cmapTokens(s string) []cmapToken {
	var out []cmapToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '<' && i+1 < len(s) && s[i+1] == '<', c == '>' && i+1 < len(s) && s[i+1] == '>':
			i += 2
		case c == '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return out
			}
			hex := strings.Join(strings.Fields(s[i+1:i+j]), "")
			if len(hex)%2 == 1 {
				hex += "0"
			}
			b := make([]byte, 0, len(hex)/2)
			for k := 0; k+1 < len(hex); k += 2 {
				b = append(b, unhex(hex[k])<<4|unhex(hex[k+1]))
			}
			out = append(out, cmapToken{'h', string(b)})
			i += j + 1
		case c == '[' || c == ']':
			out = append(out, cmapToken{kind: c})
			i++
		case c == '(':
			// Literal strings appear in the CIDSystemInfo only: skip them.
			j := strings.IndexByte(s[i:], ')')
			if j < 0 {
				return out
			}
			i += j + 1
		case c == '%':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return out
			}
			i += j
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \n\r\t\f<>[]()/%", rune(s[j])) {
				j++
			}
			if j == i {
				j++ // a '/' name start
			}
			out = append(out, cmapToken{'k', s[i:j]})
			i = j
		}
	}
	return out
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

func codeInt(s string) int {
	c := 0
	for i := 0; i < len(s); i++ {
		c = c<<8 | int(s[i])
	}
	return c
}

func intCode(c, n int) string {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte(c)
		c >>= 8
	}
	return string(b)
}

type matrix [3][3]float64

var ident = matrix{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

func (x matrix) mul(y matrix) matrix {
	var z matrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				z[i][j] += x[i][k] * y[k][j]
			}
		}
	}
	return z
}

// pageGlyphs walks a page's content stream (text operators of PDF 32000
// §9.4) and returns the glyphs it shows, positioned in page space. Form
// XObjects are not entered: text PDFs put their text in the page stream.
func pageGlyphs(p pdf.Page) []glyph {
	type gstate struct {
		ctm, tm, tlm               matrix
		tc, tw, th, tl, tfs, trise float64
		font                       *pdfFont
	}
	g := gstate{ctm: ident, tm: ident, tlm: ident, th: 1}
	var stack []gstate
	fonts := map[string]*pdfFont{}
	var out []glyph
	show := func(raw string) {
		if g.font == nil {
			return
		}
		for _, code := range g.font.codes(raw) {
			w0 := g.font.width(code)
			trm := matrix{{g.tfs * g.th, 0, 0}, {0, g.tfs, 0}, {0, g.trise, 1}}.mul(g.tm).mul(g.ctm)
			size := max(math.Abs(trm[1][1]), math.Abs(trm[0][0]))
			if s := g.font.text(code); s != "" {
				out = append(out, glyph{x: trm[2][0], y: trm[2][1], w: math.Abs(w0 * trm[0][0]), size: size, s: s})
			}
			tx := (w0*g.tfs + g.tc) * g.th
			if code == " " {
				tx += g.tw * g.th
			}
			g.tm = matrix{{1, 0, 0}, {0, 1, 0}, {tx, 0, 1}}.mul(g.tm)
		}
	}
	num := func(args []pdf.Value, i int) float64 {
		if i < len(args) {
			return args[i].Float64()
		}
		return 0
	}
	mat := func(args []pdf.Value) matrix {
		return matrix{{num(args, 0), num(args, 1), 0}, {num(args, 2), num(args, 3), 0}, {num(args, 4), num(args, 5), 1}}
	}
	nextLine := func() {
		g.tlm = matrix{{1, 0, 0}, {0, 1, 0}, {0, -g.tl, 1}}.mul(g.tlm)
		g.tm = g.tlm
	}
	pdf.Interpret(p.V.Key("Contents"), func(stk *pdf.Stack, op string) {
		n := stk.Len()
		args := make([]pdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "q":
			stack = append(stack, g)
		case "Q":
			if len(stack) > 0 {
				g, stack = stack[len(stack)-1], stack[:len(stack)-1]
			}
		case "cm":
			g.ctm = mat(args).mul(g.ctm)
		case "BT":
			g.tm, g.tlm = ident, ident
		case "Tc":
			g.tc = num(args, 0)
		case "Tw":
			g.tw = num(args, 0)
		case "Tz":
			g.th = num(args, 0) / 100
		case "TL":
			g.tl = num(args, 0)
		case "Ts":
			g.trise = num(args, 0)
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				if fonts[name] == nil {
					fonts[name] = newPDFFont(p.Font(name))
				}
				g.font, g.tfs = fonts[name], args[1].Float64()
			}
		case "Td", "TD":
			if op == "TD" {
				g.tl = -num(args, 1)
			}
			g.tlm = matrix{{1, 0, 0}, {0, 1, 0}, {num(args, 0), num(args, 1), 1}}.mul(g.tlm)
			g.tm = g.tlm
		case "Tm":
			g.tm = mat(args)
			g.tlm = g.tm
		case "T*":
			nextLine()
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'":
			nextLine()
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				g.tw, g.tc = args[0].Float64(), args[1].Float64()
				nextLine()
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				a := args[0]
				for i := 0; i < a.Len(); i++ {
					x := a.Index(i)
					if x.Kind() == pdf.String {
						show(x.RawString())
					} else {
						g.tm = matrix{{1, 0, 0}, {0, 1, 0}, {-x.Float64() / 1000 * g.tfs * g.th, 0, 1}}.mul(g.tm)
					}
				}
			}
		}
	})
	return out
}
