package zh

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusTexts are the texts matching canonicalises: every seed document,
// raw and normalised, with its lines, sentences and clauses, and every eval
// question with its history, raw and normalised.
func corpusTexts(t testing.TB) []string {
	t.Helper()
	var out []string
	docs, err := filepath.Glob("../../seeds/*.txt")
	if err != nil || len(docs) == 0 {
		t.Fatalf("seed documents: %v (found %d)", err, len(docs))
	}
	for _, p := range docs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		raw := string(b)
		norm := Normalize(raw)
		out = append(out, raw, norm)
		for _, line := range strings.Split(norm, "\n") {
			out = append(out, line)
			for _, s := range Sentences(line) {
				out = append(out, s)
				out = append(out, Clauses(s)...)
			}
		}
	}
	cases, err := filepath.Glob("../../eval/*.jsonl")
	if err != nil || len(cases) == 0 {
		t.Fatalf("eval cases: %v (found %d)", err, len(cases))
	}
	questions := 0
	for _, p := range cases {
		f, err := os.Open(p)
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
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			questions++
			out = append(out, c.Question, Normalize(c.Question))
			for _, m := range c.History {
				out = append(out, m.Content, Normalize(m.Content))
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if questions < 400 {
		t.Fatalf("read %d eval questions, want both case files (≥ 400)", questions)
	}
	return out
}

// The canonicalisers give exactly what strings.Replacer, which they
// replaced, gives with the same arguments, on every text of the seeds and
// every eval question: answers depend on it byte for byte.
func TestCanonicalEqualsReplacer(t *testing.T) {
	Canonical("")
	if lexErr != nil {
		t.Fatal(lexErr)
	}
	old, oldWords := strings.NewReplacer(lexArgs...), strings.NewReplacer(lexWordsArgs...)
	changed := 0
	for _, s := range corpusTexts(t) {
		want := old.Replace(s)
		if got := Canonical(s); got != want {
			t.Fatalf("Canonical(%.60q…) differs from strings.Replacer:\n got %.200q\nwant %.200q", s, got, want)
		}
		if got, want := CanonicalWords(s), oldWords.Replace(s); got != want {
			t.Fatalf("CanonicalWords(%.60q…) differs from strings.Replacer:\n got %.200q\nwant %.200q", s, got, want)
		}
		if want != s {
			changed++
		}
	}
	if changed < 100 {
		t.Fatalf("the lexicon changed %d texts, want a test that exercises it (≥ 100)", changed)
	}
}

// Masks' rewriters give what strings.Replacer gives with their arguments,
// for metrics holding each compound's words, on the canonical seeds.
func TestMasksEqualReplacer(t *testing.T) {
	texts := corpusTexts(t)
	for i, s := range texts {
		texts[i] = Canonical(s)
	}
	metrics := []string{"小学", "大学", "中学", "学生", "小学生", "中小学", "在校生 大学", "学校 小学 大学"}
	for _, m := range metrics {
		w := Masks(m)
		if w == nil {
			continue
		}
		var args []string
		for _, line := range compounds {
			named := false
			for _, c := range line {
				named = named || strings.Contains(m, c)
			}
			if !named {
				for _, c := range line {
					args = append(args, maskArgs(m, c)...)
				}
			}
		}
		old := strings.NewReplacer(args...)
		for _, s := range texts {
			if got, want := w.Replace(s), old.Replace(s); got != want {
				t.Fatalf("Masks(%q).Replace(%.60q…) = %.200q, want %.200q", m, s, got, want)
			}
		}
	}
	first, again := Masks("小学"), Masks("小学")
	if first != again {
		t.Error("Masks(小学) built twice, want the rewriter kept")
	}
}

func TestRewriter(t *testing.T) {
	tests := []struct {
		oldnew []string
		in     string
		want   string
	}{
		{[]string{"ab", "X", "a", "Y"}, "aab", "YX"},
		{[]string{"a", "Y", "ab", "X"}, "aab", "YYb"}, // argument order, not length, decides
		{[]string{"入园率", "A", "毛入园率", "毛入园率"}, "毛入园率", "毛入园率"},
		{[]string{"毛入园率", "毛入园率", "入园率", "A"}, "毛入园率 入园率", "毛入园率 A"},
		{[]string{"老师", "教师"}, "老师们的老师", "教师们的教师"},
		{[]string{"老师", "教师", "老师", "X"}, "老师", "教师"}, // the first of a repeated pattern
		{[]string{"😀", "smile"}, "a😀b", "asmileb"},
		{[]string{"\xe8", "X"}, "\xe8\x80", "X\x80"},
		{[]string{"师", "X"}, "\xe8\x80师\xff", "\xe8\x80X\xff"},
		{nil, "老师", "老师"},
		{[]string{"老师", "教师"}, "", ""},
	}
	for _, tt := range tests {
		got := NewRewriter(tt.oldnew...).Replace(tt.in)
		if got != tt.want {
			t.Errorf("NewRewriter(%q).Replace(%q) = %q, want %q", tt.oldnew, tt.in, got, tt.want)
		}
		if want := strings.NewReplacer(tt.oldnew...).Replace(tt.in); got != want {
			t.Errorf("NewRewriter(%q).Replace(%q) = %q, strings.Replacer gives %q", tt.oldnew, tt.in, got, want)
		}
	}
}

// A text nothing changes comes back as it is, without an allocation.
func TestRewriterUnchangedAllocatesNothing(t *testing.T) {
	s := "南昌市义务教育巩固率达到97.01%,毛入园率90.5%。"
	if got := Canonical(s); got != s {
		t.Fatalf("Canonical(%q) = %q, want it unchanged", s, got)
	}
	if n := testing.AllocsPerRun(100, func() { Canonical(s) }); n != 0 {
		t.Errorf("Canonical of unchanged text: %v allocations, want 0", n)
	}
}

func FuzzRewriterEqualsReplacer(f *testing.F) {
	Canonical("")
	for _, s := range []string{"南昌老师们的孩子", "毛入园率和入园率", "中职学校\xe8", "上幼儿园的孩子们"} {
		f.Add(s)
	}
	old := strings.NewReplacer(lexArgs...)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Canonical(s), old.Replace(s); got != want {
			t.Errorf("Canonical(%q) = %q, strings.Replacer gives %q", s, got, want)
		}
	})
}

func BenchmarkCanonical(b *testing.B) {
	// Matching canonicalises sentences, clauses and questions, not whole
	// documents.
	var texts []string
	for _, s := range corpusTexts(b) {
		if len(s) < 1000 {
			texts = append(texts, s)
		}
	}
	var bytes int64
	for _, s := range texts {
		bytes += int64(len(s))
	}
	b.SetBytes(bytes)
	b.Run("rewriter", func(b *testing.B) {
		for b.Loop() {
			for _, s := range texts {
				Canonical(s)
			}
		}
	})
	old := strings.NewReplacer(lexArgs...)
	b.Run("strings.Replacer", func(b *testing.B) {
		for b.Loop() {
			for _, s := range texts {
				old.Replace(s)
			}
		}
	})
}
