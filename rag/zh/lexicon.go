package zh

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// The domain lexicon (lexicon.txt) maps the words citizens use to the
// words the documents use: 老师 → 教师, 中职 → 中等职业教育, 上学名额 → 学位.
// Matching applies it to both sides, so a question and a passage meet on
// the documents' terms whichever of the variants either uses.

//go:embed lexicon.txt
var lexiconText string

// Group is one line of the lexicon: the documents' term and its variants.
type Group struct {
	Term     string
	Variants []string
}

// compounds are the lexicon's "!" lines: words that hold a shorter word of
// another meaning (中小学 holds 小学; a count of 中小学 is no count of 小学).
var compounds [][]string

// compoundParts are, by compound, its mask and the words it holds after its
// head (中小学: 小学), made once for Masks.
var compoundParts = map[string]struct {
	mask  string
	inner []string
}{}

var (
	lexOnce     sync.Once
	lexGroups   []Group
	lexRewriter *Rewriter
	lexWords    *Rewriter       // as lexRewriter, a replaced variant's term set apart by spaces
	lexBigrams  map[string]bool // every two adjacent characters of a term or variant
	lexErr      error
	// lexArgs and lexWordsArgs are the rewriters' arguments, kept for the
	// test that holds them to strings.Replacer.
	lexArgs, lexWordsArgs []string
)

// ParseLexicon reads the lexicon format: "term = variant | variant", one
// group a line, # comments. A variant may belong to one group only.
func ParseLexicon(text string) ([]Group, error) {
	var out []Group
	seen := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "!") {
			continue
		}
		term, rest, ok := strings.Cut(line, "=")
		term = strings.TrimSpace(term)
		if !ok || term == "" {
			return nil, fmt.Errorf("lexicon line %d: want \"term = variant | …\"", i+1)
		}
		g := Group{Term: term}
		for _, v := range strings.Split(rest, "|") {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if prev, dup := seen[v]; dup {
				return nil, fmt.Errorf("lexicon line %d: %q is already a variant of %q", i+1, v, prev)
			}
			seen[v] = term
			g.Variants = append(g.Variants, v)
		}
		if len(g.Variants) == 0 {
			return nil, fmt.Errorf("lexicon line %d: %q has no variants", i+1, term)
		}
		out = append(out, g)
	}
	return out, nil
}

func loadLexicon() {
	lexGroups, lexErr = ParseLexicon(lexiconText)
	for _, line := range strings.Split(lexiconText, "\n") {
		if c, ok := strings.CutPrefix(strings.TrimSpace(line), "!"); ok {
			line := strings.Fields(c)
			compounds = append(compounds, line)
			for _, c := range line {
				rs := []rune(c)
				p := compoundParts[c]
				p.mask = strings.Repeat("□", len(rs))
				for i := 1; i+2 <= len(rs); i++ {
					p.inner = append(p.inner, string(rs[i:i+2]))
				}
				compoundParts[c] = p
			}
		}
	}
	lexBigrams = map[string]bool{}
	for _, g := range lexGroups {
		for _, w := range append([]string{g.Term}, g.Variants...) {
			rs := []rune(w)
			for i := 0; i+1 < len(rs); i++ {
				lexBigrams[string(rs[i:i+2])] = true
			}
		}
	}
	type pair struct{ from, to string }
	var pairs []pair
	seen := map[string]bool{}
	for _, g := range lexGroups {
		// The term maps to itself, so that a term holding a shorter
		// variant ("毛入园率" holds "入园率") is left alone.
		pairs = append(pairs, pair{g.Term, g.Term})
		seen[g.Term] = true
		for _, v := range g.Variants {
			pairs = append(pairs, pair{v, g.Term})
			seen[v] = true
		}
	}
	// A variant that holds another group's term ("普惠性幼儿园") is also
	// written with that group's variants ("普惠性幼稚园"): the rewriter
	// replaces once, so the longer variant must be listed as citizens
	// spell it.
	for _, g := range lexGroups {
		for _, v := range g.Variants {
			for _, h := range lexGroups {
				if h.Term == g.Term || utf8.RuneCountInString(h.Term) < 2 || !strings.Contains(v, h.Term) {
					continue
				}
				for _, u := range h.Variants {
					if w := strings.Replace(v, h.Term, u, 1); !seen[w] {
						seen[w] = true
						pairs = append(pairs, pair{w, g.Term})
					}
				}
			}
		}
	}
	// The rewriter tries its patterns in argument order at each position:
	// longest first makes the longest variant win.
	sort.SliceStable(pairs, func(i, j int) bool { return len(pairs[i].from) > len(pairs[j].from) })
	args := make([]string, 0, 2*len(pairs))
	words := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		args = append(args, p.from, p.to)
		if p.from == p.to {
			words = append(words, p.from, p.to)
		} else {
			words = append(words, p.from, " "+p.to+" ")
		}
	}
	lexArgs, lexWordsArgs = args, words
	lexRewriter = NewRewriter(args...)
	lexWords = NewRewriter(words...)
}

// Lexicon returns the embedded lexicon's groups. A malformed lexicon is a
// build defect, reported by the tests; it yields no groups.
func Lexicon() ([]Group, error) {
	lexOnce.Do(loadLexicon)
	return lexGroups, lexErr
}

// Canonical replaces every variant of the lexicon in normalised text by its
// group's term. It is for matching only: text shown to a citizen is never
// canonicalised.
func Canonical(s string) string {
	lexOnce.Do(loadLexicon)
	if lexErr != nil || s == "" {
		return s
	}
	return lexRewriter.Replace(s)
}

// CanonicalWords is Canonical for a question's words: where a citizen's
// word was replaced by the documents' term, the term stands apart, so that
// the two characters across its edge ("资助困难学生" gives 资助贫困学生,
// and 助贫 is no word of either) are not matched.
func CanonicalWords(s string) string {
	lexOnce.Do(loadLexicon)
	if lexErr != nil || s == "" {
		return s
	}
	return lexWords.Replace(s)
}

// InLexicon reports whether two characters stand side by side in a term or
// a variant of the lexicon: a word citizens use, never a typo.
func InLexicon(bigram string) bool {
	lexOnce.Do(loadLexicon)
	return lexBigrams[bigram]
}

// Masks returns a rewriter that hides, in canonical text, every compound
// that holds a word of the metric without being named by it: for the
// metric "小学", "中小学" becomes "□□□", so that "21所中小学校" does not
// count as a count of 小学. nil when none applies.
//
// Every question's metric asks for its masks: the rewriters are kept by
// their arguments, of which the lexicon's few compounds allow only a few
// sets, so that the same one is not built again for every question.
func Masks(metric string) *Rewriter {
	lexOnce.Do(loadLexicon)
	var args []string
	for _, line := range compounds {
		named := false
		for _, c := range line {
			named = named || strings.Contains(metric, c)
		}
		if named {
			continue // the metric names the compound: 中小学 asks for 中小学
		}
		for _, c := range line {
			args = append(args, maskArgs(metric, c)...)
		}
	}
	if len(args) == 0 {
		return nil
	}
	key := strings.Join(args, "\x00")
	if w, ok := masks.Load(key); ok {
		return w.(*Rewriter)
	}
	w, _ := masks.LoadOrStore(key, NewRewriter(args...))
	return w.(*Rewriter)
}

// masks are the rewriters Masks made, by their arguments.
var masks sync.Map

// maskArgs are the rewriter's arguments hiding c when it holds a word of
// the metric other than its own head.
func maskArgs(metric, c string) []string {
	p := compoundParts[c]
	for _, w := range p.inner {
		if strings.Contains(metric, w) {
			return []string{c, p.mask}
		}
	}
	return nil
}
