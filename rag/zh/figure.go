package zh

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Figure is a number in text together with its unit: "97.01%", "25.7万个",
// "704.97亿元", "128所".
type Figure struct {
	Text  string  // as written after Normalize, number and unit: "25.7万个"
	Num   string  // the number alone, commas removed: "25.7"
	Unit  string  // "万个", "%", "" when none
	Value float64 // the number alone: 25.7
	Start int     // byte offsets of Text in the searched string
	End   int
}

// units are tried longest first, so "个百分点" wins over "个" and "万人次"
// over "万人".
var units = []string{
	"个百分点", "百分点", "万亿元", "亿元", "万元", "元", "万亿", "亿",
	"万平方米", "平方米", "万人次", "人次", "万余人", "万名", "万人", "万个", "万套", "万所", "万间", "万",
	"%", "‰", "亩", "人", "个", "所", "家", "名", "项", "套", "间", "门", "部", "条", "次", "倍", "台", "册", "余", "多",
}

// numbers returns the [start, end) byte spans of the numbers in s: digits,
// optionally grouped by thousands ("1,244") and with a decimal part. It is
// the hot loop of answering, hence scanned by hand rather than by regexp.
func numbers(s string) [][2]int {
	var out [][2]int
	for start, end := nextNumber(s, 0); start >= 0; start, end = nextNumber(s, end) {
		out = append(out, [2]int{start, end})
	}
	return out
}

// nextNumber returns the span of the first of numbers' numbers in s from
// byte i on; start is -1 when there is none.
func nextNumber(s string, i int) (start, end int) {
	for i < len(s) && !isDigitByte(s[i]) {
		i++
	}
	if i == len(s) {
		return -1, -1
	}
	start = i
	for i < len(s) && isDigitByte(s[i]) {
		i++
	}
	// Thousands groups only after a run of 1-3 digits: ",ddd" not
	// followed by another digit.
	if i-start <= 3 {
		for i+4 <= len(s) && s[i] == ',' && isDigitByte(s[i+1]) && isDigitByte(s[i+2]) && isDigitByte(s[i+3]) &&
			(i+4 == len(s) || !isDigitByte(s[i+4])) {
			i += 4
		}
	}
	if i+1 < len(s) && s[i] == '.' && isDigitByte(s[i+1]) {
		i++
		for i < len(s) && isDigitByte(s[i]) {
			i++
		}
	}
	return start, i
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// Figures finds the figures in normalised text, in order. Years ("2020年"),
// dates ("12月12日"), ordinals ("第7次"), list numbers ("1.") and the numbers
// inside names such as "“十四五”" are not figures: a figure is what a citizen
// asks for when they ask 多少.
func Figures(s string) []Figure {
	var out []Figure
	for start, end := nextNumber(s, 0); start >= 0; start, end = nextNumber(s, end) {
		num := strings.ReplaceAll(s[start:end], ",", "")
		rest := s[end:]
		if start > 0 && (s[start-1] == '.' || isASCIILetter(s[start-1])) {
			continue // part of a version or code such as "PM2.5", "2.0"
		}
		if end < len(s) && isASCIILetter(s[end]) {
			continue
		}
		if strings.HasSuffix(s[:start], "第") {
			continue
		}
		if isDateUnit(num, rest) {
			continue
		}
		if start == 0 && strings.HasPrefix(rest, ".") && !strings.HasPrefix(rest, "..") {
			continue // a list number at the start of an item: "1.党建…"
		}
		unit := ""
		for _, u := range units {
			if strings.HasPrefix(rest, u) {
				unit = u
				break
			}
		}
		// "余" and "多" qualify the number ("270余条", "10多个"): keep the
		// measure word after them as part of the unit.
		if unit == "余" || unit == "多" {
			after := rest[len(unit):]
			for _, u := range units {
				if u != "余" && u != "多" && strings.HasPrefix(after, u) {
					unit += u
					break
				}
			}
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			continue
		}
		// The unit follows the number (after 余 or 多 too): Text is s's own.
		out = append(out, Figure{Text: s[start : end+len(unit)], Num: num, Unit: unit, Value: v, Start: start, End: end + len(unit)})
	}
	return out
}

func isDateUnit(num, rest string) bool {
	switch {
	case strings.HasPrefix(rest, "年") && len(num) == 4:
		return true
	case strings.HasPrefix(rest, "月"), strings.HasPrefix(rest, "日"), strings.HasPrefix(rest, "号"):
		return true
	case strings.HasPrefix(rest, "-") && len(num) == 4:
		return true // "2023-2025年"
	}
	return false
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// Years returns the four-digit years (1900–2099) written in s, in order,
// without repeats: "2020年", "(2023-2025年)", "到2025年".
func Years(s string) []int {
	var out []int
	for i := 0; i+4 <= len(s); i++ {
		if !(s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') || !isDigitByte(s[i+2]) || !isDigitByte(s[i+3]) {
			continue
		}
		if i > 0 && isDigitByte(s[i-1]) || i+4 < len(s) && isDigitByte(s[i+4]) {
			continue
		}
		rest := strings.TrimLeft(s[i+4:], " ")
		if !strings.HasPrefix(rest, "年") && !strings.HasPrefix(rest, "-") && !strings.HasPrefix(rest, "—") && !strings.HasPrefix(rest, "～") {
			continue
		}
		y := int(s[i]-'0')*1000 + int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
		if !slices.Contains(out, y) {
			out = append(out, y)
		}
		i += 3
	}
	return out
}

// StripTitles removes the names of documents, 《…》, from s: a year or a
// plan period inside a title ("《…三年行动计划(2023-2025年)》") names the
// document, not the time a sentence speaks of.
func StripTitles(s string) string {
	if !strings.Contains(s, "《") {
		return s
	}
	if !utf8.ValidString(s) {
		return stripTitlesRunes(s)
	}
	// 《 and 》 are E3 80 8A and E3 80 8B, which in valid UTF-8 start only
	// at a character: the text between titles is copied a run at a time.
	var b strings.Builder
	b.Grow(len(s))
	depth, start := 0, 0 // s[start:] at depth 0 is not yet written
	for i := 0; i+3 <= len(s); i++ {
		if s[i] != 0xe3 || s[i+1] != 0x80 || (s[i+2] != 0x8a && s[i+2] != 0x8b) {
			continue
		}
		switch {
		case s[i+2] == 0x8a:
			if depth == 0 {
				b.WriteString(s[start:i])
			}
			depth++
		case depth > 0:
			depth--
			start = i + 3
		}
		i += 2
	}
	if depth == 0 {
		b.WriteString(s[start:])
	}
	return b.String()
}

// stripTitlesRunes is StripTitles a rune at a time, for text that is not
// valid UTF-8 (whose bad bytes it turns into U+FFFD, as it always did).
func stripTitlesRunes(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '《':
			depth++
		case r == '》' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
