package rag

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"wenda/rag/zh"
)

// What a question asks for, beyond the metric, place and time (DESIGN §2.7):
// a figure (the default), a greeting, a yes/no against a threshold the
// citizen gives, a comparison between places or periods, or the change
// between two periods.

type intentKind int

const (
	askValue    intentKind = iota
	askGreeting            // 你好, 谢谢, 你能做什么
	askYesNo               // 超过5000个了吗
	askCompare             // 南昌和巴中谁更高
	askChange              // 2020年比2015年多了多少
)

// intent is the kind of answer a question asks for, with what it needs.
type intent struct {
	kind intentKind
	// yes/no: the comparison the citizen asks about, and its figure.
	op        string // ">", ">=", "<", "<=" (降到…以内), "=" (是不是)
	threshold zh.Figure
	// compare: the question asks which is higher (true) or lower.
	higher bool
	// change: the question asks how much a figure grew or fell.
	change bool
}

var (
	// thresholdRE finds "超过5000个" with what may stand around it:
	// "有没有超过…", "…了吗", "是否达到…", and what the figure is
	// ("达到规划定的55%了吗").
	thresholdRE = mustPattern(`(有没有|是否|是不是|能不能|能否|有无|已经|已)?(超过|超出|高于|大于|多于|突破|达到|达|降到|降至|控制在|到|不低于|不少于|低于|少于|小于|不到|不足|没到)了?\s*(?:[^\d\s,，。?？]{1,12}?(?:的|目标|标准|要求|里|中))?\s*(\d[\d,]*(?:\.\d+)?\s*(?:个百分点|万亿元|亿元|万元|元|万人次|人次|万人|万名|万个|万所|万|亿|%|人|个|所|名|项|套|间|家)?)(?:以内|以下|以上)?(了|没有|没|吗|么|嘛|呢|\?|？|啊|呀)*`)
	greetings   = []string{"好的", "好吧", "明白了", "知道了", "收到", "谢谢你", "谢谢您", "你好", "您好", "哈喽", "嗨", "hello", "hi", "谢谢", "多谢", "感谢", "谢了", "再见", "拜拜", "在吗", "在不在", "你是谁", "你能做什么", "你会什么", "你可以做什么", "你能干什么", "怎么用", "你能回答哪些问题", "你能回答什么问题", "你能回答什么", "可以问什么", "能问什么", "你是做什么的", "你是干什么的", "使用说明", "帮助", "早上好", "晚上好", "下午好"}
	lowerWords  = []string{"更低", "更少", "最低", "最少", "低还是", "少还是", "谁低", "谁少"}
	// changeRE is how a question asks for a change: "比2015年多了多少",
	// "增加了多少万人", "涨了多少". It is cut from the metric.
	changeRE = mustPattern(`(?:相比|比起|比|较|和|与|跟)?\s*(?:一共|总共|累计|共)?(?:要|将|计划|预计)?(?:多了|少了|增加了?|增长了?|提高了?|提升了?|上升了?|下降了?|降低了?|减少了?|涨了?|变化了?|增幅|涨幅|提了|升了|降了|多出|高出|高了|低了|高多少|低多少|多多少|少多少|还差|升多少|降多少|升几|降几|还(?:得|要|需要?)(?:提高|提升|提|涨|升|增加))`)
	// changeREWords are what changeRE cannot match without.
	changeREWords = []string{"多了", "少了", "增加", "增长", "提高", "提升", "上升", "下降", "降低", "减少", "涨", "变化", "增幅", "提了", "升了", "降了", "多出", "高出", "高了", "低了", "高多少", "低多少", "多多少", "少多少", "还差", "升多少", "降多少", "升几", "降几", "还得提", "还要提", "还需提", "还得涨", "还要涨", "还得升", "还要升", "还要增加", "还需要提高"}
)

// fewRE is a comparative asked with 几 ("多几所", "低几个百分点").
var fewRE = mustPattern(`(多|少|高|低)几`)

// equalRE is a yes/no asking whether a figure is the one the citizen
// gives: "是不是100%", "是否为95%".
var equalRE = mustPattern(`(?:是不是|是否是|是否为|是否)\s*(\d[\d,]*(?:\.\d+)?\s*(?:个百分点|万人|亿元|万元|元|%|人|所|个|名))(?:了|吗|么|呢|\?|？|啊|呀)*`)

// compareRE is how a question asks which is higher; it is cut from the
// metric.
var compareRE = mustPattern(`(?:和|与|跟|比)?\s*(?:谁|哪个|哪一个|哪里|哪座城市|哪个城市|哪个市|哪市|哪边|哪方|哪一方|何者|孰)?(?:的)?(?:定得|要|(?:组建|创建|建设|发展|增长|提高|投入|招聘|培训|引进|新增)得|\p{Han}得)?(?:更|比较|最)?(?:高|低|多|少|大|小)?(?:一些|一点)?(?:吗|呢)?[?？!！。\s]*$|(?:的)?(?:多还是少|少还是多|高还是低|低还是高|大还是小)|谁|哪个|哪市|哪边|哪一方|何者|相比|对比|比较|差距|相差|还是`)

// overRE is 过 (过了) before a figure, not in a word that holds it (超过, 经过,
// 通过, 不过).
var overRE = mustPattern(`(^|[^超经通不])过了?(\d|[一两二三四五六七八九十百千万])`)

// overNotOverRE is 过 asked by itself and its negation: "过没过", "过没有过".
var overNotOverRE = mustPattern(`过(?:没有|没|不)过`)

// overAfterRE is a figure and then 过 asked: "9000人过了没", "九成过了吗".
var overAfterRE = mustPattern(`(\d+(?:\.\d+)?[万千亿]?(?:人次|[%人个所名元张间座项次位家户台辆条])?)过了?(?:没有|没|吗|么)`)

// overNumeralRE is 超过 and a one-digit numeral with its scale and no
// measure word after it: "超过一万了吗" (with one, "超过五千个", the
// numeral is read with its unit as any figure is).
var overNumeralRE = mustPattern(`超过[一二三四五六七八九][万千百](?:$|[了吗么没呢?？])`)

// bareThresholdRE is a threshold asked with no verb: "有没有5万", "够不够90%".
// toNumeralRE is 到 before a figure in numerals: "到一万人没有".
// withinFigureRE is a figure a level is asked to stay within: "在5%以内".
var withinFigureRE = mustPattern(`(^|[^制])在\s*(\d[\d,]*(?:\.\d+)?\s*%?)以[内下]`)

// bareScaleRE is a scale passed with no figure before it: "过万", "过亿".
var bareScaleRE = mustPattern(`(^|[^\d超一二两三四五六七八九十百千])过(万|亿)`)

// thresholdWords set a figure as a threshold: "超过一万", "不低于九成".
var thresholdWords = []string{"超过", "达到", "突破", "不少于", "不低于", "少于", "低于", "不到", "高于", "多于", "降到", "降至", "控制在"}

var toNumeralRE = mustPattern(`到[一两三四五六七八九十][万千百十]?[个所名人项]?(?:了|没|吗)`)

// claimRE is a figure a citizen heard and asks about: "新增了30万个",
// "真有一万个", "是98%".
var claimRE = mustPattern(`(?:了|真有|有|是|达|共|到|就|才|增|新增)\s*((?:\d[\d.]*|[一两三四五六七八九十]{1,3})\s*(?:万|亿|千)?\s*(?:人次|个|所|名|人|项|元|%)?)`)

// claimChecks ask whether what was heard holds: "对吗", "靠谱吗", "真的假的".
var claimChecks = []string{"对吗", "对不对", "真的吗", "是真的", "真的假的", "靠谱吗", "准确吗", "属实吗", "可信吗", "是这个数吗", "有这回事", "是这么说的吗"}

// enoughRE is 够 before a figure and the ask after it: "够90没".
var enoughRE = mustPattern(`够\s*(\d[\d.]*\s*(?:%|万|亿|个|所|人|名)?)\s*了?(?:没有|没|吗|么)`)

var bareThresholdRE = mustPattern(`(?:有没有|够不够|够没够)\s*(\d|[一两二三四五六七八九十][十百千万亿])`)

// aNotARE is a yes/no asked by a verb and its negation: "超没超过", "达没达到".
var aNotARE = mustPattern(`(\p{Han})[没不](\p{Han})`)

// toLevelRE asks for the level a change reached: a change verb and 到 or 至,
// or the written 增至, 升至.
var toLevelRE = mustPattern(`(?:(?:增加|提高|提升|增长|上升|下降|降低|减少|扩大|降)了?(?:到|至)|增至|升至)了?`)

// parseIntent reads what kind of answer the rest of a question (places and
// years cut out) asks for, and returns the rest without the words that
// only say so (a threshold is no part of the metric).
func parseIntent(rest string, cities, years int) (intent, string) {
	var in intent
	if isGreeting(rest) {
		in.kind = askGreeting
		return in, ""
	}
	if strings.Contains(rest, "是") { // what equalRE needs
		if m := equalRE.FindStringSubmatchIndex(rest); m != nil {
			if figs := zh.Figures(rest[m[2]:m[3]]); len(figs) == 1 {
				// "安置率是不是100%": the figure asked is the threshold itself.
				in.kind, in.op, in.threshold = askYesNo, "=", figs[0]
				return in, rest[:m[0]] + " " + rest[m[1]:]
			}
		}
	}
	// "过一万了没有", "上万了吗": 过 and 上 before a figure say 超过.
	if strings.Contains(rest, "过") || strings.Contains(rest, "上万") {
		rest = bareScaleRE.ReplaceAllString(rest, "${1}超过1$2") // "有没有过万": past ten thousand
		rest = overNotOverRE.ReplaceAllString(rest, "有没有过")    // "过没过9000": 过 asked yes or no, as 超没超 is
		rest = overAfterRE.ReplaceAllString(rest, "超过${1}了吗")  // "9000人过了没": the figure before 过
		rest = overRE.ReplaceAllString(rest, "${1}超过$2")
		rest = strings.Replace(rest, "上万", "超过1万", 1)
		rest = overNumeralRE.ReplaceAllStringFunc(rest, func(m string) string {
			// "超过一万" with no unit after it: the numeral as digits.
			rs := []rune(strings.TrimPrefix(m, "超过"))
			return "超过" + strconv.Itoa(slices.Index([]rune("零一二三四五六七八九"), rs[0])) + string(rs[1:])
		})
	}
	// "据说…新增了30万个，对吗", "真有一万个吗": a figure heard, checked as
	// one to reach; the answer gives the documents' figure beside it.
	// "听说…发了6亿多?": hearsay asked with a question mark alone checks
	// it too, when nothing else is asked after it.
	heard := containsAny(rest, "听说", "据说", "网上说", "有人说", "有人讲", "网传", "报道说") && strings.ContainsAny(rest, "?？")
	if (heard || containsAny(rest, claimChecks...) || containsAny(rest, "真有", "有")) && !containsAny(rest, "超过", "达到", "突破", "高于", "低于", "不到", "有没有") {
		if loc := claimRE.FindStringSubmatchIndex(rest); loc != nil && (heard && !containsAny(rest[loc[1]:], "多少", "几", "哪", "还是", "比", "谁") || containsAny(rest[loc[1]:], claimChecks...) || containsAny(rest[loc[1]:], "吗", "是真的")) {
			cut := loc[2]
			if v := strings.TrimSpace(rest[loc[0]:loc[2]]); v != "了" && v != "增" && v != "新增" {
				cut = loc[0] // "学位有57万个": 有 says only that it is so
			}
			rest = rest[:cut] + "达到" + rest[loc[2]:loc[3]] + "了吗" + rest[loc[3]:]
		}
	}
	// "有一百万没有": the threshold between 有 and 没有 is asked as 有没有.
	if strings.Contains(rest, "有") && containsAny(rest, "没", "吗", "么") {
		rest = haveNotRE.ReplaceAllString(rest, "有没有$1")
	}
	// "有没有5万人", "够不够90%": a threshold asked with no verb is one to reach.
	if containsAny(rest, "有没有", "够不够", "够没够") {
		rest = bareThresholdRE.ReplaceAllString(rest, "有没有达到$1")
	}
	// "够90没", "够5000个了吗": 够 before a figure asked is 达到.
	if strings.Contains(rest, "够") {
		rest = enoughRE.ReplaceAllString(rest, "达到${1}了吗")
	}
	// "超没超过90%", "达没达到": the verb asked yes or no.
	if m := findANotA(rest); m != nil && rest[m[2]:m[3]] == rest[m[4]:m[5]] && rest[m[2]:m[3]] != "有" {
		rest = rest[:m[0]] + "有没有" + rest[m[4]:m[5]] + rest[m[1]:]
	}
	// The expressions are costly and most questions hold no figure and ask
	// no change: they run only on text holding what they cannot match
	// without (a digit; a change word).
	if containsAny(rest, thresholdWords...) || toNumeralRE.MatchString(rest) {
		// "有没有超过一万名": a threshold in numerals is read as digits;
		// other numerals stay words ("十件要事的第七件里…达到100%").
		for _, f := range zh.ClaimFigures(rest) {
			before := strings.TrimRight(rest[:f.Start], " 了")
			if !strings.ContainsAny(f.Text, "0123456789%") && (strings.HasSuffix(before, "到") || slices.ContainsFunc(thresholdWords, func(v string) bool { return strings.HasSuffix(before, v) })) {
				rest = strings.Replace(rest, f.Text, compactFigure(f.Value, f.Unit), 1)
			}
		}
	}
	// "达到九十七点五没有", "有没有达到一百万": a threshold in numerals
	// with no unit after it, which the figure readers take only in digits.
	rest = pointNumeralRE.ReplaceAllStringFunc(rest, func(m string) string {
		sub := pointNumeralRE.FindStringSubmatch(m)
		if v, _, ok := zh.Numeral(sub[2]); ok {
			return sub[1] + compactFigure(v, "") + sub[3] // "二十万": 20万, its scale kept
		}
		return m
	})
	if strings.Contains(rest, "在") && strings.Contains(rest, "以") {
		rest = withinFigureRE.ReplaceAllString(rest, "${1}控制在${2}以内") // "已经在8%以内了吗": at most
	}
	if m := findThreshold(rest); m != nil {
		word := rest[m[4]:m[5]]
		after := rest[m[1]:]
		if i := strings.IndexAny(after, ",，;；"); i >= 0 && containsAny(after[i:], "多少", "几") {
			after = after[:i] // "…达到25万人,比2020年多出多少?" asks the change, not whether
		}
		asks := m[2] >= 0 || m[8] >= 0 || strings.ContainsAny(after, "吗么?？") || strings.Contains(rest, "是否") || strings.Contains(rest, "有没有") || strings.Contains(after, "了没")
		figs := zh.Figures(rest[m[6]:m[7]])
		year := containsAny(string([]rune(rest[m[7]:] + " ")[:1]), "年", "月", "日", "号", "点") // "到2025年…了吗", "到8月" name a time, not a threshold
		if asks && len(figs) == 1 && !year {
			in.kind = askYesNo
			in.threshold = figs[0] // its unit says what is asked: a count, a share, money
			switch word {
			case "超过", "超出", "高于", "大于", "多于", "突破":
				in.op = ">"
			case "达到", "达", "到", "不低于", "不少于":
				in.op = ">="
			case "低于", "少于", "小于", "不到", "不足", "没到":
				in.op = "<"
			case "降到", "降至", "控制在":
				in.op = "<=" // "降到8%以内了没有"
			}
			return in, rest[:m[0]] + " " + rest[m[1]:]
		}
	}
	if strings.HasSuffix(strings.TrimRight(rest, "?？ "), "吗") || strings.HasSuffix(strings.TrimRight(rest, "?？ "), "没有") {
		// A yes/no question without a figure ("超过省定标准了吗"): the
		// verb asks, the rest names what is compared.
		for _, v := range []string{"超过", "达到", "高于", "低于"} {
			rest = strings.Replace(rest, v, " ", 1)
		}
	}
	// "至少" is a bound ("at least"), not a change; a change verb with 到 or
	// 至 asks for the level reached.
	if strings.Contains(rest, "到") || strings.Contains(rest, "至") { // what toLevelRE needs
		rest = toLevelRE.ReplaceAllString(rest, " ")
	}
	if strings.Contains(rest, "多少了") {
		rest = strings.ReplaceAll(rest, "多少了", "多少") // "降至多少了": the 少了 in it is no change
	}
	if strings.Contains(rest, "比") && strings.Contains(rest, "几") {
		// "比2016年多几万个" asks as "多多少" does.
		rest = fewRE.ReplaceAllString(rest, "${1}多少")
	}
	if unbound := strings.ReplaceAll(rest, "至少", " "); containsAny(unbound, changeREWords...) && changeRE.MatchString(unbound) {
		in.change = true
		if years == 2 || (strings.Contains(rest, "比") && !containsAny(rest, "同比", "环比", "年均")) {
			// Between two periods the change words only ask; "年均增长"
			// and "同比增长" name the measure and stay.
			rest = changeRE.ReplaceAllStringFunc(rest, func(m string) string {
				if strings.HasSuffix(m, "多少") {
					return " 多少" // the ask stays: "多多少万人" asks in 万人
				}
				if strings.HasSuffix(m, "几") {
					return " 几" // "升几个百分点"
				}
				return " "
			})
		}
	}
	switch {
	case cities >= 2:
		in.kind = askCompare
		in.higher = !containsAny(rest, lowerWords...)
		rest = compareRE.ReplaceAllString(rest, " ")
	case years == 2 && in.change:
		in.kind = askChange
	}
	return in, rest
}

// findANotA is aNotARE's submatch indexes in rest, nil for none.
func findANotA(rest string) []int {
	if !strings.Contains(rest, "没") && !strings.Contains(rest, "不") {
		return nil // what aNotARE needs
	}
	return aNotARE.FindStringSubmatchIndex(rest)
}

// findThreshold is thresholdRE's submatch indexes in rest, nil for none.
func findThreshold(rest string) []int {
	if !strings.ContainsAny(rest, "0123456789") {
		return nil // what thresholdRE needs
	}
	return thresholdRE.FindStringSubmatchIndex(rest)
}

// isGreeting reports whether a question is small talk and nothing else.
func isGreeting(rest string) bool {
	s := strings.ToLower(strings.Trim(rest, edgeChars+"~～…啊呀哈啦嘛哦"))
	if s == "" {
		return false
	}
	for _, g := range greetings {
		if s == g {
			return true
		}
		if strings.HasPrefix(s, g) {
			tail := strings.Trim(s[len(g):], edgeChars+"~～…")
			if tail == "" || isGreeting(tail) {
				return true
			}
		}
	}
	return false
}

// compactFigure writes a value in digits with the scale a citizen would
// use: 2000000000 元 as "20亿元", 10000 人 as "1万人".
func compactFigure(v float64, unit string) string {
	for _, s := range []struct {
		word  string
		scale float64
	}{{"亿", 1e8}, {"万", 1e4}} {
		if v >= s.scale && math.Mod(v, s.scale/100) == 0 {
			return strconv.FormatFloat(v/s.scale, 'f', -1, 64) + s.word + unit
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + unit
}

// rankAskRE asks which school is best: an opinion no public document gives.
var rankAskRE = mustPattern(`(?:哪个|哪所|哪家|哪间|哪几所|哪些)[^,，。?？]{0,8}(?:最好|好一点|好一些|更好|比较好|最强|最厉害|口碑|靠谱)|学区房`)

// ownCaseRE asks whether the citizen's own child may move or enrol
// somewhere: a case decided by a school or a bureau, not by a plan.
var ownCaseRE = mustPattern(`(?:能不能|可不可以|能否|可以|能)(?:转|转学|转过去|转到|上|读|进|报名)(?:[^,，。?？]{0,12})?(?:吗|么|不|没)?[?？]?$|转得了|转学要`)

// personalAsk reports whether a question asks an opinion of schools or the
// citizen's own case: both are beyond what the documents say.
func personalAsk(norm string) bool {
	if rankAskRE.MatchString(norm) {
		return true
	}
	return containsAny(norm, selfWords...) && containsAny(norm, "孩子", "孙子", "孙女", "儿子", "女儿", "娃", "小孩", "外孙", "户口") && ownCaseRE.MatchString(norm)
}

// pointNumeralRE is a threshold verb and a number in numerals that has a
// decimal point or ends in a scale ("达到九十七点五", "达到一百万"), and no
// unit, time or rank after it.
var pointNumeralRE = mustPattern(`(超过|达到|高于|低于|不到|突破|到|过)([零〇一二两三四五六七八九十百千]+点[零〇一二两三四五六七八九]+|[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*[十百千万亿])([^\p{Han}]|没|吗|了|么|呢|$)`)

// haveNotRE is a figure between 有 and the 没有 or 吗 that asks whether it is
// reached: "有一百万没有", "有5000个吗", "有98%没有".
var haveNotRE = mustPattern(`有\s*((?:\d+(?:\.\d+)?|[一两二三四五六七八九十百千]+)[万亿千百]?(?:%|[个所名人项元])?)(?:了)?(?:没有|没|吗|么)`)
