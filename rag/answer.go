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

// Extractive answering (DESIGN §2.6): the units of the retrieved chunks are
// scored by how much of the asked metric they name, weighted by how rare
// each of its bigrams is among all units (a unit that says 义务教育 but not
// 巩固率 does not answer a question about 巩固率), filtered by the time the
// question names, and the best ones are quoted with their place and year.

// minCoverage is the share of the metric's weight a unit must name to count
// as an answer. Below it the documents are taken not to report the metric.
const minCoverage = 0.66

// resultAskRE asks what has been done: a verb with 了 before the asking
// word ("覆盖了全市多少所").
var resultAskRE = mustPattern(`了[^，,。？?了]{0,4}(?:多少|几)`)

// minTableCoverage is stricter: a table row's key is the metric's exact
// name, so a row that misses a part of it ("高等" in 高等教育毛入学率 against
// 高中阶段教育毛入学率) is another metric.
const minTableCoverage = 0.8

// retrieveDepth is how many chunks the answer's units are drawn from.
const retrieveDepth = 16

// maxLines is how many documents or years one answer may quote.
const maxLines = 3

// headWeight multiplies the weight of the metric's last two bigrams.
const headWeight = 1.5

type candidate struct {
	res     Result
	unit    Unit
	span    string // the clauses quoted
	extra   int    // table rows: the terms of the row's indicator the question does not name (extraTerms)
	cov     float64
	years   []int // the years the unit speaks of
	cells   []Cell
	order   int // position among all candidates, for stable ties
	target  bool
	dated   bool   // the unit itself names its year
	named   int    // 2: the unit (or its paragraph) names the asked period; 1: its plan's review speaks of it
	unitOK  bool   // the span has a figure in the measure word the question asks for
	classOK bool   // the span has a figure of the asked class: a count, a share or money
	next    *Chunk // the chunk after, when the span quotes what its unit announces there
	asked   string // the metric in the asker's words, when a line answers part of a question
	metric  string // that part's metric, in the lexicon's terms
	written string // the span as the document writes it, when it is no text of the chunk's (a heading)
}

// extract answers q from the index, or returns ok=false.
func (e *Engine) extract(ctx context.Context, q query) (lines []candidate, results []Result, err error) {
	q.follow = e.ix.following
	if !q.searchable() {
		return nil, nil, nil
	}
	if head := countNoun(q); head != "" && (utf8.RuneCountInString(head) == 1 || e.ix.knownTerm(head)) && strings.Contains(canonical(q.metric), head) {
		q.countHead = head // a mistyped noun ("多少个学为") is left to typo repair
	}
	results, err = e.ix.Search(ctx, q.searchText(), q.scope, retrieveDepth)
	if err != nil {
		return nil, nil, err
	}
	if q.docHint != "" {
		results = namedDocument(q.docHint, results)
	}
	retrievalIn(ctx).add(results)
	terms := metricTerms(q.metric)
	if q.subPlace != "" && !q.figure {
		// "B县搞什么改革试点": what is said of the county is asked; its
		// name is the question's surest term.
		terms = append(metricTerms(q.subPlace), terms...)
	}
	if len(terms) == 0 || thinAsk(q.metric, terms) && (q.subPlace == "" || q.figure) {
		return nil, results, nil
	}
	weights := e.headWeights(terms)
	e.unheldWords(q.metric, terms, weights)
	e.onlyWordOfItsOwn(q.metric, terms, weights)
	unheldJoins(terms, weights, results, q.figure)
	// A table row names its indicator only: the words that ask for a
	// change ("增加了多少") are answered by its columns, not matched.
	rowTerms, rowWeights := terms, weights
	if q.rowMetric != q.metric {
		if rowTerms = metricTerms(q.rowMetric); len(rowTerms) > 0 {
			rowWeights = e.headWeights(rowTerms)
		} else {
			rowTerms = terms
		}
	}
	cands := make([]candidate, 0, 8) // room for the usual few: a candidate is large to copy as a slice grows
	asked := ""                      // q.masked(q.norm), once a table row needs it (extraTerms)
	for _, r := range results {
		before := ""
		for _, u := range r.Chunk.Units {
			var c candidate
			var ok bool
			if u.Cells != nil {
				c, ok = score(q, rowTerms, rowWeights, r, u, "")
			} else {
				c, ok = score(q, terms, weights, r, u, before)
				before = u.Text
			}
			if !ok {
				continue
			}
			if u.Cells != nil {
				if asked == "" {
					asked = q.masked(q.norm)
				}
				c.extra = extraTerms(q, asked, u.Key)
			}
			c.order = len(cands)
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return nil, results, nil
	}
	if q.target {
		// A goal asked: the goals the documents set, when one names enough
		// of the metric, before any result that names more of it.
		goals := slices.DeleteFunc(slices.Clone(cands), func(c candidate) bool {
			return !isGoal(c) || c.cov < minCoverage || (c.unit.Cells != nil && c.cov < minTableCoverage)
		})
		if len(goals) > 0 {
			cands = goals
		}
	}
	// The order is found on indexes, and the candidates (each some 500
	// bytes) moved once: the same stable sort, with the same comparisons,
	// over what is cheap to swap.
	order := make([]int, len(cands))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return better2(&q, &cands[order[a]], &cands[order[b]]) })
	sorted := make([]candidate, len(cands))
	for i, k := range order {
		sorted[i] = cands[k]
	}
	cands = sorted
	best := cands[0]
	if best.cov < minCoverage || (best.unit.Cells != nil && best.cov < minTableCoverage) {
		return nil, results, nil
	}
	if q.target && !isGoal(best) {
		// A goal asked and only results found: the results are offered
		// by the refusal, labelled, never given as the goal.
		return nil, results, nil
	}
	if q.measure != "" && !best.classOK {
		// A count asked and a share found (or money, or another count's
		// measure word): a passage naming the measure nearly as fully in
		// the class asked answers ("公办园在园幼儿有多少万": not the row of
		// their share, the clause counting them); else the documents do
		// not give what was asked.
		i := slices.IndexFunc(cands, func(c candidate) bool {
			return c.classOK && c.unitOK && c.cov >= minCoverage && c.cov >= best.cov-0.2 && c.unit.Cells == nil
		})
		if i < 0 {
			return nil, results, nil
		}
		best = cands[i]
	}
	lines = append(lines, best)
	if best.next != nil {
		// The passage after, which the line quotes, is a passage of the
		// answer: the model is given it too.
		retrievalIn(ctx).add([]Result{{Chunk: *best.next, Score: best.res.Score}})
	}
	seenFig := map[string]bool{}
	for _, f := range zh.Figures(best.span) {
		seenFig[f.Text] = true
	}
	for _, c := range cands[1:] {
		// More lines only where documents give the same metric for other
		// years or from other sources: never for "now", and for a goal only
		// other goals.
		if len(lines) == maxLines || q.latest {
			break
		}
		if kindBeside(q, best, c) {
			continue // "村级幼儿园…增加学位2.84万个" beside "新增学位约25.7万个": a kind's figure, not the whole's
		}
		if restates(q, lines, c, seenFig) {
			// The year's figure a table gives, stated in prose by another
			// document (that year's own report), names the metric in fewer
			// of the question's words: it is cited too, adding no figure.
			lines = append(lines, c)
			continue
		}
		if c.cov < minCoverage || (c.unit.Cells != nil && c.cov < minTableCoverage) || c.cov < best.cov-0.05 || sameChunk(lines, c) || (q.target && !c.target) ||
			(c.unit.Cells != nil && best.unit.Cells != nil && c.extra > best.extra) || // a part of the row given

			(q.measure != "" && !c.classOK) ||
			(isGoal(c) && !isGoal(best) && !q.target && resultAskRE.MatchString(q.norm)) || // "覆盖了多少": what was done, not a goal beside it
			(q.period.name != "" && best.named > 0 && c.named == 0) {
			continue
		}
		fresh := false
		for _, f := range zh.Figures(c.span) {
			if !seenFig[f.Text] {
				fresh = true
			}
			seenFig[f.Text] = true
		}
		if !fresh && len(q.years) == 1 && c.unit.Cells == nil && !slices.ContainsFunc(lines, func(l candidate) bool { return l.unit.Cells == nil || l.res.Chunk.DocID == c.res.Chunk.DocID }) {
			// A year's figure a table gives, stated again in prose by
			// another document (that year's report): both are cited.
			fresh = true
		}
		if fresh {
			lines = append(lines, c)
		}
	}
	if q.total {
		lines = wholes(lines)
	}
	if len(lines) > 1 && q.figure && len(q.years) == 0 && q.period.name == "" && !q.target && !asksChange(q) && !q.list && q.docHint == "" {
		lines = latestResults(lines)
	}
	return lines, results, nil
}

// kindBeside reports whether c's sentence names a kind of place (村级,
// 乡镇…) that neither the question nor the best line's sentence names: its
// figure counts there, not what was asked.
func kindBeside(q query, best, c candidate) bool {
	if c.unit.Cells != nil {
		return false
	}
	// The sentence up to the figure's clause: a part listed after it
	// ("…医生900人,其中乡村医生300人") does not qualify it.
	text, bestText := c.unit.Text, zh.Fold(best.unit.Text)
	if i := strings.Index(text, c.span); i >= 0 {
		text = text[:i+len(c.span)]
	}
	text = zh.Fold(text)
	for _, w := range placeKinds {
		if strings.Contains(text, w) && !strings.Contains(q.norm, w) && !strings.Contains(bestText, w) {
			return true
		}
	}
	return false
}

// placeKinds are the kinds of place a count can be narrowed to.
var placeKinds = []string{"城区", "城镇", "乡镇", "乡村", "农村", "村级", "村庄"}

// restates reports whether c, a prose line of a document no line so far
// is from, states only figures the table lines already give, for the one
// year asked.
func restates(q query, lines []candidate, c candidate, seen map[string]bool) bool {
	if len(q.years) != 1 || c.unit.Cells != nil || c.cov < minCoverage || (q.target && !c.target) {
		return false
	}
	if slices.ContainsFunc(lines, func(l candidate) bool { return l.unit.Cells == nil || l.res.Chunk.DocID == c.res.Chunk.DocID }) {
		return false
	}
	figs := zh.Figures(c.span)
	if len(figs) == 0 {
		return false
	}
	for _, f := range figs {
		if !seen[f.Text] {
			return false
		}
	}
	return true
}

// latestResults keeps, of the results a city's lines give, those of the
// latest time: a figure asked with no time ("占比多少") is asked of now,
// and an earlier result beside it reads as the answer too. Goals stay.
func latestResults(lines []candidate) []candidate {
	end := func(l candidate) int {
		if l.unit.Cells != nil {
			last := 0
			for _, c := range l.cells {
				if c.Year > publishedYear(l.res.Chunk.Published) {
					continue // a goal's column
				}
				last = max(last, c.Year)
			}
			return last
		}
		if lineKind(l) != KindAchieved {
			return -1
		}
		last := periodEnd(linePeriod(l))
		if y, err := strconv.Atoi(linePeriod(l)); err == nil {
			last = max(last, y)
		}
		return last
	}
	latest := map[string]int{}
	for _, l := range lines {
		latest[l.res.Chunk.City] = max(latest[l.res.Chunk.City], end(l))
	}
	return slices.DeleteFunc(lines, func(l candidate) bool {
		e := end(l)
		return e > 0 && e < latest[l.res.Chunk.City]
	})
}

// wholes keeps, of the lines one document gives for one time in one unit,
// the one with the largest figure: a total asked ("一共新增了多少")
// is the whole, and a part ("增加学位2.84万个" of a programme) is never
// larger than it.
func wholes(lines []candidate) []candidate {
	value := func(l candidate) (float64, string, bool) {
		figs := zh.Figures(l.span)
		if len(figs) == 0 || l.unit.Cells != nil {
			return 0, "", false
		}
		base, scale := baseUnit(figs[0].Unit)
		return figs[0].Value * scale, base, true
	}
	out := lines[:0:0]
	for i, l := range lines {
		v, base, ok := value(l)
		smaller := false
		for j, o := range lines {
			if j == i || o.res.Chunk.DocID != l.res.Chunk.DocID || linePeriod(o) != linePeriod(l) {
				continue
			}
			if ov, obase, ook := value(o); ok && ook && obase == base && (ov > v || ov == v && j < i) {
				smaller = true
			}
		}
		if !smaller {
			out = append(out, l)
		}
	}
	return out
}

// headWeights are the terms' weights among all units, the head of the
// phrase weighing more: the head of a Chinese noun phrase is its end
// (义务教育巩固率 is a 率), so a unit that names the topic but not the
// measure does not answer.
func (e *Engine) headWeights(terms []string) []float64 {
	weights := e.ix.idfs(terms)
	end := len(terms) - genericTail(terms)
	for i := max(0, end-2); i < end; i++ {
		weights[i] *= headWeight
	}
	// A bigram no document holds, between two that documents hold
	// ("学校食堂": 校食), joins two words the citizen ran together: no
	// passage can name it. A mistyped character, which no held bigram
	// covers, keeps its weight.
	for i := 1; i+1 < len(terms); i++ {
		t, prev, next := terms[i], terms[i-1], terms[i+1]
		if t[0] < 0x80 {
			continue
		}
		if e.ix.termDF(t) > 0 || e.ix.termDF(prev) == 0 || e.ix.termDF(next) == 0 {
			continue
		}
		if joins(prev, t, next) {
			weights[i] = 0
		}
	}
	// A bigram no document holds across a word that only joins or asks
	// ("给学生做视力筛查": 给学, 生做, 做视) is no term a passage could hold,
	// and no sign of a typo either: it weighs nothing.
	for i, t := range terms {
		if weights[i] > 0 && t[0] >= 0x80 && strings.ContainsAny(t, joinChars) && e.ix.termDF(t) == 0 {
			weights[i] = 0
		}
	}
	// A kind ("省级", "公办") qualifies whatever noun follows, and the
	// documents often put words between ("市级普通高中示范学校"): the
	// bigram across its edge ("级特") is optional, a negative weight that
	// counts only where a passage holds it (coverage).
	for i := 1; i < len(terms); i++ {
		if isKindWord(terms[i-1]) {
			if last, _ := utf8.DecodeLastRuneInString(terms[i-1]); strings.HasPrefix(terms[i], string(last)) && weights[i] > 0 {
				weights[i] = -weights[i] // optional: counted where a passage holds it
			}
		}
	}
	return weights
}

// unheldWords weighs as much as the rest of the metric a price or charge the metric names
// as a word of its own ("学费" of "中学 学费", "限价") that no passage holds:
// the thing asked is one the documents do not speak of, and a passage
// naming only the words around it ("巴中中学") does not answer. Other words
// no passage holds are most often the citizen's own ("打算", "没得") and
// keep the little weight idfs gives them.
func (e *Engine) unheldWords(metric string, terms []string, weights []float64) {
	for _, piece := range strings.Fields(metric) {
		// "…医院要和 大学合作" ("要跟哪些大学合作建科室"): a word ending its
		// piece on 和 joins it to the next ask; the bigram across 和 is
		// no term, however often a document says "要和".
		if r := []rune(piece); len(r) >= 3 && r[len(r)-1] == '和' {
			if i := slices.Index(terms, string(r[len(r)-2:])); i >= 0 {
				weights[i] = 0
			}
		}
	}
	for _, piece := range strings.Fields(metric) {
		if utf8.RuneCountInString(piece) != 2 || !zh.IsHan([]rune(piece)[0]) || !strings.ContainsRune(chargeEnds, []rune(piece)[1]) || e.ix.termDF(piece) > 0 {
			continue
		}
		if i := slices.Index(terms, piece); i >= 0 && weights[i] > 0 {
			// As much as all the rest: no passage covers enough.
			weights[i] = 0
			for _, w := range weights {
				weights[i] += max(w, 0)
			}
		}
	}
}

// onlyWordOfItsOwn weighs as much as the rest a word of the citizen's own
// that no passage holds when everything else in the metric is a general
// head (the "经费" a money ask adds, "学校"): what is asked of is that word
// (the A项 of "A项的钱"), and a passage naming money of any kind does not answer.
func (e *Engine) onlyWordOfItsOwn(metric string, terms []string, weights []float64) {
	pieces := strings.Fields(metric)
	unheld := -1
	for _, p := range pieces {
		switch {
		case slices.Contains(generalHeads, p):
		case utf8.RuneCountInString(p) == 2 && zh.IsHan([]rune(p)[0]) && unheld < 0 && e.ix.termDF(p) == 0:
			unheld = slices.Index(terms, p)
		default:
			return
		}
	}
	if unheld < 0 || len(pieces) < 2 || weights[unheld] <= 0 {
		return
	}
	weights[unheld] = 0
	for _, w := range weights {
		weights[unheld] += max(w, 0)
	}
}

// generalHeads are the heads of a metric that say what kind of figure is
// asked, not of what: money, people, schools.
var generalHeads = []string{"经费", "资金", "投入", "学生", "学校", "教师", "人数", "数量"}

// chargeEnds end the words for what something costs: 学费, 房价, 房租.
const chargeEnds = "费价租税"

// unheldJoins weighs nothing the bigrams that join two words of the
// metric ("教育水平": 育水 between 教育 and 水平) where no passage found
// holds the joined form but some hold both words: those passages put a word
// between them ("教育发展水平") and name the same thing. Where a passage
// found does hold the joined form, the bigram keeps its weight and tells
// that passage apart; when a figure is asked, only a clause with a figure
// counts ("开展视力筛查" does not set apart "视力验光筛查4.6万").
func unheldJoins(terms []string, weights []float64, results []Result, figure bool) {
	holds := func(t string) bool {
		for _, r := range results {
			for _, u := range r.Chunk.Units {
				if text := unitMatchText(u); containsTerm(text, t) && (!figure || u.Cells != nil || slices.ContainsFunc(zh.Clauses(u.Text), func(cl string) bool { return containsTerm(zh.Canonical(cl), t) && hasFigure(cl) })) {
					return true
				}
			}
		}
		return false
	}
	for i := 1; i+1 < len(terms); i++ {
		t, prev, next := terms[i], terms[i-1], terms[i+1]
		if weights[i] <= 0 || t[0] < 0x80 || prev[0] < 0x80 || next[0] < 0x80 {
			continue
		}
		if joins(prev, t, next) && !holds(t) && apartIn(results, prev, next) {
			weights[i] = 0
		} else if joins(prev, t, next) && !heldAnywhere(results, t) && apartIn(results, next, prev) {
			weights[i] = 0 // the words the other way round ("医院扩建" for 扩建医院), where no passage joins them as asked
		}
	}
}

// heldAnywhere reports whether a unit of results holds t.
func heldAnywhere(results []Result, t string) bool {
	for _, r := range results {
		for _, u := range r.Chunk.Units {
			if containsTerm(unitMatchText(u), t) {
				return true
			}
		}
	}
	return false
}

// joins reports whether the bigram t only joins its neighbours: its first
// character ends prev and its last starts next ("教育", "育水", "水平").
func joins(prev, t, next string) bool {
	first, _ := utf8.DecodeRuneInString(t)
	last, _ := utf8.DecodeLastRuneInString(t)
	p, _ := utf8.DecodeLastRuneInString(prev)
	n, _ := utf8.DecodeRuneInString(next)
	return p == first && n == last
}

// apartIn reports whether a unit of results holds prev and then next with
// one to three characters of a word between them ("教育发展水平"), not
// words of two clauses.
func apartIn(results []Result, prev, next string) bool {
	for _, r := range results {
		for _, u := range r.Chunk.Units {
			text := unitMatchText(u)
			for from := 0; ; {
				i := strings.Index(text[from:], prev)
				if i < 0 {
					break
				}
				at := from + i + len(prev)
				gap := 0
				for j, c := range text[at:] {
					if strings.HasPrefix(text[at+j:], next) {
						if gap > 0 {
							return true
						}
						break
					}
					if gap++; gap > 3 || !zh.IsHan(c) {
						break
					}
				}
				from = at
			}
		}
	}
	return false
}

// joinChars join or ask in a question, never a term's character: 给, 做,
// 用, 把, 被, 对, 向, 跟, 从, 让.
const joinChars = "给做用把被对向跟从让"

// isKindWord reports whether a term is one of the kinds a count is narrowed
// by (the alternatives after the levels of schooling).
func isKindWord(t string) bool {
	for _, group := range alternatives[1:] {
		if slices.Contains(group, t) {
			return true
		}
	}
	return false
}

// genericHeads are nouns that end many metrics without saying which: in
// "随班就读的残疾孩子" or "薄弱学校" the words before them tell the measure.
var genericHeads = []string{"学生", "儿童", "人员", "学校"}

// thinAsk reports whether a metric's terms are only generic heads (学校,
// 学生) while it holds other words too, which no term carries ("盖了多少所
// 学校": 盖): what it asks of them no passage can be matched on.
func thinAsk(metric string, terms []string) bool {
	for _, t := range terms {
		if !slices.Contains(genericHeads, t) && t != "教师" {
			return false
		}
	}
	rest := metric
	for _, t := range terms {
		rest = strings.Replace(rest, t, "", 1)
	}
	for _, r := range rest {
		if zh.IsHan(r) {
			return true
		}
	}
	return false
}

// genericTail is how many of the last terms belong to a generic head
// ending the metric (the head's own bigram and the one across its edge);
// 0 when the metric is the generic head alone.
func genericTail(terms []string) int {
	if len(terms) < 3 {
		return 0
	}
	last := terms[len(terms)-1]
	for _, g := range genericHeads {
		if last == g {
			return 2
		}
	}
	return 0
}

// placeAskRE asks which places: "哪几个县区", "哪些地方".
var placeAskRE = mustPattern(`哪(?:几|些|一)?个?(?:县|区|地方|地区|乡镇|城市)`)

// placeNameRE is a county or district named ("进贤县", "新建区"), not the
// words for counties in general (县区, 县(区)).
var placeNameRE = mustPattern(`[^县(、,，和及与]\p{Han}{0,2}[县区](?:[^(区)]|$)`)

func sameChunk(lines []candidate, c candidate) bool {
	for _, l := range lines {
		if l.res.Chunk.ID == c.res.Chunk.ID {
			return true
		}
	}
	return false
}

// better2 orders candidates: more of the metric named first; among near
// ties, the most recent year when the question asks for the current figure,
// a goal when it asks for one; then retrieval order.
func better2(q *query, a, b *candidate) bool {
	const near = 0.05
	// A later ask of a question is first answered where the asks before it
	// were ("…修了几座桥，通了几条路" from the same passage).
	if len(q.near) > 0 {
		if na, nb := slices.Contains(q.near, a.res.Chunk.ID), slices.Contains(q.near, b.res.Chunk.ID); na != nb && math.Abs(a.cov-b.cov) < 0.2 {
			return na
		}
	}
	// A unit that names the asked period answers it better than one whose
	// year merely falls inside it, unless it names much less of the metric.
	if q.period.name != "" && a.named != b.named && math.Abs(a.cov-b.cov) < 0.2 {
		return a.named > b.named
	}
	// A unit that names the asked year answers it better than one whose
	// period merely closes in it ("2020年…4所" beside the 十三五 review's).
	if len(q.years) == 1 && math.Abs(a.cov-b.cov) < 0.2 {
		if ya, yb := slices.Contains(zh.Years(a.unit.Text), q.years[0]), slices.Contains(zh.Years(b.unit.Text), q.years[0]); ya != yb {
			return ya
		}
	}
	if d := a.cov - b.cov; d > near || d < -near {
		return d > 0
	}
	if q.target && a.target != b.target {
		return a.target
	}
	// Of two table rows, the one naming less beside what was asked: a
	// row "其中:中等职业教育在校生" is a part of the 在校生 asked.
	if a.unit.Cells != nil && b.unit.Cells != nil {
		if a.extra != b.extra {
			return a.extra < b.extra
		}
	}
	// Which places asked ("哪几个县区"): the sentence naming places.
	if q.list && placeAskRE.MatchString(q.norm) {
		if pa, pb := len(placeNameRE.FindAllString(a.span, -1)), len(placeNameRE.FindAllString(b.span, -1)); pa != pb {
			return pa > pb
		}
	}
	// A list asked: the sentence that enumerates ("铸魂赋能、供给强能…").
	if q.list {
		if ea, eb := strings.Count(a.span, "、"), strings.Count(b.span, "、"); (ea >= 2) != (eb >= 2) {
			return ea >= 2
		}
	}
	// 一共/总共 asks for the whole, not a part: the clause that says 共有.
	if q.total {
		if ta, tb := containsAny(a.span, totalWords...), containsAny(b.span, totalWords...); ta != tb {
			return ta
		}
	}
	if q.period.name != "" && a.named != b.named {
		return a.named > b.named
	}
	if q.measure != "" && a.unitOK != b.unitOK {
		return a.unitOK
	}
	// "Now" asks for the latest: the most recent year first.
	if q.latest {
		if ya, yb := maxInt(a.years), maxInt(b.years); ya != yb {
			return ya > yb
		}
	}
	// A figure with its year beats one whose year is only inferred.
	if a.dated != b.dated {
		return a.dated
	}
	if a.cov != b.cov {
		return a.cov > b.cov
	}
	return a.order < b.order
}

func maxInt(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// score rates one unit for q. ok is false when the unit cannot answer: no
// figure where one is asked, or not of the asked time.
func score(q query, terms []string, weights []float64, r Result, u Unit, before string) (candidate, bool) {
	c := candidate{res: r, unit: u}
	if q.subPlace != "" && !strings.Contains(u.Text, q.subPlace) && !strings.Contains(u.Key, q.subPlace) {
		return c, false // "南昌县的毛入园率" is no figure of all 南昌市
	}
	if len(q.unknown) > 0 && q.figure && !q.scope.IsZero() && q.partnerNamed() && !containsAny(u.Text, q.unknown...) {
		// "上海金山和九江合作，派了多少老师": a place the documents do not
		// cover, named beside a city, is what the passage must speak of.
		return c, false
	}
	if u.Cells != nil {
		if q.table != "" && !strings.HasPrefix(strings.ReplaceAll(u.Head, " ", ""), q.table) {
			return c, false // "表1里…": a row of another table
		}
		match := unitMatchText(u) // made once: it joins the row's key, heading and columns
		c.cov = coverage(terms, weights, q.masked(match+" "+partOf(r.Chunk, u)))
		c.cells = u.Cells
		c.dated = true
		goal := func(cell Cell) bool {
			return cell.Year > publishedYear(r.Chunk.Published) // a document reports no result of a later year
		}
		c.cells = tableCells(q, u.Cells, goal)
		if q.actual {
			c.cells = slices.DeleteFunc(c.cells, goal) // "某年实际的…": never the goal
		}
		if len(c.cells) == 0 {
			return c, false
		}
		if q.counted != "" && slices.ContainsFunc(c.cells, func(cell Cell) bool {
			k := unitKind(cellFigure(cell).Unit)
			return k != "" && k != q.counted
		}) {
			return c, false // "中职学校总数" is no row counting pupils, as no clause counting them is
		}
		c.classOK = true
		if q.measure != "" {
			for _, cell := range c.cells {
				// A change asked is answered by the difference column.
				if f := cellFigure(cell); f.Unit != "" && (cell.Year != 0) != (asksChange(q) && hasDiff(c.cells)) {
					c.classOK = sameClass(f.Unit, q.measure)
					c.unitOK = measureWordOK(f.Unit, q.measure)
				}
			}
		}
		for _, cell := range c.cells {
			if cell.Year == 0 {
				// A difference column spans from the year it names to the
				// row's last.
				c.years = append(c.years, periodYears(changePeriod(u.Cells, cell))...)
			}
			if cell.Year != 0 {
				c.years = append(c.years, cell.Year)
			}
		}
		if q.period.name != "" && !overlapsPeriod(c.years, q.period) && !strings.Contains(u.Head, q.period.name) {
			return c, false
		}
		if q.period.name != "" && strings.Contains(u.Head, q.period.name) {
			c.named = 2 // the table's title names the period: 表1 …“十三五”时期…主要成就
		}
		c.target = strings.Contains(u.Head, "目标")
		c.span = u.Text
		masked := q.masked(match)
		for _, w := range q.required {
			if !namesKind(masked, w) {
				return c, false // a row of another kind, or of all
			}
		}
		if otherLevel(q, masked) {
			return c, false // a row of another level of schooling
		}
		if narrower(q, q.masked(u.Key)) {
			return c, false // a row of one kind ("公办园在园幼儿数占比") when all are asked
		}
		var units []string
		for _, cell := range c.cells {
			units = append(units, cellFigure(cell).Unit)
		}
		if sharesForCount(q, units) {
			return c, false // "有多少在园幼儿" is not answered by their share
		}
		return c, true
	}
	// Terms found only in the heading path count half: 专栏2 职业教育提质培优工程
	// names what its lines are about. The heading adds at most half of what
	// the text lacks, so a unit whose text alone reaches no more than
	// 0.5+0.5×its coverage below minCoverage is dropped before its heading
	// and the sentence before it are looked at: most units are.
	text := q.masked(u.Text)
	if 0.5+0.5*coverage(terms, weights, text) < minCoverage-1e-9 {
		return c, false
	}
	context := r.Chunk.Section
	if refersBack(u.Text) {
		// "截至目前,全市通过平台参与…": the sentence before names what
		// "平台" is, and counts as a heading does.
		context += " " + before
	} else if isLead(before) {
		// "推动职业教育融合发展。围绕产业办专业,…": a paragraph's short
		// first sentence names the topic of the sentence after it, as a
		// heading does.
		context += " " + before
	}
	textCov, sectionOnly := unitCoverage(terms, weights, text, q.masked(context))
	// A unit's score never exceeds its sentence's coverage (plus the
	// heading's share): most units are dropped here, before the clauses are
	// looked at.
	if textCov+0.5*sectionOnly < minCoverage {
		return c, false
	}
	span, cov := bestSpan(terms, weights, u.Text, q)
	if span == "" {
		return c, false
	}
	c.span, c.cov = span, cov+0.5*sectionOnly
	if !q.figure {
		// A name or a list asked: the whole sentence, and what it
		// announces when it ends with a colon ("明确了十件要事：…"); it
		// answers as much as the sentence names.
		c.span = strings.TrimRight(u.Text, "。;；")
		c.cov = max(c.cov, coverage(terms, weights, q.masked(u.Text))+0.5*sectionOnly)
		if strings.HasSuffix(u.Text, ":") || strings.HasSuffix(u.Text, "：") {
			list, next := announced(r.Chunk, u, q.follow)
			c.span += list
			c.next = next
		} else if itemHeadingRE.MatchString(u.Text) && !hasFigure(u.Text) {
			// "10.优化师资管理机制": a numbered item's title says nothing
			// of what is done; the sentences under it, to the next item, do.
			if list, _ := announced(r.Chunk, u, nil); list != "" {
				var body []string
				for _, s := range strings.Split(list, "；") {
					if itemHeadingRE.MatchString(s) {
						break
					}
					body = append(body, s)
				}
				if len(body) > 0 {
					c.span += "：" + strings.TrimRight(strings.Join(body, "；"), "；")
				}
			}
		} else if more := leadsOn(r.Chunk, u); more != "" {
			// "通过多种方式,全面深化A城合作。推动…。推动…。": a short
			// sentence that only names what is done leads the sentences
			// after it, which say what.
			c.span += "：" + more
		} else if asksContent(q.norm) {
			// "具体指的是什么", "分别是哪三个": the whole sentence says it.
		} else if !q.list && hasFigure(span) {
			// A requirement asked of one of the things a sentence sets
			// figures for ("1至2年级…2小时、其他年级…3小时"): that thing's.
			if item := unclosed(enumItem(q, terms, weights, span)); item != span {
				c.span = item
			}
		} else if !q.list && containsAny(q.norm, "什么", "哪", "谁") && !containsAny(q.norm, "意思", "含义", "指什么", "怎么回事", "目标", "要求", "任务", "愿景") && !containsAny(u.Text, ",即", "，即") && len(zh.Clauses(u.Text)) >= 3 &&
			coverage(terms, weights, q.masked(span)) >= 0.7*coverage(terms, weights, q.masked(u.Text)) && !lacksAskedPlace(q.norm, span, u.Text) &&
			!(len(terms) > 0 && strings.HasSuffix(strings.TrimRight(span, "”\"》"), terms[len(terms)-1]) && definesName(q.norm, terms[len(terms)-1])) {
			// (A clause that ends with the name whose meaning is asked only
			// names it: the clauses after it say what it is.)
			// A sentence of clauses about several subjects ("…张三获全国
			// 模范教师,李四获…"): the clause naming all the question names.
			c.span = span
		}
	}
	if !q.figure && countsOnly(q.norm, c.span) {
		return c, false // "都有哪些学校" is not answered by "建成12个实验室": a count names none
	}
	if q.whenAsk && !q.figure && u.Year == 0 && len(zh.Years(zh.StripTitles(u.Text))) == 0 && !monthDayRE.MatchString(u.Text) {
		// "哪年启用的" is answered by a time its sentence or paragraph
		// names, not by the sentence naming the thing.
		return c, false
	}
	c.years = zh.Years(zh.StripTitles(u.Text))
	c.dated = len(c.years) > 0
	// The time a line speaks of is the one its label will show
	// (linePeriod): the filters below use the same, so that an answer is
	// never chosen for a time its label then contradicts.
	lp := linePeriod(c)
	lpYears := periodYears(lp)
	if len(c.years) == 0 {
		c.years = lpYears
	}
	if q.fiveYears && len(lpYears) == 1 && len(c.years) <= 1 && q.period.name == "" && len(q.years) == 0 {
		return c, false // "这五年一共" is never one year's figure
	}
	if (q.oneYear || q.anyYear) && len(c.years) != 1 && !(q.anyYear && containsAny(c.unit.Text, "每年", "/年", "年均", "一年")) {
		return c, false // "去年" is one year: a period's figure, or one of no year, is not its
	}
	if len(q.years) > 0 {
		ok := false
		for _, y := range q.years {
			// A level the period reached (a stock, a rate: "…入学率达95%")
			// is its level in the period's last year.
			ok = ok || containsInt(c.years, y) || containsInt(lpYears, y) || (q.stock || shareHead(q.metric) && !asksChange(q) && lineKind(c) != KindTarget || q.target && len(metricTerms(q.metric)) > 1 || (q.intent.kind == askYesNo || containsAny(q.norm, "有多少", "有几")) && !asksDone(q.norm)) && periodEnd(lp) == y && len(c.years) == 0
			// So is how many there were, stated in a review as a level
			// (statesLevel), not what the period added.
			ok = ok || statesLevel(c.span) && !asksChange(q) && !q.target && lineKind(c) != KindTarget && periodEnd(lp) == y && len(c.years) == 0
		}
		if !ok {
			return c, false
		}
	}
	if q.period.name != "" {
		switch {
		case strings.Contains(stripAsides(zh.StripTitles(c.span)), q.period.name) || u.Period == q.period.name || lp == q.period.name:
			c.named = 2
		case isReview(r.Chunk) && reviewedPeriod(r.Chunk) == q.period.name:
			c.named = 1
		}
		if c.named == 0 && !overlapsPeriod(lpYears, q.period) && !overlapsPeriod(zh.Years(zh.StripTitles(u.Text)), q.period) {
			return c, false
		}
		if c.named == 0 && len(periodYears(lp)) == 1 && q.figure && (programmeClause(span) || q.total) {
			// What was given or spent in one year ("2020年下达资助金1.8亿元")
			// is not what the period gave.
			return c, false
		}
	}
	if ht := metricTerms(stripAsides(q.metric)); q.figure && len(ht) > 0 && namedInAsideOnly(q, span, ht[len(ht)-1]) {
		// The metric named only in an aside with no figure of its own
		// ("先进人物3500人【含…乡村教师…】"): the figure counts something else.
		return c, false
	}
	clause := span // before narrowing: an enumeration's items share its qualifiers ("市级培育骨干教师700人、学科带头人480人")
	if !q.figure {
		clause = c.span // a name or a list asked is answered by the whole sentence, whose qualifiers are its own
	}
	if q.figure && !q.list && !q.sum {
		if item := unclosed(enumItem(q, terms, weights, span)); item != span {
			span = sharedNoun(item, span)
		}
		c.span = span
	}
	if q.measure != "" {
		figs := zh.Figures(span)
		if len(figs) == 0 {
			// Figures in words only ("不少于一万个", "四个百分之百"): one
			// in the asked class and, for a count, the asked measure word.
			for _, f := range zh.ClaimFigures(span) {
				c.classOK = c.classOK || sameClass(f.Unit, q.measure) && (unitClass(q.measure) != "count" || measureWordOK(f.Unit, q.measure))
			}
			if q.measure == "件" && itemsCountRE.MatchString(span) {
				c.classOK, c.unitOK = true, true // "几件要事": "十件要事"
			}
		}
		for _, f := range figs {
			c.unitOK = c.unitOK || measureWordOK(f.Unit, q.measure)
			c.classOK = c.classOK || sameClass(f.Unit, q.measure)
		}
	}
	c.target = containsAny(span, "目标", "力争", "达到", "到20", "以上", "不少于")
	if q.figure && !asksChange(q) && onlyChanges(c) {
		return c, false // a level asked, a change found ("近视率每年降低0.5个百分点")
	}
	if q.figure && !asksChange(q) && (q.measure == "%" || containsAny(q.metric, "比重", "占比", "比例")) && sharesOnlyChange(c.span) {
		return c, false // a share asked ("占…比重"), a growth in % found ("比2015年…增长62.95%")
	}
	if v := q.doneVerb; v != "" && !strings.Contains(clause, v) && !strings.Contains(c.span, v) {
		return c, false // "招了多少新学员" is answered by a clause that enrols, not one that returns to school
	}
	if q.figure && !q.clock && namesOnly(c.span) {
		return c, false // "“教学通2.0”" names a platform; it states no figure
	}
	if q.ordinal != "" && !slices.ContainsFunc(seriesRE.FindAllStringSubmatch(c.span, -1), func(m []string) bool { return m[1] == q.ordinal }) {
		return c, false // "第几届" is answered by a clause naming which (第八届)
	}
	if q.clock && (!clockRE.MatchString(c.span) || len(terms) > 0 && !strings.Contains(q.masked(clause), terms[len(terms)-1])) {
		return c, false // "几点" is answered by a time of day only, of the event asked (放学 is not 上课)
	}
	if q.duration && !durationRE.MatchString(zh.StripTitles(c.span)) {
		if c.span = durationBefore(u.Text, c.span); c.span == "" {
			return c, false // "用了多久" is answered by a length of time only
		}
	}
	if otherMeasureWord(q.measure, c.span) {
		return c, false // "几所医院" is not answered by "40个" of something else
	}
	if sharesForCount(q, figureUnits(c.span)) {
		return c, false // a count asked, a share found
	}
	if (q.total || q.stock) && !strings.Contains(q.norm, "每") && perUnitRE.MatchString(c.span) {
		return c, false // "一共有多少人" is not answered by "每校至少配备1名"
	}
	if q.counted != "" && !q.clock && clockRE.MatchString(c.span) && !slices.ContainsFunc(zh.Figures(clockRE.ReplaceAllString(c.span, " ")), func(f zh.Figure) bool { return unitClass(f.Unit) == "count" }) {
		return c, false // "接送了多少名学生" is not answered by a time of day ("8:30")
	}
	if q.countHead != "" && !strings.Contains(q.masked(clause), q.countHead) {
		return c, false // "多少个学位" is not answered by "…网点126个"
	}
	if q.counted == "school" && !countsKind(q.counted, c.span) && onlyBareScales(c.span) {
		return c, false // "几所学校" is not answered by "人口已达30万…": a bare scale counts something else
	}
	if q.counted != "" && countsOtherKind(q.counted, c.span) {
		return c, false // "多少学生" is never answered by a count of schools
	}
	if q.counted != "" && q.figure && !q.list && len(zh.Figures(c.span)) == 0 && countsOtherKindIn(q.counted, c.span, zh.ClaimFigures(c.span)) {
		return c, false // nor by "十项准则", a count in words of something else
	}
	if q.counted != "" && q.figure && !q.list && q.measure == "" && len(zh.Figures(c.span)) == 0 && !countsKindInWords(q.counted, c.span) {
		return c, false // "幼儿园总数" is not answered by "幼儿园“四个百分之百”": numerals in words that count no schools
	}
	if q.counted != "" && q.measure == "" && countsNounBefore(q.counted, c.span) {
		return c, false // "多少学校" is not answered by "组建教育集团30个"
	}
	if (q.stock || q.total) && (q.measure != "" && unitClass(q.measure) == "count" || q.measure == "" && q.counted != "" && q.total && !containsAny(q.norm, rankWords...)) && !onlyRanks(q.metric) && rankedCount(q.norm, c.span) {
		return c, false // "中职学校总共几所" is not answered by "国家级重点中职学校3所"
	}
	if q.measure != "" && unitClass(q.measure) == "money" && containsAny(c.span, perHead...) && !containsAny(q.norm, perHead...) {
		return c, false // "总投入多少亿" is not answered by "生均公用经费…1200元"
	}
	if q.figure && unionCount(q, c.span) {
		return c, false // "建设乡镇中心园、村级幼儿园和微小型幼儿园370所" counts all three
	}
	if q.measure != "" && unitClass(q.measure) == "count" && countsAfter(q, terms, c.span) {
		return c, false // "为38所学校" counts 学校, whatever the clause names before it
	}
	for _, w := range q.required {
		if !namesKind(q.masked(clause), w) {
			return c, false // "民办" is never answered by a clause about all or 公办
		}
	}
	if otherLevel(q, q.masked(clause)) {
		return c, false // "高中巩固率" is never answered by 义务教育's
	}
	if otherStage(canonical(q.metric), q.masked(c.span)) {
		return c, false // "初中生" is never answered by a line of 小学's
	}
	if q.figure && !namesLevel(q.masked(u.Text)) && !namesLevel(q.masked(r.Chunk.Section)) && otherLevel(q, q.masked(before)) {
		// A sentence naming no level is of the level the sentence before
		// it speaks of ("…中职学校5所。…毕业生就业率达…"): not of
		// another asked.
		return c, false
	}
	if narrower(q, q.masked(c.span)) {
		return c, false // "新增公办园学位6.1万个" is not all the places added
	}
	if q.qualifier != "" && strings.Contains(q.masked(c.span), q.kindOf) && !strings.Contains(q.masked(u.Text), q.qualifier) && !strings.Contains(r.Chunk.Section, q.qualifier) {
		return c, false // "思政的工作室几个" is not answered by "工作室205个", which counts them all
	}
	if q.figure && newFlowRE.MatchString(q.norm) && containsAny(clause, "现有", "共有", "拥有", "全市有") && !newFlowRE.MatchString(clause) {
		return c, false // "新创建了几所" is not answered by how many there are ("现有…6所")
	}
	if q.stock && programmeClause(c.span) && !(titleRE.MatchString(q.metric) && strings.Contains(clause, "培养") && !programmeClause(strings.ReplaceAll(c.span, "培养", "")) && lineKind(c) == KindAchieved) {
		// How many there are, not how many a programme reached; but
		// teachers of a title are made by training them to it ("培养…中级
		// 职称18475人"), shown with the verb and its period.
		return c, false
	}
	if (q.stock || q.total) && strings.HasPrefix(c.span, "其中") && !containsAny(q.norm, "中", "里") && !containsAny(q.norm, programmeVerbs...) && !containsAny(q.norm, flowVerbs...) && programmeClause(clauseBefore(u.Text, c.span)) {
		// "…公开招聘中小学教师1672人,其中乡村教师619人": a part of what a
		// programme reached is not how many there are in all.
		return c, false
	}
	if q.actual && lineKind(c) == KindTarget {
		return c, false // 实际 asks for what was reached, never a goal
	}
	if q.latest && !q.target && lineKind(c) == KindTarget {
		// "Now" is never answered with a goal for a later year than the
		// document's own (a plan's tasks for its own year may answer 今年).
		if y, err := strconv.Atoi(linePeriod(c)); err != nil || y > publishedYear(r.Chunk.Published) {
			return c, false
		}
	}
	return c, true
}

// clauseBefore is the clause of sentence just before span, "" when span
// opens it.
func clauseBefore(sentence, span string) string {
	i := strings.Index(sentence, span)
	if i <= 0 {
		return ""
	}
	cls := zh.Clauses(strings.TrimRight(sentence[:i], ",，、 "))
	if len(cls) == 0 {
		return ""
	}
	return cls[len(cls)-1]
}

// durationBefore is span from the clause before it in sentence that states a
// length of time ("用3-5年时间,将…比例提高到90%以上": the time the goal is
// to be reached in), "" when the clause just before states none.
func durationBefore(sentence, span string) string {
	i := strings.Index(sentence, span)
	if i <= 0 {
		return ""
	}
	before := strings.TrimRight(sentence[:i], ",，、 ")
	j := strings.LastIndexAny(before, ",，;；。:：")
	if j < 0 {
		j = 0
	} else {
		_, n := utf8.DecodeRuneInString(before[j:])
		j += n
	}
	if !durationRE.MatchString(zh.StripTitles(before[j:])) {
		return ""
	}
	return sentence[j : i+len(span)]
}

// itemsCountRE is a count of items in numerals: "十件", "三件".
var itemsCountRE = mustPattern(`[两三四五六七八九十百]+件`)

// unitClass is what a unit measures: a share, money or a count. A count
// asked in 个 may be answered in 名 or 所; a count is never answered
// with a share.
func unitClass(u string) string {
	switch {
	case u == "亿" || u == "万" || u == "万亿":
		return "" // a scale alone: money or a count, as the figure says
	case strings.HasSuffix(u, "%"), strings.HasSuffix(u, "‰"), strings.HasSuffix(u, "百分点"), u == "成":
		return "share"
	case strings.HasSuffix(u, "元"):
		return "money"
	case strings.HasSuffix(u, "倍"):
		return "ratio"
	case strings.HasSuffix(u, "平方米"), u == "亩":
		return "area"
	}
	return "count"
}

// personWords are the measure words that count people: 多少名 is answered
// in 人 as well.
var personWords = []string{"人", "名", "位"}

// measureWordOK reports whether a figure's unit gives the measure word asked:
// its own ("万所" for 所) or, for people, any of theirs.
func measureWordOK(unit, measure string) bool {
	if strings.HasSuffix(unit, measure) || strings.HasSuffix(unit, "元") && strings.HasSuffix(measure, "元") {
		return true // money in any scale: "61902万元" answers "多少亿元"
	}
	if (measure == "万" || measure == "亿") && strings.HasPrefix(unit, measure) {
		return true // "有多少万" asks the scale: "11.09万人" is in it
	}
	person := func(u string) bool {
		return slices.ContainsFunc(personWords, func(w string) bool { return strings.HasSuffix(u, w) }) && !strings.HasSuffix(u, "人次")
	}
	return person(unit) && person(measure)
}

// namedInAsideOnly reports whether head is named in span only inside
// bracketed asides that state no figure.
func namedInAsideOnly(q query, span, head string) bool {
	if strings.Contains(q.masked(stripAsides(span)), head) || strings.Contains(stripAsides(q.masked(span)), head) || !strings.Contains(q.masked(span), head) {
		// (the lexicon's word may hold brackets itself: "县(市、区)" is 县市区)
		return false
	}
	for _, aside := range asideRE.FindAllString(span, -1) {
		if strings.Contains(q.masked(aside), head) && len(zh.Figures(aside)) > 0 {
			return false
		}
	}
	return true
}

// asideRE is a bracketed aside, or one left open at the end of a span.
var asideRE = mustPattern(`[(（【][^)）】]*(?:[)）】]|$)`)

// stripAsides removes bracketed asides: "项目120个(含“十三五”接转项目)"
// names 十三五 for the projects carried over, not for the figure.
func stripAsides(s string) string {
	if !strings.Contains(s, "(") && !strings.Contains(s, ")") && !strings.Contains(s, "（") && !strings.Contains(s, "）") && utf8.ValidString(s) {
		return s // nothing to strip: no copy
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '（', '【':
			depth++
		case ')', '）', '】':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// periodYears are the years a label names: "2020" → [2020], "2016-2020"
// → [2016 2020]; a plan period or nothing → none.
func periodYears(label string) []int {
	var out []int
	for _, part := range strings.Split(label, "-") {
		if y, err := strconv.Atoi(part); err == nil {
			out = append(out, y)
		}
	}
	return out
}

// sameClass reports whether two units measure the same kind of thing; a
// scale alone (亿, 万) goes with money or a count.
func sameClass(a, b string) bool {
	ca, cb := unitClass(a), unitClass(b)
	if ca == "share" || cb == "share" {
		return ca == cb // a scale alone (万, 亿) is money or a count, never a share
	}
	return ca == cb || ca == "" || cb == ""
}

func overlapsPeriod(years []int, p period) bool {
	for _, y := range years {
		if y >= p.start && y <= p.end {
			return true
		}
	}
	return false
}

func containsAny(s string, subs ...string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}

// tableCells are the cells of a row that answer q: the asked years; for a
// question about change, the row's difference column with the years it
// spans, or without one the years to compute it from.
func tableCells(q query, cells []Cell, goal func(Cell) bool) []Cell {
	change := asksChange(q)
	if q.latest && !q.target && !change && len(q.years) == 0 {
		// "Now": the latest result the row gives, not its goal.
		var last *Cell
		for i := range cells {
			if cells[i].Year != 0 && !goal(cells[i]) && (last == nil || cells[i].Year > last.Year) {
				last = &cells[i]
			}
		}
		if last != nil {
			return []Cell{*last}
		}
	}
	if !change && len(q.years) == 0 && q.period.name == "" && !q.target {
		// The difference column is for questions about change.
		var out []Cell
		for _, c := range cells {
			if c.Year != 0 {
				out = append(out, c)
			}
		}
		return out
	}
	inPeriod := func(y int) bool { return q.period.name == "" || (y >= q.period.start && y <= q.period.end) }
	last := 0
	for _, c := range cells {
		last = max(last, c.Year)
	}
	var diff, years []Cell
	for _, c := range cells {
		switch {
		case c.Year == 0:
			from := firstYear(c.Column)
			if (len(q.years) < 2 || containsInt(q.years, from)) && (q.period.name == "" || (from >= q.period.start-1 && inPeriod(last))) {
				diff = append(diff, c)
			}
		case (len(q.years) == 0 || containsInt(q.years, c.Year)) && (inPeriod(c.Year) || change && q.period.name != "" && c.Year == q.period.start-1 && inPeriod(last)):
			// A period's change starts from the level of the year before
			// it ("十四五" from 2020's).
			years = append(years, c)
		}
	}
	switch {
	case !change && q.target:
		// A goal asked: the row's goal cells, when it has any.
		var goals []Cell
		for _, c := range years {
			if goal(c) {
				goals = append(goals, c)
			}
		}
		if len(goals) > 0 {
			return goals
		}
		return years
	case !change:
		return years
	case len(q.years) == 2:
		if len(years) < 2 {
			return nil
		}
		return append(years, diff...)
	case len(diff) > 0 && len(q.years) == 0:
		// The change with the two levels it is between, in the row's order.
		var out []Cell
		for _, c := range cells {
			if c.Year != 0 && slices.ContainsFunc(diff, func(d Cell) bool { return c.Year == firstYear(d.Column) || c.Year == last }) {
				out = append(out, c)
			}
		}
		return append(out, diff...)
	case len(q.years) == 0 && len(years) >= 2:
		return years
	case len(q.years) == 1 && sinceYearRE.MatchString(q.norm):
		// "比2015年多了多少": the change from the year named to the row's
		// last, said by the column counting from it, with both levels.
		var out, from []Cell
		for _, d := range diff {
			if firstYear(d.Column) == q.years[0] {
				from = append(from, d)
			}
		}
		for _, c := range cells {
			if len(from) > 0 && c.Year != 0 && (c.Year == q.years[0] || c.Year == last) {
				out = append(out, c)
			}
		}
		if len(out) == 2 {
			return append(out, from...)
		}
	}
	return nil
}

// sinceYearRE is a change counted from a year: "比2015年", "较2015年".
var sinceYearRE = mustPattern(`(?:比|较|相比|跟|与|和|同)\s*(?:19|20)\d{2}\s*年`)

func hasDiff(cells []Cell) bool {
	for _, c := range cells {
		if c.Year == 0 {
			return true
		}
	}
	return false
}

// isGoal reports whether a line states a goal: a table row's goal cells, or
// a sentence whose kind is target.
func isGoal(c candidate) bool {
	if c.unit.Cells != nil {
		for _, f := range lineFigures(query{}, c, 0) {
			if f.Kind == KindTarget {
				return true
			}
		}
		return false
	}
	return lineKind(c) == KindTarget
}

// itemHeadingRE is a numbered item's title standing alone: "10.优化师资管
// 理机制", "（三）推进集团化办学".
var itemHeadingRE = mustPattern(`^\s*(?:\d{1,2}\s*[.、．]|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）])\s*\p{Han}[^。,，;；:：]{1,24}。?$`)

// announced is what a sentence ending with a colon announces ("明确了十件
// 要事：一、…；二、…"): the units after it, in its chunk and the next one
// (follow), up to about 300 characters. "" when nothing follows.
func announced(ch Chunk, u Unit, follow func(Chunk) (Chunk, bool)) (string, *Chunk) {
	var units []Unit
	for i := range ch.Units {
		if ch.Units[i].Text == u.Text {
			units = ch.Units[i+1:]
			break
		}
	}
	own := len(units)
	var nextChunk *Chunk
	if len(units) < 3 && follow != nil {
		if next, ok := follow(ch); ok {
			units = append(append([]Unit{}, units...), next.Units...)
			nextChunk = &next
		}
	}
	var b strings.Builder
	used := 0
	for _, n := range units {
		if n.Cells != nil || utf8.RuneCountInString(b.String()) > 300 {
			break
		}
		if b.Len() > 0 {
			b.WriteString("；")
		}
		b.WriteString(strings.TrimRight(n.Text, "。;；"))
		used++
	}
	if used <= own {
		nextChunk = nil // the announcement ends within its own chunk
	}
	return b.String(), nextChunk
}

// onlyChanges reports whether every figure a line states is a change
// ("每年降低0.5个百分点"): the same test lineFigures applies, without
// labelling.
func onlyChanges(c candidate) bool {
	if c.unit.Cells != nil {
		return false
	}
	figs := zh.Figures(c.span)
	if len(figs) == 0 {
		return false
	}
	for _, fg := range figs {
		before := c.span[:fg.Start]
		before = clauseTail(before)
		if !isChange(before, fg.Unit) {
			return false
		}
	}
	return true
}

// sharesOnlyChange reports whether every figure in % of span is a change
// ("增长62.95%"), and there is one.
func sharesOnlyChange(span string) bool {
	n := 0
	for _, fg := range zh.Figures(span) {
		if fg.Unit != "%" {
			continue
		}
		if !isChange(clauseTail(span[:fg.Start]), fg.Unit) {
			return false
		}
		n++
	}
	return n > 0
}

// programmeVerbs say that a count is of what a programme or an action
// reached ("21所中小学校有效落实", "培养…特级教师20名"), not of what there is.
// Verbs that make the counted thing (培养, 引进, 配备: the teachers and desks
// counted are what exists) are not among them.
var programmeVerbs = []string{"落实", "评为", "获评", "获奖", "获得", "获等级奖", "完成", "改造", "轮训", "治理", "实施", "招聘", "撤并", "培训",
	"资助", "惠及", "参与", "参加", "获批", "评选", "交流", "扶持", "开通", "入选", "签订", "推出", "认定", "改扩建", "覆盖", "服务", "帮扶", "结对", "录用", "表彰"}

// newFlowRE asks what was added: "新增", "新创建", "新建了".
var newFlowRE = mustPattern(`新增|新创|新建|新评|新获|新开|新招|新引进`)

// titleRE names a rank teachers are trained to.
var titleRE = mustPattern(`职称|特级|骨干|学科带头人|名师|名校长|名班主任`)

// flowVerbs count what came in or was made over a time ("引进教师9398名",
// "开办3个分院"), not what there is: a question that names none asks for a
// stock, and is not answered by them.
var flowVerbs = []string{"引进", "培养", "招聘", "配备", "新增", "新建", "建设", "配建", "发放", "下达", "投入", "采集", "观看", "形成", "开办", "撤并", "评选", "培训"}

// programmeClause reports whether the clauses of a span that hold figures
// count what a programme reached or a flow brought.
func programmeClause(span string) bool {
	for _, cl := range zh.Clauses(span) {
		if len(zh.Figures(cl)) > 0 && (containsAny(cl, programmeVerbs...) || containsAny(cl, flowVerbs...)) {
			return true
		}
	}
	return false
}

func firstYear(s string) int {
	if ys := zh.Years(s); len(ys) > 0 {
		return ys[0]
	}
	return 0
}

// coverage is the weighted share of terms that text holds; callers pass
// text in the lexicon's terms (query.masked), as the question's are.
func coverage(terms []string, weights []float64, text string) float64 {
	var have, all float64
	bare := asidesOut(text)
	for i, t := range terms {
		w, holds := weights[i], holdsTerm(text, bare, t)
		if w < 0 { // optional: only where held
			if !holds {
				continue
			}
			w = -w
		}
		all += w
		if holds {
			have += w
		}
	}
	if all == 0 {
		return 0
	}
	return have / all
}

// hasFigure reports whether a clause states a figure, in digits or in
// words ("不少于一万个").
func hasFigure(cl string) bool {
	if len(zh.Figures(cl)) > 0 {
		return true
	}
	if strings.Contains(cl, "件") && itemsCountRE.MatchString(cl) {
		return true // "明确了十件要事": a count of items, which no unit of the figure readers names
	}
	// A figure in words counts when it is a number rather than a word
	// that holds one ("三名工程", "三个协同"): it has a scale or two digits.
	for _, f := range zh.ClaimFigures(cl) {
		if strings.ContainsAny(f.Text, "十百千万亿") {
			return true
		}
	}
	return false
}

// bestSpan picks the clauses of a sentence that answer: the clause naming
// most of the metric (a clause naming an asked year first), extended to the
// nearest clause with a figure when it has none and a figure is asked,
// preceded by a short clause that sets the time ("“十四五”期间,…"). The score
// averages the sentence's coverage (does it answer?) and the clause's (how
// closely?); a figure found outside the metric's clause costs a little.
func bestSpan(terms []string, weights []float64, sentence string, q query) (string, float64) {
	clauses := zh.Clauses(sentence)
	if len(clauses) == 0 {
		return "", 0
	}
	sentCov := coverage(terms, weights, q.masked(sentence))
	best, bestCov, bestRank, metricCov, metricAt := -1, -1.0, -1.0, 0.0, 0
	wholeAt := -1 // the clause whose figure the parts after 其中 divide
	for i, cl := range clauses {
		cov := coverage(terms, weights, q.masked(cl))
		switch {
		case i > 0 && strings.HasPrefix(cl, "其中") && hasFigure(clauses[i-1]):
			wholeAt = i - 1
		case wholeAt >= 0 && !hasFigure(cl):
			wholeAt = -1 // the list of parts ends with a clause of no figure
		}
		read := cl // the clause as read: a part with its whole
		if wholeAt >= 0 && wholeAt < i {
			// A part counts what its whole counts ("教师1672人,其中乡村
			// 教师619人,紧缺学科教师125人"): it is read with the whole's
			// clause, and ranks above the whole only when it names more of
			// the question.
			whole := coverage(terms, weights, q.masked(clauses[wholeAt]))
			if both := coverage(terms, weights, q.masked(clauses[wholeAt]+cl)); both > whole+1e-9 {
				cov, read = both, clauses[wholeAt]+cl
			}
		}
		if cov > metricCov {
			metricCov, metricAt = cov, i
		}
		rank := cov
		hasFigure := hasFigure(cl)
		for _, y := range q.years {
			// The asked year picks the clause only where the sentence
			// names several ("2020年…133.34亿元,比2015年的81.83亿元…").
			if hasFigure && strings.Contains(cl, itoa(y)) && len(zh.Years(sentence)) > 1 {
				rank += 2 // the clause of the asked year, when it has a figure
			}
		}
		if q.measure != "" && hasFigure {
			word, class := false, false
			for _, f := range zh.Figures(cl) {
				word = word || measureWordOK(f.Unit, q.measure)
				class = class || sameClass(f.Unit, q.measure)
			}
			switch {
			case word && !countsOther(q, terms, cl):
				rank += 1 // the clause with the asked measure word answers, unless it counts another thing
			case !class:
				rank -= 1 // a share where a count is asked ("不低于10%比例" beside "5000人次")
			}
		}
		if hasFigure && q.figure {
			rank += 0.05
			// The clause holding the metric's head word ("…增长10%",
			// "投资估算180.41亿元") answers more closely than one that
			// only shares its topic.
			if strings.Contains(q.masked(read), terms[len(terms)-1]) {
				rank += 0.5
			}
		}
		if rank > bestRank {
			best, bestCov, bestRank = i, cov, rank
		}
	}
	if q.counted != "" && best >= 0 && countsOtherKind(q.counted, clauses[best]) {
		// "开通300条家校公交专线,…服务1.1万余名中小学生" asked how many
		// pupils: the clause whose figure counts what is asked.
		for i, cl := range clauses {
			if i != best && countsKind(q.counted, cl) {
				best, bestCov = i, coverage(terms, weights, q.masked(cl))
				break
			}
		}
	}
	if q.figure && best != metricAt && (best-metricAt > 1 || metricAt-best > 1) && bestCov < 0.3*metricCov && hasFigure(clauses[metricAt]) {
		// The figure's clause names little of the metric and stands apart
		// from the clause that names it with a figure of its own ("组建
		// 教育集团30个、…,创建12所…特色学校" for the schools the groups
		// cover): it counts something else.
		return "", 0
	}
	start, end := best, best
	if asksChange(q) && len(q.years) == 2 {
		// A change between two years asked: the clauses from one year's
		// figure to the other's ("2020年…133.34亿元,比2015年的81.83亿元
		// 增长62.95%").
		for i, cl := range clauses {
			for _, y := range q.years {
				if strings.Contains(cl, itoa(y)) && hasFigure(cl) {
					start, end = min(start, i), max(end, i)
				}
			}
		}
	}
	penalty := 1.0
	if q.figure && !hasFigure(clauses[best]) {
		// The figure may follow the metric ("…经费547.99亿元,年均增长10.26%")
		// or precede it: take the nearest clause with one, after first.
		found := false
		// A clause whose figure names a thing of its own ("普惠园增加到
		// 448所" beside a clause about 民办园) counts that thing.
		usable := func(cl string) bool { return hasFigure(cl) && !countsOther(q, terms, cl) }
		for d := 1; d <= 2 && !found; d++ {
			if best+d < len(clauses) && usable(clauses[best+d]) {
				end, found = best+d, true
			} else if best-d >= 0 && usable(clauses[best-d]) {
				start, found = best-d, true
			}
		}
		if !found {
			return "", 0
		}
		penalty = 0.85
	}
	if start > 0 {
		prev := clauses[start-1]
		if utf8.RuneCountInString(prev) <= 12 && (len(zh.Years(prev)) > 0 || containsAny(prev, "期间", "以来", "截至", "目前", "五”", "到20")) {
			start--
		}
	}
	if !q.figure && start > 0 && hasAnyPrefix(clauses[start], "化解", "解决", "缓解", "破解", "满足") {
		// A purpose ("化解…难题") answers what was done only with the
		// clause before it, which says the means.
		start--
	}
	span := strings.Join(clauses[start:end+1], ",")
	span = strings.TrimRight(span, "。;；")
	// A clause picked for its year or its head word ("…,投资估算180.41亿元")
	// is nearly as good as the clause naming the metric beside it.
	topic := 0.0
	if q.figure && best > 0 && strings.Contains(q.masked(clauses[best]), terms[len(terms)-1]) {
		// The sentence's first clause is the subject its later clauses
		// go on about ("实施…建设项目120个,…,投资估算180.41亿元"): the
		// clause holding the metric's head is read with it.
		topic = 0.9 * coverage(terms, weights, q.masked(clauses[0]+clauses[best]))
	}
	return span, penalty * (0.5*sentCov + 0.5*max(bestCov, topic, 0.9*min(metricCov, sentCov)))
}

// countsAfter reports whether every count in span names what it counts
// right after its measure word ("38所学校", "50名教练员"), none of those
// names holds a term of the metric, and nothing after the count names the
// metric's head.
func countsAfter(q query, terms []string, span string) bool {
	any := false
	for _, f := range zh.Figures(span) {
		if unitClass(f.Unit) != "count" {
			continue
		}
		var noun []rune
		for _, r := range strings.TrimLeft(span[f.End:], "多余所个名人家项套间") {
			if !zh.IsHan(r) || len(noun) == 6 {
				break
			}
			noun = append(noun, r)
		}
		if len(noun) < 2 || strings.ContainsRune("的以左上", noun[0]) {
			return false // the count stands alone ("448所,…") or is qualified ("以上")
		}
		if k := countedKind(string(noun)); k != "" && k == q.counted && (strings.HasSuffix(strings.TrimSpace(q.metric), "学校") || countedKind(q.metric) == "") {
			// "惠及了几所" or "几所医院": "300所中小学" counts what 所 counts
			// asked; "几所大学" names its own kind, which 学校 is not.
			return false
		}
		name := zh.Canonical(string(noun)) // unmasked: 中小学校 are 学校
		for _, t := range terms {
			if strings.Contains(name, t) {
				return false
			}
		}
		if strings.Contains(zh.Canonical(docTitleRE.ReplaceAllString(span[f.End:], "")), terms[len(terms)-1]) {
			return false // "26所中小学、幼儿园被评为…示范校": what follows names the metric (a title 《…》 names nothing counted)
		}
		any = true
	}
	return any
}

// statesLevel reports whether a span states how many there are at the
// time it speaks of ("全城共有A类学校100所,其中公办80所、在校生
// 8万人"), not what was done or added over it.
func statesLevel(span string) bool {
	return containsAny(span, "共有", "现有", "其中", "在园", "在校") && !containsAny(span, "新增", "累计", "完成", "建设", "建成", "招聘", "培训", "增加", "增长", "提高", "引进", "下达", "投入")
}

// reachVerbs say that a figure is reached, sought or bounded, not what it
// counts.
var reachVerbs = []string{"实现", "完成", "争取", "力争", "确保", "达成", "至少", "不少于", "不低于"}

// countsOther reports whether every figure of a clause counts a thing of
// its own: the words before it (from the last separator, 、 included) name
// two characters or more, none of them a term of the metric. "比2015年" and
// "累计" name no thing.
func countsOther(q query, terms []string, cl string) bool {
	figs := zh.Figures(cl)
	if len(figs) == 0 {
		return false
	}
	for _, f := range figs {
		name := q.masked(measureName(clauseTail(cl[:f.Start])))
		for changed := true; changed; {
			// "“十四五”期间争取实现5000人次": verbs of reaching and
			// the time name no thing counted.
			changed = false
			for _, v := range reachVerbs {
				if strings.HasSuffix(name, v) {
					name, changed = strings.TrimSuffix(name, v), true
				}
			}
		}
		if i := strings.LastIndex(name, "期间"); i >= 0 {
			name = name[i+len("期间"):]
		}
		for _, t := range terms {
			if strings.Contains(name, t) {
				return false
			}
		}
		han := 0
		for _, r := range name {
			if zh.IsHan(r) && !strings.ContainsRune("年月日比较与和及为是达至到约近共有其中累计年均同总合", r) {
				han++
			}
		}
		if han < 2 {
			return false
		}
	}
	return true
}

// compose writes the answer lines with numbered citations, the sources
// they cite and the figures they state.
func compose(q query, lines []candidate) (string, []Source, []Figure) {
	var out []string
	var sources []Source
	figures := []Figure{}
	num := map[string]int{}
	said := map[string]int{} // line text → its index in out
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = composeLine(q, l)
	}
	for i, l := range lines {
		ch := l.res.Chunk
		if quotedByAnother(lines, texts, i) {
			continue // "发放资助金21.6亿元" beside "发放资助金21.6亿元,惠及…": nothing more
		}
		key := ch.ID
		if l.unit.Cells != nil {
			key += "\x00" + l.unit.Text // a table's rows are cited each by its own statement
		}
		text := texts[i]
		if _, ok := said[text]; ok && num[key] != 0 {
			continue // the same statement from the same source again
		}
		if i, ok := said[text]; ok && num[key] == 0 {
			// The same statement in a second source (a table's 2020
			// column in 表1 and 表2): one line, both citations.
			n := len(sources) + 1
			num[key] = n
			sources = append(sources, lineSource(ch, l, n))
			out[i] = strings.TrimSuffix(out[i], "。") + fmt.Sprintf("[%d]。", n)
			continue
		}
		n, ok := num[key]
		if !ok {
			n = len(sources) + 1
			num[key] = n
			sources = append(sources, lineSource(ch, l, n))
		}
		cite := fmt.Sprintf("[%d]", n)
		figs := lineFigures(q, l, n)
		if l.next != nil {
			// What the line's passage announces is quoted from the
			// passage after it: both are cited.
			m, ok := num[l.next.ID]
			if !ok {
				m = len(sources) + 1
				num[l.next.ID] = m
				sources = append(sources, sourceOf(*l.next, l.cov, m))
			}
			cite += fmt.Sprintf("[%d]", m)
			for i := range figs {
				if !strings.Contains(zh.Normalize(ch.Text), figs[i].Value) {
					figs[i].N = m // stated in the passage after
				}
			}
		}
		said[text] = len(out)
		out = append(out, text+cite+"。")
		figures = append(figures, figs...)
	}
	return strings.Join(out, "\n"), sources, figures
}

// lineSource is the source a line cites: a table row's statement stands
// alone, so it is cited rather than the whole table.
// quotedByAnother reports whether line i's text is quoted whole by another
// line of the same sentence, which then says all it says.
func quotedByAnother(lines []candidate, texts []string, i int) bool {
	for j, o := range lines {
		if j != i && o.res.Chunk.ID == lines[i].res.Chunk.ID && o.unit.Text == lines[i].unit.Text && lines[i].unit.Cells == nil &&
			len(texts[j]) > len(texts[i]) && strings.Contains(texts[j], strings.TrimPrefix(texts[i], lines[i].res.Chunk.City+"（")) {
			return true
		}
	}
	return false
}

func lineSource(ch Chunk, l candidate, n int) Source {
	src := sourceOf(ch, l.cov, n)
	if l.unit.Cells != nil {
		src.Text = l.unit.Text
	}
	return src
}

func sourceOf(ch Chunk, score float64, n int) Source {
	return Source{
		N: n, DocID: ch.DocID, Title: ch.Title, City: ch.City, Published: ch.Published, URL: ch.URL,
		Section: ch.Section, Text: ch.Text, Score: roundScore(score),
	}
}

func roundScore(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

// composeLine names place, time, kind and figure. The labels come from the
// line's own facts, never from the question; the quoted clauses are shown
// as the document wrote them.
func composeLine(q query, l candidate) string {
	ch := l.res.Chunk
	city := ch.City
	if l.unit.Cells != nil {
		name := tableName(l.unit)
		cells := shownCells(q, l)
		if len(q.years) > 0 && len(l.cells) == 1 {
			verb := "为"
			if l.cells[0].Year > publishedYear(ch.Published) {
				verb = "目标为"
			}
			return fmt.Sprintf("%s%s%s%s%s", city, l.cells[0].Column, name, verb, l.cells[0].Value)
		}
		var vals []string
		for _, c := range cells {
			v := c.Column + c.Value
			if c.Year > publishedYear(ch.Published) {
				v = c.Column + "目标" + c.Value
			}
			vals = append(vals, v)
		}
		return fmt.Sprintf("%s%s：%s（%s）", city, name, strings.Join(vals, "，"), strings.Fields(tableLabel(l.unit))[0])
	}
	metric := q.metric
	if l.metric != "" {
		metric = l.metric
	}
	named := "" // the metric as the document names it, when the quote does not
	if terms := metricTerms(metric); q.figure && len(terms) > 0 {
		// The quoted clause does not name the metric ("比2015年的81.83亿元
		// 增长62.95%"): quote from the clause of its sentence that does.
		l.span, named = namedSpan(l.unit.Text, l.span, terms[len(terms)-1], q.years)
	}
	l.span = closeBrackets(l.unit.Text, l.span)
	shown, ok := zh.Original(ch.Text, l.span)
	if !ok {
		shown = originalPieces(ch.Text, l.span)
	}
	if l.written != "" {
		shown = l.written
	}
	prefix := city
	if namesCity(l.span, city) {
		prefix = ""
	}
	prefix += named
	var label []string
	if len(zh.Years(l.span)) == 0 && !containsPeriod(l.span) {
		if p := linePeriod(l); p != "" {
			if _, err := strconv.Atoi(p); err == nil {
				label = append(label, p+"年")
			} else {
				label = append(label, "“"+p+"”时期")
			}
		}
	}
	if lineKind(l) == KindTarget && !containsAny(l.span, "目标", "力争") {
		label = append(label, "目标")
	}
	if len(label) > 0 {
		prefix += "（" + strings.Join(label, "") + "）"
	}
	if prefix == "" {
		return shown
	}
	return prefix + "：" + shown
}

// namedSpan extends span, quoted from sentence, back to the nearest clause
// before it that names head (the metric's last term), so that a quoted
// figure says what it counts in the document's words, never the question's.
// When that clause states a figure of a year the question does not ask
// ("2020年…133.34亿元,比2015年81.83亿元…" for 2015), the span stays and
// the clause's words for the metric come back as name instead. The span is
// returned as it is when it names head or no clause before it does.
func namedSpan(sentence, span, head string, years []int) (string, string) {
	if strings.Contains(zh.Canonical(span), head) {
		return span, ""
	}
	first, _, _ := strings.Cut(span, ",")
	at := strings.Index(sentence, first)
	if at <= 0 {
		return span, ""
	}
	clauses := zh.Clauses(sentence[:at])
	for i := len(clauses) - 1; i >= 0; i-- {
		cl := clauses[i]
		if !strings.Contains(zh.Canonical(cl), head) {
			continue
		}
		if figs := zh.Figures(cl); len(years) > 0 && len(figs) > 0 && !slices.ContainsFunc(zh.Years(cl), func(y int) bool { return slices.Contains(years, y) }) {
			return span, strings.TrimSpace(questionYearRE.ReplaceAllString(measureName(cl[:figs[0].Start]), ""))
		}
		if strings.HasSuffix(sentence[:at], "、") && zh.Figures(cl) != nil {
			return span, "" // an item of an enumeration: the items before it state their own figures
		}
		from := strings.LastIndex(sentence[:at], cl)
		return sentence[from:at] + span, ""
	}
	return span, ""
}

// enumVerbRE is the verb that opens a 分别 enumeration: "…定额标准分别达到小学
// 1200元、初中1400元".
var enumVerbRE = mustPattern(`分别(?:达到|达|为|是|有|占|增长|提高)?`)

// enumItem narrows a span that enumerates figures ("A类教师8人、B类教师
// 30人"; "分别达到X 1200元、Y 1400元") to the item that names the metric
// best, keeping what the items share: the clauses before them and the
// words up to 分别. An item is dropped only when every term of the metric it
// alone names is named by the kept one too: an item naming a part of the
// question the kept one lacks (a level, a kind the kept item does not name)
// keeps the span whole, as does a span whose
// items do not each state a figure. The first item's own words are as many
// as the longest other item's: what comes before them is shared.
func enumItem(q query, terms []string, weights []float64, span string) string {
	whole := span
	if paired, ok := pairedItem(q, terms, weights, span); ok {
		return paired
	}
	span = itemSeps(span)
	lead := ""
	if i := strings.LastIndex(span[:max(0, strings.Index(span, "、"))], ","); i >= 0 {
		lead, span = span[:i+1], span[i+1:]
	}
	items := mergeFigureless(strings.Split(span, "、"))
	if len(items) < 2 {
		return whole
	}
	if loc := enumVerbRE.FindStringIndex(items[0]); loc != nil {
		lead += items[0][:loc[1]]
		items[0] = items[0][loc[1]:]
	} else {
		// The verb the first item opens with is every item's: "培养正高级
		// 职称教师63人、…中级职称18475人".
		for _, v := range slices.Concat(flowVerbs, programmeVerbs, []string{"建成", "创建", "组建", "新增"}) {
			if strings.HasPrefix(items[0], v) {
				lead += v
				items[0] = items[0][len(v):]
				break
			}
		}
	}
	longest := 0
	for _, it := range items[1:] {
		longest = max(longest, utf8.RuneCountInString(it))
	}
	named := make([][]bool, len(items))
	covs := make([]float64, len(items))
	best := 0
	for i, it := range items {
		if len(zh.Figures(it)) == 0 {
			return whole
		}
		own := it
		if rs := []rune(it); i == 0 && len(rs) > longest {
			own = string(rs[len(rs)-longest:])
		}
		m, full := q.masked(own), q.masked(it)
		named[i] = make([]bool, len(terms))
		for k, t := range terms {
			named[i][k] = strings.Contains(full, t)
		}
		covs[i] = coverage(terms, weights, m)
		if otherGrades(q.norm, it) {
			covs[i] = 0 // "1至2年级…" when a higher grade is asked
		}
		if slices.ContainsFunc(q.required, func(w string) bool { return !namesKind(full, w) && namesOtherKind(full, w) }) {
			covs[i] = 0 // an item of another kind than the one asked ("国家级…3所示范校" for 省级)
		}
		if q.measure != "" && !slices.ContainsFunc(zh.Figures(it), func(f zh.Figure) bool { return sameClass(f.Unit, q.measure) }) {
			covs[i] = 0 // an item without a figure of the asked class answers nothing
		}
		if covs[i] > covs[best] {
			best = i
		}
	}
	ties := 0
	for _, c := range covs {
		if c >= covs[best]-1e-9 {
			ties++
		}
	}
	if others := slices.IndexFunc(items, func(it string) bool { return strings.HasPrefix(it, "其他") }); covs[best] == 0 && others >= 0 {
		// "1至2年级…2小时、其他年级…3小时" with the first out by its
		// grades: the rest is "其他".
		excluded := 0
		for i, it := range items {
			if i != others && otherGrades(q.norm, it) {
				excluded++
			}
		}
		if excluded == len(items)-1 {
			return lead + items[others]
		}
	}
	if ties > 1 {
		// Items named alike: the one naming what no other item names
		// ("中级" beside "副高级职称教师": 职称, 教师 are shared).
		only := -1
		for k := range terms {
			n, at := 0, 0
			for i := range items {
				if named[i][k] {
					n, at = n+1, i
				}
			}
			if n == 1 && covs[at] > 0 {
				if only >= 0 && only != at {
					// A breakdown's whole (item 0 of "…7.28亿(其中…)")
					// and one of its parts: the part is what was asked.
					if breakdown := strings.Contains(whole, "(其中"); breakdown && (only == 0 || at == 0) {
						only = max(only, at)
						continue
					}
					return whole
				}
				only = at
			}
		}
		if only >= 0 {
			best, ties = only, 1
		}
	}
	if covs[best] == 0 || ties > 1 {
		return whole // nothing named, or two items named alike
	}
	for k := range terms {
		// A term only one other item names is a part of the question the
		// kept item lacks; one several items name is what they share.
		n := 0
		for i := range items {
			if named[i][k] {
				n++
			}
		}
		for i := range items {
			if i != best && covs[i] > 0 && named[i][k] && !named[best][k] && n == 1 && !(i == len(items)-1 && inPredicate(q.masked(items[i]), terms[k])) &&
				!(i == 0 && strings.Contains(whole, "(其中")) { // a breakdown's whole names what its parts share
				return whole
			}
		}
	}
	return lead + items[best]
}

// closeBrackets extends span, quoted from sentence, to the bracket that
// closes one it opens: "投入7.28亿(其中信息化类型装备投入约4.5亿" is quoted
// with the rest of its aside, never half of it.
func closeBrackets(sentence, span string) string {
	open := strings.Count(span, "(") + strings.Count(span, "（") - strings.Count(span, ")") - strings.Count(span, "）")
	if open <= 0 {
		return span
	}
	at := strings.Index(sentence, span)
	if at < 0 {
		return span
	}
	rest := sentence[at+len(span):]
	if end := strings.IndexAny(rest, ")）"); end >= 0 {
		_, size := utf8.DecodeRuneInString(rest[end:])
		return span + rest[:end+size]
	}
	return span
}

func containsPeriod(s string) bool {
	for _, p := range periods {
		if strings.Contains(s, p.name) {
			return true
		}
	}
	return false
}

// tableName is a row's group and indicator: "九年义务教育巩固率"; a row
// "其中:…" drops its "其中".
func tableName(u Unit) string {
	parts := strings.Split(u.Head, " · ")
	if len(parts) < 2 {
		return u.Key
	}
	ind := parts[len(parts)-1]
	ind = strings.TrimPrefix(strings.TrimPrefix(ind, "其中:"), "其中：")
	if len(parts) >= 3 {
		return parts[len(parts)-2] + ind
	}
	return ind
}

// tableLabel is "表2 南昌市“十四五”时期教育事业发展主要目标".
func tableLabel(u Unit) string {
	return strings.Split(u.Head, " · ")[0]
}

// noAnswer is the fixed polite reply naming what was asked.
func noAnswer(q query, covered []string) string {
	var subject strings.Builder
	for _, p := range q.places {
		if q.subPlace != "" && strings.HasPrefix(q.subPlace, p.Name) {
			subject.WriteString(q.subPlace) // the county asked, not its city
			continue
		}
		subject.WriteString(p.Name)
	}
	for _, y := range q.years {
		subject.WriteString(itoa(y) + "年")
	}
	if q.period.name != "" {
		subject.WriteString("“" + q.period.name + "”时期")
	}
	subject.WriteString(strings.ReplaceAll(q.asked, " ", ""))
	if q.target {
		subject.WriteString("目标")
	}
	s := subject.String()
	// A refusal never repeats a figure, even one typed in the question.
	for _, f := range zh.Figures(s) {
		s = strings.Replace(s, f.Text, "", 1)
	}
	msg := "抱歉，现有资料中没有找到"
	if s != "" {
		msg += "“" + s + "”的"
	}
	msg += "相关数据。"
	if len(covered) > 0 {
		msg += "目前收录的是" + strings.Join(covered, "、") + "的教育相关文件。"
	}
	return msg
}

// Retrieve returns the chunks a standalone question retrieves within its
// scope, best first, as the answer sees them: for evaluating retrieval.
// A question about a place the corpus does not cover retrieves nothing.
func (e *Engine) Retrieve(ctx context.Context, question string, k int) ([]Result, error) {
	g, _ := e.gazetteer()
	q := parseQuery(zh.NormalizeQuestion(question), g)
	if !q.searchable() {
		return nil, nil
	}
	return e.ix.Search(ctx, q.searchText(), q.scope, k)
}

// namesKind reports whether text names the kind w: w itself or, for a
// level, its short form before a noun ("市骨干教师" is 市级; "全市" is all).
func namesKind(text, w string) bool {
	if strings.Contains(text, w) || strings.Contains(bracketsOut.Replace(text), w) {
		return true // "乡(镇)" names 乡镇
	}
	stem, ok := strings.CutSuffix(w, "级")
	if !ok {
		return false
	}
	for i := 0; ; {
		j := strings.Index(text[i:], stem)
		if j < 0 {
			return false
		}
		at := i + j
		if !strings.HasSuffix(text[:at], "全") {
			return true
		}
		i = at + len(stem)
	}
}

// namesCity reports whether text names the city itself, not only a
// county or an institution named after it ("南昌县", "南昌大学附属眼科医院"
// are no label for 南昌市).
func namesCity(text, city string) bool {
	short := strings.TrimSuffix(city, "市")
	for i := 0; short != ""; {
		j := strings.Index(text[i:], short)
		if j < 0 {
			return false
		}
		i += j + len(short)
		if !hasAnyPrefix(text[i:], "县", "大学", "学院", "师范", "职业", "理工", "航空", "医学", "工程", "科技", "交通") { // 南昌县 is a county of 南昌市
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s, p) })
}

// levels are the levels of schooling, each with the words that name it in
// the lexicon's terms.
var levels = [][]string{
	{"学前教育", "幼儿园", "学前"},
	{"义务教育", "小学", "初中", "中小学"},
	{"普通高中", "高中阶段", "高中"},
	{"中等职业教育", "职业教育", "职业院校", "中职"},
	{"特殊教育"},
	{"高等教育", "高校", "大学"},
}

// otherLevel reports whether text names a level of schooling other than
// the one the question's metric names, and not that one: 义务教育's 巩固率
// is not 高中's. A text naming no level, or the one asked, is no other.
func otherLevel(q query, text string) bool {
	m := canonical(q.metric)
	asked := -1
	for i, words := range levels {
		if containsAny(m, words...) {
			if asked >= 0 {
				return false // two levels asked: a comparison or a list
			}
			asked = i
		}
	}
	if asked < 0 {
		return false
	}
	if containsAny(text, levels[asked]...) {
		return false
	}
	for i, words := range levels {
		if i != asked && containsAny(text, words...) {
			return true
		}
	}
	return false
}

// stages are the two stages of compulsory schooling, which 义务教育 and
// 中小学 name together.
var stages = []string{"小学", "初中"}

// otherStage reports whether text names the other stage of compulsory
// schooling than the one the metric m names alone: a 小学 grade's hours are
// not 初中's. Text naming both, or compulsory schooling as a whole, is no
// other.
func otherStage(m, text string) bool {
	whole := []string{"义务教育", "中小学", "九年"}
	if containsAny(m, whole...) || containsAny(text, whole...) {
		return false
	}
	for i, s := range stages {
		other := stages[1-i]
		if strings.Contains(m, s) && !strings.Contains(m, other) {
			return strings.Contains(text, other) && !strings.Contains(text, s)
		}
	}
	return false
}

// namesLevel reports whether text names any level of schooling.
func namesLevel(text string) bool {
	return slices.ContainsFunc(levels, func(words []string) bool { return containsAny(text, words...) })
}

// bracketsOut drops brackets around a character that completes a word:
// "乡(镇)" reads as 乡镇.
var bracketsOut = strings.NewReplacer("(", "", ")", "")

// narrower reports whether text counts one owner's kind (公办, 民办, 普惠)
// while the question names no owner: a figure of 公办园 is no figure of all
// kindergartens.
func narrower(q query, text string) bool {
	owners := alternatives[len(alternatives)-1]
	if !q.figure || containsAny(q.metric, owners...) {
		return false
	}
	return containsAny(text, owners...)
}

// extraTerms counts the terms of a table row's indicator that the question
// does not name.
// asked is q.masked(q.norm), made once for all the rows.
func extraTerms(q query, asked, key string) int {
	n := 0
	for _, t := range metricTerms(q.masked(key)) {
		if !containsTerm(asked, t) {
			n++
		}
	}
	return n
}

// unionCount reports whether span's first count follows a list of things
// of one kind ("A、B和C370所") of which the question names some but not
// all: the count is of them all, not of what was asked.
func unionCount(q query, span string) bool {
	figs := zh.Figures(span)
	if len(figs) == 0 || unitClass(figs[0].Unit) != "count" {
		return false
	}
	before := span[:figs[0].Start]
	if i := strings.LastIndexAny(before, ",，;；：:"); i >= 0 {
		_, size := utf8.DecodeRuneInString(before[i:])
		before = before[i+size:]
	}
	items := strings.FieldsFunc(zh.Fold(before), func(r rune) bool { return strings.ContainsRune("、和及与", r) }) // a list in traditional characters lists as in simplified
	if len(items) < 2 {
		return false
	}
	// Things of one kind end alike ("…中心园、…幼儿园"); "新建、扩建项目"
	// qualifies one thing.
	asked := q.masked(q.metric)
	var shared []string // a kind opening the list qualifies every item ("省级医生和护士"): it names none of them
	for _, k := range q.required {
		if strings.HasPrefix(items[0], k) {
			shared = append(shared, k)
		}
	}
	named, unnamed := map[string]bool{}, map[string]bool{}
	for _, it := range items {
		if utf8.RuneCountInString(it) < 2 {
			return false // a conjunction inside a word ("惠及"), not a list
		}
		it = q.masked(it)
		head := headKind(it)
		switch {
		case strings.Contains(asked, it) || slices.ContainsFunc(strings.Fields(asked), func(w string) bool { return utf8.RuneCountInString(w) >= 3 && strings.HasSuffix(it, w) }):
			// "村级幼儿园" asked, or "中心园" asked of "建设乡镇中心园"
			named[head] = true
		case !slices.ContainsFunc(metricTerms(withoutKinds(it, shared)), func(t string) bool { return containsTerm(asked, t) }):
			unnamed[head] = true // not a word of it asked, even mistyped
		}
	}
	for head := range named {
		if unnamed[head] {
			return true
		}
	}
	return false
}

// perHead words give money per pupil, person or school: a standard, not
// what was spent in all.
var perHead = []string{"生均", "人均", "校均", "每生", "每人", "每名", "每所"}

// docTitleRE is a document's title in a sentence: 《…》.
var docTitleRE = mustPattern(`《[^》]*》`)

// rankWords rank some schools or people above the rest: a count named with
// one counts those alone.
var rankWords = []string{"重点", "示范", "优质", "达标", "高水平", "特色", "标准化", "品牌", "国家级", "省级", "市级", "县级", "一级", "星级", "特级", "骨干", "带头人", "名师", "名校长", "正高", "副高", "高级", "中级"}

// rankedCount reports whether every count the span gives is of a ranked
// few that the question does not name ("国家级重点中职学校3所", "建设6所优质
// 中职学校"): how many there are in all is not among them.
func rankedCount(question, span string) bool {
	n := 0
	for _, f := range zh.Figures(span) {
		if unitClass(f.Unit) != "count" {
			continue
		}
		after := []rune(span[f.End:])
		k := 0
		for k < len(after) && k < 10 && zh.IsHan(after[k]) {
			k++
		}
		phrase := lastHan(strings.TrimRight(span[:f.Start], "”\"」』"), 10) + string(after[:k])
		if !slices.ContainsFunc(rankWords, func(w string) bool { return strings.Contains(phrase, w) && !strings.Contains(question, w) }) {
			return false
		}
		n++
	}
	return n > 0
}

// onlyRanks reports whether a metric names ranks alone ("省级" of a
// follow-up): the thing ranked is the one asked before, not all of it.
func onlyRanks(metric string) bool {
	for _, w := range strings.Fields(metric) {
		if !slices.Contains(rankWords, w) {
			return false
		}
	}
	return true
}

// lastHan is the run of at most n Han characters that ends s.
func lastHan(s string, n int) string {
	rs := []rune(s)
	j := len(rs)
	for j > 0 && len(rs)-j < n && zh.IsHan(rs[j-1]) {
		j--
	}
	return string(rs[j:])
}

// withoutKinds is s without the kind words given.
func withoutKinds(s string, kinds []string) string {
	for _, k := range kinds {
		s = strings.ReplaceAll(s, k, " ")
	}
	return s
}

// headKind is the kind of thing a listed item names, by its last
// character: people (医生, 带头人, 辅导员), or else the character
// itself ("…中心园", "…幼儿园" end alike).
func headKind(item string) string {
	head, _ := utf8.DecodeLastRuneInString(item)
	if strings.ContainsRune("师人员长者", head) {
		return "person"
	}
	return string(head)
}

// periodEnd is the last year of the named period label ("十三五": 2020), 0
// for any other label. What a review says there is of a period ("全市共有
// 幼儿园1052所") is there at its end.
func periodEnd(label string) int {
	for _, p := range periods {
		if p.name == label {
			return p.end
		}
	}
	return 0
}

// countsOtherKind reports whether every count of span that names what it
// counts by its unit counts another kind of thing than kind.
func countsOtherKind(kind, span string) bool {
	return countsOtherKindIn(kind, span, zh.Figures(span))
}

// countsOtherKindIn is countsOtherKind over the figures given: those in
// words too ("十项准则" counts rules) when a figure is asked.
func countsOtherKindIn(kind, span string, figs []zh.Figure) bool {
	other := false
	for _, f := range figs {
		k := unitKind(f.Unit)
		if k == "" && (unitClass(f.Unit) == "count" || unitClass(f.Unit) == "") {
			// "94万中小学生": a scale counts the noun after it.
			var noun []rune
			for _, r := range span[f.End:] {
				if !zh.IsHan(r) || len(noun) == 6 {
					break
				}
				noun = append(noun, r)
			}
			k = countedKind(string(noun))
		}
		if k == "" && hasAnySuffix(f.Unit, "条", "项", "套", "间", "台", "辆", "座", "次", "场", "册", "本") {
			k = "thing" // "300条家校公交专线": neither people nor schools
		}
		switch {
		case k == kind:
			return false
		case k != "":
			other = true
		}
	}
	return other
}

// countsNounBefore reports whether every count of span is written after
// the noun it counts with 个 and nothing after it ("组建教育集团30个"), and
// that noun is of another kind than kind: a count asked by its noun alone
// ("多少学校") is not one of them.
func countsNounBefore(kind, span string) bool {
	n := 0
	for _, f := range zh.Figures(span) {
		if unitClass(f.Unit) != "count" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(span[f.End:])
		before := nounBefore(span, f.Start)
		if !strings.HasSuffix(f.Unit, "个") || zh.IsHan(r) || before == "" || countedKind(before) == kind {
			return false
		}
		n++
	}
	return n > 0
}

// nounBefore is the run of Han characters, up to six, that ends at i in
// span: what a figure written after its noun counts.
func nounBefore(span string, i int) string {
	rs := []rune(span[:i])
	j := len(rs)
	for j > 0 && len(rs)-j < 6 && zh.IsHan(rs[j-1]) {
		j--
	}
	return string(rs[j:])
}

// countNoun is, for a count asked with the measure word 个 ("多少个学位"),
// the head of the noun it counts, in the lexicon's terms: 个 counts
// anything, so the clause answering must name it. "" when the question
// names none after 个.
func countNoun(q query) string {
	if q.measure != "个" {
		return ""
	}
	if m := countedCharRE.FindStringSubmatch(q.norm); m != nil && !strings.Contains("点人次倍成", m[1]) {
		return m[1] // "建多少个班": a noun of one character ends the question ("几个点" asks points)
	}
	m := countNounRE.FindStringSubmatch(q.norm)
	if m == nil {
		return ""
	}
	noun := m[1]
	for _, w := range []string{"和", "与", "多少", "几", "总", "一共", "共"} {
		noun, _, _ = strings.Cut(noun, w) // "课堂和网络课堂", "项目总共花了多少": the first thing
	}
	noun = strings.TrimRight(noun, "啊呀呢吗")
	if utf8.RuneCountInString(noun) < 2 || strings.ContainsAny(noun, "了的是有在") {
		return "" // "几个县普及了…": a verb follows, not the counted noun
	}
	return lastRunes(canonical(noun), 2) // its head: "新项目" is counted by 项目
}

// countNounRE is the noun after "多少个"/"几个".
var countNounRE = mustPattern(`(?:多少|几)个(\p{Han}{2,10})`)

// countsKind reports whether a figure of span counts things of kind, by
// its unit or the noun after it ("1.1万余名中小学生": people).
// countsKindInWords reports whether a figure in numerals of span counts
// things of kind: by its unit (所, 名) or the noun after it.
func countsKindInWords(kind, span string) bool {
	for _, f := range zh.ClaimFigures(span) {
		k := unitKind(f.Unit)
		if k == "" {
			k = countedKind(nounAfter(span, f.End))
		}
		if k == kind {
			return true
		}
	}
	return false
}

// nounAfter is the run of Han characters, up to six, that starts at i in span.
func nounAfter(span string, i int) string {
	var noun []rune
	for _, r := range span[i:] {
		if !zh.IsHan(r) || len(noun) == 6 {
			break
		}
		noun = append(noun, r)
	}
	return string(noun)
}

func countsKind(kind, span string) bool {
	for _, f := range zh.Figures(span) {
		k := unitKind(strings.TrimLeft(f.Unit, "万亿余多"))
		if k == "" && unitClass(f.Unit) != "share" {
			var noun []rune
			for _, r := range span[f.End:] {
				if !zh.IsHan(r) || len(noun) == 6 {
					break
				}
				noun = append(noun, r)
			}
			k = countedKind(string(noun))
		}
		if k == kind {
			return true
		}
	}
	return false
}

// onlyBareScales reports whether every figure of span is a bare number or
// scale (30万, 5), with no measure word of its own.
func onlyBareScales(span string) bool {
	figs := zh.Figures(span)
	return len(figs) > 0 && !slices.ContainsFunc(figs, func(f zh.Figure) bool { return strings.Trim(f.Unit, "万亿余多") != "" })
}

// perUnitRE is a figure given for each school, class or pupil ("每校至少
// 配备1名"): a requirement of each, not how many there are.
var perUnitRE = mustPattern(`每(?:校|所|个学校|所学校|班|个班|生|名学生|位|人)`)

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// sharesForCount reports whether a count of things asked ("有多少在园幼儿",
// "几所学校") meets only shares: a share of them is no count. A question
// that names a share in any way asks for one.
func sharesForCount(q query, units []string) bool {
	if q.counted == "" && q.measure == "" || asksChange(q) || q.measure != "" && unitClass(q.measure) != "count" || containsAny(q.norm, "率", "比", "百分", "%", "几成", "占", "份额", "个点") {
		return false
	}
	for _, u := range units {
		if u != "%" {
			return false
		}
	}
	return len(units) > 0
}

// figureUnits lists the units of the figures in text, in order.
func figureUnits(text string) []string {
	var units []string
	for _, f := range zh.Figures(text) {
		units = append(units, f.Unit)
	}
	return units
}

// itemSeps marks with 、 the other places where an enumeration of figures
// parts its items: 以及 before its last item ("国家级示范区和3所示范校以及
// 16所省级示范校"), and a bracket that breaks a
// whole into its parts ("资金7.28亿(其中信息化类型装备投入约4.5亿,传统类型
// 装备投入约2.78亿)"). The text is kept otherwise.
func itemSeps(span string) string {
	if i := strings.Index(span, "(其中"); i >= 0 && hasFigure(span[:i]) {
		// The span may end inside the bracket, at its first comma.
		inner := strings.TrimSuffix(span[i+len("("):], ")")
		if !strings.Contains(inner, ")") {
			span = span[:i] + "、" + strings.Join(strings.Split(inner, ","), "、")
		}
	}
	if i := strings.LastIndex(span, "以及"); i > 0 && hasFigure(span[i:]) && hasFigure(span[:i]) {
		span = span[:i] + "、" + span[i+len("以及"):]
	}
	// "347所小区配套园和177所无证园": a conjunction right before a count,
	// after a clause holding a count of its own.
	for _, w := range []string{"和", "及", "与"} {
		i := strings.LastIndex(span, w)
		if i <= 0 || strings.Contains(span, "分别") {
			continue // "分别降至2.5%和5%": the figures pair with the things named before
		}
		after := span[i+len(w):]
		if figs := zh.Figures(after); len(figs) > 0 && figs[0].Start == 0 && figs[0].Unit != "" &&
			slices.ContainsFunc(zh.Figures(span[:i]), func(f zh.Figure) bool { return f.Unit != "" }) {
			span = span[:i] + "、" + after
		}
	}
	return span
}

// mergeFigureless joins an item that holds no figure to the item after it:
// "国家级示范区、3所示范校" names one thing without a count. A last item
// without one ("…、顺利复课") is kept: it says what all of them did.
func mergeFigureless(items []string) []string {
	var out []string
	carry := ""
	for i, it := range items {
		if len(zh.Figures(it)) == 0 && i+1 < len(items) {
			carry += it + "和"
			continue
		}
		out = append(out, carry+it)
		carry = ""
	}
	return out
}

// unclosed is span without a closing bracket it does not open: the last
// part of a bracket's breakdown ("传统类型装备投入约2.78亿)").
func unclosed(span string) string {
	for _, p := range [][2]string{{"(", ")"}, {"（", "）"}} {
		if strings.HasSuffix(span, p[1]) && strings.Count(span, p[1]) > strings.Count(span, p[0]) {
			span = strings.TrimSuffix(span, p[1])
		}
	}
	return span
}

// namesOtherKind reports whether text names a kind of w's group other than
// w ("国家级" for 省级).
func namesOtherKind(text, w string) bool {
	for _, group := range alternatives[1:] {
		if !slices.Contains(group, w) {
			continue
		}
		for _, other := range group {
			if other != w && !strings.Contains(w, other) && !strings.Contains(other, w) && strings.Contains(text, other) {
				return true
			}
		}
	}
	return false
}

// namedDocument keeps the results from the documents whose title the
// citizen's name for a document matches ("十四五规划", "工作总结"): two of
// its bigrams in the title, generic words aside. Results are kept whole
// when no title matches.
func namedDocument(hint string, results []Result) []Result {
	var terms []string
	for _, t := range metricTerms(zh.Canonical(hint)) {
		if !containsAny(t, "文章", "文件", "材料", "里面", "那篇", "这篇") {
			terms = append(terms, t)
		}
	}
	var kept []Result
	for _, r := range results {
		title, n := zh.Canonical(zh.Normalize(r.Chunk.Title)), 0
		for _, t := range terms {
			if strings.Contains(title, t) {
				n++
			}
		}
		if n >= min(2, len(terms)) && n > 0 {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		return results
	}
	return kept
}

// partOf is, for a table row that is a part of the row above it ("其中:随班
// 就读" under "在校生"), that row's indicator: the part counts what it
// counts. "" for any other row.
func partOf(ch Chunk, u Unit) string {
	if !strings.Contains(u.Key, "其中") {
		return ""
	}
	group := u.Head[:max(0, strings.LastIndex(u.Head, " · "))]
	above := ""
	for _, v := range ch.Units {
		if v.Cells == nil || strings.Contains(v.Key, "其中") {
			if v.Head == u.Head {
				break
			}
			continue
		}
		if i := strings.LastIndex(v.Head, " · "); i >= 0 && v.Head[:i] == group {
			above = v.Head[i+len(" · "):]
		}
	}
	return above
}

// gradeRangeRE is a grade or a range of grades: "3年级", "1至2年级".
var gradeRangeRE = mustPattern(`(\d)(?:至(\d))?年级`)

// otherGrades reports whether an item names grades of which none is a grade
// the question names ("小学1至2年级…" when 3年级以上 is asked), or the other
// stage of compulsory schooling.
func otherGrades(question, item string) bool {
	if otherStage(question, item) {
		return true // "小学1至2年级…" when 初中 is asked
	}
	asked := gradeRangeRE.FindAllStringSubmatch(question, -1)
	named := gradeRangeRE.FindAllStringSubmatch(item, -1)
	if len(asked) == 0 || len(named) == 0 {
		return false
	}
	span := func(m []string) (int, int) {
		lo, _ := strconv.Atoi(m[1])
		hi := lo
		if m[2] != "" {
			hi, _ = strconv.Atoi(m[2])
		}
		return lo, hi
	}
	for _, a := range asked {
		alo, ahi := span(a)
		if strings.Contains(question, a[0]+"以上") {
			ahi = 12
		}
		for _, n := range named {
			if nlo, nhi := span(n); nlo <= ahi && alo <= nhi {
				return false
			}
		}
	}
	return true
}

// inPredicate reports whether term stands in the last item of an
// enumeration after its first figure: the words the enumeration ends with
// ("…和177所无证园治理任务": 治理任务) are said of every item.
func inPredicate(item, term string) bool {
	figs := zh.Figures(item)
	return len(figs) > 0 && strings.Contains(item[figs[0].End:], term)
}

// respectivelyRE is things named, 分别, then their figures in the same
// order: "普通高中、义务教育大班额占比分别降至2.5%和5%以内".
var respectivelyRE = mustPattern(`^(.*?)分别((?:降至|降到|达到|提高到|增长|提高|为|是|达|占)?)(.+)$`)

// pairedItem narrows such a span to the thing the question names, with its
// own figure ("普通高中…大班额占比降至2.5%"); ok is false when the span is
// not of that form, the counts differ, or no one thing is named alone.
func pairedItem(q query, terms []string, weights []float64, span string) (string, bool) {
	m := respectivelyRE.FindStringSubmatch(span)
	if m == nil || !strings.Contains(m[1], "、") {
		return "", false
	}
	lead := ""
	subjects := m[1]
	if i := strings.LastIndexAny(subjects, ",，"); i >= 0 {
		lead, subjects = subjects[:i+1], subjects[i+1:]
	}
	names := strings.Split(subjects, "、")
	figs := zh.Figures(m[3])
	if len(figs) != len(names) {
		return "", false
	}
	// The last name ends with the measure every name shares ("义务教育
	// 大班额占比" after "普通高中"): the longest ending of it, two
	// characters short of the whole, that the question holds term by term.
	asked := strings.ReplaceAll(q.masked(q.metric), " ", "") // "大班额 占比" holds 额占 as the document writes it
	lastName, tail := names[len(names)-1], ""
	for _, w := range []string{"占比", "比例", "比重"} {
		if strings.HasSuffix(lastName, w) && !strings.Contains(asked, w) {
			// "普高大班额…" asks the share without its word: the word is
			// shared as the rest of the measure is.
			lastName, tail = strings.TrimSuffix(lastName, w), w
			break
		}
	}
	last := []rune(lastName)
	cut := len(last)
	for i := len(last) - 2; i >= 2; i-- {
		ok := true
		for j := i; j+1 < len(last); j++ {
			if !strings.Contains(asked, string(last[j:j+2])) {
				ok = false
				break
			}
		}
		if !ok {
			break
		}
		cut = i
	}
	shared := string(last[cut:]) + tail
	heads := slices.Clone(names)
	heads[len(heads)-1] = string(last[:cut])
	best, bestCov, ties := -1, 0.0, 0
	for i, n := range heads {
		c := coverage(terms, weights, q.masked(n))
		switch {
		case c > bestCov:
			best, bestCov, ties = i, c, 1
		case c == bestCov && c > 0:
			ties++
		}
	}
	if best < 0 || ties > 1 {
		return "", false
	}
	if best == len(names)-1 {
		shared = "" // the last name says it whole
	}
	f := figs[best]
	rest := m[3][f.Start:]
	if best+1 < len(figs) {
		rest = m[3][f.Start:f.End]
	} else if i := strings.IndexAny(rest, ",，;；。"); i >= 0 {
		rest = rest[:i]
	}
	return lead + names[best] + shared + m[2] + rest, true
}

// specificWords are measure words that say what kind of thing is counted
// (所 for schools, 项 for items…); 个 and the scales say nothing.
var specificWords = []string{"所", "项", "套", "间", "台", "家", "门", "件", "次", "亩"}

// otherMeasureWord reports whether a count asked in a specific measure word
// ("多少所") meets a span whose every count is in another specific word or
// in 个: "40个"教育集团 are no schools.
func otherMeasureWord(asked, span string) bool {
	if unitKind(asked) == "person" {
		// "多少人" is never answered by counts of schools or places only
		// ("村级幼儿园213所、增加学位2.84万个").
		figs := zh.Figures(span)
		for _, f := range figs {
			if u := strings.TrimLeft(f.Unit, "万亿余多"); unitClass(f.Unit) != "count" || u == "" || unitKind(u) == "person" {
				return false
			}
		}
		return len(figs) > 0
	}
	if !slices.Contains(specificWords, asked) {
		return false
	}
	any := false
	for _, f := range zh.Figures(span) {
		u := strings.TrimLeft(f.Unit, "万亿余多")
		if unitClass(f.Unit) != "count" || u == "" || unitKind(u) == "person" {
			continue
		}
		if strings.HasSuffix(u, asked) {
			return false
		}
		any = true
	}
	return any
}

// namesOnly reports whether every figure of span is a number without a unit
// inside quotation marks: part of a name ("“教学通2.0”"), not a figure.
func namesOnly(span string) bool {
	figs := zh.Figures(span)
	if len(figs) == 0 {
		return false
	}
	for _, f := range figs {
		open := strings.LastIndex(span[:f.Start], "“")
		if f.Unit != "" || open < 0 || strings.LastIndex(span[:f.Start], "”") > open || !strings.Contains(span[f.End:], "”") {
			return false
		}
	}
	return true
}

// refersBack reports whether a sentence opens by referring to what the
// sentence before named: "此外", "其中", "该…", "截至目前,全市通过平台…".
func refersBack(text string) bool {
	head := firstRunes(text, 12) // no copy of the whole text: it runs for every unit scored
	return containsAny(head, "此外", "其中", "同时", "上述", "该", "这些", "通过平台", "通过该")
}

// unitBefore is the text of the unit before u in its chunk, "" for the
// first.
// originalPieces is span in the document's own characters when it is two
// pieces of the text joined ("创建5所省级" and "普通高中特色学校"), else span
// as it is.
func originalPieces(text, span string) string {
	for i := len(span) - 1; i > 0; i-- {
		if !utf8.RuneStart(span[i]) {
			continue
		}
		head, ok := zh.Original(text, span[:i])
		if !ok {
			continue
		}
		if tail, ok := zh.Original(text, span[i:]); ok {
			return head + tail
		}
		return span
	}
	return span
}

// sharedNoun completes an item of an enumeration that names only a kind
// after its figure ("创建5所省级") with the noun the last item names after
// its own kind ("12所市级普通高中特色学校"): the items share it.
func sharedNoun(item, clause string) string {
	items := strings.Split(clause, "、")
	last := items[len(items)-1]
	if len(items) < 2 || strings.HasSuffix(clause, item) {
		return item
	}
	own, lastFigs := zh.Figures(item), zh.Figures(last)
	if len(own) != 1 || len(lastFigs) != 1 {
		return item
	}
	kind := []rune(item[own[0].End:])
	after := []rune(last[lastFigs[0].End:])
	if len(kind) == 0 || len(kind) > 3 || len(after) <= len(kind) || after[len(kind)-1] != kind[len(kind)-1] || !isKindWord(string(kind)) && kind[len(kind)-1] != '级' {
		return item
	}
	return item + string(after[len(kind):])
}

// whichPlaceRE asks which county, district or city: "哪个县", "哪几个区".
var whichPlaceRE = mustPattern(`哪(?:个|些|一个|几个)?(县|区|市)`)

// lacksAskedPlace reports whether a clause chosen for "哪个县…" names no
// county while its sentence does ("出台…办法,选取A县作为试点县"): the
// clause would answer without the place asked.
func lacksAskedPlace(question, clause, sentence string) bool {
	m := whichPlaceRE.FindStringSubmatch(question)
	return m != nil && !namesPlaceOf(clause, m[1]) && namesPlaceOf(sentence, m[1])
}

// namesPlaceOf reports whether text names a place of the kind (县, 区, 市)
// by its own name: two Han characters before the kind word, not a word
// such as 全县, 各区 or 县域, 县管.
func namesPlaceOf(text, kind string) bool {
	rs := []rune(text)
	k := []rune(kind)[0]
	for i, r := range rs {
		if r != k || i < 2 || !zh.IsHan(rs[i-1]) || !zh.IsHan(rs[i-2]) || strings.ContainsRune("全各该本每省市县区", rs[i-1]) {
			continue
		}
		if i+1 < len(rs) && strings.ContainsRune("管级域委属内城长", rs[i+1]) {
			continue
		}
		return true
	}
	return false
}

// countsOnly reports whether span only restates the count a question that
// asks for names already holds before its 哪 ("那8所名校分别是哪些":
// "8所…被评为名校"):
// the same figure, and no list of names (three items or more, or a colon).
func countsOnly(question, span string) bool {
	if !strings.Contains(question, "哪") {
		return false
	}
	asked := slices.DeleteFunc(zh.Figures(question), func(f zh.Figure) bool { return f.Start > strings.Index(question, "哪") })
	if len(asked) == 0 || strings.Count(span, "、") >= 2 || strings.ContainsAny(span, ":：") {
		return false
	}
	for _, f := range zh.Figures(span) {
		if slices.ContainsFunc(asked, func(a zh.Figure) bool { return a.Value == f.Value && a.Unit == f.Unit }) {
			return true
		}
	}
	return false
}

// monthDayRE is a month or a day in text: "8月", "3日".
var monthDayRE = mustPattern(`\d{1,2}\s*[月日号]`)

// isLead reports whether a sentence reads as a paragraph's topic: short,
// one clause, no figure and no time ("资源供给持续扩大").
// leadsOn is what a short sentence with no figure leads in its paragraph:
// up to three sentences after it that state no figure, to the first
// heading (a line with no full stop); "" when u is no such sentence.
func leadsOn(ch Chunk, u Unit) string {
	if u.Cells != nil || hasFigure(u.Text) || utf8.RuneCountInString(u.Text) > 24 || !strings.HasSuffix(u.Text, "。") {
		return ""
	}
	var after []string
	for i := range ch.Units {
		if ch.Units[i].Text != u.Text {
			continue
		}
		for _, n := range ch.Units[i+1:] {
			if n.Cells != nil || !strings.HasSuffix(n.Text, "。") || hasFigure(n.Text) || itemHeadingRE.MatchString(n.Text) || len(after) == 3 {
				break
			}
			after = append(after, strings.TrimSuffix(n.Text, "。"))
		}
		break
	}
	if len(after) < 2 {
		return "" // one sentence after is no list it leads
	}
	return strings.Join(after, "；")
}

func isLead(s string) bool {
	// len(s) <= 64 first: no longer text is 16 runes, and the count would
	// read all of a long sentence.
	return s != "" && len(s) <= 16*utf8.UTFMax && utf8.RuneCountInString(s) <= 16 && !strings.ContainsAny(s, ",，;；:：") && !hasFigure(s) && len(zh.Years(s)) == 0
}

func unitBefore(ch Chunk, u Unit) string {
	prev := ""
	for _, v := range ch.Units {
		if v.Text == u.Text {
			return prev
		}
		if v.Cells == nil {
			prev = v.Text
		}
	}
	return ""
}

// definitionRE is what asks the meaning of the name before it: "是什么",
// "具体指什么", "到底是个什么".
var definitionRE = mustPattern(`^[”"》]?(?:的)?(?:具体|到底|主要|究竟|又)?(?:是|指|是指|指的是)(?:个)?什么`)

// definesName reports whether a question asks what a name it ends a phrase
// with means ("…工程是什么"), not who or what stands beside the name
// ("哪家医院得了…奖").
func definesName(norm, name string) bool {
	i := strings.LastIndex(norm, name)
	return i >= 0 && definitionRE.MatchString(norm[i+len(name):])
}

// asksContent reports whether a question asks what something consists of
// ("具体指的是什么", "都有哪些", "分别是哪三个"): a sentence's later
// clauses say it, and are not cut away.
func asksContent(norm string) bool {
	return containsAny(norm, "具体", "指的是", "是指", "都是", "都有", "包括", "内容", "分别是", "哪三", "哪几个", "意思", "怎么回事", "干什么用", "作用", "用来", "到底是")
}
