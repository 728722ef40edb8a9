package rag

import (
	"slices"
	"strings"
	"unicode/utf8"

	"wenda/rag/zh"
)

// A citizen on a phone mistypes one character of a term (巩因率 for 巩固率,
// 普会性 for 普惠性, 毛入圆率 for 毛入园率). Such a character leaves two
// bigrams that no document holds, one on each side of it. repairTypo finds
// the character the retrieved passages put between the same neighbours
// ("巩?率" → 固) and rewrites the question with it; the answer then says
// which question it answered. A real word is never changed: a bigram any
// document holds is taken as meant.

// askChars are the characters of the words that ask ("有几所", "是多少",
// "吗", "一共") and of the prepositions that join them ("给学生做…"): the
// question's own words, never a typo of the documents'; and the numerals a
// citizen writes a figure or a year in ("达到九十七点五没有", "二零年").
const askChars = "几多少吗呢吧啊呀了的是有什么哪谁怎样共总占各个比给对在把被让向跟和与从没零〇一二两三四五六七八九十百千万亿点"

// headChars head a measure ("师生比", "入学率", "人数"): a word that ends in
// one says what kind of figure it asks, and is never a mistyped ending of a
// word the passages continue otherwise.
const headChars = "率比数额量"

// repairTypo returns the question with one mistyped character replaced, or
// ok false when no single, unambiguous repair exists.
func (e *Engine) repairTypo(q query, results []Result) (string, bool) {
	// Terms are counted in the lexicon's terms (老师 is known as 教师), and a
	// word of the lexicon (私立) is a citizen's word, not a typo.
	known := func(t string) bool {
		return e.ix.knownTerm(t) || e.ix.knownTerm(zh.Canonical(t)) || zh.InLexicon(t)
	}
	rs := []rune(q.norm)
	own := ownWords(rs)
	for i := 1; i+1 < len(rs); i++ {
		if !zh.IsHan(rs[i-1]) || !zh.IsHan(rs[i]) || !zh.IsHan(rs[i+1]) || strings.ContainsRune(askChars, rs[i]) || own[i] {
			continue
		}
		left, right := string(rs[i-1:i+1]), string(rs[i:i+2])
		if known(left) || known(right) {
			continue
		}
		fix, ok := between(rs[i-1], rs[i+1], results)
		if !ok || fix == rs[i] || strings.ContainsRune(askChars, fix) { // never into a particle ("回"→"的")
			continue
		}
		out := append([]rune{}, rs...)
		out[i] = fix
		return string(out), true
	}
	// A mistyped last character of a word ("交流轮港", "毛入学律是多少")
	// has one neighbour that helps: the character the passages put after
	// the word's start, found with as long a start as makes it one
	// character.
	for i := 2; i < len(rs); i++ {
		if !zh.IsHan(rs[i]) || own[i] || strings.ContainsRune(askChars, rs[i]) || strings.ContainsRune(headChars, rs[i]) || (i+1 < len(rs) && known(string(rs[i:i+2]))) || known(string(rs[i-1:i+1])) {
			continue
		}
		for k := 2; k <= 4 && i-k >= 0 && zh.IsHan(rs[i-k]); k++ {
			if !known(string(rs[i-k : i-k+2])) {
				break
			}
			fix, ok := after(string(rs[i-k:i]), results)
			if !ok {
				continue
			}
			if fix == rs[i] {
				break
			}
			out := append([]rune{}, rs...)
			out[i] = fix
			return string(out), true
		}
	}
	return "", false
}

// askPhrases are the words a question asks with, never a term mistyped.
var askPhrases = []string{"意思", "含义", "怎么", "怎样", "如何", "为什么", "为何", "情况", "具体", "多少", "哪些", "哪个"}

// ownWords marks the characters of the words that ask how to count or
// when ("加一块", "现在", "目标"): the question's own, never a mistyped
// word of the documents'.
func ownWords(rs []rune) []bool {
	own := make([]bool, len(rs))
	for _, w := range slices.Concat(sumWords, latestWords, targetWords, askPhrases) {
		ws := []rune(w)
		for i := 0; i+len(ws) <= len(rs); i++ {
			if string(rs[i:i+len(ws)]) == w {
				for k := range ws {
					own[i+k] = true
				}
			}
		}
	}
	return own
}

// after is the one character the passages put after prefix ("毛入学?" →
// 率), ok false when none does or several do.
func after(prefix string, results []Result) (rune, bool) { return nextChar(prefix, 0, results) }

// between is the one character the passages put between a and b ("巩?率"),
// ok false when none does or several do.
func between(a, b rune, results []Result) (rune, bool) { return nextChar(string(a), b, results) }

// nextChar is the one Han character the passages put after prefix, and
// before then when then is not 0; ok false when none does or several do.
func nextChar(prefix string, then rune, results []Result) (rune, bool) {
	found := rune(0)
	for _, r := range results {
		text := r.Chunk.Norm
		for i := 0; i < len(text); {
			j := strings.Index(text[i:], prefix)
			if j < 0 {
				break
			}
			at := i + j + len(prefix)
			mid, n := utf8.DecodeRuneInString(text[at:])
			if n > 0 && zh.IsHan(mid) {
				if next, _ := utf8.DecodeRuneInString(text[at+n:]); then == 0 || next == then {
					if found != 0 && found != mid {
						return 0, false
					}
					found = mid
				}
			}
			i = at
		}
	}
	return found, found != 0
}
