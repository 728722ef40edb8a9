package rag_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"wenda/eval"
	"wenda/rag"
	"wenda/rag/zh"
)

// Every figure of every eval answer carries labels its source supports: the
// value is in the cited passage, a year label is a year the passage (or its
// heading or document) speaks of, and a figure labelled achieved never
// belongs to a year after its document was published — a target shown as
// achieved is the worst label an answer can carry.
func TestEvalAnswersLabelFiguresFromTheirSources(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	cases, err := eval.Cases()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range cases {
		a, err := e.Ask(t.Context(), rag.Request{Question: c.Question, History: c.History})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Figures {
			if !utf8.ValidString(f.Measure + f.Value + f.Unit + f.Period) {
				t.Errorf("%s: figure %+v is not valid UTF-8", c.ID, f)
			}
			if f.N < 1 || f.N > len(a.Sources) {
				t.Errorf("%s: figure %+v cites no source of the answer", c.ID, f)
				continue
			}
			src := a.Sources[f.N-1]
			text := strings.ReplaceAll(zh.StripTitles(zh.Normalize(src.Text)), " ", "")
			context := text + zh.Normalize(src.Section) + zh.Normalize(src.Title)
			if !strings.Contains(text, f.Value) {
				t.Errorf("%s: figure %s%s not in its source [%d] %q", c.ID, f.Value, f.Unit, f.N, src.Text)
			}
			if f.Place != src.City {
				t.Errorf("%s: figure %s placed in %s, its source is %s's", c.ID, f.Value, f.Place, src.City)
			}
			y, err := strconv.Atoi(f.Period)
			if err != nil {
				continue // a plan period, a range or none
			}
			published, _ := strconv.Atoi(src.Published[:min(4, len(src.Published))])
			if !strings.Contains(context, f.Period) && y != published {
				t.Errorf("%s: figure %s labelled %d, which its source [%d] does not name", c.ID, f.Value, y, f.N)
			}
			if f.Kind == rag.KindAchieved && published != 0 && y > published {
				t.Errorf("%s: figure %s of %d shown as achieved in a document of %d", c.ID, f.Value, y, published)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d labelled figures checked: the eval's answers should state hundreds", checked)
	}
}
