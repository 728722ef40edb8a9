package rag

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"wenda/rag/zh"
)

// The canonical cache gives zh.Canonical's text, and starts again empty
// rather than grow past canonicalMax.
func TestCanonicalCache(t *testing.T) {
	for _, s := range []string{"南昌老师们的孩子", "中职学校", "", "没有变体的句子"} {
		for range 2 { // made, then read from the cache
			if got, want := canonical(s), zh.Canonical(s); got != want {
				t.Errorf("canonical(%q) = %q, want %q", s, got, want)
			}
		}
	}
	text := strings.Repeat("老师", 1<<10)
	for i := 0; i < 3*canonicalMax/(2*len(text)); i++ {
		s := text + itoa(i)
		if got, want := canonical(s), zh.Canonical(s); got != want {
			t.Fatalf("canonical of text %d differs from zh.Canonical", i)
		}
		if n := canonicalCache.bytes.Load(); n > canonicalMax {
			t.Fatalf("cache holds %d bytes, want at most %d", n, canonicalMax)
		}
	}
}

func TestContainsTerm(t *testing.T) {
	tests := []struct{ s, t string }{
		{"义务教育巩固率达到97.68%", "巩固"}, {"义务教育巩固率", "育巩"}, {"义务教育", "教育巩"},
		{"教育", "教育"}, {"教", "教育"}, {"", "教育"}, {"abc", ""}, {"abc", "bc"}, {"xxabcab", "abc"},
		{"xabab", "aba"}, {"育育育", "育育"}, {"巩固率巩固", "固率"},
	}
	for _, tt := range tests {
		if got, want := containsTerm(tt.s, tt.t), strings.Contains(tt.s, tt.t); got != want {
			t.Errorf("containsTerm(%q, %q) = %v, want %v", tt.s, tt.t, got, want)
		}
	}
}

// A number the question names matches a number of the text whole, never
// the digits of another ("3" of "0到3岁" is not in 3500); a whole part
// matches a decimal ("6" of 六个多亿 in 6.19), and a year of two digits the
// year it ends ("25年" in 2025年).
func TestContainsNumber(t *testing.T) {
	tests := []struct {
		s, n string
		want bool
	}{
		{"评选先进人物3500人", "3", false}, {"评选先进人物3500人", "0", false}, {"比例0.3%", "3", false},
		{"建设3所示范校", "3", true}, {"专栏 3", "3", true}, {"投入6.19亿元", "6", true}, {"3", "3", true},
		{"到2025年达到90%", "25", true}, {"到2025年达到90%", "20", false}, {"共12025人", "25", false},
		{"达到90%", "90", true}, {"达到190%", "90", false},
	}
	for _, tt := range tests {
		if got := containsTerm(tt.s, tt.n); got != tt.want {
			t.Errorf("containsTerm(%q, %q) = %v, want %v", tt.s, tt.n, got, tt.want)
		}
	}
}

func FuzzContainsTerm(f *testing.F) {
	f.Add("义务教育巩固率达到97.68%", "巩固")
	f.Add("xabab", "aba")
	f.Fuzz(func(t *testing.T, s, term string) {
		if isDigits(term) {
			return // a number matches whole: TestContainsNumber
		}
		if got, want := containsTerm(s, term), strings.Contains(s, term); got != want {
			t.Errorf("containsTerm(%q, %q) = %v, want %v", s, term, got, want)
		}
	})
}

// measureAsked finds and cuts in one pass what measureRE's
// FindStringSubmatch and ReplaceAllString found and cut.
func TestMeasureAskedIsOnePass(t *testing.T) {
	for _, rest := range []string{
		"南昌 有多少所小学", "新增学位多少个,撤并几所学校", "经费是多少亿元", "多少钱", "巩固率", "几个几名", "有多少%",
		"百分之多少", "学校有几所 教师有多少人 学生多少万人",
	} {
		var want []string
		wantCut := rest
		if strings.Contains(rest, "多少") || strings.Contains(rest, "几") {
			want = measureRE.FindStringSubmatch(rest)
			wantCut = measureRE.ReplaceAllString(rest, " ")
		}
		m, cut, ok := measureAsked(rest)
		if ok != (want != nil) || cut != wantCut || (ok && m != want[1]) {
			t.Errorf("measureAsked(%q) = %q, %q, %v; want %v, %q", rest, m, cut, ok, want, wantCut)
		}
	}
}

// particleRE is how particles are cut, the plain way; particles must agree.
var particleRE = regexp.MustCompile(`的|了(?:解)?|要(?:` + strings.Join(governedVerbs, "|") + `)`)

func cutParticlesRE(s string) string {
	return particleRE.ReplaceAllStringFunc(s, func(m string) string {
		switch {
		case m == "了解":
			return m
		case strings.HasPrefix(m, "要"):
			return " " + strings.TrimPrefix(m, "要")
		}
		return " "
	})
}

func FuzzParticles(f *testing.F) {
	for _, s := range []string{"办了几家机构", "了解的情况", "的了解了", "了了解解", "的的", "\xe4\xba了", "到2030年要完成哪些", "要要提高了", "需要建设的"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := particles.Replace(s), cutParticlesRE(s); got != want {
			t.Errorf("particles.Replace(%q) = %q, the expression gives %q", s, got, want)
		}
	})
}

func TestExcludedPartIsRead(t *testing.T) {
	g := NewGazetteer([]Document{{City: "南昌市"}})
	for question, want := range map[string]string{
		"回来任教的公费生中不是部属院校出来的有几个": "部属院校出来",
		"A城除了民办园以外还剩几家园所":       "民办园",
		"巴中除普惠园之外的幼儿园有几所":       "普惠园",
		"九江是不是全省最早的":            "", // 是不是 asks yes or no
		"巴中公办园有几所":              "",
	} {
		if got := parseQuery(zh.Normalize(question), g).negated; got != want {
			t.Errorf("negated(%q) = %q, want %q", question, got, want)
		}
	}
}

func TestParseQueryThresholdsInWords(t *testing.T) {
	g := NewGazetteer(nil)
	tests := []struct {
		question string
		op       string
		value    float64
	}{
		{"体检率够不够百分之六十", ">=", 60},
		{"占比过半了吗", ">", 50},
		{"占比超过一半了没有", ">", 50},
		{"占比过咗一半未", ">", 50},
		{"床位过没过5000张", ">", 5000},
		{"床位5000张过了没", ">", 5000},
		{"床位到没到5000张", ">=", 5000},
		{"体检率够60%没", ">=", 60}, // 够 before the figure is 达到
		{"护士够5000名了吗", ">=", 5000},
	}
	for _, tt := range tests {
		q := parseQuery(zh.NormalizeQuestion(tt.question), g)
		if q.intent.kind != askYesNo || q.intent.op != tt.op || q.intent.threshold.Value != tt.value {
			t.Errorf("%s: intent %+v, want a yes/no %s %v", tt.question, q.intent, tt.op, tt.value)
		}
	}
	// A bound said after the figure (以上) is the threshold's, no word of
	// the metric.
	if q := parseQuery(zh.NormalizeQuestion("护士体检率有没有60%以上"), g); q.intent.kind != askYesNo || strings.Contains(q.metric, "以上") {
		t.Errorf("以上 after a threshold: intent %+v, metric %q", q.intent, q.metric)
	}
}

// A stage of compulsory schooling asked alone is not answered by a line of
// the other; a line of both, or of the whole, is of either.
func TestOtherStage(t *testing.T) {
	checkPairs(t, "otherStage", otherStage, []pairCase{
		{"初中生每周锻炼", "小学3年级每周锻炼不少于5小时", true},
		{"小学生近视率", "初中近视率下降2个百分点", true},
		{"初中生每周锻炼", "其他年级不少于6小时", false},
		{"初中学校数", "全县中小学共120所", false},
		{"小学入学率", "义务教育入学率达100%", false},
		{"小学和初中在校生", "小学在校生8万人", false},
		{"高中在校生", "小学在校生8万人", false},
	})
}

// A change asked from a year is the row's column counting from it, with the
// levels it is between; a year the row counts no change from gives none.
func TestTableChangeSinceYear(t *testing.T) {
	row := []Cell{{Column: "2016年", Year: 2016, Value: "50人"}, {Column: "2021年", Year: 2021, Value: "80人"}, {Column: "比2016年提高", Value: "30人"}}
	never := func(Cell) bool { return false }
	got := tableCells(query{norm: "比2016年多了多少", years: []int{2016}, intent: intent{change: true}}, row, never)
	if len(got) != 3 || got[0].Year != 2016 || got[1].Year != 2021 || got[2].Value != "30人" {
		t.Errorf("since 2016: got %+v, want both levels and the change", got)
	}
	if got := tableCells(query{norm: "比2018年多了多少", years: []int{2018}, intent: intent{change: true}}, row, never); got != nil {
		t.Errorf("since 2018: got %+v, want none", got)
	}
}

// A year named by its distance from now is one year, and the base of a
// change (比去年) is none; a grade after a year is no start of the year;
// Taiwan's names of the stages are read as the documents' own.
func TestParseQueryRelativeYearAndStages(t *testing.T) {
	_, g := seedEngine(t)
	for _, c := range []struct {
		question string
		oneYear  bool
		inMetric string
	}{
		{"A城去年新招教师几名", true, "教师"},
		{"A城招聘教师较去年增加几名", false, "教师"},
		{"2022年初中在校生有多少", false, "初中"},
		{"國中的在校生有多少", false, "初中"},
		{"全国中小学有多少", false, "中小学"},
	} {
		q := parseQuery(zh.NormalizeQuestion(zh.Normalize(c.question)), g)
		if q.oneYear != c.oneYear || !strings.Contains(q.metric, c.inMetric) {
			t.Errorf("%s: oneYear %v, metric %q; want %v and %q in it", c.question, q.oneYear, q.metric, c.oneYear, c.inMetric)
		}
	}
}

// A follow-up that only compares with another place asks the figure asked
// before of both; one naming a measure of its own, or no new place, is no
// such follow-up.
func TestComparedPlaceFollowUp(t *testing.T) {
	_, g := seedEngine(t)
	prev := parseQuery(zh.NormalizeQuestion("村级幼儿园南昌建成几所"), g)
	for _, c := range []struct {
		cur  string
		want string // "" when not rewritten so
	}{
		{"跟九江比哪个多", "南昌和九江村级幼儿园建成哪个多?"},
		{"和巴中比谁高一点", "南昌和巴中村级幼儿园建成哪个高?"},
		{"跟九江比教师哪个多", ""},
		{"跟南昌比哪个多", ""},
	} {
		qc := parseQuery(zh.NormalizeQuestion(c.cur), g)
		got, ok := comparedPlaceFollowUp(c.cur, qc, prev)
		if c.want == "" && ok || c.want != "" && got != c.want {
			t.Errorf("%s: got %q (%v), want %q", c.cur, got, ok, c.want)
		}
	}
}

// 多少分 asks points (never answered by a share), 几分钟 does not; 公办的有
// 多少所 asks how many there are, not what was done; a goal refused with
// its year asks now.
func TestParseQueryPointsOwnersRefusedGoal(t *testing.T) {
	_, g := seedEngine(t)
	parse := func(s string) query { return parseQuery(zh.NormalizeQuestion(zh.Normalize(s)), g) }
	if q := parse("A城体能测试满分多少分"); q.measure != "分" {
		t.Errorf("多少分: measure %q, want 分", q.measure)
	}
	if q := parse("A城午休多少分钟"); q.measure == "分" {
		t.Errorf("多少分钟: measure 分, want none of points")
	}
	if q := parse("南昌民办的有多少所"); !q.stock {
		t.Errorf("民办的有多少所: not a stock")
	}
	if q := parse("南昌办的培训班有多少个"); q.stock {
		t.Errorf("办的…有多少个: a stock, want what was done")
	}
	if q := parse("A城十件实事的第三件里哪些要达到100%"); !strings.Contains(q.metric, "十件") {
		t.Errorf("a count in numerals that is no threshold read as digits: metric %q", q.metric)
	}
	if q := parse("A城新增了多少个公办幼儿园学位"); q.counted != "" {
		t.Errorf("places of a kind of school counted as %q, want no kind of school or person", q.counted)
	}
	// The level a change reached is asked, not the change: the 少了 of
	// "降到多少了" is no change word.
	for _, question := range []string{"A城护士离职率降到多少了", "A城护士离职率降到几多了"} {
		if q := parse(question); q.intent.change {
			t.Errorf("%s: read as a change", question)
		}
	}
	if q := parse("A城护士比去年少了多少"); !q.intent.change {
		t.Errorf("a change asked with 少了 not read as one")
	}
	// Money named by its noun is asked in money; time spent (耗时多久)
	// is not.
	if q := parse("A城救护车的采购金额是多少"); q.measure != "元" {
		t.Errorf("采购金额: measure %q, want 元", q.measure)
	}
	if q := parse("A城医院从选址到开工花了多长时间"); q.measure == "元" {
		t.Errorf("time spent read as money")
	}
	// 班 counted by itself is classes (班级), as the documents count them;
	// in a word of its own it stays.
	if q := parse("A城打算新建几个班"); !strings.Contains(q.metric, "班级") {
		t.Errorf("多少个班: metric %q, want 班级", q.metric)
	}
	if q := parse("A城这个班班通覆盖率多少"); strings.Contains(q.metric, "班级") {
		t.Errorf("班班通: metric %q", q.metric)
	}
	// A period's close said in words is its last year; a plan's review
	// speaks of the period before the plan's.
	if q := parse("A城十三五结束的时候护士有几名"); !slices.Contains(q.years, 2020) || strings.Contains(q.metric, "结束") {
		t.Errorf("a period's close: years %v, metric %q", q.years, q.metric)
	}
	if q := parse("A城十四五规划回顾里护士增加了多少名"); q.period.name != "十三五" {
		t.Errorf("a plan's review: period %q, want 十三五", q.period.name)
	}
	// A plan named only as where a base year's figure is read, or as a
	// document of its own, asks no goal; with a later year it does.
	for question, target := range map[string]bool{
		"A城规划表中2019年护士占比几多": false,
		"A城卫生规划是在哪次常务会上审议的": false,
		"A城卫生规划回顾里护士增加了多少名": false,
		"A城卫生规划2030年护士占比多少": true,
		"A城卫生规划中护士要增加到多少名":  true,
	} {
		if q := parse(question); q.target != target {
			t.Errorf("%s: target %v, want %v", question, q.target, target)
		}
	}
	if q := parse("A城护士占比现在有没有到规划讲的百分之六十"); q.docHint != "" || !q.latest || q.intent.kind != askYesNo {
		t.Errorf("a goal from a plan checked now: docHint %q latest %v intent %v, want the result now checked", q.docHint, q.latest, q.intent.kind)
	}
	for _, question := range []string{"A城护士离职率是多少百分比", "A城护士离职率(百分比)为何", "A城合共有几多百分比嘅护士离职"} {
		if q := parse(question); q.measure != "%" || containsAny(q.metric, "百分比", "合共") {
			t.Errorf("%s: measure %q metric %q, want a share asked and no word of it in the metric", question, q.measure, q.metric)
		}
	}
	if q := parse("A城“三个百分比”完成得怎么样"); !strings.Contains(q.metric, "百分比") {
		t.Errorf("a name holding 百分比 lost it: metric %q", q.metric)
	}
	if q := parse("南昌和九江哪个地方的医院床位多点?"); q.intent.kind != askCompare || containsAny(q.metric, "地方", "点") {
		t.Errorf("哪个地方…多点: intent %v metric %q, want a comparison of 医院床位", q.intent.kind, q.metric)
	}
	if q := parse("A城护士占比>60%那个目标 现在达成没"); !strings.Contains(q.norm, "超过60%") || !q.goalCheck {
		t.Errorf("a sign of order and 达成没: norm %q goalCheck %v", q.norm, q.goalCheck)
	}
	if q := parse("A城十四五规划所列的护士人数,与2023年报道所述的人数,分别是多少"); containsAny(q.metric, "报道", "所列", "所述") {
		t.Errorf("words saying where a figure is read are in the metric %q", q.metric)
	}
	if q := parse("A城中职学校新增学位要有多少"); q.counted != "" {
		t.Errorf("places added to a kind of school counted as %q", q.counted)
	}
	if q := parse("A城今年说要办几件要事"); !strings.Contains(q.metric, "要事") {
		t.Errorf("要事 lost its 要: metric %q", q.metric)
	}
	if q := parse("A城医院项目合计多少个"); strings.Contains(q.metric, "合计") {
		t.Errorf("合计 in the metric %q", q.metric)
	}
	if q := parse("A城发了多少补助资金给困难病人"); q.measure != "元" || q.counted != "" {
		t.Errorf("money named after 多少: measure %q counted %q, want 元 and no count", q.measure, q.counted)
	}
	if q := parse("南昌一中新疆班今年招了几个学生"); len(q.unknown) > 0 || !strings.Contains(q.metric, "新疆班") {
		t.Errorf("a class named after a place read as a place: unknown %v metric %q", q.unknown, q.metric)
	}
	if q := parse("A城医学院开了哪几科 课程名称"); containsAny(q.metric, "哪", "名称") {
		t.Errorf("which subjects, their names: metric %q", q.metric)
	}
	if q := parse("A城 三大工程 名称"); !q.list {
		t.Errorf("the names of a set asked with 名称: not a list")
	}
	if q := parse("A城打算培养多少名医生"); strings.Contains(q.metric, "打算") {
		t.Errorf("打算 names no measure: metric %q", q.metric)
	}
	// The whole asked in a follow-up (一共) stays asked.
	if got := rewrite("那现在全市一共有几个护士", "九江医院护士配备率目标是多少", g); !strings.Contains(got, "一共") {
		t.Errorf("一共 lost in a follow-up: %q", got)
	}
	if q := parse("十四五全市培育多少骨干医生"); len(q.unknown) > 0 {
		t.Errorf("a period and 全市 read as a place: %v", q.unknown)
	}
	// A place the documents do not cover, named in the citizen's own
	// context beside the city asked of, is not asked of; one named as a
	// partner in the ask still is.
	if q := parse("南昌医院几点开门?台湾这边八点就开了"); len(q.unknown) > 0 {
		t.Errorf("a place of the citizen's own context read as asked: %v", q.unknown)
	}
	if q := parse("上海金山和九江合作,派了多少医生"); len(q.unknown) == 0 {
		t.Errorf("a partner place not kept")
	}
	if q := parse("A城医院几点开始接诊"); strings.Contains(q.metric, "开始") {
		t.Errorf("开始 in the metric %q", q.metric)
	}
	if q := parse("A城 医院总数"); !q.figure {
		t.Errorf("总数 asks no figure")
	}
	if q := parse("规划要求护士至少培训3000人,现在到了没?"); !q.goalCheck || strings.ContainsAny(q.metric, "0123456789") || strings.Contains(q.metric, "至少") {
		t.Errorf("a goal stated with its bound, checked now: goalCheck %v metric %q", q.goalCheck, q.metric)
	}
	if q := parse("A城要建几所图书馆"); q.stock {
		t.Errorf("要建几所: a stock, want what is to be built")
	}
	q := parse("南昌民办园所占比例实际多少，不要2025年的目标")
	if !q.actual || !q.latest || len(q.years) != 0 {
		t.Errorf("goal refused with its year: actual %v latest %v years %v, want true true []", q.actual, q.latest, q.years)
	}
}

// Follow-ups: alternatives named together are asked each in turn; a noun
// alone keeps the verb and the measure word asked before; a whole question
// after an opener stands as it is.
func TestRewriteFollowUpForms(t *testing.T) {
	_, g := seedEngine(t)
	for _, c := range []struct{ prev, cur, want string }{
		{"南昌小学体质达标率多少", "初中和高中呢", "南昌初中体质达标率是多少，高中体质达标率是多少?"},
		{"九江建了几所乡镇中心园", "那实验幼儿园呢", "九江建了实验幼儿园是多少所?"},
		{"南昌招聘了几名教师", "那巴中去年总共招了几名教师", "巴中去年总共招了几名教师?"},
		// A year asked alone stays one year; a clause asking only for the
		// figure adds nothing.
		{"九江十三五招聘了几名教师", "2020年单年呢", "九江光2020年招聘教师是多少?"},
		{"九江招聘了几名教师", "南昌呢?有无相应数字?", "南昌招聘教师是多少?"},
		// A description asked again is asked of the thing named now; 咁
		// opens a follow-up as 那 does.
		{"南昌「强师」工程是什么", "那「育苗」工程又是什么", "南昌「育苗」工程是什么?"},
		// A place alone to compare with: the figure asked before, compared.
		{"九江救护车有几辆", "跟南昌比呢?", "九江救护车辆和南昌比谁多?"},
		{"2020年九江救护车有几辆", "和巴中市比起来怎么样", "2020年九江救护车辆和巴中市比谁多?"},
		{"南昌「强师」工程係咩", "咁「育苗」工程又係咩", "南昌「育苗」工程是什么?"},
		// A part named by its own noun within the whole asked before is
		// asked within it, not anywhere.
		{"九江救护车有几辆", "这里面新能源车有几辆?", "九江救护车辆中新能源车有几辆?"},
		{"九江救护车有几辆", "那当中新能源车有几辆?", "九江救护车辆中新能源车有几辆?"},
		// A rate of its own kind is named before the rate's word, not
		// before whose rate it is; a plan's word is no kind.
		{"九江护士离职率多少", "主动的呢", "九江护士主动离职率是多少?"},
		// A verb alone asked of another place is asked of the thing
		// asked before.
		{"南昌2020年医联体有几个", "九江那边成立了几个", "九江成立医联体是多少个?"},
		// A kind named alone is joined by 的 to what it is a kind of:
		// the answer must name the kind (query.qualifier).
		{"九江救护车有几辆", "那急救的呢", "九江急救的救护车辆是多少?"},
		{"九江救护车有几辆", "其中急救的喃", "九江急救的救护车辆是多少?"}, // 喃 ends a follow-up in the southwest as 呢 does
		// A verb alone asked of the same place is of what was asked before.
		{"九江救护车目标有几辆", "那九江2024年完成了多少", "九江2024年救护车完成是多少?"},
		// Another owner's kind after a share of one owner's is the same share.
		{"南昌民办幼儿园的孩子占几成", "那公办幼儿园的呢", "南昌公办幼儿园占是多少?"},
		// Two years and a change asked after their figures: the change
		// between them, of what was asked before, as a share when asked so.
		{"南昌2020年护士多少，2030年目标多少", "那从2020到2030要增加多少名?", "南昌2020年到2030年护士要增加多少名?"},
		{"南昌2020年床位多少，2030年目标多少", "那2020到2030要增幅几成", "南昌2020年到2030年床位要增幅多少%?"},
		// A change on the year before asked alone (同比, 升) names nothing:
		// it is of what was asked before.
		{"南昌2020年护士几多", "环比升咗几多", "南昌2020年护士环比升咗几多"},
		// A year typed alone, as notes are, is the follow-up's time.
		{"南昌 2020 救护车 数量?", "2019 呢", "南昌2019年救护车是多少?"},
		// A place compared in a follow-up at a time of its own: the time is
		// that place's only.
		{"九江组建了几个医联体", "那南昌2020年是多少个?哪个多", "九江组建医联体和南昌2020年组建医联体哪个多?"},
		// "比它" points at the figure asked before; the gap asked is kept.
		{"九江组建了几个医联体", "南昌2020年的比它多还是少?差多少", "九江组建医联体和南昌2020年组建医联体哪个多,差多少?"},
		// Other levels named apart by a space, or with a word that names
		// again what was asked, are each asked the same.
		{"南昌小学体质达标率多少", "初中 高中 呢", "南昌初中体质达标率是多少，高中体质达标率是多少?"},
		{"南昌小学体质达标率多少", "初中和高中的比率呢", "南昌初中体质达标率是多少，高中体质达标率是多少?"},
		// A kind named with its own head is asked by itself.
		{"南昌有几所幼儿园", "民办园呢", "南昌民办园是多少?"},
		// Schools asked with no measure word: a kind of them is counted
		// as schools are, never by a share of their pupils.
		{"南昌的幼儿园总数", "示范园呢", "南昌示范园是多少所?"},
		// A share asked before of a thing that names none is a share again.
		{"九江2020年护士里男护士占多少percent", "那2019年呢", "九江2019年护士里男护士占百分之几?"},
		// A remark of the citizen's own after the follow-up asks nothing.
		{"九江救护车有几辆", "那南昌呢 我表哥在南昌开车", "南昌救护车辆是多少?"},
		// The same verb reaching something else is of the same subject.
		{"南昌急救平台要覆盖多少个乡镇", "那覆盖多少所医院?", "南昌急救平台覆盖医院是多少所?"},
	} {
		if got := rewrite(c.cur, c.prev, g); got != c.want {
			t.Errorf("%s → %s: got %q, want %q", c.prev, c.cur, got, c.want)
		}
	}
}

// 几个人 at the end of an ask counts people; 几个人工… counts what follows.
// A change in % does not answer a change asked in 亿.
func TestMeasurePeopleByGeAndChangeUnits(t *testing.T) {
	if m, _, _ := measureAsked("A城教师比去年多了几个人?"); m != "人" {
		t.Errorf("几个人: measure %q, want 人", m)
	}
	if m, _, _ := measureAsked("A城有几个人工湖"); m != "个" {
		t.Errorf("几个人工湖: measure %q, want 个", m)
	}
	checkPairs(t, "changeInMeasure", changeInMeasure, []pairCase{{"%", "亿", false}, {"亿元", "亿", true}, {"%", "", true}, {"人", "人", true}, {"%", "人", false}})
}

// A list asked of things whose count the question already holds is not
// answered by that count again; a time asked is recognised, a comparison
// of years is not one.
func TestCountsOnlyAndWhenAsk(t *testing.T) {
	checkPairs(t, "countsOnly", countsOnly, []pairCase{
		{"那8所示范校都是哪些学校", "评选出8所市级示范校", true},
		{"那8所示范校都是哪些学校", "8所示范校为甲校、乙校、丙校、丁校等", false},
		{"哪所学校拿了3个一等奖", "甲校获3个一等奖", false},
	})
	_, g := seedEngine(t)
	for q, want := range map[string]bool{"A城的食堂改革是哪一年开始的": true, "A城什么时候建成": true, "A城2019年和2021年比哪一年多": false} {
		if got := parseQuery(zh.NormalizeQuestion(q), g).whenAsk; got != want {
			t.Errorf("%s: whenAsk %v, want %v", q, got, want)
		}
	}
}

// Five years asked as a span is read, and neither a fifth grade nor a year
// ending in 5; a question naming no covered place and asking no figure is
// not repaired into one.
func TestFiveYearsAndRepairable(t *testing.T) {
	_, g := seedEngine(t)
	for q, want := range map[string]bool{"A城这五年一共建了几所学校": true, "近5年招了多少教师": true, "五年级有多少学生": false, "2025年的目标": false} {
		if got := parseQuery(zh.NormalizeQuestion(q), g).fiveYears; got != want {
			t.Errorf("%s: fiveYears %v, want %v", q, got, want)
		}
	}
	if repairable(parseQuery(zh.NormalizeQuestion("周末放不放假"), g)) {
		t.Error("a question with no place and no figure asked is repairable")
	}
	if !repairable(parseQuery(zh.NormalizeQuestion("南昌的巩因率"), g)) {
		t.Error("a question naming a covered place is not repairable")
	}
}

// An average asked of things per school names the measure word of the
// things and the verb before it; money stays the default.
func TestAverageEachThings(t *testing.T) {
	for q, want := range map[string]string{"A城平均每所学校修了几间机房": "间", "A城平均每名学生分到多少钱": "钱", "A城平均每人大约是多少元": "元"} {
		m := averageEachRE.FindStringSubmatch(q)
		if m == nil || m[3] != want {
			t.Errorf("%s: %q, want the measure word %q", q, m, want)
		}
	}
}

// A gap is written with the decimals it needs, never rounded away.
func TestExactFigure(t *testing.T) {
	for _, c := range []struct {
		v        float64
		decimals int
		want     string
	}{{4.15, 1, "4.15"}, {0.67, 2, "0.67"}, {4.5, 2, "4.50"}, {0.6700000000000017, 2, "0.67"}, {25.05, 1, "25.05"}} {
		if got := exactFigure(c.v, c.decimals); got != c.want {
			t.Errorf("exactFigure(%v, %d) = %q, want %q", c.v, c.decimals, got, c.want)
		}
	}
}

// A follow-up naming another verb of the thing asked before asks it of that
// verb; a kind (公办的) is no verb.
func TestOtherVerbFollowUp(t *testing.T) {
	_, g := seedEngine(t)
	if got, want := rewrite("撤并的呢", "九江新建了几所中学", g), "九江撤并中学是多少所?"; got != want {
		t.Errorf("rewrite = %q, want %q", got, want)
	}
	if otherVerbOf("公办的有几所") {
		t.Error("公办 read as a verb")
	}
}

// pairCase is a case of a test of a predicate on two strings.
type pairCase struct {
	a, b string
	want bool
}

// checkPairs holds f to each case's want.
func checkPairs(t *testing.T, name string, f func(string, string) bool, cases []pairCase) {
	t.Helper()
	for _, c := range cases {
		if got := f(c.a, c.b); got != c.want {
			t.Errorf("%s(%q, %q) = %v, want %v", name, c.a, c.b, got, c.want)
		}
	}
}

func TestBareYears(t *testing.T) {
	for in, want := range map[string]string{
		"2020某市医院多少":    "2020年某市医院多少",
		"2015到2020床位多了": "2015年到2020年床位多了",
		"床位2020→2025":   "床位2020年到2025年",
		"(2015→2020年)":  "(2015年到2020年)",
		"建了2020所医院":     "建了2020所医院", // a count
		"床位20200张":      "床位20200张",
		"2020年A城":       "2020年A城",
		// A year set against another by 比, before the change asked.
		"2030目标床位比2020多多少": "2030年目标床位比2020年多多少",
		"床位比2020多吗":        "床位比2020多吗", // no other year: a count
		"2030年床位比2020年多多少": "2030年床位比2020年多多少",
	} {
		if got := bareYears(in); got != want {
			t.Errorf("bareYears(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShortYears(t *testing.T) {
	for in, want := range map[string]string{
		"床位15年多少":          "床位2015年多少", // asked of
		"那床位16年呢":          "那床位2016年呢",
		"那床位16年":           "那床位2016年",
		"床位20年底有几张":        "床位2020年底有几张",
		"A城医院用了15年建成":      "A城医院用了15年建成", // a count of years
		"医院建了20年多少人":       "医院建了20年多少人",
		"办了20年的医院":         "办了20年的医院",
		"25年目标床位":          "2025年目标床位",
		"床位从2020年到23年多了几张": "床位从2020年到2023年多了几张", // beside a year in full
		"现在床位多少 23年的":      "现在床位多少 2023年的",
	} {
		if got := shortYears(in); got != want {
			t.Errorf("shortYears(%q) = %q, want %q", in, got, want)
		}
	}
}

// A state asked (什么程度, 么样子) and the words for the whole (整体) name no
// metric; a year named with 要到 asks for what the year is to reach.
func TestStateAskedNamesNoMetric(t *testing.T) {
	g := NewGazetteer(nil)
	for _, tt := range []struct {
		question, metric string
		target           bool
	}{
		{"2030年医疗水平要到什么程度", "医疗水平 水平", true},
		{"2030年医疗水平到时候要到啥程度", "医疗水平到时候 水平", true},
		{"医院整体上要搞成么样子", "医院 成", false},
		{"医疗总体水平什么样子", "医疗 水平", false},
		{"2020年医疗水平到了什么程度", "医疗水平 水平", false}, // reached: 了
		{"医院都要联合些什么", "医院 联合", false},
	} {
		q := parseQuery(zh.NormalizeQuestion(tt.question), g)
		if strings.Join(strings.Fields(q.metric), " ") != tt.metric || q.target != tt.target {
			t.Errorf("parseQuery(%q): metric %q target %v, want %q %v", tt.question, q.metric, q.target, tt.metric, tt.target)
		}
	}
}

// The bigram joining two words of a metric weighs nothing when no passage
// found holds it but one holds the two words with a word between them; it
// keeps its weight when a passage holds it, or when the two words stand in
// different clauses.
func TestUnheldJoins(t *testing.T) {
	results := func(texts ...string) []Result {
		var rs []Result
		for _, s := range texts {
			rs = append(rs, Result{Chunk: Chunk{Units: []Unit{{Text: s}}}})
		}
		return rs
	}
	terms := metricTerms("医疗水平") // 医疗 疗水 水平
	for _, tt := range []struct {
		texts []string
		want  float64 // the weight of 疗水 after
	}{
		{[]string{"全市医疗服务水平达到全省前列"}, 0},
		{[]string{"全市医疗服务水平达到全省前列", "医疗水平大幅提升"}, 1},
		{[]string{"医疗机构增加,管理水平提高"}, 1},
		{[]string{"医疗服务的综合管理水平提高"}, 1}, // too far apart
	} {
		weights := []float64{1, 1, 1}
		unheldJoins(terms, weights, results(tt.texts...), false)
		if weights[1] != tt.want {
			t.Errorf("unheldJoins over %q: weight of %s = %v, want %v", tt.texts, terms[1], weights[1], tt.want)
		}
	}
	// A figure asked: a passage holding the joined form without a figure
	// cannot answer, and sets no other passage apart.
	weights := []float64{1, 1, 1}
	unheldJoins(terms, weights, results("全市医疗服务水平达到95%", "开展医疗水平评估、建立档案,力争达标率95%"), true)
	if weights[1] != 0 {
		t.Errorf("a passage without a figure kept the join's weight: %v", weights[1])
	}
}

// A time counted back from the year the question names is that year less
// the count: "2020年比5年前" compares 2020 with 2015.
func TestYearsBack(t *testing.T) {
	for in, want := range map[string]string{
		"A城床位2020年比5年前多了多少":   "A城床位2020年比2015年多了多少",
		"A城床位2020年跟五年前比涨了多少":  "A城床位2020年跟2015年比涨了多少",
		"A城床位2020年比两年以前多了多少":  "A城床位2020年比2018年多了多少",
		"A城床位比5年前多了多少":        "A城床位比5年前多了多少",        // no year to count from
		"2015年到2020年床位比5年前多少": "2015年到2020年床位比5年前多少", // two years: which one is unsaid
	} {
		if got := yearsBack(in); got != want {
			t.Errorf("yearsBack(%q) = %q, want %q", in, got, want)
		}
	}
}

// A figure the citizen tells of the past is taken out when the last clause
// asks for the figure now; a bar to check against stays.
func TestDropPastFigures(t *testing.T) {
	for in, want := range map[string]string{
		"A城三甲医院,2020年才4所,现在有几所": "A城三甲医院，现在有几所",
		"A城三甲医院,才4所,如今有几家了":     "A城三甲医院，如今有几家了",
		"A城床位,规划要超过5000张,现在有多少": "A城床位,规划要超过5000张,现在有多少",
		"A城2020年有4所医院,2021年有几所": "A城2020年有4所医院,2021年有几所", // no "now" asked
		"A城医院有几所,现在床位多少":        "A城医院有几所,现在床位多少",        // two asks
	} {
		if got := dropPastFigures(in); got != want {
			t.Errorf("dropPastFigures(%q) = %q, want %q", in, got, want)
		}
	}
}

// 数据 asked of a figure names no metric; the data of a thing, counted by
// what is done to it, is the metric.
func TestDataWord(t *testing.T) {
	g := NewGazetteer(nil)
	for question, want := range map[string]bool{
		"医院床位数据是多少":  false,
		"床位的数据":      false,
		"病历数据录了几回":   true,
		"病历数据一共录了几回": true,
	} {
		q := parseQuery(zh.NormalizeQuestion(question), g)
		if got := strings.Contains(q.metric, "数据"); got != want {
			t.Errorf("parseQuery(%q).metric = %q: holds 数据 %v, want %v", question, q.metric, got, want)
		}
	}
}

// A span of years asked with 几 (这几年) is taken out whole, not its 几
// first; 有冇得 asks yes or no.
func TestFewYearsAndYesNoForms(t *testing.T) {
	g := NewGazetteer(nil)
	q := parseQuery(zh.NormalizeQuestion("这几年 新增床位多少张"), g)
	if strings.Contains(q.metric, "这") || strings.Contains(q.metric, "年") {
		t.Errorf("metric %q holds what is left of 这几年", q.metric)
	}
	q = parseQuery(zh.NormalizeQuestion("A城五年引进医生有冇得一万人"), g)
	if q.intent.kind != askYesNo {
		t.Errorf("有冇得一万人: intent %v, want a yes or no", q.intent.kind)
	}
}

// An opening clause in which the citizen speaks of themselves, ended by a
// colon, is taken out; its places, periods and years stay for the ask.
func TestDropPreamble(t *testing.T) {
	_, g := seedEngine(t)
	for in, want := range map[string]string{
		"我在写论文要用南昌2020年的数:床位有多少?": "南昌2020年床位有多少?",
		"我在写“十四五”九江的报告:哪些医院新建了?":  "九江“十四五”哪些医院新建了?",
		"我想问:南昌床位多少":              "南昌床位多少",        // no places of its own
		"我家娃在A城读书:能转学吗":           "我家娃在A城读书:能转学吗", // their own case
		"我问你南昌床位是多少:还是说不知道":       "我问你南昌床位是多少:还是说不知道",
	} {
		if got := dropPreamble(in, g); got != want {
			t.Errorf("dropPreamble(%q) = %q, want %q", in, got, want)
		}
	}
}

// A follow-up of two whole asks, each naming its own thing, follows up in
// each ask: both take the place and time asked before.
func TestFollowUpOfTwoAsks(t *testing.T) {
	_, g := seedEngine(t)
	got := rewrite("床位有多少张？医生有多少名？", "2020年九江医院有多少所", g)
	parts := strings.Split(strings.TrimSuffix(got, "?"), "，")
	if len(parts) != 2 {
		t.Fatalf("rewrite gave %q, want two asks", got)
	}
	for i, want := range []string{"床位", "医生"} {
		if !strings.Contains(parts[i], "九江") || !strings.Contains(parts[i], "2020年") || !strings.Contains(parts[i], want) {
			t.Errorf("ask %d of %q: want 九江, 2020年 and %s", i, got, want)
		}
	}
	// A time asked of the thing before is no ask of its own.
	if got := rewrite("那2015年呢？涨了多少？", "2020年九江医院有多少所", g); strings.Count(got, "九江") > 1 {
		t.Errorf("rewrite split a time asked of the thing before: %q", got)
	}
}

// Money asked in a follow-up of a count stays money: the rewritten question
// asks 多少钱, never the count asked before.
func TestFollowUpMoneyAfterCount(t *testing.T) {
	_, g := seedEngine(t)
	if got := rewrite("一台得花多少钱", "九江救护车配了多少辆", g); !strings.HasSuffix(got, "多少钱?") {
		t.Errorf("rewrite gave %q, want money asked", got)
	}
}

// A bar checked with no word that asks for a figure ("超过3万没") still
// asks for one: a sentence with no figure does not answer it.
func TestBarAsksForFigure(t *testing.T) {
	g := NewGazetteer(nil)
	q := parseQuery(zh.NormalizeQuestion("医院收治病人超过3万没"), g)
	if q.intent.kind != askYesNo || !q.figure {
		t.Errorf("intent %v, figure %v: want a yes or no on a figure", q.intent.kind, q.figure)
	}
}

// What follows a place's name: a two-digit year is a date ("南昌23年"); 县域,
// 县区 or 区域 names the city, while 县 alone names the county after it.
func TestWhatFollowsAPlace(t *testing.T) {
	_, g := seedEngine(t)
	for _, tt := range []struct {
		question, subPlace string
		years              []int
	}{
		{"南昌23年医院有几所", "", []int{2023}},
		{"九江市15年的床位多少", "", []int{2015}},
		{"南昌建校23年的医院几所", "", nil}, // a count of years
		{"南昌县域医院有几所", "", nil},
		{"南昌县区医院有几所", "", nil},
		{"南昌区域内医院有几所", "", nil},
		{"南昌县医院有几所", "南昌县", nil},
	} {
		q := parseQuery(zh.NormalizeQuestion(tt.question), g)
		if q.subPlace != tt.subPlace || !slices.Equal(q.years, tt.years) {
			t.Errorf("parseQuery(%q): subPlace %q, years %v; want %q, %v", tt.question, q.subPlace, q.years, tt.subPlace, tt.years)
		}
	}
}

// A verb of one character run onto the noun it builds is cut off; a noun
// that only ends like one is left whole.
func TestUnglueVerb(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"村级 幼儿园建", "村级 幼儿园 建"}, {"卫生院扩", "卫生院 扩"}, {"体育馆配", "体育馆 配"},
		{"幼儿园", "幼儿园"}, {"新建", "新建"}, {"学校招生", "学校招生"}, {"", ""},
	} {
		if got := unglueVerb(c.in); got != c.want {
			t.Errorf("unglueVerb(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// 好 before a size at a question's end asks how much, as 多 does: the
// words are no part of the metric.
func TestDialectHowAsksAFigure(t *testing.T) {
	_, g := seedEngine(t)
	for _, question := range []string{"A城护士离职率有好高?", "A城医院面积有好大啊"} {
		q := parseQuery(zh.NormalizeQuestion(question), g)
		if !q.figure || strings.Contains(q.metric, "好") {
			t.Errorf("%s: figure %v, metric %q", question, q.figure, q.metric)
		}
	}
}

// "几年内", "几年时间" ask how long, and are no words of the metric; nor is
// "全部" said of those the measure reaches.
func TestYearsWithinAsksADuration(t *testing.T) {
	_, g := seedEngine(t)
	for _, question := range []string{"A城要在几年内把护士全部轮训一遍", "A城打算用几年时间建成社区医院"} {
		q := parseQuery(zh.NormalizeQuestion(question), g)
		if !q.duration || containsAny(q.metric, "年内", "年时间", "全部") {
			t.Errorf("%s: duration %v, metric %q", question, q.duration, q.metric)
		}
	}
	// A goal's figure said in the ask of a time is no threshold checked;
	// the time is read from the clause before the goal's.
	q := parseQuery(zh.NormalizeQuestion("A城用几年时间把护士本科比例提到80%以上"), g)
	if q.intent.kind == askYesNo {
		t.Errorf("a goal's figure in a duration ask read as a threshold: %+v", q.intent)
	}
	if got := durationBefore("今后用2-3年时间,将本科护士比例提高到80%以上", "将本科护士比例提高到80%以上"); got != "今后用2-3年时间,将本科护士比例提高到80%以上" {
		t.Errorf("durationBefore = %q", got)
	}
	if got := durationBefore("今后,将本科护士比例提高到80%以上", "将本科护士比例提高到80%以上"); got != "" {
		t.Errorf("durationBefore with no time = %q, want \"\"", got)
	}
}

// "要满足什么条件" asks what a passage sets as conditions, "达到什么位置" the
// level it aims at; the passage need not say 条件 or 位置.
func TestConditionsAskedAreNoMetric(t *testing.T) {
	_, g := seedEngine(t)
	for _, question := range []string{"外地护士想调到九江,要满足什么条件?", "九江护士调入需要啥条件", "九江医疗水平要达到全省什么位置"} {
		if q := parseQuery(zh.NormalizeQuestion(question), g); containsAny(q.metric, "条件", "位置") {
			t.Errorf("%s: metric %q", question, q.metric)
		}
	}
}

// "占一半以上了吗" checks a share against 50%, and "有好多了?" ending a
// question asks how much, as "有多少" does.
func TestHalfAndHowFarAsked(t *testing.T) {
	_, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("A城公立医院的床位占一半以上了吗?"), g)
	if q.intent.kind != askYesNo || !strings.Contains(q.norm, "50%") || q.measure != "%" {
		t.Errorf("half: intent %v, norm %q, measure %q", q.intent.kind, q.norm, q.measure)
	}
	q = parseQuery(zh.NormalizeQuestion("A城护士占比有好多了?"), g)
	if !q.figure || strings.Contains(q.metric, "好") || strings.Contains(q.metric, "多") {
		t.Errorf("how far: figure %v, metric %q", q.figure, q.metric)
	}
}

// The verb of saying that opens what is asked ("A城说医疗实现了…") is no
// part of the metric; words that only start with 说 (说明) stay.
func TestDropSaying(t *testing.T) {
	for in, want := range map[string]string{"说医疗实现 转变": "医疗实现 转变", "讲新增 床位": "新增 床位", "说明会 场次": "说明会 场次", "说": "说"} {
		if got := dropSaying(in); got != want {
			t.Errorf("dropSaying(%q) = %q, want %q", in, got, want)
		}
	}
}

// "七百个亿" is 七百亿 as "6个多亿" is 6亿多; "破一万" asks past a threshold.
func TestLooseScaleAndBreakThrough(t *testing.T) {
	e, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("A城医疗经费超过七百个亿了没"), g)
	if q.intent.kind != askYesNo || strings.Contains(q.metric, "亿") || q.measure == "个" {
		t.Errorf("七百个亿: intent %v, metric %q, measure %q", q.intent.kind, q.metric, q.measure)
	}
	q = parseQuery(zh.NormalizeQuestion("A城护士有没有破一万"), g)
	if q.intent.kind != askYesNo || strings.Contains(q.metric, "破") {
		t.Errorf("破一万: intent %v, metric %q", q.intent.kind, q.metric)
	}
	q = parseQuery(zh.NormalizeQuestion("A城护士离职率现在在8%以内吗"), g)
	if q.intent.kind != askYesNo || q.intent.op != "<=" || q.intent.threshold.Value != 8 {
		t.Errorf("在8%%以内: intent %+v", q.intent)
	}
	q = parseQuery(zh.NormalizeQuestion("A城护士有没有过万"), g)
	if q.intent.kind != askYesNo || q.intent.threshold.Value != 1 || q.intent.threshold.Unit != "万" || strings.Contains(q.metric, "万") {
		t.Errorf("过万: intent %+v, metric %q", q.intent, q.metric)
	}
	// A count of people past 万 is checked against their count.
	if a := askSeeds(t, e, "九江这几年引进的老师数量过万了吗"); !strings.HasPrefix(a.Answer, "否") {
		t.Errorf("a count of teachers against 万: %q", a.Answer)
	}
}

// "5年" with a digit is five years, as 五年: a span, no word of the metric;
// 2025年, 5年级 and 5年前 stay what they are.
func TestFiveYearsWithADigit(t *testing.T) {
	_, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("A城5年引进了多少医生"), g)
	if !q.fiveYears || strings.Contains(q.metric, "年") {
		t.Errorf("5年: fiveYears %v, metric %q", q.fiveYears, q.metric)
	}
	for _, s := range []string{"A城2025年医生多少", "A城5年级学生多少"} {
		if got := fiveDigitYearsRE.ReplaceAllString(s, "${1}五年${2}"); got != s {
			t.Errorf("%s became %s", s, got)
		}
	}
}

// "到2023年…获评" asks what stands by then, not a goal; "到2025年要达到"
// is a goal still.
func TestByYearDoneIsNoGoal(t *testing.T) {
	_, g := seedEngine(t)
	if q := parseQuery(zh.NormalizeQuestion("到2023年A城有多少所医院获评三甲"), g); q.target {
		t.Error("获评 by a year was read as a goal")
	}
	if q := parseQuery(zh.NormalizeQuestion("到2025年A城医院要达到多少所"), g); !q.target {
		t.Error("要达到 by a year was not read as a goal")
	}
}

// Sentences in which the citizen speaks of themselves or thanks, asking
// nothing, are taken out of a question of several sentences; a sentence that
// asks, or names a place, a year or a period, stays.
func TestDropSelfTalk(t *testing.T) {
	_, g := seedEngine(t)
	for in, want := range map[string]string{
		"A城医院床位有多少张?老朽早年在那里住过院,故而挂念。":        "A城医院床位有多少张?",
		"鄙人久居海外。据闻A城新建了一批医院,共有几所?烦请告知,不胜感激。": "据闻A城新建了一批医院,共有几所?",
		"护士有多少?我是说南昌的。":                      "护士有多少?我是说南昌的。",      // names the place asked of
		"床位是免费的吗?会不会请外面的人来管":                 "床位是免费的吗?会不会请外面的人来管", // the second asks too
		"我前几年去过。床位有几张?":                      "床位有几张?",
		"我去过那家医院。":                           "我去过那家医院。",      // nothing asks: left as it is
		"A城医院有几张床位,我外婆那几年住过那里":               "A城医院有几张床位",     // a clause after the ask, of themselves
		"我家在南昌,医院有几张床位":                      "我家在南昌,医院有几张床位", // their own place: the place asked
		"我们在整理各地的资料,请问A城医院有几张床位":             "请问A城医院有几张床位",
	} {
		if got := dropSelfTalk(in, g); got != want {
			t.Errorf("dropSelfTalk(%q) = %q, want %q", in, got, want)
		}
	}
}

// The written language's 若干 ending a question asks how many, and 增至 asks
// the level reached, as 增加到 does.
func TestWrittenAsks(t *testing.T) {
	_, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("A城医院共有若干所?"), g)
	if q.measure != "所" {
		t.Errorf("若干所: measure %q, want 所", q.measure)
	}
	q = parseQuery(zh.NormalizeQuestion("南昌床位增至多少张"), g)
	if strings.Contains(q.metric, "增至") || strings.Contains(q.metric, "至") {
		t.Errorf("增至多少: metric %q still holds the verb of the level", q.metric)
	}
}

// A table named in the clause before the ask narrows the ask, and a year
// opening the ask stays a year: "表1里，2015年…" is no table "表12015".
func TestAskClauseKeepsYearAfterTable(t *testing.T) {
	_, g := seedEngine(t)
	aq, ok := askClause(parseQuery(zh.NormalizeQuestion("表1里，2015年南昌床位是多少？"), g), g)
	if !ok {
		t.Fatal("no ask clause found")
	}
	if !slices.Equal(aq.years, []int{2015}) || aq.table != "表1" {
		t.Errorf("ask clause: years %v, table %q; want [2015] and 表1", aq.years, aq.table)
	}
}

// Taiwan's words for a growth (成长) and for schools together (国中小), and
// schools counted with 间 after their noun, are read as the documents say.
func TestTaiwanAndCantoneseCounts(t *testing.T) {
	_, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("A城医院床位成长多少%?"), g)
	if !strings.Contains(q.metric, "增长") {
		t.Errorf("成长多少: metric %q, want 增长", q.metric)
	}
	q = parseQuery(zh.NormalizeQuestion("A城健康成长的学生有多少?"), g)
	if strings.Contains(q.metric, "增长") {
		t.Errorf("健康成长: metric %q holds a growth", q.metric)
	}
	q = parseQuery(zh.NormalizeQuestion("A城国中小老师有多少?"), g)
	if !strings.Contains(q.metric, "中小学") {
		t.Errorf("国中小: metric %q, want 中小学", q.metric)
	}
	q = parseQuery(zh.NormalizeQuestion("A城示范校有几间?"), g)
	if q.measure != "所" {
		t.Errorf("示范校有几间: measure %q, want 所", q.measure)
	}
}

// An explanation in brackets of the word before it is no part of the
// measure; another name of the word, or a qualifier, is.
func TestExplainedAside(t *testing.T) {
	for in, want := range map[string]string{
		"医患比（医生人数跟病人人数的比例）是多少": "医患比是多少",
		"护理院(含康复院)有几所":         "护理院(含康复院)有几所",
		"专科(中等专科医院)有几所":        "专科(中等专科医院)有几所",
	} {
		if got := explainedRE.ReplaceAllStringFunc(in, explained); got != want {
			t.Errorf("explained(%q) = %q, want %q", in, got, want)
		}
	}
}

// 好多 and a measure word ending a clause asks how many beside another
// ask with 多少; "公益性的医院" is the adjective joined to its noun.
func TestDialectCountBesideAsk(t *testing.T) {
	_, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("A城医院建了好多所?加了多少床位"), g)
	if !strings.Contains(q.norm, "多少所") {
		t.Errorf("好多所 beside 多少: norm %q, want 多少所", q.norm)
	}
	q = parseQuery(zh.NormalizeQuestion("A城公益性的医院有几所"), g)
	if !strings.Contains(q.norm, "公益性医院") {
		t.Errorf("公益性的医院: norm %q, want 公益性医院", q.norm)
	}
}

// 第几届 asks which of a series: the word of the series is kept apart and
// the metric holds neither 第 nor 届; a clause naming 第八届 answers, one
// counting how many (八届) does not.
func TestOrdinalAsked(t *testing.T) {
	_, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("A城医院运动会是第几届?"), g)
	if q.ordinal != "届" || strings.Contains(q.metric, "第") || strings.Contains(q.metric, "届") || q.figure {
		t.Errorf("第几届: ordinal %q, metric %q, figure %v; want 届, no 第 or 届, no figure", q.ordinal, q.metric, q.figure)
	}
	for span, want := range map[string]bool{"举办第八届医院运动会": true, "举办第 3 次会议": false, "已举办八届": false} {
		got := slices.ContainsFunc(seriesRE.FindAllStringSubmatch(span, -1), func(m []string) bool { return m[1] == "届" })
		if got != want {
			t.Errorf("%q names 第…届: %v, want %v", span, got, want)
		}
	}
}

// A share between 有 and 没有 is a threshold asked ("有90%没有"); a verb of
// spending after a noun of money adds nothing to what is asked.
func TestShareHaveNotAndSpentMoney(t *testing.T) {
	_, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("A城医院床位使用率有90%没有"), g)
	if q.intent.kind != askYesNo || q.intent.threshold.Value != 90 {
		t.Errorf("有90%%没有: intent %+v, want a yes or no against 90%%", q.intent)
	}
	q = parseQuery(zh.NormalizeQuestion("A城医院建设投资估算要花多少钱"), g)
	if strings.Contains(q.asked, "花") || q.measure != "元" {
		t.Errorf("投资估算要花多少钱: asked %q, measure %q; want no 花, money", q.asked, q.measure)
	}
}

// A preamble that asks a favour ends at its colon; a document pointed at
// (那篇, 报导, 后来…又讲) names no metric; "我市" is a place, not the citizen.
func TestRequestsAndDocumentsPointedAt(t *testing.T) {
	_, g := seedEngine(t)
	q := parseQuery(zh.NormalizeQuestion("为写材料，请帮忙查：南昌医院床位有多少?"), g)
	if strings.Contains(q.metric, "材料") || strings.Contains(q.metric, "帮忙") || len(q.scope.Cities) != 1 {
		t.Errorf("request before a colon: metric %q, scope %v", q.metric, q.scope)
	}
	for _, in := range []string{"南昌床位后来2023年那篇报导里头又讲是多少", "南昌床位23年那篇写的是多少"} {
		q = parseQuery(zh.NormalizeQuestion(in), g)
		if containsAny(q.metric, "篇", "报道", "报导", "后来", "讲") {
			t.Errorf("%s: metric %q holds the document pointed at", in, q.metric)
		}
	}
	if got := dropSelfTalk("请问我市医院改革,是在哪几个县区试点的?", g); got != "请问我市医院改革,是在哪几个县区试点的?" {
		t.Errorf("我市 taken for the citizen: %q", got)
	}
}
