package zh

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// originalFolded is Original as it was first written: the whole original
// folded into a slice, then searched. The faster Original must agree.
func originalFolded(original, norm string) (string, bool) {
	want := make([]rune, 0, len(norm))
	for _, r := range norm {
		if r != ' ' {
			want = append(want, r)
		}
	}
	if len(want) == 0 {
		return "", false
	}
	var folded []rune
	var at []int
	for i, r := range original {
		switch r {
		case ' ', '\n', '\r', '\t', '\u3000', '\u00a0':
			continue
		}
		folded = append(folded, foldRune(simplifiedRune(r)))
		at = append(at, i)
	}
	for start := 0; start+len(want) <= len(folded); start++ {
		match := true
		for k := range want {
			if folded[start+k] != want[k] {
				match = false
				break
			}
		}
		if match {
			last := at[start+len(want)-1]
			_, size := utf8.DecodeRuneInString(original[last:])
			return Squeeze(original[at[start] : last+size]), true
		}
	}
	return "", false
}

// Every sentence and clause of the seeds is found in its document as the
// first search found it, and so is text that is not there.
func TestOriginalEqualsFoldedSearch(t *testing.T) {
	texts := corpusTexts(t)
	var docs []string
	for _, s := range texts {
		if len(s) > 5000 && strings.Count(s, "\n") > 20 && Normalize(s) != s {
			docs = append(docs, s) // a raw seed document
		}
	}
	if len(docs) < 3 {
		t.Fatalf("found %d raw seed documents, want them all", len(docs))
	}
	found := 0
	for _, doc := range docs {
		for i, s := range texts {
			if len(s) > 300 || i%8 != 0 { // a sample: the first search is slow

				continue
			}
			got, gotOK := Original(doc, s)
			want, wantOK := originalFolded(doc, s)
			if got != want || gotOK != wantOK {
				t.Fatalf("Original(doc, %q) = %q, %v; want %q, %v", s, got, gotOK, want, wantOK)
			}
			if gotOK {
				found++
			}
		}
	}
	if found < 300 {
		t.Fatalf("found %d passages, want a test that exercises matching (≥ 300)", found)
	}
}

func FuzzOriginal(f *testing.F) {
	f.Add("南昌市 學前三年\n毛入園率達到 90.5％。", "学前三年毛入园率达到90.5%")
	f.Add("ab ab  abc", "abc")
	f.Fuzz(func(t *testing.T, original, norm string) {
		got, gotOK := Original(original, norm)
		want, wantOK := originalFolded(original, norm)
		if got != want || gotOK != wantOK {
			t.Errorf("Original(%q, %q) = %q, %v; want %q, %v", original, norm, got, gotOK, want, wantOK)
		}
	})
}
