package zh

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// gocc converts text in time quadratic in its length: the comparisons
// below give it pieces of at most this many bytes.
const goccMaxBytes = 20_000

// The words read out of gocc's tries are all of them, each with the value
// gocc gives it.
func TestT2STableHoldsTheDictionaries(t *testing.T) {
	cc, err := converter()
	if err != nil {
		t.Fatal(err)
	}
	tab := convTable()
	if tab == nil {
		t.Fatal("gocc's dictionaries could not be read out: every text goes to gocc")
	}
	if got, want := len(tab.groups), len(cc.DictChains); got != want {
		t.Fatalf("%d groups, want gocc's %d", got, want)
	}
	for gi, g := range tab.groups {
		if got, want := len(g.dicts), len(cc.DictChains[gi].Dicts); got != want {
			t.Fatalf("group %d: %d dictionaries, want gocc's %d", gi, got, want)
		}
		for di, d := range g.dicts {
			gd := cc.DictChains[gi].Dicts[di]
			keys, _, _, _ := gd.Trie.Status()
			if len(d.words) != keys || keys < 200 {
				t.Errorf("group %d dictionary %d: %d words, gocc's trie has %d keys", gi, di, len(d.words), keys)
			}
			for w, repl := range d.words {
				ret, err := gd.PrefixMatch(w)
				if vs := ret[w]; err != nil || len(vs) == 0 || vs[0] != repl {
					t.Fatalf("group %d dictionary %d: %q → %q, gocc has %q (%v)", gi, di, w, repl, ret[w], err)
				}
			}
		}
	}
}

// Simplified gives what gocc's converter gives on every line, sentence and
// clause of the seeds (two of them traditional) and every eval question, and
// on synthetic text mixing the dictionaries' words, their values, pieces of
// words and other characters.
func TestSimplifiedIsTheConverters(t *testing.T) {
	cc, err := converter()
	if err != nil {
		t.Fatal(err)
	}
	check := func(s string) {
		t.Helper()
		want, err := cc.Convert(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := Simplified(s); got != want {
			t.Fatalf("Simplified(%.60q…) = %.200q, want the converter's %.200q", s, got, want)
		}
	}
	changed := 0
	for _, s := range corpusTexts(t) {
		for len(s) > goccMaxBytes {
			cut := goccMaxBytes
			for !utf8.RuneStart(s[cut]) {
				cut--
			}
			check(s[:cut])
			s = s[cut:]
		}
		check(s)
		if Simplified(s) != s {
			changed++
		}
	}
	if changed < 10 {
		t.Errorf("%d seed texts changed, want the traditional seeds' (≥ 10)", changed)
	}

	// Synthetic text: runs of words, values, words' first runes and
	// second halves, simplified text and ASCII, so that words overlap,
	// nest and are cut.
	var pieces []string
	for _, g := range convTable().groups {
		for _, d := range g.dicts {
			for w, v := range d.words {
				_, n := utf8.DecodeRuneInString(w)
				pieces = append(pieces, w, v, w[:n], w[n:])
			}
		}
	}
	pieces = append(pieces, "义务教育巩固率", "乾隆", "著名", " ", "2025年", "A", "𠀀", "\u3000", "后来")
	rng := rand.New(rand.NewPCG(17, 1))
	for range 20_000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		check(b.String())
	}
}

// Text that nothing changes comes back as it is, with no allocation.
func TestSimplifiedUnchangedAllocatesNothing(t *testing.T) {
	s := strings.Repeat("全市义务教育巩固率达到97.01%，学前教育毛入园率为91.2%。", 20)
	if got := Simplified(s); got != s {
		t.Fatalf("Simplified changed simplified text: %q", got)
	}
	if n := testing.AllocsPerRun(10, func() { Simplified(s) }); n != 0 {
		t.Errorf("Simplified of simplified text allocated %v times, want 0", n)
	}
	if got, want := Simplified("學前教育"), "学前教育"; got != want {
		t.Errorf("Simplified(學前教育) = %q, want %q", got, want)
	}
}

func FuzzSimplified(f *testing.F) {
	for _, s := range []string{"南昌學前三年毛入園率", "义务教育巩固率", "乾隆皇帝", "\xe5\xad", "一目瞭然𠀀"} {
		f.Add(s)
	}
	cc, err := converter()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > goccMaxBytes {
			return
		}
		want, err := cc.Convert(s)
		if err != nil || isASCII(s) {
			return
		}
		if got := Simplified(s); got != want {
			t.Errorf("Simplified(%q) = %q, the converter gives %q", s, got, want)
		}
	})
}
