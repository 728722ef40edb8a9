package rag

import (
	"context"
	"strings"
	"testing"

	"wenda/rag/zh"
	"wenda/seeds"
)

func TestNamedSpanQuotesTheDocumentsName(t *testing.T) {
	sentence := "2020年全市一般公共预算教育经费133.34亿元,比2015年的81.83亿元增长62.95%"
	tests := []struct {
		span, head string
		years      []int
		want, name string
	}{
		// The clause with the figure names no metric: the clause that does is quoted too.
		{"比2015年的81.83亿元增长62.95%", "经费", nil, "2020年全市一般公共预算教育经费133.34亿元,比2015年的81.83亿元增长62.95%", ""},
		// 2015 asked: the clause of 2020's figure lends its name, not its figure.
		{"比2015年的81.83亿元增长62.95%", "经费", []int{2015}, "比2015年的81.83亿元增长62.95%", "全市一般公共预算教育经费"},
		// A span that names the metric stays as it is.
		{"2020年全市一般公共预算教育经费133.34亿元", "经费", nil, "2020年全市一般公共预算教育经费133.34亿元", ""},
		// No clause names it: the span as it is, never the question's words.
		{"比2015年的81.83亿元增长62.95%", "巩固率", nil, "比2015年的81.83亿元增长62.95%", ""},
	}
	for _, tt := range tests {
		if got, name := namedSpan(sentence, tt.span, tt.head, tt.years); got != tt.want || name != tt.name {
			t.Errorf("namedSpan(%q, %q, %v) = %q, %q, want %q, %q", tt.span, tt.head, tt.years, got, name, tt.want, tt.name)
		}
	}
}

func TestCloseBracketsQuotesWholeAsides(t *testing.T) {
	sentence := "累计投入装备资金7.28亿(其中信息化类型装备投入约4.5亿,传统类型装备投入约2.78亿)"
	tests := []struct{ span, want string }{
		{"累计投入装备资金7.28亿(其中信息化类型装备投入约4.5亿", sentence},
		{"累计投入装备资金7.28亿", "累计投入装备资金7.28亿"},
		{"传统类型装备投入约2.78亿)", "传统类型装备投入约2.78亿)"},
	}
	for _, tt := range tests {
		if got := closeBrackets(sentence, tt.span); got != tt.want {
			t.Errorf("closeBrackets(%q) = %q, want %q", tt.span, got, tt.want)
		}
	}
}

// A mistyped last character of a word has one helpful neighbour: it is
// repaired from what the passages put after the word's start; a real word
// is left alone.
// seedEngine is an engine over the seeds, hashed, and its gazetteer.
func seedEngine(t *testing.T) (*Engine, *Gazetteer) {
	t.Helper()
	docs, err := LoadDir(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := Build(t.Context(), docs, BuildOptions{Embedder: NewHashEmbedder(0), Tokens: &LazyTiktoken{Encoding: DefaultEncoding}})
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(ix)
	g, _ := e.gazetteer()
	return e, g
}

// askSeeds asks e a question with no conversation before it.
func askSeeds(t *testing.T, e *Engine, question string) Answer {
	t.Helper()
	a, err := e.Ask(t.Context(), Request{Question: question})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRepairTypoAtWordEnd(t *testing.T) {
	e, g := seedEngine(t)
	tests := []struct{ question, want string }{
		{"九江有多少校长老师参与了交流轮港", "九江有多少校长老师参与了交流轮岗"},
		{"南昌高中阶段毛入学律2025年要达到多少", "南昌高中阶段毛入学率2025年要达到多少"},
		{"九江有多少校长老师参与了交流轮岗", ""},
		{"九江参加交流轮港的校长和老师有多少?", "九江参加交流轮岗的校长和老师有多少?"},
	}
	for _, tt := range tests {
		q := parseQuery(zh.Normalize(tt.question), g)
		results, err := e.ix.Search(t.Context(), q.searchText(), q.scope, retrieveDepth)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := e.repairTypo(q, results)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("repairTypo(%q) = %q, want %q", tt.question, got, tt.want)
		}
	}
}

func TestSumOfAddsTheItemsAsked(t *testing.T) {
	span := "全市现有示范校3所、国家级重点中职学校3所、省级高水平中职学校2所、省级达标中职学校5所"
	tests := []struct {
		span, question string
		explicit       bool
		want           string
	}{
		// The items the question names, not the one listed beside them.
		{span, "省级达标中职学校、省级高水平中职学校、国家级重点中职学校加在一起有几所", true, "合计10所（3所 + 2所 + 5所）。"},
		// A question naming no item adds them all.
		{"获得一等奖22个、二等奖22个、三等奖32个", "总共获了几个奖", false, "合计76个（22个 + 22个 + 32个）。"},
		// A whole with its part adds nothing; nor do shares, or units that differ.
		{"获奖1858项,其中一等奖473项", "一共多少项", false, ""},
		{"入学率99.5%、巩固率98.2%", "加起来多少", true, ""},
		{"共有幼儿园1052所、在园幼儿20.2万人", "一共多少", false, ""},
		// Money adds only when adding is asked in so many words.
		{"小学1200元、初中1400元", "一共多少钱", false, ""},
		{"投入3亿元、追加2亿元", "加起来多少钱", true, "合计5亿元（3亿元 + 2亿元）。"},
	}
	for _, tt := range tests {
		if got := sumOf(tt.span, tt.explicit, tt.question); got != tt.want {
			t.Errorf("sumOf(%q, %v, %q) = %q, want %q", tt.span, tt.explicit, tt.question, got, tt.want)
		}
	}
}

func TestNamesCityNotItsCountyOrInstitution(t *testing.T) {
	for text, want := range map[string]bool{
		"南昌市全市小学入学率":         true,
		"全市…南昌教育事业":          true,
		"联合南昌大学附属眼科医院为38所学校": false,
		"指导南昌县开展义务教育教师改革试点":  false,
		"南昌县和南昌市区":           true,
	} {
		if got := namesCity(text, "南昌市"); got != want {
			t.Errorf("namesCity(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestHomophoneRepair(t *testing.T) {
	e, g := seedEngine(t)
	tests := []struct{ question, want string }{
		// The input method's character for the right sound, in a term…
		{"巴中普会性学前教育覆盖率目标", "巴中普惠性学前教育覆盖率目标"},
		{"九江这些年因进的教师总共几名", "九江这些年引进的教师总共几名"},
		{"巴中学校要配心里健康老师吗", "巴中学校要配心理健康老师吗"},
		// …in another…
		{"九江因进了几名老师", "九江引进了几名老师"},
		// …both characters of a word, joined to the next as the
		// documents write it…
		{"那知会作业呢覆盖几所", "那智慧作业呢覆盖几所"},
		// …as a function character where it makes a word of the
		// documents' (在园, 在校), never a particle (第九件 is no 的九件)…
		{"巴中再园幼儿有几万", "巴中在园幼儿有几万"},
		{"南昌再校学生有几万", "南昌在校学生有几万"},
		{"巴中第九件要事具体是什么", ""},
		// …and one typed as a function character ending the question,
		// whose neighbour is left alone in the metric ("学为": 学).
		{"巴中新建了多少个学为", "巴中新建了多少个学位"},
		// Words the documents hold, and the question's own, stay.
		{"南昌有多少所小学", ""},
		{"九江义务教育入学率怎样", ""},
		{"巴中今年总共花了多少钱加起来", ""},
	}
	for _, tt := range tests {
		got, ok := e.homophoneRepair(parseQuery(zh.Normalize(tt.question), g))
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("homophoneRepair(%q) = %q, want %q", tt.question, got, tt.want)
		}
	}
}

func TestPlaceRepair(t *testing.T) {
	g := NewGazetteer([]Document{{City: "南昌市"}, {City: "九江市"}, {City: "巴中市"}})
	for question, want := range map[string]string{
		"九将今年建了几所学校": "九江今年建了几所学校",
		"八中的老年大学有几个": "巴中的老年大学有几个",
		"难昌的巩固率":     "南昌的巩固率",
		"九江今年建了几所学校": "", // written right
		"特殊教育学校有几所":  "", // no place sounds like it
	} {
		got, ok := placeRepair(zh.Normalize(question), g)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("placeRepair(%q) = %q, want %q", question, got, want)
		}
	}
	// A place and a word mistyped in one question: both are put back.
	e, _ := seedEngine(t)
	if a := askSeeds(t, e, "九将五年里引近的老师有几名"); !strings.Contains(a.Answer, "9398") {
		t.Errorf("answer %q: want the count of teachers brought in, 9398", a.Answer)
	}
}

// A covered city typed in pinyin or by its initials, as a word of its own,
// is its name; Latin letters inside other words, and two cities spelled
// alike, are left as they are.
func TestSpellLatinPlaces(t *testing.T) {
	g := NewGazetteer([]Document{{City: "南昌市"}, {City: "九江市"}, {City: "巴中市"}, {City: "北镇市"}})
	for in, want := range map[string]string{
		"nc现在入园率有几成":         "南昌现在入园率有几成",
		"JJ和bz哪个高":           "九江和bz哪个高",
		"Jiujiang 2020年的学位":  "九江 2020年的学位",
		"AI课程nc有几门":          "AI课程南昌有几门",
		"ncc平台":              "ncc平台",
		"nanchangxian的学校有几所": "nanchangxian的学校有几所",
	} {
		if got := g.SpellLatin(in); got != want {
			t.Errorf("SpellLatin(%q) = %q, want %q", in, got, want)
		}
	}
}

// A figure the citizen quotes, asked where it is read, is answered by the
// passages stating it, found by reading the chunks when the search ranks
// none (numbers are no terms); a decimal needs no unit.
func TestWhereAFigureIsRead(t *testing.T) {
	e, _ := seedEngine(t)
	for question, doc := range map[string]string{
		"93.09%这个数出自哪篇,截至什么时候": "nanchang-2023-three-synergies",
		"97.68 这个数出处在哪":        "nanchang-14th-five-year-education-plan",
		"704.97亿是哪场发布会讲的":      "jiujiang-2025-14th-plan-review",
	} {
		a := askSeeds(t, e, question)
		if !a.Answered || len(a.Sources) == 0 || a.Sources[0].DocID != doc || !strings.Contains(a.Answer, "出处：《"+a.Sources[0].Title+"》") {
			t.Errorf("%s: answered %v, sources %+v: %s", question, a.Answered, a.Sources, a.Answer)
		}
	}
}

// Answers over the seeds, each asked once:
//   - a name asked of a period is answered by a goal of one of its years
//     (one year's flow is no period's total only when a figure is asked);
//   - whether a goal the citizen states with its figure (目标是55%以上) was
//     reached: the words asking whether and the stated figure are no words
//     of what is looked up, in prose or a table row;
//   - a verdict of now says of which year its figure is;
//   - a mistyped word is repaired in a question naming no place too;
//   - a county no gazetteer holds, which one city's documents name word for
//     word, is a part of that city; one no document names stays unknown;
//   - how many there are is not the part of a programme's reach
//     ("招聘…,其中乡村…619人"), nor numerals in words counting no such thing;
//   - a share asked is never answered by a growth in %.
func TestSeedAnswers(t *testing.T) {
	e, _ := seedEngine(t)
	for _, c := range []struct {
		question string
		answered bool
		want     []string
	}{
		{"十四五期间南昌打算让哪些区建独立的特殊教育学校", true, []string{"青山湖区"}},
		{"规划里公办园在园幼儿占比的目标是55%以上,南昌2023年达标了吗", true, []string{"是，2023年为56.63%", "已经达到"}},
		{"南昌学前教育普惠性覆盖率现在超过90%了吗", true, []string{"否，2020年88.1%"}},
		// How many there were as a period closed, stated in a plan's
		// review, is the count of the period's last year, labelled with
		// the period; what the period added is not.
		{"2020年南昌公办园里的在园幼儿是几万人", true, []string{"十三五", "11.09万人"}},
		{"2020年南昌新增了几万个学位", false, nil},
		{"2015年学前三年毛入园律多少", true, []string{"66.8%"}},
		// A year set against another by 比 without 年; a goal's year named
		// as a goal in the change worked from it.
		{"南昌高中阶段在校生2025的目标比2020多出几万人", true, []string{"2025年目标比2020年增加4.65万人"}},
		{"平昌县在搞哪方面的改革试点", true, []string{"巴中市", "学区制"}},
		{"仪陇县在搞哪方面的改革试点", false, nil},
		{"南昌2020年乡村老师共计几人", false, nil},
		{"九江的幼儿园总数是多少", false, nil},
	} {
		a := askSeeds(t, e, c.question)
		if a.Answered != c.answered {
			t.Errorf("%s: answered %v, want %v: %q", c.question, a.Answered, c.answered, a.Answer)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(a.Answer, w) {
				t.Errorf("%s: %q lacks %q", c.question, a.Answer, w)
			}
		}
	}
	if !countsKindInWords("school", "建成十所学校") || countsKindInWords("school", "幼儿园“四个百分之百”") {
		t.Errorf("countsKindInWords")
	}
	if !sharesOnlyChange("比2015年81.83亿元增长62.95%") || sharesOnlyChange("占比达93.09%,比上年提高2%") || sharesOnlyChange("投入81.83亿元") {
		t.Errorf("sharesOnlyChange")
	}
}

// A count of items in numerals ("十件要事") answers how many are asked
// with 几件.
func TestItemsCountedInNumerals(t *testing.T) {
	if !hasFigure("我市明确了十件要事") || hasFigure("一件要事") {
		t.Errorf("hasFigure of a count of items")
	}
	e, _ := seedEngine(t)
	if a := askSeeds(t, e, "巴中今年要办的要事一共有几件"); !a.Answered || !strings.Contains(a.Answer, "十件") {
		t.Errorf("answer %q", a.Answer)
	}
}

// The base of a comparison ("比2015年81.83亿元") is of its own year, the
// figure compared with it of the line's other year, and their difference
// is worked from the two.
func TestBaseOfAComparisonHasItsYear(t *testing.T) {
	e, _ := seedEngine(t)
	a := askSeeds(t, e, "2015年南昌的一般公共预算教育经费有几个亿")
	if len(a.Figures) == 0 || a.Figures[0].Value != "81.83" || a.Figures[0].Period != "2015" {
		t.Errorf("answer %q, figures %+v: want 81.83 of 2015", a.Answer, a.Figures)
	}
	a = askSeeds(t, e, "南昌一般公共预算教育经费 2015→2020 多了几亿元")
	if !strings.Contains(a.Answer, "51.51亿元") {
		t.Errorf("answer %q: want the difference worked, 51.51亿元", a.Answer)
	}
	// The line holding both ends answers alone: money of another measure
	// beside it is no part of the change.
	if a := askSeeds(t, e, "南昌2015年到2020年教育经费涨了几亿"); !strings.Contains(a.Answer, "51.51亿元") || strings.Contains(a.Answer, "135.52") {
		t.Errorf("answer %q: want the change from the one line stating both ends", a.Answer)
	}
	if b, o, ok := splitBaseYear("比2015年", "2020-2015"); !ok || b != "2015" || o != "2020" {
		t.Errorf("splitBaseYear = %q %q %v", b, o, ok)
	}
}

// A goal asked for the last year of a plan's period is the period's goal:
// a plan that sets it "in the period" answers, labelled a goal.
func TestGoalOfPeriodEndYear(t *testing.T) {
	e, _ := seedEngine(t)
	a := askSeeds(t, e, "南昌 残疾儿童安置率 2025年的目标")
	if !a.Answered || len(a.Figures) == 0 || a.Figures[0].Value != "95" || a.Figures[0].Kind != KindTarget {
		t.Errorf("answer %q, figures %+v: want the 95%% goal, labelled a goal", a.Answer, a.Figures)
	}
	// A result of the period before is no goal of its last year.
	a = askSeeds(t, e, "南昌 残疾儿童安置率 2020年的目标")
	if a.Answered {
		t.Errorf("a goal for 2020 answered: %q", a.Answer)
	}
}

// A short sentence naming only what is done leads the sentences after it,
// to the next heading; one with a figure, or followed by one sentence, does
// not.
func TestLeadsOn(t *testing.T) {
	ch := Chunk{Units: []Unit{
		{Text: "全面深化与A城的医疗合作。"},
		{Text: "推动两地医院互认检查结果。"},
		{Text: "推动专家到B城坐诊。"},
		{Text: "推动远程会诊平台互联互通。"},
		{Text: "推动护士培训。"},
		{Text: "实施“强基”行动,提升基层能力"},
		{Text: "新增床位500张。"},
		{Text: "扩建两所医院。"},
	}}
	tests := []struct{ unit, want string }{
		{"全面深化与A城的医疗合作。", "推动两地医院互认检查结果；推动专家到B城坐诊；推动远程会诊平台互联互通"},
		{"推动护士培训。", ""},   // a heading follows
		{"新增床位500张。", ""}, // a figure
	}
	for _, tt := range tests {
		if got := leadsOn(ch, Unit{Text: tt.unit}); got != tt.want {
			t.Errorf("leadsOn(%q) = %q, want %q", tt.unit, got, tt.want)
		}
	}
}

// TestPartsAfterQiZhongReadWithTheWhole: every part listed after 其中 counts
// what the whole counts, not only the first one.
func TestPartsAfterQiZhongReadWithTheWhole(t *testing.T) {
	_, g := seedEngine(t)
	sentence := "A城招聘医护人员900人,其中乡镇医生300人,儿科、急诊等短缺专业护士120人,进一步充实了基层队伍"
	tests := []struct{ question, want string }{
		{"A城招聘的短缺专业护士有多少人", "儿科、急诊等短缺专业护士120人"},
		{"A城短缺专业招聘医护人员有多少人", "儿科、急诊等短缺专业护士120人"},
		{"A城招聘的医护人员里短缺专业的有多少", "儿科、急诊等短缺专业护士120人"},
		{"A城招聘的乡镇医生有多少人", "其中乡镇医生300人"},
		{"A城招聘医护人员多少人", "A城招聘医护人员900人"},
	}
	for _, tt := range tests {
		q := parseQuery(zh.NormalizeQuestion(tt.question), g)
		terms := metricTerms(q.metric)
		weights := make([]float64, len(terms))
		for i := range weights {
			weights[i] = 1
		}
		if got, _ := bestSpan(terms, weights, sentence, q); got != tt.want {
			t.Errorf("bestSpan(%q) = %q, want %q", tt.question, got, tt.want)
		}
	}
}

// TestSwapAlternativeWithItsOwnWord: a stage named with a word of its own
// before it ("重点小学") replaces the stage asked before all the same.
func TestSwapAlternativeWithItsOwnWord(t *testing.T) {
	tests := []struct{ asked, word, want string }{
		{"初中 入学率", "小学", "小学 入学率"},
		{"初中入学率", "重点小学", "重点小学入学率"},
		{"入学率", "重点小学", ""},
	}
	for _, tt := range tests {
		got, ok := swapAlternative(tt.asked, tt.word)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("swapAlternative(%q, %q) = %q, want %q", tt.asked, tt.word, got, tt.want)
		}
	}
}

// How many there are in all is not a count of a ranked few: every count
// of the span names a rank the question does not ("重点", "示范"), before or
// after its figure, inside quotes or not.
func TestRankedCount(t *testing.T) {
	tests := []struct {
		question, span string
		want           bool
	}{
		{"A城一共有多少所医院", "全市现有“国家区域医疗示范中心”2所、国家级重点医院3所、省级达标医院5所", true},
		{"A城一共有多少所医院", "建设6所优质医院", true},
		{"A城有多少所国家级重点医院", "国家级重点医院3所", false},
		{"A城一共有多少所医院", "全市共有医院40所,其中重点医院3所", false},
		{"A城一共多少医生", "全市有主任医师100人", false},
		{"A城一共多少医生", "截至目前,全市有特级医生100人", true},
		{"A城有多少名骨干医生", "骨干医生300名", false},
	}
	for _, tt := range tests {
		if got := rankedCount(tt.question, tt.span); got != tt.want {
			t.Errorf("rankedCount(%q, %q) = %v, want %v", tt.question, tt.span, got, tt.want)
		}
	}
}

// A count of one thing followed by the title of a document that names the
// thing asked ("12家单位出台《…机构管理办法》") counts the other thing.
func TestCountBeforeTitleCountsItsOwnNoun(t *testing.T) {
	_, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("A城医疗机构一共有多少家"), g)
	terms := metricTerms(q.metric)
	if !countsAfter(q, terms, "联合12家单位出台《A城规范医疗机构管理办法》") {
		t.Error("12家单位 was read as a count of 医疗机构")
	}
	if countsAfter(q, terms, "全市共有12家医疗机构") {
		t.Error("12家医疗机构 was read as a count of something else")
	}
}

// A year's figure that a plan's table gives and that year's own report
// states in prose cites both: the report names it in fewer of the
// question's words, and adds no figure.
func TestYearsReportCitedBesideTheTable(t *testing.T) {
	e, _ := seedEngine(t)
	a := askSeeds(t, e, "南昌市2020年的义务教育巩固率为多少")
	docs := map[string]bool{}
	for _, s := range a.Sources {
		docs[s.DocID] = true
	}
	if !docs["nanchang-2020-work-summary"] || !docs["nanchang-14th-five-year-education-plan"] {
		t.Errorf("cited %v: %s", docs, a.Answer)
	}
	for _, f := range zh.Figures(a.Answer) {
		if f.Unit == "%" && f.Text != "97.01%" {
			t.Errorf("a figure besides the year's: %q in %s", f.Text, a.Answer)
		}
	}
}

// Answers that must name one figure or name and must not name another,
// each for a rule of reading: the whole sentence for a list asked, a kind
// of place beside the whole, a preface before a colon, an ask's own kind.
func TestSeedAnswersHoldAndLack(t *testing.T) {
	e, _ := seedEngine(t)
	for _, tt := range []struct{ question, want, not string }{
		// A name or a list asked is answered by the whole sentence: a kind
		// the question requires ("省级") is looked for there, and a 和 the
		// question joins its asks with is no term.
		{"巴中省级示范高中打算跟哪些一流大学一起建拔尖学生培养基地", "哈尔滨工业大学", ""},
		// A line counted in a kind of place the question does not name
		// ("…村级幼儿园213所,增加学位2.84万个") is not shown beside the
		// whole's figure.
		{"十三五南昌新增学位多少个", "25.7万", "2.84万"},
		// A preface ended by a colon is a clause of its own.
		{"给孩子报名前想问问:巴中2027年普惠性学前教育覆盖率要达到多少", "90%", ""},
		// An ask naming a place kind of its own ("村里的") takes none of
		// the first ask's ("乡镇"), nor the count of all three kinds.
		{"南昌建设了多少所乡镇中心园?村里的幼儿园呢?", "213", "370"},
		// A change from the year before a figure's year is answered by the
		// clause that states it on the year before (同比).
		{"南昌2020年全市财政教育支出总额跟2019年比涨了多少", "同比增长10%", ""},
		// Words the passage puts the other way round (the place's school
		// building, asked as building its schools) match when no passage
		// joins them as asked.
		{"南昌拿出多少配套奖补给县区建学校", "10億元", ""},
	} {
		a := askSeeds(t, e, tt.question)
		if !a.Answered || !strings.Contains(a.Answer, tt.want) || tt.not != "" && strings.Contains(a.Answer, tt.not) {
			t.Errorf("%s: want %q and not %q in %s", tt.question, tt.want, tt.not, a.Answer)
		}
	}
}

// Questions the documents answer, and near misses they do not, each for a
// rule of reading; a refusal never states the figure it was tempted by.
func TestSeedAnsweredOrRefused(t *testing.T) {
	e, _ := seedEngine(t)
	for _, tt := range []struct {
		question string
		answered bool
		not      string // a figure the answer must not give
	}{
		// A price or charge the documents never name (学费, 限价) is not
		// answered by a passage naming the school or the city around it.
		{"小河职中一年学费多少", false, "10个"},
		{"巴中中学每年学费多少", false, "10个"},
		{"南昌公办幼儿园保教费一个月多少，有没有限价", false, "52.13"},
		{"巴中中学组建了几个教育集团", true, ""},
		{"南昌公办幼儿园的占比多少", true, ""},
		// A count of a list ("省級骨干教師和學科帶頭人1231人", traditional
		// as written) is no count of one item, even where a kind opening
		// the list qualifies both; asked of the whole list, it answers.
		{"南昌现有省级骨干教师多少人", false, "1231人["},
		{"南昌现在省级骨干教师、学科带头人合计多少人", true, ""},
		// A word of the citizen's own that no passage holds, beside only
		// what kind of figure is asked (money), is what is asked of: money
		// of any other kind does not answer.
		{"九江的启航花了多少钱", false, "704.97"},
		// Levels named with 分别 share the measure the last one names,
		// its share word too: each level gets its own figure.
		{"南昌普高的大班额控制到多少了", true, "5%以内"},
		// Money named by its noun (造价, 投资额) asked of what a quoted
		// count counts is money: the passage stating the count is no
		// answer.
		{"九江那4.8万个学位对应的造价是多少", false, "4.8万个"},
		// A count of schools is not answered by a table row counting
		// pupils, as it is not by a clause counting them.
		{"十三五末南昌中职学校的总数", false, "6.27万人["},
		// Money asked in all is not answered by money per pupil.
		{"南昌十四五期间教育经费计划总投入多少亿", false, "1200元"},
		{"南昌小学生均公用经费多少元", true, ""},
		// A part asked within a whole ("…教师里，幼儿园的") is answered only
		// by a passage naming the whole too; a locative (教师里) is no typo
		// to repair (教师力).
		{"九江引进的教师里，幼儿园的有多少", false, "四个百分之百"},
		{"南昌装备资金里头,信息化的投了多少", true, ""},
		// A figure the citizen states for one year sets no year of the
		// ask: another year asked and not in the documents is refused.
		{"听说南昌2020年一般公共预算教育经费是133.34亿元,那2022年的一般公共预算教育经费是多少?", false, ""},
		{"巴中二四年讲要新增六千多个学位,那二六年要新增几多学位", false, ""},
	} {
		a := askSeeds(t, e, tt.question)
		if a.Answered != tt.answered || tt.not != "" && strings.Contains(a.Answer, tt.not) {
			t.Errorf("%s: answered %v, want %v, and not %q: %s", tt.question, a.Answered, tt.answered, tt.not, a.Answer)
		}
	}
}

// A plan's figure set against a later one of the same measure is the
// change from the year the plan starts from (its review's year) to the
// later year, or to now: both figures and the change, worked.
func TestPlanAgainstLater(t *testing.T) {
	e, _ := seedEngine(t)
	for _, question := range []string{
		"南昌学前三年毛入园率，规划所载与现在相比有无增减",
		"南昌学前三年毛入园率，十四五规划给的和2023年的比，一致吗",
	} {
		a, err := e.Extractive(context.Background(), question)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"86.85", "98.83", "11.98"} {
			if !strings.Contains(a.Answer, want) {
				t.Errorf("%s: answer %q lacks %s", question, a.Answer, want)
			}
		}
	}
}

// Of two repairs of a question, the one that mends the word no document
// holds is tried first: "普会园" is 普惠园, and a repair that leaves it as
// typed and changes a verb instead answers another count.
func TestRepairOfTheUnknownWordFirst(t *testing.T) {
	e, _ := seedEngine(t)
	a, err := e.Extractive(context.Background(), "南昌那边普会园后来增加到几所")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Answer, "448") {
		t.Errorf("answer %q, want the 448 普惠园", a.Answer)
	}
}

// A list asked by the level its items reach ("哪些…要达到100%的") is the
// clauses stating that level, of the year asked; the names of what a
// quoted count counts, or of a quoted name, are no such list.
func TestFigureList(t *testing.T) {
	e, g := seedEngine(t)
	ctx := context.Background()
	a, ok, err := e.figureList(ctx, parseQuery(zh.NormalizeQuestion("巴中2024年哪些指标要达到100%的"), g), "", nil)
	if err != nil || !ok || !strings.Contains(a.Answer, "心理健康") || !strings.Contains(a.Answer, "护学岗") {
		t.Errorf("level reached: ok %v, answer %q", ok, a.Answer)
	}
	for _, question := range []string{"巴中那150所撤并的学校都是哪些", "九江说的“四个百分之百”是哪几个"} {
		if _, ok, _ := e.figureList(ctx, parseQuery(zh.NormalizeQuestion(question), g), "", nil); ok {
			t.Errorf("%s: answered as a list of what reaches a level", question)
		}
	}
}

// A scale asked (多少万) is answered by a clause counting in that scale,
// named nearly as fully as a table row of another class (a share) is.
func TestScaleAskedBesideShareRow(t *testing.T) {
	e, _ := seedEngine(t)
	a, err := e.Extractive(context.Background(), "南昌的公办园在园幼儿总共几万")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Answer, "11.09") {
		t.Errorf("answer %q, want 11.09万人", a.Answer)
	}
}
