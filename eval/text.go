package eval

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteText prints a report for the terminal: the failing cases (with
// verbose the passing ones too), the tables by tag, city and document, then
// the summary, so that the summary is what stays on screen.
func WriteText(w io.Writer, rep Report, verbose bool) {
	for _, r := range rep.Results {
		if r.Pass {
			if verbose {
				fmt.Fprintf(w, "ok   %-28s %s\n", r.ID, r.Question)
			}
			continue
		}
		fmt.Fprintf(w, "FAIL %-28s %s\n", r.ID, r.Question)
		fmt.Fprintf(w, "     expected: %s\n", expected(r))
		fmt.Fprintf(w, "     answer:   %s\n", clip(oneLine(r.Answer), 160))
		fmt.Fprintf(w, "     why:      %s\n", strings.Join(r.Reasons, "; "))
	}
	if len(rep.Results) > 0 {
		fmt.Fprintln(w)
	}
	writeGroups(w, "tag", rep.ByTag)
	writeGroups(w, "city", rep.ByCity)
	writeGroups(w, "document", rep.ByDoc)

	s := rep.Summary
	modes := make([]string, 0, len(rep.Run.Modes))
	for _, m := range sortedKeys(rep.Run.Modes) {
		modes = append(modes, fmt.Sprintf("%s %d", m, rep.Run.Modes[m]))
	}
	fmt.Fprintf(w, "target      %s, %s (%s)\n", rep.Run.Target, rep.Run.Started.Format("2006-01-02 15:04:05Z07:00"), strings.Join(modes, ", "))
	fmt.Fprintf(w, "accuracy    %s  (%d/%d passed, %d errors)\n", pct(s.Accuracy), s.Passed, s.Cases, s.Errors)
	fmt.Fprintf(w, "wrong       %d answered wrongly (a missing or forbidden figure, or an answer where the documents have none)\n", s.Wrong)
	fmt.Fprintf(w, "refusals    precision %s (%d/%d)  recall %s (%d/%d)\n",
		pct(s.RefusalPrecision), s.RefusalsCorrect, s.Refusals, pct(s.RefusalRecall), s.RefusalsCorrect, s.RefusalCases)
	fmt.Fprintf(w, "citations   %s  (%d/%d)\n", pct(s.CitationAccuracy), s.CitationsCorrect, s.CitationCases)
	if r := s.Retrieval; r != nil {
		fmt.Fprintf(w, "retrieval   recall@1 %s  recall@5 %s  MRR %.3f  (%d cases, top %d)\n", pct(r.RecallAt1), pct(r.RecallAt5), r.MRR, r.Cases, r.K)
	} else {
		fmt.Fprintf(w, "retrieval   recall@1 n/a  recall@5 n/a  MRR n/a  (not measurable over HTTP)\n")
	}
	fmt.Fprintf(w, "latency     p50 %.1fms  p95 %.1fms\n", s.LatencyP50MS, s.LatencyP95MS)
	if l := s.LLM; l != nil {
		reasons := make([]string, 0, len(l.FallbackReasons))
		for _, k := range sortedKeys(l.FallbackReasons) {
			reasons = append(reasons, fmt.Sprintf("%s %d", k, l.FallbackReasons[k]))
		}
		fmt.Fprintf(w, "llm         fallbacks %s (%d/%d)  figure check %s (%d)  claims passed %d, blocked %d  [%s]\n",
			pct(l.FallbackRate), l.Fallbacks, l.Answers, pct(l.FigureCheckFallbackRate), l.FigureCheckFallbacks,
			l.ClaimsPassed, l.ClaimsBlocked, strings.Join(reasons, ", "))
	}
}

func writeGroups(w io.Writer, title string, groups map[string]Group) {
	width := len(title)
	for k := range groups {
		width = max(width, len(k))
	}
	fmt.Fprintf(w, "%-*s  %5s  %6s  %8s\n", width, "by "+title, "cases", "passed", "accuracy")
	for _, k := range sortedKeys(groups) {
		g := groups[k]
		fmt.Fprintf(w, "%-*s  %5d  %6d  %8s\n", width, k, g.Cases, g.Passed, pct(g.Accuracy))
	}
	fmt.Fprintln(w)
}

// expected says what a case wants: its figures, what it must not say, or a
// refusal.
func expected(r CaseResult) string {
	var parts []string
	if r.Unanswerable {
		parts = append(parts, "a refusal")
	}
	if len(r.ExpectAny) > 0 {
		parts = append(parts, "any of "+strings.Join(r.ExpectAny, " | "))
	}
	if len(r.ExpectNot) > 0 {
		parts = append(parts, "none of "+strings.Join(r.ExpectNot, " | "))
	}
	if r.Doc != "" {
		parts = append(parts, "citing "+r.Doc)
	}
	return strings.Join(parts, "; ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip cuts s to n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
