package rag

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"wenda/rag/zh"
)

// Most of what citizens mistype on a phone is a homophone: the pinyin
// input method offered the wrong character for the right sound (普会 for
// 普惠, 困南 for 困难, 九将 for 九江, 学为 for 学位). homophoneRepair puts
// back, at every character that leaves a bigram no document holds, the one
// character of the same sound (tones aside) that makes the documents' word,
// when exactly one does.

// functionChars are never what a citizen meant by a mistyped character of
// a term: particles, prepositions and conjunctions the metric drops.
const functionChars = "的了是在为和与及或也都就而且被把给对向从以之其着过吗呢吧啊呀"

// particleChars are function characters no homophone repair writes: they
// join any word ("比的", "的上") and so make none of their own.
const particleChars = "的了是吗呢吧啊呀着过之其也都就而且"

// readings maps a toneless reading ("hui") to the characters read so.
var readings struct {
	once sync.Once
	m    map[string][]rune
}

// soundArgs reads characters without tones, every reading of each.
var soundArgs = pinyin.Args{Style: pinyin.Normal, Heteronym: true, Fallback: func(rune, pinyin.Args) []string { return nil }}

// sounds are the toneless readings of r.
func sounds(r rune) []string { return pinyin.SinglePinyin(r, soundArgs) }

// homophoneCache holds homophones by character: each is read once.
var homophoneCache sync.Map

// homophones are the characters that share a reading with r, r aside.
func homophones(r rune) []rune {
	if v, ok := homophoneCache.Load(r); ok {
		return v.([]rune)
	}
	out := readHomophones(r)
	homophoneCache.Store(r, out)
	return out
}

// readHomophones is homophones, read from the readings.
func readHomophones(r rune) []rune {
	readings.once.Do(func() {
		readings.m = make(map[string][]rune, 1500)
		for c := rune(0x4E00); c <= 0x9FA5; c++ {
			for _, s := range sounds(c) {
				readings.m[s] = append(readings.m[s], c)
			}
		}
	})
	var out []rune
	for _, s := range sounds(r) {
		for _, c := range readings.m[s] {
			if c != r && !strings.ContainsRune(string(out), c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// homophoneRepair returns q's text with its mistyped characters replaced
// by homophones, ok false when none is. A repair is judged by the question
// it makes: the fewer of its metric's words no document holds (junctions of
// two known words aside, as headWeights weighs them), the better. Each round
// replaces the one character whose best homophone leaves fewest such words
// and makes a bigram of the documents' with a neighbour, when the documents
// use that bigram clearly more than any other homophone's; rounds go on
// while the question improves.
func (e *Engine) homophoneRepair(q query) (string, bool) {
	g, _ := e.gazetteer()
	known := func(t string) bool {
		if e.ix.knownTerm(t) {
			return true
		}
		// "中职" is 中等职业教育 in the lexicon's terms: known when its
		// every bigram is.
		c := zh.Canonical(t)
		if c == t {
			return false
		}
		for _, b := range metricTerms(c) {
			if !e.ix.knownTerm(b) {
				return false
			}
		}
		return true
	}
	// use is how many passages use a bigram, in the lexicon's terms the
	// least used of its words' bigrams ("中职": 中等职业教育).
	use := func(t string) int {
		if n := e.ix.termDF(t); n > 0 {
			return n
		}
		least := 0
		if c := zh.Canonical(t); c != t {
			for k, b := range metricTerms(c) {
				if n := e.ix.termDF(b); k == 0 || n < least {
					least = n
				}
			}
		}
		return least
	}
	unknown := func(text string) int {
		pq := parseQuery(text, g)
		terms := metricTerms(pq.metric)
		n := 0
		for i, w := range e.headWeights(terms) {
			if t := terms[i]; t[0] >= 0x80 && w > 0 && !e.ix.knownTerm(t) {
				n++
			}
		}
		return n + halfWords(pq.metric, text)
	}
	cur, base := q.norm, unknown(q.norm)
	changed := false
	for round := 0; round < 3 && base > 0; round++ {
		rs := []rune(cur)
		own := ownWords(rs)
		han := func(i int) bool { return i >= 0 && i < len(rs) && zh.IsHan(rs[i]) }
		bestText, bestScore := "", base
		for i := range rs {
			if !han(i) || own[i] || strings.ContainsRune(askChars, rs[i]) || rs[i] == '中' {
				// 中 stands where a follow-up puts it ("教师中乡下的"), and in
				// words of the documents' own (中职, 中小学).
				continue
			}
			left, right := han(i-1) && known(string(rs[i-1:i+1])), han(i+1) && known(string(rs[i:i+2]))
			if strings.ContainsRune(functionChars, rs[i]) && !han(i+1) {
				left = false // "学为" ending the question is a junction of the documents' text ("以学为"), no word of theirs
			}
			if (left || !han(i-1)) && (right || !han(i+1)) {
				continue // a character in words of the documents' on both sides is as meant
			}
			// Of the homophones that leave fewest unknown words, the one
			// whose words the documents use most, when it is used at least
			// twice as often as the next ("学位" beside "学机").
			text, score, df, nextDF := "", base, 0, 0
			for _, c := range homophones(rs[i]) {
				used := 0
				if han(i - 1) {
					used += use(string([]rune{rs[i-1], c}))
				}
				if han(i + 1) {
					used += use(string([]rune{c, rs[i+1]}))
				}
				l, r := han(i-1) && known(string([]rune{rs[i-1], c})), han(i+1) && known(string([]rune{c, rs[i+1]}))
				if used == 0 && !l && !r || left && !l || right && !r {
					continue // it makes no word of the documents', or breaks one ("比思政" is not 比赛政)
				}
				if strings.ContainsRune(particleChars, c) || strings.ContainsRune(functionChars, c) && !l && !r {
					continue // a particle makes no word ("学为" is not 学 and 为, "低些" no 的些); "再园" is 在园, a word of the documents'
				}
				out := append([]rune{}, rs...)
				out[i] = c
				// Words made on both sides count as more use than any
				// count of one side ("特级|级教" beside "期教").
				if l && r {
					used += 1 << 20
				}
				switch n := unknown(string(out)); {
				case n < score || n == score && n < base && used > df:
					if n == score {
						nextDF = df
					} else {
						nextDF = 0
					}
					text, score, df = string(out), n, used
				case n == score && n < base:
					nextDF = max(nextDF, used)
				}
			}
			if text != "" && df >= 2*nextDF && df > 0 && score < bestScore {
				bestText, bestScore = text, score
			}
		}
		if bestText == "" {
			// Both characters of a word mistyped ("知会作业" for 智慧作业):
			// the one pair of homophones that makes a word the documents
			// use, when it leaves fewer unknown words.
			bestText, bestScore = pairRepair(rs, own, base, e.ix.knownTerm, use, unknown) // the index's own words: a lexicon look-up for each of thousands of pairs costs too much
		}
		if bestText == "" {
			break
		}
		cur, base, changed = bestText, bestScore, true
	}
	return cur, changed
}

// pairRepair replaces two adjacent characters that make no word of the
// documents' by the homophones of both that make one joined to a neighbour
// as a longer word of the documents' is, when exactly one such
// pair is used clearly more (twice) than any other and the question is left
// with fewer unknown words than base. "" when none is.
func pairRepair(rs []rune, own []bool, base int, known func(string) bool, use func(string) int, unknown func(string) int) (string, int) {
	text, score := "", base
	for i := 0; i+1 < len(rs); i++ {
		a, b := rs[i], rs[i+1]
		if !zh.IsHan(a) || !zh.IsHan(b) || own[i] || own[i+1] || strings.ContainsRune(askChars, a) || strings.ContainsRune(askChars, b) || a == '中' || b == '中' || known(string(rs[i:i+2])) {
			continue
		}
		if i > 0 && known(string(rs[i-1:i+1])) && i+2 < len(rs) && known(string(rs[i+1:i+3])) {
			continue // characters in words of the documents' with both neighbours are as meant
		}
		best, df, nextDF := "", 0, 0
		ys := homophones(b)
		for _, x := range homophones(a) {
			if strings.ContainsRune(functionChars, x) {
				continue
			}
			for _, y := range ys {
				w := string([]rune{x, y})
				if strings.ContainsRune(functionChars, y) || !known(w) {
					continue
				}
				// The word made joins a longer one of the documents'
				// ("智慧|慧作|作业"), not a word alone.
				if !(i > 0 && known(string([]rune{rs[i-1], x})) || i+2 < len(rs) && known(string([]rune{y, rs[i+2]}))) {
					continue
				}
				switch n := use(w); {
				case n > df:
					best, nextDF, df = w, df, n
				case n > nextDF:
					nextDF = n
				}
			}
		}
		if best == "" || df < 2*nextDF {
			continue
		}
		out := append([]rune{}, rs...)
		copy(out[i:], []rune(best))
		if n := unknown(string(out)); n < score {
			text, score = string(out), n
		}
	}
	return text, score
}

// placeRepair returns the question with a place the corpus covers put
// back where one character of its name was typed as a homophone ("九将",
// "八中"), ok false when no two characters sound like exactly one such
// name.
func placeRepair(norm string, g *Gazetteer) (string, bool) {
	rs := []rune(norm)
	same := func(a, b rune) bool {
		if a == b {
			return true
		}
		for _, x := range sounds(a) {
			for _, y := range sounds(b) {
				if x == y {
					return true
				}
			}
		}
		return false
	}
	fixed, n := "", 0
	for _, name := range g.names {
		// The covered names first, and only theirs made runes: the list
		// holds every larger place of China, looked at for every question
		// that names no covered place.
		if g.scope[name].IsZero() || utf8.RuneCountInString(name) != 2 {
			continue
		}
		nr := []rune(name)
		for i := 0; i+1 < len(rs); i++ {
			if (rs[i] == nr[0]) == (rs[i+1] == nr[1]) || !same(rs[i], nr[0]) || !same(rs[i+1], nr[1]) {
				continue // one character of the name as written, the other its homophone
			}
			out := append([]rune{}, rs...)
			out[i], out[i+1] = nr[0], nr[1]
			if string(out) != fixed {
				fixed, n = string(out), n+1
			}
		}
	}
	return fixed, n == 1
}

// halfWords counts the characters left alone in metric where a function
// character after them in text was cut from it ("多少学为": 学): each is
// half a word, whose other half (为 for 位) may be mistyped.
func halfWords(metric, text string) int {
	n := 0
	for _, f := range strings.Fields(metric) {
		if r := []rune(f); len(r) == 1 && zh.IsHan(r[0]) {
			if i := strings.Index(text, f); i >= 0 {
				if next, _ := utf8.DecodeRuneInString(text[i+len(f):]); strings.ContainsRune(functionChars, next) && !strings.ContainsRune(askChars, next) {
					n++
				}
			}
		}
	}
	return n
}
