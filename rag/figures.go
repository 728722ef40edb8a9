package rag

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"wenda/rag/zh"
)

// Figure is a fact an answer states: one figure with the place, period and
// kind it belongs to, and the source it came from (Source.N).
type Figure struct {
	Value   string `json:"value"`           // the number as written: "97.01"
	Unit    string `json:"unit"`            // "%", "万人", "亿元"
	Bound   string `json:"bound,omitempty"` // "以上" for "98%以上", "超过" for "超过95%": the value is a lower bound; "以内" (UpperBound) for "5%以内": an upper one
	Measure string `json:"measure"`         // what is counted or measured, as the document names it
	Place   string `json:"place"`           // "南昌市"
	Period  string `json:"period"`          // "2020", "2025", "十四五", "2015-2020"; "" when the document does not say
	Kind    string `json:"kind"`            // "achieved", "target" or "change"
	N       int    `json:"n"`
}

// Kinds of a figure.
const (
	KindAchieved = "achieved"
	KindTarget   = "target"
	KindChange   = "change"
)

// number is the figure's value in its unit's base (万人 → 人) for
// comparisons; ok is false when it cannot be read.
func (f Figure) number() (v float64, base string, ok bool) {
	v, err := strconv.ParseFloat(f.Value, 64)
	if err != nil {
		return 0, "", false
	}
	base, scale := baseUnit(f.Unit)
	return v * scale, base, true
}

// baseUnit splits a unit into its scale and the measure word: "万个" →
// ("个", 1e4), "亿元" → ("元", 1e8), "%" → ("%", 1).
func baseUnit(u string) (string, float64) {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "余"), "多")
	// People are counted in 人, 名 or 位 alike.
	if strings.HasSuffix(u, "名") || strings.HasSuffix(u, "位") {
		u = u[:len(u)-len("名")] + "人"
	}
	for _, s := range []struct {
		prefix string
		scale  float64
	}{{"万亿", 1e12}, {"亿", 1e8}, {"万", 1e4}} {
		if strings.HasPrefix(u, s.prefix) {
			return strings.TrimSuffix(strings.TrimPrefix(u, s.prefix), "余"), s.scale
		}
	}
	return strings.TrimSuffix(strings.TrimSuffix(u, "余"), "多"), 1
}

// comparable reports whether two units measure alike: the same measure
// word whatever the scale; a figure without a unit takes the other's.
func comparableUnits(a, b string) bool {
	ba, _ := baseUnit(a)
	bb, _ := baseUnit(b)
	return ba == bb || ba == "" || bb == ""
}

// lineKind is whether a line states a result or a goal. A goal is what a
// plan sets: its clause says so (目标, 力争, 到2027年 after the document
// was published), or it stands under a heading of goals or tasks.
func lineKind(l candidate) string {
	ch := l.res.Chunk
	if l.unit.Cells != nil {
		return KindAchieved // table cells carry their own kind
	}
	span := zh.StripTitles(l.span)
	if containsAny(span, "目标", "力争", "预计", "计划", "将达到", "争取") {
		return KindTarget
	}
	if py := publishedYear(ch.Published); py != 0 {
		// A document cannot report a result of a year after it was
		// published: a figure of such a year is a goal.
		if y, err := strconv.Atoi(linePeriod(l)); err == nil && y > py {
			return KindTarget
		}
		if ys := zh.Years(span); len(ys) > 0 && minInt(ys) > py {
			return KindTarget
		}
	}
	// Whether a figure is reached already is said in its own clause.
	own := span
	for _, cl := range zh.Clauses(span) {
		if figs := zh.Figures(cl); len(figs) > 0 {
			own = cl[:figs[0].End] // up to the first figure: "…配备率100%"
			break
		}
	}
	reached := containsAny(own, "已", "现有", "目前", "截至", "截止", "累计", "共有", "实现了", "完成了", "达到了")
	if y := linePeriod(l); y != "" && !reached && plannedYear(ch.Title, y) {
		// "2020年工作总结及2021年工作要点": what the document sets out for
		// the year its title plans is a goal.
		return KindTarget
	}
	if containsAny(ch.Section, "目标", "要点", "主要任务", "重点任务", "要事") && !containsAny(ch.Section, "成就", "基础", "回顾", "成效", "完成") && !reached {
		return KindTarget
	}
	// A plan sets goals: outside its review of what came before, a figure
	// of a plan is a goal unless its clause says it is reached already.
	if isPlan(ch) && !isReview(ch) && !reached {
		return KindTarget
	}
	return KindAchieved
}

func minInt(xs []int) int {
	m := xs[0]
	for _, x := range xs[1:] {
		m = min(m, x)
	}
	return m
}

// linePeriod is the time a line's figures belong to, from the line itself:
// a year its clause or sentence names, else the time its paragraph opened
// with when the cited passage shows it, else its heading's or document's
// period. A plan's review of its achievements speaks of the period before
// the plan's. "" when nothing says.
func linePeriod(l candidate) string {
	years := func(s string) string {
		ys := zh.Years(zh.StripTitles(s))
		switch {
		case len(ys) == 1:
			return strconv.Itoa(ys[0])
		case len(ys) > 1:
			return strconv.Itoa(ys[0]) + "-" + strconv.Itoa(ys[len(ys)-1])
		}
		return ""
	}
	own := stripAsides(l.span) // "(含“十三五”接转项目)" dates no figure
	if y := years(own); y != "" {
		return y
	}
	for _, p := range periods {
		if strings.Contains(own, p.name) {
			return p.name
		}
	}
	if y := years(l.unit.Text); y != "" && !strings.Contains(y, "-") {
		return y
	}
	ch := l.res.Chunk
	// A year counts only where the passage names it as a time, not inside
	// a document's title ("《…实施方案(2018-2022年)》").
	shown := ch.Norm
	switch {
	case l.unit.Year != 0 && !isReview(ch) && containsInt(zh.Years(zh.StripTitles(shown)), l.unit.Year):
		// A plan's review runs through its period's years sentence by
		// sentence: there a year carried over from an earlier sentence
		// ("2018年…通过评估。高中毛入学率达到93%") dates nothing.
		return strconv.Itoa(l.unit.Year)
	case l.unit.Period != "" && strings.Contains(shown, l.unit.Period):
		return l.unit.Period
	case ch.Period != "" && isReview(ch):
		return reviewedPeriod(ch)
	case ch.Period != "":
		return ch.Period
	case ch.Year != 0:
		return strconv.Itoa(ch.Year)
	}
	return ""
}

// isPlan reports whether a chunk's document is a plan or a policy that sets
// goals (规划, 计划, 实施意见, 方案), not a report of results.
func isPlan(ch Chunk) bool {
	return containsAny(ch.Title, "规划", "计划", "意见", "方案") && !containsAny(ch.Title, "总结", "发布会", "成就")
}

// isReview reports whether a chunk of a plan reviews what came before it
// (发展成就, 发展基础) rather than setting goals.
func isReview(ch Chunk) bool {
	top, _, _ := strings.Cut(ch.Section, " > ")
	return containsAny(top, "发展成就", "发展基础", "回顾", "成效", "现状", "取得")
}

// reviewedPeriod is the plan period before a plan's own: what its review
// speaks of. "" when unknown.
func reviewedPeriod(ch Chunk) string {
	for i, p := range periods {
		if p.name == ch.Period && i > 0 {
			return periods[i-1].name
		}
	}
	return ""
}

// lineFigures are the facts a line states, labelled.
func lineFigures(q query, l candidate, n int) []Figure {
	ch := l.res.Chunk
	var out []Figure
	if l.unit.Cells != nil {
		for _, c := range shownCells(q, l) {
			f := cellFigure(c)
			f.Measure, f.Place, f.N = tableName(l.unit), ch.City, n
			switch {
			case c.Year == 0:
				f.Kind = KindChange
				f.Period = changePeriod(l.unit.Cells, c)
			case c.Year > publishedYear(ch.Published):
				f.Kind, f.Period = KindTarget, strconv.Itoa(c.Year)
			default:
				f.Kind, f.Period = KindAchieved, strconv.Itoa(c.Year)
			}
			out = append(out, f)
		}
		return out
	}
	return spanFigures(l, zh.Figures(l.span), n)
}

// baseYearRE is what names a comparison's base alone: "比2015年", "较2015年的".
var baseYearRE = mustPattern(`^(?:比|较|与|同|相比)\d{4}年(?:的|底|末)?$`)

// UpperBound is the Bound of a figure that is at most its value ("5%以内");
// every other bound is a lower one.
const UpperBound = "以内"

// spanFigures labels the figures found in a prose line's span: the line's
// period and kind, a change where its words say so, a bound, and the
// measure named before each figure.
func spanFigures(l candidate, figs []zh.Figure, n int) []Figure {
	ch := l.res.Chunk
	var out []Figure
	kind, period := lineKind(l), linePeriod(l)
	for _, fg := range figs {
		f := Figure{Value: fg.Num, Unit: fg.Unit, Place: ch.City, Period: period, Kind: kind, N: n}
		before := l.span[:fg.Start]
		before = clauseTail(before)
		f.Measure = measureName(before)
		if f.Measure == "" {
			// A figure opening its clause ("…交流轮岗,4537名校长教师参与")
			// counts what the clause before it names, when that clause
			// has no figure of its own.
			if prev := clauseTail(strings.TrimRight(l.span[:fg.Start-len(before)], ",，;；、")); len(zh.Figures(prev)) == 0 {
				f.Measure = measureName(prev)
			}
		}
		if baseYearRE.MatchString(f.Measure) {
			// The base is of its own year, the figure compared with it of
			// the line's other one: "2020年…133.34亿元,比2015年81.83亿元".
			if base, other, ok := splitBaseYear(f.Measure, period); ok {
				f.Period = base
				if len(out) > 0 && out[len(out)-1].Period == period && out[len(out)-1].Unit == fg.Unit {
					out[len(out)-1].Period = other
				}
			}
			// "133.34亿元,比2015年81.83亿元": the base of a comparison
			// measures what the figure before it does, in the span or
			// in the sentence before it.
			if len(out) > 0 && out[len(out)-1].Unit == fg.Unit {
				f.Measure = out[len(out)-1].Measure
			} else if i := strings.Index(l.unit.Text, l.span); i > 0 {
				prev := l.unit.Text[:i]
				if pf := zh.Figures(prev); len(pf) > 0 && pf[len(pf)-1].Unit == fg.Unit {
					f.Measure = measureName(clauseTail(prev[:pf[len(pf)-1].Start]))
				}
			}
		}
		if isChange(before, fg.Unit) {
			f.Kind = KindChange
		}
		if strings.HasSuffix(before, "超过") || strings.HasSuffix(before, "超") {
			f.Bound = "超过"
		} else if strings.HasPrefix(l.span[fg.End:], "以上") {
			f.Bound = "以上"
		} else if strings.HasPrefix(l.span[fg.End:], "以内") || strings.HasPrefix(l.span[fg.End:], "以下") {
			f.Bound = UpperBound // "降至5%以内": at most
		}
		out = append(out, f)
	}
	return out
}

// splitBaseYear reads the year of a comparison's base ("比2015年") against
// a line's period of two years ("2020-2015"): the base's year and the
// other one; ok is false unless the period is those two years.
func splitBaseYear(base, period string) (string, string, bool) {
	ys := zh.Years(base)
	a, b, found := strings.Cut(period, "-")
	if len(ys) != 1 || !found {
		return "", "", false
	}
	switch y := strconv.Itoa(ys[0]); y {
	case a:
		return a, b, true
	case b:
		return b, a, true
	}
	return "", "", false
}

// isChange reports whether a figure with this unit, after these words of
// its clause, states a change: "增长10%", "提高1.01个百分点".
func isChange(before, unit string) bool {
	t := tail(before, 9)
	if strings.HasSuffix(t, "至") || strings.HasSuffix(t, "到") {
		return false // "提升至86.85%", "增加到448所": the level reached
	}
	return containsAny(t, "增长", "提高", "增加", "减少", "下降", "降低", "提升") || strings.HasSuffix(unit, "百分点")
}

// clauseTail is what follows the last separator of a clause (，、；：):
// the words that name a figure's measure.
func clauseTail(s string) string {
	if i := strings.LastIndexAny(s, ",，、;；：:"); i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		return s[i+size:]
	}
	return s
}

// tail is the last n bytes of s, cut at a rune boundary.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && s[i]&0xC0 == 0x80 {
		i++
	}
	return s[i:]
}

// measureName is what the words before a figure say is measured, less the
// verbs that join them to it: "全市财政性教育经费累计投入达" → "财政性教育经费累计投入".
func measureName(before string) string {
	s := strings.TrimSpace(before)
	for changed := true; changed; {
		changed = false
		for _, v := range []string{"达到了", "达到", "分别为", "分别达", "为", "达", "是", "共", "约", "近", "超过", "超", "增至", "增加到", "提高到", "提高至", "到", "至", "有"} {
			if strings.HasSuffix(s, v) {
				s, changed = strings.TrimSuffix(s, v), true
			}
		}
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "全市"), "我市")
	return strings.Trim(s, edgeChars)
}

// cellFigure reads a table cell's value: "97.01%", "超过90%", "6.1万人".
func cellFigure(c Cell) Figure {
	f := Figure{Value: c.Value}
	v := c.Value
	if strings.HasPrefix(v, "超过") {
		f.Bound, v = "超过", strings.TrimPrefix(v, "超过")
	}
	if figs := zh.Figures(v); len(figs) == 1 {
		f.Value, f.Unit = figs[0].Num, figs[0].Unit
	}
	return f
}

// changePeriod names the years a difference column spans: "2015-2020".
func changePeriod(cells []Cell, c Cell) string {
	from := zh.Years(c.Column)
	to := 0
	for _, o := range cells {
		to = max(to, o.Year)
	}
	if len(from) == 1 && to > from[0] {
		return strconv.Itoa(from[0]) + "-" + strconv.Itoa(to)
	}
	return ""
}

// shownCells are the cells of a table line its answer shows: the change
// column only for questions about change.
func shownCells(q query, l candidate) []Cell {
	return l.cells
}

func asksChange(q query) bool {
	return q.intent.kind == askChange || q.intent.change
}

// principal is the figure of a line that answers: the first of the asked
// measure word, of the asked year, else the first that is not a change.
func principal(q query, figs []Figure) (Figure, bool) {
	if terms := metricTerms(q.metric); len(terms) > 0 {
		// The figure whose own words name the metric's head answers
		// before another figure of the same line ("实施学校项目86个,新增
		// 学位6500个" for 新增学位).
		head := terms[len(terms)-1]
		var named []Figure
		for _, f := range figs {
			if strings.Contains(zh.Canonical(f.Measure), head) {
				named = append(named, f)
			}
		}
		if f, ok := principalOf(q, named); ok {
			return f, true
		}
	}
	return principalOf(q, figs)
}

// sameScale reports whether one of two units is a bare scale the other
// starts with: "4.6万" counts in the 万人 asked, "多少亿" asks 亿元.
func sameScale(unit, asked string) bool {
	bare := func(u string) bool { return u != "" && strings.Contains("万亿千", u) }
	return bare(unit) && strings.HasPrefix(asked, unit) || bare(asked) && strings.HasPrefix(unit, asked)
}

// principalOf is principal among figs, in order.
func principalOf(q query, figs []Figure) (Figure, bool) {
	best, found := Figure{}, false
	for _, f := range figs {
		if f.Kind == KindChange && q.intent.kind != askChange {
			continue
		}
		// A bare scale ("近4.6万学生") counts in the unit asked with it ("5万人").
		if q.measure != "" && !measureWordOK(f.Unit, q.measure) && q.measure != "%" && q.measure != "个" && !sameScale(f.Unit, q.measure) {
			continue
		}
		if len(q.years) == 1 && f.Period != "" && f.Period != strconv.Itoa(q.years[0]) && periodEnd(f.Period) != q.years[0] {
			continue
		}
		if !found {
			best, found = f, true
		}
	}
	return best, found
}

// plannedYear reports whether a document's title announces its plans for
// year y ("…及2021年工作要点", "2024年工作计划").
func plannedYear(title, y string) bool {
	if len(y) != 4 {
		return false
	}
	for _, w := range []string{"年工作要点", "年工作计划", "年工作思路", "年工作安排", "年重点工作"} {
		if strings.Contains(title, y+w) {
			return true
		}
	}
	return false
}
