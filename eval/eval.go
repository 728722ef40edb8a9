// Package eval runs the known-figures regression cases (DESIGN §5) against
// anything that answers questions, and reports what passed. It owns the case
// format and the scoring; it does not know how answers are made.
package eval

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"wenda/rag"
	"wenda/rag/zh"
)

// The regression set: cases.jsonl, written with the code, and
// citizen.jsonl, written from the documents alone the way citizens ask
// (it was held out until answers were tuned on it; held-out sets now live in
// heldout.jsonl and in sets not yet written).
//
//go:embed cases.jsonl
var embeddedCases []byte

//go:embed citizen.jsonl
var embeddedCitizen []byte

// Case is one regression case.
type Case struct {
	ID           string        `json:"id"`
	Question     string        `json:"question"`
	History      []rag.Message `json:"history"`
	ExpectAny    []string      `json:"expect_any"`
	ExpectNot    []string      `json:"expect_not"`
	Unanswerable bool          `json:"unanswerable"`
	Doc          string        `json:"doc"`
	Tags         []string      `json:"tags"`
}

// Asker answers a question; rag.Engine and HTTPAsker both do.
type Asker interface {
	Ask(ctx context.Context, req rag.Request) (rag.Answer, error)
}

// AskerFunc adapts a function to Asker.
type AskerFunc func(ctx context.Context, req rag.Request) (rag.Answer, error)

// Ask calls f.
func (f AskerFunc) Ask(ctx context.Context, req rag.Request) (rag.Answer, error) { return f(ctx, req) }

// Cases returns the embedded regression set: cases.jsonl, then
// citizen.jsonl.
func Cases() ([]Case, error) {
	return ParseCases(io.MultiReader(bytes.NewReader(embeddedCases), strings.NewReader("\n"), bytes.NewReader(embeddedCitizen)))
}

// ParseCases reads JSONL cases; blank lines are skipped, ids must be unique.
func ParseCases(r io.Reader) ([]Case, error) {
	var out []Case
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c Case
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("case line %d: %w", line, err)
		}
		if c.ID == "" || c.Question == "" || seen[c.ID] {
			return nil, fmt.Errorf("case line %d: missing or duplicate id or question", line)
		}
		seen[c.ID] = true
		out = append(out, c)
	}
	return out, sc.Err()
}

// Result is the outcome of one case. Its JSON form is CaseResult, part of
// Report.
type Result struct {
	Case     Case
	Pass     bool
	Reasons  []string
	Answer   rag.Answer
	Error    string // the asker's error; Answer is then empty
	Duration time.Duration
	// RetrievalRank is the 1-based rank of the first retrieved chunk that
	// holds the expected figure (see Rank), 0 when none of the first
	// RetrievalDepth does, nil when not measured: the asker is no
	// Retriever, or the case is unanswerable or names no document.
	RetrievalRank *int
}

// Check scores an answer against a case and returns why it fails (nil when
// it passes).
func Check(c Case, a rag.Answer) []string {
	var why []string
	// A refusal may offer, after rag.RelatedMarker, the labelled figures
	// the documents hold for other years: they are no answer, and a figure
	// there is not stated as the one asked.
	// Answers keep the documents' own characters: compare on folded text,
	// so that "10億元" holds "10亿".
	a.Answer = zh.Fold(a.Answer)
	stated := a.Answer
	if !a.Answered {
		stated, _, _ = strings.Cut(stated, rag.RelatedMarker)
	}
	if a.Answered == c.Unanswerable {
		if c.Unanswerable {
			why = append(why, "answered a question the documents cannot answer")
		} else {
			why = append(why, "refused a question the documents answer")
		}
	}
	if len(c.ExpectAny) > 0 {
		found := false
		for _, s := range c.ExpectAny {
			found = found || strings.Contains(a.Answer, zh.Fold(s))
		}
		if !found {
			why = append(why, fmt.Sprintf("answer holds none of %q", c.ExpectAny))
		}
	}
	for _, s := range c.ExpectNot {
		if strings.Contains(stated, zh.Fold(s)) {
			why = append(why, fmt.Sprintf("answer holds %q", s))
		}
	}
	if !c.Unanswerable && c.Doc != "" && !cites(a, c.Doc) {
		why = append(why, "no cited source from "+c.Doc)
	}
	return why
}

// Wrong reports whether an answer is worse than a refusal (DESIGN §5: a
// case answered with a missing or forbidden figure): given as an answer
// (answered true) and stating a forbidden figure, or missing the expected
// figure, or stating a figure where the documents have none. A descriptive
// answer that misses expected words fails the case without being wrong.
func Wrong(c Case, a rag.Answer) bool {
	if !a.Answered {
		return false
	}
	a.Answer = zh.Fold(a.Answer)
	for _, s := range c.ExpectNot {
		if strings.Contains(a.Answer, zh.Fold(s)) {
			return true
		}
	}
	if c.Unanswerable {
		return len(a.Figures) > 0
	}
	figures := false
	for _, s := range c.ExpectAny {
		if strings.Contains(a.Answer, zh.Fold(s)) {
			return false
		}
		figures = figures || strings.ContainsAny(s, "0123456789")
	}
	return figures
}

// cites reports whether the answer cites a source of doc: a source counts
// only when its marker [n] stands in the answer text (a model is given more
// sources than it cites).
func cites(a rag.Answer, doc string) bool {
	for _, s := range a.Sources {
		if s.DocID == doc && strings.Contains(a.Answer, fmt.Sprintf("[%d]", s.N)) {
			return true
		}
	}
	return false
}

// Run asks every case in order, one at a time so that latencies are the
// target's own, and scores it. When asker is also a Retriever, the rank of
// the expected chunk is measured too.
func Run(ctx context.Context, asker Asker, cases []Case) []Result {
	ret, _ := asker.(Retriever)
	out := make([]Result, 0, len(cases))
	for _, c := range cases {
		req := rag.Request{Question: c.Question, History: c.History}
		start := time.Now()
		a, err := asker.Ask(ctx, req)
		r := Result{Case: c, Answer: a, Duration: time.Since(start)}
		if err != nil {
			r.Error = err.Error()
			r.Reasons = []string{"error: " + err.Error()}
		} else {
			r.Reasons = Check(c, a)
		}
		if ret != nil {
			rank, err := Rank(ctx, ret, c, req)
			if err != nil {
				r.Reasons = append(r.Reasons, "retrieval error: "+err.Error())
			}
			r.RetrievalRank = rank
		}
		r.Pass = len(r.Reasons) == 0
		out = append(out, r)
	}
	return out
}
