package rag

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"wenda/rag/zh"
)

// The figure check (DESIGN §2.6) is what lets a model write answers at all:
// a citizen may act on a figure, so every figure of a generated answer must
// be found in a source it cites. "Found" is read after zh.Normalize on both
// sides and allows what a careful writer does: drop a comma (1,244万 is
// 1244万), a trailing zero (97.0% is 97%), a measure word (25.7万 for
// 25.7万个), or change the scale (1.2亿元 is 12000万元). It does not allow %
// for 个百分点, a rounded value, or a sum the model worked out itself.
// Figures written in Chinese numerals (九成, 百分之九十七) are not seen.

// citationRE matches the markers that cite sources: [1], [1][2], [1,2],
// [1-3], and the full-width and 【】 forms models write as well.
var citationRE = regexp.MustCompile(`[\[【［]\s*(?:资料|来源)?\s*(\d{1,3}(?:\s*[,，、\-–~～]\s*\d{1,3})*)\s*[\]】］]`)

var citationSepRE = regexp.MustCompile(`\s*[,，、]\s*`)

// enumRE matches list markers in parentheses, numbers but not figures:
// "(1)", "（2）". Markers that start a line ("1.", "2、") are cut by
// listMarker.
var enumRE = regexp.MustCompile(`[(（]\d{1,2}[)）]`)

// listMarkerRE is a list marker starting a line: "1." (not "98.5%"), "2、",
// "3)", with a bullet before it or not.
var listMarkerRE = regexp.MustCompile(`^\s*(?:[-*•]\s*)?\d{1,2}(?:[、)）]|[.．](?:\D|$))`)

// cutListMarker removes the list marker that starts line, keeping the
// character after a "1." that the match took.
func cutListMarker(line string) string {
	m := listMarkerRE.FindString(line)
	if m == "" {
		return line
	}
	rest := line[len(m):]
	if r, size := utf8.DecodeLastRuneInString(m); r != '.' && r != '．' && r != '、' && r != ')' && r != '）' {
		rest = m[len(m)-size:] + rest
	}
	return rest
}

// citedSources returns the sources text cites with [n], in source order.
func citedSources(text string, sources []Source) []Source {
	nums := map[int]bool{}
	for _, m := range citationRE.FindAllStringSubmatch(text, -1) {
		for _, part := range citationSepRE.Split(m[1], -1) {
			lo, hi := part, part
			if i := strings.IndexAny(part, "-–~～"); i >= 0 {
				lo = strings.TrimSpace(part[:i])
				hi = strings.TrimSpace(strings.TrimLeft(part[i:], "-–~～"))
			}
			a, err1 := strconv.Atoi(strings.TrimSpace(lo))
			b, err2 := strconv.Atoi(strings.TrimSpace(hi))
			if err1 != nil || err2 != nil || b < a || b-a > 20 {
				continue
			}
			for n := a; n <= b; n++ {
				nums[n] = true
			}
		}
	}
	var out []Source
	for _, s := range sources {
		if nums[s.N] {
			out = append(out, s)
		}
	}
	return out
}

// UnverifiedFigures returns the figures of a generated answer (as written,
// normalised) that none of the sources it may draw on holds: the sources it
// cites with [n], or all of them when it cites none. Citation markers, list
// numbers and years are not figures. An empty result means the answer passes.
func UnverifiedFigures(answer string, sources []Source) []string {
	allowed := citedSources(answer, sources)
	if len(allowed) == 0 {
		allowed = sources
	}
	text := citationRE.ReplaceAllString(answer, " ")
	text = enumRE.ReplaceAllString(text, " ")
	var pool []string
	var poolFigs []zh.Figure
	for _, s := range allowed {
		for _, t := range []string{s.Text, s.Title, s.Section} {
			n := zh.Normalize(t)
			pool = append(pool, n)
			poolFigs = append(poolFigs, zh.Figures(n)...)
		}
	}
	var bad []string
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		for _, f := range zh.Figures(zh.Normalize(cutListMarker(line))) {
			if isYear(f) || seen[f.Text] {
				continue
			}
			seen[f.Text] = true
			if !figureIn(f, pool, poolFigs) {
				bad = append(bad, f.Text)
			}
		}
	}
	return bad
}

// isYear reports a bare four-digit year that zh.Figures kept because no 年
// follows it ("2020—2025年", "2025届").
func isYear(f zh.Figure) bool {
	return f.Unit == "" && len(f.Num) == 4 && !strings.Contains(f.Num, ".") && f.Value >= 1900 && f.Value <= 2099
}

func figureIn(f zh.Figure, pool []string, poolFigs []zh.Figure) bool {
	for _, p := range pool {
		if containsFigure(p, f) {
			return true
		}
	}
	fs, fm := splitUnit(f.Unit)
	for _, g := range poolFigs {
		gs, gm := splitUnit(g.Unit)
		if fm != "" && gm != "" && fm != gm {
			continue
		}
		a, b := f.Value*fs, g.Value*gs
		if math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) {
			return true
		}
	}
	return false
}

// containsFigure reports whether text holds f's text as a whole number: not
// "5%" inside "55%", nor "97.0" inside "97.01".
func containsFigure(text string, f zh.Figure) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], f.Text)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(f.Text)
		i = start + 1
		if start > 0 && (isDigitByte(text[start-1]) || text[start-1] == '.' || text[start-1] == ',') {
			continue
		}
		if f.Unit == "" && end < len(text) && (isDigitByte(text[end]) || (text[end] == '.' && end+1 < len(text) && isDigitByte(text[end+1]))) {
			continue
		}
		return true
	}
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// splitUnit parts a unit into its scale and its measure: "万人" is 1e4 and
// "人", "亿元" 1e8 and "元", "个百分点" 1 and "百分点". "余" and "多" (about)
// are dropped from the measure.
func splitUnit(unit string) (float64, string) {
	scale := 1.0
	switch {
	case strings.HasPrefix(unit, "万亿"):
		scale, unit = 1e12, strings.TrimPrefix(unit, "万亿")
	case strings.HasPrefix(unit, "亿"):
		scale, unit = 1e8, strings.TrimPrefix(unit, "亿")
	case strings.HasPrefix(unit, "万"):
		scale, unit = 1e4, strings.TrimPrefix(unit, "万")
	}
	unit = strings.NewReplacer("余", "", "多", "").Replace(unit)
	if unit == "个百分点" {
		unit = "百分点"
	}
	return scale, unit
}
