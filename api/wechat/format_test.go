package wechat

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain stays", "2020年南昌市义务教育巩固率为97.01%[1]。", "2020年南昌市义务教育巩固率为97.01%[1]。"},
		{"emphasis", "巩固率为**97.01%**,目标＊＊97.68%＊＊[2]", "巩固率为97.01%,目标97.68%[2]"},
		{"heading and bullets", "## 主要目标\n- 巩固率 97.68%\n* 入园率 92%", "主要目标\n• 巩固率 97.68%\n• 入园率 92%"},
		{"quote and code", "> 引自规划\n```\n原文\n```\n用 `代码`", "引自规划\n原文\n用 代码"},
		{"link", "详见[规划全文](https://example.gov.cn/a.pdf)", "详见规划全文: https://example.gov.cn/a.pdf"},
		{"citation before parenthesis", "巩固率为97.01%[1](2020年)", "巩固率为97.01%[1](2020年)"},
		{"table", "| 指标 | 2020年 | 2025年 |\n|---|---|---|\n| 巩固率 | 97.01% | 97.68% |",
			"指标: 巩固率; 2020年: 97.01%; 2025年: 97.68%"},
		{"blank lines", "第一段\n\n\n\n第二段\r\n", "第一段\n\n第二段"},
		{"control characters", "答\x00案\x1b[1m", "答案[1m"},
		{"rule", "上\n---\n下", "上\n下"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, plainText(tt.in)); diff != "" {
				t.Errorf("plainText(%q) = got, want want (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestSourceLines(t *testing.T) {
	tests := []struct {
		name string
		in   Reply
		want string
	}{
		{"two sources", Reply{Answered: true, Sources: []string{
			"[1] 南昌市教育事业发展“十四五”规划(南昌市,2022)",
			"[2][3] 南昌市教育局2020年工作总结(南昌市)",
		}}, "来源:\n[1] 南昌市教育事业发展“十四五”规划(南昌市,2022)\n[2][3] 南昌市教育局2020年工作总结(南昌市)"},
		{"not answered, related figures cited", Reply{Answered: false, Sources: []string{"[1] x"}}, "来源:\n[1] x"},
		{"not answered, nothing cited", Reply{Answered: false}, ""},
		{"no sources", Reply{Answered: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, sourceLines(tt.in)); diff != "" {
				t.Errorf("sourceLines() = got, want want (-want +got):\n%s", diff)
			}
		})
	}
}

// checkParts fails unless every part is valid UTF-8, non-empty and at most limit bytes.
func checkParts(t *testing.T, parts []string, limit int) {
	t.Helper()
	for i, p := range parts {
		if p == "" || len(p) > limit || !utf8.ValidString(p) {
			t.Errorf("part %d: %d bytes, valid UTF-8 %v; want 1..%d bytes of valid UTF-8", i, len(p), utf8.ValidString(p), limit)
		}
	}
}

func TestRenderLongAnswer(t *testing.T) {
	sentence := "九江市“十四五”期间财政性教育经费累计投入大幅增长,义务教育优质均衡发展取得新进展[1]。"
	long := strings.Repeat(sentence, 200) // about 26 KB: more than five messages
	r := Reply{Text: long, Answered: true, Sources: []string{"[1] 辉煌“十四五” 九江勇争先(九江市,2025-12-12)"}}
	sources := sourceLines(r)

	t.Run("customer service", func(t *testing.T) {
		parts := render(r, maxPushMessages)
		if len(parts) != maxPushMessages {
			t.Fatalf("render(%d bytes, %d) = %d parts, want %d", len(long), maxPushMessages, len(parts), maxPushMessages)
		}
		checkParts(t, parts, 2048)
		checkParts(t, parts, maxMessageBytes)
		for i, p := range parts[:len(parts)-1] {
			if !strings.HasSuffix(p, "。") {
				t.Errorf("part %d ends %q, want a sentence end", i, p[len(p)-9:])
			}
		}
		last := parts[len(parts)-1]
		if !strings.HasSuffix(last, ellipsis+"\n\n"+sources) {
			t.Errorf("last part ends %q, want …, then the sources", last[max(0, len(last)-200):])
		}
	})
	t.Run("passive", func(t *testing.T) {
		parts := render(r, 1)
		if len(parts) != 1 {
			t.Fatalf("render(%d bytes, 1) = %d parts, want 1", len(long), len(parts))
		}
		checkParts(t, parts, maxMessageBytes)
		if want := "。" + ellipsis + "\n\n" + sources; !strings.HasSuffix(parts[0], want) {
			t.Errorf("passive reply ends %q, want it to end %q", parts[0][len(parts[0])-200:], want)
		}
	})
	t.Run("fits", func(t *testing.T) {
		short := Reply{Text: sentence, Answered: true, Sources: r.Sources}
		if diff := cmp.Diff([]string{sentence + "\n\n" + sources}, render(short, 1)); diff != "" {
			t.Errorf("render(short) = got, want want (-want +got):\n%s", diff)
		}
	})
	t.Run("split in two", func(t *testing.T) {
		mid := Reply{Text: strings.Repeat(sentence, 25), Answered: true, Sources: r.Sources} // about 3.2 KB
		parts := render(mid, maxPushMessages)
		checkParts(t, parts, maxMessageBytes)
		if len(parts) != 2 || strings.Contains(strings.Join(parts, ""), ellipsis) || !strings.HasSuffix(parts[1], sources) {
			t.Errorf("render(%d bytes) = %d parts, want 2 holding all of it, sources last", len(mid.Text), len(parts))
		}
	})
}

func TestSplitUnbroken(t *testing.T) {
	// No line breaks or sentence ends at all: the cut falls on a character boundary.
	s := strings.Repeat("教", 1000) + strings.Repeat("a", 7) + strings.Repeat("育", 1000)
	parts := split(s, 100)
	checkParts(t, parts, 100)
	if got := strings.Join(parts, ""); got != s {
		t.Errorf("split lost text: joined %d bytes, want %d", len(got), len(s))
	}
	if got := truncate(s, 100); len(got) > 100 || !utf8.ValidString(got) || !strings.HasSuffix(got, ellipsis) {
		t.Errorf("truncate(s, 100) = %q (%d bytes), want ≤ 100 bytes of valid UTF-8 ending in …", got, len(got))
	}
	if got := split("教育", 2); !cmp.Equal(got, []string{"教", "育"}) {
		t.Errorf(`split("教育", 2) = %q, want one character each`, got)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("南昌义务教育巩固率是多少?\n答:97.01%。", 16)
	f.Add(strings.Repeat("九江。", 100), 31)
	f.Add("a\xffb\n\n\nc", 1)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 4 || limit > 4096 || !utf8.ValidString(s) {
			t.Skip()
		}
		parts := split(s, limit)
		checkParts(t, parts, limit)
		if got, want := strings.Join(strings.Fields(strings.Join(parts, "")), ""), strings.Join(strings.Fields(s), ""); got != want {
			t.Errorf("split(%q, %d) lost text: %q", s, limit, parts)
		}
		for _, n := range []int{1, 5} {
			checkParts(t, layout(s, "来源:\n[1] 标题", n, limit+16), limit+16)
		}
	})
}
