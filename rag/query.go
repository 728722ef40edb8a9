package rag

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"wenda/rag/zh"
)

// query is a question taken apart: where, when, and what is asked.
type query struct {
	norm      string                    // normalised question
	places    []Place                   // every place named
	scope     Scope                     // cities the corpus covers that the question names
	unknown   []string                  // places named that the corpus does not cover
	years     []int                     // years named
	period    period                    // “十三五” / “十四五”, zero when not named
	latest    bool                      // 目前, 现在, 今年, 最新…
	oneYear   bool                      // 去年, 前年: one year, never a period's total
	anyYear   bool                      // "一年", "每年" with no year named: one year's figure, never a period's total
	whenAsk   bool                      // "哪一年开始的", "什么时候签的": a time is the answer
	fiveYears bool                      // "这五年", "五年一共": a period's total, never one year's figure
	target    bool                      // 目标, 计划, 预计…: asks for a goal rather than a result
	yearsAgo  string                    // "五年前", "几年前": a time counted back from a moment the question does not give
	relative  bool                      // "升幅是多少%" of a count or money: the change as a share of the earlier level
	metric    string                    // what remains, in the lexicon's terms: "义务教育巩固率"
	asked     string                    // the metric in the question's own words, for replies
	rowMetric string                    // the metric a table row is matched on: without the words that ask for a change
	repaired  bool                      // the question had a mistyped character replaced (repairTypo)
	follow    func(Chunk) (Chunk, bool) // the chunk after a chunk, for what a colon announces
	near      []string                  // chunks the earlier asks of a question were answered from, preferred
	docHint   string                    // the document the question says it read ("十四五规划"), preferred when a title matches
	duration  bool                      // a length of time asked ("用了多久"): a clause stating one answers
	goalCheck bool                      // whether a goal was reached is asked ("达没达到目标"), no figure given
	doneVerb  string                    // the one-character verb a flow is asked by that a clause must hold ("招了多少": 招)
	clock     bool                      // a time of day asked ("几点上课"): a clause stating one answers
	ordinal   string                    // the word of an ordinal asked ("第几届": 届): a clause naming 第八届 answers
	table     string                    // the table the question names ("表1"): rows of other tables do not answer
	counted   string                    // what a count asked counts by its noun ("多少学生": people, "多少学校": schools), "" when not said
	required  []string                  // words that narrow what the metric counts ("民办", "省级", "非营利"): a unit must name them
	qualifier string                    // a modifier joined by 的 to the noun it narrows ("思政的名师工作室": 思政): a sentence naming kindOf must say it
	kindOf    string                    // the last four characters of the noun qualifier narrows ("师工作室")
	mask      *zh.Rewriter              // hides compounds that hold a word of the metric with another meaning ("中小学" for 小学)
	intent    intent                    // what kind of answer is asked for
	figure    bool                      // asks for a figure (多少, 几, 率, 比例…)
	actual    bool                      // asks for what was reached (实际, 已经), never a goal
	list      bool                      // asks for a list (哪些, 哪几个, 都有什么)
	total     bool                      // asks for the whole (一共, 总共, 共有)
	sum       bool                      // asks to add what a sentence lists ("加起来", "加一块"): its items are not narrowed to one
	countHead string                    // the head of the noun counted with 个 ("学位" of "多少个学位"), set by extract when the corpus knows it
	subPlace  string                    // a county or district asked ("南昌县"): only a passage naming it answers
	negated   string                    // the part a question excludes ("不是部属院校毕业的" → 部属院校毕业): the whole less it is asked
	stock     bool                      // asks how many there are, naming no action ("有多少所小学")
	measure   string                    // the measure word asked for: "所" in 多少所, "人" in 几人; "" when none
	part      bool                      // one ask of a multi-part question, whose other asks may share its sentence
	rise      int                       // whether it rose (1) or fell (-1) between two times is asked: the change answers, with a verdict
}

// period is a five-year plan period.
type period struct {
	name       string
	start, end int
	short      string // how a hurried citizen writes it: "13五"
}

var periods = []period{
	{"十二五", 2011, 2015, "12五"}, {"十三五", 2016, 2020, "13五"}, {"十四五", 2021, 2025, "14五"}, {"十五五", 2026, 2030, "15五"},
}

var (
	questionYearRE = mustPattern(`(?:19|20)\d{2}\s*(?:年(?:度|底|末|初)?(?:\s*\d{1,2}\s*月(?:份|底|末|初)?)?(?:的时候|时)?|[-—～至到]\s*(?:19|20)\d{2}\s*年)`)
	// percentDigitsRE is a share written 百分之 and digits: "百分之97".
	percentDigitsRE = mustPattern(`百分之(\d+(?:\.\d+)?)`)
	// percentWordsRE is a share in numerals: "百分之八十五", "百分之六十二点五".
	percentWordsRE = mustPattern(`百分之[零〇一二两三四五六七八九十点]+`)
	// halfRE is half as a threshold: "超过一半", "过了一半", "过半".
	halfRE     = mustPattern(`((?:超过|过|达到|到|不到)了?)(?:一半|半数)`)
	overHalfRE = mustPattern(`过半([^年天月日个小]|$)`)
	// fiveDigitYearsRE is five years written with a digit ("5年"), no
	// year's end (2025年), grade (5年级) or time counted back (5年前).
	fiveDigitYearsRE = mustPattern(`(^|[^\d.])5年([^级度前后\d]|$)`)
	// reachedHowRE asks how far something has come, ending a question:
	// "有好多了?".
	reachedHowRE = mustPattern(`有好多了([?？啊呀哦]*)$`)
	// breakThroughRE is 破 before a figure: past it ("破一万", "破90%").
	breakThroughRE = mustPattern(`破([\d零一二两三四五六七八九十百千万]+(?:\.\d+)?[%万亿]?)`)
	// halfAboveRE is a share above half: "占一半以上", "占到半数以上".
	halfAboveRE = mustPattern(`占(?:到|了)?(?:一半|半数)以上`)
	// dialectAskRE is 好多 asking how many (南方话 "有好多个", "多了好多"),
	// in a question that asks no other way.
	// dialectHowRE is 好 asking how much of a size at a question's end
	// ("有好高?", "有好大"), as 多 does.
	dialectHowRE = mustPattern(`(有|是)好(高|大|低|长|远|久)(?:[?？啊呀哦嘛]*)$`)
	dialectAskRE = mustPattern(`好多([^了]|$)`)
	// dialectCountRE is 好多 and a measure word ending a clause: it asks
	// how many even beside another ask ("建了好多所?加了多少…").
	dialectCountRE = mustPattern(`好多(个|所|名|位|项|人|间|张|块|钱|万人|万|亿)(\s*[?？,，。;；]|$)`)
	// compareSignRE is a sign of order before a figure: "占比>55%".
	compareSignRE = mustPattern(`(?:>=|<=|[><≥≤])\s*\d`)
	compareSigns  = strings.NewReplacer(">=", "不低于", "<=", "不超过", ">", "超过", "<", "低于", "≥", "不低于", "≤", "不超过")
	// placeWordRE asks which place by the word 地方.
	placeWordRE = mustPattern(`哪(个|些|一个)地方`)
	// comparedBitRE is a comparison said with 点 ("哪个高点", "谁多一点儿")
	// at the end of a question.
	comparedBitRE = mustPattern(`(高|低|多|少|大|小)(?:一)?点儿?([?？啊呀哦]*)$`)
	// bareYearsComparedRE is two years set side by side without 年:
	// "2025比2020".
	bareYearsComparedRE = mustPattern(`((?:19|20)\d{2})比((?:19|20)\d{2})(?:年)?`)
	// glossRE is an aside in Latin letters: "(gross enrolment)".
	glossRE = mustPattern(`[(（]\s*[A-Za-z][A-Za-z .,'&/-]*[)）]`)
	// explainedRE is an explanation in brackets of the word before it, in
	// the citizen's words: "生师比（学生人数跟老师人数的比例）". It names what
	// the word does, and its words (学生, 比例) would be matched as the
	// measure. A qualifier (含…, 不含…, 包括…) narrows the word and stays.
	explainedRE = mustPattern(`[(（]([^()（）\d]{6,})[)）]`)
	// yearAsideRE is a year given in brackets: "南昌(2023)", "(2023报道)".
	yearAsideRE = mustPattern(`[(（]\s*((?:19|20)\d{2})\s*年?(\p{Han}*)[)）]`)
	// yearsComparedRE asks which of two years is more: "和…哪个多",
	// "哪一年高".
	yearsComparedRE = mustPattern(`(?:和|与|跟|同)?\s*(?:比\s*)?[,，]?\s*(?:哪个|哪一个|哪年|哪一年)(?:的)?(?:更)?(?:多|少|高|低|大|小)(?:一些|些|点)?`)
	// boundAfterRE is a quoted figure cut out (\x00) with the bound after it.
	boundAfterRE = mustPattern("\x00(?:以上|以内|左右)?")
	// againAskRE is 又 asking again: "又是多少", "又有几所".
	againAskRE = mustPattern(`又(?:是|有)?(多少|几)`)
	// feeAskRE asks whether something is free, not how much money.
	feeAskRE = mustPattern(`是?免费的?还是(?:要)?(?:交钱|收费)|要不要(?:交)?钱|交不交钱|收不收(?:费|钱)|要(?:交)?钱吗|还是要交钱|收费吗|免费吗|是不是免费|是免费的吗`)
	// planGoalRE is what a plan is asked to do: 要 before its verb, not
	// 需要, 主要, 重要 or 要求.
	planGoalRE = mustPattern(`(?:^|[^需主重想只还])要[^求是点]|将要|打算|力争`)
	percentRE  = mustPattern(`百分之(?:多少|几)|(?:是|为|有)?(?:多少|几)(?:个)?百分比|[(（]百分比[)）]`)
	measureRE  = mustPattern(`(?:有|是|为|达|达到|了|才|才有|只有)?(?:多少|几)(个百分点|亿元|万元|元|钱|块钱|资金|经费|万人次|人次|万人|万个|万平方米|平方米|平米|亩|所|个|人|名|位|项|套|间|门|件|次|台|家|节|分|亿|万|%)`)
	// Stop phrases are removed wherever they stand: they ask, they do not
	// name a metric. Longest first.
	stopPhrases = []string{
		"这一行", "那一行", "这一格", "那一格", "这一列", "那一列", "这一栏", "那一栏", "那行", "这行", "那格", "这格", "那列", "这列", "那栏", "这栏", "单位是%吧", "单位是什么", "单位是", // a table's cell, named as where the figure is
		"帮我用表格列一下", "用表格列一下", "做成表格给我", "做成表格", "列成表格", "用表格", "列个表", "列一下", "给我列", "麻烦问一下", "麻烦问下", "麻烦您", "麻烦", "想问一下", "想问下", "帮我", "给我", "请问一下", "请问", "敢问", "借问", "想请教", "请教", "我想知道", "才有多少", "才多少", "只有多少", "才几", "咱们", "咱", "俺们", "我们这", "我们", "当地", "本地", "想知道", "想了解", "告诉我", "查一下", "问一下", "帮我查",
		"各是多少", "各为多少", "各有多少",
		"分别是多少", "分别为多少", "一共有多少", "总共有多少", "一共多少", "总共多少", "共有多少",
		"分别", "讲的", "说的", "提到的",
		"要超过多少", "超过多少", "不低于多少", "不少于多少", "至少要多少", "至少多少",
		"至少还要", "至少还得", "还要", "还得", "了没有", "达到没有",
		"不少钱", "蛮多钱", "很多钱", "好些钱",
		"什么样的位置", "什么位置", "啥位置", "哪个位置", "什么层次", "什么档次",
		"需要满足什么条件", "要满足什么条件", "满足什么条件", "需要什么条件", "要什么条件", "有什么条件", "什么条件", "啥条件", "哪些条件",
		"这几年", "近几年", "那几年", "几年之内", "几年以内", "几年内", "几年时间", "多少年时间", "几年里", "全部", "一遍",
		"是多少", "有多少", "为多少", "达到多少", "达多少", "多少个", "多少所", "多少人", "多少",
		"有多高", "有多大", "多高", "多大", "有哪几样", "有哪几种", "有哪几件", "有哪几项", "有哪几条", "哪几样", "哪几种", "哪几件", "哪几项", "哪几条", "是几", "有几", "几个", "几所", "几名", "几点钟", "几点", "几",
		"早上", "上午", "下午", "晚上",
		"怎么样", "如何", "情况", "的数字", "具体", "大概", "大约",
		"截至目前", "截止目前", "目前", "现在", "当前", "今年", "最新", "现有", "眼下", "如今", "当下", "近年来", "这几年", "这些年", "几年来", "这五年", "近五年", "五年来", "五年", "这两年", "近几年", "全年", "一年",
		"期间", "时期", "以来", "方面", "打算", "准备", "才开始", "开始", "那条线", "这条线", "那道线", "这道线", "够不够得上", "够得上", "合共", "合计", "共计", "报道所述的", "报道的", "报道里", "所述的", "所列的", "所载的", "记载的", "的水平", "的数值", "数值", "全市", "我市", "本市", "全县", "一共", "总共",
		"搞得", "搞了", "搞些", "在搞", "要搞", "搞", "听说", "到底", "高不高", "多不多", "好不好", "有没有", "是不是", "是否已经", "是否已", "是否", "多长时间内", "多长时间", "多久内", "多久", "搞到", "要到", "一遍",
		// Words for children name no measure: whether they are pupils (学生),
		// small children (幼儿) or children (儿童), the other words say.
		"孩子们", "小孩子", "孩子", "小孩", "娃娃", "娃们", "娃儿", "娃", "细伢子", "伢崽", "伢子", "伢儿", "细伢", "娃崽",
		"人数", "数量", "总数", "总额", "个数", "规模", "基数", "各自", "称号", "那几年", "搞的", "那个", "平安", "截至", "截止", "那会儿", "那会", "那阵子", "那段时间", "那时候", "那时", "当时", "以内", "以下", "是干什么用的", "干什么用", "拿过", "拿了", "定的", "了不少", "又是", "已经", "整个", "总共加起来", "全部加起来", "全都加起来", "加起来", "合起来", "原先定的", "原来定的", "原先", "原来", "当初", "后来", "这一块", "这块", "那一块", "那块", "这方面", "那方面", "那边", "这边", "啊", "呀", "哦", "嘛", "嘞", "噻", "咯", "撒", "嗦", "哇", "来着", "到底", "呗", "哈", "呐", "一下", "网上有人说", "网上有人讲", "有人讲", "听人讲", "网上说", "网传", "有报道说", "报道说", "有的说", "据说", "据闻", "听闻", "听人说", "有人说", "这个说法", "靠谱吗", "准确吗", "属实吗", "可信吗", "是这个数吗", "有这回事吗", "有这回事", "是这么说的吗", "真的假的", "这个数对吗", "这个数对不对", "这个数", "这数", "是真的吗", "真的吗", "对不对", "对吗", "真有", "平摊到每年", "摊到每年", "平均到每年", "每年平摊", "嗯", "呃", "就是说", "就是",
		// Words that ask for a name or a list, not a figure.
		"是免费的还是要交钱", "免费的还是要交钱", "免费还是收费", "还是要交钱", "要不要钱", "要不要交钱", "交不交钱", "收不收费", "收不收钱", "要交钱吗", "要钱吗", "收费吗", // a fee asked: the passage says whether
		"有什么办法", "什么办法", "有什么措施", "什么措施", "怎么办", "咋办",
		// A state asked ("达到什么程度", "要到么样子") names no metric;
		// neither does a word for the whole of it (整体, 总体).
		"些什么", "些啥", "都要", "什么样子", "啥样子", "怎么样子", "么样子", "什么程度", "啥程度", "么程度", "哪种程度", "什么地步", "啥地步", "什么水准", "整体上", "总体上", "整体", "总体",
		"叫什么名字", "叫什么名", "叫什么", "是什么样的", "是什么样", "什么样的", "哪些类型", "什么类型", "哪几类", "哪些种类", "哪种", "哪类", "是什么", "有什么", "都有哪些", "有哪些", "是哪些", "哪几年", "哪几个", "哪几", "哪两个", "哪两位", "哪两", "哪六个",
		"哪一个", "哪个", "哪位", "哪些", "是哪", "什么样", "什么", "名字", "名称",
		"是怎么回事", "怎么回事", "是怎么", "怎么", "都有谁", "有谁", "是谁", "指的是哪里", "是指哪里", "是指", "指哪里", "哪里", "这个",
	}
	// stopRunes has, for each stop phrase, its characters (metricOf).
	stopRunes = func() [][]rune {
		out := make([][]rune, len(stopPhrases))
		for i, s := range stopPhrases {
			out[i] = []rune(s)
		}
		return out
	}()
	// whichRE asks for names by a count word ("哪几所大学", "哪两位老师"):
	// the noun after it is what is named.
	whichRE     = mustPattern(`哪[一二两三四五六七八九十几]?[个所家位项种类名条件门座批样科]|哪几方面|哪方面`)
	listAskRE   = mustPattern(`哪些|哪几|哪[一二两三四五六七八九十]+[个项件位所类种]|都有什么|有哪|包括什么`)
	sumWords    = []string{"加一块", "加一起", "加起来", "加在一起", "合起来", "加总", "总和", "相加"}
	totalWords  = []string{"共有", "共计", "总数", "合计", "全市共", "总量"}
	targetWords = []string{"目标", "计划", "规划", "预计", "预期", "力争", "争取", "将要", "要达到", "要求"}
	latestWords = []string{"目前", "现在", "当前", "今年", "最新", "截至目前", "截止目前", "现有", "眼下", "如今", "当下"}
	figureWords = []string{"多少", "几", "率", "比例", "占比", "比重", "数量", "人数", "总数", "数目", "个数", "规模", "金额", "多高", "多大", "多长", "目标"}
	// edgeChars are dropped from the ends of the metric, repeatedly: particles and
	// connectives that are left when places and times are cut out.
	edgeChars = "的了是呢吗啊呀吧么到要达为将共？?！!。，,、：:；; “”\"'‘’《》()（）"
)

// formatRE asks for a layout, not a figure (a table, a list to be drawn up);
// the figures are answered as they are.
var formatRE = mustPattern(`(?:请|帮我|麻烦)?(?:用|做成|列成|以|整理成)表格(?:的形式)?(?:对比一下|对比|列一下|列出|列|展示|呈现|给我)?|列个表(?:给我)?`)

// gradeRE is a school grade in Chinese numerals as a citizen writes it:
// two grades run together, a range, or one grade ("五六年级", "七至九年级", "二年级").
var gradeRE = mustPattern(`([一二三四五六七八九])(?:[至到~-]?([一二三四五六七八九]))?年级`)

// arabicGrades writes grades as the documents do: "一二年级" → "1至2年级".
func arabicGrades(s string) string {
	if !strings.Contains(s, "年级") {
		return s // what gradeRE needs
	}
	return gradeRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := gradeRE.FindStringSubmatch(m)
		digit := func(c string) string {
			return string(rune('0' + strings.Index("一二三四五六七八九", c)/3 + 1))
		}
		if sub[2] == "" {
			return digit(sub[1]) + "年级"
		}
		return digit(sub[1]) + "至" + digit(sub[2]) + "年级"
	})
}

// parseQuery analyses a normalised question.
func parseQuery(norm string, g *Gazetteer) query {
	if strings.ContainsAny(norm, "(（") {
		// "(gross enrolment)", "(budget)": a gloss in another language
		// names nothing; "南昌(2023)": the year of what it follows.
		norm = glossRE.ReplaceAllString(norm, "")
		norm = explainedRE.ReplaceAllStringFunc(norm, explained)
		norm = yearAsideRE.ReplaceAllString(norm, "${1}年${2}")
	}
	if strings.Contains(norm, "表") { // what formatRE needs
		norm = formatRE.ReplaceAllString(norm, " ")
	}
	norm = zh.NumeralYears(arabicGrades(norm)) // "二零二零年": 2020年
	if strings.ContainsAny(norm, ",，") {
		norm = dropPastFigures(norm)
	}
	if strings.HasPrefix(norm, "我") || requestOpening(norm) {
		norm = dropPreamble(norm, g)
	}
	if strings.ContainsAny(norm, "?？。!！,，") {
		norm = dropSelfTalk(norm, g)
	}
	if strings.Contains(norm, "年") {
		norm = shortRangeRE.ReplaceAllStringFunc(norm, shortRange) // "2020到23年", "15到20年": a range of years
	}
	norm = bareYearRangeRE.ReplaceAllString(norm, "${1}${2}年${3}${4}年${5}") // "2016到2019要多多少"
	if strings.Contains(norm, "比") {
		norm = bareYearsComparedRE.ReplaceAllString(norm, "${1}年比${2}年") // "2025比2020要多出多少"
	}
	if strings.Contains(norm, "年") {
		norm = spelledYearRE.ReplaceAllStringFunc(norm, spelledYear) // "二零年": 2020年
	}
	if strings.Contains(norm, "年") {
		norm = shortYears(placeYears(norm, g))
	}
	if strings.Contains(norm, "年前") || strings.Contains(norm, "年以前") || strings.Contains(norm, "年之前") {
		norm = yearsBack(norm)
	}
	if strings.Contains(norm, "这几") || strings.Contains(norm, "那几") {
		norm = demonstrativeRE.ReplaceAllString(norm, "这些") // "那几所新学校" points, it does not ask
	}
	if strings.Contains(norm, "比") {
		norm = priorYearRE.ReplaceAllString(norm, "比上年") // "跟上一年比多了多少"
	}
	if strings.Contains(norm, "从") || strings.Contains(norm, "由") {
		norm = fromYearRE.ReplaceAllString(norm, "$1") // "从2016年到2018年": a range, 从 asks nothing
	}
	if strings.Contains(norm, "跟") {
		norm = strings.ReplaceAll(norm, "跟", "和") // "校长跟园长": one conjunction
	}
	if strings.Contains(norm, "同") {
		for _, p := range g.Find(norm) {
			norm = strings.ReplaceAll(norm, "同"+p.Name, "和"+p.Name) // "九江同南昌比": 同 joins two places
		}
	}
	reached := false // "到多少了": a level reached by now
	if strings.Contains(norm, "个亿") {
		norm = strings.NewReplacer("多少个亿", "多少亿", "几个亿", "几亿").Replace(norm) // "多了多少个亿": 亿元
	}
	if strings.Contains(norm, "多少了") {
		reached = reachedRE.MatchString(norm)
		norm = strings.ReplaceAll(norm, "多少了", "多少") // "到多少了": 少了 is no decrease
	}
	if countNowRE.MatchString(norm) {
		reached = true // "办了几所医院了": how many by now
	}
	if strings.Contains(norm, "5年") {
		norm = fiveDigitYearsRE.ReplaceAllString(norm, "${1}五年${2}") // "B城5年引进了多少": five years, as 五年
	}
	if strings.Contains(norm, "好多了") {
		norm = reachedHowRE.ReplaceAllString(norm, "有多少$1") // "比例有好多了?": how far it has come, at the end of the question
	}
	if strings.Contains(norm, "好多") && strings.Contains(norm, "多少") {
		norm = dialectCountRE.ReplaceAllString(norm, "多少$1$2") // beside 多少; alone, every 好多 asks (below)
	}
	if strings.Contains(norm, "好多") && !strings.Contains(norm, "多少") {
		norm = dialectAskRE.ReplaceAllString(norm, "多少$1") // "盖了好多栋", "招了好多个人": 好多 asks how many in the south's speech
	}
	if strings.Contains(norm, "好") {
		norm = dialectHowRE.ReplaceAllString(norm, "${1}多$2") // "离职率有好高?", "好大": 好 asks how, ending the question
	}
	if strings.ContainsAny(norm, "><≥≤") {
		norm = compareSignRE.ReplaceAllStringFunc(norm, func(m string) string { return compareSigns.Replace(m) }) // "占比>55%": 超过55%
	}
	if strings.Contains(norm, "地方") {
		norm = placeWordRE.ReplaceAllString(norm, "哪$1") // "哪个地方高": which of the places named
	}
	if strings.Contains(norm, "点") && strings.ContainsAny(norm, "哪谁") {
		norm = comparedBitRE.ReplaceAllString(norm, "$1$2") // "哪个高点?": 高一点, which is higher
	}
	if strings.Contains(norm, "破") {
		norm = breakThroughRE.ReplaceAllString(norm, "超过$1") // "有没有破两万": past a threshold
	}
	if strings.Contains(norm, "花") {
		norm = spentOnNounRE.ReplaceAllString(norm, "${1}${2}是$3") // "投资估算要花多少钱": the noun names the money; 花 adds nothing
	}
	if strings.Contains(norm, "报导") {
		norm = strings.ReplaceAll(norm, "报导", "报道") // as Taiwan writes it
	}
	if strings.Contains(norm, "性的") {
		norm = strings.ReplaceAll(norm, "性的", "性") // "普惠性的幼儿园": the adjective as the documents join it to its noun
	}
	if strings.ContainsAny(norm, "伢娃") {
		norm = childWords.Replace(norm) // "困难的伢子": the lexicon knows 困难的孩子
	}
	if strings.Contains(norm, "个") {
		norm = looseScaleRE.ReplaceAllString(norm, "$1$3$2") // "135.52个亿", "6个多亿": 135.52亿, 6亿多
	}
	if strings.Contains(norm, "加") {
		norm = plusRE.ReplaceAllString(norm, "${1}和${2}加起来${3}") // "医生加护士一共": a sum of the two
	}
	if strings.Contains(norm, "班") {
		norm = classCountRE.ReplaceAllString(norm, "${1}班级${2}") // "多少个班": classes, as the documents count them (班级)
	}
	if strings.Contains(norm, "几间") {
		norm = schoolsByJianRE.ReplaceAllString(norm, "几所$1") // Cantonese counts schools with 间; rooms stay 间
		norm = schoolsJianAfterRE.ReplaceAllString(norm, "${1}${2}几所")
	}
	if strings.Contains(norm, "成长") {
		norm = growthWordRE.ReplaceAllString(norm, "增长$1") // "成长多少%": a growth, as Taiwan says it
	}
	if strings.ContainsAny(norm, "冇嘅啲咩唔边几而点么子咋咗埋攞乜嘢系喺俾畀嚟睇仲呢嗰咁佢哋返屋钟入讲啱过冒晓莫没喃") {
		norm = cantonese.Replace(norm) // "而家…去到几多": 现在…达到多少
	}
	if strings.ContainsAny(norm, "vVkKtTpPgGrRsSaAdDlLbB") {
		norm = loanwords.Replace(norm) // "南昌vs九江", "2025年的KPI": what students type
	}
	if strings.Contains(norm, "国") {
		norm = taiwanSchoolRE.ReplaceAllStringFunc(norm, taiwanSchool) // "国小和国中": 小学和初中, as Taiwan names them
	}
	if t := strings.TrimRight(norm, "?？ "); strings.HasSuffix(t, "未") && !strings.HasSuffix(t, "尚未") {
		norm = strings.TrimSuffix(t, "未") + "没有" // "过咗一半未": 过了一半没有
	}
	if strings.Contains(norm, "若干") {
		norm = someAskRE.ReplaceAllString(norm, "多少$1") // "共有若干个?": how many, as the written language asks
	}
	if strings.Contains(norm, "啥") {
		norm = strings.ReplaceAll(norm, "啥", "什么") // "叫啥名", "是啥": what citizens type for 什么
	}
	if strings.Contains(norm, "百分之百") {
		norm = strings.ReplaceAll(norm, "百分之百", "100%") // "是否百分之百": a threshold
	}
	if strings.Contains(norm, "百分之") {
		norm = percentDigitsRE.ReplaceAllString(norm, "$1%") // "百分之97": 97%
		norm = percentWordsRE.ReplaceAllStringFunc(norm, func(m string) string {
			if _, digits, ok := zh.Numeral(strings.TrimPrefix(m, "百分之")); ok {
				return digits + "%" // "百分之八十五": 85%
			}
			return m
		})
	}
	if strings.Contains(norm, "半") {
		norm = halfAboveRE.ReplaceAllString(norm, "占比超过50%") // "公立的占一半以上没": a share above half
		norm = halfRE.ReplaceAllStringFunc(norm, func(m string) string {
			verb := halfRE.FindStringSubmatch(m)[1]
			done := strings.HasSuffix(verb, "了")
			verb = strings.TrimSuffix(verb, "了")
			if verb == "过" {
				verb = "超过"
			}
			if done {
				return verb + "50%了" // "过了一半没有": by now, a threshold of 50%
			}
			return verb + "50%"
		})
		norm = overHalfRE.ReplaceAllString(norm, "超过50%${1}") // "过半了吗"
	}
	if strings.Contains(norm, "个点") {
		norm = pointsRE.ReplaceAllString(norm, "${1}个百分点${2}") // "高几个点": points of a share
	}
	if strings.Contains(norm, "等奖") {
		norm = prizesRE.ReplaceAllStringFunc(norm, expandPrizes) // "一二三等奖": 一等奖、二等奖、三等奖
	}
	q := query{norm: norm}
	rest := norm
	if strings.ContainsAny(norm, "钱费") {
		rest = feeAskRE.ReplaceAllString(rest, " ") // "收不收费": whether it is free, which the passage says
	}
	if containsAny(norm, "不是", "除", "以外", "之外") {
		if m := negatedRE.FindStringSubmatch(norm); m != nil && !strings.Contains(norm, "是"+m[0]) && !strings.Contains(norm, "是不是") {
			// "不是本地毕业的有几个": the whole less the part named,
			// found by the part's words (negatedAnswer).
			q.negated = m[1] + m[2] + m[3]
			rest = strings.Replace(rest, m[0], " "+q.negated+" ", 1)
		}
	}
	q.places = slices.DeleteFunc(g.Find(norm), func(p Place) bool {
		// "新疆班", "西藏籍": a class named after a place, no place asked.
		return p.Scope.IsZero() && hasAnyPrefix(norm[p.end:], "班", "籍", "内地班")
	})
	if len(q.places) == 1 && (q.places[0].Name == "全国" || q.places[0].Name == "全省") && titleAfter(norm[q.places[0].end:]) {
		// "新评的全国示范基地有几个" names no place: 全国 is the
		// title's rank.
		q.places = nil
	}
	covered := slices.ContainsFunc(q.places, func(p Place) bool { return !p.Scope.IsZero() })
	for _, p := range q.places {
		if p.Scope.IsZero() && covered && contextPlace(norm, p) {
			// "…几点上课？台湾这边七点半就到校了": a place the documents do
			// not cover, named only in the citizen's own context or an
			// aside, beside the city asked of, is not asked of.
		} else if p.Scope.IsZero() {
			q.unknown = append(q.unknown, p.Name)
		} else {
			q.scope.Cities = appendUnique(q.scope.Cities, p.Scope.Cities...)
			if after := norm[p.end:]; !strings.HasSuffix(p.Name, "市") && (strings.HasPrefix(after, "县") || strings.HasPrefix(after, "区")) && !countyWideRE.MatchString(after) {
				// "南昌县": a county named after its city, whose figures
				// are not the city's.
				q.subPlace = p.Name + after[:len("县")]
				rest = strings.Replace(rest, q.subPlace, " ", 1)
			}
		}
		rest = strings.Replace(rest, p.Name, " ", 1)
	}
	if name := unknownPlace(rest); name != "" && q.scope.IsZero() {
		// A place the gazetteer does not know ("台北市") is still a place:
		// the documents cover it no more than one they name.
		q.unknown = append(q.unknown, name)
		q.places = append(q.places, Place{Name: name})
		rest = strings.Replace(rest, name, " ", 1)
	}
	norm, rest = bareYears(norm), bareYears(rest) // the metric is read from rest: a year in it is no word of it
	q.years = zh.Years(norm)
	if strings.Contains(norm, "19") || strings.Contains(norm, "20") { // what the year expressions need: most questions name no year
		for _, m := range yearRangeRE.FindAllStringSubmatch(norm, -1) {
			// "2015到2020年": the first year has no 年 of its own.
			if y, err := strconv.Atoi(m[1]); err == nil && !containsInt(q.years, y) {
				q.years = append([]int{y}, q.years...)
			}
		}
		rest = questionYearRE.ReplaceAllString(yearThenGrade.Replace(rest), " ")
		if len(q.years) == 1 {
			rest = baseLeftRE.ReplaceAllString(rest, " ") // "跟2015年比": the base year gone, its words name nothing
		}
	}
	if strings.Contains(rest, "表") {
		rest = tableRefRE.ReplaceAllString(rest, " ") // "表2里写的": where, not what
	}
	if m := accordingRE.FindStringSubmatchIndex(rest); m != nil {
		// "根据南昌市教育事业发展十四五规划，…": the document named.
		q.docHint = rest[m[2]:m[3]]
		rest = rest[:m[0]] + " " + rest[m[1]:]
	}
	if containsAny(rest, docKinds...) && q.docHint == "" { // what docRefRE needs
		if m := docRefRE.FindStringSubmatchIndex(rest); m != nil {
			// "某规划里讲的…", "那份材料里写…": the document the citizen
			// read names no metric and no time of its own. Its name runs
			// back from the kind of document to a word that is no part
			// of a name ("达到规划里…": 达到).
			start := m[2]
			for n := 0; start > 0 && n < 12; n++ {
				r, size := utf8.DecodeLastRuneInString(rest[:start])
				if !(zh.IsHan(r) || strings.ContainsRune("“”\"", r)) || strings.ContainsRune("的了在按据照跟和与到达是有没那这篇份里", r) {
					break
				}
				start -= size
			}
			q.docHint = rest[start:m[3]]
			if start == m[2] {
				// "讲三个“协同推进”的那篇报道": the document named by what
				// it is about.
				if about, from := aboutDoc(rest[:start]); about != "" {
					q.docHint, start = about+q.docHint, from
				}
			}
			rest = rest[:start] + " " + rest[m[1]:]
		}
	}
	if strings.Contains(rest, "篇") {
		rest = thatDocRE.ReplaceAllString(rest, " ")
	}
	if containsAny(rest, "报道", "材料", "文章") {
		rest = bareDocRE.ReplaceAllString(rest, " $1")
	}
	q.intent, rest = parseIntent(rest, len(q.scope.Cities)+q.peers(), len(q.years))
	if len(q.years) == 2 && q.intent.kind == askValue && len(q.scope.Cities) <= 1 && yearsComparedRE.MatchString(rest) {
		// "2020年和2023年哪个多": two years of one measure compared, as
		// the change between them says.
		q.intent.kind, q.intent.change = askChange, true
		rest = yearsComparedRE.ReplaceAllString(rest, " 多少")
	}
	if q.intent.change && q.intent.kind != askYesNo && len(q.years) > 1 {
		// "规划说2025年要达到25万人，比2020年多出多少": a figure the
		// citizen quotes beside a year is context, no word of the metric.
		for _, cl := range strings.FieldsFunc(norm, func(r rune) bool { return strings.ContainsRune(",，;；", r) }) {
			if len(zh.Years(cl)) == 0 {
				continue
			}
			for _, f := range zh.Figures(cl) {
				if f.Unit != "" && !strings.HasSuffix(f.Unit, "年") {
					rest = boundAfterRE.ReplaceAllString(strings.Replace(rest, f.Text, "\x00", 1), " ")
				}
			}
		}
	}
	for _, p := range periods {
		for _, name := range []string{p.name, p.short} {
			ends := []string{name + "期末", name + "末期", name + "末"}
			ends = append(ends, name+"结束时", name+"结束的时候", name+"结束那年", name+"收官时", name+"收官之年") // the close in words
			for _, end := range ends {
				if strings.Contains(rest, end) && !containsInt(q.years, p.end) {
					// "十四五末", "十四五期末": the period's last year.
					q.years = append(q.years, p.end)
					rest = strings.ReplaceAll(rest, end, " ")
				}
			}
			if strings.Contains(rest, name) {
				q.period = p
				if i := slices.Index(periods, p); i > 0 && strings.Contains(rest, name+"规划") && containsAny(norm, "回顾", "发展成就", "发展基础") {
					q.period = periods[i-1] // "十四五规划回顾里…": what the plan reviews is the period before
				}
				rest = strings.ReplaceAll(rest, name, " ")
			}
		}
	}
	if q.period.name != "" && len(q.years) == 0 && !q.intent.change && planGoalRE.MatchString(rest) && !asksDone(norm) && !strings.Contains(norm, "了") {
		q.target = true // "某期规划要培养几名": what the period's plan sets out to do
	}
	if q.period.name == "" && len(q.years) == 0 && containsAny(q.docHint, "规划", "计划") && planGoalRE.MatchString(norm) && !strings.Contains(norm, "了") {
		q.target = true // "规划里说要建几座": what the plan sets out to do
	}
	if q.period.name == "" && len(q.years) == 0 && q.docHint != "" && (planGoalRE.MatchString(norm) || containsAny(norm, targetWords[:2]...)) {
		// "某市“十五五”规划里要建几所": a plan named by its period asks
		// for that period's goal; the results it reviews of the period
		// before do not answer.
		for _, p := range periods {
			if strings.Contains(q.docHint, p.name) || strings.Contains(q.docHint, p.short) {
				q.period, q.target = p, true
			}
		}
	}

	if q.intent.change && q.intent.kind != askCompare && len(q.years) == 1 && q.period.name != "" && q.years[0] < q.period.start {
		// "十四五目标比2020年多多少": the change from the year named to the
		// period's last year, which its goals and results are given for.
		q.years = append(q.years, q.period.end)
		q.period = period{}
		q.intent.kind = askChange
	}
	if (q.intent.change || strings.Contains(norm, "个百分点")) && containsAny(norm, "率", "比例", "占比", "个百分点") && q.intent.kind != askCompare && len(q.years) == 0 && q.period.name != "" && containsAny(norm, "要", "目标", "计划", "规划") && !containsAny(norm, "年均", "每年", "平均") {
		// "五年里要升几个点": a plan's change of a rate over its period, from
		// the year before it starts to its last (a plan states the levels
		// of its rates; of counts, it states the increase itself).
		q.years = []int{q.period.start - 1, q.period.end}
		q.period = period{}
		q.intent.kind = askChange
	}
	for _, w := range latestWords {
		if strings.Contains(rest, w) {
			q.latest = true
		}
	}
	if len(q.years) == 0 && q.period.name == "" {
		if loc := lastYearRE.FindStringSubmatchIndex(rest); loc != nil {
			// "去年招了多少": one year before now, never a period's total.
			q.oneYear = true
			rest = rest[:loc[2]] + " " + rest[loc[3]:]
		}
	}
	if len(q.years) == 0 && q.period.name == "" && !q.oneYear && anyYearRE.MatchString(norm) && !perYearRE.MatchString(norm) && !strings.Contains(norm, "平均") {
		q.anyYear = true // "一年花多少钱": a year's own figure, never a period's total
		rest = strings.NewReplacer("每年", " ", "一年", " ").Replace(rest)
	}
	if len(q.years) == 1 && yearAloneRE.MatchString(norm) {
		q.oneYear = true // "光2020年一年", "2020年单年": that year's own figure
		rest = aloneWords.Replace(rest)
	}
	if reached && len(q.years) == 0 && q.period.name == "" && !q.target {
		q.latest = true
	}
	if q.intent.kind == askYesNo && len(q.years) == 0 && q.period.name == "" && !q.target && perfectRE.MatchString(norm) {
		q.latest = true // "超过55%了吗": by now
	}
	if strings.Contains(norm, "到") && len(q.years) > 0 {
		// "到2025年" sets a goal; "2015到2020年" is a range of years.
		for _, m := range byYearRE.FindAllStringSubmatchIndex(norm, -1) {
			// "到2019年增加到了多少" tells what was reached: 了 marks it done.
			done := strings.Contains(norm[m[1]:], "了")
			done = done || containsAny(norm, "获评", "评上", "获批", "已有", "已经") // "到某年有几家医院评上…": what stands by then
			done = done || monthAfterRE.MatchString(norm[m[1]:])           // "到2023年8月": as of a date, no goal
			q.target = q.target || m[2] < 0 && norm[m[4]:m[5]] == itoa(q.years[0]) && !done
		}
	}
	if !q.target && len(q.years) == 1 && q.period.name == "" && strings.Contains(norm, "要到") && !strings.Contains(norm, "了") && !asksDone(norm) {
		q.target = true // "某市2030年教育要到什么程度": what the year is to reach
	}
	// 哪几所 asks for names, not a figure; 率先 is no rate.
	asks := norm
	if strings.Contains(norm, "哪") { // what whichRE needs
		asks = whichRE.ReplaceAllString(norm, " ")
	}
	asks = strings.ReplaceAll(asks, "率先", " ")
	if m := ordinalAskRE.FindStringSubmatch(asks); m != nil {
		q.ordinal = m[1] // "第几届": which of a series, named, not counted
		asks = ordinalAskRE.ReplaceAllString(asks, " ")
	}
	for _, w := range figureWords {
		if strings.Contains(asks, w) {
			q.figure = true
		}
	}
	if q.intent.kind == askYesNo && q.intent.threshold.Text != "" && !q.intent.change && !containsAny(norm, "增长", "增速", "增幅", "同比", "年均") {
		q.figure = true // "超过30万没": a bar is checked against a figure
	}
	if q.figure && !containsAny(asks, "多少", "几") && nameAskRE.MatchString(asks) && !(rateHowRE.MatchString(asks)) {
		q.figure = false // "要实现什么目标", "叫什么": a name or a description
	}
	if !q.figure && containsAny(norm, "措施", "举措", "做法", "办法", "方面", "做了", "做什么", "做哪些", "事") {
		// "对县中有什么帮扶措施", "在校园餐治理上做了哪些事": what is asked
		// of a practice names its topic; the words for "measures" and
		// "things done" are in no passage.
		rest = practiceWords.Replace(topicInRE.ReplaceAllString(rest, " $1 "))
	}
	if q.latest && len(q.years) > 0 {
		// "2020年才4所，现在有多少所了": a year whose clause states a
		// figure is the citizen's own context, not the time asked.
		for _, cl := range strings.FieldsFunc(norm, func(r rune) bool { return strings.ContainsRune(",，;；", r) }) {
			if ys, figs := zh.Years(cl), zh.Figures(cl); len(ys) > 0 && len(figs) > 0 {
				if !q.intent.change {
					q.years = slices.DeleteFunc(q.years, func(y int) bool { return slices.Contains(ys, y) })
				} // "从某年的60%到今天升了多少": the year is the change's base
				for _, f := range figs {
					rest = strings.Replace(rest, f.Text, " ", 1)
				}
			}
		}
	}
	q.total = containsAny(norm, "一共", "总共", "共有", "总数", "合计", "总量")
	q.sum = containsAny(norm, sumWords...)
	q.actual = containsAny(norm, "实际", "已经", "真正")
	rest = actualWords.Replace(rest) // "2020年的实际(值)": a result, no word of the metric
	if loc := notGoalRE.FindStringIndex(rest); loc != nil {
		// "别给我计划的，说实际的": a goal refused is a result asked.
		q.actual = true
		rest = rest[:loc[0]] + " " + rest[loc[1]:]
		if m := notGoalRE.FindStringSubmatch(norm); m != nil && m[1] != "" {
			// "不是2027年的目标": the goal's year is refused with it; "now" is asked.
			y, _ := strconv.Atoi(m[1])
			q.years = slices.DeleteFunc(q.years, func(v int) bool { return v == y })
			q.latest = q.latest || len(q.years) == 0
		}
	}
	for _, m := range notYearRE.FindAllStringSubmatch(norm, -1) {
		// "别拿2023年的数来答我": a year refused is no year asked.
		y, _ := strconv.Atoi(m[1])
		if len(q.years) > 1 || q.latest {
			q.years = slices.DeleteFunc(q.years, func(v int) bool { return v == y })
		}
	}
	q.whenAsk = whenAskRE.MatchString(norm) && !whichYearMoreRE.MatchString(norm)
	q.fiveYears = fiveYearsRE.MatchString(norm)
	if len(q.years) == 0 && strings.Contains(norm, "年") {
		if loc := yearsAgoRE.FindStringIndex(norm); loc != nil && !strings.HasSuffix(norm[:loc[0]], "哪") {
			q.yearsAgo = norm[loc[0]:loc[1]] // "哪一年前" asks which year
			rest = strings.Replace(rest, q.yearsAgo, " ", 1)
		}
	}
	q.list = (strings.Contains(norm, "哪") || strings.Contains(norm, "都有什么") || strings.Contains(norm, "包括什么")) && listAskRE.MatchString(norm) ||
		containsAny(norm, "名称", "分别是什么", "都是什么", "具体指什么", "各是什么") // "六大行动 名称": the names of a set
	// The metric is matched on the lexicon's terms (老师 asks for 教师);
	// the words as asked are kept for replies that quote the question.
	q.metric = q.metricOf(zh.CanonicalWords(rest))
	if q.intent.change {
		// "2025年的目标比2020年实际高多少": 比 between the years names nothing.
		q.metric = strings.Join(slices.DeleteFunc(strings.Fields(q.metric), func(w string) bool { return w == "比" || w == "和 比" }), " ")
		if len(q.years) == 2 && q.target {
			q.actual = false // "实际" is the earlier year's, the goal the later's
		}
	}
	if perYearRE.MatchString(norm) && !containsAny(norm, "增长", "增速", "增幅", "提高", "涨", "增加", "升", "多了", "率", "比例") {
		// "平均每年发了多少": the average is worked from the total; 年均 is
		// no word the passage must hold.
		q.metric = strings.Join(slices.DeleteFunc(strings.Fields(q.metric), func(w string) bool { return w == "年均" }), " ")
	}
	if !q.target && len(q.years) == 0 && q.period.name == "" && containsAny(norm, "达到多少", "达多少", "已经达到", "已达") {
		q.latest = true // "reached how much" asks for the latest result
	}
	q.metric = verbFirst(q.metric)
	q.rowMetric = q.metric
	if q.intent.change {
		q.rowMetric = q.metricOf(zh.CanonicalWords(changeRE.ReplaceAllString(rest, " ")))
	}
	if u := q.intent.threshold.Unit; q.measure == "" && q.intent.kind == askYesNo && u != "" && !strings.Contains("万亿千百", u) && !(strings.HasSuffix(u, "个") && countedKind(q.metric) == "person") { // "有一万个老师吗": 个 counts people as speech does
		q.measure = u // a bare scale ("过一万") says no measure word
	} else if q.measure == "" && q.intent.kind == askYesNo && u == "亿" {
		q.measure = "元" // "超过6个亿了吗": money, as speech counts it
	}
	if q.measure == "" && strings.Contains(norm, "钱") && !feeAskRE.MatchString(norm) {
		q.measure = "元" // "…的钱发了多少": money, whatever its scale
	}
	if (q.measure == "亿" || q.measure == "万") && moneyHead(q.metric) {
		q.measure += "元" // "总投资多少个亿": money
	}
	if q.measure == "" && q.figure && moneyHead(q.metric) && !containsAny(norm, "多久", "时间") {
		q.measure = "元" // "拨了多少补助金": the noun asked is money
	}
	if q.measure == "" && q.figure && shareHead(q.metric) {
		// A rate or a ratio asked ("…率是多少", "…比是多少") is a share,
		// never a count that a clause naming the same things gives.
		q.measure = "%"
	}
	if q.measure == "" && strings.Contains(q.metric, "面积") {
		q.measure = "平方米" // an area asked without its unit
	}
	if unitClass(q.measure) == "area" {
		// The unit says it is an area: "新增建筑340万平方米" answers
		// an area without the word 面积.
		q.metric = trimEdges(strings.ReplaceAll(q.metric, "面积", " "))
	}
	q.asked = q.metricOf(rest)
	// "在校生的增长率" is a count's change as a share too; a yearly
	// average rate ("年均增长率") is a figure of its own.
	countsGrowth := !shareHead(q.metric) || !shareHead(growthRateWords.Replace(q.metric)) && !containsAny(norm, "年均", "平均", "每年")
	if q.intent.change && q.measure == "%" && countsGrowth && !strings.Contains(norm, "百分点") {
		// "人数升幅是多少%": a count's change as a share of its level,
		// worked from the levels.
		q.relative, q.measure = true, ""
		if len(q.years) == 0 && q.period.name != "" && !q.target && !containsAny(norm, "年均", "平均", "每年") {
			// "上一期里涨了百分之几": from the year before the period to
			// its last, the levels a plan's table gives.
			q.years, q.period = []int{q.period.start - 1, q.period.end}, period{}
			q.intent.kind = askChange
		}
	}
	if q.intent.kind == askYesNo && len(q.places) > 1 && q.intent.threshold.Text != "" && strings.Contains(norm, q.intent.threshold.Text) {
		// "A城的…有没有超过B城定的80%目标": the place and the year
		// named between the verb and the threshold are the goal's; the
		// figure asked is the other place's.
		t := strings.Index(norm, q.intent.threshold.Text)
		v := -1
		for _, w := range []string{"超过", "达到", "高于", "到", "过"} {
			if i := strings.LastIndex(norm[:t], w); i > v {
				v = i
			}
		}
		var asked []Place
		for _, p := range q.places {
			if v < 0 || p.start < v || p.start > t {
				asked = append(asked, p)
			}
		}
		goalNamed := goalAfter(norm, q.intent.threshold.Text) || v >= 0 && containsAny(norm[v:t], "规划", "计划", "目标", "定的")
		if goalNamed && v >= 0 && len(asked) > 0 && len(asked) < len(q.places) {
			var scope Scope
			for _, p := range asked {
				scope.Cities = appendUnique(scope.Cities, p.Scope.Cities...)
			}
			if len(scope.Cities) > 0 {
				q.places, q.scope = asked, scope
				goal := zh.Years(norm[v:t])
				q.years = slices.DeleteFunc(q.years, func(y int) bool { return slices.Contains(goal, y) })
			}
		}
	}
	if q.intent.kind == askYesNo && len(q.years) == 0 && goalAfter(norm, q.intent.threshold.Text) {
		// "是否达到计划定的80%那个目标": the goal is the threshold; the
		// figure asked is the latest result.
		q.period, q.target, q.latest = period{}, false, true
		q.docHint = "" // the document named is the goal's, not the result's
	}
	if q.intent.kind == askYesNo && len(q.years) > 0 {
		// "2023年达到十四五目标55%了吗": the goal is the threshold; the
		// figure asked is the year's.
		q.period, q.target = period{}, false
	}
	if q.intent.kind == askValue && len(q.places) <= 1 && riseCheckRE.MatchString(norm) && yesNoWordsRE.MatchString(norm) && !containsAny(norm, "多少", "几", "目标了", "达到") {
		// "目标比基年高吗", "这一期还会往上提吗": whether a
		// measure rises between two times is its change, with a verdict.
		var from, to int
		switch {
		case len(q.years) == 2:
			from, to = minInt(q.years), maxInt(q.years)
		case len(q.years) == 1 && q.period.name != "" && q.period.end > q.years[0]:
			from, to = q.years[0], q.period.end
		case len(q.years) == 0 && q.period.name != "":
			from, to = q.period.start-1, q.period.end
		}
		if from > 0 && to > from {
			q.years, q.period, q.target = []int{from, to}, period{}, false
			q.intent.kind, q.intent.change = askChange, true
			q.rise = 1
			if fallRE.MatchString(norm) {
				q.rise = -1
			}
			var kept []string
			for _, f := range strings.Fields(q.metric) {
				if f = riseTailRE.ReplaceAllString(f, ""); f != "" {
					kept = append(kept, f)
				}
			}
			q.metric = strings.Join(kept, " ")
			q.rowMetric = q.metric
		}
	}
	q.metric = unglueVerb(dropSaying(q.metric))
	q.mask = zh.Masks(q.metric)
	q.required = requiredWords(strings.Replace(q.metric, q.negated, " ", 1)) // an excluded part ("除了民办的以外") narrows nothing
	if fs := strings.Fields(q.metric); len(fs) == 2 && len(q.required) == 0 && q.negated == "" && isModifier(fs[0]) && utf8.RuneCountInString(fs[0]) >= 2 && utf8.RuneCountInString(fs[1]) >= 4 && !containsAny(fs[0], "那", "这") && strings.Contains(norm, fs[0]+"的"+fs[1]) && kindAskRE.MatchString(norm) {
		q.qualifier = strings.TrimSuffix(strings.TrimSuffix(fs[0], "类"), "方面") // "思政(类)的名师工作室": a kind of them, named
		q.kindOf = string([]rune(fs[1])[utf8.RuneCountInString(fs[1])-4:])     // "…名师工作室": what it is a kind of, by its head
	}
	q.clock = strings.Contains(norm, "几点")
	if m := enrolRE.FindStringSubmatch(norm); m != nil {
		q.doneVerb = m[1]
	}
	// "已经到60%了，这够目标了没有": the figure is the citizen's, the
	// goal the threshold.
	stated := q.intent.kind == askYesNo && statedThenGoalRE.MatchString(norm)
	q.goalCheck = (q.intent.kind == askValue || stated) && containsAny(norm, "目标", "任务", "规划") && goalAskRE.MatchString(norm)
	if q.goalCheck {
		// "…达标了没有", "…完成了吗": the words that ask whether, left of
		// the metric, name nothing.
		asks := func(m string) string {
			return strings.Join(slices.DeleteFunc(strings.Fields(m), func(w string) bool {
				return slices.Contains([]string{"标", "达标", "完成", "超过", "实现", "达到", "达成", "做到"}, w)
			}), " ")
		}
		q.metric, q.rowMetric = asks(q.metric), asks(q.rowMetric)
	}
	if q.goalCheck {
		// "规划要求至少覆盖300所,现在到了没": the goal's figure, stated,
		// is what the result is checked against, no word of the metric.
		q.metric = trimEdges(goalFigureRE.ReplaceAllString(q.metric, " $1 "))
		q.rowMetric = trimEdges(goalFigureRE.ReplaceAllString(q.rowMetric, " $1 "))
	}
	q.duration = containsAny(norm, "多久", "多长时间", "几个月", "多少个月", "多少天", "几年内", "几年之内", "几年时间", "多少年时间", "几年里")
	if q.duration && q.intent.kind == askYesNo && q.intent.op != "=" && !yesNoWordsRE.MatchString(norm) {
		// "用几年时间把比例提到90%以上": the figure is the goal's, the
		// time is asked; nothing is checked against it.
		q.intent = intent{}
	}
	if m := tableNameRE.FindString(norm); m != "" {
		q.table = strings.ReplaceAll(m, " ", "")
	}
	if q.target && (q.table != "" || q.docHint != "") && !containsAny(norm, "目标", "计划", "预计", "预期", "力争", "将要", "要达到", "要求") {
		q.target = false // "规划表3里写的2019年…": the plan named as where a figure is read
	}
	if m := countedRE.FindStringSubmatch(norm); m != nil {
		switch m[1] {
		case "所":
			q.counted = "school"
		case "名", "位":
			q.counted = "person"
		default:
			q.counted = countedKind(m[2])
		}
	}
	if m := countedBeforeRE.FindStringSubmatch(norm); m != nil && q.counted == "" {
		q.counted = countedKind(m[1]) // "用它的校长有多少"
	}
	if q.counted == "" {
		q.counted = unitKind(q.measure) // "惠及了多少所": schools
	}
	if q.counted == "" && q.measure == "" && containsAny(norm, "总数", "数目", "个数", "数量") {
		q.counted = countedKind(strings.ReplaceAll(q.metric, " ", "")) // "幼儿园总数": schools
	}
	if (q.measure == "亿" || q.measure == "万") && strings.Contains(q.metric, "经费") {
		q.measure += "元" // "投了多少亿": money in 亿元
	}
	if q.measure == "" && strings.Contains(norm, "多少") && moneyAskRE.MatchString(norm) {
		q.measure = "元" // "发了多少资助金给困难学生": money, whoever it reached
	}
	if q.measure == "" && q.figure && moneyHeadRE.MatchString(strings.TrimSpace(q.asked)) {
		q.measure = "元" // "…的造价为何", "采购金额": money named by its noun, never a count
	}
	if strings.HasSuffix(q.measure, "元") {
		q.counted = "" // money asked counts nothing: "学校的钱有多少"
	}
	if q.intent.kind == askYesNo && q.docHint != "" && (perfectRE.MatchString(norm) || reachedByNowRE.MatchString(norm)) && len(q.years) == 0 {
		// "达到规划写的六成了没有": the plan named is where the
		// threshold is read, not the result; the result is the latest.
		if i, j := strings.Index(norm, q.docHint), strings.Index(norm, q.intent.threshold.Text); i >= 0 && j > i && j-(i+len(q.docHint)) <= 12 {
			q.docHint, q.target, q.period, q.latest = "", false, period{}, true
		}
	}
	if q.intent.kind == askYesNo && (q.target || q.docHint != "") && containsAny(norm, "现在", "目前", "如今", "眼下") && (perfectRE.MatchString(norm) || reachAskRE.MatchString(norm)) && len(q.years) <= 1 {
		// "规划要求某年超过六成，眼下够了没有": the goal is the
		// threshold; what is asked is the result now.
		q.target, q.period, q.years, q.latest = false, period{}, nil, true
		q.docHint = "" // the plan named is the goal's, not where the result is read
	}
	// A stock is asked by a bare noun ("有多少名老师", "几所高中"): a short
	// metric that names no action.
	q.stock = q.figure && (q.measure == "" || unitClass(q.measure) == "count") && !asksChange(q) && !q.target && !asksDone(norm) &&
		utf8.RuneCountInString(strings.ReplaceAll(q.metric, " ", "")) <= 6 &&
		!containsAny(q.metric, programmeVerbs...) && !containsAny(q.metric, flowVerbs...) &&
		!containsAny(q.metric, "增加", "建设", "建成", "组建", "创建", "经费", "率", "占比", "覆盖") &&
		!slices.ContainsFunc(strings.Fields(q.metric), func(w string) bool { return slices.Contains(governedVerbs, w) }) // "要建几所": a verb of its own
	return q
}

// peerCompareRE is how a question sets two places side by side: "谁更高",
// "哪个多", "相比", "比X高" — not "哪个平台", which asks for a name.
var peerCompareRE = mustPattern(`谁|相比|对比|比较|差距|相差|还是|哪(?:个|一个|里)(?:的)?(?:更|比较)?(?:高|低|多|少|大|小|好|强)|比\p{Han}{1,4}(?:高|低|多|少)`)

// partnerNamed reports whether the question names, beside a city the
// documents cover, another city that is no peer of a comparison: a
// partner whose part the figure asked is ("上海金山派了多少老师").
// contextPlace reports whether place p stands in an aside of norm or in a
// clause of the citizen's own that asks nothing (no question word, no
// question mark after it; 我, 这边, 一样).
func contextPlace(norm string, p Place) bool {
	if open := strings.LastIndexAny(norm[:p.start], "(（"); open >= 0 && !strings.ContainsAny(norm[open:p.start], ")）") {
		return true // "（类似台湾的会考）"
	}
	start := strings.LastIndexAny(norm[:p.start], ",，。;；?？!！") + 1
	end := len(norm)
	if i := strings.IndexAny(norm[p.end:], ",，。;；?？!！"); i >= 0 {
		end = p.end + i
		if strings.ContainsAny(norm[end:min(end+3, len(norm))], "?？") {
			return false // the clause ends on a question mark: it asks
		}
	}
	clause := norm[start:end]
	// The citizen's own: "台湾这边…", "跟台湾一样", "我们在台湾…".
	return !containsAny(clause, questionWords...) && !strings.Contains(clause, "比") && containsAny(clause, "我", "这边", "那边", "一样", "类似", "像")
}

// questionWords ask: a clause holding none asks nothing.
var questionWords = []string{"多少", "几", "什么", "哪", "吗", "呢", "是否", "是不是", "有没有", "谁", "怎么", "如何"}

func (q query) partnerNamed() bool {
	for _, u := range q.unknown {
		if !isRegion(u) {
			return q.peers() == 0
		}
	}
	return false
}

// peers counts the places named that the documents do not cover and that a
// comparison could set beside a covered city ("上海…跟南昌比哪个高"): a
// question must ask which is higher, and 全国/全省 are no peers.
func (q query) peers() int {
	if len(q.unknown) == 0 || !peerCompareRE.MatchString(q.norm) {
		return 0
	}
	n := 0
	for _, u := range q.unknown {
		if u != "全国" && u != "全省" {
			n++
		}
	}
	return n
}

// doneRE is a question that asks what was done (a verb, 了, then 多少 or 几;
// or a verb and 的 before what it made: "建的医院有多少所"; or a verb, 了
// and what it made: "建了社区医院是多少所"): a flow, not how many there are.
var doneRE = mustPattern(`[建办招引培修造设投发评配]了(?:\p{Han}{1,10}(?:是|有))?(?:多少|几)|[建办招引培修造设评配]的\p{Han}{1,10}(?:有|是)?(?:多少|几)`)

// ownersDe drops 的 after an owner a school is named by: 办 in 公办 is no verb.
var ownersDe = strings.NewReplacer("公办的", "公办", "民办的", "民办")

// asksDone reports whether norm asks what was done (doneRE); "民办的有几所"
// asks how many there are.
func asksDone(norm string) bool {
	return doneRE.MatchString(ownersDe.Replace(norm))
}

// particles cuts 的, and 了 where it is no part of a word (了解): as the
// expression `的|了(?:解)?` replaced by a space, but for 了解 itself, would;
// and a modal 要 before the verb it governs.
var particles = zh.NewRewriter(append([]string{"的", " ", "了解", "了解", "了", " ", "是否", "是否", "还是", "还是", "就是", "就是", "但是", "但是", "于是", "于是", "是", " "}, modalArgs()...)...)

// governedVerbs are verbs a modal 要 stands before in a question about plans:
// the modal is cut, so that no bigram across it is matched.
var governedVerbs = []string{"实现", "完成", "建成", "建设", "提高", "提升", "增加", "新增", "打造", "培养", "引进", "招聘", "覆盖", "组建", "创建", "投入", "达到", "开展", "建"}

func modalArgs() []string {
	var args []string
	for _, v := range governedVerbs {
		args = append(args, "要"+v, " "+v)
	}
	return args
}

// nameAskRE asks for a name or a description rather than a figure.
var nameAskRE = mustPattern(`什么|哪[个些里位项种类一]|怎样|怎么样|如何`)

// yearRangeRE is a range of years written with one 年: "2015到2020年".
var yearRangeRE = mustPattern(`((?:19|20)\d{2})\s*[-—～至到]\s*(?:19|20)\d{2}\s*年`)

// byYearRE is 到 before a year, with what stands before it: a year (a range)
// or anything else (a goal).
// ordinalAskRE asks which of a series ("第几届", "第几次会议"); seriesRE
// is one named ("第八届", "第7次").
var (
	ordinalAskRE = mustPattern(`第几(届|次|批|期|轮|号)`)
	seriesRE     = mustPattern(`第\s*[\d一二三四五六七八九十百]+\s*(届|次|批|期|轮|号)`)
)

// spentOnNounRE is a verb of spending after a noun of money ("投资估算要花
// 多少", "资金花了几亿"): the noun is what is asked.
var spentOnNounRE = mustPattern(`(投资|估算|预算|造价|资金|经费|费用|投入|支出)((?:总额|总共|一共|合计)?)(?:要|需要|得|总共|一共)?花(?:了|掉|费)?(多少|几)`)

// monthAfterRE is a month after a year ("年8月"): a date.
var monthAfterRE = mustPattern(`^\s*年\s*\d{1,2}\s*月`)

var byYearRE = mustPattern(`((?:\d|年)\s*)?到\s*((?:19|20)\d{2})`)

// placeRE is a place name by its form: two to four characters and 市, 省,
// 县 or 州, standing first in the question.
var placeRE = mustPattern(`^\s*(?:江西省|四川省)?([\p{Han}]{2,4}?(?:市|省|县|州))`)

// unknownPlace returns a place name the question opens with that no
// gazetteer entry took (words such as 全市 and 城市 are no places).
func unknownPlace(rest string) string {
	m := placeRE.FindStringSubmatch(rest)
	if m == nil {
		return ""
	}
	name := m[1]
	for _, generic := range []string{"全", "我", "本", "该", "各", "城", "县", "省", "市", "每", "哪", "什么", "那个", "这个", "请问"} {
		if strings.HasPrefix(name, generic) {
			return ""
		}
	}
	if containsAny(name, "全市", "全县", "全省", "本市", "我市") || strings.ContainsAny(name, "一二三四五六七八九十") && strings.Contains(name, "五") {
		return "" // "十四五全市": a period and the whole city, no place's name
	}
	return name
}

// metricOf takes the asking words out of what is left of a question once
// places and times are cut: what remains names the metric. It notes on q
// what those words ask (a goal, a figure, a measure word).
func (q *query) metricOf(rest string) string {
	planOnly := true
	for _, w := range targetWords {
		if strings.Contains(rest, w) {
			q.target = true
			planOnly = planOnly && w == "规划"
			rest = strings.ReplaceAll(rest, w, " ")
		}
	}
	if q.target && planOnly && planAsSource(q.norm, q.years) {
		q.target = false // "规划表里2019年的…", "规划在哪天印发": the plan as where a figure is read, or as itself
		if q.docHint == "" && !slices.ContainsFunc(q.years, func(y int) bool { return y > 2020 }) {
			q.docHint = "规划" // read in a plan: a later report's figure is another's
		}
	}
	if strings.Contains(rest, "第几") {
		rest = ordinalAskRE.ReplaceAllString(rest, " ") // "是第几届": which one, asked; no words of the metric
	}
	if strings.Contains(rest, "又") {
		rest = againAskRE.ReplaceAllString(rest, " $1") // "…又是多少个": the same ask again
	}
	// Each regular expression runs only on text holding the words it needs:
	// most questions hold none.
	if strings.Contains(rest, "哪") {
		rest = whichRE.ReplaceAllString(rest, " ")
	}
	if strings.Contains(rest, "几成") {
		q.measure, q.figure = "%", true // "占了几成": a share
		rest = strings.ReplaceAll(rest, "几成", " ")
	}
	if (strings.Contains(rest, "百分之") || strings.Contains(rest, "百分比")) && percentRE.MatchString(rest) {
		q.measure, q.figure = "%", true
		rest = percentRE.ReplaceAllString(rest, " ")
	}
	if m, cut, ok := measureAsked(rest); ok {
		q.measure = m
		switch q.measure {
		case "钱", "块钱", "资金", "经费":
			q.measure = "元" // money, whatever its scale
		case "平米":
			q.measure = "平方米"
		}
		rest = cut
	}
	// A phrase is looked for only where rest holds every one of its
	// characters (by a bit for each character's value mod 1024): cutting
	// puts in spaces, never other characters, so what rest held at first
	// is enough to look at.
	if strings.Contains(rest, "数据") {
		rest = dataWordRE.ReplaceAllString(rest, "${1} ${2}")
	}
	var held runeSet
	for _, r := range rest {
		held.add(r)
	}
	for i, s := range stopPhrases {
		if held.hasAll(stopRunes[i]) {
			rest = strings.ReplaceAll(rest, s, " ")
		}
	}
	// "的" joins a modifier to its noun and "了" ends a verb: a bigram
	// across either ("岗的", "订了") is never a term of the documents.
	return trimEdges(particles.Replace(rest))
}

// dataWordRE is 数据 asked of a figure ("巩固率数据", "最新的数据是多少"),
// which names no metric; after a noun and before a verb ("病历数据录了
// 几回") it is the thing counted, and stays.
var dataWordRE = mustPattern(`(^|[\s的率比关新些个组项])数据|数据($|[\s是为有吗呢啊多])`)

// runeSet is a set of characters by their value mod 1024, for a look that
// rules a phrase out: a character it holds may be in the set; one it does
// not hold is not.
type runeSet [16]uint64

func (s *runeSet) add(r rune) {
	h := uint32(r) % 1024
	s[h/64] |= 1 << (h % 64)
}

// hasAll reports whether the set may hold every one of rs.
func (s *runeSet) hasAll(rs []rune) bool {
	for _, r := range rs {
		if h := uint32(r) % 1024; s[h/64]&(1<<(h%64)) == 0 {
			return false
		}
	}
	return true
}

// measureAsked finds what measureRE finds in rest, in one pass: the first
// match's measure word, and rest with every match replaced by a space (as
// ReplaceAllString does); ok is false when there is none.
func measureAsked(rest string) (measure, cut string, ok bool) {
	if !strings.Contains(rest, "多少") && !strings.Contains(rest, "几") {
		return "", rest, false // what measureRE needs
	}
	ms := measureRE.FindAllStringSubmatchIndex(rest, -1)
	// "多少家里条件差的孩子": 家 starts a word (家里, 家庭, 家长), it counts
	// nothing.
	ms = slices.DeleteFunc(ms, func(m []int) bool {
		return rest[m[2]:m[3]] == "家" && hasAnyPrefix(rest[m[1]:], "里", "庭", "长", "乡", "中") ||
			rest[m[2]:m[3]] == "分" && hasAnyPrefix(rest[m[1]:], "钟", "之") // "几分钟", "几分之一": no points
	})
	if len(ms) == 0 {
		return "", rest, false
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(rest[last:m[0]])
		b.WriteByte(' ')
		last = m[1]
	}
	b.WriteString(rest[last:])
	if m := rest[ms[0][2]:ms[0][3]]; m == "个" && len(ms) == 1 {
		// "多了几个人": people, counted with 个, when 人 ends the ask
		// (几个人工湖 counts lakes).
		if after, ok := strings.CutPrefix(rest[ms[0][1]:], "人"); ok && strings.Trim(after, "?？呢吗啊呀,， ") == "" {
			return "人", strings.TrimSuffix(b.String(), rest[ms[0][1]:]) + " " + after, true
		}
	}
	return rest[ms[0][2]:ms[0][3]], b.String(), true
}

// masked is text with the compounds that would match the metric falsely
// hidden (zh.Masks), on the lexicon's terms.
func (q query) masked(text string) string {
	c, lower := canonicalForms(text)
	if q.mask == nil {
		return lower
	}
	if m := q.mask.Replace(c); m != c {
		return lowerASCII(m)
	}
	return lower // nothing masked: the lowered form kept with the canonical one
}

// lowerASCII lowers the Latin letters of s, as the terms matched against it
// are lowered ("STEAM" is the term steam); s is returned as it is when it
// has none to lower.
//
// It looks at bytes, not runes: in UTF-8 no byte of a multi-byte character
// is below 0x80, so a byte in 'A'..'Z' is always the letter itself, and a
// scan of bytes costs a fraction of decoding the (mostly Chinese) text.
func lowerASCII(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for k := i; k < len(b); k++ {
		if b[k] >= 'A' && b[k] <= 'Z' {
			b[k] += 'a' - 'A'
		}
	}
	return string(b)
}

// canonicalMax bounds the bytes of text the canonical cache keeps.
const canonicalMax = 32 << 20

// canonicalCache keeps the lexicon's form of the texts units are matched
// on, by text: they are the corpus' units, headings and clauses, matched
// again for every question that retrieves them, and a read costs a
// fraction of canonicalising. Past canonicalMax bytes it starts again
// empty, so that it never holds more than a bounded share of the corpus,
// whatever documents come and go.
var canonicalCache struct {
	m     atomic.Pointer[sync.Map]
	bytes atomic.Int64
}

// oneCharBracketRE is a character in brackets completing the word before
// it: "县(区)", "乡(镇)".
var oneCharBracketRE = mustPattern(`(\p{Han})\((\p{Han})\)`)

// canonical is zh.Canonical(text), from the cache when it is there, read
// with a bracketed character completing its word (oneCharBracketRE).
func canonical(text string) string {
	c, _ := canonicalForms(text)
	return c
}

// canonForms is what the canonical cache keeps of a text: its canonical
// form and that form lowered (lowerASCII), which masked gives for every
// unit scored.
type canonForms struct{ canon, lower string }

// canonicalForms is canonical(text) and lowerASCII of it.
func canonicalForms(text string) (canon, lower string) {
	m := canonicalCache.m.Load()
	if m == nil {
		canonicalCache.m.CompareAndSwap(nil, new(sync.Map))
		m = canonicalCache.m.Load()
	}
	if f, ok := m.Load(text); ok {
		f := f.(canonForms)
		return f.canon, f.lower
	}
	c := text
	if strings.Contains(c, "(") {
		c = oneCharBracketRE.ReplaceAllString(c, "$1$2") // "县(区)" matches as 县区
	}
	c = zh.Canonical(c)
	l := lowerASCII(c)
	n := len(text) + len(c)
	if l != c {
		n += len(l)
	}
	if canonicalCache.bytes.Add(int64(n)) > canonicalMax {
		canonicalCache.bytes.Store(0)
		canonicalCache.m.Store(new(sync.Map))
		return c, l
	}
	m.Store(text, canonForms{c, l})
	return c, l
}

// trimEdges removes particles from both ends of every space-separated piece
// and joins the pieces.
func trimEdges(s string) string {
	var parts []string
	for _, f := range strings.Fields(s) {
		t := strings.Trim(f, edgeChars)
		if hasAnyPrefix(f, "要事", "要点", "要素", "要务") {
			t = "要" + strings.Trim(strings.TrimPrefix(f, "要"), edgeChars) // a noun of 要, no modal: "十件要事"
		}
		if t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

func appendUnique(list []string, items ...string) []string {
	for _, it := range items {
		found := false
		for _, l := range list {
			if l == it {
				found = true
				break
			}
		}
		if !found {
			list = append(list, it)
		}
	}
	return list
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// metricTerms are the bigrams (and lone characters, and ASCII words) of
// the metric that units are matched on.
//
// A metric has a few terms: they are told apart by a look along the list,
// which costs less than a map made for every call.
func metricTerms(metric string) []string {
	var out []string
	for _, piece := range strings.Fields(metric) {
		if utf8.RuneCountInString(piece) == 1 {
			continue // a lone character left over is a particle, not a metric
		}
		forEachTerm(piece, func(term string, unigram bool) {
			if !unigram && !slices.Contains(out, term) {
				out = append(out, term)
			}
		})
	}
	return out
}

// searchable reports whether the documents could answer q at all: it names
// a metric, and no place the corpus lacks unless also one it covers.
func (q query) searchable() bool {
	return q.metric != "" && (len(q.unknown) == 0 || !q.scope.IsZero())
}

// searchText is what the index is searched with: the metric and the time.
func (q query) searchText() string {
	s := q.metric
	if q.rowMetric != q.metric {
		// A change is stated beside its indicator's name: search by the
		// name, which table rows hold, as much as by the change words.
		s += " " + q.rowMetric
	}
	if q.total || q.stock {
		s += " 共有" // the clause that gives the whole says so
	}
	for _, y := range q.years {
		s += " " + itoa(y)
	}
	if q.period.name != "" {
		s += " " + q.period.name
	}
	return s
}

// unitCoverage is, for a unit's text and its chunk's heading path (both
// masked), coverage(terms, weights, text) and the weighted share of the
// terms that the heading holds and the text does not: one look for each
// term in each, with the weights summed in the order coverage sums them.
func unitCoverage(terms []string, weights []float64, text, section string) (cov, sectionOnly float64) {
	var inText, inSection, inBoth, all float64
	bare := asidesOut(text)
	for i, t := range terms {
		w := weights[i]
		tx, sc := holdsTerm(text, bare, t), containsTerm(section, t)
		if w < 0 { // optional (headWeights): only where held
			if !tx && !sc {
				continue
			}
			w = -w
		}
		all += w
		if tx {
			inText += w
		}
		if sc {
			inSection += w
		}
		if tx && sc {
			inBoth += w
		}
	}
	if all == 0 {
		return 0, 0
	}
	return inText / all, max(0, inSection/all-inBoth/all)
}

// asidesOut is text without its bracketed asides, or text itself when it
// has none: "中小学(幼儿园)名师" names 中小学名师 too.
func asidesOut(text string) string {
	if !strings.Contains(text, "(") {
		return text
	}
	return stripAsides(text)
}

// holdsTerm reports whether text, or bare (text without its asides),
// holds t.
func holdsTerm(text, bare, t string) bool {
	return containsTerm(text, t) || len(bare) < len(text) && containsTerm(bare, t)
}

// containsTerm is strings.Contains(s, t), faster for the terms of Chinese
// text: strings.Index scans for t's first byte, which in UTF-8 Chinese is
// one of a handful of lead bytes that start a third of s's bytes, while t's
// third byte, a continuation byte for a Han term, is one of 64 values.
func containsTerm(s, t string) bool {
	if isDigits(t) {
		return containsNumber(s, t)
	}
	if len(t) < 3 {
		return strings.Contains(s, t)
	}
	c := t[2]
	for i := 2; i < len(s); {
		j := strings.IndexByte(s[i:], c)
		if j < 0 {
			return false
		}
		if p := i + j - 2; p+len(t) <= len(s) && s[p:p+len(t)] == t {
			return true
		}
		i += j + 1
	}
	return false
}

// dropSaying cuts the verb of saying that opens a word of the metric ("A城
// 说医疗实现了…": 说医疗…): who says it is no part of what is asked.
func dropSaying(metric string) string {
	fields := strings.Fields(metric)
	for i, f := range fields {
		if r := []rune(f); len(r) > 2 && (r[0] == '说' || r[0] == '讲') && r[1] != '明' && r[1] != '话' && r[1] != '座' && r[1] != '解' {
			fields[i] = string(r[1:])
		}
	}
	return strings.Join(fields, " ")
}

// unglueVerb cuts from the metric's last word a verb of one character
// that the question ran onto its noun ("卫生院建了几所": 卫生院建): the bigram
// across them ("园建") is no word of what is counted, and a passage saying
// "建设村级幼儿园213所" never holds it.
func unglueVerb(metric string) string {
	fields := strings.Fields(metric)
	if len(fields) == 0 {
		return metric
	}
	last := []rune(fields[len(fields)-1])
	n := len(last)
	if n < 3 || !strings.ContainsRune("建办招修盖扩配", last[n-1]) || !strings.ContainsRune("园校生师院室馆", last[n-2]) {
		return metric
	}
	fields[len(fields)-1] = string(last[:n-1]) + " " + string(last[n-1])
	return strings.Join(fields, " ")
}

// isDigits reports whether t is a number in ASCII digits alone.
func isDigits(t string) bool {
	return t != "" && strings.Trim(t, "0123456789") == ""
}

// containsNumber reports whether s holds the number n whole ("3" is not
// in "3500" nor in "0.3"), or as the whole part of a decimal ("6" of
// "6.19", which "六个多亿" asks), or n is a year of two digits that s writes whole
// ("25" in "2025年").
func containsNumber(s, n string) bool {
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	for from := 0; ; {
		i := strings.Index(s[from:], n)
		if i < 0 {
			return false
		}
		at, end := from+i, from+i+len(n)
		after := end == len(s) || !digit(s[end]) // "6" is the whole part of "6.19": "六个多亿"
		if after && (at == 0 || !digit(s[at-1]) && s[at-1] != '.') {
			return true
		}
		if after && len(n) == 2 && at >= 2 && s[at-2:at] == "20" && (at == 2 || !digit(s[at-3])) {
			return true
		}
		from = at + 1
	}
}

// shareHead reports whether a metric's head noun names a share: a rate
// (率, 比例, 比重, 占比) or a ratio between two counts ("…师比"). A 比 that
// compares (同比, 相比, 对比) names none.
func shareHead(metric string) bool {
	m := strings.TrimRight(metric, " ")
	if i := strings.LastIndexByte(m, ' '); i >= 0 {
		m = m[i+1:]
	}
	switch {
	case strings.HasSuffix(m, "率") && m != "率" && !strings.HasSuffix(m, "效率") && !strings.HasSuffix(m, "频率"),
		strings.HasSuffix(m, "比例"), strings.HasSuffix(m, "比重"), strings.HasSuffix(m, "份额"), strings.HasSuffix(m, "百分比"):
		return true
	case strings.HasSuffix(m, "比"):
		r, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(m, "比"))
		return r != utf8.RuneError && !strings.ContainsRune("同环相对类好", r)
	}
	return false
}

// requiredWords are the words of a metric that narrow what it counts to one
// kind among its peers: an owner or a level (the alternatives "民办",
// "省级") and a word 非 negates, with it ("非营利" asks for what is not
// 营利). A clause without them counts the whole or another kind: all
// kindergartens are not the 民办 ones. 非常 (very) negates nothing.
func requiredWords(metric string) []string {
	var out []string
	for _, group := range alternatives[1:] {
		for _, w := range group {
			if strings.Contains(metric, w) {
				out = append(out, w)
			}
		}
	}
	for i := 0; ; {
		j := strings.Index(metric[i:], "非")
		if j < 0 {
			return out
		}
		w := metric[i+j:]
		n, end := 0, 0
		for k, r := range w {
			if n == 3 || !unicode.Is(unicode.Han, r) {
				break
			}
			n, end = n+1, k+utf8.RuneLen(r)
		}
		if n == 3 && !strings.HasPrefix(w, "非常") {
			out = append(out, w[:end])
		}
		i += j + len("非")
	}
}

// goalFigureRE is a goal's figure with its bound, as a question states it:
// "至少300所", "90%以上", and a 没 left of the ask after it.
var goalFigureRE = mustPattern(`(?:至少|不少于|不低于)(\p{Han}{0,4}?)\d+(?:\.\d+)?\s*(?:万|亿)?[\p{Han}%]?|\d+(?:\.\d+)?\s*(?:万|亿)?[\p{Han}%]?以上|\s没$`)

// moneyAskRE asks how much money by naming it right after 多少.
// moneyHeadRE is a metric, in the asker's words, ending in a noun of money:
// "投资额", "预算金额", "资金规模".
var moneyHeadRE = mustPattern(`(?:金额|投资额|投资|预算|资金|经费|费用|造价|款项)(?:规模|总额|总数)?$`)

var moneyAskRE = mustPattern(`多少(?:的)?(?:资助金|资助资金|资金|经费|奖补资金|补助资金|补助经费|钱)`)

// kindAskRE is how a kind of a thing is asked by itself: "…X的Y是多少?",
// the form a follow-up naming a kind is written in (rewrite).
var kindAskRE = mustPattern(`的\p{Han}+是多少\p{Han}?[?？]?$`)

// pointsRE is a share's points asked as citizens say it ("几个点").
var pointsRE = mustPattern(`(几|多少)个点([^位]|$)`)

// yearAloneRE names a year as one year, against a period it ends: "光2020年",
// "2020年一年", "2020年单年", "2020年当年".
var yearAloneRE = mustPattern(`光\s*(?:19|20)\d{2}\s*年|(?:19|20)\d{2}\s*年(?:这)?(?:一年|单年|当年|一整年)`)

// anyYearRE asks what one year, any year, holds: "一年花多少", "每年招几个";
// not 一年级, 一年来, nor a year counted (两年一次, 十一年).
var anyYearRE = mustPattern(`(?:^|[^\d一二两三四五六七八九十第这那前去今明上下哪边邊])(?:一年|每年)(?:[^级来度内前后以之多半]|$)`)

// plusRE is "A加B…一共": 加 joining two things whose total is asked, not
// the 加 of 增加, 参加, 加强, 加快.
var plusRE = mustPattern(`([^增参追更施附添\P{Han}])加([^强大快入班分速盟工油紧深重上起埋\P{Han}][^,，。?？]*?)(一共|总共|合计|一起|总计)`)

// growthRateWords name a change as a share ("在校生的增长率"): the measure
// is the thing before them.
var growthRateWords = strings.NewReplacer("增长率", " ", "增幅", " ", "涨幅", " ", "增速", " ", "增长幅度", " ")

// riseCheckRE asks whether a measure rises or falls: "比2020年高", "往上提",
// "是否提高"; fallRE the fall.
var (
	riseCheckRE  = mustPattern(`(?:^|[^占对同环无])比(?:[^例重率较,，。?？][^,，。?？]{0,13}?)?(?:更|还|再)?(?:高|低|大|小|多|少)|往上提|往上走|往下降|提高|上升|下降|降低`)
	fallRE       = mustPattern(`(?:^|[^占对同环无])比(?:[^例重率较,，。?？][^,，。?？]{0,13}?)?(?:更|还|再)?(?:低|小|少)|往下降|下降|降低`)
	yesNoWordsRE = mustPattern(`是不是|是否|会不会|有没有|吗|么|没有[?？]?$`)
	// riseTailRE is the words of such an ask at the end of a word of the
	// metric: "还会往上提", "比", "高".
	riseTailRE = mustPattern(`(?:比)?(?:更|还|再)?(?:会)?(?:要)?(?:往上提|往上走|往下降|提高|上升|下降|降低|高|低|多|少)?$|^比$`)
)

// aloneWords are yearAloneRE's words once its year is read: they name no
// measure.
var aloneWords = strings.NewReplacer("光 ", " ", "单年", " ", "当年", " ", "一整年", " ")

// looseScaleRE is a scale counted with 个, as speech does: "135.52个亿",
// "6个多亿".
var looseScaleRE = mustPattern(`([\d零一二两三四五六七八九十百千])个(多)?(亿|万)`)

// shortRangeRE is a range of years whose end is written with two digits:
// "2020到23年", "15到20年".
var shortRangeRE = mustPattern(`(^|[^\d.])((?:19|20)?\d\d)年?(到|至|-|~|～|—)(\d\d)年(多[多少几了]|[^\d内间来左以多前后]|$)`)

// shortRange writes a range of shortRangeRE's in full years when it runs
// forward within the documents' century (2000–2039); "用15到20年" of a
// time to come ("15到20年内", "20年以后") is left alone.
func shortRange(m string) string {
	sm := shortRangeRE.FindStringSubmatch(m)
	from, _ := strconv.Atoi(sm[2])
	to, _ := strconv.Atoi(sm[4])
	if from < 100 {
		from += 2000
	}
	to += 2000
	if from < 2000 || from >= to || to >= 2040 {
		return m
	}
	return sm[1] + itoa(from) + "年" + sm[3] + itoa(to) + "年" + sm[5]
}

// shortYearRE is a year written with two digits ("27年比24年多几个").
var shortYearRE = mustPattern(`(^|[^\d.])([12]\d)年`)

// cantonese are the words of questions written in Cantonese or in the
// dialects of the region (么子, 啥子), as the folded text spells them, and
// what they say in the documents' Chinese.
var cantonese = strings.NewReplacer("系唔系", "是不是", "系咪", "是不是", "系几多", "是多少", "系边", "是哪", "系乜", "是什么", "加埋", "加起来", "攞", "拿", "几多间", "多少所", "咗", "了", "么子", "什么", "啥子", "什么", "咋个", "怎么", "而家", "现在", "几多", "多少", "有冇得", "有没有", "有冇", "有没有", "冇", "没有", "边个", "哪个", "边度", "哪里",
	"点样", "怎样", "嘅", "的", "多啲", "多一些", "高啲", "高一些", "啲", "些", "做咩", "为什么", "咩", "什么", "唔系", "不是", "唔", "不", "去到", "达到",
	// which, when, how long, why
	"边几", "哪几", "边一", "哪一", "边间", "哪所", "边所", "哪所", "边条", "哪条", "边位", "哪位", "边项", "哪项", "边种", "哪种", "边年", "哪年", "边区", "哪个区", "边方面", "哪方面",
	"几耐", "多久", "几时", "什么时候", "点解", "为什么", "乜嘢", "什么", "乜", "什么", "嘢", "东西",
	// is, in, give, come, see, still, this, that, they
	"即系", "就是", "都系", "都是", "就系", "就是", "系咩", "是什么", "系几", "是几", "喺", "在", "俾", "给", "畀", "给", "嚟", "来", "睇", "看",
	"仲有", "还有", "仲", "还", "呢个", "这个", "呢啲", "这些", "嗰个", "那个", "嗰", "那", "𠮶个", "那个", "𠮶", "那", "用紧", "在用", "读紧", "在读", "做紧", "在做", "建紧", "在建", "咁多", "这么多", "咁", "那", "佢哋", "他们", "佢", "他", "哋", "们",
	// school, home, hours, right, more than
	"几点先", "几点才", "返学", "上学", "返工", "上班", "屋企", "家里", "个钟", "小时", "钟头", "小时", "入面", "里面", "听讲", "听说", "同埋", "和",
	"啱唔啱", "对不对", "啱", "对", "高过", "高于", "多过", "多于", "大过", "大于", "低过", "低于", "少过", "少于",
	// Gan and Xiang: 冒 for 没, 么样 for 怎么样
	"有冒", "有没有", "冒得", "没有", "有莫得", "有没有", "有没得", "有没有", "莫得", "没有", "喃", "呢", "冒有", "没有", "冒人", "没人", "怎么样", "怎么样", "什么样", "什么样", "么样子", "什么样子", "么样", "怎么样", "晓得", "知道")

// actualWords name a result asked as against a goal: no words of the metric.
var actualWords = strings.NewReplacer("实际值", " ", "实际数", " ", "实际", " ", "对照", " ", "至少还", " ")

// taiwanSchoolRE is a school stage as Taiwan names it (国小, 国中), not
// inside 全国, 中国 or 各国.
var taiwanSchoolRE = mustPattern(`(^|[^全中各外])国(?:中小学?|[小中])`)

func taiwanSchool(m string) string {
	if i := strings.Index(m, "国中小"); i >= 0 {
		return m[:i] + "中小学" // "国中小": primary and junior secondary schools together
	}
	stage := "小学"
	if strings.HasSuffix(m, "中") {
		stage = "初中"
	}
	return strings.TrimSuffix(strings.TrimSuffix(m, "国小"), "国中") + stage
}

// schoolsByJianRE is 几间 before a word for schools, as Cantonese counts
// them; before anything else (教室) 间 counts rooms.
var schoolsByJianRE = mustPattern(`几间(院校|学校|幼儿园|中学|小学|大学|高校)`)

// schoolsJianAfterRE is 几间 after a word for schools ("特色校有几间"): it
// counts them, as 几所 does.
var schoolsJianAfterRE = mustPattern(`(校|园|院校|学校|中学|小学|大学|高校)(有|共有|一共有)?几间`)

// growthWordRE is Taiwan's 成长 asking a growth ("成长多少%", "成长了几成"):
// the documents say 增长. 成长 alone (健康成长) grows no figure.
var growthWordRE = mustPattern(`成长((?:率|幅度|了)?(?:多少|几|百分之|\d))`)

// childWords are the region's words for children, written as the lexicon's
// phrases write them (孩子); 娃 alone stays, as in 学生娃.
var childWords = strings.NewReplacer("细伢子", "孩子", "伢崽", "孩子", "伢子", "孩子", "伢儿", "孩子", "细伢", "孩子", "娃崽", "孩子", "娃娃", "孩子", "娃儿", "孩子")

// loanwords are the English words students mix into a question.
var loanwords = strings.NewReplacer("VS", "和", "vs", "和", "Vs", "和", "KPI", "目标", "kpi", "目标", "target", "目标", "Target", "目标", "top", " ", "TOP", " ", "Top", " ", "PPT", " ", "ppt", " ", "pre", " ",
	"growth rate", "增长率", "Growth rate", "增长率", "growth", "增长", "percentage", "百分比", "percent", "百分比", "share", "占比", "rate", "率", "ratio", "比例", "total", "总共", "average", "平均", "data", " ", "level", "水平", "before", " ", "after", " ", "pilot", "试点")

// prizesRE is prizes named together by their ranks: "一二三等奖", "一、二等奖".
var prizesRE = mustPattern(`[一二三]等?、?[一二三]等?(?:、?[一二三])?等奖`)

// expandPrizes writes each prize of "一二三等奖" in full.
func expandPrizes(m string) string {
	var parts []string
	for _, r := range strings.TrimSuffix(m, "等奖") {
		if r != '、' && r != '等' {
			parts = append(parts, string(r)+"等奖")
		}
	}
	return strings.Join(parts, "、")
}

// notGoalRE refuses a goal: "不要目标", "不是说目标", "不是2030年的目标",
// "别给我计划".
var notGoalRE = mustPattern(`(?:不要|不是问|不是说|不是|不问|别给我|别说|不看)\s*(?:((?:19|20)\d{2})\s*年的?|的|规划的?|计划的?)?(?:目标|计划|规划)(?:值|数)?`)

// rateHowRE asks how a rate stands: "就业率怎么样", "巩固率咋样" asks its
// figure, not a description.
var rateHowRE = mustPattern(`(?:率|占比|比例)(?:怎么样|咋样|如何|怎样|高不高|多高)`)

// perfectRE asks whether something has happened by now: "超过55%了吗",
// "达到了没有".
// reachAskRE asks whether a level is reached: "有没有到", "到没到", "够不够".
var reachAskRE = mustPattern(`有没有(?:达|超过)?到|到没到|达没达到|够没够|够不够`)

var perfectRE = mustPattern(`了(?:吗|么|嘛|没有|没)[?？]?$`)

// reachedRE asks a level reached by now: "占比到多少了", "达到多少了".
var reachedRE = mustPattern(`(?:到|达|升|涨|降)(?:了)?多少了`)

// countNowRE is a count asked with 了 after its noun: "办了几所医院了",
// "有几所了": how many by now.
var countNowRE = mustPattern(`(?:多少|几)[个所名人位家项间]\p{Han}{0,6}了[?？!！。\s]*$`)

// negatedRE is a part a question excludes: "不是X的", "除了X以外/之外";
// "是不是" asks yes or no and excludes nothing.
var negatedRE = mustPattern(`不是(\p{Han}{2,16}?)的|除了?(\p{Han}{2,16}?)(?:以外|之外)|^([^\P{Han}除]{2,8}?)(?:以外|之外)的`)

// spelledYearRE is a year's last two digits spelled one by one in
// numerals ("二零年", "一五年"): never a count of years, which is written
// 二十年.
var spelledYearRE = mustPattern(`[一二][零〇一二三四五六七八九]年`)

// spelledYear writes a spelled year in full: "二零年" → "2020年".
func spelledYear(m string) string {
	rs := []rune(m)
	d := func(r rune) int { return strings.IndexRune("零一二三四五六七八九", r) / 3 }
	if rs[1] == '〇' {
		rs[1] = '零'
	}
	y := 10*d(rs[0]) + d(rs[1])
	if y < 10 || y > 35 {
		return m
	}
	return strconv.Itoa(2000+y) + "年"
}

// classCountRE is 班 counted by itself ("多少个班", "几个班"), not in a word
// of its own (大班额, 班主任, 班班通).
var classCountRE = mustPattern(`([几少个])班([^级额主子长车班]|$)`)

// bareYearRangeRE is a range of years written without 年 ("2016到2019",
// "2015-2020"): two four-digit years joined, neither followed by a unit.
var bareYearRangeRE = mustPattern(`(^|[^\d.])((?:19|20)\d\d)(到|至|-|~|～|—)((?:19|20)\d\d)([^\d.年%万亿个所人名元]|$)`)

// shortYears writes two-digit years in full when the question names two of
// them or sets one beside a goal or a change ("25年目标"): a count of years
// ("20年来", "用了15年", "20年多") is asked with neither, and is left.
func shortYears(norm string) string {
	ms := shortYearRE.FindAllStringSubmatchIndex(norm, -1)
	if len(ms) == 0 || containsAny(norm, "多少年", "几年", "用了", "花了") {
		return norm
	}
	if len(ms) < 2 && !containsAny(norm, "目标", "比", "规划") && ms[0][0] != 0 && !datedYear(norm[:ms[0][4]], norm[ms[0][1]:]) && !fullYearRE.MatchString(norm) {
		return norm // one, not opening the question, with nothing that dates: a count of years
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		after := norm[m[1]:]
		if strings.HasPrefix(after, "多") && !containsAny(string([]rune(after + "  ")[:2]), "多多", "多少", "多几", "多了") ||
			containsAny(string([]rune(after + " ")[:1]), "来", "间", "内", "左", "以", "前", "后") {
			continue // "20年多", "20年来": years counted
		}
		b.WriteString(norm[last:m[4]])
		b.WriteString("20")
		last = m[4]
	}
	b.WriteString(norm[last:])
	return b.String()
}

// placeYears writes in full a two-digit year that follows a place's name
// ("A城23年的床位"): what a place has is dated, a count of years is not
// said of a place.
func placeYears(norm string, g *Gazetteer) string {
	if g == nil {
		return norm
	}
	ms := shortYearRE.FindAllStringSubmatchIndex(norm, -1)
	if len(ms) == 0 {
		return norm
	}
	places := g.Find(norm)
	var b strings.Builder
	last := 0
	for _, m := range ms {
		if slices.ContainsFunc(places, func(p Place) bool { return p.end == m[4] }) {
			b.WriteString(norm[last:m[4]])
			b.WriteString("20")
			last = m[4]
		}
	}
	if last == 0 {
		return norm
	}
	b.WriteString(norm[last:])
	return b.String()
}

// fullYearRE is a year written in full ("2020年"): a two-digit year beside
// it is a year too ("从2020年到23年").
var fullYearRE = mustPattern(`(?:19|20)\d\d年`)

// datedYear reports whether the words around a two-digit year make it a
// date: asked of ("15年多少", "15年呢", a follow-up ending on it) or a part
// of the year ("20年底"). A
// count of years follows a verb ("办了20年") or is followed by what was
// done in them.
func datedYear(before, after string) bool {
	if strings.HasSuffix(before, "了") || strings.HasSuffix(before, "过") {
		return false
	}
	return after == "" || after == "的" || strings.HasPrefix(after, "多少") || strings.HasPrefix(after, "呢") || strings.HasPrefix(after, "是多少") ||
		strings.HasPrefix(after, "底") || strings.HasPrefix(after, "末")
}

// countedRE is a count asked with its measure word, which says what it
// counts (所: schools; 名, 位: people), and the words after it, which say
// it otherwise: "惠及了多少名学生", "招了多少名幼儿园老师".
var countedRE = mustPattern(`(?:多少|几)(个|名|位|所|家)?(\p{Han}[\p{Han}()（）]{0,9})`)

// accordingRE is a document named as the source a question asks by:
// "根据…规划，", "按照2023年那篇报道".
var accordingRE = mustPattern(`(?:根据|按照|依据|据|按)《?([^,，。?？]{0,24}?(?:规划|总结|报道|文章|文件|报告|发布会|方案|意见))》?(?:来看|的数据|里面|里|中|上|说)?(?:的)?[,，]?`)

// aboutDoc reads what a document is said to be about in the words before
// its kind: "讲三个“协同推进”的那篇" gives 三个“协同推进” and where it
// starts; "" when the words are no such description.
func aboutDoc(before string) (string, int) {
	end := len(before)
	for _, w := range []string{"那篇", "这篇", "那份", "这份", "那个", "这个"} {
		if strings.HasSuffix(before, w) {
			end -= len(w)
			break
		}
	}
	if end == len(before) {
		return "", 0
	}
	end = len(strings.TrimSuffix(before[:end], "的"))
	start := end
	for n := 0; start > 0 && n < 16; n++ {
		r, size := utf8.DecodeLastRuneInString(before[:start])
		if !(zh.IsHan(r) || strings.ContainsRune("“”\"「」", r)) || strings.ContainsRune("讲说写谈介关于", r) {
			break
		}
		start -= size
	}
	if utf8.RuneCountInString(before[start:end]) < 2 {
		return "", 0
	}
	return before[start:end], start
}

// planAsSource reports whether a question names a plan only as where its
// figure is read or as a document of its own: it asks of the years the
// plan starts from (2020 and before), of the plan's review of them, or of
// the plan itself (审议, 编制). A goal is asked with a later year or a word
// of its own (目标, 要, 达到).
func planAsSource(norm string, years []int) bool {
	if containsAny(norm, "回顾", "发展成就", "基数", "记载", "审议", "编制", "印发", "实际", "现有", "完成了") {
		return true
	}
	if len(years) == 0 {
		return false
	}
	for _, y := range years {
		if y > 2020 {
			return false
		}
	}
	return true
}

// docKinds are the words a citizen names a document by.
var docKinds = []string{"规划", "总结", "文章", "报道", "文件", "报告", "材料", "发布会", "方案", "意见"}

// docRefRE is a document named as where something was read: "某规划里讲
// 的", "年度总结里面", "那份材料里写", "规划中提到" (not "规划中职学校…").
var docRefRE = mustPattern(`(规划|总结|文章|报道|文件|报告|材料|发布会|方案|意见)(?:文件中|文件里|(?:里头|里面|里)(?:又)?(?:讲的|说的|提到的|写的|给的|列出的|公布的|讲|说|提到|写|给|公布)?|(?:中|上)(?:又)?(?:讲的|说的|提到的|写的|列出的|公布的|讲|说|提到|写|称|公布)|说的|说|讲的|讲|提到|写的|写着|所述|所载|所列|列出的|列的|公布的|称|显示)(?:的)?(?:数字|数据|数)?`)

// bareDocRE is a document named last in a clause ("…到2023年报道，"): the
// time it gives, no metric.
var bareDocRE = mustPattern(`(?:报道|材料|文章)(?:时点|时)?([,，]|$)`)

// thatDocRE is a document pointed at ("23年那篇", "那篇里头又讲"): it names
// no metric.
var thatDocRE = mustPattern(`(?:那篇|这篇)(?:里头|里面|里|中|上)?(?:又)?(?:讲的|说的|写的|讲|说|写)?(?:的)?`)

// clockRE is a time of day as the documents write it: "8:30", "8点30分",
// "八点半".
var clockRE = mustPattern(`\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*点(?:\s*\d{1,2}\s*分|半)?|[一二三四五六七八九十]{1,2}点(?:半|[一二三四五]十分)?`)

// durationRE is a length of time: "5个月", "不到5個月", "3年内", "每两年".
var durationRE = mustPattern(`[\d一二两兩三四五六七八九十半]+\s*(?:个|個)?(?:月|年|周|週|天|日|小时|小時|学期|學期)`)

// notYearRE is a year the citizen refuses: "别拿2023年的数", "不要2019年的".
var notYearRE = mustPattern(`(?:别拿|别用|别给|不要拿|不要用|不要|不用|不看)\s*((?:19|20)\d{2})\s*年`)

// whenAskRE asks when something happened: the year or date is the answer.
var whenAskRE = mustPattern(`哪一?年|哪天|哪一天|什么时候|啥时候|何时|几月|哪个月|几号|什么时间|哪年`)

// practiceWords ask for the practices of a topic without naming any:
// "措施", "举措", "做了哪些事".
var practiceWords = strings.NewReplacer("具体措施", " ", "具体举措", " ", "措施", " ", "举措", " ", "做法", " ", "办法", " ", "方面", " ", "做了哪些事", " ", "做了什么事", " ", "做了哪些", " ", "做了什么", " ", "做哪些事", " ", "做什么事", " ", "哪些事", " ", "什么事", " ", "有哪些", " ", "有什么", " ", "具体", " ")

// topicInRE is a topic set in 在…上 or 在…方面: "在校园餐治理上".
var topicInRE = mustPattern(`在(\p{Han}{2,8}?)(?:上|方面)`)

// yearsAgoRE is a time counted back or on in years ("五年前", "3年以前",
// "几年后"), not a year's own end (2020年前).
var yearsAgoRE = mustPattern(`(?:[1-9]|[一二两三四五六七八九十几]|十[一二三四五六七八九])年(?:以前|之前|前|以后|之后|后)`)

// fiveYearsRE is five years asked as a span ("这五年", "五年一共", "近5年"),
// not a fifth grade (五年级) nor the end of a year (2025年).
var fiveYearsRE = mustPattern(`(?:^|[^\d])(?:五|5)年(?:[^级度前后]|$)`)

// reachedByNowRE asks whether something has been reached with 了 before
// the threshold: "达到了…55%没有".
var reachedByNowRE = mustPattern(`(?:达到|超过|突破|过)了.{0,40}(?:没有|没|吗)[?？]?$`)

// whichYearMoreRE compares years ("哪一年多"): no time is asked.
var whichYearMoreRE = mustPattern(`哪一?年\p{Han}{0,2}?(?:多|少|高|低|大|小|更)`)

// lastYearRE is a year named by its distance from now ("去年", "前年"),
// asked as the time of a figure, not as the base of a change (比去年).
var lastYearRE = mustPattern(`(?:^|[^比较跟和与同])(去年|前年|上一年|上年)`)

// baseLeftRE is what "跟2015年比" leaves once its year is cut.
var baseLeftRE = mustPattern(`(?:跟|和|与|同)\s+(?:比起来|相比|比较|比)`)

// yearThenGrade parts a year from the grade after it: "2021年初中" is 初中
// in 2021, not the start of 2021.
var yearThenGrade = strings.NewReplacer("年初中", "年 初中", "年初一", "年 初一", "年初二", "年 初二", "年初三", "年 初三")

// fromYearRE is 从 before a year.
var fromYearRE = mustPattern(`[从由]\s*((?:19|20)\d{2})`)

// priorYearRE is the year before named as what a change is counted from,
// in the words citizens use: "跟上一年比", "与去年相比".
var priorYearRE = mustPattern(`(?:跟|和|与|同)(?:上一年|前一年|上年|去年)(?:相)?比|比前一年`)

// demonstrativeRE is "these few" before a noun: "那几所新学校".
var demonstrativeRE = mustPattern(`[这那]几[个所家位项]`)

// statedThenGoalRE is a figure stated in a clause of its own, a goal named
// after it: "…已经到60%了，这够那个目标没".
var statedThenGoalRE = mustPattern(`\d(?:%|万|亿)?\p{Han}{0,2}了[,，][^,，]*目标`)

// goalAskRE asks whether something was reached, done or passed: "达没达到",
// "达到…了吗", "完成…了没有", "是否已实现", "超没超过".
var goalAskRE = mustPattern(`(?:达没达到|完没完成|实没实现|超没超过|超没超出|有没有达到|有没有完成|有没有实现|有没有超过|能否实现|能不能实现|(?:是否|是不是)(?:已经|已)?(?:提前)?(?:完成|达到|实现|超过|超出|达标))|(?:达到|完成|实现|达标|达成|做到|超过|超出)[^?？]{0,16}(?:了吗|吗|了没有|没有|了没|没|了)[?？]?$|[到够]了(?:吗|没有|没)[?？]?$`)

// enrolRE is a flow asked by a verb of one character that every word the
// documents use for it holds: enrolling, bringing in, training, building.
var enrolRE = mustPattern(`([招引培建])了?(?:多少|几)`)

// tableRefRE is a table named as where a figure is read: "表2里写的",
// "表1中".
var tableRefRE = mustPattern(`(?:成就|目标)?表\s*\d+(?:里面|里|中|上)?(?:写的|列的|给的|的)?`)

// tableNameRE is a table named by its number: "表1", "表 2".
var tableNameRE = mustPattern(`表\s*\d+`)

// countedBeforeRE is a count asked after the words naming what it counts:
// "…的校长有多少".
var countedBeforeRE = mustPattern(`(\p{Han}{1,8}?)(?:有|是|为|共有|一共有|总共有)?(?:多少|几)(?:个|名|位|人)?[?？吗呢啊呀]*$`)

// countedWords name what a count counts, by kind; a character that ends a
// word for people (教师, 名师, 学生, 校长, 儿童) counts people too.
var countedWords = []struct{ word, kind string }{
	{"孩子", "person"}, {"小孩", "person"}, {"幼儿", "person"}, {"小朋友", "person"}, {"儿童", "person"}, {"宝宝", "person"}, {"娃", "person"}, {"校长", "person"}, {"园长", "person"},
	{"学校", "school"}, {"中小学", "school"}, {"幼儿园", "school"}, {"高校", "school"}, {"大学", "school"}, {"中学", "school"}, {"小学", "school"},
}

// countedKind is the kind of thing the words after a count's ask count: the
// kind of the word that ends last ("中小学老师": people; "中小学校":
// schools), "" when none does.
func countedKind(words string) string {
	kind, end := "", -1
	for _, w := range countedWords {
		if i := strings.LastIndex(words, w.word); i >= 0 && i+len(w.word) > end {
			kind, end = w.kind, i+len(w.word)
		}
	}
	for i, r := range words {
		if strings.ContainsRune("师生员童人", r) && i+utf8.RuneLen(r) > end {
			kind, end = "person", i+utf8.RuneLen(r)
		}
	}
	if kind != "" && headAfter(words[end:]) {
		return "" // "公办幼儿园学位": places, of a kind of school
	}
	return kind
}

// headAfter reports whether tail, what follows the word a count's kind is
// read from, names a thing counted in schools (学位, 班级, 教室, 项目…):
// then that thing is what is counted.
func headAfter(tail string) bool {
	return containsAny(tail, schoolThings...) // "学校新增学位": places
}

// schoolThings are what schools hold and counts are made of.
var schoolThings = []string{"学位", "名额", "班级", "教室", "课室", "项目", "床位", "食堂", "工作室", "心理辅导室"}

// unitKind is the kind of thing a count's unit counts: people (人, 名, 位,
// 人次) or schools (所); "" for any other unit.
func unitKind(unit string) string {
	switch {
	case strings.HasSuffix(unit, "人") || strings.HasSuffix(unit, "名") || strings.HasSuffix(unit, "位") || strings.HasSuffix(unit, "人次"):
		return "person"
	case strings.HasSuffix(unit, "所"):
		return "school"
	}
	return ""
}

// verbFirst moves a verb the citizen put after the thing ("名校网络课堂 打造"
// from "…要打造几个") before it, as the documents write it ("打造…名校网络
// 课堂"): the metric's head is then its noun.
func verbFirst(metric string) string {
	f := strings.Fields(metric)
	if len(f) < 2 {
		return metric
	}
	last := f[len(f)-1]
	if !slices.Contains(governedVerbs, last) && !slices.Contains(flowVerbs, last) && !slices.Contains(programmeVerbs, last) {
		return metric
	}
	return last + " " + strings.Join(f[:len(f)-1], " ")
}

// moneyHead reports whether a metric ends in a noun of money ("资助金",
// "经费", "资金").
func moneyHead(metric string) bool {
	m := strings.TrimSpace(metric)
	for _, w := range []string{"资助金", "经费", "资金", "拨款", "补助金", "奖助学金", "投资", "投资估算", "估算"} {
		if strings.HasSuffix(m, w) {
			return true
		}
	}
	return false
}

// goalAfter reports whether a question names a goal after its threshold
// ("是否达到计划定的80%那个目标"): the threshold is the goal, and the
// question asks of the result. "目标是否超过80%" asks of the goal.
func goalAfter(norm, threshold string) bool {
	t := strings.Index(norm, threshold)
	g := strings.LastIndex(norm, "目标")
	return threshold != "" && t >= 0 && g > t
}

// toldFigureRE is a figure stated with its measure word ("才4所",
// "2020年有5000人").
var toldFigureRE = mustPattern(`\d+(?:\.\d+)?\s*(?:万|亿)?(?:所|个|人|名|位|项|元|%|张|家|间)`)

// dropPastFigures takes out of a question the clauses that tell a figure the
// citizen knows ("2020年首批才4所") when its last clause asks for the figure
// now ("现在有几家了"): the figure told is the past the citizen compares
// with, and its year and words are not what is asked. A clause that sets a
// bar ("规划说要超过55%") is kept: a yes or no may rest on it.
func dropPastFigures(norm string) string {
	clauses := strings.FieldsFunc(norm, func(r rune) bool { return r == ',' || r == '，' })
	if len(clauses) < 2 {
		return norm
	}
	last := clauses[len(clauses)-1]
	if !containsAny(last, latestWords...) || !containsAny(last, "多少", "几") {
		return norm
	}
	kept := clauses[:0:0]
	dropped := false
	for i, c := range clauses[:len(clauses)-1] {
		loc := toldFigureRE.FindStringIndex(c)
		if loc == nil || containsAny(c, questionMarkers...) || containsAny(c, "超过", "达到", "以上", "不低于", "不少于", "目标", "要") {
			kept = append(kept, c)
			continue
		}
		dropped = true
		if i > 0 {
			continue
		}
		// The first clause names the topic before the figure told
		// ("A城三甲医院2020年才4所"): the topic stays.
		cut := loc[0]
		if y := questionYearRE.FindStringIndex(c); y != nil && y[0] < cut {
			cut = y[0]
		}
		if head := strings.TrimRight(c[:cut], "才只就已有经共"); head != "" {
			kept = append(kept, head)
		}
	}
	if !dropped {
		return norm
	}
	return strings.Join(append(kept, last), "，")
}

// countyWideRE is what follows a city's name that says "county-wide" or
// "of the counties and districts" ("县域", "县区", "区域"), not a county
// named after the city.
var countyWideRE = mustPattern(`^(?:县域|区域|县区|县\(区\)|县（区）)`)

// preambleEnd ends the clause a citizen opens with to say who asks and
// why ("我在写论文:"): a colon announces the ask.
var preambleEnd = mustPattern(`[:：]`)

// requestOpening reports whether the clause before the question's first
// colon asks a favour or gives a purpose ("为说明进度，请帮忙核算:"): a
// preamble, as one in which the citizen speaks of themselves is.
func requestOpening(norm string) bool {
	loc := preambleEnd.FindStringIndex(norm)
	return loc != nil && containsAny(norm[:loc[0]], "请", "帮忙", "麻烦", "为了", "为说明", "核算", "需要")
}

// dropPreamble takes out the opening clause in which the citizen speaks of
// themselves ("我在写报告要用A城的数:…"): it names no metric, and its words
// would be matched as one. The places it names stay, for the ask after it.
func dropPreamble(norm string, g *Gazetteer) string {
	loc := preambleEnd.FindStringIndex(norm)
	if loc == nil || loc[1] == len(norm) {
		return norm
	}
	head, rest := norm[:loc[0]], norm[loc[1]:]
	if containsAny(head, "孩子", "娃", "儿", "孙", "家", "外甥", "侄", "伢", "崽") {
		return norm // the citizen's own family: their own case, which is not asked here
	}
	if containsAny(head, questionMarkers...) || strings.ContainsAny(head, "?？") || !containsAny(rest, questionMarkers...) && !strings.ContainsAny(rest, "?？哪") {
		return norm // the opening clause asks: it is no preamble
	}
	var b strings.Builder
	if g != nil {
		for _, p := range g.Find(head) {
			b.WriteString(head[p.start:p.end])
		}
	}
	for _, p := range periods {
		if strings.Contains(head, p.name) && !strings.Contains(rest, p.name) {
			b.WriteString("“" + p.name + "”")
		}
	}
	if !questionYearRE.MatchString(rest) {
		for _, y := range questionYearRE.FindAllString(head, -1) {
			b.WriteString(y)
		}
	}
	return b.String() + rest
}

// courtesyWords mark a sentence that asks a favour or thanks ("烦请告知",
// "感激不尽"), as selfWords one in which the citizen speaks of themselves.
var (
	courtesyWords = []string{"烦请", "亦请", "敬请", "恳请", "请告知", "请列", "请一并", "请逐", "请解", "请说明", "望告知", "望赐教", "谢", "感激", "麻烦", "劳驾", "拜托", "辛苦", "钧鉴", "敬启", "您好", "你好"}
	// doubtAsks ask by a verb and its negation ("会不会", "能不能").
	doubtAsks = []string{"会不会", "能不能", "要不要", "可不可以", "算不算", "够不够", "如何", "怎么", "为何", "为什么", "还是"}
	// someAskRE is 若干 ending a question: it asks how many there are.
	pastYearsRE   = mustPattern(`[前近这那头好]几年`)
	someAskRE     = mustPattern(`若干((?:个|所|名|位|项|条|家|人|万人|亿元|万元)?\s*(?:[?？]|$))`)
	sentenceEndRE = mustPattern(`[^?？。!！]*[?？。!！]*`)
)

// dropSelfTalk takes out the sentences of a question in which the citizen
// speaks of themselves or thanks, and asks nothing: "…安置率达到多少?我有位亲戚
// 的孩子…,故特别关注。" asks of the rate alone, and the words of the sentences
// around it, held by no passage, would be matched as the measure. A sentence
// that names a place, a year or a period is kept whole, as is one that asks;
// so is the question when no sentence asks, or only one sentence is left.
func dropSelfTalk(norm string, g *Gazetteer) string {
	sentences := sentenceEndRE.FindAllString(norm, -1)
	if len(sentences) < 2 {
		return dropSelfLead(dropSelfTail(norm, g), g)
	}
	kept, dropped, asked := make([]string, 0, len(sentences)), false, false
	for _, s := range sentences {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if selfTalk(s, strings.Replace(norm, s, "", 1), g) {
			dropped = true
			continue
		}
		asked = asked || asksIn(s)
		kept = append(kept, s)
	}
	if !dropped || !asked || len(kept) == 0 {
		return dropSelfLead(dropSelfTail(norm, g), g)
	}
	return dropSelfLead(dropSelfTail(strings.Join(kept, ""), g), g)
}

// asksIn reports whether a sentence or clause of a question asks.
func asksIn(s string) bool {
	s = pastYearsRE.ReplaceAllString(s, "") // "前几年还不到": a time remembered, no ask
	return containsAny(s, questionMarkers...) || containsAny(s, doubtAsks...) || strings.ContainsAny(s, "?？哪谁")
}

// selfTalk reports whether s is the citizen speaking of themselves or
// thanking, naming no place, year or period and asking nothing.
func selfTalk(s, rest string, g *Gazetteer) bool {
	if t := ourPlaceRE.ReplaceAllString(s, ""); !containsAny(t, selfWords...) && !containsAny(t, courtesyWords...) || asksIn(s) {
		return false
	}
	for _, y := range questionYearRE.FindAllString(s, -1) {
		if !strings.Contains(rest, y) {
			return false // a year of its own: the time asked
		}
	}
	for _, p := range g.Find(s) {
		if !strings.Contains(rest, s[p.start:p.end]) {
			return false // a place of its own ("我家在A城"): the place asked
		}
	}
	for _, p := range periods {
		if (strings.Contains(s, p.name) || strings.Contains(s, p.short)) && !strings.Contains(rest, p.name) && !strings.Contains(rest, p.short) {
			return false
		}
	}
	return true
}

// ourPlaceRE is a place named as the citizen's own ("我市", "我们县"): the
// place, not the citizen.
var ourPlaceRE = mustPattern(`我们?(?:市|县|区|省|镇|乡|校)`)

// ownCaseWords open a clause that sets the citizen's own case: who they
// are, their family.
var ownCaseWords = []string{"我是", "孩子", "娃", "儿", "女", "孙", "弟", "妹", "哥", "姐", "家", "外甥", "侄", "伢", "崽", "户口"}

// dropSelfLead takes out the clauses before the first that asks in which
// the citizen speaks of themselves ("我们在整理兄弟城市的数据，请问A城…").
func dropSelfLead(norm string, g *Gazetteer) string {
	cut := strings.IndexAny(norm, ",，")
	if cut < 0 {
		return norm
	}
	head, tail := norm[:cut], strings.TrimLeft(norm[cut:], ",，")
	if !asksIn(tail) || !selfTalk(head, tail, g) || containsAny(head, ownCaseWords...) {
		return norm // "我是外市的老师，…", "我孙子户口在…，": the citizen's own case, which the ask is about
	}
	return dropSelfLead(tail, g)
}

// dropSelfTail takes out the clauses after the last that asks in which the
// citizen speaks of themselves ("…新增了多少学位，我孙子那个学校就是那几年新
// 盖的"), as dropSelfTalk does whole sentences.
func dropSelfTail(norm string, g *Gazetteer) string {
	cut := strings.LastIndexAny(norm, ",，")
	if cut < 0 {
		return norm
	}
	head, tail := norm[:cut], norm[cut:]
	tail = strings.TrimLeft(tail, ",，")
	if !asksIn(head) || !selfTalk(tail, head, g) {
		return norm
	}
	return dropSelfTail(head, g)
}

// periodNamed reports whether text names a plan's period (十四五).
func periodNamed(text string) bool {
	for _, p := range periods {
		if strings.Contains(text, p.name) || strings.Contains(text, p.short) {
			return true
		}
	}
	return false
}

// explained drops an explanation explainedRE found, a phrase that says what
// the word before it is; a qualifier or another name of the word stays.
func explained(m string) string {
	inner := strings.TrimSpace(explainedRE.FindStringSubmatch(m)[1])
	for _, w := range []string{"含", "不含", "包括", "包含", "不包括", "其中"} {
		if strings.HasPrefix(inner, w) {
			return m
		}
	}
	if !containsAny(inner, "跟", "和", "与", "指", "就是", "也就是") {
		return m // "(中等职业教育)", "(管食堂的)": another name of the word, or what it does, in words the documents may use
	}
	return ""
}

// yearsBackRE is a time counted back from a year the question names, as
// what that year is compared with: "2020年比5年前", "和五年前比".
var yearsBackRE = mustPattern(`(比|跟|和|较|同|与)((?:[1-9]|10|[一二两三四五六七八九十]))年(?:以前|之前|前)`)

// yearsBack writes the year a time counted back stands for when the
// question names one year before it: "2020年比5年前提高多少" is
// "2020年比2015年提高多少". With no year, or several, it is left alone.
func yearsBack(norm string) string {
	m := yearsBackRE.FindStringSubmatchIndex(norm)
	if m == nil {
		return norm
	}
	years := questionYearRE.FindAllString(norm[:m[0]], -1)
	if len(years) != 1 {
		return norm
	}
	y, err := strconv.Atoi(years[0][:4])
	if err != nil {
		return norm
	}
	n := numeralYears(norm[m[4]:m[5]])
	if n == 0 || y-n < 1900 {
		return norm
	}
	return norm[:m[0]] + norm[m[2]:m[3]] + itoa(y-n) + "年" + norm[m[1]:]
}

// numeralYears is a count of years from one to ten, in digits or numerals;
// 0 when it is none.
func numeralYears(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if s == "两" {
		return 2
	}
	for i, r := range []rune("一二三四五六七八九十") {
		if string(r) == s {
			return i + 1
		}
	}
	return 0
}

// bareYears writes 年 after a year typed without it ("2020南昌…", "问下2015
// 那会儿"): four digits from 1900 to 2099 standing alone before a word that
// is no unit, no count and no time of its own.
func bareYears(norm string) string {
	if !strings.Contains(norm, "19") && !strings.Contains(norm, "20") {
		return norm
	}
	if strings.Contains(norm, "→") || strings.Contains(norm, "->") {
		norm = yearArrowRE.ReplaceAllString(norm, "${1}到${2}年") // "2020→2025": from one year to the other
	}
	var b strings.Builder
	last := 0
	for i := 0; i+4 <= len(norm); i++ {
		if !(norm[i] == '1' && norm[i+1] == '9' || norm[i] == '2' && norm[i+1] == '0') || !isASCIIDigit(norm[i+2]) || !isASCIIDigit(norm[i+3]) {
			continue
		}
		if i > 0 && (isASCIIDigit(norm[i-1]) || norm[i-1] == '.') {
			continue
		}
		j := i + 4
		for j < len(norm) && norm[j] == ' ' {
			j++ // "2019 呢", as notes are typed
		}
		r, _ := utf8.DecodeRuneInString(norm[j:])
		alone := strings.TrimRight(norm[j:], "?？ ") == "" && (i == 0 || norm[i-1] == ' ') // "2021?" asked alone, a follow-up's time
		if !alone && (!unicode.Is(unicode.Han, r) || strings.ContainsRune(notAfterYear, r)) && !(strings.ContainsRune("多少高低增减涨降提升", r) && comparedYear(norm, i)) {
			continue
		}
		b.WriteString(norm[last : i+4])
		b.WriteString("年")
		last = i + 4
		i += 3
	}
	if last == 0 {
		return norm
	}
	b.WriteString(norm[last:])
	return b.String()
}

// comparedYear reports whether the four digits at i are a year set
// against another ("2030目标比2019高几个点"): they follow 比 and the question
// names a year besides them. The caller checks that a change follows.
func comparedYear(norm string, i int) bool {
	if !strings.HasSuffix(norm[:i], "比") {
		return false
	}
	for _, m := range fourDigitsRE.FindAllStringIndex(norm, -1) {
		if m[0] != i {
			return true
		}
	}
	return false
}

// fourDigitsRE is four digits that may be a year.
var fourDigitsRE = mustPattern(`(?:19|20)\d{2}`)

// yearArrowRE is a range of years written with an arrow.
var yearArrowRE = mustPattern(`((?:19|20)\d{2})\s*(?:→|->)\s*((?:19|20)\d{2})(年?)`)

// notAfterYear are the characters after four digits that make them a count,
// an amount or a time of their own: units, scales, 年 and its kin.
const notAfterYear = "万亿千百元人个所名项次家间套条门部台册余多年月日号届级岁分秒点张辆吨亩米倍位座处期批只场笔户"

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }
