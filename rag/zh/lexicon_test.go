package zh

import (
	"strings"
	"testing"
)

func TestLexiconParses(t *testing.T) {
	groups, err := Lexicon()
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) < 30 {
		t.Fatalf("lexicon has %d groups, want the whole domain (≥ 30)", len(groups))
	}
}

// Every variant of every group reaches its term, alone and inside a
// question, and the term itself is left as it is.
func TestCanonicalEveryGroup(t *testing.T) {
	groups, err := Lexicon()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if got := Canonical(g.Term); got != g.Term {
			t.Errorf("Canonical(%q) = %q, want the term unchanged", g.Term, got)
		}
		for _, v := range g.Variants {
			if got := Canonical(v); got != g.Term {
				t.Errorf("Canonical(%q) = %q, want %q", v, got, g.Term)
			}
			q := "南昌" + v + "是多少"
			if got := Canonical(q); !strings.Contains(got, g.Term) {
				t.Errorf("Canonical(%q) = %q, want it to hold %q", q, got, g.Term)
			}
		}
	}
}

func TestCanonicalLongestVariantWins(t *testing.T) {
	tests := []struct{ in, want string }{
		{"幼儿园老师有多少", "幼儿园教师有多少"},
		{"学前三年毛入园率", "毛入园率"},
		{"巩固率", "巩固率"},
		{"入园率是多少", "毛入园率是多少"},
		{"中职在校生", "中等职业教育在校生"},
		{"九年义务教育巩固率", "义务教育巩固率"},
		{"外地娃上学", "随迁子女入学"},
		{"今年多了多少个上学名额", "今年新增多少个学位"},
	}
	for _, tt := range tests {
		if got := Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseLexiconRejectsDuplicates(t *testing.T) {
	if _, err := ParseLexicon("教师 = 老师\n学生 = 老师\n"); err == nil {
		t.Fatal("a variant in two groups was accepted")
	}
	if _, err := ParseLexicon("教师\n"); err == nil {
		t.Fatal("a line without '=' was accepted")
	}
}

func TestMasksHideCompoundsHoldingTheMetric(t *testing.T) {
	m := Masks("小学")
	if m == nil {
		t.Fatal("Masks(小学) = nil, want 中小学 hidden")
	}
	if got := m.Replace("21所中小学校有效落实"); strings.Contains(got, "小学") {
		t.Errorf("masked text %q still holds 小学", got)
	}
	if got := m.Replace("全市小学1200元"); !strings.Contains(got, "小学") {
		t.Errorf("masked text %q lost a real 小学", got)
	}
	if Masks("中小学校园") != nil {
		t.Error("a metric that names the compound must not hide it")
	}
}

// A variant that holds another group's term is also read with that group's
// variants: the rewriter replaces once, so the composed form is listed.
func TestCanonicalComposesVariants(t *testing.T) {
	for in, want := range map[string]string{
		"普惠性幼稚园的覆盖率": "普惠园的覆盖率",
		"普惠性幼儿园之覆盖率": "普惠园之覆盖率",
		"普惠性幼稚园之覆盖率": "普惠园之覆盖率",
		"幼稚园入园率":     Canonical("幼儿园入园率"),
	} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}
