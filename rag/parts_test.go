package rag

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFigureItems(t *testing.T) {
	for _, c := range []struct {
		clause string
		want   []string
	}{
		{"覆盖3个县(区)12所医院", []string{"覆盖3个县(区)", "覆盖12所医院"}},
		{"新增床位200张、护士40名", []string{"新增床位200张", "护士40名"}},
		{"开放全部病房", []string{"开放全部病房"}},
	} {
		if diff := cmp.Diff(c.want, figureItems(c.clause)); diff != "" {
			t.Errorf("figureItems(%q) (-want +got):\n%s", c.clause, diff)
		}
	}
}

func TestSharedLead(t *testing.T) {
	norm := "A城医院有几家?覆盖几个县、多少个乡镇?"
	if got := sharedLead(norm, "覆盖几个县", "多少个乡镇?"); got != "覆盖多少个乡镇?" {
		t.Errorf("a listed ask did not take the verb of the ask before it: %q", got)
	}
	// Asks not listed with 、, or naming their own words, stay as they are.
	for _, c := range [][2]string{{"A城医院有几家", "覆盖几个县"}, {"覆盖几个县", "多少个乡镇?"}} {
		if got := sharedLead("A城医院有几家,覆盖几个县;多少个乡镇?", c[0], c[1]); got != c[1] {
			t.Errorf("sharedLead(%q, %q) = %q", c[0], c[1], got)
		}
	}
}

// Coordinated figures of one clause, written with no mark between them,
// answer the asks after the first one by one.
func TestListedAsksFromOneClause(t *testing.T) {
	e, _ := seedEngine(t)
	a, err := e.Ask(t.Context(), Request{Question: "南昌教育集团有几个了？这些集团覆盖多少所学校？"})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"40个", "108所学校"} {
		if !strings.Contains(a.Answer, w) {
			t.Errorf("%q missing from\n%s", w, a.Answer)
		}
	}
	if strings.Contains(a.Answer, "资料中没有") {
		t.Errorf("an ask was left unanswered:\n%s", a.Answer)
	}
}
