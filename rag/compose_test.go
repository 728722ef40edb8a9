package rag

import "testing"

func TestNamedSpanQuotesTheDocumentsName(t *testing.T) {
	sentence := "2020年全市一般公共预算教育经费133.34亿元,比2015年的81.83亿元增长62.95%"
	tests := []struct{ span, head, want string }{
		// The clause with the figure names no metric: the clause that does is quoted too.
		{"比2015年的81.83亿元增长62.95%", "经费", "2020年全市一般公共预算教育经费133.34亿元,比2015年的81.83亿元增长62.95%"},
		// A span that names the metric stays as it is.
		{"2020年全市一般公共预算教育经费133.34亿元", "经费", "2020年全市一般公共预算教育经费133.34亿元"},
		// No clause names it: the span as it is, never the question's words.
		{"比2015年的81.83亿元增长62.95%", "巩固率", "比2015年的81.83亿元增长62.95%"},
	}
	for _, tt := range tests {
		if got := namedSpan(sentence, tt.span, tt.head); got != tt.want {
			t.Errorf("namedSpan(%q, %q) = %q, want %q", tt.span, tt.head, got, tt.want)
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
