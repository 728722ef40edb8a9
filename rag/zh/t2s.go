package zh

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/liuzl/gocc"
)

// t2sTable is gocc's traditional→simplified conversion read out of its
// dictionaries into Go maps, so that converting costs one scan of the text
// and allocates only when something changes. gocc's Convert, at every
// character, copies the rest of the text for its trie and builds a map of
// the words found there: converting a document costs time quadratic in its
// length and most of what a large build allocates.
//
// The conversion is gocc's, word for word: each group of dictionaries is a
// pass over the text; a pass goes left to right and, at each position,
// takes from the first dictionary of the group that has a word starting
// there the longest such word, replaced by the first of its values, then
// goes on after it; a character no dictionary has a word for is kept.
// TestSimplifiedIsTheConverters holds it to gocc on the seeds, the eval
// questions and synthetic text, and FuzzSimplified on any text.
type t2sTable struct {
	groups []t2sGroup
}

type t2sGroup struct {
	// starts has a bit for every rune below 1<<16 that starts a word of
	// one of the group's dictionaries: the others are copied at once.
	starts *[1 << 16 / 64]uint64
	dicts  []t2sDict
}

type t2sDict struct {
	words map[string]string // word → its replacement
	lens  map[rune][]int    // first rune → the byte lengths of its words, longest first
}

var (
	t2sTableOnce sync.Once
	t2sTab       *t2sTable // nil when gocc's dictionaries could not be read out
)

func convTable() *t2sTable {
	t2sTableOnce.Do(func() {
		if cc, err := converter(); err == nil {
			t2sTab = readT2S(cc)
		}
	})
	return t2sTab
}

// readT2S reads every word and its first value out of cc's tries; nil if
// they are not as expected.
func readT2S(cc *gocc.OpenCC) (tab *t2sTable) {
	defer func() {
		if recover() != nil {
			tab = nil // the dictionaries' layout is not as expected: convert with gocc
		}
	}()
	tab = &t2sTable{}
	for _, group := range cc.DictChains {
		g := t2sGroup{starts: new([1 << 16 / 64]uint64)}
		for _, d := range group.Dicts {
			if d == nil || d.Trie == nil {
				return nil
			}
			td := t2sDict{words: map[string]string{}, lens: map[rune][]int{}}
			// PrefixPredict from the root lists every key of the trie.
			for _, id := range d.Trie.PrefixPredict(nil, 0) {
				key, err := d.Trie.Key(id)
				if err != nil {
					return nil
				}
				v, err := d.Trie.Value(id)
				if err != nil || v < 0 || v >= len(d.Values) || len(d.Values[v]) == 0 || !utf8.Valid(key) {
					return nil
				}
				w := string(key)
				if _, dup := td.words[w]; dup {
					continue
				}
				td.words[w] = d.Values[v][0]
				r, _ := utf8.DecodeRuneInString(w)
				td.lens[r] = append(td.lens[r], len(w))
				if r < 1<<16 {
					g.starts[r/64] |= 1 << (r % 64)
				}
			}
			if len(td.words) == 0 {
				return nil
			}
			for _, ls := range td.lens {
				sort.Sort(sort.Reverse(sort.IntSlice(ls)))
			}
			g.dicts = append(g.dicts, td)
		}
		tab.groups = append(tab.groups, g)
	}
	return tab
}

// convert converts valid UTF-8 text; it returns s itself when no word
// changes.
func (tab *t2sTable) convert(s string) string {
	for i := range tab.groups {
		s = tab.groups[i].convert(s)
	}
	return s
}

func (g *t2sGroup) convert(s string) string {
	var b strings.Builder
	copied := 0 // s[:copied] is in b, or nothing is when b is empty
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < 1<<16 && g.starts[r/64]&(1<<(r%64)) == 0 {
			i += n
			continue
		}
		word, repl, ok := g.match(s[i:], r)
		if !ok {
			i += n
			continue
		}
		if repl != word {
			if b.Cap() == 0 {
				b.Grow(len(s) + len(s)/8)
			}
			b.WriteString(s[copied:i])
			b.WriteString(repl)
			copied = i + len(word)
		}
		i += len(word)
	}
	if b.Cap() == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

// match returns the word that the conversion takes at the start of s, whose
// first rune is r, and its replacement.
func (g *t2sGroup) match(s string, r rune) (word, repl string, ok bool) {
	for _, d := range g.dicts {
		for _, n := range d.lens[r] {
			if n > len(s) {
				continue
			}
			if repl, ok := d.words[s[:n]]; ok {
				return s[:n], repl, true
			}
		}
	}
	return "", "", false
}
