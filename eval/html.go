package eval

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var reportHTML string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":  pct,
	"join": strings.Join,
	"f1":   func(x float64) string { return fmt.Sprintf("%.1f", x) },
	"f3":   func(x float64) string { return fmt.Sprintf("%.3f", x) },
	"rank": rankText,
}).Parse(reportHTML))

// Chart geometry of the accuracy-by-tag bars, in SVG user units.
const (
	chartLabelW = 120 // tag names, right-aligned against the bars
	chartBarW   = 520 // 100%
	chartValueW = 120 // "96.4% (27/28)", in a column right of 100%
	chartRowH   = 26
	chartTop    = 24 // room for the axis labels
)

type htmlPage struct {
	Report   Report
	Diff     *Diff
	Chart    chart
	Cities   []namedGroup
	Docs     []namedGroup
	Failures []CaseResult
}

type namedGroup struct {
	Name string
	Group
}

type chart struct {
	Width, Height int
	LabelX, BarX  int // right edge of the labels, left edge of the bars
	Bars          []chartBar
	Ticks         []chartTick
	Overall       chartTick // the run's accuracy, as a marker across the bars
}

type chartBar struct {
	namedGroup
	Y, W, TextY, ValueX int
	Class               string
}

type chartTick struct {
	X     int
	Label string
}

// WriteHTML writes the report as one self-contained page: inline CSS, an
// inline SVG chart of accuracy by tag, the tables by city and document and a
// table of the failing cases with what they expected and what they got. It
// needs no script and loads nothing. With d, the changes since the earlier
// report come first.
func WriteHTML(w io.Writer, rep Report, d *Diff) error {
	page := htmlPage{Report: rep, Diff: d, Chart: newChart(rep), Cities: named(rep.ByCity), Docs: named(rep.ByDoc)}
	for _, r := range rep.Results {
		if !r.Pass {
			page.Failures = append(page.Failures, r)
		}
	}
	return reportTmpl.Execute(w, page)
}

func named(m map[string]Group) []namedGroup {
	out := make([]namedGroup, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, namedGroup{k, m[k]})
	}
	return out
}

func newChart(rep Report) chart {
	c := chart{LabelX: chartLabelW - 8, BarX: chartLabelW}
	c.Width = chartLabelW + chartBarW + chartValueW
	x := func(share float64) int { return chartLabelW + int(share*chartBarW+0.5) }
	for _, p := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.Ticks = append(c.Ticks, chartTick{x(p), fmt.Sprintf("%d%%", int(p*100))})
	}
	for i, g := range named(rep.ByTag) {
		y := chartTop + i*chartRowH
		b := chartBar{namedGroup: g, Y: y + 4, W: max(1, x(g.Accuracy)-chartLabelW), TextY: y + chartRowH/2 + 5, ValueX: chartLabelW + chartBarW + 8}
		switch {
		case g.Accuracy >= 0.95:
			b.Class = "good"
		case g.Accuracy >= 0.8:
			b.Class = "fair"
		default:
			b.Class = "poor"
		}
		c.Bars = append(c.Bars, b)
	}
	c.Height = chartTop + len(c.Bars)*chartRowH + 8
	c.Overall = chartTick{x(rep.Summary.Accuracy), "全部 " + pct(rep.Summary.Accuracy)}
	return c
}

// rankText shows a retrieval rank: n/a when not measured, ">10" when the
// expected chunk is not among the chunks read.
func rankText(rank *int) string {
	switch {
	case rank == nil:
		return "n/a"
	case *rank == 0:
		return fmt.Sprintf(">%d", RetrievalDepth)
	}
	return fmt.Sprint(*rank)
}
