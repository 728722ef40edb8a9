package eval_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wenda/eval"
	"wenda/rag"
)

var update = flag.Bool("update", false, "rewrite golden files")

func ptr(n int) *int { return &n }

// fixedResults is a run of four cases: a pass, a wrong figure, a correct
// refusal and a refusal of an answerable question.
func fixedResults() []eval.Result {
	nc := rag.Source{N: 1, DocID: "nc-plan", Title: "南昌市教育事业发展“十四五”规划", Text: "巩固率 97.01%"}
	return []eval.Result{
		{
			Case:   eval.Case{ID: "pass", Question: "南昌义务教育巩固率是多少?", ExpectAny: []string{"97.01"}, Doc: "nc-plan", Tags: []string{"nanchang", "table"}},
			Pass:   true,
			Answer: rag.Answer{Answer: "97.01%[1]", Answered: true, Mode: rag.ModeExtractive, Question: "南昌义务教育巩固率是多少?", Sources: []rag.Source{nc}},
			// Duration and rank vary per case so the percentiles and MRR are checked.
			Duration: 2 * time.Millisecond, RetrievalRank: ptr(1),
		},
		{
			Case:     eval.Case{ID: "wrong-figure", Question: "南昌2025年巩固率目标?", ExpectAny: []string{"97.68"}, ExpectNot: []string{"97.01"}, Doc: "nc-plan", Tags: []string{"nanchang", "target"}},
			Reasons:  []string{`answer holds none of ["97.68"]`},
			Answer:   rag.Answer{Answer: "97.01%[1]", Answered: true, Mode: rag.ModeLLM, Sources: []rag.Source{nc}, Claims: &rag.Claims{Passed: 2}},
			Duration: 4 * time.Millisecond, RetrievalRank: ptr(4),
		},
		{
			Case:     eval.Case{ID: "refusal", Question: "上海巩固率?", Unanswerable: true, Tags: []string{"other", "unanswerable"}},
			Pass:     true,
			Answer:   rag.Answer{Answer: "抱歉", Mode: rag.ModeExtractive, Sources: []rag.Source{}},
			Duration: 1 * time.Millisecond,
		},
		{
			Case:     eval.Case{ID: "wrong-refusal", Question: "九江入园率?", ExpectAny: []string{"98.6"}, Doc: "jj", Tags: []string{"jiujiang"}},
			Reasons:  []string{"refused a question the documents answer"},
			Answer:   rag.Answer{Answer: "抱歉", Mode: rag.ModeExtractive, Fallback: rag.FallbackUnverifiedFigure, Claims: &rag.Claims{Passed: 1, Blocked: 1}},
			Duration: 3 * time.Millisecond, RetrievalRank: ptr(0),
		},
	}
}

func TestSummarize(t *testing.T) {
	got := eval.Summarize(fixedResults())
	want := eval.Summary{
		Cases: 4, Passed: 2, Accuracy: 0.5, Wrong: 1,
		Refusals: 2, RefusalCases: 1, RefusalsCorrect: 1, RefusalPrecision: 0.5, RefusalRecall: 1,
		CitationCases: 3, CitationsCorrect: 2, CitationAccuracy: 2.0 / 3,
		Retrieval:    &eval.RetrievalSummary{K: eval.RetrievalDepth, Cases: 3, RecallAt1: 1.0 / 3, RecallAt5: 2.0 / 3, MRR: (1 + 0.25 + 0) / 3},
		LatencyP50MS: 3, LatencyP95MS: 4,
		LLM: &eval.LLMSummary{
			Answers: 2, Fallbacks: 1, FallbackRate: 0.5, FigureCheckFallbacks: 1, FigureCheckFallbackRate: 0.5,
			FallbackReasons: map[string]int{rag.FallbackUnverifiedFigure: 1},
			ClaimsPassed:    3, ClaimsBlocked: 1,
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summarize() mismatch (-want +got):\n%s", diff)
	}
}

// Without ranks (a remote run) and without llm answers, both are null.
func TestSummarizeNotMeasured(t *testing.T) {
	results := fixedResults()
	for i := range results {
		results[i].RetrievalRank = nil
		results[i].Answer.Mode, results[i].Answer.Fallback = rag.ModeExtractive, ""
	}
	got := eval.Summarize(results)
	if got.Retrieval != nil || got.LLM != nil {
		t.Errorf("Summarize() retrieval = %+v, llm = %+v, want both nil", got.Retrieval, got.LLM)
	}
}

// TestReportJSON pins the JSON schema: a change to it shows in the golden
// file's diff (go test ./eval -run TestReportJSON -update).
func TestReportJSON(t *testing.T) {
	started := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rep := eval.NewReport(eval.TargetInProcess, started, 1500*time.Millisecond, fixedResults())
	var buf bytes.Buffer
	if err := eval.WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("WriteJSON() mismatch (-want +got):\n%s", diff)
	}
	// And it reads back.
	path := filepath.Join(t.TempDir(), "r.json")
	os.WriteFile(path, buf.Bytes(), 0o644)
	back, err := eval.ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep, back); diff != "" {
		t.Errorf("ReadReport(WriteJSON(r)) mismatch (-want +got):\n%s", diff)
	}
}

func TestReadReportRefusesOtherSchemas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	os.WriteFile(path, []byte(`{"schema": 2, "results": []}`), 0o644)
	if _, err := eval.ReadReport(path); err == nil {
		t.Error("ReadReport(schema 2) = nil error, want one")
	}
}

func TestGroups(t *testing.T) {
	rep := eval.NewReport("x", time.Now(), 0, fixedResults())
	want := map[string]eval.Group{
		"nanchang": {Cases: 2, Passed: 1, Accuracy: 0.5},
		"jiujiang": {Cases: 1, Passed: 0, Accuracy: 0},
		"other":    {Cases: 1, Passed: 1, Accuracy: 1},
	}
	if diff := cmp.Diff(want, rep.ByCity); diff != "" {
		t.Errorf("ByCity mismatch (-want +got):\n%s", diff)
	}
	if got, want := rep.ByDoc["(none)"], (eval.Group{Cases: 1, Passed: 1, Accuracy: 1}); got != want {
		t.Errorf(`ByDoc["(none)"] = %+v, want %+v`, got, want)
	}
	if got, want := rep.ByTag["table"], (eval.Group{Cases: 1, Passed: 1, Accuracy: 1}); got != want {
		t.Errorf(`ByTag["table"] = %+v, want %+v`, got, want)
	}
	if got, want := rep.Run.Modes, map[string]int{"extractive": 3, "llm": 1}; !cmp.Equal(got, want) {
		t.Errorf("Run.Modes = %v, want %v", got, want)
	}
}

func TestWriteText(t *testing.T) {
	rep := eval.NewReport(eval.TargetInProcess, time.Now(), 0, fixedResults())
	var buf bytes.Buffer
	eval.WriteText(&buf, rep, false)
	out := buf.String()
	for _, want := range []string{
		"FAIL wrong-figure", "FAIL wrong-refusal", "answer holds none of",
		"by tag", "by city", "by document", "nc-plan",
		"accuracy    50.0%", "precision 50.0% (1/2)  recall 100.0% (1/1)",
		"recall@1 33.3%  recall@5 66.7%  MRR 0.417", "fallbacks 50.0% (1/2)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteText() lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ok   pass") {
		t.Errorf("WriteText(verbose false) lists a passing case:\n%s", out)
	}
	buf.Reset()
	eval.WriteText(&buf, rep, true)
	if !strings.Contains(buf.String(), "ok   pass") {
		t.Errorf("WriteText(verbose true) does not list the passing case:\n%s", buf.String())
	}

	remote := fixedResults()
	for i := range remote {
		remote[i].RetrievalRank = nil
	}
	buf.Reset()
	eval.WriteText(&buf, eval.NewReport("http://127.0.0.1:1", time.Now(), 0, remote), false)
	if !strings.Contains(buf.String(), "recall@1 n/a") {
		t.Errorf("WriteText(remote) lacks n/a retrieval:\n%s", buf.String())
	}
}

func TestWriteHTML(t *testing.T) {
	results := fixedResults()
	// Text from answers and cases is escaped, never markup.
	results[1].Answer.Answer = `<script>alert(1)</script> 97.01%`
	rep := eval.NewReport(eval.TargetInProcess, time.Now(), 0, results)
	d := eval.Compare(rep, rep)
	d.NewlyFailing = []string{"wrong-figure"}
	var buf bytes.Buffer
	if err := eval.WriteHTML(&buf, rep, &d); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"<svg", "<rect", "&lt;script&gt;alert(1)&lt;/script&gt;", `id="case-wrong-figure"`,
		"南昌义务教育巩固率是多少?", "南昌市教育事业发展“十四五”规划", "97.68", "新失败",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("WriteHTML() lacks %q", want)
		}
	}
	// Self-contained: no script, nothing loaded from elsewhere.
	for _, bad := range []string{"<script", "src=", "<link", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("WriteHTML() holds %q, want a self-contained page", bad)
		}
	}
	// A passing case is not in the failures table.
	if strings.Contains(page, `id="case-pass"`) {
		t.Error(`WriteHTML() lists the passing case among the failures`)
	}
}

func TestCompare(t *testing.T) {
	mk := func(outcomes map[string]bool, order ...string) eval.Report {
		var rep eval.Report
		for _, id := range order {
			rep.Results = append(rep.Results, eval.CaseResult{Case: eval.Case{ID: id}, Pass: outcomes[id]})
		}
		return rep
	}
	old := mk(map[string]bool{"a": true, "b": false, "c": true, "gone": true}, "a", "b", "c", "gone")
	cur := mk(map[string]bool{"a": false, "b": true, "c": true, "new": false}, "a", "b", "c", "new")
	got := eval.Compare(old, cur)
	want := eval.Diff{NewlyFailing: []string{"a"}, NewlyPassing: []string{"b"}, Added: []string{"new"}, Removed: []string{"gone"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Compare() mismatch (-want +got):\n%s", diff)
	}
	if !got.Regressed() {
		t.Error("Regressed() = false, want true")
	}
	if d := eval.Compare(cur, cur); d.Regressed() || len(d.NewlyPassing)+len(d.Added)+len(d.Removed) != 0 {
		t.Errorf("Compare(r, r) = %+v, want no change", d)
	}
	var buf bytes.Buffer
	got.WriteText(&buf, cur)
	for _, want := range []string{"1 newly failing, 1 newly passing", "newly failing:\n  a", "newly passing:\n  b"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Diff.WriteText() lacks %q:\n%s", want, buf.String())
		}
	}
}

// fakeRetriever retrieves fixed chunks whatever the question, and records
// the standalone question it was asked.
type fakeRetriever struct {
	chunks []rag.Chunk
	asked  string
}

func (f *fakeRetriever) Standalone(req rag.Request) string { return "standalone:" + req.Question }

func (f *fakeRetriever) Retrieve(_ context.Context, q string, k int) ([]rag.Result, error) {
	f.asked = q
	var out []rag.Result
	for i, c := range f.chunks[:min(k, len(f.chunks))] {
		out = append(out, rag.Result{Chunk: c, Rank: i + 1})
	}
	return out, nil
}

func TestRank(t *testing.T) {
	chunks := []rag.Chunk{
		{ID: "jj#1", DocID: "jj", Norm: "九江巩固率97.01%"},      // right figure, wrong document
		{ID: "nc#1", DocID: "nc", Norm: "南昌学前教育毛入园率86.85%"}, // right document, wrong figure
		{ID: "nc#2", DocID: "nc", Norm: "巩固率%97.01 97.68"},  // the one
	}
	tests := []struct {
		name string
		c    eval.Case
		want *int
	}{
		{"third", eval.Case{Doc: "nc", ExpectAny: []string{"97.68"}}, ptr(3)},
		// Expected figures are normalised as the chunks are: full-width
		// digits match.
		{"normalised", eval.Case{Doc: "nc", ExpectAny: []string{"８６．８５"}}, ptr(2)},
		{"absent", eval.Case{Doc: "nc", ExpectAny: []string{"99.9"}}, ptr(0)},
		{"unanswerable", eval.Case{Unanswerable: true, ExpectAny: []string{"97.01"}}, nil},
		{"no document", eval.Case{ExpectAny: []string{"97.01"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &fakeRetriever{chunks: chunks}
			got, err := eval.Rank(t.Context(), r, tt.c, rag.Request{Question: "q"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Rank() mismatch (-want +got):\n%s", diff)
			}
			if tt.want != nil && r.asked != "standalone:q" {
				t.Errorf("Retrieve asked %q, want the standalone question", r.asked)
			}
		})
	}
}

// Run measures retrieval only when the asker can retrieve.
func TestRunRetrieval(t *testing.T) {
	c := eval.Case{ID: "c", Question: "q", ExpectAny: []string{"97.68"}, Doc: "nc"}
	answer := func(context.Context, rag.Request) (rag.Answer, error) {
		return rag.Answer{Answer: "97.68[1]", Answered: true, Sources: []rag.Source{{N: 1, DocID: "nc"}}}, nil
	}
	plain := eval.Run(t.Context(), eval.AskerFunc(answer), []eval.Case{c})
	if plain[0].RetrievalRank != nil || !plain[0].Pass {
		t.Errorf("Run(plain asker) = rank %v pass %v, want nil true", plain[0].RetrievalRank, plain[0].Pass)
	}
	both := struct {
		eval.AskerFunc
		*fakeRetriever
	}{answer, &fakeRetriever{chunks: []rag.Chunk{{DocID: "nc", Norm: "97.68"}}}}
	got := eval.Run(t.Context(), both, []eval.Case{c})
	if got[0].RetrievalRank == nil || *got[0].RetrievalRank != 1 {
		t.Errorf("Run(retriever) rank = %v, want 1", got[0].RetrievalRank)
	}
}

func TestRunError(t *testing.T) {
	failing := eval.AskerFunc(func(context.Context, rag.Request) (rag.Answer, error) {
		return rag.Answer{}, errors.New("boom")
	})
	got := eval.Run(t.Context(), failing, []eval.Case{{ID: "c", Question: "q", Unanswerable: true}})
	if got[0].Pass || got[0].Error != "boom" {
		t.Errorf("Run(failing) = pass %v error %q, want a failure with the error", got[0].Pass, got[0].Error)
	}
	// A failed request is no refusal, right or wrong.
	if s := eval.Summarize(got); s.Errors != 1 || s.Refusals != 0 || s.RefusalsCorrect != 0 {
		t.Errorf("Summarize(failed) = errors %d refusals %d correct %d, want 1 0 0", s.Errors, s.Refusals, s.RefusalsCorrect)
	}
}
