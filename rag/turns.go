package rag

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"wenda/rag/zh"
)

// turnsGapRE asks how two figures differ or which is more, naming neither:
// "还差几个点", "是…的几倍", "多投了多少", "哪个高".
var turnsGapRE = mustPattern(`几倍|多少倍|差(?:了)?(?:多少|几)|相差|差距|(?:多|少|高|低)(?:了|出)?[投招建花]?(?:了)?(?:多少|几)|(?:哪个|谁)(?:更)?(?:多|高|大|少|低)`)

// turnWords point back at what the conversation asked, or ask only the
// gap: they name no measure.
var turnWords = strings.NewReplacer("前者", " ", "后者", " ", "这个", " ", "那个", " ", "这两个", " ", "两个", " ", "两者", " ", "它们", " ", "这", " ", "那", " ", "离", " ", "还", " ",
	"目标", " ", "实际", " ", "规划", " ", "十二五", " ", "十三五", " ", "十四五", " ", "十五五", " ", "期间", " ", "时期", " ", "数", " ", "相差", " ", "差距", " ", "差", " ", "倍", " ", "比", " ", "是", " ", "的", " ", "哪个", " ", "谁", " ", "更", " ", "高", " ", "低", " ", "大", " ", "投", " ")

// userTurns returns the standalone form of each user turn of a history, in
// order, as Standalone rewrites them.
func (e *Engine) userTurns(history []Message) []string {
	g, _ := e.gazetteer()
	var out []string
	prev := ""
	for _, m := range history {
		if m.Role == RoleUser && strings.TrimSpace(m.Content) != "" {
			prev = rewrite(strings.TrimSpace(m.Content), prev, g)
			out = append(out, prev)
		}
	}
	return out
}

// turnsGap answers a follow-up that asks how the figures of the last two
// questions differ ("离目标差几个点", "A城是B城的几倍", "这一期比上一期
// 多投多少"): each of the two is answered again, as it was, and their
// principal figures compared, worked and shown with both lines. ok is false
// when the follow-up names a measure of its own, or either question has no
// answer, or the figures are not of one kind of unit.
func (e *Engine) turnsGap(ctx context.Context, req Request) (Answer, bool, error) {
	if len(req.History) < 3 {
		return Answer{}, false, nil
	}
	g, covered := e.gazetteer()
	norm := zh.NormalizeQuestion(req.Question)
	if !turnsGapRE.MatchString(norm) || !containsAny(norm, "倍", "差", "哪个", "谁", "比") {
		// "高了多少个点" asks the change of what was just asked, which
		// the follow-up's rewrite answers; two things are compared by
		// 比, 差, 倍 or a which.
		return Answer{}, false, nil
	}
	cq := parseQuery(norm, g)
	if len(metricTerms(turnWords.Replace(changeWordsOut.Replace(cq.metric)))) > 0 || len(cq.years) > 0 {
		return Answer{}, false, nil
	}
	turns := e.userTurns(req.History)
	if len(turns) < 2 {
		return Answer{}, false, nil
	}
	earlier := turns[len(turns)-2:]
	if earlier[0] == earlier[1] {
		return Answer{}, false, nil
	}
	var facts []Figure
	var lines []string
	var sources []Source
	for _, s := range earlier {
		q := parseQuery(zh.NormalizeQuestion(s), g)
		if len(cq.places) > 0 && !namesAnyPlace(q, cq.places) {
			return Answer{}, false, nil // "A城比B城多几个": the places named are those asked of
		}
		a, err := e.plan(ctx, q, s, covered)
		if err != nil || !a.Answered {
			return Answer{}, false, err
		}
		f, ok := principal(q, a.Figures)
		if !ok {
			return Answer{}, false, nil
		}
		line, src, ok := figureLine(a, f, len(sources))
		if !ok {
			return Answer{}, false, nil
		}
		f.N += len(sources)
		facts = append(facts, f)
		lines = append(lines, line)
		sources = append(sources, src...)
	}
	if facts[0].Value == facts[1].Value && facts[0].Unit == facts[1].Unit && facts[0].Period == facts[1].Period && facts[0].Place == facts[1].Place {
		return Answer{}, false, nil // one figure answered both: nothing to compare
	}
	named := slices.Clone(facts)
	if facts[0].Place == facts[1].Place {
		// One place at two times: the times tell the two apart.
		for i := range named {
			named[i].Place += periodName(named[i])
		}
	}
	if facts[0].Kind != facts[1].Kind {
		// The two answers were shown labelled, a goal as a goal: the
		// comparison of a result with it is asked, and says which is which.
		cq.norm += "（目标）"
	}
	if containsAny(norm, "多少", "几") && !strings.Contains(norm, "倍") {
		cq.intent.change = true // "多投了多少": the gap is asked, worked
	}
	v := compareVerdict(cq, named)
	if v == "" {
		return Answer{}, false, nil
	}
	return Answer{Mode: ModeExtractive, Question: req.Question, Answered: true, Answer: strings.Join(lines, "\n") + "\n" + v, Sources: sources, Figures: facts}, true, nil
}

// namesAnyPlace reports whether q names one of places.
func namesAnyPlace(q query, places []Place) bool {
	for _, p := range q.places {
		for _, o := range places {
			if p.Name == o.Name {
				return true
			}
		}
	}
	return false
}

// periodName writes a figure's time as a label does: "2020年", "“十四五”时期"
// (compareVerdict says which is a goal).
func periodName(f Figure) string {
	s := f.Period
	switch {
	case s == "":
	case strings.ContainsAny(s[:1], "0123456789"):
		s += "年"
	default:
		s = "“" + s + "”时期"
	}
	return s
}

// figureLine is the line of an answer that cites figure f's source, with
// that source, renumbered to follow offset sources already shown.
func figureLine(a Answer, f Figure, offset int) (string, []Source, bool) {
	marker := fmt.Sprintf("[%d]", f.N)
	for _, line := range strings.Split(a.Answer, "\n") {
		if !strings.Contains(line, marker) || !strings.Contains(zh.Fold(line), f.Value) {
			continue
		}
		for _, s := range a.Sources {
			if s.N == f.N {
				s.N += offset
				line = markerRE.ReplaceAllStringFunc(line, func(m string) string {
					if m == marker {
						return fmt.Sprintf("[%d]", s.N)
					}
					return "" // another line's source is not shown
				})
				return line, []Source{s}, true
			}
		}
	}
	return "", nil, false
}

// markerRE is a source marker in an answer: "[2]".
var markerRE = mustPattern(`\[\d+\]`)
