package rag

import (
	"strings"
	"testing"
)

// turnsOf is a conversation of user questions, each answered "好的".
func turnsOf(questions ...string) []Message {
	var h []Message
	for _, q := range questions {
		h = append(h, Message{Role: RoleUser, Content: q}, Message{Role: RoleAssistant, Content: "好的"})
	}
	return h
}

func TestGapOfTheLastTwoTurns(t *testing.T) {
	e, _ := seedEngine(t)
	for _, c := range []struct {
		history  []string
		question string
		want     []string // in the answer, in order
	}{
		// A goal and a result of one place: the goal says it is one.
		{[]string{"南昌巩固率2025年定的目标", "2020年的呢"}, "离那个目标差多少个点", []string{"97.68%", "97.01%", "目标", "0.67个百分点"}},
		// Two places: which is more, and how many times.
		{[]string{"九江：教育集团个数", "南昌2020年：教育集团个数"}, "后者是前者多少倍", []string{"30个", "40个", "倍"}},
	} {
		a, err := e.Ask(t.Context(), Request{Question: c.question, History: turnsOf(c.history...)})
		if err != nil {
			t.Fatal(err)
		}
		at := 0
		for _, w := range c.want {
			i := strings.Index(a.Answer[at:], w)
			if i < 0 {
				t.Errorf("%s: %q not in order in\n%s", c.question, w, a.Answer)
				break
			}
			at += i
		}
		if !a.Answered || len(a.Sources) != 2 || len(a.Figures) != 2 {
			t.Errorf("%s: answered %v with %d sources, %d figures", c.question, a.Answered, len(a.Sources), len(a.Figures))
		}
		for _, s := range a.Sources {
			if !strings.Contains(a.Answer, "["+string(rune('0'+s.N))+"]") {
				t.Errorf("%s: source %d not cited in\n%s", c.question, s.N, a.Answer)
			}
		}
	}
}

func TestGapOfTurnsNeedsABareAsk(t *testing.T) {
	e, _ := seedEngine(t)
	h := turnsOf("九江：教育集团个数", "南昌2020年：教育集团个数")
	// A follow-up naming a measure of its own is asked of it, not of the
	// two figures before.
	if _, ok, err := e.turnsGap(t.Context(), Request{Question: "专任教师的话南昌比九江多多少", History: h}); err != nil || ok {
		t.Errorf("a follow-up naming its own measure was answered as the gap of the turns (ok=%v, err=%v)", ok, err)
	}
	// A change asked after two turns is the change of the last one ("高了
	// 多少个点"): no two things are compared.
	if _, ok, _ := e.turnsGap(t.Context(), Request{Question: "高了多少个点", History: turnsOf("南昌中考体育的分值比例以前", "后来的呢")}); ok {
		t.Error("a change asked of the last answer was answered as the gap of two turns")
	}
	// One turn only: nothing to compare.
	if _, ok, _ := e.turnsGap(t.Context(), Request{Question: "差多少", History: h[:2]}); ok {
		t.Error("a gap asked after one question was answered")
	}
}
