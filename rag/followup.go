package rag

import (
	"strings"

	"wenda/rag/zh"
)

var (
	followOpeners = []string{"那么", "那", "还有", "另外", "再问一下", "再问", "再看看", "换成", "换作", "如果是", "要是"}
	followClosers = []string{"呢", "的呢", "又是多少", "又如何", "怎么样"}
)

// rewrite turns a follow-up ("那九江呢?", "2025年的目标呢?") into a
// standalone question using the previous standalone question: what the
// follow-up names (place, time, metric, a goal) replaces the same part of
// the previous question and the rest is kept. A question that is not a
// follow-up is returned unchanged.
func rewrite(cur, prev string, g *Gazetteer) string {
	if prev == "" {
		return cur
	}
	norm := zh.Normalize(cur)
	stripped := strings.TrimRight(norm, "?？!！。. ")
	marked := false
	for _, o := range followOpeners {
		if strings.HasPrefix(stripped, o) {
			stripped, marked = strings.TrimPrefix(stripped, o), true
			break
		}
	}
	for _, c := range followClosers {
		if strings.HasSuffix(stripped, c) {
			stripped, marked = strings.TrimSuffix(stripped, c), true
			break
		}
	}
	qc := parseQuery(stripped, g)
	if !marked && qc.metric != "" {
		return cur
	}
	qp := parseQuery(zh.Normalize(prev), g)
	var b strings.Builder
	places := qc.places
	if len(places) == 0 {
		places = qp.places
	}
	for _, p := range places {
		b.WriteString(p.Name)
	}
	// The time carries over unless the follow-up names its own, asks for
	// "now", or moves to another place: places report their figures for
	// their own years, so "那九江呢?" after "2020年南昌…" asks for 九江's figure.
	years, per := qc.years, qc.period
	if len(years) == 0 && per.name == "" && !qc.latest && len(qc.places) == 0 {
		years, per = qp.years, qp.period
	}
	if qc.latest {
		b.WriteString("目前")
	}
	for _, y := range years {
		b.WriteString(itoa(y) + "年")
	}
	if per.name != "" {
		b.WriteString("“" + per.name + "”期间")
	}
	metric := qc.asked
	if qc.metric == "" {
		metric = qp.asked
	}
	b.WriteString(strings.ReplaceAll(metric, " ", ""))
	if qc.target || (qp.target && len(qc.years) == 0 && qc.period.name == "" && !qc.latest) {
		b.WriteString("目标")
	}
	b.WriteString("是多少?")
	return b.String()
}
