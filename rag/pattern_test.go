package rag

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp/syntax"
	"strings"
	"testing"

	"wenda/rag/zh"
	"wenda/seeds"
)

func TestNeededRunes(t *testing.T) {
	tests := []struct {
		expr string
		want string // the characters, "" when none is known
	}{
		{`哪一?年|哪天|什么时候`, "哪什"},
		{`(?:^|[^\d])(?:五|5)年(?:[^级度]|$)`, "年"},
		{`[招引培建]了?(?:多少|几)`, "多几"},
		{`\d{1,2}\s*[月日号]`, "号日月"},
		{`\p{Han}+`, ""},
		{`(?:^|[^比])(去年|前年)`, "去前"},
		{`年?`, ""},
		{`a*|年`, ""},
		{`(?i)steam`, ""},
		{`^`, ""},
		{`[^年]`, ""},
	}
	for _, tt := range tests {
		re, err := syntax.Parse(tt.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		needs, ok := neededRunes(re)
		got := string(needs)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("neededRunes(%q) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

// patternTexts are the texts the package's patterns meet: the seed
// documents' lines and the eval questions, as written and normalised.
func patternTexts(t testing.TB) []string {
	var texts []string
	seen := map[string]bool{}
	add := func(s string) {
		for _, v := range []string{s, zh.Normalize(s)} {
			if !seen[v] {
				seen[v] = true
				texts = append(texts, v)
			}
		}
	}
	err := fs.WalkDir(seeds.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := fs.ReadFile(seeds.FS(), path)
		for _, line := range strings.Split(string(b), "\n") {
			add(line)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../eval/*.jsonl")
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var c struct {
				Question string `json:"question"`
				History  []struct {
					Content string `json:"content"`
				} `json:"history"`
			}
			if json.Unmarshal(sc.Bytes(), &c) == nil {
				add(c.Question)
				for _, h := range c.History {
					add(h.Content)
				}
			}
		}
		f.Close()
	}
	return texts
}

// A pattern's guard never turns away a text its expression matches.
func TestPatternGuard(t *testing.T) {
	texts := patternTexts(t)
	guarded := 0
	for _, p := range patterns {
		if p.guarded {
			guarded++
		}
		for _, s := range texts {
			if !p.may(s) && p.Regexp.MatchString(s) {
				t.Errorf("%q: guard %q turns away %q, which it matches", p.String(), p.needs, s)
			}
		}
	}
	t.Logf("%d of %d patterns guarded, checked on %d texts", guarded, len(patterns), len(texts))
	if guarded < len(patterns)/2 {
		t.Errorf("%d of %d patterns guarded, want most", guarded, len(patterns))
	}
}

func FuzzPatternGuard(f *testing.F) {
	for _, s := range []string{"哪一年", "2020年南昌市义务教育巩固率为97.01%", "去年多了几所", "五年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range patterns {
			if !p.may(s) && p.Regexp.MatchString(s) {
				t.Errorf("%q: guard %q turns away %q, which it matches", p.String(), p.needs, s)
			}
		}
	})
}
