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
		{[]string{"南昌2025年九年义务教育巩固率的目标是多少", "2020年呢"}, "离目标差几个百分点", []string{"97.68%", "97.01%", "目标", "0.67个百分点"}},
		// Two places: which is more, and how many times.
		{[]string{"九江十四五新增学位多少个", "南昌十三五新增学位多少个"}, "南昌是九江的几倍", []string{"4.8万", "25.7万", "倍"}},
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
	h := turnsOf("九江十四五新增学位多少个", "南昌十三五新增学位多少个")
	// A follow-up naming a measure of its own is asked of it, not of the
	// two figures before.
	if _, ok, err := e.turnsGap(t.Context(), Request{Question: "那南昌的专任教师比九江多多少", History: h}); err != nil || ok {
		t.Errorf("a follow-up naming its own measure was answered as the gap of the turns (ok=%v, err=%v)", ok, err)
	}
	// A change asked after two turns is the change of the last one ("提高
	// 了几个百分点"): no two things are compared.
	if _, ok, _ := e.turnsGap(t.Context(), Request{Question: "提高了几个百分点", History: turnsOf("南昌中考体育分数占总分的比例原来多少", "现在提到了多少")}); ok {
		t.Error("a change asked of the last answer was answered as the gap of two turns")
	}
	// One turn only: nothing to compare.
	if _, ok, _ := e.turnsGap(t.Context(), Request{Question: "差多少", History: h[:2]}); ok {
		t.Error("a gap asked after one question was answered")
	}
}
