// Package zh holds the Chinese text handling that matching needs: folding
// traditional characters and full-width forms, removing the spaces that PDF
// extraction leaves inside figures, splitting sentences and finding figures.
// It owns no document structure (package rag does) and never changes the text
// kept for display: callers normalise a copy.
package zh

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/liuzl/gocc"
)

var (
	t2sOnce sync.Once
	t2s     *gocc.OpenCC
	t2sErr  error
)

// converter returns the shared traditional→simplified converter. gocc loads
// its dictionaries from embedded files, so this never touches the disk or the
// network; Convert is read-only after New and safe for concurrent use.
func converter() (*gocc.OpenCC, error) {
	t2sOnce.Do(func() { t2s, t2sErr = gocc.New("t2s") })
	return t2s, t2sErr
}

// Simplified converts traditional characters to simplified ones. Text that is
// already simplified passes through unchanged (干部, 著名 and 余额 stay as they
// are), and is returned as it is, without a copy. The conversion is gocc's
// (OpenCC's t2s dictionaries) done by t2sTable in one scan; text that is not
// valid UTF-8 goes to gocc itself, whose handling of bad bytes is its own.
func Simplified(s string) string {
	if isASCII(s) {
		return s
	}
	if tab := convTable(); tab != nil && utf8.ValidString(s) {
		return tab.convert(s)
	}
	cc, err := converter()
	if err != nil {
		// The dictionaries are embedded in the binary: failing to load them
		// is a build defect, and matching still works for simplified text.
		return s
	}
	out, err := cc.Convert(s)
	if err != nil {
		return s
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Fold converts to simplified characters and folds full-width digits, Latin
// letters and the figure signs ％．／＋－ to their ASCII forms, and the
// ideographic space to a space. Chinese punctuation (，：；（）) is kept because
// it is part of how the text reads; Fold keeps every space, so table rows stay
// separable into cells. Text that nothing changes is returned as it is.
func Fold(s string) string {
	s = Simplified(s)
	for i, r := range s {
		// U+FFFD also stands for a bad byte, which the copy replaces.
		if foldRune(r) != r || r == utf8.RuneError {
			var b strings.Builder
			b.Grow(len(s))
			b.WriteString(s[:i])
			for _, r := range s[i:] {
				b.WriteRune(foldRune(r))
			}
			return b.String()
		}
	}
	return s
}

func foldRune(r rune) rune {
	switch {
	case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
		return r - 0xFEE0
	case r == '％', r == '．', r == '／', r == '＋', r == '－', r == '＜', r == '＞', r == '～':
		return r - 0xFEE0
	case r == '\u3000', r == '\u00a0', r == '\t':
		return ' '
	}
	return r
}

// Normalize is the matching form of a line of text, applied alike to
// documents and questions: Fold, then spaces removed where Chinese text never
// has them (between two Han characters, between a Han character and a digit,
// inside a figure such as "97.01 %"), runs of spaces collapsed and the ends
// trimmed. Spaces between two numbers are kept: they separate table cells.
func Normalize(s string) string { return Squeeze(foldStable(s)) }

// foldStable is Fold run until the text stands: a character whose simplified
// form is converted again (鏇 → 镟 → 旋), or a phrase the dictionaries keep
// whole only in traditional script, would change on a second Normalize.
func foldStable(s string) string {
	f := Fold(s)
	for i := 0; i < 2 && f != s; i++ {
		s, f = f, Fold(f)
	}
	return f
}

// NormalizeQuestion is Normalize for what a citizen typed: a space between
// two Han characters, which a document's extraction leaves inside words,
// is where a question typed on a phone ends one clause and starts the next
// ("车停校门口 麻烦问下…有几个车位"), and becomes a comma.
func NormalizeQuestion(s string) string {
	s = foldStable(s)
	if !strings.Contains(s, " ") {
		return Squeeze(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != ' ' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		l, _ := utf8.DecodeLastRuneInString(s[:i])
		r, _ := utf8.DecodeRuneInString(s[j:])
		if i > 0 && j < len(s) && IsHan(l) && IsHan(r) {
			b.WriteString("，")
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return Squeeze(b.String())
}

// Squeeze is Normalize for text that is already folded: it only removes
// the spaces Chinese text never has and trims. Callers that fold a whole
// document once use it to avoid converting every line again. It copies
// only what it changes: text with nothing to remove comes back as s, or a
// part of it when trimmed, so a caller that keeps the result for long
// keeps s's bytes.
func Squeeze(s string) string {
	if !utf8.ValidString(s) {
		return squeezeRunes(s)
	}
	var b strings.Builder
	copied := 0 // s[:copied] is in b, or nothing has changed yet
	for i := 0; i < len(s); {
		c := s[i]
		if c != ' ' && c != '\n' && c != '\r' {
			i++ // bytes of a multi-byte rune are never these
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r') {
			j++
		}
		keep := false
		if i > 0 && j < len(s) {
			l, _ := utf8.DecodeLastRuneInString(s[:i])
			r, _ := utf8.DecodeRuneInString(s[j:])
			keep = !joinable(l, r)
		}
		if !keep || j-i != 1 || c != ' ' {
			if b.Cap() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[copied:i])
			if keep {
				b.WriteByte(' ')
			}
			copied = j
		}
		i = j
	}
	if b.Cap() == 0 {
		return strings.TrimSpace(s)
	}
	b.WriteString(s[copied:])
	return strings.TrimSpace(b.String())
}

// squeezeRunes is Squeeze for text that is not valid UTF-8: as runes, so
// that bad bytes come out as U+FFFD.
func squeezeRunes(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r != ' ' && r != '\n' && r != '\r' {
			b.WriteRune(r)
			continue
		}
		j := i
		for j < len(rs) && (rs[j] == ' ' || rs[j] == '\n' || rs[j] == '\r') {
			j++
		}
		if i > 0 && j < len(rs) && !joinable(rs[i-1], rs[j]) {
			b.WriteByte(' ')
		}
		i = j - 1
	}
	return strings.TrimSpace(b.String())
}

// joinable reports whether the space between l and r is an extraction
// artefact that Chinese text never has.
func joinable(l, r rune) bool {
	lh, rh := IsHan(l) || isCJKPunct(l), IsHan(r) || isCJKPunct(r)
	ld, rd := isDigit(l), isDigit(r)
	switch {
	case lh && rh, lh && rd, ld && rh:
		return true
	case (ld || l == '.') && (r == '%' || r == '‰'):
		return true
	case l == '%' && rh:
		return true
	}
	return false
}

// IsHan reports whether r is a CJK ideograph. The unified ideographs'
// main block, where nearly all of them are, is answered without the
// table's search, and so is everything below the first Han rune.
func IsHan(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF:
		return true
	case r < 0x2E80:
		return false
	}
	return unicode.Is(unicode.Han, r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isCJKPunct(r rune) bool {
	return (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFF0F) || (r >= 0xFF1A && r <= 0xFF20) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·'
}

// IsTerminator reports whether r ends a sentence (。！？； and their ASCII
// forms). '.' does not: it is the decimal point of most figures.
func IsTerminator(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';':
		return true
	}
	return false
}

// IsCloser reports whether r is punctuation that belongs to the sentence
// before it: closing quotes and brackets.
func IsCloser(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '》', '】':
		return true
	}
	return false
}

// EndsSentence reports whether s ends with a sentence terminator, allowing
// closing quotes and brackets after it.
func EndsSentence(s string) bool {
	s = strings.TrimRight(s, " ")
	for s != "" {
		r, n := utf8.DecodeLastRuneInString(s)
		if IsCloser(r) {
			s = s[:len(s)-n]
			continue
		}
		return IsTerminator(r) || r == '…'
	}
	return false
}

// Sentences splits text into sentences at 。！？； (and their ASCII forms), at
// "……" and at line breaks. Closing quotes and brackets stay with the sentence
// they close; empty sentences are dropped; each sentence is trimmed. The
// sentences of valid UTF-8 are parts of s, not copies.
func Sentences(s string) []string {
	if !utf8.ValidString(s) {
		return sentencesRunes(s)
	}
	var out []string
	start := 0
	emit := func(end int) {
		if t := strings.TrimSpace(s[start:end]); t != "" {
			out = append(out, t)
		}
		start = end
	}
	for i := 0; i < len(s); {
		if s[i] == '\n' {
			emit(i)
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !IsTerminator(r) && (r != '…' || !strings.HasPrefix(s[i+n:], "…")) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, m := utf8.DecodeRuneInString(s[j:])
			if !IsTerminator(r) && r != '…' && !IsCloser(r) {
				break
			}
			j += m
		}
		emit(j)
		i = j
	}
	emit(len(s))
	return out
}

// sentencesRunes is Sentences for text that is not valid UTF-8, cut as
// runes (bad bytes come out as U+FFFD).
func sentencesRunes(s string) []string {
	var out []string
	rs := []rune(s)
	start := 0
	emit := func(end int) {
		if t := strings.TrimSpace(string(rs[start:end])); t != "" {
			out = append(out, t)
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\n':
			emit(i)
			start = i + 1
		case IsTerminator(r) || (r == '…' && i+1 < len(rs) && rs[i+1] == '…'):
			j := i + 1
			for j < len(rs) && (IsTerminator(rs[j]) || rs[j] == '…' || IsCloser(rs[j])) {
				j++
			}
			emit(j)
			i = j - 1
		}
	}
	emit(len(rs))
	return out
}

// Clauses splits a sentence at commas, enumeration commas excluded: a clause
// is the smallest piece that still names a metric together with its figure
// ("义务教育入学率、巩固率分别达100%和97.01%").
func Clauses(sentence string) []string {
	var out []string
	start := 0
	for i, r := range sentence {
		switch r {
		case '，', ',', '：', ':':
			if r == ':' && i > 0 && isDigit(rune(sentence[i-1])) && i+1 < len(sentence) && isDigit(rune(sentence[i+1])) {
				continue // a time of day: "8:30"
			}
			if c := strings.TrimSpace(sentence[start:i]); c != "" {
				out = append(out, c)
			}
			start = i + utf8.RuneLen(r)
		}
	}
	if c := strings.TrimSpace(sentence[start:]); c != "" {
		out = append(out, c)
	}
	return out
}

var (
	runeMu  sync.RWMutex
	runeT2S = map[rune]rune{}
	// t2sPages hold simplifiedRune's answers for the runes below 1<<16,
	// by high byte, 0 where not yet known: Original folds a chunk's every
	// character for every line of an answer, and a read here takes no lock
	// that the server's goroutines would contend for.
	t2sPages [256]atomic.Pointer[[256]rune]
)

// simplifiedRune is the simplified form of one character (the character
// itself when the dictionaries give none of the same length).
func simplifiedRune(r rune) rune {
	if r < utf8.RuneSelf {
		return r
	}
	if r >= 1<<16 {
		return simplifiedRuneSlow(r)
	}
	page := t2sPages[r>>8].Load()
	if page == nil {
		t2sPages[r>>8].CompareAndSwap(nil, new([256]rune))
		page = t2sPages[r>>8].Load()
	}
	if s := atomic.LoadInt32(&page[r&0xff]); s != 0 {
		return s
	}
	s := simplifiedRuneSlow(r)
	atomic.StoreInt32(&page[r&0xff], s)
	return s
}

func simplifiedRuneSlow(r rune) rune {
	if !IsHan(r) {
		return r
	}
	runeMu.RLock()
	s, ok := runeT2S[r]
	runeMu.RUnlock()
	if ok {
		return s
	}
	s = r
	if out := []rune(Simplified(string(r))); len(out) == 1 {
		s = out[0]
	}
	runeMu.Lock()
	runeT2S[r] = s
	runeMu.Unlock()
	return s
}

// Original finds in original text the passage whose normal form is norm
// and returns it as the document wrote it — its own characters (traditional
// stay traditional) and punctuation — less the spaces and line breaks that
// extraction left inside sentences. ok is false when no passage matches, as
// when the dictionaries convert a phrase of several characters at once.
func Original(original, norm string) (string, bool) {
	want := make([]rune, 0, len(norm))
	for _, r := range norm {
		if r != ' ' {
			want = append(want, r)
		}
	}
	if len(want) == 0 {
		return "", false
	}
	// The passage is matched on the original's characters folded, less
	// spaces and line breaks, from each one that folds to want's first: no
	// folded copy of the whole original is made.
	skipped := func(r rune) bool {
		switch r {
		case ' ', '\n', '\r', '\t', '\u3000', '\u00a0':
			return true
		}
		return false
	}
	for i, r := range original {
		if skipped(r) || foldRune(simplifiedRune(r)) != want[0] {
			continue
		}
		_, n := utf8.DecodeRuneInString(original[i:])
		k, last := 1, i // want[:k] matched, the last of it at last
		for j := i + n; k < len(want) && j < len(original); j += n {
			var r rune
			r, n = utf8.DecodeRuneInString(original[j:])
			if skipped(r) {
				continue
			}
			if foldRune(simplifiedRune(r)) != want[k] {
				break
			}
			k, last = k+1, j
		}
		if k == len(want) {
			_, size := utf8.DecodeRuneInString(original[last:])
			return Squeeze(original[i : last+size]), true
		}
	}
	return "", false
}
