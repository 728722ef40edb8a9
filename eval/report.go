package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"wenda/rag"
)

// Schema is the version of Report's JSON form. A version only ever gains
// fields; renaming or removing one, or changing what it means, makes a new
// version, and ReadReport refuses versions it does not know.
const Schema = 1

// TargetInProcess is Report.Run.Target for a run against the engine built in
// the same process; a remote run names the wenda's base URL instead.
const TargetInProcess = "in-process"

// Report is a run in its JSON form: what `wenda eval -json` writes and
// `-compare` reads back. Its schema (version 1):
//
//	{
//	  "schema": 1,
//	  "run": {
//	    "started": "2026-01-02T15:04:05Z",  // RFC 3339
//	    "target": "in-process",             // or the base URL of the wenda asked
//	    "duration_ms": 2412.5,              // the whole run
//	    "modes": {"extractive": 281}        // answers by their mode; failed requests are not counted
//	  },
//	  "summary": Summary,
//	  "by_tag":  {"table": Group, ...},     // a case counts under each of its tags
//	  "by_city": {"nanchang": Group, ...},  // nanchang, jiujiang, bazhong or other, from the tags
//	  "by_doc":  {"<doc id>": Group, ...},  // cases without a document under "(none)"
//	  "results": [CaseResult, ...]          // in case order
//	}
//
// Shares are between 0 and 1, and 1 when there is nothing to count; times are
// milliseconds. Maps encode with sorted keys and lists are never null, so two
// reports of the same run differ only in times. Comparison reads only
// results[].id and results[].pass.
type Report struct {
	Schema  int              `json:"schema"`
	Run     RunInfo          `json:"run"`
	Summary Summary          `json:"summary"`
	ByTag   map[string]Group `json:"by_tag"`
	ByCity  map[string]Group `json:"by_city"`
	ByDoc   map[string]Group `json:"by_doc"`
	Results []CaseResult     `json:"results"`
}

// RunInfo says when and against what a run was made.
type RunInfo struct {
	Started    time.Time      `json:"started"`
	Target     string         `json:"target"`
	DurationMS float64        `json:"duration_ms"`
	Modes      map[string]int `json:"modes"`
}

// Group is the pass count of a set of cases.
type Group struct {
	Cases    int     `json:"cases"`
	Passed   int     `json:"passed"`
	Accuracy float64 `json:"accuracy"`
}

// Summary is the aggregate of a run.
//
// Refusals: precision is the share of refusals (answers with answered false,
// failed requests aside) whose case is unanswerable; recall is the share of
// unanswerable cases refused. Citations: the share of answerable cases with a
// document that cite a source from it. Retrieval is null when the target is
// no Retriever (a remote run); LLM is null when no answer was made in llm
// mode.
type Summary struct {
	Cases            int               `json:"cases"`
	Passed           int               `json:"passed"`
	Accuracy         float64           `json:"accuracy"`
	Errors           int               `json:"errors"`           // cases whose request failed
	Wrong            int               `json:"answered_wrongly"` // answered with a missing or forbidden figure, or when it should have refused
	Refusals         int               `json:"refusals"`
	RefusalCases     int               `json:"refusal_cases"`
	RefusalsCorrect  int               `json:"refusals_correct"`
	RefusalPrecision float64           `json:"refusal_precision"`
	RefusalRecall    float64           `json:"refusal_recall"`
	CitationCases    int               `json:"citation_cases"`
	CitationsCorrect int               `json:"citations_correct"`
	CitationAccuracy float64           `json:"citation_accuracy"`
	Retrieval        *RetrievalSummary `json:"retrieval"`
	LatencyP50MS     float64           `json:"latency_p50_ms"`
	LatencyP95MS     float64           `json:"latency_p95_ms"`
	LLM              *LLMSummary       `json:"llm"`
}

// RetrievalSummary measures whether the chunk holding the expected figure is
// retrieved (see Rank), over the answerable cases with a document.
type RetrievalSummary struct {
	K         int     `json:"k"`     // chunks read per case: RetrievalDepth
	Cases     int     `json:"cases"` // cases measured
	RecallAt1 float64 `json:"recall_at_1"`
	RecallAt5 float64 `json:"recall_at_5"`
	MRR       float64 `json:"mrr"` // mean of 1/rank, 0 for a case whose chunk is not within K
}

// LLMSummary says how often llm mode fell back to the extractive answer.
// Answers counts the answers llm mode made or tried to make: mode "llm", or
// a fallback reason set (rag.Answer.Fallback). Refusals of places the
// documents do not cover never reach the model and are not counted.
type LLMSummary struct {
	Answers                 int            `json:"answers"`
	Fallbacks               int            `json:"fallbacks"`
	FallbackRate            float64        `json:"fallback_rate"`
	FigureCheckFallbacks    int            `json:"figure_check_fallbacks"` // reason unverified_figure
	FigureCheckFallbackRate float64        `json:"figure_check_fallback_rate"`
	FallbackReasons         map[string]int `json:"fallback_reasons"`
	// The claim check's verdicts on the claims of the model's answers
	// (figures with their place, period and kind), fallbacks included.
	ClaimsPassed  int `json:"claims_passed"`
	ClaimsBlocked int `json:"claims_blocked"`
}

// CaseResult is one case of a Report: the case, the answer, and the verdict.
type CaseResult struct {
	Case                      // its fields inline: id, question, history, expect_any…
	Pass          bool        `json:"pass"`
	Reasons       []string    `json:"reasons"` // why it failed; [] when it passed
	Answer        string      `json:"answer"`
	Answered      bool        `json:"answered"`
	Standalone    string      `json:"standalone"` // the question as the target answered it, conversation folded in
	Mode          string      `json:"mode"`
	Fallback      string      `json:"fallback"`
	Sources       []SourceRef `json:"sources"`
	Error         string      `json:"error"`          // the request's error, "" when none
	RetrievalRank *int        `json:"retrieval_rank"` // see Result.RetrievalRank; null when not measured
	DurationMS    float64     `json:"duration_ms"`
}

// SourceRef is a source an answer cited, without its text.
type SourceRef struct {
	N     int    `json:"n"`
	DocID string `json:"doc_id"`
	Title string `json:"title"`
}

// Cities are the cities a case can be counted under, by its tags; a case
// with none of them counts as "other".
var Cities = []string{"nanchang", "jiujiang", "bazhong"}

// City returns the city a case is about, from its tags.
func City(c Case) string {
	for _, t := range c.Tags {
		if slices.Contains(Cities, t) {
			return t
		}
	}
	return "other"
}

// noDoc is the by_doc key of cases without a document.
const noDoc = "(none)"

// NewReport builds the report of a run that started at started against
// target.
func NewReport(target string, started time.Time, duration time.Duration, results []Result) Report {
	rep := Report{
		Schema: Schema,
		Run: RunInfo{
			Started: started.UTC().Truncate(time.Second), Target: target,
			DurationMS: ms(duration), Modes: map[string]int{},
		},
		Summary: Summarize(results),
		ByTag:   map[string]Group{},
		ByCity:  map[string]Group{},
		ByDoc:   map[string]Group{},
		Results: make([]CaseResult, 0, len(results)),
	}
	count := func(m map[string]Group, key string, pass bool) {
		g := m[key]
		g.Cases++
		if pass {
			g.Passed++
		}
		g.Accuracy = ratio(g.Passed, g.Cases)
		m[key] = g
	}
	for _, r := range results {
		if r.Error == "" {
			rep.Run.Modes[string(r.Answer.Mode)]++
		}
		for _, t := range r.Case.Tags {
			count(rep.ByTag, t, r.Pass)
		}
		count(rep.ByCity, City(r.Case), r.Pass)
		doc := r.Case.Doc
		if doc == "" {
			doc = noDoc
		}
		count(rep.ByDoc, doc, r.Pass)
		rep.Results = append(rep.Results, caseResult(r))
	}
	return rep
}

func caseResult(r Result) CaseResult {
	sources := make([]SourceRef, 0, len(r.Answer.Sources))
	for _, s := range r.Answer.Sources {
		sources = append(sources, SourceRef{N: s.N, DocID: s.DocID, Title: s.Title})
	}
	c := r.Case
	c.History, c.ExpectAny, c.ExpectNot, c.Tags = nonNil(c.History), nonNil(c.ExpectAny), nonNil(c.ExpectNot), nonNil(c.Tags)
	return CaseResult{
		Case: c, Pass: r.Pass, Reasons: nonNil(r.Reasons),
		Answer: r.Answer.Answer, Answered: r.Answer.Answered, Standalone: r.Answer.Question,
		Mode: string(r.Answer.Mode), Fallback: r.Answer.Fallback, Sources: sources,
		Error: r.Error, RetrievalRank: r.RetrievalRank, DurationMS: ms(r.Duration),
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ms is a duration in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Summarize aggregates results.
func Summarize(results []Result) Summary {
	var s Summary
	var lat []time.Duration
	var ret RetrievalSummary
	var rr float64
	var at1, at5 int
	measured := false
	llm := LLMSummary{FallbackReasons: map[string]int{}}
	for _, r := range results {
		s.Cases++
		if r.Pass {
			s.Passed++
		}
		lat = append(lat, r.Duration)
		if r.Error == "" && Wrong(r.Case, r.Answer) {
			s.Wrong++
		}
		refused := r.Error == "" && !r.Answer.Answered
		switch {
		case r.Error != "":
			s.Errors++
		case refused:
			s.Refusals++
		}
		if r.Case.Unanswerable {
			s.RefusalCases++
			if refused {
				s.RefusalsCorrect++
			}
		} else if r.Case.Doc != "" {
			s.CitationCases++
			if cites(r.Answer, r.Case.Doc) {
				s.CitationsCorrect++
			}
		}
		if r.RetrievalRank != nil {
			measured = true
			ret.Cases++
			if rank := *r.RetrievalRank; rank > 0 {
				rr += 1 / float64(rank)
				if rank <= 1 {
					at1++
				}
				if rank <= 5 {
					at5++
				}
			}
		}
		if r.Error == "" && (r.Answer.Mode == rag.ModeLLM || r.Answer.Fallback != "") {
			llm.Answers++
			if c := r.Answer.Claims; c != nil {
				llm.ClaimsPassed += c.Passed
				llm.ClaimsBlocked += c.Blocked
			}
			if f := r.Answer.Fallback; f != "" {
				llm.Fallbacks++
				llm.FallbackReasons[f]++
				if f == rag.FallbackUnverifiedFigure {
					llm.FigureCheckFallbacks++
				}
			}
		}
	}
	s.Accuracy = ratio(s.Passed, s.Cases)
	s.RefusalPrecision = ratio(s.RefusalsCorrect, s.Refusals)
	s.RefusalRecall = ratio(s.RefusalsCorrect, s.RefusalCases)
	s.CitationAccuracy = ratio(s.CitationsCorrect, s.CitationCases)
	if measured {
		ret.K = RetrievalDepth
		ret.RecallAt1, ret.RecallAt5 = ratio(at1, ret.Cases), ratio(at5, ret.Cases)
		ret.MRR = rr / float64(ret.Cases)
		s.Retrieval = &ret
	}
	if llm.Answers > 0 {
		llm.FallbackRate = ratio(llm.Fallbacks, llm.Answers)
		llm.FigureCheckFallbackRate = ratio(llm.FigureCheckFallbacks, llm.Answers)
		s.LLM = &llm
	}
	slices.Sort(lat)
	s.LatencyP50MS, s.LatencyP95MS = ms(percentile(lat, 0.5)), ms(percentile(lat, 0.95))
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, rep Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// ReadReport reads a report that WriteJSON wrote, of a schema version this
// package knows.
func ReadReport(path string) (Report, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		return Report{}, fmt.Errorf("report %s: %w", path, err)
	}
	if rep.Schema != Schema {
		return Report{}, fmt.Errorf("report %s: schema %d, want %d", path, rep.Schema, Schema)
	}
	return rep, nil
}
