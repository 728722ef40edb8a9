package rag_test

import (
	"strconv"
	"strings"
	"testing"

	"wenda/rag"
	"wenda/rag/ragtest"
)

// A scripted model on 南昌's 巩固率 (2015年96%, 2020年97.01%, 比2015年提高1.01个
// 百分点; the 2025 target 97.68%). Each reply is written out by hand, citing
// the prompt's source that holds the figure: the right ones must reach the
// citizen as written, the wrong ones never.
func TestClaimCheckScripted(t *testing.T) {
	const (
		yesNo   = "南昌义务教育巩固率超过98%了吗?"
		target  = "南昌2025年义务教育巩固率目标是多少?"
		ruyuan  = "南昌学前教育毛入园率超过98%了吗?"
		compare = "九江和南昌的学前三年毛入园率谁高?"
	)
	tests := []struct {
		name     string
		question string
		reply    string // {n}: the source holding 97.01%, {m}: the one holding its 2025 goal; {r}, {j}: 98.83%, 98.6%
		pass     bool   // the reply is the answer, as written
		never    string // blocked: text no event and no answer may hold
	}{
		{"plain", nanchang, "2020年南昌市九年义务教育巩固率为97.01%[{n}]。", true, ""},
		{"百分之 and Arabic", nanchang, "2020年南昌市九年义务教育巩固率为百分之97.01[{n}]。", true, ""},
		{"full-width", nanchang, "2020年南昌市九年义务教育巩固率为９７．０１％[{n}]。", true, ""},
		{"numerals", nanchang, "2020年南昌市九年义务教育巩固率为百分之九十七点零一[{n}]。", true, ""},
		{"with the change", nanchang, "2020年南昌市九年义务教育巩固率为97.01%，比2015年提高1.01个百分点[{n}]。", true, ""},
		{"difference worked out", target, "2020年南昌市九年义务教育巩固率为97.01%[{n}]。“十四五”规划目标是到2025年达到97.68%，目标比2020年高0.67个百分点[{m}]。", true, ""},
		{"difference with its working", target, "南昌市九年义务教育巩固率“十四五”规划目标是到2025年达到97.68%，比2020年高0.67个百分点（97.68%−97.01%）[{m}]。", true, ""},
		{"a change to a goal over its level, brackets nested", target, "南昌市九年义务教育巩固率2025年目标比2020年增长0.69%（(97.68% − 97.01%) ÷ 97.01%）[{m}]。", true, ""},
		{"a goal of its year", target, "南昌市2025年九年义务教育巩固率达到97.68%[{m}]。", true, ""},
		{"no verdict asked", nanchang, "南昌市九年义务教育巩固率为97.01%[{n}]。", true, ""},
		{"yes/no: the citizen's threshold passed", ruyuan, "是的，南昌市学前教育毛入园率目前达98.83%，已超过98%[{r}]。", true, ""},
		{"difference between two places", compare, "九江市学前三年毛入园率达98.6%[{j}]，南昌市2023年学前教育毛入园率为98.83%[{r}]，南昌高出0.23个百分点。", true, ""},
		{"yes/no: right verdict", yesNo, "没有。2020年南昌市九年义务教育巩固率为97.01%，没有超过98%[{n}]。", true, ""},
		{"yes/no: threshold repeated", yesNo, "2020年南昌市九年义务教育巩固率为97.01%，低于98%[{n}]。", true, ""},

		{"wrong year", nanchang, "2019年南昌市九年义务教育巩固率为97.01%[{n}]。", false, "2019年"},
		{"wrong city", nanchang, "九江市九年义务教育巩固率为97.01%[{n}]。", false, "九江"},
		{"target as achieved", nanchang, "2020年南昌市九年义务教育巩固率已达到97.68%[{n}]。", false, "巩固率已达到97.68%"},
		{"九成五", nanchang, "南昌市九年义务教育巩固率达到九成五[{n}]。", false, "九成五"},
		{"八成", nanchang, "南昌市九年义务教育巩固率约八成[{n}]。", false, "八成"},
		{"invented", nanchang, "南昌义务教育巩固率为98.5%[{n}]。", false, "98.5"},
		{"invented, citing nothing", nanchang, "南昌义务教育巩固率为98.5%", false, "98.5"},
		{"wrong difference", target, "2020年南昌市九年义务教育巩固率为97.01%[{n}]。目标比2020年高0.76个百分点[{m}]。", false, "0.76"},
		{"sum not of its working", target, "南昌市九年义务教育巩固率2020年为97.01%，2025年目标97.68%，合计194.7%（97.68%+97.01%）[{m}]。", false, "194.7"},
		{"wrong divisor in nested brackets", target, "南昌市九年义务教育巩固率2025年目标比2020年增长0.69%（(97.68% − 97.01%) ÷ 97.1%）[{m}]。", false, "97.1%"},
		{"wrong working", target, "南昌市九年义务教育巩固率目标比2020年高0.67个百分点（97.68%−97.1%）[{m}]。", false, "97.1%"},
		{"goal as achieved, with its source", target, "2020年南昌市九年义务教育巩固率已达到97.68%[{m}]。", false, "巩固率已达到97.68%"},
		{"goal in another year", target, "2024年南昌市九年义务教育巩固率目标为97.68%[{m}]。", false, "2024年"},
		{"percent for points", nanchang, "2020年南昌市九年义务教育巩固率为97.01%，比2015年提高1.01%[{n}]。", false, "1.01%"},
		{"a unit is a unit", nanchang, "南昌市九年义务教育巩固率为97.01%，辍学学生减少了1人[{n}]。", false, "1人"},
		{"count in numerals", nanchang, "2020年南昌市九年义务教育巩固率为97.01%，共有一千五百人辍学[{n}]。", false, "一千五百人"},
		{"rounded", nanchang, "2020年南昌市九年义务教育巩固率约为97%[{n}]。", false, "97%"},
		{"yes/no: wrong threshold verdict", ruyuan, "南昌市学前教育毛入园率目前达98.83%，没有超过98%[{r}]。", false, "98.83%，没有超过"},
		{"difference between two places, wrong", compare, "九江市学前三年毛入园率达98.6%[{j}]，南昌市2023年学前教育毛入园率为98.83%[{r}]，南昌高出1.23个百分点。", false, "1.23"},
		{"yes/no: wrong verdict", yesNo, "是的，2020年南昌市九年义务教育巩固率为97.01%，已超过98%[{n}]。", false, "已超过"},
		{"yes/no: wrong yes", yesNo, "是的。2020年南昌市九年义务教育巩固率为97.01%[{n}]。", false, "是的"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ragtest.NewServer(t, ragtest.TestKey)
			var sent string
			srv.ChatFunc(func(req ragtest.ChatRequest) ragtest.Reply {
				n := sourceWith(req, "97.01%")
				if n == 0 && strings.Contains(tt.reply, "{n}") {
					t.Errorf("no source holds 97.01%%")
				}
				m := sourceWith(req, "2025年97.68%")
				if m == 0 && strings.Contains(tt.reply, "{m}") {
					t.Errorf("no source holds the 2025 goal")
				}
				r, j := sourceWith(req, "98.83%"), sourceWith(req, "98.6%")
				sent = strings.NewReplacer("{n}", strconv.Itoa(n), "{m}", strconv.Itoa(m), "{r}", strconv.Itoa(r), "{j}", strconv.Itoa(j)).Replace(tt.reply)
				return ragtest.Reply{Text: sent}
			})
			e := llmEngine(t, srv, rag.LLMConfig{})
			var rec recorder
			a, err := e.AskStream(t.Context(), rag.Request{Question: tt.question}, rec.events())
			if err != nil {
				t.Fatal(err)
			}
			if a.Claims == nil {
				t.Fatalf("answer has no claim counts")
			}
			if tt.pass {
				if a.Mode != rag.ModeLLM || a.Answer != sent || a.Claims.Blocked != 0 || a.Claims.Passed == 0 {
					t.Errorf("answer mode=%q claims=%+v %q, want the model's %q as written", a.Mode, *a.Claims, a.Answer, sent)
				}
			} else {
				if strings.Contains(a.Answer, tt.never) || strings.Contains(rec.text(), tt.never) {
					t.Errorf("the citizen got %q (streamed %q), holding %q", a.Answer, rec.text(), tt.never)
				}
				if a.Claims.Blocked == 0 {
					t.Errorf("claims = %+v, want one blocked", *a.Claims)
				}
				if !strings.ContainsAny(a.Answer, "0123456789") {
					t.Errorf("answer %q lacks the right figures", a.Answer)
				}
			}
			if rec.text() != a.Answer {
				t.Errorf("streamed %q, answer %q: the deltas must be the answer", rec.text(), a.Answer)
			}
		})
	}
}

// TestClaimCheckRefusal: a model that says the sources do not answer, while
// the extractive answer found the figure, gives the extractive answer.
func TestClaimCheckRefusal(t *testing.T) {
	srv := ragtest.NewServer(t, ragtest.TestKey)
	srv.Chat(ragtest.Reply{Text: "抱歉，现有资料中没有找到相关数据。"})
	var rec recorder
	a, err := llmEngine(t, srv, rag.LLMConfig{}).AskStream(t.Context(), rag.Request{Question: nanchang}, rec.events())
	if err != nil {
		t.Fatal(err)
	}
	if a.Mode != rag.ModeExtractive || a.Fallback != rag.FallbackRefusal || !a.Answered || !strings.Contains(a.Answer, "97.01%") {
		t.Errorf("answer mode=%q fallback=%q answered=%v %q, want the extractive 97.01%%", a.Mode, a.Fallback, a.Answered, a.Answer)
	}
	if strings.Contains(rec.text(), "没有找到") || len(rec.sources) != 1 {
		t.Errorf("streamed %q with %d sources events, want the extractive answer only", rec.text(), len(rec.sources))
	}
}
