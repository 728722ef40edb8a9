package zh

import "testing"

// Simplified skips the converter only for text it would leave as it is: on
// every line, sentence and clause of the seeds (two of them traditional)
// and every eval question, it gives what the converter gives.
func TestSimplifiedSkipsOnlyUnchangedText(t *testing.T) {
	cc, err := converter()
	if err != nil {
		t.Fatal(err)
	}
	skipped := 0
	for _, s := range corpusTexts(t) {
		if len(s) > 4000 || isASCII(s) {
			continue
		}
		want, err := cc.Convert(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := Simplified(s); got != want {
			t.Fatalf("Simplified(%.60q…) = %.200q, want the converter's %.200q", s, got, want)
		}
		if !startsWord(cc, s) {
			skipped++
		}
	}
	if wordStarts == nil {
		t.Fatal("the dictionaries' words' first characters were not read: every text is converted")
	}
	if skipped < 500 {
		t.Errorf("%d texts skipped the converter, want most simplified clauses and questions (≥ 500)", skipped)
	}
	for _, s := range []string{"學前教育", "義務教育鞏固率", "覆蓋率", "后来"} {
		if !startsWord(cc, s) {
			t.Errorf("startsWord(%q) = false, want true: the converter has words starting there", s)
		}
	}
}

func FuzzSimplified(f *testing.F) {
	for _, s := range []string{"南昌學前三年毛入園率", "义务教育巩固率", "乾隆皇帝", "\xe5\xad"} {
		f.Add(s)
	}
	cc, err := converter()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := cc.Convert(s)
		if err != nil || isASCII(s) {
			return
		}
		if got := Simplified(s); got != want {
			t.Errorf("Simplified(%q) = %q, the converter gives %q", s, got, want)
		}
	})
}
