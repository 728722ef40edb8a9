package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/unicode/norm"
)

// readPDF reads a text PDF page by page. The library gives each glyph with
// its position; glyphs on one baseline make a line, and a gap wider than a
// third of the font size between two glyphs is a space: that is what keeps a
// table's cells apart ("巩固率 % 97.01 97.68") while Chinese prose, set
// without spaces, stays whole. Line breaks inside a sentence are rag's to
// re-join.
func readPDF(data []byte) (res Result, err error) {
	r, err := pdf.NewReaderEncrypted(bytes.NewReader(data), int64(len(data)), func() string { return "" })
	if err != nil {
		// An owner password alone (the empty user password) opens; one that
		// needs a user password, or a cipher the library lacks, does not.
		if errors.Is(err, pdf.ErrInvalidPassword) || bytes.Contains(data, []byte("/Encrypt")) {
			return Result{}, ErrEncrypted
		}
		return Result{}, fmt.Errorf("%w: %v", ErrNotDocument, err)
	}
	defer func() {
		// The library panics on some malformed content streams.
		if x := recover(); x != nil {
			res, err = Result{}, fmt.Errorf("%w: damaged PDF: %v", ErrNotDocument, x)
		}
	}()
	if info := r.Trailer().Key("Info"); !info.IsNull() {
		res.Title = info.Key("Title").Text()
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		for _, line := range pdfLines(pageGlyphs(p)) {
			b.WriteString(line)
			b.WriteString("\n")
		}
	}
	res.Text = cleanText(fixRadicals(b.String()))
	return res, nil
}

// pdfLines groups glyphs into lines, top to bottom, each read left to right.
func pdfLines(glyphs []glyph) []string {
	type line struct {
		y      float64
		size   float64
		glyphs []glyph
	}
	var lines []*line
	for _, g := range glyphs {
		if g.s == "" {
			continue
		}
		var found *line
		for _, l := range lines {
			if math.Abs(l.y-g.y) < max(l.size, g.size, 1)*0.5 {
				found = l
				break
			}
		}
		if found == nil {
			found = &line{y: g.y, size: g.size}
			lines = append(lines, found)
		}
		found.glyphs = append(found.glyphs, g)
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].y > lines[j].y })
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		sort.SliceStable(l.glyphs, func(i, j int) bool { return l.glyphs[i].x < l.glyphs[j].x })
		var b strings.Builder
		end := math.Inf(-1)
		for _, g := range l.glyphs {
			if b.Len() > 0 && g.x-end > max(g.size, 1)/3 {
				b.WriteString(" ")
			}
			b.WriteString(g.s)
			end = max(end, g.x+g.w)
		}
		out = append(out, b.String())
	}
	return out
}

// radicals maps the CJK Radicals Supplement's simplified forms to the
// ideographs they look like; NFKC maps the Kangxi radicals but not these.
var radicals = map[rune]rune{
	0x2EC5: '见', 0x2ECB: '车', 0x2ED3: '长', 0x2ED4: '门', 0x2EDA: '页', 0x2EDB: '风', 0x2EDC: '飞',
	0x2EE2: '马', 0x2EE5: '鱼', 0x2EE6: '鸟', 0x2EE8: '麦', 0x2EE9: '黄', 0x2EEC: '齐', 0x2EEF: '龙', 0x2EF3: '龟',
}

// fixRadicals undoes a PDF font's ToUnicode map that names a radical's code
// point for a glyph shared with an ideograph: Chromium's and many office
// suites' CJK fonts map 首 to ⾸ (U+2F78), 示 to ⽰, 十 to ⼗, 页 to ⻚.
// Matching, figures and citations need the ideographs.
func fixRadicals(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x2F00 && r <= 0x2FD5:
			if d := []rune(norm.NFKC.String(string(r))); len(d) == 1 {
				return d[0]
			}
		case r >= 0x2E80 && r <= 0x2EFF:
			if d, ok := radicals[r]; ok {
				return d
			}
		}
		return r
	}, s)
}
