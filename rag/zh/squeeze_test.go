package zh

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// foldCopy is Fold as it was written first, every rune copied: what Fold's
// copy-on-change must give.
func foldCopy(s string) string {
	s = Simplified(s)
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// Squeeze and Fold, which copy only from the first change, give what the
// rune-by-rune forms give on the seeds, the eval questions and synthetic text
// of spaces, line breaks, Han, digits, signs and full-width forms.
func TestSqueezeAndFoldAsRuneByRune(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := Squeeze(s), squeezeRunes(s); got != want {
			t.Fatalf("Squeeze(%.80q) = %.200q, want %.200q", s, got, want)
		}
		if got, want := Fold(s), foldCopy(s); got != want {
			t.Fatalf("Fold(%.80q) = %.200q, want %.200q", s, got, want)
		}
	}
	for _, s := range corpusTexts(t) {
		check(s)
	}
	pieces := []string{" ", "  ", "\n", "\r\n", " \n ", "\t", "\u3000", "\u00a0", "教育", "率", "，", "。",
		"97", ".", "01", "%", "‰", "２０２５", "ＧＤＰ", "％", "abc", "學", "“", "”", "\ufffd", "\xe5"}
	rng := rand.New(rand.NewPCG(17, 2))
	for range 50_000 {
		var b strings.Builder
		for range 1 + rng.IntN(10) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		check(b.String())
	}
}

// Simplified, folded and squeezed text comes back as it is, with no
// allocation.
func TestNormalizeNormalAllocatesNothing(t *testing.T) {
	s := "全市义务教育巩固率达到97.01%,学前教育毛入园率为91.2%。2025年表2 38 45"
	if got := Normalize(s); got != s {
		t.Fatalf("Normalize(%q) = %q, want it unchanged", s, got)
	}
	if n := testing.AllocsPerRun(10, func() { Normalize(s) }); n != 0 {
		t.Errorf("Normalize of normal text allocated %v times, want 0", n)
	}
}

func FuzzSqueezeAndFold(f *testing.F) {
	for _, s := range []string{"97.01 %", "教 育\n率", " ２０２５ 年 ", "\xe5 \xad", "a  b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Squeeze(s), squeezeRunes(s); got != want {
			t.Errorf("Squeeze(%q) = %q, want %q", s, got, want)
		}
		if got, want := Fold(s), foldCopy(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	})
}

// Sentences cuts valid text where the rune-by-rune form does, and gives
// the same sentences.
func TestSentencesAsRuneByRune(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := Sentences(s), sentencesRunes(s); !slices.Equal(got, want) {
			t.Fatalf("Sentences(%.80q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range corpusTexts(t) {
		check(s)
	}
	pieces := []string{"。", "！", "？", "；", "!", "?", ";", "…", "……", "”", "）", ")", "》", "】", "\n", " ", "教育", "97.5", "a"}
	rng := rand.New(rand.NewPCG(17, 3))
	for range 50_000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		check(b.String())
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{"一。二！”三……四\n五", "a;b", "……"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		if got, want := Sentences(s), sentencesRunes(s); !slices.Equal(got, want) {
			t.Errorf("Sentences(%q) = %q, want %q", s, got, want)
		}
	})
}
