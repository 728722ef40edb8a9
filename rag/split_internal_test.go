package rag

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSentencesKeepSpaceCutsAsRunes holds the byte-wise sentence cutter to
// the rune-wise one it replaced, on random text made of the characters that
// matter (ends, closers, Han, ASCII, spaces) and on invalid UTF-8.
func TestSentencesKeepSpaceCutsAsRunes(t *testing.T) {
	alphabet := []string{"。", "！", "？", "；", "!", "?", ";", "”", "’", "」", "』", "）", ")", "》", "】",
		"教", "育", "率", "a", "7", ".", " ", "\n", "（", "“"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(30) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s := b.String()
		if got, want := sentencesKeepSpace(s), sentencesKeepSpaceRunes(s); !slices.Equal(got, want) {
			t.Fatalf("%q: %q, rune-wise %q", s, got, want)
		}
	}
	bad := "教育\xff。率"
	if got, want := sentencesKeepSpace(bad), sentencesKeepSpaceRunes(bad); !slices.Equal(got, want) {
		t.Fatalf("%q: %q, rune-wise %q", bad, got, want)
	}
}

// indexComma and runesAtMost answer as the standard library's calls they
// replace.
func TestCommaAndRuneCountShortcuts(t *testing.T) {
	alphabet := []string{",", "，", "教", "a", "𠀀", "\xe5", " "}
	r := rand.New(rand.NewPCG(17, 5))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s := b.String()
		if got, want := indexComma(s), strings.IndexAny(s, ",，"); got != want {
			t.Fatalf("indexComma(%q) = %d, want %d", s, got, want)
		}
		for _, n := range []int{0, 1, 6, 14, 30} {
			if got, want := runesAtMost(s, n), utf8.RuneCountInString(s) <= n; got != want {
				t.Fatalf("runesAtMost(%q, %d) = %v, want %v", s, n, got, want)
			}
		}
	}
}
