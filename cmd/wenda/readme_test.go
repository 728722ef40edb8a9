package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenda/rag"
)

// readmeBlock returns the first fenced block of kind lang after the line
// holding marker in README.md.
func readmeBlock(t *testing.T, marker, lang string) string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	i := strings.Index(s, marker)
	if i < 0 {
		t.Fatalf("README.md lacks %q", marker)
	}
	m := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```").FindStringSubmatch(s[i:])
	if m == nil {
		t.Fatalf("README.md has no ```%s block after %q", lang, marker)
	}
	return m[1]
}

var update = flag.Bool("update", false, "rewrite the README's sample of wenda ask")

// TestReadmeAskOutput: the README's sample of `wenda ask` is what it prints. With -update
// it rewrites the sample.
func TestReadmeAskOutput(t *testing.T) {
	want := readmeBlock(t, `go run ./cmd/wenda ask "南昌义务教育巩固率是多少?"`, "text")
	var out bytes.Buffer
	if err := run(t.Context(), []string{"ask", "南昌义务教育巩固率是多少?"}, func(string) string { return "" }, nil, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if *update {
		raw, _ := os.ReadFile("../../README.md")
		if err := os.WriteFile("../../README.md", bytes.Replace(raw, []byte(want), out.Bytes(), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("README's wenda ask sample differs from what it prints (-README +printed):\n%s", diff)
	}
}

// TestReadmeAskJSON: the README's sample answer of POST /api/v1/ask is the
// real one, but for the fields it shortens (text, score, the section's tail).
func TestReadmeAskJSON(t *testing.T) {
	var want rag.Answer
	if err := json.Unmarshal([]byte(readmeBlock(t, "-d '{\"question\":\"南昌义务教育巩固率是多少?\"}'", "json")), &want); err != nil {
		t.Fatalf("README's JSON sample: %v", err)
	}
	eng, err := openEngine(t.Context(), config{DataDir: t.TempDir()}, newLogger(slog.LevelWarn, &bytes.Buffer{}))
	if err != nil {
		t.Fatal(err)
	}
	got, err := eng.Ask(t.Context(), rag.Request{Question: "南昌义务教育巩固率是多少?"})
	if err != nil {
		t.Fatal(err)
	}
	shorten := func(a *rag.Answer) {
		for i := range a.Sources {
			s := &a.Sources[i]
			s.Text = ""
			if head, _, ok := strings.Cut(s.Section, " > "); ok {
				s.Section = head + " > …"
			}
		}
	}
	shorten(&want)
	shorten(&got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README's /api/v1/ask sample differs from the answer (-README +answer):\n%s", diff)
	}
}
