package rag

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	"wenda/rag/zh"
)

// plan answers a parsed question extractively, by the kind of answer it
// asks for: a greeting gets a short reply; a comparison gets each place's
// figure and a verdict; a figure is drawn from the documents, with a
// verdict against the citizen's threshold (yes/no) or the difference
// between two periods (change); a question no document answers gets a
// refusal that offers the labelled figures the documents do hold.
func (e *Engine) plan(ctx context.Context, q query, question string, covered []string) (Answer, error) {
	if q.intent.kind == askGreeting {
		return greetingAnswer(question, covered), nil
	}
	if q.scope.IsZero() && len(q.unknown) == 1 {
		q = e.namedCounty(q)
	}
	if g, _ := e.gazetteer(); g != nil {
		if trimmed, ok := dropIdentity(q.norm, g); ok {
			// "开诊所的，听说…花了不少钱，总共多少": who the citizen is
			// asks nothing.
			rq := parseQuery(trimmed, g)
			rq.repaired = q.repaired
			q = rq
		}
	}
	if trimmed, ok := dropRemark(q.norm); ok {
		// "…哪里的多一点 我女儿讲B城的多": the remark after the
		// ask asks nothing.
		if g, _ := e.gazetteer(); g != nil {
			rq := parseQuery(trimmed, g)
			rq.repaired = q.repaired
			q = rq
		}
	}
	if trimmed, ok := dropEcho(q.norm); ok {
		// "…增加了多少人?两年的人数各是多少?": the last ask asks again for
		// the figures the first is answered with.
		if g, _ := e.gazetteer(); g != nil {
			rq := parseQuery(trimmed, g)
			rq.repaired = q.repaired
			q = rq
		}
	}
	if text, ok := e.planAgainstLater(q); ok {
		// "省特级教师现在跟规划里写的比多了还是少了": the plan's figure is
		// of the year it starts from; the change to the later one is asked.
		if g, _ := e.gazetteer(); g != nil {
			rq := parseQuery(text, g)
			rq.repaired = q.repaired
			q = rq
		}
	}
	if personalAsk(q.norm) && !q.figure {
		// "哪所小学最好", "孩子能转过去吗": the documents rank no school and
		// decide no one's case; a passage naming the same school or
		// district is no answer.
		a := extractiveAnswer(q, question, nil, covered)
		a.Answer = "抱歉，资料中没有找到对具体学校的评价或个人事项（如转学、入学资格）的规定：这类问题请咨询当地教育部门或学校。"
		return a, nil
	}
	if q.yearsAgo != "" && q.searchable() {
		// "五年前呢": counted back from when? The documents date their
		// figures; the citizen is offered them, labelled, to choose from.
		return e.yearsAgoAnswer(ctx, q, question, covered)
	}
	if g, _ := e.gazetteer(); q.scope.IsZero() && !q.repaired && g != nil {
		// "九将的学位", "八中市…": a place typed by its sound is
		// that place, not every city or one unknown.
		if fixed, ok := placeRepair(q.norm, g); ok {
			if fq := parseQuery(fixed, g); !fq.scope.IsZero() {
				// Not marked repaired: a word mistyped besides the place
				// may still be ("九将…引近…").
				return e.plan(ctx, fq, fixed, covered)
			}
		}
	}
	if !q.repaired && repairable(q) && strings.ContainsAny(q.norm, ",，?？;；") && !containsAny(q.norm, greetings...) && e.mistyped(q) {
		// A question of several clauses is answered clause by clause (its
		// asks, or its ask without the scene), and a clause alone cannot
		// be repaired in the light of the others: "中值学生去年多
		// 少，明年目标多少" is repaired first, whole.
		if fixed, ok := e.homophoneRepair(q); ok {
			g, _ := e.gazetteer()
			fq := parseQuery(fixed, g)
			fq.repaired = true
			if a, err := e.plan(ctx, fq, fixed, covered); err != nil || a.Answered {
				return a, err
			}
		}
	}
	if q.intent.kind != askCompare && len(q.scope.Cities) <= 1 && asksComparison(q.norm) {
		if a, ok, err := e.measuresAnswer(ctx, q, question, covered); err != nil || ok {
			return a, err
		}
	}
	if a, ok, err := e.shareOfAnswer(ctx, q, question, covered); err != nil || ok {
		return a, err
	}
	if a, ok, err := e.perUnitAnswer(ctx, q, question, covered); err != nil || ok {
		return a, err
	}
	if sourceAskRE.MatchString(q.norm) {
		// "98.83%这个数出自哪篇,截至什么时候": the passages stating it
		// say where, when and of what.
		if a, ok, err := e.figureLookup(ctx, q, question, covered); err != nil || ok {
			return a, err
		}
	}
	if parts := splitParts(q.norm); parts != nil && (q.intent.kind == askValue || q.intent.kind == askCompare && !asksComparison(q.norm) && !comparesPlaces(parts[0], q.places)) {
		// Asks of one place after another ("九江是多少，巴中呢") compare
		// nothing: each is answered.
		return e.multiAnswer(ctx, q, parts, question, covered)
	}
	if q.intent.kind == askCompare && !asksComparison(q.norm) {
		// "我在A城上班，想搬去B城，B城有几所高中": one place is the
		// citizen's own; the asking clause names the place asked of.
		if g, _ := e.gazetteer(); g != nil {
			if aq, ok := askClause(q, g); ok && len(aq.scope.Cities) == 1 && containsAny(strings.Replace(q.norm, aq.norm, "", 1), selfWords...) {
				q = aq
			}
		}
	}
	if q.intent.kind == askCompare {
		return e.compareAnswer(ctx, q, question, covered)
	}
	if q.goalCheck {
		return e.goalAnswer(ctx, q, question, covered)
	}
	if a, ok, err := e.ordinalAnswer(ctx, q, question, covered); err != nil || ok {
		return a, err
	}
	if a, ok, err := e.figureLookup(ctx, q, question, covered); err != nil || ok {
		return a, err
	}
	if a, ok, err := e.figureList(ctx, q, question, covered); err != nil || ok {
		return a, err
	}
	if g, _ := e.gazetteer(); g != nil {
		if aq, ok := askClause(q, g); ok && len(aq.years) > 0 && len(q.years) > len(aq.years) && !asksChange(q) && !asksChange(aq) && !containsAny(aq.norm, "差", "比") && statesFigure(strings.Replace(q.norm, aq.norm, "", 1)) {
			// "听说2020年是133.34亿元,那2022年的是多少": the year the
			// citizen states a figure for is theirs; the ask is of its own.
			q = aq
		} else if aq, ok := askClause(q, g); ok && !e.answersWhole(ctx, q) {
			if scene := strings.Replace(q.norm, aq.norm, "", 1); subjectFirst(q.norm, aq.norm) && e.answersAt(ctx, q, subjectCoverage) {
				// "…全省运动会的田径和游泳项目，金银铜牌一共几块
				// 个": a clause before the ask that sets no scene names
				// what it is about, and the whole is answered.
			} else if q.docHint == "" && q.table == "" && withinScene(q.norm) {
				// "A城引进的医生里，儿科医生有多少": the ask is a part of
				// the whole the clause before names; it is answered alone
				// only by a passage that names that whole too.
				if !e.answersWithin(ctx, aq, withinWhole(q.norm, g)) {
					return extractiveAnswer(q, question, nil, covered), nil // the whole's figure is no answer either
				}
				q = aq
			} else if bareVerb(aq.metric) && !containsAny(scene, selfWords...) && !containsAny(scene, questionMarkers...) && len(metricTerms(q.metric)) > len(metricTerms(aq.metric)) {
				// "乡镇缺的儿科这些医生,A城去年招了多少": an ask of a
				// verb alone counts what the clause before names.
			} else if (q.figure || aq.figure || len(metricTerms(agents.Replace(aq.metric))) > 0 && e.answersSome(ctx, aq)) && !onlyChangeWords(aq.metric) && !onlyMoney(aq.metric) {
				q = aq
			}
			// A description asked of the scene ("放假没人照看，有什么
			// 服务"): the ask alone names nothing the documents hold, so
			// the scene is what it asks about.
		}
	}
	if q.scope.IsZero() && len(q.unknown) == 0 && q.searchable() {
		// No place named: every city whose documents answer is answered,
		// each labelled, rather than one chosen silently.
		return e.eachCity(ctx, q, question, covered)
	}
	if asksChange(q) && len(q.years) == 1 && !q.target && !q.latest && sinceYearRE.MatchString(q.norm) && !containsAny(q.norm, "到", "至") {
		// "跟2015年比多了多少": a table's column counting from that year
		// says it; else it is from that year to now.
		got, _, err := e.extract(ctx, q)
		if err != nil {
			return Answer{}, err
		}
		q.latest = !slices.ContainsFunc(got, func(l candidate) bool { return hasDiff(l.cells) })
	}
	if asksChange(q) && len(q.years) == 1 && q.latest {
		// "现在的入学率比2019年多了几个点": from the year named to the
		// latest year the documents report a result for.
		now := q
		now.years, now.intent, now.target = nil, intent{}, false
		got, _, err := e.extract(ctx, now)
		if err != nil {
			return Answer{}, err
		}
		latest := 0
		for _, l := range got {
			_, _, figs := compose(now, []candidate{l})
			for _, f := range figs {
				if y, err := strconv.Atoi(f.Period); err == nil && f.Kind == KindAchieved && y > latest && l.res.Chunk.City == got[0].res.Chunk.City {
					latest = y
				}
			}
		}
		if latest > q.years[0] {
			q.years, q.latest = []int{q.years[0], latest}, false
		}
	}
	lines, results, err := e.extract(ctx, q)
	if err != nil {
		return Answer{}, err
	}
	if len(lines) == 0 && q.measure == "元" && strings.Contains(q.metric, "钱") {
		// "扶持学校的钱": money, which the documents call 资金, 经费 or
		// 投入 (all 经费 in the lexicon), never 钱.
		mq := q
		mq.metric = strings.ReplaceAll(q.metric, "钱", "经费")
		if got, _, err := e.extract(ctx, mq); err != nil {
			return Answer{}, err
		} else if len(got) > 0 {
			q, lines = mq, got
		}
	}
	if hs := e.headingList(q, results); hs != nil {
		return extractiveAnswer(q, question, hs, covered), nil
	}
	if len(lines) > 0 && !q.repaired && repairable(q) && e.mistyped(q) {
		// A word no document holds ("普会性") answered by what the rest of
		// the question names: the question as most likely meant is
		// answered first, when it answers ("多少学味": the wrong character
		// for the right sound) and the repair is of that word.
		if a, ok, err := e.repaired(ctx, q, results, covered, true); err != nil || ok {
			return a, err
		}
	}
	if len(lines) == 0 && !q.repaired && repairable(q) {
		if a, ok, err := e.repaired(ctx, q, results, covered, false); err != nil || ok {
			return a, err
		}
		return e.nearMiss(ctx, q, question, covered)
	}
	if len(lines) == 0 {
		return e.nearMiss(ctx, q, question, covered)
	}
	if q.negated != "" {
		return e.negatedAnswer(q, question, lines, covered), nil
	}
	if asksChange(q) && len(q.years) == 2 {
		a, err := e.changeAnswer(ctx, q, question, lines, covered)
		if err == nil && a.Answered && q.rise != 0 {
			if v := riseVerdict(q, a.Figures); v != "" {
				a.Answer = v + "\n" + a.Answer
			}
		}
		return a, err
	}
	a := extractiveAnswer(q, question, lines, covered)
	switch q.intent.kind {
	case askYesNo:
		a.Answer = verdict(q, a.Figures) + a.Answer
	case askValue:
		if (q.sum || q.total && len(lines) == 1) && !asksChange(q) {
			if s := sumOf(lines[0].span, q.sum, q.norm); s != "" {
				a.Answer += "\n" + s
			}
		}
		if s := perYear(q, lines, a.Figures); s != "" {
			a.Answer += "\n" + s
		}
	}
	if asksChange(q) {
		d := ""
		if !slices.ContainsFunc(a.Figures, func(f Figure) bool { return f.Kind == KindChange && changeInMeasure(f.Unit, q.measure) }) {
			d = difference(q, a.Figures)
		}
		if d == "" {
			d = fromTo(lines)
		}
		if d == "" && changeAskRE.MatchString(q.norm) && !slices.ContainsFunc(lines, func(l candidate) bool { return statesChange(l.span) }) {
			// A change asked and only levels found: the levels are
			// offered, labelled, never given as the change.
			a.Answered = false
			a.Answer = "抱歉，资料中没有找到“" + strings.ReplaceAll(q.asked, " ", "") + "”的变化数据。" + RelatedMarker + "\n" + a.Answer
			return a, nil
		}
		if d != "" {
			a.Answer += "\n" + d
		}
	}
	return a, nil
}

// negatedAnswer answers what a whole holds besides a part ("不是部属院校毕业
// 的有几个"): a sentence that states the whole and then the part (其中…)
// gives their difference, worked and shown with both. Any other passage
// is offered, never given as the answer: its figure is of the part or of
// the whole.
func (e *Engine) negatedAnswer(q query, question string, lines []candidate, covered []string) Answer {
	for _, l := range lines {
		clauses := zh.Clauses(l.unit.Text)
		for i := 1; i < len(clauses); i++ {
			part := clauses[i]
			if !strings.HasPrefix(part, "其中") || !strings.Contains(q.masked(part), canonical(q.negated)) {
				continue
			}
			// The part's figure in the asked measure, and the whole's in
			// the part's unit ("幼儿园1052所、在园幼儿20.2万人,其中公办园
			// 428所…").
			pf := figureOf(zh.Figures(part), q.measure, "")
			if len(pf) == 0 && q.measure != "" {
				pf = figureOf(zh.Figures(part), "", unitOfClass(zh.Figures(part), q.measure))
			}
			if len(pf) != 1 {
				break
			}
			wf := figureOf(zh.Figures(clauses[i-1]), "", pf[0].Unit)
			if len(wf) != 1 || pf[0].Value > wf[0].Value {
				break
			}
			l.span = strings.TrimRight(clauses[i-1]+","+part, "。;；")
			a := extractiveAnswer(q, question, []candidate{l}, covered)
			prec := max(decimals(pf[0].Num), decimals(wf[0].Num))
			a.Answer += fmt.Sprintf("\n其余%s%s（%s − %s）。", strconv.FormatFloat(wf[0].Value-pf[0].Value, 'f', prec, 64), pf[0].Unit, wf[0].Text, pf[0].Text)
			return a
		}
	}
	a := extractiveAnswer(q, question, lines, covered)
	a.Answered = false
	a.Answer = "抱歉，资料中没有直接给出除“" + q.negated + "”以外的数据。" + RelatedMarker + "\n" + a.Answer
	return a
}

// figureOf keeps the figures measured by measure (when given) and in unit
// (when given).
func figureOf(figs []zh.Figure, measure, unit string) []zh.Figure {
	var out []zh.Figure
	for _, f := range figs {
		if (measure == "" || measureWordOK(f.Unit, measure)) && (unit == "" || f.Unit == unit || unitKind(f.Unit) != "" && unitKind(f.Unit) == unitKind(unit)) {
			out = append(out, f)
		}
	}
	return out
}

// unitOfClass is the unit of the first figure in the class of measure
// ("人" for a count asked with 个), "" when none is.
func unitOfClass(figs []zh.Figure, measure string) string {
	for _, f := range figs {
		if sameClass(f.Unit, measure) {
			return f.Unit
		}
	}
	return ""
}

// lastRunes is the last n runes of s.
func lastRunes(s string, n int) string {
	rs := []rune(s)
	return string(rs[max(0, len(rs)-n):])
}

// namedIn reports whether a question names a listed item by its head
// (item: the last characters before its figure, or the words after it, in
// the lexicon's terms): all its bigrams are the question's, and so is any
// kind the item's words (raw) name.
func namedIn(item, raw, question string) bool {
	terms := metricTerms(item)
	if len(terms) == 0 {
		return false
	}
	q := strings.ReplaceAll(canonical(question), "的", "") // "职称的人员" names 职称人员
	for _, t := range terms {
		if !strings.Contains(q, t) {
			return false
		}
	}
	// A kind the item names and the question does not ("正高级" beside the
	// 副高级 asked) is another item.
	for _, group := range alternatives[1:] {
		for _, w := range group {
			if strings.Contains(raw, w) && !strings.Contains(question, w) {
				return false
			}
		}
	}
	return true
}

// ordinalRE asks for one item of a numbered list: "第一件", "第3项".
var ordinalRE = mustPattern(`第([一二三四五六七八九十]{1,3}|\d{1,2})(?:件|项|条|个|点|大|方面)`)

// numerals writes 1 to 19 as the documents number their items.
var numerals = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九"}

// ordinalAnswer answers "十件大事的第三件是什么": the item a numbered list
// ("一、…;二、…") gives under that number, in a passage that, with the
// one before it and its heading, names what the question asks of. ok is
// false when the question asks no item by its number or no list has it.
func (e *Engine) ordinalAnswer(ctx context.Context, q query, question string, covered []string) (Answer, bool, error) {
	m := ordinalRE.FindStringSubmatch(q.norm)
	if m == nil {
		return Answer{}, false, nil
	}
	n := slices.Index(numerals, m[1])
	if n < 0 {
		n, _ = strconv.Atoi(m[1])
	}
	if n <= 0 || n+1 >= len(numerals) {
		return Answer{}, false, nil
	}
	rest := strings.Replace(q.norm, m[0], " ", 1)
	g, _ := e.gazetteer()
	tq := parseQuery(rest, g)
	terms := metricTerms(tq.metric)
	if len(terms) == 0 {
		return Answer{}, false, nil
	}
	weights := e.headWeights(terms)
	results, err := e.ix.Search(ctx, tq.searchText(), q.scope, retrieveDepth)
	if err != nil {
		return Answer{}, false, err
	}
	var best candidate
	bestCov := 0.0
	for _, r := range results {
		for _, u := range r.Chunk.Units {
			item, ok := listItem(u.Text, n)
			if !ok {
				continue
			}
			cov := coverage(terms, weights, tq.masked(r.Chunk.Section+" "+unitBefore(r.Chunk, u)+" "+u.Text))
			if cov > bestCov {
				best, bestCov = candidate{res: r, unit: u, span: item}, cov
			}
		}
	}
	if bestCov < minCoverage {
		return Answer{}, false, nil
	}
	tq.figure = false
	return extractiveAnswer(tq, question, []candidate{best}, covered), true, nil
}

// listItem is the item numbered n in text ("二、签订…协议;三、…" gives
// "签订…协议"), ok false when text numbers no such item.
func listItem(text string, n int) (string, bool) {
	mark := numerals[n] + "、"
	for i := 0; ; {
		j := strings.Index(text[i:], mark)
		if j < 0 {
			return "", false
		}
		at := i + j
		i = at + len(mark)
		if r, _ := utf8.DecodeLastRuneInString(text[:at]); strings.ContainsRune("一二三四五六七八九十", r) {
			continue // "十二、" holds "二、"
		}
		item := text[i:]
		if k := strings.Index(item, numerals[n+1]+"、"); k >= 0 {
			item = item[:k]
		}
		if k := strings.IndexAny(item, "。"); k >= 0 {
			item = item[:k]
		}
		item = strings.TrimRight(item, ";；,，。 ")
		return item, item != ""
	}
}

// sumOf adds the figures a clause lists ("获得一等奖22个、二等奖22个、
// 三等奖32个") when a total is asked: "合计76个（22个 + 22个 + 32个）". Only
// figures in one unit that counts add up, and money when the adding is
// asked in so many words (explicit); a clause that states a whole with its
// parts (其中, 含, 包括) or a share adds nothing: "" then.
func sumOf(span string, explicit bool, question string) string {
	if containsAny(span, "其中", "含", "包括", "占", "共有", "共计", "合计", "总数") {
		return ""
	}
	span = zh.StripTitles(span)
	figs := zh.Figures(span)
	// Of the items listed, those the question names, when it names some
	// ("国家级重点中职、省级达标中职…加起来" leaves out the 示范校 listed
	// beside them); all of them when it names none ("一共得了几个奖项").
	var named []zh.Figure
	from := 0
	for k, f := range figs {
		// An item is named by the words just before its figure or, where
		// the count comes first ("创建5所省级、12所市级…"), just after.
		before := span[from:f.Start]
		if i := strings.LastIndexAny(before, "、,，;；和及与"); i >= 0 {
			before = before[i:]
		}
		to := len(span)
		if k+1 < len(figs) {
			to = figs[k+1].Start
		}
		after := span[f.End:to]
		if i := strings.IndexAny(after, "、,，;；和及与"); i >= 0 {
			after = after[:i]
		}
		if namedIn(lastRunes(canonical(before), 3), before, question) || namedIn(canonical(firstRunes(after, 2)), after, question) {
			named = append(named, f)
		}
		from = f.End
	}
	switch {
	case len(named) >= 2:
		figs = named
	case len(named) == 1:
		return "" // the question names items the list does not match: nothing is added
	}
	if len(figs) < 2 {
		return ""
	}
	unit := figs[0].Unit
	if class := unitClass(unit); !(class == "count" || explicit && class == "money") {
		return ""
	}
	total, prec := 0.0, 0
	parts := make([]string, len(figs))
	for i, f := range figs {
		if f.Unit != unit || strings.ContainsAny(f.Text, "-~～至") {
			return ""
		}
		total += f.Value
		prec = max(prec, decimals(f.Num))
		parts[i] = f.Num + unit
	}
	return fmt.Sprintf("合计%s%s（%s）。", strconv.FormatFloat(total, 'f', prec, 64), unit, strings.Join(parts, " + "))
}

// ellipsisWords name no thing of their own: an ask of nothing else ("投入
// 多少资金", "公办的有几所", "规划要提到多少") is about what the question
// named before.
var ellipsisWords = strings.NewReplacer("经费", "", "占比", "", "数量", "", "目标", "", "规划", "", "公办", "", "民办", "", "其中", "", "分别", "", "这些", "", "那", "", "提到", "", "达到", "", "要", "", " ", "",
	"新增", "", "增加", "", "增长", "", "提高", "", "提升", "", "减少", "", "下降", "", "比上年", "")

// generic reports whether a metric is a bare noun of people or schools,
// which counts nothing without the words around it.
func generic(metric string) bool {
	m := strings.ReplaceAll(metric, " ", "")
	return slices.Contains(genericHeads, m) || m == "教师" || m == "幼儿"
}

// enrolledOnly reports whether a metric names people by their being
// enrolled and nothing else ("在读 学生", "在校生"): enrolled where, the
// question said before.
func enrolledOnly(metric string) bool {
	m := strings.ReplaceAll(metric, " ", "")
	for _, w := range []string{"在读", "在校", "在园", "在籍"} {
		if strings.HasPrefix(m, w) {
			rest := strings.TrimPrefix(strings.TrimPrefix(m, w), "的")
			return rest == "" || rest == "生" || generic(rest) || rest == "幼儿" || rest == "人数"
		}
	}
	return false
}

// elliptical reports whether a metric names nothing an answer could be
// found by on its own.
func elliptical(metric string) bool {
	return utf8.RuneCountInString(ellipsisWords.Replace(metric)) < 2
}

// nounsOf keeps of asked the words of two characters or more that are no
// verb of a programme or a flow: "家校公交专线 开 条" gives 家校公交专线.
func nounsOf(asked string) string {
	var b strings.Builder
	for _, w := range strings.Fields(asked) {
		if utf8.RuneCountInString(w) >= 2 && !slices.Contains(programmeVerbs, w) && !slices.Contains(flowVerbs, w) {
			b.WriteString(w)
		}
	}
	return b.String()
}

// verbOnly reports whether a metric names a verb of a programme or a flow
// and whom it reached in general words only ("服务 学生", "覆盖 学校").
func verbOnly(metric string) bool {
	ts := slices.DeleteFunc(metricTerms(metric), func(t string) bool { return slices.Contains(genericHeads, t) || t == "教师" })
	return len(ts) == 1 && (slices.Contains(programmeVerbs, ts[0]) || slices.Contains(flowVerbs, ts[0]))
}

// changeAskRE is a question that asks how much something changed (a change
// verb before 多少 or 几, or 比 a year or place and a change), not a name that
// holds a change word ("能力提升").
var changeAskRE = mustPattern(`(?:多了|增加了?|增长了?|提高了?|提升了?|上升了?|下降了?|降低了?|减少了?|涨了?|少了)(?:多少|几)|[比较].{0,10}(?:多|少|高|低|增|减|涨|降|提)`)

// changeWords state a change or a flow beside its figure: a line holding one
// answers a change asked.
var changeWords = []string{"增加", "新增", "增长", "提高", "提升", "减少", "下降", "降低", "增幅", "扩大", "多出", "上升"}

// statesChange reports whether a span states a change beside its figure
// ("增长62.95%", "新增学位6500个"), not a level reached ("提升至86.85%").
func statesChange(span string) bool {
	for _, w := range changeWords {
		for i := 0; ; {
			j := strings.Index(span[i:], w)
			if j < 0 {
				break
			}
			i += j + len(w)
			if !strings.HasPrefix(span[i:], "至") && !strings.HasPrefix(span[i:], "到") {
				return true
			}
		}
	}
	return false
}

// fromToRE is a change stated by its two ends: "从3.1%提高到8%", "由14.1万人
// 增加到20.2万人".
var fromToRE = mustPattern(`[从由]([\d.]+)(%|万人|万个|万|亿元|所|个|人|名)?(?:提高|提升|增加|增长|上升|下降|降低|减少)(?:到|至)([\d.]+)(%|万人|万个|万|亿元|所|个|人|名)?`)

// fromTo is the difference of the first line that states a change by its
// two ends in one unit, shown with both; "" when none does.
func fromTo(lines []candidate) string {
	for _, l := range lines {
		m := fromToRE.FindStringSubmatch(l.span)
		if m == nil || (m[2] != "" && m[4] != "" && m[2] != m[4]) {
			continue
		}
		unit := m[4]
		if unit == "" {
			unit = m[2]
		}
		a, err1 := strconv.ParseFloat(m[1], 64)
		b, err2 := strconv.ParseFloat(m[3], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		d, word := b-a, "增加"
		diffUnit := unit
		if unit == "%" {
			diffUnit, word = "个百分点", "提高"
		}
		if d < 0 {
			d, word = -d, map[bool]string{true: "下降", false: "减少"}[unit == "%"]
		}
		prec := max(decimals(m[1]), decimals(m[3]))
		return fmt.Sprintf("%s%s%s（%s%s − %s%s）。", word, strconv.FormatFloat(d, 'f', prec, 64), diffUnit, m[3], unit, m[1], unit)
	}
	return ""
}

// changeAnswer answers a change between two years. A year whose figure
// the lines lack is looked for on its own (the 2020 figure in a plan, the
// 2023 one in a later report); the difference is computed between the
// principal figures of the two years when they share place and unit. With
// a year still missing the answer is no answer: the figures found are
// offered, labelled.
func (e *Engine) changeAnswer(ctx context.Context, q query, question string, lines []candidate, covered []string) (Answer, error) {
	a := extractiveAnswer(q, question, lines, covered)
	if hasKind(a.Figures, KindChange) && !changeInOtherClass(q, a.Figures) && !(q.relative && !slices.ContainsFunc(a.Figures, func(f Figure) bool { return f.Kind == KindChange && f.Unit == "%" })) {
		return a, nil
	}
	if d := difference(q, a.Figures); d != "" {
		if len(lines) > 1 {
			// One line holding both ends ("133.34亿元,比2015年81.83亿元")
			// answers alone: another measure's line beside it is no part
			// of the change.
			for _, l := range lines {
				if one := extractiveAnswer(q, question, []candidate{l}, covered); difference(q, one.Figures) == d {
					one.Answer += "\n" + d
					return one, nil
				}
			}
		}
		a.Answer += "\n" + d
		return a, nil
	}
	var byYear []Figure
	var missing []string
	for _, y := range q.years {
		yq := q
		yq.years, yq.intent, yq.rowMetric = []int{y}, intent{}, q.rowMetric
		yq.target = false // "从2016年到2018年计划减少多少": each year's figure, result or goal as the documents give it
		yq.metric = q.rowMetric
		if g, _ := e.gazetteer(); g != nil {
			// What there was in each year: a stock ("省特级教师") is read
			// as a stock is, from a period's closing count too.
			yq.stock = parseQuery(itoa(y)+"年"+strings.ReplaceAll(q.rowMetric, " ", "")+"有多少", g).stock
		}
		if strings.HasSuffix(q.measure, "百分点") {
			yq.measure = "%" // a change in points is between two shares
		}
		f, line, ok := e.yearFigure(ctx, yq, lines)
		if !ok {
			missing = append(missing, itoa(y)+"年")
			continue
		}
		if !sameChunk(lines, line) {
			lines = append(lines, line)
		}
		byYear = append(byYear, f)
	}
	if from, to := minInt(q.years), maxInt(q.years); len(missing) == 1 && len(q.years) == 2 && to == from+1 && missing[0] == itoa(from)+"年" {
		// "比上一年涨了多少" of a year's figure: the documents give the change
		// on the year before as 同比, beside the later year's figure.
		if yoy, ok, err := e.yearOnYear(ctx, q, question, covered); err != nil || ok {
			return yoy, err
		}
	}
	a = extractiveAnswer(q, question, lines, covered)
	if len(missing) > 0 || len(byYear) != 2 || byYear[0].Unit != byYear[1].Unit || byYear[0].Place != byYear[1].Place || measureHead(byYear[0]) != measureHead(byYear[1]) {
		a.Answered = false
		gap := "无法计算变化"
		if len(missing) > 0 {
			gap = "资料中没有找到" + strings.Join(missing, "、") + "的相关数据，无法计算变化"
		}
		a.Answer = "抱歉，" + gap + "。" + RelatedMarker + "\n" + a.Answer
		return a, nil
	}
	// Both years' figures now name their year: the difference is theirs.
	byYear[1].Measure = byYear[0].Measure
	d := difference(q, byYear)
	if d == "" {
		// A bound against a later exact figure: the levels are offered,
		// never a change.
		a.Answered = false
		a.Answer = "抱歉，无法计算变化。" + RelatedMarker + "\n" + a.Answer
		return a, nil
	}
	a.Answer += "\n" + d
	return a, nil
}

// yearOnYear answers a change asked from the year before q's later year by
// the clause that states it on the year before (同比, 比上年); ok is false
// when no such clause is found.
func (e *Engine) yearOnYear(ctx context.Context, q query, question string, covered []string) (Answer, bool, error) {
	g, _ := e.gazetteer()
	if g == nil {
		return Answer{}, false, nil
	}
	// The later year's figure named as the documents state its change on
	// the year before ("…同比增长10%"); the clause that states it answers.
	var b strings.Builder
	for _, p := range q.places {
		b.WriteString(p.Name)
	}
	b.WriteString(itoa(maxInt(q.years)) + "年" + strings.ReplaceAll(q.rowMetric, " ", "") + yearOnYearWords[0] + "增长")
	yq := parseQuery(b.String(), g)
	yq.figure = true
	got, _, err := e.extract(ctx, yq)
	if err != nil || len(got) == 0 || !containsAny(got[0].span, yearOnYearWords...) {
		return Answer{}, false, err
	}
	return extractiveAnswer(yq, question, got[:1], covered), true, nil
}

// yearOnYearWords mark a change stated on the year before.
var yearOnYearWords = []string{"同比", "比上年", "较上年"}

// changeInOtherClass reports whether the changes stated are in another
// class than the one asked: "多了多少亿" is not answered by "增长62.95%",
// but by the difference of the two levels beside it.
func changeInOtherClass(q query, figs []Figure) bool {
	if q.measure == "" || strings.HasSuffix(q.measure, "百分点") || q.measure == "%" {
		return false
	}
	for _, f := range figs {
		if f.Kind == KindChange && sameClass(f.Unit, q.measure) {
			return false
		}
	}
	return true
}

// measureHead is the last two characters of a figure's measure in the
// lexicon's terms: its head noun (率, 占比, 在校生), which two figures must
// share to be one measure in two years (a 覆盖率 and an 占比 are not).
func measureHead(f Figure) string {
	rs := []rune(zh.Canonical(zh.Normalize(f.Measure)))
	return string(rs[max(0, len(rs)-2):])
}

// yearFigure is the principal figure q (one year) is answered with, from
// the lines already found or else from its own extraction, and its line.
func (e *Engine) yearFigure(ctx context.Context, q query, lines []candidate) (Figure, candidate, bool) {
	try := func(ls []candidate) (Figure, candidate, bool) {
		for i, l := range ls {
			_, _, figs := compose(q, []candidate{l})
			var own []Figure
			for _, f := range figs {
				if f.Period == itoa(q.years[0]) && f.Kind != KindChange {
					own = append(own, f)
				} else if q.stock && f.Kind == KindAchieved && periodEnd(f.Period) == q.years[0] {
					// "全市现有…101人" in the review of 十三五: what
					// there was when the period closed, in its last year.
					f.Period = itoa(q.years[0])
					own = append(own, f)
				}
			}
			if f, ok := principal(q, own); ok {
				f.N = 0
				return f, ls[i], true
			}
		}
		return Figure{}, candidate{}, false
	}
	if f, l, ok := try(lines); ok {
		return f, l, true
	}
	got, _, err := e.extract(ctx, q)
	if err != nil || len(got) == 0 {
		return Figure{}, candidate{}, false
	}
	return try(got[:1])
}

// greetingAnswer says what wenda can answer.
func greetingAnswer(question string, covered []string) Answer {
	text := "您好！我可以根据已收录的公开文件回答教育方面的问题，请直接输入您的问题。"
	if len(covered) > 0 {
		text = "您好！我可以根据已收录的" + strings.Join(covered, "、") +
			"教育公开文件回答问题：可以问某项数据、某年的规划目标、两地的比较，也可以接着上一问追问。请直接输入您的问题。"
	}
	return Answer{Mode: ModeExtractive, Question: question, Answer: text, Sources: []Source{}, Figures: []Figure{}}
}

// scoped is q asking about one city only.
func scoped(q query, city string) query {
	q.scope = Scope{Cities: []string{city}}
	var places []Place
	for _, p := range q.places {
		if len(p.Scope.Cities) == 1 && p.Scope.Cities[0] == city {
			places = append(places, p)
		}
	}
	if len(places) == 0 {
		places = []Place{{Name: city, Scope: q.scope}}
	}
	q.places = places
	return q
}

// namedCounty reads a county or district the gazetteer does not know
// ("平昌县") as a part of the one city whose documents name it, word for
// word: only passages naming it answer (query.subPlace). q is returned as
// it is when the name is no county's, or the documents name it for no city
// or several.
func (e *Engine) namedCounty(q query) query {
	name := q.unknown[0]
	if utf8.RuneCountInString(name) < 3 || !strings.HasSuffix(name, "县") && !strings.HasSuffix(name, "区") {
		return q
	}
	city := ""
	for _, r := range e.ix.stating(name, Scope{}, retrieveDepth) {
		if city != "" && r.Chunk.City != city || r.Chunk.City == "" {
			return q
		}
		city = r.Chunk.City
	}
	if city == "" {
		return q
	}
	q.unknown, q.subPlace, q.scope = nil, name, Scope{Cities: []string{city}}
	for i, p := range q.places {
		if p.Name == name {
			q.places[i].Scope = q.scope
		}
	}
	return q
}

// repaired answers q as the question it was most likely meant to be, which
// the answer names (Answer.Question): the documents' character between the
// same neighbours first, then the input method's wrong character for the
// right sound. ok is false when no repair is answered.
func (e *Engine) repaired(ctx context.Context, q query, results []Result, covered []string, strict bool) (Answer, bool, error) {
	g, _ := e.gazetteer()
	var fixes []query
	var texts []string
	for _, repair := range []func() (string, bool){func() (string, bool) { return e.repairTypo(q, results) }, func() (string, bool) { return e.homophoneRepair(q) }} {
		if fixed, ok := repair(); ok {
			fq := parseQuery(fixed, g)
			fq.repaired = true
			fixes, texts = append(fixes, fq), append(texts, fixed)
		}
	}
	// A repair of the word no document holds is tried first ("普会园":
	// 普惠园); one that leaves it as typed and changes another ("增加到":
	// 增加校) only after, and never where the question is answered as typed
	// (strict).
	known := e.unknownTerms(q)
	for pass := 0; pass < 2; pass++ {
		for i, fq := range fixes {
			if mends := e.unknownTerms(fq) < known; mends != (pass == 0) || !mends && strict {
				continue
			}
			if a, err := e.plan(ctx, fq, texts[i], covered); err != nil || a.Answered {
				return a, err == nil, err
			}
		}
	}
	return Answer{}, false, nil
}

// eachCity answers a question that names no place from every city whose
// documents answer it, each line labelled with its city.
func (e *Engine) eachCity(ctx context.Context, q query, question string, covered []string) (Answer, error) {
	var lines []candidate
	var cities []string
	for _, city := range covered {
		got, _, err := e.extract(ctx, scoped(q, city))
		if err != nil {
			return Answer{}, err
		}
		if len(got) > 0 {
			lines = append(lines, got[0])
			cities = append(cities, city)
		}
	}
	if q.negated != "" && len(cities) > 1 {
		return e.nearMiss(ctx, q, question, covered) // each city's whole less its part is not worked across cities
	}
	if len(cities) == 1 && (asksChange(q) || q.sum || q.total || q.negated != "") {
		// One city answers a change or a total: it is answered as asked
		// of that city, worked out as such.
		return e.plan(ctx, scoped(q, cities[0]), question, covered)
	}
	if len(lines) <= 1 {
		// One city or none: the whole answer of the unscoped question,
		// which may quote several years.
		all, results, err := e.extract(ctx, q)
		if err != nil {
			return Answer{}, err
		}
		if len(all) == 0 && !q.repaired && repairable(q) {
			// "毛入园律是多少", no place named: a mistyped word is
			// repaired as when a place is named.
			if a, ok, err := e.repaired(ctx, q, results, covered, false); err != nil || ok {
				return a, err
			}
		}
		if len(all) == 0 {
			return e.nearMiss(ctx, q, question, covered)
		}
		lines = all
	}
	a := extractiveAnswer(q, question, lines, covered)
	if q.intent.kind == askYesNo {
		a.Answer = verdict(q, a.Figures) + a.Answer
	}
	return a, nil
}

// compareAnswer answers each place named and says which is higher when
// their figures measure alike and are of one kind.
func (e *Engine) compareAnswer(ctx context.Context, q query, question string, covered []string) (Answer, error) {
	var lines []candidate
	var asked []query // the query each line answers
	var missing []string
	sides := e.compareSides(q)
	for _, city := range q.scope.Cities {
		sq := scoped(q, city)
		if side, ok := sides[city]; ok {
			sq = side
		}
		sq.intent = intent{}
		sq.figure = true // a comparison is of figures: a line without one says nothing of which is more
		if strings.HasSuffix(sq.measure, "百分点") {
			sq.measure = "%" // "高几个百分点": the gap of two shares
		}
		if len(sq.years) == 0 && sq.period.name == "" && !sq.target {
			sq.latest = true // no time named: each place's latest figure
		}
		got, _, err := e.extract(ctx, sq)
		if err != nil {
			return Answer{}, err
		}
		if len(got) == 0 && len(metricTerms(sq.metric)) > 1 {
			// "B城组建的医联体…和A城那年的比": the other side's verb
			// is carried over with its noun, and its document may say
			// "增至40个" of the same thing.
			if m := strings.TrimSpace(makeVerbs.Replace(" " + sq.metric)); m != sq.metric && len(metricTerms(m)) > 0 {
				aq := sq
				aq.metric = m
				if got, _, err = e.extract(ctx, aq); err != nil {
					return Answer{}, err
				}
			}
		}
		if pq, ok := periodEndAsPeriod(sq); ok && len(got) == 0 {
			// "B城这一期末": a document reviewing the whole period gives
			// its figures as of the period, labelled so.
			if got, _, err = e.extract(ctx, pq); err != nil {
				return Answer{}, err
			}
		}
		for _, alt := range slashAlternatives(sq.norm) {
			if len(got) > 0 {
				break
			}
			// "引进/补充教师": each side may say it by either word.
			aq := sq
			aq.metric = strings.Replace(sq.metric, alt[0], alt[1], 1)
			if got, _, err = e.extract(ctx, aq); err != nil {
				return Answer{}, err
			}
		}
		if len(got) == 0 {
			when := ""
			if !sq.latest {
				when = timeWords(sq)
			}
			missing = append(missing, city+when)
			continue
		}
		got[0].asked, got[0].metric = sq.asked, sq.metric
		lines = append(lines, got[0])
		asked = append(asked, sq)
	}
	if len(lines) == 0 {
		return extractiveAnswer(q, question, nil, covered), nil
	}
	a := extractiveAnswer(q, question, lines, covered)
	// A place the documents do not cover is a side with no figure.
	if q.peers() > 0 {
		missing = append(missing, q.unknown...)
	}
	if len(missing) > 0 {
		// One side only is no comparison: the figures found are offered,
		// labelled, and the question counts as not answered.
		a.Answered = false
		a.Answer = "抱歉，资料中没有找到" + strings.Join(missing, "、") + "的相关数据，无法比较。" + RelatedMarker + "\n" + a.Answer
		return a, nil
	}
	// One principal figure per place, in the order the lines were given.
	var facts []Figure
	for i := range lines {
		var own []Figure
		for _, f := range a.Figures {
			if f.Place == lines[i].res.Chunk.City {
				own = append(own, f)
			}
		}
		f, ok := principal(asked[i], own)
		if !ok {
			return a, nil
		}
		facts = append(facts, f)
	}
	if len(facts) == 2 && facts[0].Period != facts[1].Period && facts[0].Period != "" && facts[1].Period != "" {
		// "九江十四五与南昌十三五": each side is named with its time.
		for i := range facts {
			facts[i].Place += periodName(facts[i])
		}
	}
	if v := compareVerdict(q, facts); v != "" {
		a.Answer += "\n" + v
	}
	return a, nil
}

// trailingAskRE is the 多少 or 几 a side of a comparison ends with once
// its change word is cut.
var trailingAskRE = mustPattern(`\s(?:多少|几)[?？]?$`)

// compareSides reads each side of a comparison on its own when the question
// gives each place its own time or metric ("九江十四五的财政性教育经费和南昌
// 十三五的一般公共预算教育经费哪个多"): the text from one place to the next
// is that place's side; a side that names no metric takes the other's.
// Sides that cannot be told apart give none (the whole question is used).
func (e *Engine) compareSides(q query) map[string]query {
	var places []Place // each place at its first mention: "…B城上一期新建的比哪个多？B城上一期是多少" names B城 again
	for _, p := range q.places {
		if !slices.ContainsFunc(places, func(o Place) bool { return o.Name == p.Name }) {
			places = append(places, p)
		}
	}
	if len(places) != 2 || len(q.scope.Cities) != 2 {
		return nil
	}
	q.places = places
	if i := strings.IndexAny(q.norm, "?？"); i > 0 && i > places[1].start {
		// "…谁高？九江的是多少": what follows the comparison asks again of
		// one side; the sides are the comparison's.
		q.norm = q.norm[:i]
	}
	g, _ := e.gazetteer()
	cut := q.places[1].start
	clean := func(s string) string {
		// The change words first: "高多少" is a change, its 少 no
		// comparative; "高出多少" leaves the asking 多少.
		s = strings.NewReplacer("，", " ", ",", " ", "各是多少", " ", "各为多少", " ", "分别是多少", " ", "分别为多少", " ").Replace(s) // "…的数字各是多少": each side asked
		s = gapWordsRE.ReplaceAllString(s, " ")                                                                      // "差了多少": the comparison's own words
		s = sideFigureRE.ReplaceAllString(s, " ")                                                                    // "巴中目标是98%以上，跟B城比": the figure stated, no word of the measure
		s = sideBitRE.ReplaceAllString(s, " ")
		s = trailingAskRE.ReplaceAllString(changeRE.ReplaceAllString(s, " "), " ")
		s = compareRE.ReplaceAllString(s, " ")
		return strings.TrimRight(s, " 的比和与跟?？") // "A城2019年的比": the comparison's own words
	}
	left := clean(strings.TrimRight(q.norm[:cut], " 和与跟比及、,，"))
	right := clean(q.norm[cut:])
	if pre := parseQuery(q.norm[:q.places[0].start], g); pre.metric != "" {
		// "X这块，A城和B城谁的比例高": the topic before both
		// places is both sides'; its time too, unless the second side
		// names its own ("五年里新增的床位，A城的…和B城上一期的").
		if own := parseQuery(right, g); len(own.years) > 0 || own.period.name != "" || own.latest {
			right = strings.ReplaceAll(pre.asked, " ", "") + " " + right
		} else {
			right = clean(q.norm[:q.places[0].start]) + " " + right
		}
	}
	lq, rq := parseQuery(left, g), parseQuery(right, g)
	if len(lq.scope.Cities) != 1 || len(rq.scope.Cities) != 1 {
		return nil
	}
	// A time named after both places ("A城和B城现在的…") or before the
	// first ("2019年A城…比B城") is both sides'; one named after the first
	// place only ("A城2019年的…比B城") is that place's.
	shared := timeWords(parseQuery(q.norm[:q.places[0].start], g)) != ""
	inherit := func(side string, other query, right bool) query {
		s := side
		sq := parseQuery(side, g)
		if len(sq.years) == 0 && sq.period.name == "" && !sq.latest && (!right || shared) {
			s += timeWords(other)
		}
		s += strings.ReplaceAll(other.asked, " ", "")
		if other.target && !sq.latest && !containsAny(side, "实际", "已经", "做到") {
			s += "目标" // a goal beside a goal; "南昌2020年的实际", "B城现在的" are results
		}
		return parseQuery(s, g)
	}
	// A side whose metric has no term of its own ("…全年多多少所": 所,
	// "…的累计数": a figure of what the other side names) names none.
	lnone, rnone := len(metricTerms(sideWords.Replace(lq.metric))) == 0, len(metricTerms(sideWords.Replace(rq.metric))) == 0
	// A side naming one word of the other's metric ("某市那五年新增的"
	// beside "A城新增床位") asks the same: it names its place and time.
	topic := parseQuery(q.norm[:q.places[0].start], g).metric != "" // "普惠这一块，A和B…": both sides' already
	thin := func(m string) bool { return !topic && len(metricTerms(m)) == 1 }
	if !lnone && !rnone && thin(rq.metric) && termsWithin(rq.metric, lq.metric) && !termsWithin(lq.metric, rq.metric) {
		right, rnone = strings.Replace(right, strings.ReplaceAll(rq.asked, " ", ""), "", 1), true
	} else if !lnone && !rnone && thin(lq.metric) && termsWithin(lq.metric, rq.metric) && !termsWithin(rq.metric, lq.metric) {
		left, lnone = strings.Replace(left, strings.ReplaceAll(lq.asked, " ", ""), "", 1), true
	}
	switch {
	case lnone && rnone:
		return nil
	case lnone:
		lq = inherit(left, rq, false)
	case rnone:
		rq = inherit(right, lq, true)
	}
	if lq.scope.Cities[0] == rq.scope.Cities[0] {
		return nil
	}
	if t := timeWords(parseQuery(q.norm[:q.places[0].start], g)); t != "" && len(rq.years) == 0 && rq.period.name == "" && !rq.latest {
		rq = parseQuery(t+right, g) // "Y年A城和B城谁的…高": Y is B城's too
	}
	return map[string]query{lq.scope.Cities[0]: lq, rq.scope.Cities[0]: rq}
}

// sideFigureRE is a figure a comparison states of one side ("是98%以上"),
// and a comparative said with 些 or 点 ("高些", "多一点").
var (
	sideFigureRE = mustPattern(`(?:是|为|有)\d+(?:\.\d+)?\s*(?:%|万|亿|个|所|人|名)?(?:以上|以内|左右)?|\d+(?:\.\d+)?%(?:以上|以内|左右)?`)
	sideBitRE    = mustPattern(`(?:更)?(?:高|低|多|少|大|小)(?:一)?(?:些|点)儿?`)
)

// periodEndAsPeriod is q asked of the period whose end it names ("十四五末"
// as 十四五), ok false when it names none.
func periodEndAsPeriod(q query) (query, bool) {
	if len(q.years) != 1 || q.period.name != "" {
		return q, false
	}
	for _, p := range periods {
		if q.years[0] == p.end && containsAny(q.norm, p.name+"末", p.short+"末", p.name+"期末", p.short+"期末") {
			pq := q
			pq.years, pq.period = nil, p
			return pq, true
		}
	}
	return q, false
}

// compareVerdict says which of two facts is higher, or nothing when they
// cannot be compared honestly: other units, a target against a result, or
// a bound that leaves the order open.
func compareVerdict(q query, facts []Figure) string {
	// A result is compared with a goal only when a goal is asked of ("比B城
	// 计划建的多几所"); else a result and a goal are not one thing.
	kindsOK := facts[0].Kind == facts[1].Kind || containsAny(q.norm, "目标", "计划", "规划", "定的")
	if len(facts) != 2 || !kindsOK || !comparableUnits(facts[0].Unit, facts[1].Unit) {
		return ""
	}
	a, ua, ok1 := facts[0].number()
	b, ub, ok2 := facts[1].number()
	if !ok1 || !ok2 || (ua != ub && ua != "" && ub != "") {
		return ""
	}
	what := "数据"
	if facts[0].Kind == KindTarget {
		what = "目标"
	}
	switch {
	case a == b && facts[0].Bound == "" && facts[1].Bound == "":
		return fmt.Sprintf("比较：%s与%s的%s相同（%s）。", facts[0].Place, facts[1].Place, what, show(facts[0]))
	case a == b:
		return ""
	}
	hi, lo := facts[0], facts[1]
	if b > a {
		hi, lo = lo, hi
	}
	if lo.Bound != "" || hi.Bound == UpperBound { // "超过90%" against 95%: the order is not known
		return ""
	}
	hiName, loName := hi.Place, lo.Place
	if facts[0].Kind != facts[1].Kind {
		// A result beside a goal: the goal says it is one.
		what = "数字"
		if hi.Kind == KindTarget {
			hiName += "目标"
		}
		if lo.Kind == KindTarget {
			loName += "目标"
		}
	}
	out := fmt.Sprintf("比较：%s的%s更高（%s，%s为%s）。", hiName, what, show(hi), loName, show(lo))
	if containsAny(q.norm, "几倍", "多少倍") && hi.Bound == "" {
		// "是…的几倍": the higher over the lower, in one base unit.
		vh, _, _ := hi.number()
		vl, _, _ := lo.number()
		if vl > 0 {
			out += fmt.Sprintf("约%s倍（%s ÷ %s）。", strconv.FormatFloat(math.Round(vh/vl*100)/100, 'f', -1, 64), show(hi), show(lo))
		}
	}
	if q.intent.change || containsAny(q.norm, "差了多少", "差多少", "相差", "差距", "差几", "差了几") {
		// "高多少", "差了多少": the gap, worked, of two figures in one base unit (人
		// and 名 count people alike), in the higher's unit; a bound on the
		// higher makes it a least gap.
		vh, _, _ := hi.number()
		vl, _, _ := lo.number()
		_, scale := baseUnit(hi.Unit)
		unit := hi.Unit
		if unit == "%" {
			unit = "个百分点"
		}
		least := ""
		if hi.Bound != "" {
			least = "至少"
		}
		out += fmt.Sprintf("相差%s%s%s（%s − %s）。", least, exactFigure((vh-vl)/scale, max(decimals(hi.Value), decimals(lo.Value))), unit, show(hi), show(lo))
	}
	return out
}

// exactFigure writes v with the decimals given, or with as many as it needs
// when fewer would round it: 4.8万 − 6500 is 4.15万, never 4.2万.
func exactFigure(v float64, decimals int) string {
	exact := math.Round(v*1e6) / 1e6
	s := strconv.FormatFloat(exact, 'f', decimals, 64)
	if back, err := strconv.ParseFloat(s, 64); err == nil && math.Abs(back-exact) > 1e-9 {
		return strconv.FormatFloat(exact, 'f', -1, 64)
	}
	return s
}

// gapWordsRE asks the gap between two sides: "差了多少", "相差几个百分点".
var gapWordsRE = mustPattern(`(?:相差|差距|差了|差)(?:有)?(?:多少|几)?(?:个百分点|个点)?`)

// termsWithin reports whether every term of metric a is one of b's.
func termsWithin(a, b string) bool {
	bt := metricTerms(b)
	for _, t := range metricTerms(a) {
		if !slices.Contains(bt, t) {
			return false
		}
	}
	return true
}

// makeVerbs are the verbs that make a thing, at a word's start: the
// thing is named without them.
var makeVerbs = strings.NewReplacer(" 组建", " ", " 创建", " ", " 成立", " ", " 建成", " ", " 新建", " ", " 打造", " ", " 开办", " ", " 举办", " ")

// slashAlternatives reads "A/B" between words as either: for "引进/补充教
// 师" the replacements of "引进/补充" by "引进" and by "补充" — B as long as A,
// the words after it shared.
func slashAlternatives(norm string) [][2]string {
	i := strings.Index(norm, "/")
	if i <= 0 {
		return nil
	}
	before, after := []rune(norm[:i]), []rune(norm[i+1:])
	n := 0
	for n < len(before) && n < 4 && zh.IsHan(before[len(before)-1-n]) {
		n++
	}
	if n < 2 || len(after) < n {
		return nil
	}
	for _, r := range after[:n] {
		if !zh.IsHan(r) {
			return nil
		}
	}
	a, b := string(before[len(before)-n:]), string(after[:n])
	both := a + "/" + b
	return [][2]string{{both, a}, {both, b}}
}

// sideWords name a figure of a side of a comparison without saying of what:
// "累计数", "总额", a unit the answer is asked in.
var sideWords = strings.NewReplacer("累计数", " ", "总数", " ", "数字", " ", "数据", " ", "数量", " ", "总额", " ", "规模", " ", "亿元", " ", "万元", " ", "万人", " ", "人次", " ")

// show writes a figure as a citizen reads it: "98%以上", "超过90%".
func show(f Figure) string {
	s := f.Value + f.Unit
	switch f.Bound {
	case "以上", UpperBound:
		s += f.Bound
	case "超过":
		s = "超过" + s
	}
	return s
}

// verdict answers a yes/no question against the citizen's threshold from
// the answer's principal figure. A goal is never taken for a result, and a
// bound that leaves the answer open gets no verdict.
func verdict(q query, figs []Figure) string {
	f, ok := principal(q, figs)
	if !ok {
		return ""
	}
	if len(q.years) == 0 && q.period.name == "" && f.Kind == KindAchieved {
		// No time asked: the latest result of the measure says whether,
		// not an earlier one its table row gives first.
		for _, g := range figs {
			y, err1 := strconv.Atoi(g.Period)
			fy, err2 := strconv.Atoi(f.Period)
			if err1 == nil && err2 == nil && y > fy && g.Kind == KindAchieved && g.Measure == f.Measure && g.Unit == f.Unit {
				f = g
			}
		}
	}
	th := q.intent.threshold
	counted := q.counted
	if counted == "" {
		counted = countedKind(strings.ReplaceAll(q.metric, " ", ""))
	}
	if strings.HasSuffix(th.Unit, "个") && unitKind(f.Unit) == "person" && counted == "person" {
		th.Unit = strings.TrimSuffix(th.Unit, "个") + "人" // "有一万个老师吗": people, counted as speech does
	}
	if th.Unit == "" && counted != "" && unitKind(f.Unit) != "" && unitKind(f.Unit) != counted {
		// "学生有一百万没有": a bare threshold is of the thing asked, not
		// of the schools the same sentence counts first.
		found := false
		for _, g := range figs {
			if unitKind(g.Unit) == counted {
				f, found = g, true
				break
			}
		}
		if !found {
			return ""
		}
	}
	if !comparableUnits(f.Unit, th.Unit) || (th.Unit == "亿" || th.Unit == "万") && !strings.ContainsAny(f.Unit, "万亿元") && !(counted != "" && unitKind(f.Unit) == counted) {
		return "" // "6亿" is no threshold of a count of schools; "过万" of teachers is of a count of teachers
	}
	v, _, ok := f.number()
	if !ok {
		return ""
	}
	thUnit := th.Unit
	if thUnit == "" {
		thUnit = f.Unit
	}
	_, scale := baseUnit(thUnit)
	t := th.Value * scale
	var yes, known bool
	switch op := q.intent.op; {
	case f.Bound == UpperBound:
		// "5%以内" is at most 5%: below a threshold at or above it, and
		// nothing is known against a lower one.
		switch op {
		case "<=":
			yes, known = true, v <= t
		case "<":
			yes, known = true, v < t
		case ">", ">=", "=":
			yes, known = false, v < t || op == ">" && v <= t
		}
	case op == ">":
		yes, known = v > t, v > t || f.Bound == ""
		if f.Bound != "" && v >= t {
			yes, known = true, true
		}
	case op == ">=":
		yes, known = v >= t, v >= t || f.Bound == ""
	case op == "<":
		yes, known = v < t, f.Bound == ""
	case op == "=":
		yes, known = math.Abs(v-t) <= 1e-9*math.Max(1, math.Abs(t)), f.Bound == ""
	case op == "<=":
		yes, known = v <= t, f.Bound == ""
	}
	if !known {
		return ""
	}
	word := map[string][2]string{">": {"超过了", "没有超过"}, ">=": {"达到了", "没有达到"}, "<": {"低于", "不低于"}, "<=": {"在", "超出了"}, "=": {"是", "不是"}}[q.intent.op]
	thText := strconv.FormatFloat(th.Value, 'f', -1, 64) + thUnit
	if th.Value >= 10000 && !strings.ContainsAny(thUnit, "万亿") {
		thText = compactFigure(th.Value, thUnit) // "一百万": 100万, as said
	}
	if f.Kind == KindTarget && math.Abs(v-t) <= 1e-9*math.Max(1, math.Abs(t)) {
		return "" // the goal found is the threshold itself: it says nothing of what was reached
	}
	if f.Kind == KindTarget {
		if yes {
			return "资料给出的是目标，不是实际完成情况：目标" + show(f) + "，" + word[0] + thText + "。\n"
		}
		return "资料给出的是目标，不是实际完成情况：目标" + show(f) + "，" + word[1] + thText + "。\n"
	}
	shown := show(f)
	for _, g := range figs {
		if g.Period != f.Period && g.Measure == f.Measure && f.Period != "" {
			shown = periodLabel(f.Period) + shown // the row gives other times too: say which one answers
			break
		}
	}
	if q.latest && f.Period != "" && !strings.HasPrefix(shown, periodLabel(f.Period)) {
		shown = periodLabel(f.Period) + shown // "现在过了没": the latest the documents give is of its own time, said so
	}
	if yes && q.intent.op == "=" {
		return "是，" + shown + "。\n"
	}
	if yes && q.intent.op == "<=" {
		return "是，" + shown + "，在" + thText + "以内。\n"
	}
	if yes {
		return "是，" + shown + "，" + word[0] + thText + "。\n"
	}
	return "否，" + shown + "，" + word[1] + thText + "。\n"
}

// difference computes the change between the two asked years from two facts
// of one measure, place and unit, shown with both figures.
func difference(q query, figs []Figure) string {
	from, to := 0, 0
	if len(q.years) == 2 {
		from, to = min(q.years[0], q.years[1]), max(q.years[0], q.years[1])
	} else {
		// The earliest and latest years the answer's first measure gives.
		for _, f := range figs {
			y, err := strconv.Atoi(f.Period)
			if err != nil || f.Kind == KindChange || (len(figs) > 0 && f.Measure != figs[0].Measure) {
				continue
			}
			if from == 0 || y < from {
				from = y
			}
			to = max(to, y)
		}
		if from == to {
			return ""
		}
	}
	var a, b *Figure
	for i := range figs {
		f := &figs[i]
		if f.Kind == KindChange || (f.Bound != "" && f.Period != strconv.Itoa(to)) {
			continue // a bound gives a least change from an exact earlier figure only
		}
		switch f.Period {
		case strconv.Itoa(from):
			if a == nil {
				a = f
			}
		case strconv.Itoa(to):
			if b == nil && (a == nil || (a.Measure == f.Measure && a.Place == f.Place)) {
				b = f
			}
		}
	}
	if a == nil || b == nil || a.Unit != b.Unit || a.Measure != b.Measure || a.Place != b.Place || a.Bound == UpperBound || b.Bound == UpperBound {
		return ""
	}
	va, _, ok1 := a.number()
	vb, _, ok2 := b.number()
	if !ok1 || !ok2 {
		return ""
	}
	if q.relative && a.Unit != "%" && va > 0 && a.Bound == "" && b.Bound == "" {
		// "升幅是多少%": the change over the earlier level, worked.
		pct := (vb - va) / va * 100
		word := "增长"
		if pct < 0 {
			word, pct = "下降", -pct
		}
		return fmt.Sprintf("%s比%s%s%s%%（(%s − %s) ÷ %s）。", yearOf(*b, to), yearOf(*a, from), word, strconv.FormatFloat(math.Round(pct*100)/100, 'f', -1, 64), show(*b), show(*a), show(*a))
	}
	prec := max(decimals(a.Value), decimals(b.Value))
	d := vb - va
	unit := a.Unit
	if unit == "%" {
		unit = "个百分点"
	}
	word := "增加"
	if unit == "个百分点" {
		word = "提高"
	}
	if d < 0 {
		word, d = "减少", -d
		if unit == "个百分点" {
			word = "下降"
		}
	}
	_, scale := baseUnit(a.Unit)
	diff := strconv.FormatFloat(d/scale, 'f', prec, 64)
	if b.Bound != "" {
		if vb < va {
			return "" // "超过90%" after 95%: the change is not known
		}
		// "超过90%" after 86.85%: at least the gap to the bound.
		return fmt.Sprintf("%s比%s%s%s%s以上（%s − %s）。", yearOf(*b, to), yearOf(*a, from), word, diff, unit, show(*b), show(*a))
	}
	if d == 0 {
		if b.Kind == KindTarget {
			// A goal level with the result before it: each with its own
			// year and kind, never one figure for both.
			return fmt.Sprintf("持平：%s%s，%s%s。", yearOf(*a, from), show(*a), yearOf(*b, to), show(*b))
		}
		return fmt.Sprintf("%s与%s持平（均为%s）。", yearOf(*b, to), yearOf(*a, from), show(*a))
	}
	return fmt.Sprintf("%s比%s%s%s%s（%s − %s）。", yearOf(*b, to), yearOf(*a, from), word, diff, unit, show(*b), show(*a))
}

// yearOf names a figure's year in a computed change, a goal's as a goal
// ("2025年目标比2020年增加…"): the plan's figure is no result.
func yearOf(f Figure, y int) string {
	if f.Kind == KindTarget {
		return itoa(y) + "年目标"
	}
	return itoa(y) + "年"
}

func hasKind(figs []Figure, kind string) bool {
	for _, f := range figs {
		if f.Kind == kind {
			return true
		}
	}
	return false
}

func decimals(v string) int {
	if i := strings.IndexByte(v, '.'); i >= 0 {
		return len(v) - i - 1
	}
	return 0
}

// yearsAgoAnswer refuses a question whose time is counted from a moment it
// does not give ("几年前"), offering the figures of each time the documents
// hold for the metric.
func (e *Engine) yearsAgoAnswer(ctx context.Context, q query, question string, covered []string) (Answer, error) {
	refusal := extractiveAnswer(q, question, nil, covered)
	refusal.Answer = "抱歉，资料中没有找到“" + q.yearsAgo + "”的数据：无法确定是哪一年，请说明具体年份。"
	wide := q
	wide.latest, wide.target = false, false
	lines, _, err := e.extract(ctx, wide)
	if err != nil || len(lines) == 0 {
		return refusal, err
	}
	a := extractiveAnswer(wide, question, lines, covered)
	a.Answered = false
	a.Answer = refusal.Answer + RelatedMarker + "\n" + a.Answer
	return a, nil
}

// nearMiss is the refusal for a question whose year, period or goal the
// documents do not hold: it says what is missing and offers, labelled and
// cited, the same place's figures for the metric that the documents do
// hold. answered stays false.
func (e *Engine) nearMiss(ctx context.Context, q query, question string, covered []string) (Answer, error) {
	refusal := extractiveAnswer(q, question, nil, covered)
	if !q.searchable() || (len(q.years) == 0 && q.period.name == "" && !q.target && !q.anyYear) {
		return refusal, nil
	}
	if q.anyYear {
		var name strings.Builder
		for _, p := range q.places {
			name.WriteString(p.Name)
		}
		refusal.Answer = "抱歉，资料中没有找到“" + name.String() + strings.ReplaceAll(q.asked, " ", "") + "”单独一年的数据。"
	}
	wide := q
	wide.years, wide.period, wide.target, wide.latest, wide.anyYear = nil, period{}, false, false, false
	if q.intent.kind == askChange {
		wide.intent = intent{}
	}
	lines, _, err := e.extract(ctx, wide)
	if err != nil || len(lines) == 0 {
		return refusal, err
	}
	a := extractiveAnswer(wide, question, lines, covered)
	a.Answered = false
	a.Answer = refusal.Answer + RelatedMarker + "\n" + a.Answer
	return a, nil
}

// changeInMeasure reports whether a change stated in unit answers a change
// asked in measure: "多了多少亿" is not answered by "增长62.95%", which
// leaves the difference of the levels to be worked.
func changeInMeasure(unit, measure string) bool {
	switch {
	case measure == "":
		return true
	case unitClass(measure) == "":
		return unitClass(unit) != "share" // "多少亿": money or a count, not a share
	}
	return sameClass(unit, measure)
}

// repairable reports whether a question is grounded enough for a mistyped
// word in it to be repaired: it names a place the documents cover or asks
// for a figure. "明天放不放假" names neither; a character changed to make
// it a question about the documents would answer what nobody asked.
func repairable(q query) bool {
	return !q.scope.IsZero() || q.figure
}

// RelatedMarker opens the part of a refusal that offers, labelled, what the
// documents hold instead of what was asked: the figures after it are not an
// answer to the question.
const RelatedMarker = "相关数据："

// questionMarkers ask for something; a question with two of them in
// separate clauses asks two things.
// questionMarkers say that a part of a question asks; the last, 呢, asks
// as a follow-up does.
var questionMarkers = []string{"多少", "几", "多久", "多长", "多大", "多高", "多远", "哪些", "哪个", "哪里", "什么", "是否", "是不是", "有没有", "吗", "呢"}

// twoAsksRE is an ask (几 or 多少 and its measure word) followed by a
// clause that asks again, with no separator between: "有几个一共花了多少",
// "花了多少钱建了几所学校". 几 before a unit of time or a rank (几年,
// 几点, 几成) asks no count of its own.
var twoAsksRE = mustPattern(`^(.*?(?:多少|几)(?:个|所|名|位|项|条|户|家|万人|亿元|万元|元|钱|人)?)([^\d年月天日点成倍次岁分秒号期级等和与及、，,。?？\s][^和与及其、，,。?？\s\d]{0,9}?(?:多少|几))`)

// partSeps cut a question into its parts: made once, not per question.
var partSeps = strings.NewReplacer("以及", ",", "还有", ",", "另外", ",", "其中", ",其中", "，", ",", "；", ",", ";", ",", "、", ",", "?", ",", "？", ",", "和多少", ",多少", "和几", ",几")

// splitParts cuts a question that asks several things ("撤并几所医院、新增
// 多少个学位") into its asks. A clause that asks nothing ("我家孩子明年上小学")
// is context for the ask after it. Fewer than two asks: nil.
func splitParts(norm string) []string {
	if containsAny(norm, sumWords...) {
		return nil // "…A和B，加起来多少": one total asked of all it names
	}
	seps := partSeps
	if m := twoAsksRE.FindStringSubmatchIndex(norm); m != nil {
		// "有几个一共投了多少钱": two asks run together (a space typed
		// between them is gone once normalised).
		norm = norm[:m[3]] + "," + norm[m[3]:]
	}
	if i := strings.IndexAny(norm, ":："); i > 0 && strings.Contains(norm[i:], "、") {
		if each := splitEach(norm); each != nil {
			return each // "几项数分别多少：A、B、C"
		}
	}
	var parts []string
	pending := ""
	for _, seg := range strings.Split(seps.Replace(norm), ",") {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		if pending != "" && !strings.HasSuffix(pending, "、") && strings.Contains(norm, strings.TrimRight(pending, "、")+"、"+seg) {
			pending += "、" // "A、B、C,各为多少": the things listed stay a list
		} else if pending != "" && (strings.Contains(norm, pending+"以及"+seg) || strings.Contains(norm, pending+",以及"+seg)) {
			pending += "及" // "A,以及B,分别是多少": still a list of two
		}
		pending += seg
		if containsAny(seg, questionMarkers...) {
			if len(parts) > 0 && pending == seg && bareCheck(seg) {
				// "…几点上学，是不是推迟了": a check of the ask before,
				// naming nothing of its own.
				parts[len(parts)-1] += "," + seg
			} else {
				parts = append(parts, pending)
			}
			pending = ""
		}
	}
	if pending != "" && len(parts) > 0 && !containsAny(pending, selfWords...) {
		parts[len(parts)-1] += pending // a remark of the citizen's own after the asks ("我外甥女明年想考") asks nothing
	}
	if len(parts) == 1 {
		return splitEach(parts[0])
	}
	if len(parts) == 0 {
		return splitEach(norm) // "A、B和C的数量": a list asks by its last words
	}
	if len(parts) < 2 {
		return nil
	}
	// "A和B各有多少所？哪个多": each part asks of each thing it lists, and a
	// part that only compares is said by the comparison of the others.
	var out []string
	for _, p := range parts {
		if each := splitEach(p); each != nil {
			out = append(out, each...)
		} else if !onlyCompares(p) {
			out = append(out, p)
		}
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// sceneWords mark a clause that tells the citizen's own situation or
// where they heard something, not what is asked: themselves, their family,
// their plans.
var sceneWords = []string{"我", "俺", "咱", "本人", "孩子", "娃", "儿子", "女儿", "孙子", "孙女", "外孙", "老公", "老婆", "爱人", "家里", "家长", "听说", "看到", "新闻", "想", "打算", "准备", "明年", "下学期", "今年", "最近", "现在", "根据", "按", "表", "规划", "报道", "文件", "材料", "总结"}

// agents are who a citizen asks to act ("政府部门有什么招"): they name no
// measure of their own.
var agents = strings.NewReplacer("教育局", " ", "教育部门", " ", "有关部门", " ", "相关部门", " ", "政府", " ", "官方", " ", "上面", " ")

// selfWords are how citizens speak of themselves and their own.
var selfWords = []string{"我", "俺", "本人", "咱", "鄙人", "老朽", "在下", "晚辈"}

// checkWords ask whether what was said holds.
var checkWords = strings.NewReplacer("是不是", "", "是否", "", "对不对", "", "真的假的", "", "真的吗", "", "对吗", "", "吗", "", "了", "", "呢", "", "啊", "", "吧", "", "真的", "", "?", "", "？", "")

// bareCheck reports whether a part of a question only checks the part
// before ("是不是推迟了", "真的假的"): a verb at most is left of it.
func bareCheck(part string) bool {
	return utf8.RuneCountInString(strings.TrimSpace(checkWords.Replace(part))) <= 2
}

// onlyCompares reports whether a part of a question only asks which is
// more ("哪个多", "谁更高").
func onlyCompares(part string) bool {
	return asksComparison(part) && utf8.RuneCountInString(strings.Trim(compareRE.ReplaceAllString(part, ""), " ?？")) <= 1
}

// listEndRE is the predicate a list of things shares at its end: "…的数量",
// "…是多少".
var listEndRE = mustPattern(`(?:的(?:数量|数据|人数|数字|指标|情况)|分别是多少|各是多少|是多少|有多少)[?？]?$`)

// itemWords is a list's first item without the year it opens with
// ("2021年初中" names 初中 in 2021): the time is the question's, not the
// item's.
func itemWords(np string) string {
	if i := strings.LastIndex(np, "年"); i >= 0 && len(zh.Years(np[:i+len("年")])) > 0 {
		return strings.TrimSpace(np[i+len("年"):])
	}
	return np
}

// splitEach cuts "A和B各有多少个" / "A、B分别是多少" into "A有多少个" and
// "B有多少个": one predicate asked of several things.
func splitEach(s string) []string {
	if i := strings.IndexAny(s, ":："); i > 0 && containsAny(s[:i], "分别", "各", "多少") {
		// "几项数分别多少：A、B、C": each thing the list after the colon
		// names, asked as the words before it ask.
		_, size := utf8.DecodeRuneInString(s[i:])
		when := ""
		for _, y := range zh.Years(s[:i]) {
			when += strconv.Itoa(y) + "年" // the time named before the colon is each one's
		}
		var out []string
		for _, np := range strings.Split(strings.TrimRight(s[i+size:], "?？。 "), "、") {
			if np = strings.TrimSpace(np); np != "" {
				out = append(out, when+np+"是多少")
			}
		}
		if len(out) >= 2 {
			return out
		}
	}
	for _, w := range []string{"分别", "各自", "各"} {
		i := strings.Index(s, w)
		if i <= 0 {
			continue
		}
		subjects, predicate := s[:i], s[i+len(w):]
		var nps []string
		for _, np := range strings.FieldsFunc(conjunctions(subjects), func(r rune) bool { return r == ',' }) {
			if np = strings.TrimSpace(np); np != "" {
				nps = append(nps, np)
			}
		}
		if len(nps) < 2 {
			return nil
		}
		// "小学和初中的班额比例各降到多少": the head the last names
		// after 的 is each one's.
		head := ""
		if last := nps[len(nps)-1]; strings.Contains(last, "的") {
			head = last[strings.LastIndex(last, "的")+len("的"):]
		} else if h := sharedHead(nps); h != "" {
			// "小学和初中近视率分别…": the last names its level,
			// then what each level is asked of.
			head = h
		}
		out := make([]string, len(nps))
		for j, np := range nps {
			out[j] = np + predicate
			if j < len(nps)-1 && utf8.RuneCountInString(head) >= 2 && !strings.Contains(np, "的") && utf8.RuneCountInString(itemWords(np)) <= 4 {
				out[j] = np + head + predicate
			}
		}
		return out
	}
	// "撤并学校、实施学校项目和新增学位的数量": a list of things, each
	// asked by the words the list ends with.
	if loc := listEndRE.FindStringIndex(s); loc != nil && strings.Contains(s[:loc[0]], "、") {
		predicate := s[loc[0]:]
		if strings.HasPrefix(predicate, "的") {
			predicate = "有多少"
		}
		var out []string
		for _, np := range strings.FieldsFunc(s[:loc[0]], func(r rune) bool { return strings.ContainsRune("、和与及", r) }) {
			if np = strings.TrimSpace(np); np != "" {
				out = append(out, np+predicate)
			}
		}
		if len(out) >= 2 {
			return out
		}
	}
	return nil
}

// sharedHead is what the last of nps names after an alternative of the
// group the others are (levels, ranks, owners: "小学", "初中近视率" →
// 近视率), in the lexicon's terms; "" when the others are no such words
// or the last opens on none of their group.
func sharedHead(nps []string) string {
	last := canonical(nps[len(nps)-1])
	for _, group := range alternatives {
		if !slices.ContainsFunc(nps[:len(nps)-1], func(np string) bool {
			return slices.ContainsFunc(group, func(alt string) bool { return strings.HasSuffix(canonical(itemWords(np)), alt) }) // after a place: "A城小学"
		}) {
			continue
		}
		for _, alt := range group {
			if strings.HasPrefix(last, alt) && utf8.RuneCountInString(last)-utf8.RuneCountInString(alt) >= 2 {
				return last[len(alt):]
			}
		}
	}
	return ""
}

// boundConj are words that hold a character joining two nouns elsewhere
// (和, 与, 及, 跟, 同) as a part of themselves: 协同 or 普及 join nothing.
var boundConj = []string{"协同", "共同", "相同", "不同", "如同", "同时", "同步", "同比", "同期", "同类", "同等", "同级", "同一", "参与", "给予", "赋予", "普及", "涉及", "及时", "及早", "及格", "和谐", "总和", "温和", "缓和", "跟踪", "跟进"}

// conjunctions marks with a comma each 、, and each 和, 与, 及, 跟 or 同 of s
// that joins two nouns, leaving those that are part of a word (boundConj).
func conjunctions(s string) string {
	s = strings.ReplaceAll(s, "以及", "及") // one conjunction: 以 is none of the things joined
	var b strings.Builder
	for i, r := range s {
		if r == '、' {
			b.WriteByte(',')
			continue
		}
		if !strings.ContainsRune("和与及跟同", r) {
			b.WriteRune(r)
			continue
		}
		bound := false
		for _, w := range boundConj {
			if j := strings.IndexRune(w, r); j >= 0 && i >= j && strings.HasPrefix(s[i-j:], w) {
				bound = true
				break
			}
		}
		if bound {
			b.WriteRune(r)
		} else {
			b.WriteByte(',')
		}
	}
	return b.String()
}

// timeWords writes the time a query names as a question would.
func timeWords(q query) string {
	var b strings.Builder
	for _, y := range q.years {
		b.WriteString(itoa(y) + "年")
	}
	if q.period.name != "" {
		b.WriteString(q.period.name + "期间")
	}
	if q.latest {
		b.WriteString("目前")
	}
	if q.oneYear {
		b.WriteString("去年")
	}
	b.WriteString(q.yearsAgo)
	if q.fiveYears && len(q.years) == 0 && q.period.name == "" {
		b.WriteString("这五年")
	}
	return b.String()
}

// clauseSeps cut a question into its clauses.
var clauseSeps = strings.NewReplacer("，", ",", "；", ",", ";", ",", "。", ",", "?", ",", "？", ",", "!", ",", "！", ",", ":", ",", "：", ",")

// gradeWordRE is a school grade as parseQuery writes it ("1至2年级").
var gradeWordRE = mustPattern(`\d(?:至\d)?年级`)

// answersWhole reports whether a passage answers all a question of several
// clauses names ("…免费体检，检查的学生超过3万了吗"): the clause before
// the ask then names its topic, not a scene.
func (e *Engine) answersWhole(ctx context.Context, q query) bool {
	if !q.scope.IsZero() {
		lines, _, err := e.extract(ctx, q)
		return err == nil && len(lines) > 0 && lines[0].cov >= wholeCoverage
	}
	return false
}

// subjectCoverage is the coverage of a whole question above which a
// clause before its ask is read as its subject (subjectFirst).
const subjectCoverage = 0.75

// answersAt reports whether a passage answers q with at least the coverage
// given.
func (e *Engine) answersAt(ctx context.Context, q query, cov float64) bool {
	lines, _, err := e.extract(ctx, q)
	return err == nil && len(lines) > 0 && lines[0].cov >= cov
}

// onlyChangeWords reports whether a metric names nothing but a change
// ("到今天升了几个点" alone): what changed is named in the clause before.
func onlyChangeWords(metric string) bool {
	ts := metricTerms(metric)
	rises := []string{"增长", "提高", "提升", "下降", "降低", "减少", "增幅", "上升", "多出"} // 新增 names what was added
	return len(ts) > 0 && !slices.ContainsFunc(ts, func(t string) bool { return !slices.Contains(rises, t) })
}

// subjectFirst reports whether what a question says besides its ask
// (askNorm, as askClause rebuilt it) comes before the ask and sets no scene:
// no citizen, family, plan or source is named in it.
func subjectFirst(norm, askNorm string) bool {
	seps := clauseSeps
	clauses := strings.FieldsFunc(seps.Replace(norm), func(r rune) bool { return r == ',' })
	last := clauses[len(clauses)-1]
	if !containsAny(last, questionMarkers...) && !strings.Contains(last, "哪") {
		return false // a remark after the ask
	}
	before := strings.Join(clauses[:len(clauses)-1], ",")
	return !containsAny(before, sceneWords...) && utf8.RuneCountInString(before) >= 6
}

// answersSome reports whether any passage answers q.
func (e *Engine) answersSome(ctx context.Context, q query) bool {
	lines, _, err := e.extract(ctx, q)
	return err == nil && len(lines) > 0
}

// wholeCoverage is the coverage of a question's words above which its
// clauses are read together.
const wholeCoverage = 0.9

// askClause is the one clause of a question that asks, with the places
// and times the whole question names, when the others only set the scene
// ("孩子明年上幼儿园，南昌现在的学前教育毛入园率是多少"): the scene's
// words are no part of the metric. ok is false when the question is one
// clause, or its asking clause names no metric of its own.
func askClause(q query, g *Gazetteer) (query, bool) {
	seps := clauseSeps
	clauses := strings.FieldsFunc(seps.Replace(q.norm), func(r rune) bool { return r == ',' })
	if len(clauses) < 2 {
		return q, false // one clause, whatever ends it ("…是多少?")
	}
	ask := ""
	for _, cl := range clauses {
		if containsAny(cl, questionMarkers...) || strings.Contains(cl, "哪") { // "是哪3所"

			if ask != "" {
				return q, false
			}
			ask = cl
		}
	}
	if ask == "" || q.sum && !containsAny(ask, sumWords...) {
		// "…合计几所？A、B、C加起来": a clause that sums is part of the ask.
		return q, false
	}
	var b strings.Builder
	if !slices.ContainsFunc(g.Find(ask), func(p Place) bool { return !p.Scope.IsZero() }) {
		// The scene's places are the ask's only when it names none: "我在
		// A城上班，…B城有几所高中" asks of B城.
		for _, p := range q.places {
			if !strings.Contains(ask, p.Name) {
				b.WriteString(p.Name)
			}
		}
	} else {
		for _, p := range q.places {
			if p.Scope.IsZero() && !strings.Contains(ask, p.Name) {
				b.WriteString(p.Name) // a place the documents do not cover narrows the ask still
			}
		}
	}
	if aq := parseQuery(ask, g); len(aq.years) == 0 && aq.period.name == "" && !aq.latest {
		b.WriteString(timeWords(q))
	} else if !statesFigure(strings.Replace(q.norm, ask, "", 1)) {
		for _, y := range q.years {
			if !containsInt(aq.years, y) {
				b.WriteString(itoa(y) + "年") // "和2016年比，…到2019年降了多少": both years
			}
		}
	}
	before := q.norm // the scene set before the ask narrows it; a remark after it does not
	if i := strings.Index(q.norm, ask); i >= 0 {
		before = q.norm[:i]
	}
	for _, re := range []*pattern{gradeWordRE, tableNameRE} {
		for _, w := range re.FindAllString(before, -1) {
			if !strings.Contains(ask, w) {
				b.WriteString(w) // "孩子上一二年级，…多长时间", "表1里，…": they narrow the ask
				if isASCIIDigit(w[len(w)-1]) {
					b.WriteString(" ") // "表1" is no "表12015" before a year
				}
			}
		}
	}
	aq := parseQuery(b.String()+ask, g)
	if len(metricTerms(aq.metric)) == 0 {
		return q, false
	}
	if aq.docHint == "" {
		aq.docHint = q.docHint // "根据…规划，…": the document the scene names
	}
	return aq, true
}

// multiAnswer answers each ask of a question on its own, with the places
// and times the whole question names, in one answer: what the documents
// hold is answered, what they do not is said.
func (e *Engine) multiAnswer(ctx context.Context, q query, parts []string, question string, covered []string) (Answer, error) {
	g, _ := e.gazetteer()
	var places strings.Builder
	for _, p := range q.places {
		places.WriteString(p.Name)
	}
	if q.subPlace != "" {
		// "A县的床位数是多少，有没有达到…": every ask is of the county,
		// and a passage of the whole city answers none.
		places.Reset()
		places.WriteString(q.subPlace)
	}
	var lines []candidate
	var missing []string
	seen := map[string]bool{}
	topic := "" // what the first ask names, for the asks after it that name too little
	topicVerb := ""
	firstNouns := ""   // the first ask's words of two characters or more, verbs aside
	var kinds []string // the kinds the first ask names ("公办")
	earlier := ""      // the time the asks so far named
	for i, part := range parts {
		if i > 0 {
			part = sharedLead(q.norm, parts[i-1], part)
		}
		if i > 0 && (!containsAny(part, questionMarkers[:len(questionMarkers)-1]...) || namesAlternative(part) || otherVerbOf(part)) {
			// "…小学多少？初中又是多少": 又 asks the same of another.
			// "…有多少人？中级的呢": a follow-up within the question.
			part = rewrite(part, parts[i-1], g)
		}
		pq := parseQuery(part, g)
		if i > 0 && topic != "" && elliptical(pq.metric) {
			// A later ask of money, a share or a kind alone is about
			// what the first ask named.
			part = strings.ReplaceAll(pq.asked, " ", "") + topic + part // the modifier before the noun
			pq = parseQuery(part, g)
		} else if i > 0 && firstNouns != "" && enrolledOnly(pq.metric) {
			// "…有几所，在读的有多少人": those enrolled are enrolled
			// in what the first ask named.
			part = firstNouns + part
			pq = parseQuery(part, g)
		} else if i > 0 && topicVerb != "" && generic(pq.metric) {
			// "…要覆盖多少老师和多少学生": a bare noun asked after the first
			// ask is counted by the same words.
			part = topicVerb + part
			pq = parseQuery(part, g)
		}
		if len(pq.places) == 0 || (len(pq.years) == 0 && pq.period.name == "" && !pq.target) {
			ctx := ""
			if len(pq.places) == 0 {
				ctx = places.String() // a part naming its own place keeps it alone
			}
			if len(pq.years) == 0 && pq.period.name == "" && !pq.target && !pq.latest {
				ctx += earlier // a goal or "now" asked takes its own time
			}
			pq = parseQuery(ctx+part, g)
		}
		if t := timeWords(pq); t != "" {
			earlier = t // the time of a later ask is its own or one asked before it, never one asked after
		}
		if i == 0 {
			kinds = pq.required
		} else if len(pq.required) == 0 && len(kinds) > 0 && !shareHead(pq.metric) {
			// "公办幼儿园有多少所，在园孩子有多少": a later ask naming no
			// kind of its own is of the kind the first named.
			pq = parseQuery(strings.Join(kinds, "")+pq.norm, g)
		}
		if i == 0 && !asksComparison(part) { // "A和B哪个多" names two things, no topic of the asks after it
			firstNouns = nounsOf(pq.asked)
			topic = strings.ReplaceAll(pq.asked, " ", "")
			if f := strings.Fields(pq.asked); len(f) > 1 {
				topicVerb = strings.Join(f[:len(f)-1], "") // the words before the first ask's noun
			}
		}
		pq.part = true
		for _, l := range lines {
			pq.near = append(pq.near, l.res.Chunk.ID)
		}
		var got []candidate
		if i > 0 && firstNouns != "" && verbOnly(pq.metric) {
			// "…联盟有几个，辐射几所学校": whom or what a verb alone
			// reached is first asked of what the first ask named.
			alt := parseQuery(firstNouns+pq.norm, g)
			alt.part, alt.near = true, pq.near
			var err error
			if got, _, err = e.extract(ctx, alt); err != nil {
				return Answer{}, err
			}
			if len(got) > 0 {
				pq = alt
			}
		}
		if len(got) == 0 {
			var err error
			if got, _, err = e.extract(ctx, pq); err != nil {
				return Answer{}, err
			}
		}
		if len(got) == 0 && i > 0 {
			if l, own, ok := e.siblingItem(pq, parts[i], lines); ok {
				got = []candidate{l}
				pq.asked, pq.metric = own.asked, own.metric // the item is labelled by the ask's own words
			}
		}
		if len(got) == 0 {
			var name strings.Builder
			for _, p := range pq.places {
				name.WriteString(p.Name)
			}
			name.WriteString(timeWords(pq))
			missing = append(missing, name.String()+strings.ReplaceAll(pq.asked, " ", ""))
			continue
		}
		key := fmt.Sprint(got[0].res.Chunk.ID, "|", got[0].span, "|", pq.years, pq.target) // one table row may answer two asks
		got[0].asked, got[0].metric = pq.asked, pq.metric
		if got[0].unit.Cells == nil && slices.ContainsFunc(lines, func(l candidate) bool {
			return l.unit.Cells == nil && l.res.Chunk.ID == got[0].res.Chunk.ID && figuresWithin(got[0].span, l.span)
		}) {
			continue // "…信息技术等紧缺学科教师125人" again, for an ask listed inside the first: shown already
		}
		if !seen[key] {
			seen[key] = true
			lines = append(lines, got[0])
		}
	}
	a := extractiveAnswer(q, question, lines, covered)
	if len(lines) > 0 && len(missing) > 0 {
		a.Answer += "\n资料中没有找到“" + strings.Join(missing, "”“") + "”的相关数据。"
	}
	return a, nil
}

// withinScene reports whether a clause before the question's last ends on
// a word that puts what follows inside it ("…老师里，", "…学校当中,").
func withinScene(norm string) bool {
	return withinClause(norm) != ""
}

// withinClause is the first clause before the question's last that ends
// on 里, 当中 or 之中, or "".
func withinClause(norm string) string {
	clauses := strings.FieldsFunc(clauseSeps.Replace(norm), func(r rune) bool { return r == ',' })
	for _, cl := range clauses[:max(len(clauses)-1, 0)] {
		if cl = strings.TrimSpace(cl); hasAnySuffix(cl, "里", "里面", "里头", "当中", "之中") {
			return cl
		}
	}
	return ""
}

// withinWhole is the terms of the whole a within clause names, generic
// heads aside ("引进 教师里" gives 引进).
func withinWhole(norm string, g *Gazetteer) []string {
	wq := parseQuery(withinClause(norm), g)
	return slices.DeleteFunc(metricTerms(wq.metric), func(t string) bool {
		return slices.Contains(genericHeads, t) || t == "教师" || strings.ContainsAny(t, "里中")
	})
}

// answersWithin reports whether q is answered by a passage that also
// names a term of the whole, in its text or in the headings above it.
func (e *Engine) answersWithin(ctx context.Context, q query, whole []string) bool {
	lines, _, err := e.extract(ctx, q)
	if err != nil || len(lines) == 0 || len(whole) == 0 {
		return false
	}
	l := lines[0]
	text := zh.Canonical(l.res.Chunk.Title + " " + l.res.Chunk.Section + " " + l.unit.Head + " " + l.unit.Text) // "专栏4里", "十件要事里": the heading names the whole
	return slices.ContainsFunc(whole, func(t string) bool { return containsTerm(text, t) })
}

// statesFigure reports whether a scene states a figure of its own ("据了解
// 2020年…为135.52亿元"): its year is the citizen's knowledge, not the ask's.
func statesFigure(scene string) bool {
	for _, f := range append(zh.Figures(scene), zh.ClaimFigures(scene)...) {
		if f.Unit != "" && !strings.HasSuffix(f.Unit, "年") && !strings.HasSuffix(f.Unit, "月") {
			return true // "两千多张床位" in words too
		}
	}
	return false
}

// dropIdentity returns norm without a first clause that only says who the
// citizen is ("开小卖部的", "我是当老师的"): a short clause ending on 的
// with no ask, place or figure. ok is false when there is none.
func dropIdentity(norm string, g *Gazetteer) (string, bool) {
	seps := clauseSeps.Replace(norm)
	i := strings.IndexByte(seps, ',')
	if i <= 0 || i == len(seps)-1 {
		return norm, false
	}
	first := seps[:i]
	if !strings.HasSuffix(first, "的") || utf8.RuneCountInString(first) > 8 || containsAny(first, questionMarkers...) || hasFigure(first) || strings.ContainsAny(first, "市县区省") || len(g.Find(first)) > 0 {
		return norm, false
	}
	return seps[i+1:], true
}

// dropRemark returns norm without the clauses after its last ask that are
// remarks of the citizen's own ("我女儿讲…", "我外甥女明年想考"): ok is
// false when there are none.
func dropRemark(norm string) (string, bool) {
	seps := clauseSeps.Replace(norm)
	cut := -1
	for i := len(seps); i > 0; {
		j := strings.LastIndexByte(seps[:i], ',')
		clause := seps[j+1 : i]
		if containsAny(clause, questionMarkers...) || strings.Contains(clause, "哪") || strings.Contains(clause, "好多") {
			break // 好多 asks how many in the south's speech (dialectAskRE)
		}
		if strings.TrimSpace(clause) != "" {
			if !containsAny(clause, selfWords...) {
				return norm, false
			}
			cut = j
		}
		if j < 0 {
			return norm, false // no ask before the remark
		}
		i = j
	}
	if cut <= 0 {
		return norm, false
	}
	return seps[:cut], true // (clauseSeps keeps every ask's words; only its marks are commas)
}

// echoRE opens an ask that points back at the figures of the ask before:
// "此数字…", "两年的人数各是多少", "两个年度的具体金额分别为多少".
var echoRE = mustPattern(`^请?(?:注明|标明|说明|标注|写明|列明)|^(?:此|该|这个|这一)(?:数字|数据|数值|数)|^(?:两|二)(?:个)?(?:年度?|者)(?:的)?(?:人数|数字|数值|数据|金额|具体金额|具体数字)?(?:各|分别)`)

// dropEcho returns norm without its last ask when that ask points back at
// the figures of the one before it (echoRE): they are shown with its answer.
func dropEcho(norm string) (string, bool) {
	body := strings.TrimRight(norm, "?？。 ")
	i := strings.LastIndexAny(body, "?？")
	if i <= 0 {
		return norm, false
	}
	_, size := utf8.DecodeRuneInString(body[i:])
	if !echoRE.MatchString(strings.TrimSpace(body[i+size:])) {
		return norm, false
	}
	return body[:i+size], true
}

// bareVerb reports whether a metric is one verb and nothing it acts on
// ("招聘" of "招了多少"): not even a generic noun.
func bareVerb(metric string) bool {
	ts := metricTerms(metric)
	return len(ts) == 1 && (slices.Contains(programmeVerbs, ts[0]) || slices.Contains(flowVerbs, ts[0]))
}

// figuresWithin reports whether every figure of span stands in shown too.
func figuresWithin(span, shown string) bool {
	figs := zh.Figures(span)
	if len(figs) == 0 {
		return false
	}
	for _, f := range figs {
		if !figureIn(shown, f.Text) {
			return false
		}
	}
	return true
}

// figureIn reports whether text states the figure fig whole: "5%" is not
// in "2.5%", nor "25人" in "125人".
func figureIn(text, fig string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], fig)
		if i < 0 {
			return false
		}
		at := from + i
		if at == 0 || !isASCIIDigit(text[at-1]) && text[at-1] != '.' {
			return true
		}
		from = at + 1
	}
}

// sharedLead gives an ask listed after another with "、" and opening on
// its question word ("覆盖几个县、多少所学校") the words the first opens
// with: the verb both ask by. Words the first ask names beyond a clause
// mark stay with it.
func sharedLead(norm, prev, part string) string {
	if !strings.Contains(norm, prev+"、"+part) {
		return part
	}
	opens := false
	for _, m := range []string{"多少", "几"} {
		opens = opens || strings.HasPrefix(part, m)
	}
	if !opens {
		return part
	}
	at := len(prev)
	for _, m := range []string{"多少", "几"} {
		if i := strings.Index(prev, m); i >= 0 && i < at {
			at = i
		}
	}
	lead := prev[:at]
	if i := strings.LastIndexAny(lead, ",，:：;；"); i >= 0 {
		lead = lead[i+1:]
	}
	if lead == "" || len(zh.Figures(lead)) > 0 {
		return part
	}
	return lead + part
}

// siblingItem answers a later ask of a multi-part question from an item
// of a sentence an earlier ask was answered from. Documents list
// coordinated figures in one breath ("培养A名师150人、名校长75人", "94名…，其
// 中71人为…"), and the later ask names its thing by its own words alone,
// without those the sentence shares: the item naming most of them (at
// least half, by weight), with a figure in the measure asked, answers —
// when no other item names as much.
func (e *Engine) siblingItem(pq query, part string, lines []candidate) (candidate, query, bool) {
	g, _ := e.gazetteer()
	own := parseQuery(part, g)
	if own.duration || durationAskRE.MatchString(own.norm) {
		// "打算用几年": the time its sentence gives ("用3-5年时间").
		return durationItem(lines), own, durationItem(lines).span != ""
	}
	terms := metricTerms(own.metric)
	if len(terms) == 0 || !own.figure {
		return candidate{}, own, false
	}
	weights := e.headWeights(terms)
	var found candidate
	best, second := 0.0, 0.0
	seen := map[string]bool{}
	for _, l := range lines {
		if l.unit.Cells != nil || seen[l.unit.Text] {
			continue // two asks answered from one sentence offer its items once
		}
		seen[l.unit.Text] = true
		for _, cl := range zh.Clauses(l.unit.Text) {
			for _, item := range figureItems(strings.TrimRight(cl, "。;；")) {
				figs := zh.Figures(item)
				if len(figs) != 1 || strings.Contains(l.span, item) && strings.Contains(item, l.span) {
					continue
				}
				if pq.measure != "" && !measureWordOK(figs[0].Unit, pq.measure) && !(pq.measure == "个" && unitClass(figs[0].Unit) == "count") {
					continue
				}
				cov := coverage(terms, weights, pq.masked(item))
				if cov <= best {
					second = max(second, cov)
					continue
				}
				best, second = cov, best
				found = l
				found.span, found.cov, found.cells = item, cov, nil
			}
		}
	}
	return found, own, best >= 0.5 && best > second
}

// figureItems splits a clause into its coordinated items, one figure
// each: at "、", and where figures follow one another with no mark between
// them ("覆盖11个县(区)108所学校"), each figure with the words after it, behind
// the words the clause opens with ("覆盖").
func figureItems(clause string) []string {
	var out []string
	for _, item := range strings.Split(clause, "、") {
		figs := zh.Figures(item)
		if len(figs) < 2 {
			out = append(out, item)
			continue
		}
		lead := item[:figs[0].Start]
		for i, f := range figs {
			end := len(item)
			if i+1 < len(figs) {
				end = figs[i+1].Start
			}
			if i == 0 {
				out = append(out, item[:end])
				continue
			}
			out = append(out, lead+item[f.Start:end])
		}
	}
	return out
}

// durationAskRE asks how long: "用几年", "几年内", "多长时间".
var durationAskRE = mustPattern(`几年|多少年|几个月|多长时间|多久`)

// spanOfTimeRE is a length of time a plan gives itself: "用3-5年时间", "两年内".
var spanOfTimeRE = mustPattern(`(?:\d{1,2}(?:\s*[-—～~至到]\s*\d{1,2})?|[一二两三四五六七八九十])\s*(?:个)?(?:年|个月)(?:时间|内|左右)`)

// durationItem is the clause of the earlier answers' sentences that gives
// a length of time, when exactly one does.
func durationItem(lines []candidate) candidate {
	var found candidate
	n := 0
	seen := map[string]bool{}
	for _, l := range lines {
		if l.unit.Cells != nil || seen[l.unit.Text] {
			continue
		}
		seen[l.unit.Text] = true
		for _, cl := range zh.Clauses(l.unit.Text) {
			if spanOfTimeRE.MatchString(cl) {
				n++
				found = l
				found.span, found.cov, found.cells = strings.TrimRight(cl, "。;；"), 1, nil
			}
		}
	}
	if n != 1 {
		return candidate{}
	}
	return found
}

// riseVerdict says whether the measure rose (q.rise 1) or fell (-1)
// between the two years asked, from their figures: "否，2025年目标与2020年持平。",
// "是，2025年目标（94.5%）高于2020年（93%）。". "" when the two are not both
// there, or a bound leaves it open.
func riseVerdict(q query, figs []Figure) string {
	var at [2]*Figure
	for i := range figs {
		for j, y := range q.years {
			if figs[i].Period == strconv.Itoa(y) && at[j] == nil {
				at[j] = &figs[i]
			}
		}
	}
	if at[0] == nil || at[1] == nil || !comparableUnits(at[0].Unit, at[1].Unit) || at[0].Bound != "" {
		return ""
	}
	v0, b0, ok0 := at[0].number()
	v1, b1, ok1 := at[1].number()
	if !ok0 || !ok1 || b0 != b1 {
		return ""
	}
	later := strconv.Itoa(q.years[1]) + "年"
	if at[1].Kind == KindTarget {
		later += "目标"
	}
	earlier := strconv.Itoa(q.years[0]) + "年"
	switch {
	case v1 == v0 && at[1].Bound == "":
		return fmt.Sprintf("否，%s与%s持平。", later, earlier) // the figures follow, in the change's own line
	case v1 > v0 || v1 == v0 && at[1].Bound != "" && at[1].Bound != UpperBound:
		if q.rise > 0 {
			return fmt.Sprintf("是，%s（%s）高于%s（%s）。", later, show(*at[1]), earlier, show(*at[0]))
		}
		return fmt.Sprintf("否，%s（%s）高于%s（%s）。", later, show(*at[1]), earlier, show(*at[0]))
	case v1 < v0 && at[1].Bound != "以上" && at[1].Bound != "超过":
		if q.rise < 0 {
			return fmt.Sprintf("是，%s（%s）低于%s（%s）。", later, show(*at[1]), earlier, show(*at[0]))
		}
		return fmt.Sprintf("否，%s（%s）低于%s（%s）。", later, show(*at[1]), earlier, show(*at[0]))
	}
	return ""
}

// onlyMoney reports whether an ask names nothing but money ("总共投了多少
// 亿"): what the money went to is in the clause before it, which stays.
func onlyMoney(metric string) bool {
	ts := metricTerms(metric)
	return len(ts) > 0 && !slices.ContainsFunc(ts, func(t string) bool { return t != "经费" })
}

// asksComparison reports whether a question naming two places asks which is
// higher or by how much, rather than asking of each in turn.
func asksComparison(norm string) bool {
	return peerCompareRE.MatchString(norm) || whichMoreRE.MatchString(norm) ||
		containsAny(norm, "更高", "更低", "更多", "更少", "更大", "更小", "更好", "高多少", "低多少", "多多少", "少多少", "多出", "高出")
}

// whichMoreRE asks which is more with words between: "哪个人数多".
var whichMoreRE = mustPattern(`(?:哪(?:一)?(?:个|项|样|种|块|类|边|方)|谁)\p{Han}{0,4}?(?:多|少|高|低|大|小)`)

// goalAnswer answers whether a goal the documents set was reached ("2023年
// 达没达到十四五目标"): the result asked (of the year named first, else the
// latest) beside the goal (of the later year named, else the plan's), and
// 是 or 否 when the two are one measure in one unit. When either is
// missing the figures found are offered and the question is not answered.
func (e *Engine) goalAnswer(ctx context.Context, q query, question string, covered []string) (Answer, error) {
	actual, goal := q, q
	if i := goalVerbRE.FindStringIndex(q.norm); i != nil && i[0] > 0 {
		// What is measured is named before the verb that asks
		// ("…覆盖的学校数量，达到…目标没有"); the rest only asks.
		if g, _ := e.gazetteer(); g != nil {
			// A figure the citizen states of it ("…都98.83%了") is no
			// part of its name.
			subject := strings.TrimRight(statedFigureRE.ReplaceAllString(strings.TrimRight(q.norm[:i[0]], " ,，这那"), ""), " ,，")
			if sq := parseQuery(subject, g); len(metricTerms(sq.metric)) > 0 {
				actual.metric, actual.rowMetric, actual.asked, actual.measure, actual.mask = sq.metric, sq.rowMetric, sq.asked, sq.measure, sq.mask
				goal.metric, goal.rowMetric, goal.asked, goal.measure, goal.mask = sq.metric, sq.rowMetric, sq.asked, sq.measure, sq.mask
			}
		}
	}
	actual.goalCheck, goal.goalCheck = false, false
	actual.target, actual.period, actual.docHint = false, period{}, "" // a document named is the goal's
	goal.target, goal.latest, goal.actual = true, false, false         // "实际数…达到目标": 实际 is the result's
	switch {
	case len(q.years) == 0:
		actual.latest = true
	case len(q.years) == 1 && (q.latest || goalYearRE.MatchString(q.norm)):
		// "现在达到2025年目标了吗": the year is the goal's.
		actual.years, actual.latest, goal.years = nil, true, q.years
	case len(q.years) == 1:
		actual.years, goal.years = q.years, nil
	default:
		actual.years, goal.years = []int{minInt(q.years)}, []int{maxInt(q.years)}
	}
	got, _, err := e.extract(ctx, actual)
	if err != nil {
		return Answer{}, err
	}
	want, _, err := e.extract(ctx, goal)
	if err != nil {
		return Answer{}, err
	}
	var lines []candidate
	if len(got) > 0 {
		lines = append(lines, got[0])
	}
	if len(want) > 0 && (len(got) == 0 || !sameChunk(got[:1], want[0]) || want[0].span != got[0].span || !slices.Equal(want[0].cells, got[0].cells)) {
		lines = append(lines, want[0]) // one table row may give both, in two of its cells
	}
	a := extractiveAnswer(q, question, lines, covered)
	var reached, target *Figure
	for i := range a.Figures {
		f := &a.Figures[i]
		switch {
		case f.Kind == KindAchieved && reached == nil && (len(actual.years) == 0 || f.Period == itoa(actual.years[0])):
			reached = f
		case f.Kind == KindTarget && target == nil:
			target = f
		}
	}
	if reached != nil && target == nil && len(lines) == 1 && containsAny(q.norm, "多少", "几") && q.period.name == "" && (len(q.years) == 0 || reached.Period == itoa(q.years[0])) {
		// "截至某年实际建成几所？任务完成没": the figure asked, of
		// the time asked, is answered; whether the goal was met is not
		// said without the goal.
		a.Answer += "\n资料中没有找到可对照的目标，无法判断是否完成。"
		return a, nil
	}
	if reached == nil || target == nil || !comparableUnits(reached.Unit, target.Unit) || reached.Bound == UpperBound || target.Bound == UpperBound {
		a.Answered = false
		a.Answer = "抱歉，资料中没有同时找到实际数据和目标，无法判断是否达到目标。" + RelatedMarker + "\n" + a.Answer
		return a, nil
	}
	vr, br, ok1 := reached.number()
	vt, bt, ok2 := target.number()
	if !ok1 || !ok2 || br != bt {
		a.Answered = false
		a.Answer = "抱歉，实际数据和目标不是同一口径，无法判断是否达到目标。" + RelatedMarker + "\n" + a.Answer
		return a, nil
	}
	yes := vr >= vt
	if target.Bound != "" {
		yes = vr > vt
	}
	when := reached.Period
	if _, err := strconv.Atoi(when); err == nil {
		when += "年"
	} else if when != "" {
		when = "“" + when + "”时期"
	}
	// The result and the goal each in a clause of its own: a figure in a
	// clause that says 目标 is a goal.
	by := target.Period
	if _, err := strconv.Atoi(by); err == nil {
		by += "年"
	} else if by != "" {
		by = "“" + by + "”"
	}
	verdict := "否，" + when + "为" + show(*reached) + "，" + by + "目标为" + show(*target) + "，尚未达到。"
	if yes {
		verdict = "是，" + when + "为" + show(*reached) + "，" + by + "目标为" + show(*target) + "，已经达到。"
	}
	// After the two lines, which name what the figures measure (the claim
	// check holds a figure to the measure its sentence or those before it
	// name).
	a.Answer += "\n" + verdict
	return a, nil
}

// mistyped reports whether the metric holds a term no document holds that is
// no junction of two words the documents hold (headWeights weighs those
// nothing): a character mistyped, most likely.
// unknownTerms counts the words of q's metric no document holds, and the
// characters left alone where a function character was cut (halfWords).
func (e *Engine) unknownTerms(q query) int {
	n := halfWords(q.metric, q.norm)
	terms := metricTerms(q.metric)
	w := e.headWeights(terms)
	for i, t := range terms {
		if t[0] >= 0x80 && w[i] > 0 && !e.ix.knownTerm(t) && !(i > 0 && particleAfter(terms[i-1], t) && e.ix.knownTerm(terms[i-1])) {
			n++
		}
	}
	return n
}

func (e *Engine) mistyped(q query) bool {
	if halfWords(q.metric, q.norm) > 0 {
		return true // "新增了多少学为": 学 alone, 为 perhaps 位
	}
	terms := metricTerms(q.metric)
	w := e.headWeights(terms)
	for i, t := range terms {
		if t[0] >= 0x80 && w[i] > 0 && !e.ix.knownTerm(t) && !(i > 0 && particleAfter(terms[i-1], t) && e.ix.knownTerm(terms[i-1])) {
			return true
		}
	}
	return false
}

// particleAfter reports whether t only joins the word before it to a
// locative ("教师里": 师里 after 教师): no mistyped character.
func particleAfter(prev, t string) bool {
	p, _ := utf8.DecodeLastRuneInString(prev)
	first, _ := utf8.DecodeRuneInString(t)
	last, _ := utf8.DecodeLastRuneInString(t)
	return p == first && strings.ContainsRune("里内上", last)
}

// twoMeasuresRE is two things of one place set side by side before the
// words that compare them: "引进的教师人数和交流轮岗的人数，哪个更多".
var twoMeasuresRE = mustPattern(`^(.+)(?:和|与|同|跟)(.+?)(?:两块|两项|两类|两种|两个|两者|二者)?[,，\s]*(?:哪(?:一)?(?:个|项|样|种|块|类|边)|谁)`)

// measuresAnswer compares two measures of one place ("X和Y哪个更多"): each
// is answered on its own, with the question's place and time, and the
// higher is named when they are in one unit. ok is false when the question
// does not name two such measures or either has no figure.
func (e *Engine) measuresAnswer(ctx context.Context, q query, question string, covered []string) (Answer, bool, error) {
	m := twoMeasuresRE.FindStringSubmatch(q.norm)
	gap := false
	if m == nil {
		if m = gapMeasuresRE.FindStringSubmatch(q.norm); m == nil {
			return Answer{}, false, nil
		}
		gap = true // "市级文明校园比省级文明校园多出多少所"
	}
	if i := strings.LastIndexAny(m[1], ",，;；:："); i >= 0 && containsAny(m[1][:i], selfWords...) {
		// "我在整理设备投入,影像设备和检验设备哪块多": a clause of the
		// citizen's own before the pair sets the scene; the pair starts
		// after it. ("在…比赛里,金牌和银牌" is what both are of.)
		_, size := utf8.DecodeRuneInString(m[1][i:])
		m[1] = m[1][i+size:]
	}
	if !gap {
		// "X与Y相比谁多，差几个": 比 closes the pair, and a later ask
		// of how many more asks the gap too.
		m[2] = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[2], "比较"), "相比"), "比")
		gap = gapAskRE.MatchString(q.norm[len(m[0]):])
	}
	g, _ := e.gazetteer()
	growth := !gap && q.intent.change
	var lines []candidate
	var asked []query
	sides, shown := []string{m[1], m[2]}, []string{"", ""}
	if r1, r2 := []rune(m[1]), []rune(m[2]); !gap && len(r2) <= 4 && len(r2) < len(r1) && string(r1[len(r1)-len(r2)+1:]) == string(r2[1:]) {
		// "…运动会上的金牌和铜牌": parallel things, the second named
		// as the first's last words with another first character; what
		// comes before the first is said of both. ("影像设备和检验设备"
		// name their own kinds.)
		sides[1] = string(r1[:len(r1)-len(r2)]) + m[2]
		shown = []string{string(r1[len(r1)-len(r2):]), m[2]}
	}
	if !gap {
		// "小学和初中，哪个近视率高": the measure named after the
		// comparison's word is both sides'.
		if i := strings.Index(q.norm, m[0]); i >= 0 {
			tail := q.norm[i+len(m[0]):]
			if j := strings.IndexAny(tail, ",，?？;；"); j >= 0 {
				tail = tail[:j] // the comparison's own clause
			}
			verb := ""
			if v := verbDeRE.FindStringSubmatch(tail); v != nil {
				verb = v[1] // "哪样投得多": each side is asked by the verb (投: 投入)
				if strings.Contains("投花拨", verb) {
					verb = "投入"
				}
			}
			tail = compareTailRE.ReplaceAllString(tail, "")
			if tq := parseQuery(tail, g); len(metricTerms(tq.metric)) > 0 {
				verb = strings.ReplaceAll(tq.asked, " ", "")
			}
			if verb != "" {
				if shown[0] == "" {
					shown = []string{m[1], m[2]}
				}
				sides = []string{sides[0] + verb, sides[1] + verb}
			}
		}
	}
	for _, side := range sides {
		// Each side with the question's place and time where it names
		// none of its own.
		var context strings.Builder
		own := parseQuery(side, g)
		if own.scope.IsZero() { // "全国文明校园" names no place the documents cover
			for _, p := range q.places {
				if !p.Scope.IsZero() {
					context.WriteString(p.Name)
				}
			}
		}
		if len(own.years) == 0 && own.period.name == "" && !own.latest {
			context.WriteString(timeWords(q))
		}
		if q.target && !own.target {
			context.WriteString("目标")
		}
		ask := "是多少"
		if unitClass(q.measure) == "count" {
			ask += q.measure // "示范园和普通园哪个多，示范园有几所": counts of schools
		}
		if growth {
			ask = "增加了多少" // "谁涨得多": each side's increase, not its level
		}
		sq := parseQuery(context.String()+side+ask, g)
		if len(metricTerms(sq.metric)) == 0 || sq.scope.IsZero() && len(q.places) > 0 {
			return Answer{}, false, nil
		}
		got, _, err := e.extract(ctx, sq)
		if err != nil {
			return Answer{}, false, err
		}
		if len(got) == 0 {
			return Answer{}, false, nil
		}
		lines = append(lines, got[0])
		asked = append(asked, sq)
	}
	if lines[0].res.Chunk.ID == lines[1].res.Chunk.ID && lines[0].span == lines[1].span {
		return Answer{}, false, nil // both sides found the same words: one of them is not in the documents
	}
	a := extractiveAnswer(q, question, lines, covered)
	var facts []Figure
	for i, l := range lines {
		figs := lineFigures(asked[i], l, i+1)
		if growth {
			// "谁涨得多": the increases are compared; levels are no
			// increases, and without both which grew more is not said.
			figs = slices.DeleteFunc(figs, func(f Figure) bool { return f.Kind != KindChange })
			if len(figs) == 0 {
				return a, true, nil
			}
			facts = append(facts, figs[0])
			continue
		}
		f, ok := principal(asked[i], figs)
		if !ok {
			return a, true, nil
		}
		facts = append(facts, f)
	}
	va, ua, ok1 := facts[0].number()
	vb, ub, ok2 := facts[1].number()
	if !ok1 || !ok2 || ua != ub || facts[0].Bound != "" || facts[1].Bound != "" {
		return a, true, nil // the figures are shown; which is higher is not said
	}
	if va == vb && !gap {
		same := "一样多"
		if unitClass(facts[0].Unit) == "share" {
			same = "一样高"
		}
		a.Answer += fmt.Sprintf("\n比较：两者%s，都是%s。", same, show(facts[0]))
		return a, true, nil
	}
	if va == vb {
		return a, true, nil
	}
	hi, lo := 0, 1
	if vb > va {
		hi, lo = 1, 0
	}
	name := func(i int) string {
		if shown[i] != "" {
			n := shown[i]
			for _, p := range q.places {
				n = strings.TrimPrefix(strings.TrimPrefix(n, p.Name), "的") // "B城的名医工作室": the place is the answer's label
			}
			return n
		}
		return strings.TrimLeft(strings.ReplaceAll(asked[i].asked, " ", ""), "里的在")
	}
	word := "多于"
	if unitClass(facts[hi].Unit) == "share" {
		word = "高于"
	}
	a.Answer += fmt.Sprintf("\n比较：%s（%s）%s%s（%s）", name(hi), show(facts[hi]), word, name(lo), show(facts[lo]))
	if gap && (facts[0].Unit == facts[1].Unit || measureWordOK(facts[0].Unit, facts[1].Unit)) {
		unit := facts[hi].Unit // "1672人" and "1128名": people in either word
		if unit == "%" {
			unit = "个百分点"
		}
		_, scale := baseUnit(facts[hi].Unit)
		d := exactFigure(math.Abs(va-vb)/scale, max(decimals(facts[0].Value), decimals(facts[1].Value)))
		a.Answer += fmt.Sprintf("，相差%s%s（%s − %s）", d, unit, show(facts[hi]), show(facts[lo]))
	}
	a.Answer += "。"
	return a, true, nil
}

// gapAskRE asks by how much one is more, after a comparison: "多出几个",
// "差多少", "多多少".
var gapAskRE = mustPattern(`(?:多出|高出|相差|差|多|少|低)(?:了)?(?:多少|几)`)

// gapMeasuresRE is one measure of a place set against another by how much
// it is more: "市级文明校园比省级文明校园多出多少所".
var gapMeasuresRE = mustPattern(`^(.+?)比(.+?)(?:多出|高出|多了|多|高|少了|少|低)(?:了)?(?:多少|几)`)

// compareTailRE is what a comparison says after its word that is no
// measure: "降得更低", "高一些", "多些".
var compareTailRE = mustPattern(`(?:的)?(?:\p{Han}{0,2}得)?(?:更|比较|最)?(?:高|低|多|少|大|小|好)(?:一些|一点|些|点)?(?:呢|吗|啊)?[?？!！。\s]*$`)

// verbDeRE is the verb a comparison asks by, before 得: "投得多" (投入),
// "花得多" (花费).
var verbDeRE = mustPattern(`(投|花|用|招|建|拨)得(?:更|比较)?(?:多|少)`)

// statedFigureRE is a figure a question states before asking about it:
// "都98.83%了", "已经达到56%了".
var statedFigureRE = mustPattern(`(?:都|已经|已|才|就)?(?:达到|到了|到|有)?\d+(?:\.\d+)?(?:%|万|亿)?\p{Han}{0,2}?了?$`)

// goalVerbRE is the verb a question asks whether a goal was reached by.
var goalVerbRE = mustPattern(`达没达到|完没完成|实没实现|超没超过|超没超出|有没有达到|有没有完成|有没有实现|有没有超过|是否|是不是|达到|完成|实现|做到|超过|超出`)

// goalYearRE is a year named as a goal's: "2025年目标", "2025年的目标".
var goalYearRE = mustPattern(`(?:19|20)\d{2}年(?:的)?目标`)

// headingAskRE asks for the items of a named set: "是哪三个", "分别是什么",
// "有哪几项".
var headingAskRE = mustPattern(`(?:哪|是)(?:[一二三四五六七八九两几]|\d)(?:个|项|条|方面)|分别(?:是|指)(?:什么|哪)|指的是哪|都(?:是|有)哪`)

// countedSetRE is the size of the set a question names: "两大任务", "五项工程".
var countedSetRE = mustPattern(`^([一二三四五六七八九十两]|\d+)(?:个|项|条|大|件|样|种|方面)`)

// headingList answers a question that asks for the items of a set the
// documents name in their headings ("这篇讲的四项工程是哪四项"): the headings
// of one document that name all the set is, in its order, one line each.
// nil when the question asks no such list or the headings do not give one
// (of the size the question names, when it names one).
func (e *Engine) headingList(q query, results []Result) []candidate {
	metric := strings.TrimSpace(q.metric)
	for _, f := range strings.Fields(metric) {
		if countedSetRE.MatchString(f) {
			// "那篇 三个协同推进 方面": the set is the words its size
			// opens; the others point at it.
			metric = f
			break
		}
	}
	// "那三项改革是什么": a set named by its size is asked for its members.
	sized := countedSetRE.MatchString(metric) && containsAny(q.norm, "什么", "哪些", "哪几")
	if q.figure || !headingAskRE.MatchString(q.norm) && !sized || len(results) == 0 {
		return nil
	}
	want := 0
	if m := countedSetRE.FindStringSubmatch(metric); m != nil {
		if v, _, ok := zh.Numeral(m[1]); ok {
			want = int(v)
		} else if v, err := strconv.Atoi(m[1]); err == nil {
			want = v
		}
		metric = strings.TrimSpace(metric[len(m[0]):])
	}
	terms := metricTerms(metric)
	if len(terms) == 0 {
		return nil
	}
	weights := e.headWeights(terms)
	doc := ""
	seen := map[string]bool{}
	var out []candidate
	for _, r := range results {
		parts := strings.Split(r.Chunk.Section, " > ")
		h := strings.TrimSpace(parts[len(parts)-1])
		if h == "" || seen[h] || coverage(terms, weights, q.masked(canonical(zh.Normalize(h)))) < 0.9 {
			continue
		}
		if doc == "" {
			doc = r.Chunk.DocID
		}
		if r.Chunk.DocID != doc {
			continue
		}
		seen[h] = true
		written := ""
		if ws := strings.Split(r.Chunk.SectionText, " > "); r.Chunk.SectionText != "" && len(ws) == len(parts) {
			written = strings.TrimSpace(ws[len(ws)-1])
		}
		out = append(out, candidate{res: r, unit: Unit{Text: zh.Normalize(h)}, span: zh.Normalize(h), cov: 1, written: written})
	}
	if len(out) < 2 || want > 0 && len(out) != want {
		if want > 0 {
			return namedSet(q, results, metric, want)
		}
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool { return chunkOrder(out[i].res.Chunk.ID) < chunkOrder(out[j].res.Chunk.ID) })
	return out
}

// setLeadRE is what may stand between a set's name and the list of its
// members after it: a closing quote, a colon, 即, 包括, 分别是.
var setLeadRE = mustPattern(`^[”"》]?\s*(?:[:：]|,?即|,?包括|,?分别是|,?是)\s*`)

// setTailRE is what may stand between the list of a set's members and its
// name after them: a closing quote, 等, the set's size ("等六大").
var setTailRE = mustPattern(`[”"]?\s*等?\s*(?:[一二三四五六七八九十两]|\d+)?\s*(?:个|项|条|大|方面)?\s*[“"]?$`)

// namedSet answers a question asking the members of a set of known size
// that a sentence names and lists in one breath ("以A、B、C等三大工程为抓
// 手", "三项任务：A；B；C"): the sentence whose list, next to the name,
// has as many members as the set. nil when no sentence does.
func namedSet(q query, results []Result, name string, want int) []candidate {
	if utf8.RuneCountInString(name) < 2 {
		return nil
	}
	for _, r := range results {
		for _, u := range r.Chunk.Units {
			if len(u.Cells) > 0 {
				continue
			}
			for off := 0; ; {
				i := strings.Index(u.Text[off:], name)
				if i < 0 {
					break
				}
				i += off
				off = i + len(name)
				if listBefore(u.Text[:i], want) || listAfter(u.Text[i+len(name):], want) {
					return []candidate{{res: r, unit: u, span: strings.TrimRight(u.Text, "。"), cov: 1}}
				}
			}
		}
	}
	return nil
}

// listBefore reports whether text ends with a list of n members, joined by
// 、 or ；, that a set's name follows.
func listBefore(text string, n int) bool {
	text = strings.TrimSpace(text[:setTailRE.FindStringIndex(text)[0]])
	if i := strings.LastIndexAny(text, "“\",:;。，：；("); i >= 0 {
		_, size := utf8.DecodeRuneInString(text[i:])
		text = text[i+size:]
	}
	return listSize(text) == n
}

// listAfter reports whether text opens with a list of n members, joined by
// 、 or ；, after a set's name.
func listAfter(text string, n int) bool {
	m := setLeadRE.FindStringIndex(text)
	if m == nil {
		return false
	}
	text = text[m[1]:]
	if i := strings.IndexAny(text, "。"); i >= 0 {
		text = text[:i]
	}
	if !strings.Contains(text, "；") && !strings.Contains(text, ";") {
		if i := strings.IndexAny(text, ",，"); i >= 0 {
			text = text[:i]
		}
	}
	return listSize(text) == n
}

// listSize is the number of members of a list joined by 、 or by ；, 0 when
// it joins fewer than two.
func listSize(text string) int {
	text = strings.Trim(strings.TrimSpace(text), "“”\"")
	for _, sep := range []string{"、", "；", ";"} {
		if n := strings.Count(text, sep) + 1; n >= 2 {
			return n
		}
	}
	return 0
}

// chunkOrder is a chunk's place in its document, from its id ("<doc>#<n>").
func chunkOrder(id string) int {
	_, n, _ := strings.Cut(id, "#")
	v, _ := strconv.Atoi(n)
	return v
}

// perYearRE asks for a yearly average: "平均每年", "一年平均", "平均下来一年".
var perYearRE = mustPattern(`年均|平均每年|每年平均|平均一年|一年平均|平均下来|摊到每年|平摊到每年|平均到每年|每年平摊`)

// perYear works a yearly average asked of a total a period gives ("“十四
// 五”期间…累计投入704.97亿元", asked 平均每年): the total over the
// period's years, shown with both ("平均每年约140.99亿元（704.97亿元 ÷ 5年）").
// "" when the question asks no average of a level, the passage states one
// itself, or the figure is no total of a period of known length.
func perYear(q query, lines []candidate, figs []Figure) string {
	asks := perYearRE.MatchString(q.norm) || strings.Contains(q.norm, "平均") && !containsAny(q.norm, "每", "生均", "人均", "校均")
	if len(lines) == 0 || !asks || containsAny(q.norm, "增长", "增速", "增幅", "提高", "率", "比例") {
		return ""
	}
	span := lines[0].span
	if containsAny(span, "年均", "每年", "平均") {
		return ""
	}
	if !containsAny(span, "累计", "共", "总", "五年", "期间", "以来") {
		return "" // a total of the period, stated as one ("五年发放…21.6亿元")
	}
	years := 0
	for _, f := range figs {
		if f.N != 1 || f.Kind != KindAchieved || (unitClass(f.Unit) != "money" && unitClass(f.Unit) != "count") {
			continue
		}
		for _, p := range periods {
			if f.Period == p.name {
				years = p.end - p.start + 1
			}
		}
		v, _, ok := f.number()
		if years == 0 || !ok {
			return ""
		}
		_, scale := baseUnit(f.Unit)
		avg := strconv.FormatFloat(math.Round(v/float64(years)/scale*100)/100, 'f', -1, 64)
		return fmt.Sprintf("平均每年约%s%s（%s%s ÷ %d年）。", avg, f.Unit, f.Value, f.Unit, years)
	}
	return ""
}

// againRE is an ask of the same again: "又是多少", "又有多少个".
var againRE = mustPattern(`的?又(?:是|有)?(?:多少|几)\p{Han}?[?？]?$`)

// namesAlternative reports whether a part that asks again ("初中又是多少")
// names only an alternative of what was asked before (a level, a kind).
func namesAlternative(part string) bool {
	loc := againRE.FindStringIndex(part)
	if loc == nil {
		return false
	}
	word := strings.TrimSpace(part[:loc[0]])
	for _, group := range alternatives {
		if slices.Contains(group, word) {
			return true
		}
	}
	return false
}

// comparesPlaces reports whether a part of a question sets one place
// beside another with 比 ("A城的…目标比B城2030年的目标高吗").
func comparesPlaces(part string, places []Place) bool {
	i := strings.Index(part, "比")
	if i < 0 {
		return false
	}
	for _, p := range places {
		if !p.Scope.IsZero() && strings.HasPrefix(part[i+len("比"):], p.Name) {
			return true
		}
	}
	return false
}

// whoseFigureRE asks what a figure the citizen quotes belongs to: its year,
// or whether it is a result or a goal ("12.5%这个数说的是哪年",
// "12.5%说的是哪年", "算目标还是已完成").
var whoseFigureRE = mustPattern(`哪一?年|哪个时期|什么时候|对应|目标还是|还是目标|出处|出自|来源|哪篇|哪份|哪个文件|哪场|哪天`)

// sourceAskRE asks where a figure the citizen quotes is read: the whole
// question is about that figure, whatever else it asks of it.
var sourceAskRE = mustPattern(`出处|出自|来源|哪篇|哪份|哪个文件|哪场`)

// figureLookup answers a question about a figure the citizen quotes: the
// passages stating that very figure, labelled with their place, time and
// kind, say which year it is of and whether it is a goal. ok is false when
// the question quotes no figure or no passage states it.
func (e *Engine) figureLookup(ctx context.Context, q query, question string, covered []string) (Answer, bool, error) {
	if !whoseFigureRE.MatchString(q.norm) {
		return Answer{}, false, nil
	}
	var quoted []zh.Figure
	for _, f := range zh.Figures(q.norm) {
		if f.Unit != "" && !strings.HasSuffix(f.Unit, "年") || f.Unit == "" && strings.Contains(f.Num, ".") {
			quoted = append(quoted, f) // "97.68这个数": a decimal needs no unit to be told apart
		}
	}
	if len(quoted) != 1 || q.measure != "" && !sameClass(quoted[0].Unit, q.measure) {
		// "那些床位对应的造价几何" asks money of what the quoted
		// count counts: no lookup of the quoted figure answers it.
		return Answer{}, false, nil
	}
	results, err := e.ix.Search(ctx, q.norm, q.scope, retrieveDepth)
	if err != nil {
		return Answer{}, false, err
	}
	want := quoted[0]
	stated := func(results []Result) []candidate {
		var lines []candidate
		for _, r := range results {
			for _, u := range r.Chunk.Units {
				if len(lines) == maxLines {
					break
				}
				for _, cl := range unitClauses(u) {
					if slices.ContainsFunc(zh.Figures(cl), func(f zh.Figure) bool {
						return f.Value == want.Value && (want.Unit == "" || strings.HasPrefix(f.Unit, want.Unit))
					}) { // "704.97亿" is "704.97亿元"
						c := candidate{res: r, unit: u, span: strings.TrimRight(cl, ";；。"), cov: 1}
						if u.Cells != nil {
							c.cells, c.dated = u.Cells, true
						}
						lines = append(lines, c)
						break
					}
				}
			}
		}
		return lines
	}
	lines := stated(results)
	if len(lines) == 0 {
		// Numbers are no terms the search ranks on: the chunks stating
		// the figure as written are read for it.
		lines = stated(e.ix.stating(want.Num, q.scope, retrieveDepth))
	}
	if len(lines) == 0 {
		return Answer{}, false, nil
	}
	lq := q
	lq.figure, lq.years, lq.period = true, nil, period{}
	a := extractiveAnswer(lq, question, lines, covered)
	if sourceAskRE.MatchString(q.norm) {
		// "出自哪篇": the documents the passages are of, by title and date.
		var seen []string
		for _, s := range a.Sources {
			if slices.Contains(seen, s.DocID) {
				continue
			}
			seen = append(seen, s.DocID)
			a.Answer += fmt.Sprintf("\n出处：《%s》", s.Title)
			if s.Published != "" {
				a.Answer += "，" + publishedDate(s.Published)
			}
			a.Answer += "[" + itoa(s.N) + "]。"
		}
	}
	return a, true, nil
}

// publishedDate is when a document was published as its metadata says,
// without the notes after it ("2025-12-12 (year inferred…)": 2025-12-12).
func publishedDate(p string) string {
	if i := strings.IndexAny(p, " (（"); i > 0 {
		p = p[:i]
	}
	return "发布于" + p
}

// unitClauses are the clauses of a prose unit, or a table row whole.
func unitClauses(u Unit) []string {
	if u.Cells != nil {
		return []string{u.Text}
	}
	return zh.Clauses(u.Text)
}

// shareOfRE asks what share a part is of its whole: "X占Y的比例" and
// "Y里X占多大比例".
var (
	shareOfRE     = mustPattern(`^(.+?)占(?:了)?(.+?)(?:的)?(?:比例|比重|百分比|份额|百分之(?:多少|几)|几成)`)
	shareWithinRE = mustPattern(`^(.+?)(?:里面|里头|当中|之中|里)(?:的)?(.+?)占(?:了)?(?:多大|多少)?(?:的)?(?:比例|比重|百分比|份额|百分之(?:多少|几)|几成|比(?:是|为|有)?(?:多少|几))`)
	// shareAmongRE is "Y中X占多少" with Y a noun of people, schools or
	// money (在校生中, 资金中): 中 after such a noun, not inside 中职.
	shareAmongRE = mustPattern(`^(.+?[生员人校园金费师])中(?:的)?(.+?)占(?:了)?(?:多大|多少)?(?:的)?(?:比例|比重|百分比|份额|百分之(?:多少|几)|几成|比(?:是|为|有)?(?:多少|几))`)
	// shareNamedWithinRE and shareNamedAmongRE ask the same with no 占:
	// "Y里，X的比例是多少", "Y中X的占比有多大".
	shareNamedWithinRE = mustPattern(`^(.+?)(?:里面|里头|当中|之中|里)[,，]?(?:的)?(.+?)的?(?:占比|比例|比重)(?:是|为|有)?(?:多少|几|多大)`)
	shareNamedAmongRE  = mustPattern(`^(.+?[生员人校园金费师])中[,，]?(?:的)?(.+?)的?(?:占比|比例|比重)(?:是|为|有)?(?:多少|几|多大)`)
	wholeWordsRE       = mustPattern(`^(?:全部|全市|所有|总)|(?:的数量|数量|的总数|总数|总额|总量)$`)
	// sideNoiseRE is what names no thing on a side of a share: a figure the
	// citizen quotes ("那7.28亿装备资金"), 那/这, the basis (按所数算) and
	// punctuation.
	sideNoiseRE = mustPattern(`\d[\d.]*\s*(?:万|亿)?(?:元|所|个|人|名)?|^[那这]|按\p{Han}{1,4}算|[,，、\s]`)
)

// shareOfAnswer works the share a part is of its whole when the documents
// state both as counts or money in one unit ("食堂支出占后勤经费的多少":
// 4.5亿 ÷ 7.28亿), shown with both and its working. ok is false when
// the question asks no such share or either figure is not found.
func (e *Engine) shareOfAnswer(ctx context.Context, q query, question string, covered []string) (Answer, bool, error) {
	part, whole := "", ""
	if m := shareWithinRE.FindStringSubmatch(q.norm); m != nil {
		whole, part = m[1], m[2]
	} else if m := shareAmongRE.FindStringSubmatch(q.norm); m != nil {
		whole, part = m[1], m[2]
	} else if m := shareOfRE.FindStringSubmatch(q.norm); m != nil {
		part, whole = m[1], m[2]
	} else if m := shareNamedWithinRE.FindStringSubmatch(q.norm); m != nil {
		whole, part = m[1], m[2]
	} else if m := shareNamedAmongRE.FindStringSubmatch(q.norm); m != nil {
		whole, part = m[1], m[2]
	} else {
		return Answer{}, false, nil
	}
	g, _ := e.gazetteer()
	var context strings.Builder
	for _, p := range q.places {
		context.WriteString(p.Name)
	}
	context.WriteString(timeWords(q))
	side := func(words, measure string) (candidate, Figure, bool, error) {
		words = wholeWordsRE.ReplaceAllString(strings.TrimSpace(sideNoiseRE.ReplaceAllString(words, "")), "")
		sq := parseQuery(context.String()+words+"有多少"+measure, g)
		if len(metricTerms(sq.metric)) == 0 {
			return candidate{}, Figure{}, false, nil
		}
		got, _, err := e.extract(ctx, sq)
		if err != nil || len(got) == 0 {
			return candidate{}, Figure{}, false, err
		}
		figs := lineFigures(sq, got[0], 1)
		f, ok := principal(sq, figs)
		if !ok {
			sq.measure = "" // "投入" asks money; the figure says 亿 alone
			f, ok = principal(sq, figs)
		}
		return got[0], f, ok, nil
	}
	wl, wf, ok2, err := side(whole, "")
	if err != nil || !ok2 {
		return Answer{}, false, err
	}
	if items, i, ok := listOfParts(e, part, wl, wf); ok {
		return shareOfList(q, question, covered, wl, items, i), true, nil
	} else if len(items) > 0 {
		return Answer{}, false, nil // the figure found is one of several parts, and the part asked none of them
	}
	measure := "" // the part is counted as its whole is: "公办园" in 所 beside "幼儿园1052所"
	if unitClass(wf.Unit) == "count" {
		r, _ := utf8.DecodeLastRuneInString(wf.Unit)
		measure = string(r)
	}
	pl, pf, ok1, err := side(part, measure)
	if err != nil {
		return Answer{}, false, err
	}
	if f, ok := partWithin(e, part, wl, wf); ok {
		// "装备资金7.28亿(其中信息化类型装备投入约4.5亿…)": the part
		// the whole's own sentence states.
		pl, pf, ok1 = wl, f, true
		pl.span = strings.TrimRight(wl.unit.Text, "。；;") // both figures quoted
		wl = pl
	}
	if !ok1 {
		return Answer{}, false, nil
	}
	vp, bp, okp := pf.number()
	vw, bw, okw := wf.number()
	class := unitClass(pf.Unit)
	if !okp || !okw || bp != bw || class == "share" || pf.Unit == "%" || pf.Bound != "" || wf.Bound != "" || vw <= 0 || vp <= 0 || vp >= vw || pf.Place != wf.Place {
		return Answer{}, false, nil
	}
	if vp/vw < 0.01 {
		// "网点126个" beside "学位25.7万个": counts of different things in
		// one measure word; no part is a hundredth of its whole.
		return Answer{}, false, nil
	}
	a := extractiveAnswer(q, question, []candidate{pl, wl}, covered)
	pct := strconv.FormatFloat(vp/vw*100, 'f', 1, 64) // a share of counts to a tenth of a point
	a.Answer += fmt.Sprintf("\n占比约%s%%（%s ÷ %s）。", pct, show(pf), show(wf))
	return a, true, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// partWithin finds, in the sentence stating a whole, the figure of the part
// asked ("其中信息化类型装备投入约4.5亿"): a clause after the whole's figure
// naming most of the part's words, with a figure in the whole's unit.
// listOfParts reads the figure found for a whole as one item of a list of
// parts in one measure ("创建5所省级、12所市级…学校", "一等奖22个、二等奖22
// 个、三等奖32个"): their sum is the whole. It returns the list's figures and
// the index of the part asked, ok when one item names the part best;
// items without ok when wf is an item of a list but the part names none.
func listOfParts(e *Engine, part string, wl candidate, wf Figure) (items []Figure, at int, ok bool) {
	if wl.unit.Cells != nil {
		return nil, 0, false
	}
	terms := metricTerms(canonical(sideNoiseRE.ReplaceAllString(part, "")))
	for _, cl := range zh.Clauses(wl.unit.Text) {
		pieces := strings.Split(cl, "、")
		if len(pieces) < 2 || !slices.ContainsFunc(zh.Figures(cl), func(f zh.Figure) bool { return f.Num == wf.Value && f.Unit == wf.Unit }) {
			continue
		}
		items = items[:0]
		var texts []string
		for _, p := range pieces {
			figs := zh.Figures(p)
			if len(figs) != 1 || figs[0].Unit != wf.Unit {
				return nil, 0, false // not a list of parts in one measure
			}
			items = append(items, Figure{Value: figs[0].Num, Unit: figs[0].Unit, Place: wf.Place, Period: wf.Period, Kind: wf.Kind, Measure: strings.TrimSpace(p), N: wf.N})
			texts = append(texts, p)
		}
		if len(terms) == 0 {
			return items, 0, false
		}
		weights := e.headWeights(terms)
		best, second := 0.0, 0.0
		for i, t := range texts {
			cov := coverage(terms, weights, canonical(t))
			switch {
			case cov > best:
				best, second, at = cov, best, i
			case cov > second:
				second = cov
			}
		}
		return items, at, best >= 0.6 && best > second
	}
	return nil, 0, false
}

// shareOfList answers the share of one part of a list of parts in their
// sum, both worked and shown.
func shareOfList(q query, question string, covered []string, wl candidate, items []Figure, at int) Answer {
	wl.span = strings.TrimRight(wl.unit.Text, "。；;")
	a := extractiveAnswer(q, question, []candidate{wl}, covered)
	sum := 0.0
	var shown []string
	for _, f := range items {
		v, _, _ := f.number()
		sum += v
		shown = append(shown, show(f))
	}
	_, scale := baseUnit(items[0].Unit)
	total := items[0]
	total.Value = exactFigure(sum/scale, maxDecimals(items))
	vp, _, _ := items[at].number()
	pct := strconv.FormatFloat(vp/sum*100, 'f', 1, 64)
	a.Answer += fmt.Sprintf("\n合计%s（%s）。\n占比约%s%%（%s ÷ (%s)）。", show(total), strings.Join(shown, " + "), pct, show(items[at]), strings.Join(shown, " + "))
	return a
}

// maxDecimals is the most decimals any of figs is written with.
func maxDecimals(figs []Figure) int {
	n := 0
	for _, f := range figs {
		n = max(n, decimals(f.Value))
	}
	return n
}

func partWithin(e *Engine, part string, wl candidate, wf Figure) (Figure, bool) {
	terms := metricTerms(canonical(sideNoiseRE.ReplaceAllString(part, "")))
	if len(terms) == 0 {
		return Figure{}, false
	}
	weights := e.headWeights(terms)
	_, wb, _ := wf.number()
	var best Figure
	bestCov, ties := 0.0, 0
	for _, cl := range strings.FieldsFunc(wl.unit.Text, func(r rune) bool { return strings.ContainsRune(",，;；(（)）、", r) }) {
		figs := zh.Figures(cl)
		cov := coverage(terms, weights, canonical(cl))
		if len(figs) != 1 || strings.Contains(cl, wf.Value) || cov < 0.6 {
			continue
		}
		f := Figure{Value: figs[0].Num, Unit: figs[0].Unit, Place: wf.Place, Period: wf.Period, Kind: wf.Kind, Measure: strings.TrimSuffix(strings.TrimSpace(cl[:figs[0].Start]), "约"), N: wf.N}
		if _, b, ok := f.number(); !ok || b != wb {
			continue
		}
		switch {
		case cov > bestCov+1e-9:
			best, bestCov, ties = f, cov, 1
		case cov > bestCov-1e-9:
			ties++
		}
	}
	// The clause naming the part best, and only it: "传统类型装备" is not
	// the 信息化类型装备 beside it.
	return best, ties == 1
}

// averageEachRE asks for money or things shared over the people or
// schools they reached: "平均每所学校分到多少钱", "平均每名教师多少元",
// "平均每所学校修几间机房" (the verb, then the measure word of what is
// shared).
var averageEachRE = mustPattern(`平均(?:到|下来)?(?:每|一)(?:个|位|名)?(学生|人次|人|所学校|所|学校|项目)(?:大概|大约|约)?(?:能)?(有|是|分到|得到|拿到|\p{Han}{1,2}?)?(?:多少|几)(元|钱|块钱|块|间|个|台|套|项|名|本|册|万元|亿元|亿|万)?`)

// perUnitAnswer works money, or a count of things, over the count of people
// or schools it reached when one sentence states both ("发放资助金21.6亿元,
// 惠及困难学生164.5万人次" asked 平均每人次; "209所…7000间教室" asked
// 平均每所学校几间): the quotient, shown with its working. ok is false when
// the question asks no such average or no sentence states both.
func (e *Engine) perUnitAnswer(ctx context.Context, q query, question string, covered []string) (Answer, bool, error) {
	m := averageEachRE.FindStringSubmatchIndex(q.norm)
	if m == nil {
		return Answer{}, false, nil
	}
	unit := q.norm[m[2]:m[3]]
	counted := map[string]string{"学生": "人", "人": "人", "人次": "人次", "所学校": "所", "所": "所", "学校": "所", "项目": "个"}[unit]
	shared := "元" // money, unless a measure word of things is asked
	if m[6] >= 0 && !strings.ContainsAny(q.norm[m[6]:m[7]], "元钱块亿万") {
		shared = q.norm[m[6]:m[7]]
	}
	verb := ""
	if m[4] >= 0 {
		verb = q.norm[m[4]:m[5]]
	}
	g, _ := e.gazetteer()
	rest := q.norm[:m[0]] + "是多少钱" + q.norm[m[1]:]
	if !containsAny(verb, "有", "是", "分到", "得到", "拿到") {
		rest = q.norm[:m[0]] + verb + "多少钱" + q.norm[m[1]:] // "平均一个工程投资多少钱": 投资 names the money
	}
	if shared != "元" {
		rest = q.norm[:m[0]] + verb + "了多少" + shared + q.norm[m[1]:] // "修了多少间机房"
	}
	mq := parseQuery(rest, g)
	lines, _, err := e.extract(ctx, mq)
	if err != nil || len(lines) == 0 {
		return Answer{}, false, err
	}
	l := lines[0]
	var part, count *zh.Figure
	figs := zh.Figures(l.unit.Text)
	for i := range figs {
		if f := &figs[i]; part == nil && (strings.HasSuffix(f.Unit, shared) || shared == "元" && strings.Trim(f.Unit, "万亿") == "" && f.Unit != "") {
			part = f // money: 元, or a bare 亿 the sentence gives it in
		}
	}
	for i := range figs {
		// The count nearest the part, on either side: "新改扩建项目148个,
		// 总投资121亿元", "发放资助金21.6亿元,惠及…164.5万人次".
		f := &figs[i]
		if part == nil || f == part || !strings.HasSuffix(f.Unit, counted) || counted == "人" && strings.HasSuffix(f.Unit, "人次") {
			continue
		}
		if count == nil || abs(f.Start-part.Start) < abs(count.Start-part.Start) {
			count = f
		}
	}
	if part == nil || count == nil || count.Value <= 0 {
		return Answer{}, false, nil
	}
	_, ms := baseUnit(part.Unit)
	_, cs := baseUnit(count.Unit)
	avg := part.Value * ms / (count.Value * cs)
	if avg < 1 {
		return Answer{}, false, nil
	}
	l.span = strings.TrimRight(l.unit.Text, "。；;")
	a := extractiveAnswer(mq, question, []candidate{l}, covered)
	word := map[string]string{"人": "人", "人次": "人次", "所": "所学校", "个": "个项目"}[counted]
	shown, unitShown := strconv.FormatFloat(math.Round(avg), 'f', 0, 64), shared
	asked := ""
	if m[6] >= 0 {
		asked = q.norm[m[6]:m[7]]
	}
	switch {
	case shared != "元":
		shown = strconv.FormatFloat(math.Round(avg*10)/10, 'f', -1, 64) // things: one decimal
	case strings.HasPrefix(asked, "亿"):
		shown, unitShown = strconv.FormatFloat(math.Round(avg/1e6)/100, 'f', -1, 64), "亿元"
	case strings.HasPrefix(asked, "万") || avg >= 1e6:
		shown, unitShown = strconv.FormatFloat(math.Round(avg/1e2)/100, 'f', -1, 64), "万元" // "8175.68万元", not eight digits of 元
	}
	a.Answer += fmt.Sprintf("\n平均每%s约%s%s（%s ÷ %s）。", word, shown, unitShown, part.Text, count.Text)
	return a, true, nil
}

// periodLabel writes a figure's period before it: "2020年", "“十三五”时期".
func periodLabel(p string) string {
	if _, err := strconv.Atoi(p); err == nil {
		return p + "年"
	}
	return "“" + p + "”时期"
}

// sourceCompareRE asks how two figures of one measure stand to each other
// (多了还是少了, 一致吗, 有无增减); laterRE names a time or a report after a
// plan (现在, 2023年那篇报道).
var (
	sourceCompareRE = mustPattern(`多了?还是少了?|增加还是减少|增了还是减了|有无增减|有没有增减|一致吗|一致不|一样吗|一样不|对得上|对不上|相比|比较`)
	laterRE         = mustPattern(`现在|目前|如今|最新|报道|报导|20[2-9]\d年`)
)

// planAgainstLater rewrites a question that sets a plan's figure against
// a later one of the same measure ("现在跟十四五规划里写的比多了还是少了",
// "规划和2023年报道给的数一致吗") as the change from the year the plan
// starts from (the year before its period, as its review states it) to the
// later year named, or to now. ok is false for any other question.
func (e *Engine) planAgainstLater(q query) (string, bool) {
	twoDocs := len(q.years) == 2 && asksChange(q) && containsAny(q.norm, "报道", "报导") // "从2020年规划里的数到2023年报道，上升了多少"
	if !strings.Contains(q.norm, "规划") || !sourceCompareRE.MatchString(q.norm) && !twoDocs || len(q.scope.Cities) != 1 {
		return "", false
	}
	plan := strings.Index(q.norm, "规划")
	later := laterRE.FindAllStringIndex(q.norm, -1)
	if len(later) == 0 {
		return "", false
	}
	base := 0
	for _, d := range e.ix.Documents() {
		if d.City != q.scope.Cities[0] || !strings.Contains(d.Title, "规划") {
			continue
		}
		for _, p := range periods {
			if strings.Contains(d.Title, p.name) && (base == 0 || p.start-1 > base) && (!periodNamed(q.norm) || strings.Contains(q.norm, p.name) || strings.Contains(q.norm, p.short)) {
				base = p.start - 1
			}
		}
	}
	if base == 0 {
		return "", false
	}
	year := 0
	if twoDocs {
		base, q.years = min(q.years[0], q.years[1]), []int{max(q.years[0], q.years[1])}
	}
	for _, y := range q.years {
		if y > base {
			year = y
		} else if y != base {
			return "", false // another year of the plan's own: not the plan against a later time
		}
	}
	measure := ""
	for _, f := range strings.Fields(q.asked) {
		if utf8.RuneCountInString(f) >= 3 && !sourceCompareRE.MatchString(f) && !laterRE.MatchString(f) && !strings.Contains(f, "规划") {
			measure = f
			break
		}
	}
	if measure == "" || plan < 0 {
		return "", false
	}
	var b strings.Builder
	for _, p := range q.places {
		b.WriteString(p.Name)
	}
	b.WriteString(measure)
	if year > 0 {
		fmt.Fprintf(&b, "%d年比%d年", year, base)
	} else {
		fmt.Fprintf(&b, "现在比%d年", base)
	}
	b.WriteString("变化了多少?")
	return b.String(), true
}

// reachedLevelRE is a level reached by the items a list asks for: "要做到
// 100%的", "达到100%的".
var reachedLevelRE = mustPattern(`(?:达到|做到|搞到|实现|要到|达)\s*[\d.]+\s*%(?:的|以上)`)

// figureList answers a list asked by a figure its items share ("哪些要做到
// 100%"): the clauses of the place's passages stating that figure, of the
// year asked when one is, each labelled. The words around the figure
// (校园安全) are the citizen's name for the items, which the passage may
// never use. ok is false when the question lists nothing, quotes no one
// figure with its unit, or no clause states it.
func (e *Engine) figureList(ctx context.Context, q query, question string, covered []string) (Answer, bool, error) {
	if !q.list || len(q.scope.Cities) != 1 || q.intent.kind == askCompare {
		return Answer{}, false, nil
	}
	want := zh.Figures(q.norm)
	if len(want) != 1 || want[0].Unit != "%" || !reachedLevelRE.MatchString(q.norm) {
		// "那12个实验室是哪些学校" asks the names of what a count counts,
		// and "四个百分之百是哪四个" of a name: no level the items reach.
		return Answer{}, false, nil
	}
	f := want[0]
	var lines []candidate
	seen := map[string]bool{}
	for _, r := range e.ix.stating(f.Num, q.scope, retrieveDepth) {
		for _, u := range r.Chunk.Units {
			if u.Cells != nil {
				continue
			}
			for _, cl := range zh.Clauses(u.Text) {
				if seen[cl] || !slices.ContainsFunc(zh.Figures(cl), func(g zh.Figure) bool { return g.Value == f.Value && g.Unit == f.Unit }) {
					continue
				}
				c := candidate{res: r, unit: u, span: strings.TrimRight(cl, ";；。"), cov: 1}
				if len(q.years) == 1 {
					_, _, figs := compose(q, []candidate{c})
					if !slices.ContainsFunc(figs, func(g Figure) bool { return g.Period == itoa(q.years[0]) }) {
						continue // "2024年要做到…": that year's, not a later goal's
					}
				}
				seen[cl] = true
				lines = append(lines, c)
			}
		}
	}
	if len(lines) == 0 || len(lines) > maxLines {
		return Answer{}, false, nil
	}
	lq := q
	lq.figure = false
	return extractiveAnswer(lq, question, lines, covered), true, nil
}
