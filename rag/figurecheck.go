package rag

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"wenda/rag/zh"
)

// The claim check (DESIGN §2.6) is what lets a model write answers at all:
// a citizen may act on a figure, so every figure of a generated answer is a
// claim about a place, a time and a kind (a result, a goal, a change), and
// it reaches the citizen only when a fact of the sources it may draw on says
// the same. The check reads one sentence at a time, so that a stream can
// release each sentence once it passed:
//
//   - A figure is found in any way a model writes one (zh.ClaimFigures:
//     97.01%, 97.01％, 百分之九十七点零一, 九成五, 两倍, 1,244万), with its unit:
//     "1人" is not the "1" of "1+N", 98% is not 0.98, and a rounded value is
//     another value.
//   - The sources it may draw on are those its sentence cites with [n], or
//     all of them when it cites none.
//   - Its measure: the fact's name (巩固率) must be named in the sentence,
//     an earlier one that passed, or the question.
//   - Its place is the one its clause names, else its sentence, else an
//     earlier sentence of the answer, else the question's; a place the
//     fact's document is not about fails, a place unknown to the corpus too.
//     全国 and 全省 before an honour (全国文明校园) are no places.
//   - Its period is the year or plan period its clause names, else the
//     nearest one named before it in the sentence; a named period must be
//     the fact's ("2019年…97.01%" fails when 97.01% is of 2020). A figure
//     whose sentence names no time claims none.
//   - Its kind: a goal (目标, 力争, 计划, 到2025年) only matches a goal, a
//     result said to be reached (已, 实现) only a result; a plain statement
//     matches a result, or a goal of the very year it names ("2025年达到…").
//     A change (提高, 增长, 个百分点) matches a change of the sources or is
//     worked out from two facts of one measure and place: their difference,
//     sum or ratio, rounded to the precision shown, and of the years the
//     clause names (or of two places the sentence compares). The figures
//     a worked sum shows in brackets ("（97.68%−97.01%）") are its operands.
//   - A threshold the citizen gave may be repeated ("没有超过98%"); the
//     verdict around it (是/否, 超过/未达到) must agree with the facts.
//
// Facts are every figure of the sources' units (table cells, and the
// clauses of every sentence), labelled as the extractive answer labels its
// own (spanFigures, lineFigures), so that the model is held to the same
// reading of the documents as the extractive answer: eval/llm_test.go runs
// the eval with a model that repeats the extractive answer (it must score
// as offline) and with one that gets every figure wrong (none may pass).

// citationRE matches the markers that cite sources: [1], [1][2], [1,2],
// [1-3], and the full-width and 【】 forms models write as well.
var citationRE = mustPattern(`[\[【［]\s*(?:资料|来源)?\s*(\d{1,3}(?:\s*[,，、\-–~～]\s*\d{1,3})*)\s*[\]】］]`)

var citationSepRE = mustPattern(`\s*[,，、]\s*`)

// enumRE matches list markers in parentheses, numbers but not figures:
// "(1)", "（2）". Markers that start a line ("1.", "2、") are cut by
// cutListMarker.
var enumRE = mustPattern(`[(（]\d{1,2}[)）]`)

// listMarkerRE is a list marker starting a line: "1." (not "98.5%"), "2、",
// "3)", with a bullet before it or not.
var listMarkerRE = mustPattern(`^\s*(?:[-*•#]+\s*)?\d{1,2}(?:[、)）]|[.．](?:\D|$))`)

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

// citedNumbers returns the source numbers text cites with [n].
func citedNumbers(text string) map[int]bool {
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
	return nums
}

// citedSources returns the sources text cites with [n], in source order.
func citedSources(text string, sources []Source) []Source {
	nums := citedNumbers(text)
	var out []Source
	for _, s := range sources {
		if nums[s.N] {
			out = append(out, s)
		}
	}
	return out
}

// CitedSources returns the sources an answer cites with [n], in source
// order, each once: what a reply's list of sources shows.
func CitedSources(a Answer) []Source { return citedSources(a.Answer, a.Sources) }

// Verdicts of a claim (wenda_llm_claims_total).
const (
	ClaimPassed  = "passed"
	ClaimBlocked = "blocked"
)

// Claims counts the claims of a model's answer by verdict.
type Claims struct {
	Passed  int `json:"passed"`
	Blocked int `json:"blocked"`
}

// fact is a figure of a source, with its value in its unit's base for
// comparison.
type fact struct {
	Figure
	v    float64 // in the base unit: 1.2亿元 is 1.2e8
	base string  // "%", "百分点", "元", "人", ""
	dec  int     // decimals shown
}

func newFact(f Figure) (fact, bool) {
	v, err := strconv.ParseFloat(f.Value, 64)
	if err != nil {
		return fact{}, false
	}
	base, scale := claimUnit(f.Unit)
	return fact{Figure: f, v: v * scale, base: base, dec: decimals(f.Value)}, true
}

// claimUnit is a unit's measure word and scale for the claim check:
// "个百分点" and "百分点" are one, "余" and "多" (about) are dropped.
func claimUnit(u string) (string, float64) {
	base, scale := baseUnit(strings.NewReplacer("余", "", "多", "").Replace(u))
	if base == "个百分点" {
		base = "百分点"
	}
	return base, scale
}

// chunkFacts are the facts of every unit of a chunk cited as source n.
func chunkFacts(ch Chunk, n int) []fact {
	var out []fact
	add := func(figs []Figure) {
		for _, f := range figs {
			if ft, ok := newFact(f); ok {
				out = append(out, ft)
			}
		}
	}
	// Every column of a table row, its change column too.
	all := query{intent: intent{kind: askChange}}
	res := Result{Chunk: ch}
	for _, u := range ch.Units {
		if u.Cells != nil {
			add(lineFigures(all, candidate{res: res, unit: u, cells: u.Cells, span: u.Text}, n))
			continue
		}
		clauses := zh.Clauses(u.Text)
		for i, cl := range clauses {
			span := cl
			if i > 0 && utf8.RuneCountInString(clauses[i-1]) <= 12 {
				// A short clause before sets the time: "到2025年,…".
				span = clauses[i-1] + "," + cl
			}
			figs := zh.ClaimFigures(span)
			if len(figs) == 0 {
				continue
			}
			labelled := spanFigures(candidate{res: res, unit: u, span: span}, figs, n)
			if len(zh.Years(zh.StripTitles(span))) > 1 && len(labelled) == len(figs) {
				// "2020年…133.34亿元,比2015年的81.83亿元增长62.95%": each
				// figure is of the year named last before it.
				for i, fg := range figs {
					if ys := zh.Years(zh.StripTitles(span[:fg.Start])); len(ys) > 0 && labelled[i].Kind != KindChange {
						labelled[i].Period = strconv.Itoa(ys[len(ys)-1])
					}
				}
			}
			add(labelled)
		}
	}
	return out
}

// checker checks the sentences of one model answer in order.
type checker struct {
	q       query
	g       *Gazetteer
	sources []Source
	facts   map[int][]fact // by source number, once ready is closed
	ready   chan struct{}
	ext     Answer   // the extractive answer, for verdicts
	places  []Place  // the places the answer named last
	matched []Figure // facts the passed claims stated, in order
	shown   string   // the question and the sentences passed so far: where a measure may be named
	claims  Claims
}

// newChecker returns the check of an answer from sources (chunks[i] is the
// chunk of sources[i]). The sources' facts are read in the background, while
// the model is called: the first sentence waits for them, not the model.
func newChecker(q query, g *Gazetteer, sources []Source, chunks []Chunk, ext Answer, factsOf func(Chunk) []fact) *checker {
	// The question names what is measured: "是，98.83%" speaks of it.
	c := &checker{q: q, g: g, sources: sources, ext: ext, ready: make(chan struct{}), shown: q.norm + "。"}
	if factsOf == nil {
		factsOf = func(ch Chunk) []fact { return chunkFacts(ch, 0) }
	}
	go func() {
		defer close(c.ready)
		facts := map[int][]fact{}
		for i, s := range sources {
			for _, f := range factsOf(chunks[i]) {
				f.N = s.N
				facts[s.N] = append(facts[s.N], f)
			}
		}
		c.facts = facts
	}()
	for _, p := range q.places {
		if !p.Scope.IsZero() {
			c.places = append(c.places, p)
		}
	}
	return c
}

// sentenceVerdict is what the check says of one sentence.
type sentenceVerdict int

const (
	sentencePassed  sentenceVerdict = iota // every claim passed (or it makes none)
	sentenceBlocked                        // a claim failed
	sentenceRefusal                        // it says the sources do not answer
)

// claim is one figure of a sentence with what its sentence says of it.
type claim struct {
	fig      zh.Figure
	v        float64
	base     string
	clause   string // the clause the figure stands in
	before   string // the clause up to the figure
	prev     string // the clause before
	prefix   string // the sentence up to the figure
	sentence string
	context  string  // the answer up to and with the sentence: where its measure may be named
	years    []int   // the years the clause names
	named    []Place // the places the sentence names: a difference may be between two of them
	operand  bool    // it stands in a worked sum shown in brackets: "（97.68%−97.01%）"
	period   string
	places   []Place
}

// check reads one sentence of the answer (as the model wrote it) and
// reports whether it may be shown; the facts its claims state are noted.
func (c *checker) check(sentence string) sentenceVerdict {
	<-c.ready
	norm := zh.NumeralYears(zh.Normalize(sentence))
	text := citationRE.ReplaceAllString(norm, " ")
	text = enumRE.ReplaceAllString(text, " ")
	text = strings.TrimSpace(cutListMarker(text))
	if text == "" {
		return sentencePassed
	}
	named := c.namedPlaces(text)
	if isRefusal(text) && c.ext.Answered {
		return sentenceRefusal
	}
	allowed := c.allowed(norm)
	var stated []fact
	ok := true
	var thresholds []claim
	for _, cl := range c.claimsOf(text, named) {
		f, found := c.match(cl, allowed)
		if !found && c.isThreshold(cl) {
			thresholds = append(thresholds, cl)
			continue
		}
		if found {
			stated = append(stated, f)
			c.claims.Passed++
			continue
		}
		c.claims.Blocked++
		ok = false
	}
	for _, th := range thresholds {
		if c.thresholdHolds(th, stated) {
			c.claims.Passed++
		} else {
			c.claims.Blocked++
			ok = false
		}
	}
	if ok && c.q.intent.kind == askYesNo {
		if yes, said := answerPolarity(text); said {
			truth, known := c.truth(c.q.intent.op, c.q.intent.threshold, stated)
			if !known || truth != yes {
				c.claims.Blocked++
				ok = false
			} else {
				c.claims.Passed++
			}
		}
	}
	if ok && c.q.goalCheck {
		if yes, said := answerPolarity(text); said {
			if truth, known := goalReached(stated); !known || truth != yes {
				c.claims.Blocked++
				ok = false
			} else {
				c.claims.Passed++
			}
		}
	}
	if !ok {
		return sentenceBlocked
	}
	if len(named) > 0 {
		c.places = named
	}
	for _, f := range stated {
		c.matched = append(c.matched, f.Figure)
	}
	c.shown += text + "。"
	return sentencePassed
}

// allowed are the facts a sentence may draw on: those of the sources it
// cites, or of all sources when it cites none.
func (c *checker) allowed(norm string) []fact {
	var out []fact
	cited := citedNumbers(norm)
	for _, s := range c.sources {
		if len(cited) == 0 || cited[s.N] {
			out = append(out, c.facts[s.N]...)
		}
	}
	return out
}

// namedPlaces are the places text names: the gazetteer's, and a name of a
// place's form that opens it ("台北市2020年…", as the question parser reads
// one): an unknown place scopes nothing.
func (c *checker) namedPlaces(text string) []Place {
	found := c.clausePlaces(text)
	rest := text
	for _, p := range c.g.Find(text) {
		rest = strings.Replace(rest, p.Name, " ", 1)
	}
	if name := unknownPlace(rest); name != "" && len(found) == 0 && strings.HasSuffix(name, "市") {
		found = append(found, Place{Name: name})
	}
	return found
}

// clausePlaces are the places a clause names (the gazetteer's only: a
// clause opens with words such as 新增省…). 全国 and 全省 name honours
// (全国文明校园, 全省模范教师), not places.
func (c *checker) clausePlaces(clause string) []Place {
	var found []Place
	for _, p := range c.g.Find(clause) {
		if p.Name != "全国" && p.Name != "全省" {
			found = append(found, p)
		}
	}
	return found
}

// claimsOf finds the claims of a sentence (normalised, without citation
// markers).
func (c *checker) claimsOf(text string, named []Place) []claim {
	clauses := clauseSpans(text)
	var out []claim
	for _, f := range zh.ClaimFigures(text) {
		if isYearFigure(f) || isLabel(text, f) {
			continue
		}
		base, scale := claimUnit(f.Unit)
		cl := claim{fig: f, v: f.Value * scale, base: base, sentence: text, context: c.shown + text, prefix: text[:f.Start], named: named}
		ci := 0
		for i, sp := range clauses {
			if f.Start >= sp[0] && f.Start < sp[1] {
				ci = i
			}
		}
		sp := clauses[ci]
		cl.clause = text[sp[0]:sp[1]]
		cl.before = text[sp[0]:f.Start]
		if ci > 0 {
			cl.prev = text[clauses[ci-1][0]:clauses[ci-1][1]]
		}
		cl.years = zh.Years(zh.StripTitles(cl.clause))
		cl.operand = inWorking(text, f.Start)
		cl.period = claimPeriod(text, clauses, ci, f.Start)
		switch own := c.clausePlaces(cl.clause); {
		case len(own) > 0:
			cl.places = own
		case len(named) > 0:
			cl.places = named
		default:
			cl.places = c.places
		}
		out = append(out, cl)
	}
	return out
}

// clauseSpans are the byte spans of a sentence's clauses (Clauses' cut).
func clauseSpans(s string) [][2]int {
	var out [][2]int
	start := 0
	for i, r := range s {
		if r == '，' || r == ',' || r == '：' || r == ':' || r == '；' || r == ';' {
			out = append(out, [2]int{start, i})
			start = i + utf8.RuneLen(r)
		}
	}
	return append(out, [2]int{start, len(s)})
}

// isLabel reports a number that names a table, figure or annex ("表1",
// "专栏2", "附件3"), not a figure.
func isLabel(text string, f zh.Figure) bool {
	if f.Unit != "" {
		return false
	}
	before := text[:f.Start]
	for _, w := range []string{"表", "图", "专栏", "附件", "附表", "条", "款"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// isYearFigure is a bare four-digit year that ClaimFigures kept because no
// 年 follows it ("2020—2025年", "2025届").
func isYearFigure(f zh.Figure) bool {
	return f.Unit == "" && len(f.Num) == 4 && !strings.Contains(f.Num, ".") && f.Value >= 1900 && f.Value <= 2099
}

// claimPeriod is the time a figure's sentence gives it: the year its clause
// names last before it (or first after it), the plan period its clause
// names, else the nearest named in an earlier clause. "" when none.
func claimPeriod(text string, clauses [][2]int, ci, at int) string {
	for i := ci; i >= 0; i-- {
		sp := clauses[i]
		cl := zh.StripTitles(text[sp[0]:sp[1]])
		upto := cl
		if i == ci {
			upto = zh.StripTitles(text[sp[0]:at])
		}
		if ys := zh.Years(upto); len(ys) > 0 {
			return strconv.Itoa(ys[len(ys)-1])
		}
		for _, p := range periods {
			if strings.Contains(upto, p.name) {
				return p.name
			}
		}
		if i == ci {
			if ys := zh.Years(cl); len(ys) > 0 {
				return strconv.Itoa(ys[0])
			}
		}
	}
	return ""
}

var (
	targetWords2   = []string{"目标", "力争", "计划", "预计", "将达到", "将提高", "争取", "预期", "要达到"}
	achievedWords  = []string{"已", "实现了", "完成了", "达到了", "目前", "现在", "截至"}
	changeWords2   = []string{"增长", "提高", "增加", "减少", "下降", "降低", "提升", "高出", "低出", "多出", "相差", "差距", "差", "上升", "回落"}
	comparedWords  = []string{"高", "低", "多", "少"}
	thresholdVerbs = []struct{ word, op string }{
		{"不低于", ">="}, {"不少于", ">="}, {"超过", ">"}, {"超出", ">"}, {"高于", ">"}, {"大于", ">"}, {"多于", ">"}, {"突破", ">"},
		{"达到", ">="}, {"达", ">="}, {"低于", "<"}, {"少于", "<"}, {"小于", "<"}, {"不到", "<"}, {"不足", "<"},
	}
	negations = []string{"未", "没有", "没", "不", "尚未", "还未", "还没"}
)

// kindOf is what a claim says its figure is: a goal, a change, or a result
// (explicit when the sentence says it was reached).
func (cl claim) kind() (kind string, explicit bool) {
	if cl.base == "百分点" || containsAny(tail(cl.before, 12), changeWords2...) ||
		(strings.Contains(cl.clause, "比") && containsAny(tail(cl.before, 6), comparedWords...)) {
		return KindChange, false
	}
	scope := zh.StripTitles(cl.prev + "," + cl.before)
	if containsAny(scope, targetWords2...) || toYearRE.MatchString(scope) {
		return KindTarget, false
	}
	return KindAchieved, containsAny(zh.StripTitles(cl.before), achievedWords...)
}

// toYearRE is "到2025年", "至2025年": the time a goal is set for.
var toYearRE = mustPattern(`(?:^|[^截])(?:到|至)(?:19|20)\d\d年`)

// inWorking reports whether the figure at i stands in brackets that show a
// sum worked out: "（97.68%−97.01%）", "(97.68-97.01)".
//
// Brackets nest: in "（(21万人 − 16.35万人) ÷ 16.35万人）" the last figure
// stands in the outer working.
func inWorking(text string, i int) bool {
	open, depth := -1, 0
	for j := i - 1; j >= 0 && open < 0; j-- {
		switch text[j] {
		case ')':
			depth++
		case '(':
			if depth == 0 {
				open = j
			}
			depth--
		}
		if strings.HasPrefix(text[j:], "）") {
			depth++
		} else if strings.HasPrefix(text[j:], "（") {
			if depth == 0 {
				open = j
			}
			depth--
		}
	}
	if open < 0 {
		return false
	}
	end := closing(text[i:])
	if end < 0 {
		return false
	}
	return strings.ContainsAny(text[open:i+end], "−-－+＋×÷/")
}

// closing is the index of the bracket that closes the one open before s,
// brackets opened within s closed first; -1 when none does.
func closing(s string) int {
	depth := 0
	for j := 0; j < len(s); j++ {
		switch {
		case s[j] == '(' || strings.HasPrefix(s[j:], "（"):
			depth++
		case s[j] == ')' || strings.HasPrefix(s[j:], "）"):
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return -1
}

// match finds a fact that states cl, or works it out.
func (c *checker) match(cl claim, facts []fact) (fact, bool) {
	if before := strings.TrimSpace(cl.sentence[:cl.fig.Start]); cl.operand && strings.HasSuffix(before, "÷") && (cl.fig.Unit == "年" || cl.fig.Unit == "" && strings.HasPrefix(strings.TrimSpace(cl.sentence[cl.fig.End:]), "年")) {
		// The years a total is shared over ("704.97亿元 ÷ 5年"): as many
		// as the total's period has.
		open := strings.LastIndexAny(before, "(（")
		if open < 0 {
			return fact{}, false
		}
		ops := zh.ClaimFigures(before[open:])
		if len(ops) != 1 {
			return fact{}, false
		}
		base, scale := claimUnit(ops[0].Unit)
		for _, f := range facts {
			if !sameValue(ops[0].Value*scale, base, f) {
				continue
			}
			for _, p := range periods {
				if f.Period == p.name && float64(p.end-p.start+1) == cl.fig.Value {
					return fact{Figure: Figure{Value: cl.fig.Num, Unit: cl.fig.Unit, Kind: KindAchieved}}, true
				}
			}
		}
		return fact{}, false
	}
	if cl.operand {
		// The figures a worked sum starts from: facts of the sources,
		// whatever their time and kind, which the sum's own claim names.
		for _, f := range facts {
			if f.Kind != KindChange && sameValue(cl.v, cl.base, f) && c.placeOK(cl, f.Place) && measureOK(cl.context, f.Measure) {
				return f, true
			}
		}
		return fact{}, false
	}
	kind, explicit := cl.kind()
	for _, f := range facts {
		if !sameValue(cl.v, cl.base, f) || !c.placeOK(cl, f.Place) || !measureOK(cl.context, f.Measure) {
			continue
		}
		switch {
		case kind == KindChange && f.Kind == KindChange:
			if yearsWithin(cl.years, f.Period) {
				return f, true
			}
		case kind == KindChange, f.Kind == KindChange:
		case kind == KindTarget && f.Kind == KindTarget, kind == KindAchieved && f.Kind == KindAchieved:
			if cl.period == "" || samePeriod(cl.period, f.Period) {
				return f, true
			}
		case kind == KindAchieved && !explicit && f.Kind == KindTarget:
			// "2025年达到97.68%": a plain statement of a goal's own year.
			if cl.period != "" && cl.period == f.Period {
				return f, true
			}
		}
	}
	if f, ok := worked(cl); ok {
		return f, true
	}
	if kind == KindChange || containsAny(cl.clause, "比", "合计", "总计", "共", "之和", "倍", "相差") {
		return c.arithmetic(cl, facts)
	}
	return fact{}, false
}

// worked matches a figure followed by the working that gives it: "合计10所
// （3所 + 2所 + 5所）", "其余23人（94名 − 71人）". The operands are claims of
// their own, each held to a fact (operand); the figure must be their sum,
// or the first less the others, in its own unit and as rounded.
func worked(cl claim) (fact, bool) {
	after := strings.TrimLeft(cl.sentence[cl.fig.End:], " ")
	if !strings.HasPrefix(after, "(") && !strings.HasPrefix(after, "（") {
		return fact{}, false
	}
	_, w := utf8.DecodeRuneInString(after)
	end := closing(after[w:])
	if end < 0 {
		return fact{}, false
	}
	inner := after[:w+end]
	ops := zh.ClaimFigures(inner)
	if strings.Contains(inner, "÷") && strings.ContainsAny(inner, "+＋") && len(ops) >= 3 && cl.fig.Unit == "%" {
		// "占比约7.4%（18所 ÷ (6所 + 18所 + 220所)）": a part over the sum of
		// the parts it is one of, to the tenth of a point shown.
		a, as := claimUnit(ops[0].Unit)
		sum := 0.0
		for _, o := range ops[1:] {
			b, bs := claimUnit(o.Unit)
			if b != a {
				return fact{}, false
			}
			sum += o.Value * bs
		}
		if sum == 0 || math.Abs(ops[0].Value*as/sum*100-cl.fig.Value) > 0.05+1e-9 {
			return fact{}, false
		}
		return fact{Figure: Figure{Value: cl.fig.Num, Unit: cl.fig.Unit, Kind: KindAchieved}}, true
	}
	if strings.Contains(inner, "÷") && len(ops) == 3 && cl.fig.Unit == "%" {
		// "增长8.04%（(64.5万人 − 59.7万人) ÷ 59.7万人）": a change over the
		// earlier level, to the hundredth of a point shown.
		b, bs := claimUnit(ops[0].Unit)
		a, as := claimUnit(ops[1].Unit)
		c, cs := claimUnit(ops[2].Unit)
		if b != a || a != c || ops[1].Value*as != ops[2].Value*cs || ops[1].Value == 0 {
			return fact{}, false
		}
		pct := math.Abs(ops[0].Value*bs-ops[1].Value*as) / (ops[1].Value * as) * 100
		if math.Abs(pct-cl.fig.Value) > 0.005+1e-9 {
			return fact{}, false
		}
		return fact{Figure: Figure{Value: cl.fig.Num, Unit: cl.fig.Unit, Kind: KindChange}}, true
	}
	if strings.Contains(inner, "÷") && len(ops) == 2 && cl.fig.Unit == "倍" {
		// "约5.35倍（25.7万个 ÷ 4.8万个）": one figure over another in one
		// unit, to the hundredth shown.
		a, as := claimUnit(ops[0].Unit)
		b, bs := claimUnit(ops[1].Unit)
		if a != b || ops[1].Value == 0 || math.Abs(ops[0].Value*as/(ops[1].Value*bs)-cl.fig.Value) > 0.005+1e-9 {
			return fact{}, false
		}
		return fact{Figure: Figure{Value: cl.fig.Num, Unit: cl.fig.Unit, Kind: KindAchieved}}, true
	}
	if strings.Contains(inner, "÷") && len(ops) == 2 && cl.fig.Unit == "%" {
		// "占比约40.7%（428所 ÷ 1052所）": a part over its whole, to the
		// tenth of a point shown.
		a, as := claimUnit(ops[0].Unit)
		b, bs := claimUnit(ops[1].Unit)
		if a != b || ops[1].Value == 0 || math.Abs(ops[0].Value*as/(ops[1].Value*bs)*100-cl.fig.Value) > 0.05+1e-9 {
			return fact{}, false
		}
		return fact{Figure: Figure{Value: cl.fig.Num, Unit: cl.fig.Unit, Kind: KindAchieved}}, true
	}
	if strings.Contains(inner, "÷") && len(ops) == 2 && ops[1].Unit != "年" && !strings.HasPrefix(strings.TrimSpace(inner[ops[1].End:]), "年") {
		// "平均每人约2143元（1.8亿元 ÷ 8.4万人）": money over the count it
		// reached, to the yuan shown (to the hundredth of a 万元 shown in 万元).
		a, as := claimUnit(ops[0].Unit)
		_, bs := claimUnit(ops[1].Unit)
		_, shown := claimUnit(cl.fig.Unit)
		if a != cl.base || ops[1].Value == 0 || math.Abs(ops[0].Value*as/(ops[1].Value*bs)-cl.v) > max(0.5, 0.005*shown)+1e-9 {
			return fact{}, false
		}
		return fact{Figure: Figure{Value: cl.fig.Num, Unit: cl.fig.Unit, Kind: KindAchieved}}, true
	}
	if strings.Contains(inner, "÷") {
		// "平均每年约140.99亿元（704.97亿元 ÷ 5年）": a total over the years
		// of its period, to the cent shown.
		if len(ops) != 2 || ops[1].Value <= 0 || !strings.HasPrefix(strings.TrimSpace(inner[ops[1].End:]), "年") && ops[1].Unit != "年" {
			return fact{}, false
		}
		base, scale := claimUnit(ops[0].Unit)
		_, shown := claimUnit(cl.fig.Unit)
		if base != cl.base || math.Abs(ops[0].Value*scale/ops[1].Value-cl.v) > 0.005*shown+1e-9 {
			return fact{}, false
		}
		return fact{Figure: Figure{Value: cl.fig.Num, Unit: cl.fig.Unit, Kind: KindAchieved}}, true
	}
	plus, minus := strings.ContainsAny(inner, "+＋"), strings.ContainsAny(inner, "−－-")
	if plus == minus || len(ops) < 2 {
		return fact{}, false
	}
	total := 0.0
	for i, f := range ops {
		base, scale := claimUnit(f.Unit)
		if base != cl.base {
			return fact{}, false
		}
		switch {
		case i == 0 || plus:
			total += f.Value * scale
		default:
			total -= f.Value * scale
		}
	}
	if math.Abs(total-cl.v) > 1e-9*math.Max(1, math.Abs(total)) {
		return fact{}, false
	}
	return fact{Figure: Figure{Value: cl.fig.Num, Unit: cl.fig.Unit, Kind: KindAchieved}}, true
}

func sameValue(v float64, base string, f fact) bool {
	if base != f.base {
		return false
	}
	return math.Abs(v-f.v) <= 1e-9*math.Max(math.Abs(v), math.Abs(f.v))
}

func (c *checker) placeOK(cl claim, place string) bool {
	if len(cl.places) == 0 {
		return true
	}
	for _, p := range cl.places {
		for _, city := range p.Scope.Cities {
			if city == place {
				return true
			}
		}
	}
	return false
}

// measureOK reports whether the sentence names something of what the fact
// measures: one of the bigrams of its measure's runs of Han characters. A
// fact without such a name passes.
func measureOK(sentence, measure string) bool {
	var bigrams []string
	var run []rune
	flush := func() {
		for i := 0; i+1 < len(run); i++ {
			bigrams = append(bigrams, string(run[i:i+2]))
		}
		run = run[:0]
	}
	for _, r := range zh.Canonical(measure) {
		if zh.IsHan(r) {
			run = append(run, r)
		} else {
			flush()
		}
	}
	flush()
	if len(bigrams) == 0 {
		return true
	}
	s := zh.Canonical(sentence)
	for _, b := range bigrams {
		if strings.Contains(s, b) {
			return true
		}
	}
	// "那笔钱": 钱 is how a citizen names money the documents call 资金,
	// 经费 or 投入 (经费, all, in the lexicon).
	return strings.Contains(s, "钱") && strings.Contains(zh.Canonical(measure), "经费")
}

// samePeriod reports whether a claim's period is a fact's: the same year or
// plan period, or a plan period for the figure of its last year or its
// whole span.
func samePeriod(claimed, fp string) bool {
	if claimed == fp {
		return true
	}
	for _, p := range periods {
		if p.name == claimed && (fp == strconv.Itoa(p.end) || fp == strconv.Itoa(p.start)+"-"+strconv.Itoa(p.end)) {
			return true
		}
	}
	return false
}

// periodEnds are the years a fact's period spans at its ends: "2015-2020"
// → [2015 2020], "2020" → [2020], "十三五" → [2015 2020] (a plan's change is
// from the year before it).
func periodEnds(p string) []int {
	var out []int
	for _, part := range strings.Split(p, "-") {
		if y, err := strconv.Atoi(part); err == nil {
			out = append(out, y)
		}
	}
	for _, pp := range periods {
		if pp.name == p {
			out = append(out, pp.start-1, pp.end)
		}
	}
	return out
}

// yearsWithin reports whether every year a clause names is an end of the
// period.
func yearsWithin(years []int, p string) bool {
	ends := periodEnds(p)
	for _, y := range years {
		if !containsInt(ends, y) {
			return false
		}
	}
	return true
}

// arithmetic passes a derived figure that two facts of one measure and
// place reproduce: their difference (in 个百分点 for shares), sum or ratio,
// rounded to the precision the claim shows, from the years the clause names.
// Two places compared in one sentence ("九江市…98.6%，南昌市…86.85%，九江高出
// 11.75个百分点") may each give one of the facts.
func (c *checker) arithmetic(cl claim, facts []fact) (fact, bool) {
	compared := cl
	compared.places = append(append([]Place{}, cl.places...), cl.named...)
	twoPlaces := len(distinctCities(compared.places)) >= 2
	dec := decimals(cl.fig.Num)
	_, scale := claimUnit(cl.fig.Unit)
	shown := func(x float64) bool {
		r := math.Round(x/scale*math.Pow10(dec)) / math.Pow10(dec)
		return math.Abs(r-cl.fig.Value) < 1e-9*math.Max(1, math.Abs(r))
	}
	for i, a := range facts {
		if a.Kind == KindChange || !c.placeOK(compared, a.Place) || !measureOK(cl.context, a.Measure) {
			continue
		}
		for _, b := range facts[i+1:] {
			if b.Kind == KindChange || a.base != b.base || !sameMeasure(a.Measure, b.Measure) ||
				(b.Place != a.Place && (!twoPlaces || !c.placeOK(compared, b.Place))) {
				continue
			}
			ends := append(periodEnds(a.Period), periodEnds(b.Period)...)
			ok := true
			for _, y := range cl.years {
				ok = ok && containsInt(ends, y)
			}
			if !ok {
				continue
			}
			derived := Figure{Value: cl.fig.Num, Unit: cl.fig.Unit, Measure: a.Measure, Place: a.Place,
				Period: a.Period + "-" + b.Period, Kind: KindChange, N: a.N}
			diffBase := a.base
			if a.base == "%" {
				diffBase = "百分点"
			}
			switch {
			case cl.base == diffBase && shown(math.Abs(a.v-b.v)):
				return fact{Figure: derived}, true
			case cl.base == a.base && a.base != "%" && shown(a.v+b.v):
				derived.Kind = a.Kind
				return fact{Figure: derived}, true
			case cl.base == "倍" && b.v != 0 && a.v != 0 && (shown(a.v/b.v) || shown(b.v/a.v)):
				return fact{Figure: derived}, true
			case cl.base == "%" && a.base != "%" && b.v != 0 && a.v != 0 &&
				(shown(100*a.v/b.v) || shown(100*b.v/a.v) || shown(math.Abs(100*(a.v/b.v-1))) || shown(math.Abs(100*(b.v/a.v-1)))):
				return fact{Figure: derived}, true
			}
		}
	}
	return fact{}, false
}

// distinctCities are the cities places scope, each once.
func distinctCities(places []Place) []string {
	var out []string
	for _, p := range places {
		out = appendUnique(out, p.Scope.Cities...)
	}
	return out
}

// sameMeasure reports whether two facts measure one thing: the same name,
// or names that end alike (a table row's group and indicator, and the same
// indicator named in a sentence), a count's generic tail (人数) aside.
func sameMeasure(a, b string) bool {
	if a == b {
		return true
	}
	// "交流轮岗人数" counts what "…交流轮岗" names: a count's generic
	// tail is no part of the measure's name.
	bare := func(s string) []rune {
		s = zh.Canonical(s)
		for _, t := range []string{"人数", "数量", "总数", "规模"} {
			s = strings.TrimSuffix(s, t)
		}
		return []rune(s)
	}
	ha, hb := bare(a), bare(b)
	if len(ha) < 3 || len(hb) < 3 {
		return false
	}
	return string(ha[len(ha)-3:]) == string(hb[len(hb)-3:])
}

// isThreshold reports whether a claim repeats the threshold of a yes/no
// question ("超过98%了吗" → "没有超过98%").
func (c *checker) isThreshold(cl claim) bool {
	if c.q.intent.kind != askYesNo {
		return false
	}
	th := c.q.intent.threshold
	base, scale := claimUnit(th.Unit)
	if base == "" {
		base = cl.base
		scale = 1
		if _, s := claimUnit(cl.fig.Unit); s != 0 {
			scale = s
		}
	}
	return base == cl.base && math.Abs(th.Value*scale-cl.v) <= 1e-9*math.Max(1, math.Abs(cl.v))
}

// thresholdHolds checks the verdict a sentence gives around a threshold
// ("未超过98%") against the fact it states, or the answer's.
func (c *checker) thresholdHolds(th claim, stated []fact) bool {
	before := tail(th.before, 18)
	op := ""
	at := -1
	for _, w := range thresholdVerbs {
		if i := strings.LastIndex(before, w.word); i > at {
			op, at = w.op, i
			if w.word == "不低于" || w.word == "不少于" {
				at += len("不") // its 不 is no negation
			}
		}
	}
	if op == "" {
		return true // the threshold named, no verdict given
	}
	negated := containsAny(before[:max(0, at)], negations...)
	truth, known := c.truth(op, c.q.intent.threshold, stated)
	return known && truth == !negated
}

// truth compares the answer's principal fact with a threshold: the first
// result the sentence states, else the answer's so far, else the
// extractive answer's.
func (c *checker) truth(op string, th zh.Figure, stated []fact) (bool, bool) {
	var pool []Figure
	for _, f := range stated {
		pool = append(pool, f.Figure)
	}
	pool = append(pool, c.matched...)
	pool = append(pool, c.ext.Figures...)
	var pick *Figure
	for i := range pool {
		if pool[i].Kind == KindAchieved {
			pick = &pool[i]
			break
		}
	}
	for i := range pool {
		if pick == nil && pool[i].Kind == KindTarget {
			pick = &pool[i] // the verdict then speaks of the goal
		}
	}
	if pick == nil {
		return false, false
	}
	f, ok := newFact(*pick)
	if !ok {
		return false, false
	}
	base, scale := claimUnit(th.Unit)
	if base != "" && base != f.base {
		return false, false
	}
	if base == "" {
		_, scale = claimUnit(pick.Unit)
	}
	t := th.Value * scale
	// A bound ("超过95%", "98%以上") is more than its figure.
	above := pick.Bound != "" && pick.Bound != UpperBound
	if pick.Bound == UpperBound {
		// At most its figure: true below a threshold at or above it.
		switch op {
		case "<=":
			return true, f.v <= t
		case "<":
			return true, f.v < t
		case ">", ">=", "=":
			return false, f.v < t || op == ">" && f.v <= t
		}
		return false, false
	}
	switch op {
	case ">":
		return f.v > t || (above && f.v >= t), f.v > t || f.v <= t && !above || above && f.v >= t
	case ">=":
		return f.v >= t, true
	case "<":
		return f.v < t, !above || f.v >= t
	case "=":
		return math.Abs(f.v-t) <= 1e-9*math.Max(1, math.Abs(t)), !above
	case "<=":
		return f.v <= t, !above
	}
	return false, false
}

// answerPolarity reads the yes or no an answer opens with.
func answerPolarity(text string) (yes, said bool) {
	t := strings.TrimLeft(text, " “\"*")
	for _, w := range []string{"不是", "没有", "尚未", "还没有", "还未", "未", "否", "不"} {
		if strings.HasPrefix(t, w) {
			return false, true
		}
	}
	for _, w := range []string{"是的", "是", "对", "已经", "已"} {
		if strings.HasPrefix(t, w) {
			return true, true
		}
	}
	return false, false
}

// isRefusal reports whether a sentence says the sources do not answer.
func isRefusal(text string) bool {
	return containsAny(text, "没有找到", "未找到", "无法回答", "没有相关", "未提及", "没有提及", "未提供", "没有提供", "无法提供", "无相关")
}

// Label names a source on one line, as a reply's list of sources shows it:
// "南昌市教育事业发展“十四五”规划(南昌市,2022) 表2 南昌市“十四五”时期教育事业发展主要目标"
// — its title, city and date, and the last heading of its section.
func (s Source) Label() string {
	var b strings.Builder
	b.WriteString(oneLine(s.Title))
	var meta []string
	for _, v := range []string{s.City, s.Published} {
		if v = oneLine(v); v != "" {
			meta = append(meta, v)
		}
	}
	if len(meta) > 0 {
		b.WriteString("(" + strings.Join(meta, ",") + ")")
	}
	if sec := s.Section; sec != "" {
		if i := strings.LastIndex(sec, " > "); i >= 0 {
			sec = sec[i+len(" > "):]
		}
		b.WriteString(" " + oneLine(sec))
	}
	return b.String()
}

// SourceLines lists the sources an answer cites, one line each,
// "[1] label", a label that several cited sources share written once with
// all their numbers ("[1][3] label").
func SourceLines(a Answer) []string {
	var labels []string
	nums := map[string]string{}
	for _, s := range CitedSources(a) {
		l := s.Label()
		if _, ok := nums[l]; !ok {
			labels = append(labels, l)
		}
		nums[l] += "[" + strconv.Itoa(s.N) + "]"
	}
	out := make([]string, 0, len(labels))
	for _, l := range labels {
		out = append(out, nums[l]+" "+l)
	}
	return out
}

// goalReached reads, from the facts a sentence states, whether the result
// it states reached the goal it states; known is false unless it states
// one of each in one unit.
func goalReached(stated []fact) (reached, known bool) {
	var r, g *fact
	for i := range stated {
		switch f := &stated[i]; {
		case f.Kind == KindAchieved && r == nil:
			r = f
		case f.Kind == KindTarget && g == nil:
			g = f
		}
	}
	if r == nil || g == nil || r.base != g.base || r.Bound == UpperBound || g.Bound == UpperBound {
		return false, false
	}
	if g.Bound != "" {
		return r.v > g.v, true
	}
	return r.v >= g.v, true
}
