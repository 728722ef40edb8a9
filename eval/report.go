package eval

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// Summary is the aggregate of a run.
type Summary struct {
	Cases            int           `json:"cases"`
	Passed           int           `json:"passed"`
	Accuracy         float64       `json:"accuracy"`
	RefusalCases     int           `json:"refusal_cases"`
	RefusalsCorrect  int           `json:"refusals_correct"`
	RefusalAccuracy  float64       `json:"refusal_accuracy"`
	CitationCases    int           `json:"citation_cases"`
	CitationsCorrect int           `json:"citations_correct"`
	CitationAccuracy float64       `json:"citation_accuracy"`
	LatencyP50       time.Duration `json:"latency_p50_ns"`
	LatencyP95       time.Duration `json:"latency_p95_ns"`
}

// Summarize aggregates results.
func Summarize(results []Result) Summary {
	var s Summary
	var lat []time.Duration
	for _, r := range results {
		s.Cases++
		if r.Pass {
			s.Passed++
		}
		lat = append(lat, r.Duration)
		if r.Case.Unanswerable {
			s.RefusalCases++
			if r.Error == "" && !r.Answer.Answered {
				s.RefusalsCorrect++
			}
		} else if r.Case.Doc != "" {
			s.CitationCases++
			if cites(r.Answer, r.Case.Doc) {
				s.CitationsCorrect++
			}
		}
	}
	s.Accuracy = ratio(s.Passed, s.Cases)
	s.RefusalAccuracy = ratio(s.RefusalsCorrect, s.RefusalCases)
	s.CitationAccuracy = ratio(s.CitationsCorrect, s.CitationCases)
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	s.LatencyP50, s.LatencyP95 = percentile(lat, 0.5), percentile(lat, 0.95)
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// WriteText prints one line per case (ok/FAIL) and the summary.
func WriteText(w io.Writer, results []Result, verbose bool) Summary {
	for _, r := range results {
		if r.Pass {
			if verbose {
				fmt.Fprintf(w, "ok   %-28s %s\n", r.Case.ID, r.Case.Question)
			}
			continue
		}
		fmt.Fprintf(w, "FAIL %-28s %s\n     answer: %s\n     why: %v\n", r.Case.ID, r.Case.Question, oneLine(r.Answer.Answer), r.Reasons)
	}
	s := Summarize(results)
	fmt.Fprintf(w, "\ncases %d  passed %d  accuracy %.1f%%\n", s.Cases, s.Passed, 100*s.Accuracy)
	fmt.Fprintf(w, "refusals correct %d/%d (%.1f%%)  citations correct %d/%d (%.1f%%)\n",
		s.RefusalsCorrect, s.RefusalCases, 100*s.RefusalAccuracy, s.CitationsCorrect, s.CitationCases, 100*s.CitationAccuracy)
	fmt.Fprintf(w, "latency p50 %v  p95 %v\n", s.LatencyP50.Round(time.Microsecond), s.LatencyP95.Round(time.Microsecond))
	return s
}

func oneLine(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '\n' {
			r = ' '
		}
		out = append(out, r)
	}
	return string(out)
}
