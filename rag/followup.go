package rag

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"wenda/rag/zh"
)

var (
	followOpeners = []string{"那么", "那", "咁", "还有", "另外", "再问一下", "再问", "再看看", "换成", "换作", "如果是", "要是"}
	followClosers = []string{"的呢", "呢", "的喃", "喃", "的嘞", "嘞", "的咧", "咧", "又是多少个", "又是多少人", "又是多少所", "又有多少个", "又有多少", "又是多少", "又是几个", "又如何", "怎么样"}
)

// figureCheckRE is a last clause asking only whether there is a figure:
// "有无相应数字?", "有数据吗".
var figureCheckRE = mustPattern(`[,，?？]\s*(?:有无|有没有|有)?(?:相应|对应)?(?:的)?(?:数字|数据)(?:吗)?[?？]?$`)

// rewrite turns a follow-up ("那九江呢?", "2025年的目标呢?") into a
// standalone question using the previous standalone question: what the
// follow-up names (place, time, metric, a goal) replaces the same part of
// the previous question and the rest is kept. A question that is not a
// follow-up is returned unchanged.
// eachAsksOwn reports whether a follow-up's asks are whole questions, each
// ended by a question mark and naming a thing of its own, with no time or
// change asked of the thing before ("那2015年呢？涨了多少"): then each
// follows up on the earlier question by itself.
func eachAsksOwn(norm string, parts []string, g *Gazetteer) bool {
	if strings.Count(norm, "?")+strings.Count(norm, "？") < len(parts)-1 {
		return false
	}
	for _, p := range parts {
		if splitParts(p) != nil {
			return false
		}
		pq := parseQuery(p, g)
		if len(metricTerms(pq.metric)) == 0 || pq.intent.change || len(pq.years) > 0 || pq.period.name != "" || pq.target || elliptical(pq.metric) {
			return false
		}
	}
	return true
}

// compareFollowRE is a follow-up that only names a place to compare with:
// "跟B城比呢", "和B城比起来怎么样", "那比B城呢".
var compareFollowRE = mustPattern(`^(?:那|那么)?(?:跟|和|与|同|比)(\p{Han}{2,6}?)(?:比|相比|比较|对比|比起来)?(?:呢|怎么样|如何|哪个高|谁高|谁多|哪个多)?[?？]?$`)

func rewrite(cur, prev string, g *Gazetteer) string {
	if g != nil {
		cur = g.SpellLatin(cur) // "nc的…": 南昌
	}
	if prev == "" {
		return cur
	}
	norm := zh.NormalizeQuestion(cur)
	if trimmed, ok := dropRemark(norm); ok {
		norm, cur = trimmed, trimmed // "那B城呢,我外孙在B城": the remark asks nothing
	}
	if g != nil && len(g.Find(norm)) == 0 {
		if fixed, ok := placeRepair(norm, g); ok {
			norm = fixed // "那八中呢": 巴中, typed by its sound
		}
	}
	if parts := splitParts(norm); len(parts) > 1 && len(parts) <= 3 && g != nil && len(g.Find(norm)) == 0 {
		// "那A录了几回？B用了几台？": each ask follows up on its own.
		if eachAsksOwn(norm, parts, g) {
			out := make([]string, 0, len(parts))
			for _, p := range parts {
				out = append(out, strings.TrimRight(rewrite(p, prev, g), "?？"))
			}
			return strings.Join(out, "，") + "?"
		}
	}
	if m := compareFollowRE.FindStringSubmatch(norm); m != nil && g != nil {
		// "跟B城比呢": the figure asked before, compared with the place
		// named now.
		qp := parseQuery(zh.NormalizeQuestion(prev), g)
		other := g.Find(m[1])
		if len(qp.places) == 1 && len(other) == 1 && other[0].start == 0 && other[0].end == len(m[1]) && other[0].Name != qp.places[0].Name && qp.asked != "" {
			which := "谁多?"
			if shareHead(qp.metric) {
				which = "谁高?" // a rate is higher, a count more
			}
			return timeWords(qp) + qp.places[0].Name + strings.ReplaceAll(qp.asked, " ", "") + "和" + m[1] + "比" + which
		}
	}
	// "南昌呢?有无相应数字?": a clause that only asks for the figure adds
	// nothing to the follow-up before it.
	stripped := strings.TrimRight(figureCheckRE.ReplaceAllString(norm, ""), "?？!！。. ")
	marked := false
	for _, o := range followOpeners {
		if strings.HasPrefix(stripped, o) {
			stripped, marked = strings.TrimPrefix(stripped, o), true
			break
		}
	}
	for _, c := range followClosers {
		if strings.HasSuffix(stripped, c) {
			stripped, marked = strings.TrimSuffix(stripped, c), true
			break
		}
	}
	qc := parseQuery(stripped, g)
	if qc.intent.kind == askGreeting {
		return cur // "好的，谢谢": no follow-up of what was asked
	}
	qp := parseQuery(zh.NormalizeQuestion(prev), g)
	if qc.negated != "" && len(qc.places) == 0 && qp.asked != "" {
		// "那不在城区的有几所": the whole asked before less the part named.
		var b strings.Builder
		for _, p := range qp.places {
			b.WriteString(p.Name)
		}
		b.WriteString(timeWords(qp))
		fmt.Fprintf(&b, "%s中不是%s的有多少?", strings.ReplaceAll(qp.asked, " ", ""), qc.negated)
		return b.String()
	}
	// "比上一年多了多少?" names a time to compare with, not a metric.
	// "到2019年多了多少", "每年平均涨多少", "2019年招了几个" name no metric
	// either: a change, or a verb of the metric asked before.
	rest := priorYearWords.Replace(qc.metric)
	if qc.intent.change {
		rest = changeWordsOut.Replace(priorYearWords.Replace(qc.asked))
	}
	verb := strings.TrimSpace(qc.asked)
	// "A城上一期新增多少" after "B城…新增床位多少张": a verb the question
	// before named with its thing, alone, names nothing new.
	sameVerb := verbOnly(qc.metric) && (qc.measure == "" || unitKind(qc.measure) != "" && unitKind(qc.measure) == qp.counted) && strings.Contains(qp.asked, strings.TrimSpace(qc.asked))
	named := len(metricTerms(rest)) > 0 && !sameVerb && !(utf8.RuneCountInString(verb) == 1 && allIn(verb, qp.asked)) &&
		!((qc.intent.change || changeRE.MatchString(stripped)) && utf8.RuneCountInString(strings.TrimSpace(rest)) <= 1) // "和某年比升了几个点": 升 names nothing
	if named && len(qc.places) == 0 && qp.metric != "" && (qc.measure == "" || qc.measure == qp.measure) && headsWithin(zh.Canonical(qc.metric), zh.Canonical(qp.metric)) {
		named = false // "那个比例" after "…在园幼儿占比": what was asked before, named again
	}
	if m := countedCharRE.FindStringSubmatch(stripped); m != nil && !strings.Contains(qp.norm, m[1]) && !strings.Contains("点人次倍成", m[1]) {
		named = true // "建多少个班": a noun of one character, new to the conversation, is a thing of its own
	}
	// "公办的有几所?" names a kind of what was asked before, not a new
	// metric: with no place of its own, it is a follow-up too.
	modifier := named && len(qc.places) == 0 && isModifier(qc.metric)
	if cmp, ok := comparedPlaceFollowUp(stripped, qc, qp); ok {
		return cmp
	}
	bare := strings.TrimRight(norm, "?？!！。. ") // as typed, 的呢 and all
	for _, o := range followOpeners {
		bare = strings.TrimPrefix(bare, o)
	}
	if m := verbOfRE.FindStringSubmatch(bare); m != nil && len(qc.places) == 0 && qp.asked != "" && otherVerbOf(bare) {
		// "翻修的又有几个" after "新建了几个车站": the same thing,
		// of the other verb.
		if nouns := nounsOf(qp.asked); nouns != "" {
			var b strings.Builder
			for _, p := range qp.places {
				b.WriteString(p.Name)
			}
			b.WriteString(timeWords(qp))
			fmt.Fprintf(&b, "%s%s是多少%s?", m[1], nouns, qp.measure)
			return b.String()
		}
	}
	if marked && named && !modifier && len(qc.places) > 0 && containsAny(stripped, "多少", "几") && len(metricTerms(qc.metric)) >= 2 {
		// "那B城这几年总共花了多少": a whole question of its own after
		// an opener; only the opener goes.
		return stripped + "?"
	}
	if w := withinOpener(bare); w != "" && named && !modifier && len(qc.places) == 0 && qp.asked != "" {
		// "这里面乡镇医院有几所" after "…接入多少医院": a part of the
		// whole asked before, named by a noun of its own; the documents
		// must count it within that whole, not anywhere.
		var b strings.Builder
		for _, p := range qp.places {
			b.WriteString(p.Name)
		}
		b.WriteString(timeWords(qp))
		b.WriteString(strings.ReplaceAll(qp.asked, " ", "") + "中" + strings.TrimPrefix(bare, w) + "?")
		return b.String()
	}
	if !marked && named && !modifier {
		// A question of its own. Asked in a conversation without a place
		// ("补助了多少人次"), it is of the place, and the time, asked before.
		if bare := strings.TrimSpace(qc.asked); len(qc.places) == 1 && !strings.Contains(stripped, "比") && (verbOnly(qc.metric) || utf8.RuneCountInString(bare) == 2 && qc.measure != "") && qp.asked != "" && !allIn(bare, qp.asked) {
			// "B城那边组建了多少个" after "A城医联体有几个": the verb
			// alone (a word of two characters, counted), of the thing
			// asked before, in the place named now.
			if nouns := nounsOf(qp.asked); nouns != "" {
				var b strings.Builder
				for _, p := range qc.places {
					b.WriteString(p.Name)
				}
				b.WriteString(timeWords(qc))
				fmt.Fprintf(&b, "%s%s是多少%s?", strings.ReplaceAll(qc.asked, " ", ""), nouns, qc.measure)
				return b.String()
			}
		}
		if len(qc.places) > 0 || qc.intent.kind == askGreeting {
			return cur
		}
		var b strings.Builder
		for _, p := range qp.places {
			b.WriteString(p.Name)
		}
		if len(qc.years) == 0 && qc.period.name == "" && !qc.latest && !qc.target {
			b.WriteString(timeWords(qp))
		}
		if ts := slices.DeleteFunc(metricTerms(qc.metric), func(t string) bool { return slices.Contains(genericHeads, t) || t == "教师" }); len(ts) <= 1 && qp.asked != "" && !(len(ts) == 1 && strings.Contains(qp.metric, ts[0])) {
			// "接送了多少娃", "辐射了几所学校" name a verb of what was asked
			// before ("家校公交专线"), and whom or what it reached: that is
			// its subject.
			b.WriteString(strings.ReplaceAll(qp.asked, " ", ""))
		}
		return b.String() + cur
	}
	var b strings.Builder
	places := qc.places
	if len(places) == 0 {
		places = qp.places
	}
	for _, p := range places {
		b.WriteString(p.Name)
	}
	if !named && (qc.intent.change || changeRE.MatchString(stripped)) && len(qc.years) == 1 && len(qp.years) == 0 && qp.period.name == "" && !qp.target && qp.asked != "" && sinceYearRE.MatchString(stripped) {
		// "比某年升了几个点" after a figure of now: from that year to now.
		b.WriteString("目前" + strings.ReplaceAll(qp.asked, " ", "") + stripped + "?")
		return b.String()
	}
	if qc.intent.change && len(qc.years) == 1 && len(qp.years) == 1 && qc.years[0] != qp.years[0] && qp.metric != "" {
		// "到2020年增长了多少?" after a question about 2015: the change
		// between the two years, of what was asked before.
		from, to := min(qc.years[0], qp.years[0]), max(qc.years[0], qp.years[0])
		word := changeRE.FindString(stripped)
		if word == "" {
			word = "变化了"
		}
		fmt.Fprintf(&b, "%d年到%d年%s%s多少?", from, to, strings.ReplaceAll(qp.asked, " ", ""), strings.TrimSuffix(word, "多少"))
		return b.String()
	}
	if qc.intent.change && len(qc.years) == 2 && !named && qp.metric != "" && !strings.ContainsAny(stripped, ",，") {
		// "那从A年到B年要增加多少?" after both years' figures: the change
		// between them, of what was asked before.
		word := changeRE.FindString(stripped)
		if !strings.Contains(word, "多少") && !strings.Contains(word, "几") {
			word += "多少"
		}
		m := qc.measure
		if qc.relative {
			word, m = strings.TrimSuffix(strings.TrimSuffix(word, "多少"), "几"), "多少%" // a change as a share of the earlier level
		}
		fmt.Fprintf(&b, "%d年到%d年%s%s%s?", min(qc.years[0], qc.years[1]), max(qc.years[0], qc.years[1]), strings.ReplaceAll(qp.asked, " ", ""), word, m)
		return b.String()
	}
	// The time carries over unless the follow-up names its own, asks for
	// "now", or moves to another place: places report their figures for
	// their own years, so "那九江呢?" after "2020年南昌…" asks for 九江's figure.
	years, per := qc.years, qc.period
	// A goal asked after a question about one year's result is the
	// goal of the plan, not of the result's year; a document named
	// ("按规划的说法是多少") sets the time itself.
	if len(years) == 0 && per.name == "" && !qc.latest && !qc.oneYear && qc.yearsAgo == "" && len(qc.places) == 0 && !(qc.target && !qp.target) && qc.docHint == "" {
		years, per = qp.years, qp.period
	}
	if qc.oneYear && len(qc.years) == 0 {
		b.WriteString("去年") // "去年呢": one year, named as asked
	}
	if qc.fiveYears && len(years) == 0 && per.name == "" {
		b.WriteString("这五年") // "五年一共呢": a period's total
	}
	if qc.latest || len(years) == 0 && per.name == "" && len(qc.places) == 0 && qp.latest && !qc.target && qc.docHint == "" {
		b.WriteString("目前") // "now" carries over as a time does
	}
	if qc.docHint != "" {
		b.WriteString("根据" + qc.docHint + "，")
	}
	if qc.oneYear && len(years) == 1 {
		b.WriteString("光") // "2020年单年呢": that year alone, as yearAloneRE reads it
	}
	for _, y := range years {
		b.WriteString(itoa(y) + "年")
	}
	b.WriteString(qc.yearsAgo) // "五年前呢": counted from a moment not given, said as asked
	if qc.actual {
		b.WriteString("实际") // "实际做到多少了" after a goal: what was reached, never the goal
	}
	if per.name != "" {
		b.WriteString("“" + per.name + "”期间")
	}
	if swapped := swapEach(qp.asked, qc.asked); len(swapped) > 1 {
		// "初中和普高呢" after 小学's figure: each alternative asked in turn.
		for i, sw := range swapped {
			if i > 0 {
				b.WriteString("，")
			}
			b.WriteString(sw + "是多少")
			if qp.measure != "" && unitClass(qp.measure) == "count" {
				b.WriteString(qp.measure) // "有几所": the measure word asked is kept
			}
		}
		return b.String() + "?"
	}
	metric := qc.asked
	if named && !modifier && verbOnly(qc.metric) && qp.asked != "" && (len(qc.places) == 0 || samePlaces(qc.places, qp.places)) && !allIn(strings.TrimSpace(qc.asked), qp.asked) {
		// "那服务了多少娃": a verb alone, of what was asked before.
		metric = nounsOf(qp.asked) + qc.asked
	} else if subject := verbSubject(qp.asked, qc.asked); named && !modifier && len(qc.places) == 0 && subject != "" {
		// "那覆盖多少家医院" after "X平台要覆盖多少名医生": the same verb,
		// of the same subject, reaching something else.
		metric = subject + qc.asked
	}
	if v := leadVerb(qp.asked); named && !modifier && v != "" && utf8.RuneCountInString(strings.ReplaceAll(metric, " ", "")) <= 5 && !containsAny(metric, flowVerbs...) && !containsAny(metric, programmeVerbs...) {
		if utf8.RuneCountInString(v) == 1 {
			v += "了" // "建了社区医院": a verb of one character kept apart from the noun
		}
		metric = v + metric // "骨干老师呢" after "要培养多少名学科带头人": 培养 骨干老师
	}
	switch {
	case !named:
		metric = qp.asked
		if perYearRE.MatchString(stripped) {
			metric += "平均每年" // "那每年摊下来呢": the average of what was asked
		}
		if qc.intent.change && len(qc.years) == 0 {
			// "比上一年多了多少?": the change of what was asked before.
			b.WriteString(strings.ReplaceAll(metric, " ", "") + stripped)
			return b.String()
		}
	case named && !modifier && len(qc.places) == 0 && owner(qc.asked) && qp.metric != "":
		// "那公办幼儿园的呢" after a share of 普惠 ones: the same share, of
		// the other owner's.
		if swapped, ok := swapAlternative(qp.asked, strings.ReplaceAll(qc.asked, " ", "")); ok {
			metric = swapped
		}
	case modifier && qp.metric != "":
		kind := strings.TrimPrefix(qc.asked, "其中") // "其中民办的呢": of the whole asked before
		metric = kind + qp.asked
		if len(requiredWords(kind)) == 0 && !owner(kind) {
			metric = kind + "的" + qp.asked // a kind of what was asked: the answer must name it (query.qualifier)
		} else if k, p := []rune(strings.TrimSpace(kind)), []rune(strings.TrimSpace(qp.asked)); len(k) > 1 && len(p) > 0 && k[len(k)-1] == p[len(p)-1] {
			metric = kind // "普惠园" after "幼儿园": the kind named with its own head
		}
		if swapped, ok := swapAlternative(qp.asked, strings.ReplaceAll(qc.asked, " ", "")); ok {
			metric = swapped // "小学…" then "那普高呢?": 普高 instead of 小学
		} else if r := []rune(strings.ReplaceAll(qp.asked, " ", "")); len(r) > 3 && r[len(r)-1] == '率' && !qc.target && !containsAny(qc.asked, "打算", "计划", "预计", "准备", "争取", "力争") && !isKindWord(strings.ReplaceAll(qc.asked, " ", "")) && !owner(qc.asked) {
			// "主动的呢" after "护士离职率": a rate of its own kind
			// (专业对口就业率), named before the rate's word, not before
			// whose rate it is.
			metric = string(r[:len(r)-3]) + strings.ReplaceAll(qc.asked, " ", "") + string(r[len(r)-3:])
		} else if owner(qc.asked) && (shareHead(qp.metric) || !containsAny(qp.asked, "园", "校", "学位", "幼儿", "学生", "教师")) {
			// "普惠呢?" after a rate of all pupils (巩固率): an owner's kind
			// qualifies schools and their places, so it asks of itself.
			metric = qc.asked
		}
	}
	if rate := strings.ReplaceAll(qc.asked, " ", ""); named && !modifier && bareRateRE.MatchString(rate) {
		// "那入学率" after "义务教育巩固率": another rate of the same level,
		// which the rate asked before names before its own word.
		before := strings.ReplaceAll(qp.asked, " ", "")
		if loc := rateWordRE.FindStringIndex(before); loc != nil && loc[0] > 0 && before[loc[0]:] != rate && !strings.Contains(before[:loc[0]], rate) {
			metric = before[:loc[0]] + rate
		}
	}
	b.WriteString(strings.ReplaceAll(metric, " ", ""))
	if qc.sum {
		b.WriteString("加起来") // "几个奖项加起来呢": a total asked
	} else if qc.total {
		b.WriteString("一共") // "全县一共几家": the whole, never a figure for each
	}
	if qc.target || (qp.target && len(qc.years) == 0 && qc.period.name == "" && !qc.latest && !qc.actual) {
		b.WriteString("目标")
	}
	m := qc.measure
	if m == "" && named && qp.counted != "" && unitClass(qp.measure) == "count" && countedKind(strings.ReplaceAll(qc.asked, " ", "")) == qp.counted {
		m = qp.measure // "那社区医院呢" after "建了几所…": counted as before
	} else if k := strings.ReplaceAll(qc.asked, " ", ""); m == "" && named && qp.counted == "school" && qp.measure == "" && (countedKind(k) == "school" || strings.HasSuffix(k, "园")) {
		m = "所" // "那民办园呢" after "A城幼儿园总数": schools, counted as schools are (园 is a kindergarten's short name)
	}
	switch {
	case named && !modifier && !qc.figure && !qp.figure && nameAskRE.MatchString(cantonese.Replace(stripped)):
		b.WriteString("是什么?") // "那B工程又是什么": a description asked again, of the thing named now
	case !named || !qp.intent.change || qc.intent.change || len(qc.years) > 0:
		if m != "" && m != "元" && m != "%" {
			b.WriteString("是多少" + m + "?") // the measure word asked ("目标是多少所?") is kept
		} else if m == "元" && qc.measure == "元" {
			b.WriteString("是多少钱?") // money asked now: never the count asked before
		} else if !named && qp.measure == "%" && !shareHead(qp.metric) {
			b.WriteString("百分之几?") // a share asked before of what names none ("…占多少percent"): a share again
		} else {
			b.WriteString("是多少?")
		}
	default:
		// "随班就读的呢" after "…2015到2020增加多少": the same change, of
		// the thing named now.
		word := changeRE.FindString(zh.NormalizeQuestion(prev))
		if !strings.Contains(word, "多少") && !strings.Contains(word, "几") {
			word += "多少"
		}
		b.WriteString(word + "?")
	}
	return b.String()
}

// rateWordRE is a rate's own word ending a measure ("巩固率", "毛入学率");
// bareRateRE is one asked alone.
var (
	rateWordRE = mustPattern(`(?:毛)?\p{Han}{2}率$`)
	bareRateRE = mustPattern(`^(?:毛)?\p{Han}{2}率$`)
)

// leadVerb is the first verb of a flow or a programme in asked ("培养",
// "招聘"), "" when it has none.
func leadVerb(asked string) string {
	verb, at := "", len(asked)
	for _, v := range slices.Concat(flowVerbs, programmeVerbs) {
		if i := strings.Index(asked, v); i >= 0 && i < at {
			verb, at = v, i
		}
	}
	if f := strings.Fields(asked); verb == "" && len(f) > 1 && utf8.RuneCountInString(f[0]) == 1 && strings.Contains(shortVerbs, f[0]) {
		verb = f[0] // "修了几座…": a verb of one character
	}
	return verb
}

// shortVerbs are verbs of one character citizens ask with (建了, 招了).
const shortVerbs = "建招办修盖投配评培引"

// comparedPlaceFollowUp rewrites "跟B城比哪个高" after a question about
// A城's figure: the same figure of both places compared, at the time the
// follow-up names, if any. ok is false when the follow-up
// names a measure of its own or no new place.
func comparedPlaceFollowUp(stripped string, qc, qp query) (string, bool) {
	if qp.asked == "" || len(qc.places) == 0 || len(qp.places) == 0 || !asksComparison(stripped) {
		return "", false
	}
	rest := strings.Trim(compareRE.ReplaceAllString(compareLeftovers.Replace(qc.metric), ""), " ")
	if utf8.RuneCountInString(rest) > 1 {
		return "", false
	}
	var b strings.Builder
	asked := strings.ReplaceAll(qp.asked, " ", "")
	for _, p := range qp.places {
		if !slices.ContainsFunc(qc.places, func(o Place) bool { return slices.Equal(o.Scope.Cities, p.Scope.Cities) }) {
			b.WriteString(p.Name)
			if timeWords(qc) != "" {
				// "B城2020年是多少?哪个多": the time is B城's only; the
				// place before keeps its figure's own.
				b.WriteString(timeWords(qp) + asked)
			}
			b.WriteString("和")
		}
	}
	if b.Len() == 0 {
		return "", false
	}
	for _, p := range qc.places {
		b.WriteString(p.Name)
	}
	// Places report for their own years: the time is the follow-up's
	// only, as in "那B城呢"; a goal asked before stays a goal.
	b.WriteString(timeWords(qc))
	b.WriteString(strings.ReplaceAll(qp.asked, " ", ""))
	if qp.target && !qc.latest {
		b.WriteString("目标")
	}
	word := "高"
	if w := strings.ReplaceAll(stripped, "多少", ""); strings.ContainsAny(w, "高低多少大小") {
		r, _ := utf8.DecodeRuneInString(w[strings.IndexAny(w, "高低多少大小"):]) // the first named: "多还是少" asks 多
		word = string(r)
	}
	if containsAny(stripped, "差", "高多少", "多多少", "低多少", "少多少") {
		return b.String() + "哪个" + word + ",差多少?", true // the gap asked too
	}
	return b.String() + "哪个" + word + "?", true
}

// compareLeftovers are what a comparison leaves of a metric: "跟…比", "一点".
var compareLeftovers = strings.NewReplacer("跟", "", "和", "", "与", "", "比", "", "一点", "", "点", "", "些", "", "的", "", "呢", "", "还是", "", "它", "", "差", "")

// swapEach is what was asked with each of the alternatives a follow-up
// names together ("初中和普高") in place of the one asked before; nil unless
// every word named is such an alternative.
func swapEach(asked, named string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ReplaceAll(named, " ", ""), func(r rune) bool { return strings.ContainsRune("和、与及跟，,", r) }) {
		w = strings.TrimSuffix(w, "的")
		sw, ok := swapAlternative(asked, w)
		if !ok {
			// "普高的标准": the alternative alone, when what follows it
			// names again what was asked.
			if alt := leadingAlternative(w); alt != "" && alt != w {
				sw, ok = swapAlternative(asked, alt)
			}
		}
		if !ok {
			return nil
		}
		out = append(out, strings.ReplaceAll(sw, " ", ""))
	}
	return out
}

// leadingAlternative is the alternative w opens with ("普高" of "普高标准"),
// "" when none.
func leadingAlternative(w string) string {
	for _, group := range alternatives {
		for _, alt := range group {
			if strings.HasPrefix(w, alt) {
				return alt
			}
		}
	}
	return ""
}

// verbOfRE is a follow-up naming another verb of the thing asked before:
// "翻修的又有几个", "撤并的呢".
var verbOfRE = mustPattern(`^(\p{Han}{2,4})的(?:又|还)?(?:有|是)?(?:几个|几所|多少个|多少所|多少|几|呢|$)`)

// otherVerbOf reports whether a follow-up names another verb of the thing
// asked before ("翻修的呢"), not a kind of it ("公办的有几所").
func otherVerbOf(text string) bool {
	m := verbOfRE.FindStringSubmatch(text)
	return m != nil && containsAny(m[1], programmeVerbs...)
}

// countedCharRE is a count asked of a one-character noun: "多少个班",
// "几个点" is not one (a share's points).
var countedCharRE = mustPattern(`(?:多少|几)个(\p{Han})(?:[?？呢吗啊]|$)`)

// alternatives are words of which a question names one: a follow-up naming
// another asks the same of it. Longest first within a group.
// The first group names levels of schooling; the others narrow a kind
// (requiredWords).
var alternatives = [][]string{
	{"普通高中", "高中阶段", "学前教育", "学前", "义务教育", "特殊教育", "职业教育", "高等教育", "幼儿园", "小学", "初中", "高中", "普高", "中职"},
	{"国家级", "全国", "省级", "市级", "县级"},
	{"正高级", "副高级", "正高", "副高", "中级", "初级"},
	{"特等奖", "一等奖", "二等奖", "三等奖", "金奖", "银奖", "铜奖"},
	{"城区", "城镇", "乡镇", "乡村", "农村", "村级"},
	{"公办", "民办", "普惠"},
}

// swapAlternative replaces in asked the alternative of the group that word
// belongs to, ok false when word is none or asked names none of its group.
func swapAlternative(asked, word string) (string, bool) {
	for _, group := range alternatives {
		for _, alt := range group {
			// "初级职称" after "正高级职称人员": the alternative named with
			// the words that follow it in what was asked.
			// "优质高中" after "义务教育巩固率": an alternative with a
			// word of its own before it replaces the other all the same.
			at := strings.Index(word, alt)
			if at < 0 {
				continue
			}
			rest := word[at+len(alt):]
			for _, other := range group {
				if other != alt && strings.Contains(asked, other+rest) && !strings.Contains(asked, alt+rest) {
					return strings.Replace(asked, other+rest, word, 1), true
				}
			}
		}
	}
	return "", false
}

// verbSubject returns the words before the verb the follow-up opens on, in
// the ask before it ("教学通2.0要" of "教学通2.0要覆盖 老师" for "覆盖
// 中小学"), or "" when the follow-up opens on no verb of that ask or names
// its subject itself.
func verbSubject(prev, cur string) string {
	prev, cur = strings.ReplaceAll(prev, " ", ""), strings.ReplaceAll(cur, " ", "")
	r := []rune(cur)
	if len(r) < 4 {
		return ""
	}
	verb := string(r[:2])
	if !slices.Contains(programmeVerbs, verb) && !slices.Contains(flowVerbs, verb) {
		return ""
	}
	i := strings.Index(prev, verb)
	if i <= 0 || strings.Contains(prev[i:], string(r[2:])) {
		return ""
	}
	subject := strings.TrimSuffix(strings.TrimSuffix(prev[:i], "要"), "将")
	if utf8.RuneCountInString(subject) < 2 {
		return ""
	}
	return subject
}

// samePlaces reports whether two questions name the same places, in order.
func samePlaces(a, b []Place) bool {
	return slices.EqualFunc(a, b, func(x, y Place) bool { return x.Scope.Cities != nil && slices.Equal(x.Scope.Cities, y.Scope.Cities) })
}

// withinWords open a follow-up that asks within the whole asked before.
// 其中 is left out: "其中中职的呢" names a row the documents list under
// the whole, and is answered as a modifier of it.
var withinWords = []string{"这里面", "这里头", "这其中", "这当中", "这些里面", "这些当中", "里面", "里头", "当中"}

// withinOpener returns the word of withinWords a follow-up opens on, or "".
func withinOpener(s string) string {
	for _, w := range withinWords {
		if strings.HasPrefix(s, w) {
			return w
		}
	}
	return ""
}

// isModifier reports whether a metric only qualifies another ("公办", "中职",
// "民办的"): short, and not ending in a head that names a measure.
func isModifier(metric string) bool {
	m := strings.ReplaceAll(metric, " ", "")
	if n := len([]rune(m)); n == 0 || n > 4 {
		return false
	}
	if containsAny(m, flowVerbs...) || containsAny(m, programmeVerbs...) || containsAny(m, governedVerbs...) || containsAny(m, "采集", "开展", "举办") {
		return false // "采集作业": an action asked of its own
	}
	for _, head := range []string{"率", "数", "生", "费", "位", "金", "款", "助", "量", "额", "人", "师", "园", "校", "比", "元", "长"} {
		if strings.HasSuffix(m, head) {
			return false
		}
	}
	return true
}

// owner reports whether words name an owner's kind of school (公办, 民办,
// 普惠, with or without 园) and nothing else.
func owner(words string) bool {
	w := strings.TrimSuffix(strings.ReplaceAll(words, " ", ""), "的")
	w = strings.TrimSuffix(strings.TrimSuffix(w, "幼儿园"), "园")
	return slices.Contains(alternatives[len(alternatives)-1], w)
}

// changeWordsOut drops the words that ask a change: a follow-up naming
// nothing else asks the change of what was asked before.
var changeWordsOut = strings.NewReplacer("年均", " ", "平均每年", " ", "每年平均", " ", "平均", " ", "每年", " ", "增加", " ", "增长", " ", "提高", " ", "提升", " ", "减少", " ", "下降", " ", "降低", " ", "涨", " ", "上升", " ", "升", " ", "降", " ", "多", " ", "少", " ")

// allIn reports whether every Han character of words occurs in metric: a
// verb alone ("招" of "公开招聘") names nothing new.
func allIn(words, metric string) bool {
	for _, r := range words {
		if zh.IsHan(r) && !strings.ContainsRune(metric, r) {
			return false
		}
	}
	return true
}

// priorYearWords name the year before as what a change is counted from
// ("比上一年", "跟上一年比"): no metric.
var priorYearWords = strings.NewReplacer("同比", " ", "环比", " ", "比上年", " ", "跟上一年", " ", "和上一年", " ", "上一年", " ", "前一年", " ", "跟上年", " ", "上年", " ", "去年", " ", "跟上", " ", "和上", " ", "与上", " ", "比上", " ")

// headsWithin reports whether every word of metric is a word of within or
// ends one ("占比" ends "在园幼儿占比"): a follow-up naming only such words
// names what was asked before again. A word that only opens one ("资助" of
// "资助金") names another thing.
func headsWithin(metric, within string) bool {
	words := strings.Fields(metric)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) < 2 {
			continue // a particle left over ("那")
		}
		if !slices.ContainsFunc(strings.Fields(within), func(v string) bool { return strings.HasSuffix(v, w) }) {
			return false
		}
	}
	return true
}
