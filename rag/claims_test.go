package rag

import (
	"testing"

	"wenda/rag/zh"
)

// The claim check sentence by sentence, on small sources written for it.
// checkSources are the sources of the sentence tests.
func checkSources() ([]Source, []Chunk, *Gazetteer) {
	plan := Chunk{ID: "plan#1", DocID: "plan", Title: "南昌市教育事业发展“十四五”规划", City: "南昌市", Published: "2022", Period: "十四五",
		Section: "二、发展思路 > (二)发展目标 > 表2 南昌市“十四五”时期教育事业发展主要目标",
		Units: []Unit{{Text: "表2 南昌市“十四五”时期教育事业发展主要目标 · 九年义务教育 · 巩固率:2020年97.01%,2025年97.68%",
			Head: "表2 南昌市“十四五”时期教育事业发展主要目标 · 九年义务教育 · 巩固率", Key: "九年义务教育巩固率",
			Cells: []Cell{{Column: "2020年", Year: 2020, Value: "97.01%"}, {Column: "2025年", Year: 2025, Value: "97.68%"}}}}}
	summary := Chunk{ID: "sum#1", DocID: "sum", Title: "南昌市教育局2020年工作总结", City: "南昌市", Published: "2021", Year: 2020,
		Section: "一、学前教育", Units: []Unit{{Text: zh.Normalize("2020年,全市共有幼儿园１,２４４所,在园幼儿25.7万人,学前三年毛入园率比上年提高1.01个百分点。"), Year: 2020},
			{Text: zh.Normalize("教育经费投入達到１３３．３４億元,建设两所新校。"), Year: 2020}}}
	g := NewGazetteer([]Document{{City: "南昌市"}, {City: "巴中市"}})
	return []Source{sourceOf(plan, 1, 1), sourceOf(summary, 1, 2)}, []Chunk{plan, summary}, g
}

func TestCheckerSentences(t *testing.T) {
	sources, chunks, g := checkSources()
	tests := []struct {
		question string
		sentence string
		want     sentenceVerdict
	}{
		{"南昌义务教育巩固率是多少?", "2020年南昌市义务教育巩固率为97.01%[1]。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "巩固率2020年为97.01%,2025年目标97.68%[1]。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "南昌义务教育巩固率为98.5%[1]。", sentenceBlocked},
		{"南昌有多少幼儿园?", "幼儿园1244所[1]。", sentenceBlocked}, // from an uncited source
		{"南昌有多少幼儿园?", "2020年南昌市共有幼儿园1244所。", sentencePassed},
		{"南昌有多少幼儿园?", "2020年南昌市共有幼儿园1,244所[2]。", sentencePassed},
		{"南昌有多少幼儿园?", "2020年南昌市在园幼儿25.7万[2]。", sentenceBlocked}, // 万 is a scale, not 万人's measure word
		{"南昌有多少幼儿园?", "2020年南昌市在园幼儿257000人[2]。", sentencePassed},
		{"南昌有多少幼儿园?", "2020年学前三年毛入园率比上年提高1.01%[2]。", sentenceBlocked},
		{"南昌有多少幼儿园?", "2020年学前三年毛入园率比上年提高1.01个百分点[2]。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "2025年巩固率目标为97.680%[1]。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "巩固率约为97%[1]。", sentenceBlocked},
		{"南昌义务教育巩固率是多少?", "巩固率为7.01%[1]。", sentenceBlocked},
		{"南昌教育经费是多少?", "2020年南昌市教育经费投入133.34亿元[2]。", sentencePassed},
		{"南昌教育经费是多少?", "2020年南昌市教育经费投入1333400万元[2]。", sentencePassed},
		{"南昌教育经费是多少?", "2020年南昌市建设两所新校[2]。", sentencePassed},
		{"南昌教育经费是多少?", "2020年南昌市建设三所新校[2]。", sentenceBlocked},
		{"南昌义务教育巩固率是多少?", "巩固率为９７．０１％［1］。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "见[1][2]和【3】。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "2020—2025年,南昌巩固率2020年为97.01%[1]。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "1. 2020年巩固率97.01%[1]", sentencePassed},
		{"南昌义务教育巩固率是多少?", "（3）2025年巩固率目标97.68%[1]", sentencePassed},
		{"南昌义务教育巩固率是多少?", "“十四五”规划[1]。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "2020年巩固率97.01%,幼儿园1,244所[1-2]。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "巴中市2020年巩固率为97.01%[1]。", sentenceBlocked},
		{"南昌义务教育巩固率是多少?", "台北市2020年巩固率为97.01%[1]。", sentenceBlocked},
		{"南昌义务教育巩固率是多少?", "“十四五”期间南昌市巩固率目标为97.68%[1]。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "“十三五”期间南昌市巩固率达到97.01%[1]。", sentencePassed}, // 2020 ends 十三五
		{"南昌义务教育巩固率是多少?", "“十三五”期间南昌市巩固率达到97.68%[1]。", sentenceBlocked},
		{"南昌义务教育巩固率是多少?", "2020年南昌市巩固率为97.01%，2025年为97.68%，两者相差0.67个百分点[1]。", sentencePassed},
		{"南昌义务教育巩固率是多少?", "2020年南昌市巩固率为97.01%，2025年为97.68%，两者相差0.7个百分点[1]。", sentencePassed}, // rounded to the shown precision
		{"南昌义务教育巩固率是多少?", "2020年南昌市巩固率为97.01%，2025年为97.68%，两者相差0.6个百分点[1]。", sentenceBlocked},
		{"南昌义务教育巩固率是多少?", "抱歉，现有资料中没有找到相关数据。", sentenceRefusal},
		{"南昌义务教育巩固率达到97%了吗?", "是的，2020年南昌市巩固率为97.01%，已达到97%[1]。", sentencePassed},
		{"南昌义务教育巩固率达到97%了吗?", "没有，2020年南昌市巩固率为97.01%，未达到97%[1]。", sentenceBlocked},
		// Whether a goal was reached, no figure given: the verdict is held
		// to the result and the goal the sentence states.
		{"南昌义务教育巩固率2020年达到十四五目标了吗?", "否，2020年为97.01%，2025年目标为97.68%，尚未达到。", sentencePassed},
		{"南昌义务教育巩固率2020年达到十四五目标了吗?", "是，2020年为97.01%，2025年目标为97.68%，已经达到。", sentenceBlocked},
		{"南昌义务教育巩固率2020年达到十四五目标了吗?", "是的，已经达到目标。", sentenceBlocked},
	}
	for _, tt := range tests {
		q := parseQuery(zh.Normalize(tt.question), g)
		ext := Answer{Answered: true}
		c := newChecker(q, g, sources, chunks, ext, nil)
		if got := c.check(tt.sentence); got != tt.want {
			t.Errorf("check(%q) for %q = %d, want %d (claims %+v)", tt.sentence, tt.question, got, tt.want, c.claims)
		}
	}
}

func TestSentenceEnd(t *testing.T) {
	tests := []struct {
		in    string
		final bool
		want  string
	}{
		{"巩固率为97.01%[1]。目标", false, "巩固率为97.01%[1]。"},
		{"巩固率为97.01%。[1]目标", false, "巩固率为97.01%。[1]"},
		{"巩固率为97.01%。[", false, ""},
		{"巩固率为97.01%。", false, ""},
		{"巩固率为97.01%。", true, "巩固率为97.01%。"},
		{"巩固率为97.01%", false, ""},
		{"巩固率为97.01%", true, "巩固率为97.01%"},
		{"一、概况\n二", false, "一、概况\n"},
		{"他说：“好。”然后", false, "他说：“好。”"},
	}
	for _, tt := range tests {
		if got := tt.in[:sentenceEnd(tt.in, tt.final)]; got != tt.want {
			t.Errorf("sentenceEnd(%q, %v) cuts %q, want %q", tt.in, tt.final, got, tt.want)
		}
	}
}

func FuzzCheckSentence(f *testing.F) {
	for _, s := range []string{"2020年南昌市巩固率为97.01%[1]。", "是的，已超过97%（97.68%−97.01%）[1-2]", "九成五【1】", "(", "比2020年高0.67个百分点（", "否"} {
		f.Add("南昌义务教育巩固率达到97%了吗?", s)
	}
	sources, chunks, g := checkSources()
	f.Fuzz(func(t *testing.T, question, sentence string) {
		c := newChecker(parseQuery(zh.Normalize(question), g), g, sources, chunks, Answer{Answered: true}, nil)
		c.check(sentence)
		sentenceEnd(sentence, false)
		sentenceEnd(sentence, true)
	})
}

// A yearly average worked from a period's total: the average and the years
// it is shared over are both checked.
func TestCheckerYearlyAverage(t *testing.T) {
	review := Chunk{ID: "review#1", DocID: "review", Title: "某市“十四五”教育发展回顾", City: "九江市", Published: "2025",
		Section: "资源供给", Units: []Unit{{Text: zh.Normalize("“十四五”期间,全市财政性教育经费累计投入达704.97亿元。"), Period: "十四五"}}}
	g := NewGazetteer([]Document{{City: "九江市"}})
	sources := []Source{sourceOf(review, 1, 1)}
	tests := []struct {
		sentence string
		want     sentenceVerdict
	}{
		{"平均每年约140.99亿元（704.97亿元 ÷ 5年）[1]。", sentencePassed},
		{"平均每年约141亿元（704.97亿元 ÷ 5年）[1]。", sentenceBlocked},     // not to the cent the working shows
		{"平均每年约234.99亿元（704.97亿元 ÷ 3年）[1]。", sentenceBlocked},  // the period has five years
		{"平均每年约150亿元（750亿元 ÷ 5年）[1]。", sentenceBlocked},        // no such total
		{"平均每人约2143元（704.97亿元 ÷ 3290万人）[1]。", sentenceBlocked}, // no such count
	}
	for _, tt := range tests {
		q := parseQuery(zh.Normalize("这座城“十四五”那五年年均经费多少?"), g)
		c := newChecker(q, g, sources, []Chunk{review}, Answer{Answered: true}, nil)
		if got := c.check(tt.sentence); got != tt.want {
			t.Errorf("check(%q) = %d, want %d (claims %+v)", tt.sentence, got, tt.want, c.claims)
		}
	}
}

// A change worked as a share of the earlier level: its working is checked.
func TestCheckerRelativeChange(t *testing.T) {
	row := Chunk{ID: "plan#2", DocID: "plan", Title: "南昌市教育事业发展“十四五”规划", City: "南昌市", Published: "2022", Period: "十四五",
		Section: "表1 南昌市“十三五”时期教育事业发展主要成就",
		Units: []Unit{{Text: "表1 南昌市“十三五”时期教育事业发展主要成就 · 九年义务教育 · 在校生:2015年59.7万人,2020年64.5万人",
			Head: "表1 南昌市“十三五”时期教育事业发展主要成就 · 九年义务教育 · 在校生", Key: "九年义务教育在校生",
			Cells: []Cell{{Column: "2015年", Year: 2015, Value: "59.7万人"}, {Column: "2020年", Year: 2020, Value: "64.5万人"}}}}}
	g := NewGazetteer([]Document{{City: "南昌市"}})
	sources, chunks := []Source{lineSource(row, candidate{unit: row.Units[0]}, 1)}, []Chunk{row}
	q := parseQuery(zh.Normalize("2015至2020年南昌九年制学校在校人数升幅是多少%?"), g)
	tests := []struct {
		sentence string
		want     sentenceVerdict
	}{
		{"增长8.04%（(64.5万人 − 59.7万人) ÷ 59.7万人）[1]。", sentencePassed},
		{"占比约92.6%（59.7万人 ÷ 64.5万人）[1]。", sentencePassed},
		{"占比约95%（59.7万人 ÷ 64.5万人）[1]。", sentenceBlocked},
		{"增长8.5%（(64.5万人 − 59.7万人) ÷ 59.7万人）[1]。", sentenceBlocked},
		{"增长8.04%（(64.5万人 − 59.7万人) ÷ 60万人）[1]。", sentenceBlocked},
	}
	for _, tt := range tests {
		c := newChecker(q, g, sources, chunks, Answer{Answered: true}, nil)
		if got := c.check(tt.sentence); got != tt.want {
			t.Errorf("check(%q) = %d, want %d (claims %+v)", tt.sentence, got, tt.want, c.claims)
		}
	}
}
