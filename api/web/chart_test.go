package web_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"
)

// TestChartAndSourcesInBrowser asks the fake the 巩固率 question, whose
// answer carries three figures of one measure (2015, 2020 achieved; 2025 a
// target): the page draws them as a chart, the target as a target, and each
// source shows its full date and a link to the original (an http(s) one
// only).
func TestChartAndSourcesInBrowser(t *testing.T) {
	srv := newFakeServer(t, &fakeAsk{})
	for _, vp := range []viewport{phone, desktop} {
		t.Run(vp.name, func(t *testing.T) {
			p := openPage(t, srv.URL, vp)
			p.waitFor("the page", `document.querySelectorAll(".example").length === 4`)
			p.ask(qRate)
			p.waitAnswered()
			p.waitFor("the chart", `!!lastAnswer().querySelector(".chart svg")`)

			type bar struct {
				Label, Value, Class string
			}
			bars := evalJS[[]bar](p, `[...lastAnswer().querySelectorAll(".chart .chart-bar")].map((r, i) => ({
				Label: lastAnswer().querySelectorAll(".chart .chart-label")[i].textContent,
				Value: lastAnswer().querySelectorAll(".chart .chart-value")[i].textContent,
				Class: r.getAttribute("class"),
			}))`)
			want := []bar{
				{"2015年", "96%", "chart-bar"},
				{"2020年", "97.01%", "chart-bar"},
				{"2025年", "97.68%", "chart-bar chart-target"},
			}
			if !slices.Equal(bars, want) {
				t.Errorf("chart bars = %+v, want %+v", bars, want)
			}
			if got := evalJS[string](p, `lastAnswer().querySelector(".chart figcaption").textContent`); got != "南昌市义务教育巩固率（%）" {
				t.Errorf("chart caption = %q", got)
			}
			if got := evalJS[string](p, `lastAnswer().querySelector(".chart svg").getAttribute("aria-label")`); !strings.Contains(got, "2025年目标97.68%") {
				t.Errorf("chart text alternative = %q, want the target named as one", got)
			}
			// The target is drawn unfilled and dashed, unlike the results.
			type style struct{ Fill, Dash string }
			styles := evalJS[[]style](p, `[...lastAnswer().querySelectorAll(".chart .chart-bar")].map(r => ({
				Fill: getComputedStyle(r).fill, Dash: getComputedStyle(r).strokeDasharray }))`)
			if len(styles) == 3 && (styles[2].Fill != "none" || styles[2].Dash == "none" || styles[0].Fill == "none") {
				t.Errorf("bar styles = %+v, want results filled and the target dashed, unfilled", styles)
			}

			type src struct{ Sub, Href, Target, Rel string }
			srcs := evalJS[[]src](p, `[...lastAnswer().querySelectorAll(".sources li")].map(li => {
				const a = li.querySelector("a.source-link");
				return { Sub: li.querySelector(".source-sub").textContent, Href: a ? a.href : "",
					Target: a ? a.target : "", Rel: a ? a.rel : "" };
			})`)
			if len(srcs) != 2 {
				t.Fatalf("sources = %+v, want 2", srcs)
			}
			if !strings.Contains(srcs[0].Sub, "2021年12月30日") || srcs[0].Href != "https://www.nc.gov.cn/ncszf/jyfz/plan.html" ||
				srcs[0].Target != "_blank" || !strings.Contains(srcs[0].Rel, "noopener") {
				t.Errorf("source 1 = %+v, want its full date and a link to the original", srcs[0])
			}
			if !strings.Contains(srcs[1].Sub, "2022年3月15日") || srcs[1].Href != "" {
				t.Errorf("source 2 = %+v, want its date and no link (its URL is javascript:)", srcs[1])
			}
			p.checkLayout("chart")
			evalJS[chromedp.Void](p, `lastAnswer().querySelector(".chart").scrollIntoView({block: "center"})`)
			p.screenshot("5-chart")

			// The source panel links the original too.
			p.do("open source 1", chromedp.Click(chromedp.CSS(`.msg-assistant:last-child .source-item[data-n="1"]`)))
			p.waitFor("the source panel", `document.getElementById("source").open`)
			if got := evalJS[string](p, `document.getElementById("source-link-row").hidden ? "" : document.getElementById("source-link").href`); got != "https://www.nc.gov.cn/ncszf/jyfz/plan.html" {
				t.Errorf("source panel link = %q", got)
			}
			if got := evalJS[string](p, `document.getElementById("source-date").textContent`); got != "2021年12月30日" {
				t.Errorf("source panel date = %q", got)
			}
			p.screenshot("6-source-link")
			if evalJS[bool](p, `window.__xss !== undefined`) {
				t.Errorf("a javascript: URL ran")
			}
			p.checkProblems()
		})
	}
}

// TestChineseRendersWithCJKFont asks Chromium which platform fonts drew the
// page's Chinese: a CJK font, and no character left to a fallback box.
func TestChineseRendersWithCJKFont(t *testing.T) {
	srv := newFakeServer(t, &fakeAsk{})
	p := openPage(t, srv.URL, desktop)
	p.waitFor("the page", `document.querySelectorAll(".example").length === 4`)
	var fonts []*css.PlatformFontUsage
	p.do("read the fonts of the welcome title", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, dom.Enable, dom.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, css.Enable, cdp.Empty{}); err != nil {
			return err
		}
		doc, err := cdp.Call(ctx, tg, dom.GetDocument, dom.GetDocumentParams{})
		if err != nil {
			return err
		}
		n, err := cdp.Call(ctx, tg, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: "#welcome-title"})
		if err != nil {
			return err
		}
		res, err := cdp.Call(ctx, tg, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: n.NodeID})
		fonts = res.Fonts
		return err
	}))
	var names []string
	cjk := 0.0
	for _, f := range fonts {
		names = append(names, f.FamilyName)
		name := strings.ToLower(f.FamilyName + " " + f.PostScriptName)
		if strings.Contains(name, "cjk") || strings.Contains(name, "wenquanyi") || strings.Contains(name, "han sans") {
			cjk += f.GlyphCount
		}
	}
	// 您好，想了解哪方面的教育政策？ : 15 characters, all Chinese or full-width.
	if cjk < 15 {
		t.Errorf("the welcome title was drawn with %v (%v glyphs from a CJK font), want all 15 from one: install fonts-noto-cjk", names, cjk)
	}
	for _, f := range fonts {
		if strings.Contains(strings.ToLower(f.FamilyName), "lastresort") {
			t.Errorf("glyphs drawn with the missing-glyph font %q: tofu", f.FamilyName)
		}
	}
}
