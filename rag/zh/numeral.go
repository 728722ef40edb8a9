package zh

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Figures in a model's text (DESIGN §2.6): a model writes figures the way
// Chinese prose does, not only the way documents print them — 百分之九十七点零一,
// 九成五, 两倍, 一千二百三十一人, 百分之97.01 — and each of them is a claim to check.
// Documents hold some such figures too (两所, 一万个), so the claim check reads
// both sides with ClaimFigures.

var numeralDigit = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

var numeralUnit = map[rune]float64{'十': 10, '百': 100, '千': 1000}

func isNumeralRune(r rune) bool {
	_, d := numeralDigit[r]
	_, u := numeralUnit[r]
	return d || u || r == '万' || r == '亿' || r == '点'
}

// Numeral reads a number written in Chinese numerals: "一千二百三十一" is
// 1231, "九十七点零一" 97.01, "十五" 15, "两" 2, "一万二千" 12000, "三亿" 3e8;
// digits alone are read digit by digit ("二〇二五" is 2025, "零点六七" 0.67).
// It returns the value, the number as Arabic digits ("97.01") and whether s
// is a numeral at all.
func Numeral(s string) (float64, string, bool) {
	if s == "" {
		return 0, "", false
	}
	intPart, fracPart, hasPoint := strings.Cut(s, "点")
	if hasPoint && (fracPart == "" || strings.Contains(fracPart, "点")) {
		return 0, "", false
	}
	frac := ""
	for _, r := range fracPart {
		d, ok := numeralDigit[r]
		if !ok {
			return 0, "", false
		}
		frac += strconv.Itoa(d)
	}
	var whole float64
	if intPart == "" {
		if !hasPoint {
			return 0, "", false
		}
	} else if v, ok := numeralInt(intPart); ok {
		whole = v
	} else {
		return 0, "", false
	}
	num := strconv.FormatFloat(whole, 'f', -1, 64)
	if frac != "" {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, "", false
	}
	return v, num, true
}

// numeralInt reads the integer part of a numeral.
func numeralInt(s string) (float64, bool) {
	onlyDigits := true
	for _, r := range s {
		if _, ok := numeralDigit[r]; !ok {
			onlyDigits = false
		}
	}
	if onlyDigits && utf8.RuneCountInString(s) > 1 {
		// "二〇二五": digit by digit, as years and codes are written.
		var v float64
		for _, r := range s {
			v = v*10 + float64(numeralDigit[r])
		}
		return v, true
	}
	var total, section, digit float64
	haveDigit, any := false, false
	lastSmall := 0.0 // the last small unit used, for "一万二" style shorthand
	for _, r := range s {
		switch {
		case r == '万' || r == '亿':
			big := 1e4
			if r == '亿' {
				big = 1e8
			}
			section += digit
			if section == 0 && total == 0 {
				return 0, false
			}
			if r == '亿' {
				total = (total + section) * big
			} else {
				total += section * big
			}
			section, digit, haveDigit, lastSmall = 0, 0, false, big
		default:
			if d, ok := numeralDigit[r]; ok {
				if haveDigit && d != 0 && digit != 0 {
					return 0, false // "九七" mixed with units is no numeral
				}
				digit, haveDigit, any = float64(d), true, true
				continue
			}
			u, ok := numeralUnit[r]
			if !ok {
				return 0, false
			}
			if !haveDigit {
				if section != 0 || total != 0 && lastSmall == 0 {
					return 0, false
				}
				digit = 1 // "十五" is 15
			}
			section += digit * u
			digit, haveDigit, lastSmall = 0, false, u
		}
		any = true
	}
	if !any {
		return 0, false
	}
	if haveDigit && digit != 0 && lastSmall >= 100 && section+total != 0 && !strings.ContainsRune(s, '零') {
		// "一万二" is 12000, "三百五" 350: a bare digit after a unit
		// counts in the next unit down.
		digit *= lastSmall / 10
	}
	return total + section + digit, true
}

// periodNames are the plan periods written in numerals: names, not figures.
var periodNames = []string{"十二五", "十三五", "十四五", "十五五"}

// measureAfter are the units that may follow a figure in numerals, longest
// first, as Figures' units; a numeral followed by none of them (nor by 成 or
// 倍, nor preceded by 百分之) is a word, not a figure: 一是, 进一步, 统一.
var measureAfter = units

// countWords are units a single 一 or 两 is used with as an article rather
// than a figure ("一个重要举措", "一批学校", "两项工作"): such figures are not
// claims.
var countWords = []string{"个", "项", "次", "条", "批", "套", "部", "门", "家", "台", "册", "间", "所", "名", "余", "多", "支", "类", "级", "方面"}

// ClaimFigures finds the figures a text states, in order: those Figures
// finds, and those written in Chinese numerals or with the words 百分之, 成
// and 倍. A share in 成 is returned in percent (九成五 is 95%, 三成 30%),
// 百分之… in %; a numeral's 万 and 亿 are part of its value (一千二百万元 is
// 12000000 元). Years and plan periods written in numerals (二〇二〇年,
// “十四五”) are not figures. s is normalised text.
func ClaimFigures(s string) []Figure {
	var out []Figure
	taken := func(start, end int) bool {
		for _, f := range out {
			if start < f.End && end > f.Start {
				return true
			}
		}
		return false
	}
	// 百分之 first: its number, Arabic or not, is a percentage.
	for i := 0; ; {
		j := strings.Index(s[i:], "百分之")
		if j < 0 {
			break
		}
		start := i + j
		numStart := start + len("百分之")
		i = numStart
		if numStart < len(s) && isDigitByte(s[numStart]) {
			for _, loc := range numbers(s[numStart:]) {
				if loc[0] != 0 {
					break
				}
				num := strings.ReplaceAll(s[numStart:numStart+loc[1]], ",", "")
				v, err := strconv.ParseFloat(num, 64)
				if err == nil {
					end := numStart + loc[1]
					out = append(out, Figure{Text: s[start:end], Num: num, Unit: "%", Value: v, Start: start, End: end})
				}
				break
			}
			continue
		}
		end := numStart
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !isNumeralRune(r) || r == '万' || r == '亿' {
				break
			}
			end += size
		}
		if v, num, ok := Numeral(s[numStart:end]); ok {
			out = append(out, Figure{Text: s[start:end], Num: num, Unit: "%", Value: v, Start: start, End: end})
		}
	}
	// Arabic figures, with 成 read as tenths.
	for _, f := range Figures(s) {
		if taken(f.Start, f.End) {
			continue
		}
		if f.Unit == "" && strings.HasPrefix(s[f.End:], "成") {
			f = shareOfTen(s, f.Start, f.End+len("成"), f.Value, "")
		}
		out = append(out, f)
	}
	// Numerals.
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isNumeralRune(r) || r == '点' || r == '万' || r == '亿' {
			i += size
			continue
		}
		start := i
		end := i
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !isNumeralRune(r) {
				break
			}
			end += size
		}
		i = end
		if taken(start, end) {
			continue
		}
		run := strings.TrimRight(s[start:end], "点")
		end = start + len(run)
		rest := s[end:]
		if first, _ := utf8.DecodeRuneInString(run); first == '百' || first == '千' {
			continue // 百姓, 千家万户: words, not figures
		}
		if isPeriodName(s, start, end) || strings.HasSuffix(s[:start], "第") || strings.HasPrefix(rest, "年") && utf8.RuneCountInString(run) == 4 {
			continue
		}
		v, num, ok := Numeral(run)
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(rest, "成"):
			// 九成五: nine tenths and five hundredths.
			fEnd := end + len("成")
			extra := ""
			if r, size := utf8.DecodeRuneInString(s[fEnd:]); size > 0 {
				if d, ok := numeralDigit[r]; ok && d != 0 {
					extra = strconv.Itoa(d)
					fEnd += size
				}
			}
			if v < 10 {
				out = append(out, shareOfTen(s, start, fEnd, v, extra))
			}
			continue
		case strings.HasPrefix(rest, "倍"):
			out = append(out, Figure{Text: run + "倍", Num: num, Unit: "倍", Value: v, Start: start, End: end + len("倍")})
			continue
		}
		unit := ""
		for _, u := range measureAfter {
			if strings.HasPrefix(rest, u) {
				unit = u
				break
			}
		}
		if unit == "" || unit == "万" || unit == "亿" || unit == "万亿" {
			continue
		}
		if utf8.RuneCountInString(run) == 1 && v <= 2 {
			article := false
			for _, w := range countWords {
				article = article || unit == w
			}
			if article || strings.HasSuffix(s[:start], "之") {
				continue // 一个, 两项, 之一
			}
		}
		out = append(out, Figure{Text: run + unit, Num: num, Unit: unit, Value: v, Start: start, End: end + len(unit)})
	}
	sortFigures(out)
	return out
}

// shareOfTen is a share written in 成 as a percentage: tens (and an extra
// digit of ones) of percent.
func shareOfTen(s string, start, end int, tens float64, ones string) Figure {
	v := tens * 10
	if ones != "" {
		d, _ := strconv.Atoi(ones)
		v += float64(d)
	}
	return Figure{Text: s[start:end], Num: strconv.FormatFloat(v, 'f', -1, 64), Unit: "%", Value: v, Start: start, End: end}
}

// isPeriodName reports whether s[start:end] is (part of) a plan period's
// name: “十四五”, 十四五规划.
func isPeriodName(s string, start, end int) bool {
	for _, p := range periodNames {
		for i := 0; ; {
			j := strings.Index(s[i:], p)
			if j < 0 {
				break
			}
			ps, pe := i+j, i+j+len(p)
			if ps < end && pe > start {
				return true
			}
			i = pe
		}
	}
	return false
}

func sortFigures(fs []Figure) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Start < fs[j-1].Start; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// NumeralYears rewrites years written in numerals as digits ("二〇二〇年" →
// "2020年"), so that Years finds them.
func NumeralYears(s string) string {
	if !strings.Contains(s, "年") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if i+1 < len(rs) && rs[i+1] == '千' && strings.ContainsRune("一二两", rs[i]) {
			// "两千零二十年", "一千九百九十九年": a year read out as a number.
			j := i + 2
			for j < len(rs) && j < i+10 && isNumeralRune(rs[j]) {
				j++
			}
			if j < len(rs) && rs[j] == '年' {
				if v, _, ok := Numeral(string(rs[i:j])); ok && v >= 1900 && v <= 2099 && v == float64(int(v)) {
					b.WriteString(strconv.Itoa(int(v)))
					i = j - 1
					continue
				}
			}
		}
		if i+4 < len(rs) && rs[i+4] == '年' {
			ok := true
			digits := make([]byte, 4)
			for k := 0; k < 4; k++ {
				d, isD := numeralDigit[rs[i+k]]
				if !isD || rs[i+k] == '两' {
					ok = false
					break
				}
				digits[k] = byte('0' + d)
			}
			if ok && (digits[0] == '1' && digits[1] == '9' || digits[0] == '2' && digits[1] == '0') {
				b.Write(digits)
				i += 3
				continue
			}
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}
