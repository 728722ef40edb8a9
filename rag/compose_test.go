package rag

import (
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
func TestRepairTypoAtWordEnd(t *testing.T) {
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
