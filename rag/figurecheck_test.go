package rag_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenda/rag"
)

func TestUnverifiedFigures(t *testing.T) {
	sources := []rag.Source{
		{N: 1, Title: "南昌市教育事业发展“十四五”规划", Text: "表2 · 九年义务教育 · 巩固率:2020年97.01%,2025年97.68%"},
		{N: 2, Text: "全市共有幼儿园1,244所,在园幼儿25.7万人,比上年提高1.01个百分点。"},
		{N: 3, Text: "九江市教育经费投入達到１３３．３４億元。"}, // traditional, full-width
	}
	tests := []struct {
		name   string
		answer string
		want   []string
	}{
		{"cited figure", "2020年南昌市义务教育巩固率为97.01%[1]。", nil},
		{"two cited", "巩固率2020年为97.01%,2025年目标97.68%[1]。", nil},
		{"invented figure", "南昌义务教育巩固率为98.5%[1]。", []string{"98.5%"}},
		{"figure from an uncited source", "幼儿园1244所[1]。", []string{"1244所"}},
		{"no citation: any source", "幼儿园1244所。", nil},
		{"comma dropped", "全市幼儿园1244所[2]。", nil},
		{"trailing zero", "2025年目标为97.680%[1]。", nil},
		{"measure word dropped", "在园幼儿25.7万[2]。", nil},
		{"scale changed", "在园幼儿257000人[2]。", nil},
		{"percent for percentage points", "提高了1.01%[2]。", []string{"1.01%"}},
		{"rounded", "巩固率约为97%[1]。", []string{"97%"}},
		{"part of a longer number", "巩固率为7.01%[1]。", []string{"7.01%"}},
		{"normalised source", "九江市教育经费133.34亿元[3]。", nil},
		{"full-width answer", "巩固率为９７．０１％［1］。", nil},
		{"citation markers are not figures", "见[1][2]和【3】。", nil},
		{"years are not figures", "2020—2025年,南昌巩固率97.01%[1]。", nil},
		{"list numbers are not figures", "1. 2020年巩固率97.01%[1]\n2. 2025年目标97.68%[1]\n（3）其他", nil},
		{"number in the title", "“十四五”规划[1]。", nil},
		{"range citation", "巩固率97.01%,幼儿园1,244所[1-2]。", nil},
		{"unknown citation falls back to all", "幼儿园1,244所[9]。", nil},
		{"repeated bad figure once", "98.5%,还是98.5%[1]。", []string{"98.5%"}},
		{"figure starting a line", "98.5%是南昌的巩固率[1]。", []string{"98.5%"}},
		{"list marker before text", "1.南昌巩固率97.01%[1]\n2、目标97.68%[1]", nil},
		{"refusal", "抱歉,现有资料中没有找到相关数据。", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rag.UnverifiedFigures(tt.answer, sources)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("UnverifiedFigures(%q) mismatch (-want +got):\n%s", tt.answer, diff)
			}
		})
	}
}
