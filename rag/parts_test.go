package rag

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFigureItems(t *testing.T) {
	for _, c := range []struct {
		clause string
		want   []string
	}{
		{"覆盖3个县(区)12所医院", []string{"覆盖3个县(区)", "覆盖12所医院"}},
		{"新增床位200张、护士40名", []string{"新增床位200张", "护士40名"}},
		{"开放全部病房", []string{"开放全部病房"}},
	} {
		if diff := cmp.Diff(c.want, figureItems(c.clause)); diff != "" {
			t.Errorf("figureItems(%q) (-want +got):\n%s", c.clause, diff)
		}
	}
}

func TestSharedLead(t *testing.T) {
	norm := "A城医院有几家?覆盖几个县、多少个乡镇?"
	if got := sharedLead(norm, "覆盖几个县", "多少个乡镇?"); got != "覆盖多少个乡镇?" {
		t.Errorf("a listed ask did not take the verb of the ask before it: %q", got)
	}
	// Asks not listed with 、, or naming their own words, stay as they are.
	for _, c := range [][2]string{{"A城医院有几家", "覆盖几个县"}, {"覆盖几个县", "多少个乡镇?"}} {
		if got := sharedLead("A城医院有几家,覆盖几个县;多少个乡镇?", c[0], c[1]); got != c[1] {
			t.Errorf("sharedLead(%q, %q) = %q", c[0], c[1], got)
		}
	}
}

// Coordinated figures of one clause, written with no mark between them,
// answer the asks after the first one by one.
func TestListedAsksFromOneClause(t *testing.T) {
	e, _ := seedEngine(t)
	a := askSeeds(t, e, "南昌教育集团有几个了？这些集团覆盖多少所学校？")
	for _, w := range []string{"40个", "108所学校"} {
		if !strings.Contains(a.Answer, w) {
			t.Errorf("%q missing from\n%s", w, a.Answer)
		}
	}
	if strings.Contains(a.Answer, "资料中没有") {
		t.Errorf("an ask was left unanswered:\n%s", a.Answer)
	}
}

func TestHeadsWithin(t *testing.T) {
	checkPairs(t, "headsWithin", headsWithin, []pairCase{
		{"床位 占比", "床位 病房占比", true}, // the share asked before, named by its head
		{"护理", "护理费 下", false},     // a word opening another is another thing
		{"床位 那", "病房 床位", true},    // a particle left over names nothing
		{"门诊", "病房 床位", false},
		{"", "病房 床位", false},
	})
}

// A follow-up naming a thing of its own is asked of it, never answered
// with the figure of what was asked before; a time counted back from a
// moment not given is not guessed.
func TestFollowUpOwnThingOrNone(t *testing.T) {
	e, _ := seedEngine(t)
	for _, c := range []struct {
		history, question string
		answered          bool
		want, not         string
	}{
		{"南昌十三五学生资助一共多少钱", "助学贷款那部分呢", true, "1.08亿元", "6.09"},
		{"南昌2020年义务教育巩固率", "那高中阶段的呢", false, "", "97.01"},
		{"南昌普惠性幼儿园在园幼儿占比现在多少", "七年前呢", false, "七年前", "2016"},
		{"南昌普惠性幼儿园在园幼儿占比现在多少", "那个比例是哪年的数", true, "93.09%", "55%"},
		{"南昌2025年特殊教育在校生目标", "那到时候实际做到了多少", false, "", "2600"},
		// A kind of what was asked is answered by a sentence naming the
		// kind, never by the count of them all.
		{"九江组建的名师工作室总共多少个", "思政类的呢", true, "28个", "205"},
		// Other ranks of what was asked (全国 is a rank as 国家级 is).
		{"南昌全国文明校园多少所", "市级和省级文明校园又有多少", true, "220所", "none"},
		// Whom a thing asked before reached is asked of it, though no
		// place was named.
		{"家校公交专线一共开了几条", "服务的学生有几个", true, "1.1万", "113.9"},
	} {
		a, err := e.Ask(t.Context(), Request{Question: c.question, History: turnsOf(c.history)})
		if err != nil {
			t.Fatal(err)
		}
		if a.Answered != c.answered || !strings.Contains(a.Answer, c.want) || strings.Contains(a.Answer, c.not) {
			t.Errorf("%s → %s: answered %v (want %v), want %q and not %q in\n%s", c.history, c.question, a.Answered, c.answered, c.want, c.not, a.Answer)
		}
	}
}

// A year's own figure is asked with 一年 or 每年 and no year named: a
// period's total is no answer, but offered; a sentence saying 每年
// answers.
func TestAnyYearIsNoPeriodTotal(t *testing.T) {
	e, _ := seedEngine(t)
	for _, c := range []struct {
		question string
		answered bool
		want     string
	}{
		{"九江一年能新增几个学位", false, "单独一年"},
		{"南昌每年培养的中高级技能人才有多少", true, "10万"},
	} {
		a := askSeeds(t, e, c.question)
		if a.Answered != c.answered || !strings.Contains(a.Answer, c.want) {
			t.Errorf("%s: answered %v, want %v with %q:\n%s", c.question, a.Answered, c.answered, c.want, a.Answer)
		}
	}
}

func TestCountsNounBefore(t *testing.T) {
	for _, c := range []struct {
		span string
		want bool
	}{
		{"组建医疗集团30个", true},
		{"组建医疗集团30个,覆盖医院80所", false}, // a count of the kind asked is there
		{"开办3个分院", false},            // the noun after the figure says what it counts
		{"建成学校12个", false},           // 个 after a school
	} {
		if got := countsNounBefore("school", c.span); got != c.want {
			t.Errorf("countsNounBefore(school, %q) = %v, want %v", c.span, got, c.want)
		}
	}
}

func TestItemHeading(t *testing.T) {
	for s, want := range map[string]bool{
		"10.优化病房管理机制。":        true,
		"（三）推进医联体建设":          true,
		"三、全面加强护理队伍":          true,
		"10.新增床位200张。":        false, // a figure: a result, not a title
		"3.加强护理,提升服务质量,扩大覆盖。": false, // a sentence of clauses
	} {
		if got := itemHeadingRE.MatchString(s) && !hasFigure(s); got != want {
			t.Errorf("item heading %q: %v, want %v", s, got, want)
		}
	}
}

func TestPersonalAsk(t *testing.T) {
	for q, want := range map[string]bool{
		"A城哪家医院最好":                 true,
		"我儿子户口在B城，能转到A城读吗":         true,
		"我家孩子在A城一中读高一，能不能进那个竞赛培优班": true,
		"A城想买学区房":                  true,
		"A城哪些医院是新建的":               false,
		"A城的病历能互转吗":                false, // no one's own case
		"我孩子在A城，A城有几家医院":           false,
	} {
		if got := personalAsk(q); got != want {
			t.Errorf("personalAsk(%q) = %v, want %v", q, got, want)
		}
	}
}

// A county named by a question of several asks scopes every ask: a passage
// about the whole city the county is named after answers none of them.
func TestCountyScopesEveryAsk(t *testing.T) {
	e, _ := seedEngine(t)
	a := askSeeds(t, e, "南昌县义务教育巩固率多少,有没有达到全市平均水平")
	if a.Answered {
		t.Errorf("a county the documents give no figure of was answered from the city's passages: %s", a.Answer)
	}
	if !strings.Contains(a.Answer, "南昌县") {
		t.Errorf("the refusal does not name the county asked: %s", a.Answer)
	}
}

// Two measures of one place compared by the verb they are asked with
// ("哪块投得多": 投入), after a scene, in any word for which: each side is
// answered, and which is more said when the figures allow.
func TestTwoMeasuresComparedByTheirVerb(t *testing.T) {
	e, _ := seedEngine(t)
	for _, tt := range []struct{ question, want, verdict string }{
		{"南昌十三五传统装备跟信息化装备哪块投得多", "2.78", ""},
		{"想问一下,九江中小学名师工作室和思政名师工作室哪种多", "205", "中小学名师工作室（205个）多于思政名师工作室（28个）"},
	} {
		a := askSeeds(t, e, tt.question)
		if !a.Answered || !strings.Contains(a.Answer, tt.want) || !strings.Contains(a.Answer, tt.verdict) {
			t.Errorf("%s: %s", tt.question, a.Answer)
		}
	}
}

// A scene the pair is of ("在…大赛里,") stays with both sides; equal
// figures are said to be equal.
func TestTwoMeasuresOfASceneAndEqual(t *testing.T) {
	e, _ := seedEngine(t)
	a := askSeeds(t, e, "在全省第三十五届青少年科技创新大赛里,南昌一等奖和二等奖哪个多?")
	if !strings.Contains(a.Answer, "两者一样多，都是22个") {
		t.Errorf("the equal counts of one contest were not compared: %s", a.Answer)
	}
}

// An ask of a verb alone ("招了多少") after a clause naming what it counts
// is no question of its own: the whole is answered or refused, never the
// count of all teachers hired. A figure an earlier ask showed is not
// shown again for an ask listed inside it.
func TestBareVerbAskKeepsWhatTheSceneNames(t *testing.T) {
	e, _ := seedEngine(t)
	a := askSeeds(t, e, "农村缺的音体美、信息技术这类老师,南昌2020年招了多少")
	if strings.Contains(a.Answer, "1672") || strings.Contains(a.Answer, "1128") {
		t.Errorf("the count of all teachers hired answered a count of some: %s", a.Answer)
	}
	a = askSeeds(t, e, "南昌2020年招聘的农村音体美、心理、信息技术这些科目的老师有多少")
	if strings.Count(a.Answer, "125人") != 1 {
		t.Errorf("the figure is not shown once: %s", a.Answer)
	}
}

// A period's end asked of a place whose document reviews the whole period
// ("九江十四五末") is answered by its figures of the period, labelled so.
func TestPeriodEndComparedAsThePeriod(t *testing.T) {
	e, _ := seedEngine(t)
	// A figure the citizen states of one side, and 高些, name no measure.
	for _, question := range []string{"南昌巩固率2025年目标是97.68%,和巴中的目标比哪个高些", "巴中巩固率目标跟南昌十四五的目标哪个低些"} {
		if a := askSeeds(t, e, question); !a.Answered || !strings.Contains(a.Answer, "98%") || !strings.Contains(a.Answer, "97.68%") || !strings.Contains(a.Answer, "比较") {
			t.Errorf("%s: %s", question, a.Answer)
		}
	}
	for _, question := range []string{"九江十四五末的学前三年毛入园率跟南昌2023年比谁高", "毛入园率方面,九江十四五期末跟南昌2023年的各是多少?哪边高"} {
		a := askSeeds(t, e, question)
		if !a.Answered || !strings.Contains(a.Answer, "98.6%") || !strings.Contains(a.Answer, "98.83%") || !strings.Contains(a.Answer, "“十四五”时期") {
			t.Errorf("%s: %s", question, a.Answer)
		}
	}
}

// A remark of the citizen's own after the asks asks nothing: it is no
// part of the last ask.
func TestRemarkAfterTheAsks(t *testing.T) {
	parts := splitParts("A城2020年招了多少护士,其中乡村的有多少,我外甥女今年想考")
	if len(parts) != 2 || strings.Contains(parts[1], "外甥女") {
		t.Errorf("splitParts = %q", parts)
	}
}

// Clauses that ask nothing are dropped: the citizen's own remarks after
// the last ask, and a first clause that only says who the citizen is. A
// question ending on an ask, a remark with no ask before it, a first
// clause naming a place, and a lone clause stay ("").
func TestDropClausesThatAskNothing(t *testing.T) {
	_, g := seedEngine(t)
	identity := func(s string) (string, bool) { return dropIdentity(s, g) }
	for _, tt := range []struct {
		drop     func(string) (string, bool)
		in, want string
	}{
		{dropRemark, "A城和B城哪里的床位多一点,我女儿讲B城的多我不信", "A城和B城哪里的床位多一点"},
		{dropRemark, "A城床位多少,我想知道", "A城床位多少"},
		{dropRemark, "我女儿讲B城的多,A城床位多少", ""},
		{dropRemark, "我想知道", ""},
		{identity, "开诊所的,听说A城在医疗上投了不少钱,一共多少", "听说A城在医疗上投了不少钱,一共多少"},
		{identity, "我是当护士的,A城护士多少", "A城护士多少"},
		{identity, "南昌的,巩固率多少", ""},
		{identity, "开诊所的", ""},
	} {
		if got, ok := tt.drop(tt.in); ok && got != tt.want || !ok && tt.want != "" {
			t.Errorf("%q: got %q (%v), want %q", tt.in, got, ok, tt.want)
		}
	}
}

// Levels listed with 分别 share what the last names after its level
// ("小学和初中体育课时分别…": 体育课时 of each), and a figure is shown
// again only when stated whole (5% is not in 2.5%).
func TestLevelsShareTheLastsHead(t *testing.T) {
	parts := splitEach("A城小学和初中体育课时占比分别是多少")
	if len(parts) != 2 || !strings.Contains(parts[0], "体育课时占比") {
		t.Errorf("splitEach = %q", parts)
	}
	// "以及" joins two things as one conjunction, across a comma too.
	if parts := splitParts("A城护士离职率,以及医生离职率,分别是多少?"); len(parts) != 2 || strings.Contains(parts[0], "以") {
		t.Errorf("splitParts with 以及 = %q", parts)
	}
	for _, tt := range []struct {
		text, fig string
		want      bool
	}{
		{"占比降至2.5%", "5%", false},
		{"占比降至5%以内", "5%", true},
		{"教师125人", "25人", false},
		{"2.5%和5%", "5%", true},
	} {
		if got := figureIn(tt.text, tt.fig); got != tt.want {
			t.Errorf("figureIn(%q, %q) = %v", tt.text, tt.fig, got)
		}
	}
}

// An ask pointing back at the figures of the ask before ("两年的…各是多少",
// "此数字…") asks nothing the first's answer does not show; a rate a
// period reached is its rate in the period's last year, labelled with the
// period.
func TestEchoAndPeriodEndRate(t *testing.T) {
	for in, want := range map[string]string{
		"A城护士从2015年到2020年增加了多少人?两年的人数各是多少?": "A城护士从2015年到2020年增加了多少人?",
		"A城2020年护士离职率为多少?此数字是否偏高?":          "A城2020年护士离职率为多少?",
		"A城2020年护士离职率为多少?医生的呢?":             "",
	} {
		got, ok := dropEcho(in)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("dropEcho(%q) = %q, want %q", in, got, want)
		}
	}
	e, _ := seedEngine(t)
	a := askSeeds(t, e, "南昌2020年残疾孩子的入学率是多少")
	if !a.Answered || !strings.Contains(a.Answer, "95%") || !strings.Contains(a.Answer, "十三五") {
		t.Errorf("a period's rate asked of its last year: %s", a.Answer)
	}
}
