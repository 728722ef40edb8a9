package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"wenda/eval"
	"wenda/rag/ragtest"
)

// runEvalCmd runs `wenda eval args...` with env and returns what it printed.
func runEvalCmd(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(t.Context(), append([]string{"eval"}, args...), func(k string) string { return env[k] }, nil, &out, io.Discard)
	return out.String(), err
}

func readReport(t *testing.T, path string) eval.Report {
	t.Helper()
	rep, err := eval.ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func passing(rep eval.Report) []string {
	var ids []string
	for _, r := range rep.Results {
		if r.Pass {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// TestEvalCommandReports runs the embedded cases in-process: the table on
// stdout, the JSON and HTML reports on disk.
func TestEvalCommandReports(t *testing.T) {
	dir := t.TempDir()
	jsonPath, htmlPath := filepath.Join(dir, "eval.json"), filepath.Join(dir, "eval.html")
	env := map[string]string{"WENDA_DATA_DIR": t.TempDir()}
	out, err := runEvalCmd(t, env, "-json", jsonPath, "-data", t.TempDir(), "-html", htmlPath, "-min-accuracy", "0.9")
	if err != nil {
		t.Fatalf("eval = %v\n%s", err, out)
	}
	for _, want := range []string{"by tag", "by city", "by document", "accuracy", "refusals    precision", "retrieval   recall@1", "latency     p50"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	rep := readReport(t, jsonPath)
	cases, _ := eval.Cases()
	if len(rep.Results) != len(cases) || rep.Run.Target != eval.TargetInProcess || rep.Summary.Retrieval == nil {
		t.Errorf("report: %d results, target %q, retrieval %v; want %d, in-process, measured",
			len(rep.Results), rep.Run.Target, rep.Summary.Retrieval, len(cases))
	}
	if rep.Summary.LLM != nil {
		t.Errorf("report llm = %+v, want null in extractive mode", rep.Summary.LLM)
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("<svg")) || bytes.Contains(page, []byte("<script")) {
		t.Errorf("HTML report: want an inline chart and no script")
	}
}

// compareCases are three cases whose outcome does not depend on how well
// the engine does: one passes, one cannot (its figure is in no document),
// one is a refusal.
const compareCases = `{"id": "ok", "question": "南昌义务教育巩固率是多少?", "expect_any": ["97.01"], "doc": "nanchang-14th-five-year-education-plan", "tags": ["nanchang"]}
{"id": "broken", "question": "南昌义务教育巩固率是多少?", "expect_any": ["12.34"], "doc": "nanchang-14th-five-year-education-plan", "tags": ["nanchang"]}
{"id": "refusal", "question": "上海市义务教育巩固率是多少?", "unanswerable": true, "tags": ["other", "unanswerable"]}
`

func TestEvalCommandCompare(t *testing.T) {
	dir := t.TempDir()
	casesPath := filepath.Join(dir, "cases.jsonl")
	if err := os.WriteFile(casesPath, []byte(compareCases), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"WENDA_DATA_DIR": t.TempDir()}
	basePath := filepath.Join(dir, "base.json")
	if out, err := runEvalCmd(t, env, "-cases", casesPath, "-json", basePath); err != nil {
		t.Fatalf("first run = %v\n%s", err, out)
	}
	if got, want := passing(readReport(t, basePath)), []string{"ok", "refusal"}; !slices.Equal(got, want) {
		t.Fatalf("first run passes %v, want %v", got, want)
	}

	tests := []struct {
		name     string
		doctor   func(r *eval.CaseResult) bool // false drops the case from the old report
		wantErr  bool
		wantOuts []string
	}{
		{"unchanged", func(*eval.CaseResult) bool { return true }, false,
			[]string{"0 newly failing, 0 newly passing"}},
		{"a failing case failed before too", func(r *eval.CaseResult) bool { r.Pass = r.ID != "broken"; return true }, false,
			[]string{"0 newly failing"}},
		{"a passing case failed before", func(r *eval.CaseResult) bool { r.Pass = r.Pass && r.ID != "ok"; return true }, false,
			[]string{"0 newly failing, 1 newly passing", "newly passing:\n  ok"}},
		{"a failing case passed before", func(r *eval.CaseResult) bool { r.Pass = true; return true }, true,
			[]string{"1 newly failing", "newly failing:\n  broken"}},
		{"a failing case is new", func(r *eval.CaseResult) bool { return r.ID != "broken" }, false,
			[]string{"0 newly failing", "added: [broken]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := readReport(t, basePath)
			old.Results = slices.DeleteFunc(old.Results, func(r eval.CaseResult) bool { return !tt.doctor(&r) })
			for i := range old.Results {
				tt.doctor(&old.Results[i])
			}
			oldPath := filepath.Join(t.TempDir(), "old.json")
			raw, _ := json.Marshal(old)
			os.WriteFile(oldPath, raw, 0o644)
			htmlPath := filepath.Join(t.TempDir(), "eval.html")
			out, err := runEvalCmd(t, env, "-cases", casesPath, "-compare", oldPath, "-html", htmlPath)
			if gotErr := errors.Is(err, errRegression); gotErr != tt.wantErr || (err != nil && !gotErr) {
				t.Errorf("eval -compare = %v, want regression error %v", err, tt.wantErr)
			}
			for _, want := range tt.wantOuts {
				if !strings.Contains(out, want) {
					t.Errorf("eval -compare output lacks %q:\n%s", want, out)
				}
			}
			// The reports are written even when the comparison fails.
			if _, err := os.Stat(htmlPath); err != nil {
				t.Errorf("HTML report: %v", err)
			}
		})
	}

	if _, err := runEvalCmd(t, env, "-cases", casesPath, "-compare", filepath.Join(dir, "missing.json")); err == nil {
		t.Error("eval -compare with a missing report = nil error, want one")
	}
}

// TestEvalCommandRemote runs the embedded cases against a wenda started by
// the test: the same cases pass as in-process, and retrieval is n/a.
func TestEvalCommandRemote(t *testing.T) {
	// The eval asks far faster than a citizen: no rate limit here (a limited
	// instance is waited out, see eval.HTTPAsker).
	base := startServe(t, map[string]string{"WENDA_RATE_LIMIT": "0"})
	dir := t.TempDir()
	remotePath, localPath := filepath.Join(dir, "remote.json"), filepath.Join(dir, "local.json")
	env := map[string]string{"WENDA_DATA_DIR": t.TempDir()}
	out, err := runEvalCmd(t, env, "-url", base, "-json", remotePath, "-html", filepath.Join(dir, "remote.html"))
	if err != nil {
		t.Fatalf("eval -url = %v\n%s", err, out)
	}
	if !strings.Contains(out, "recall@1 n/a") || !strings.Contains(out, base) {
		t.Errorf("eval -url output lacks the target or n/a retrieval:\n%s", out)
	}
	remote := readReport(t, remotePath)
	if remote.Run.Target != base || remote.Summary.Retrieval != nil || remote.Summary.Errors != 0 {
		t.Errorf("remote report: target %q, retrieval %v, %d errors; want %q, null, 0",
			remote.Run.Target, remote.Summary.Retrieval, remote.Summary.Errors, base)
	}
	for _, r := range remote.Results {
		if r.RetrievalRank != nil {
			t.Fatalf("remote result %s has retrieval rank %d, want null", r.ID, *r.RetrievalRank)
		}
	}
	if out, err := runEvalCmd(t, env, "-json", localPath); err != nil {
		t.Fatalf("eval in-process = %v\n%s", err, out)
	}
	if got, want := passing(remote), passing(readReport(t, localPath)); !slices.Equal(got, want) {
		t.Errorf("remote run passes %d cases, in-process %d; want the same cases", len(got), len(want))
	}
}

func TestEvalCommandRemoteErrors(t *testing.T) {
	env := map[string]string{}
	if _, err := runEvalCmd(t, env, "-url", "http://"+freeAddr(t)); err == nil {
		t.Error("eval -url with nobody listening = nil error, want one")
	}
	if _, err := runEvalCmd(t, env, "-url", "http://127.0.0.1:1", "-data", t.TempDir()); err == nil {
		t.Error("eval -url -data = nil error, want one: -data configures the in-process engine")
	}
}

// TestEvalCommandLLM evaluates a wenda in llm mode over HTTP whose model
// writes a figure the sources lack: the figure check falls back, and the
// report counts it.
func TestEvalCommandLLM(t *testing.T) {
	srv := ragtest.NewServer(t, "sk-test")
	srv.ChatFunc(fakeModel("97.01%", "98.5%"))
	env := llmEnv(t, srv)
	env["WENDA_RATE_LIMIT"] = "0"
	base := startServe(t, env)
	dir := t.TempDir()
	casesPath, jsonPath := filepath.Join(dir, "cases.jsonl"), filepath.Join(dir, "eval.json")
	os.WriteFile(casesPath, []byte(compareCases), 0o644)
	out, err := runEvalCmd(t, map[string]string{}, "-url", base, "-cases", casesPath, "-json", jsonPath)
	if err != nil {
		t.Fatalf("eval -url (llm) = %v\n%s", err, out)
	}
	llm := readReport(t, jsonPath).Summary.LLM
	if llm == nil || llm.Answers != 2 || llm.FigureCheckFallbacks != 2 || llm.FallbackReasons["unverified_figure"] != 2 {
		t.Errorf("llm summary = %+v, want 2 answers, both fallen back on the figure check", llm)
	}
	if !strings.Contains(out, "figure check 100.0% (2)") {
		t.Errorf("eval output lacks the figure check fallbacks:\n%s", out)
	}
}
