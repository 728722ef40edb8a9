package zh

import (
	"strings"
	"testing"
)

func TestStripTitles(t *testing.T) {
	tests := []struct{ in, want string }{
		{"依据《南昌市教育事业发展“十四五”规划(2021-2025年)》,2025年达到", "依据,2025年达到"},
		{"《甲《乙》丙》丁", "丁"},
		{"甲》乙《丙", "甲》乙"},
		{"没有书名", "没有书名"},
		{"《》", ""},
		{"\xff《题》\xfe", "\ufffd\ufffd"},
	}
	for _, tt := range tests {
		if got := StripTitles(tt.in); got != tt.want {
			t.Errorf("StripTitles(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// StripTitles copies runs of text; it gives what removing titles a rune at
// a time gives, on every text of the seeds and every eval question.
func TestStripTitlesEqualsRuneByRune(t *testing.T) {
	titled := 0
	for _, s := range corpusTexts(t) {
		want := s
		if strings.Contains(s, "《") {
			want = stripTitlesRunes(s)
		}
		if got := StripTitles(s); got != want {
			t.Fatalf("StripTitles(%.60q…) = %.200q, want %.200q", s, got, want)
		}
		if want != s {
			titled++
		}
	}
	if titled < 50 {
		t.Fatalf("%d texts held a title, want a test that exercises them (≥ 50)", titled)
	}
}

func FuzzStripTitles(f *testing.F) {
	for _, s := range []string{"《甲《乙》丙》丁", "甲》乙《丙", "\xe3\x80《题》"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := s // text without a title comes back as it is
		if strings.Contains(s, "《") {
			want = stripTitlesRunes(s)
		}
		if got := StripTitles(s); got != want {
			t.Errorf("StripTitles(%q) = %q, rune by rune %q", s, got, want)
		}
	})
}

func TestNormalizeQuestionSpacesSeparateClauses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"九江有几所高中 我想知道", "九江有几所高中，我想知道"},
		{"南昌  2020年 入园率", "南昌2020年，入园率"},
		{"南昌 2020 年的入园率", "南昌2020年的入园率"},
		{"巴中学位有多少?", "巴中学位有多少?"},
	}
	for _, tt := range tests {
		if got := NormalizeQuestion(tt.in); got != tt.want {
			t.Errorf("NormalizeQuestion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
