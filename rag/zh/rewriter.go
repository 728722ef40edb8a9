package zh

import "unicode/utf8"

// Rewriter replaces words in text as strings.Replacer does: scanning left
// to right, at each position the first pattern in argument order that
// starts there is replaced and the scan goes on after it; where none
// starts, it moves one character on. It gives the same text as
// strings.NewReplacer with the same arguments (a test holds it to that on
// the seeds and the eval questions), at a fraction of the cost on the
// short Chinese texts that matching rewrites many times a question: a
// character that starts no pattern costs one table look-up, and text in
// which nothing changes comes back as it is, without a copy.
type Rewriter struct {
	// pages index the runes below 1<<16 by their high byte: a page holds,
	// for each low byte, 1 + the index in lists of the patterns starting
	// with that rune, 0 for none. A page no pattern starts on is nil.
	pages [256]*[256]uint16
	lists [][]rewrite  // the patterns starting with one rune, in argument order
	above map[rune]int // the index in lists for a rune from 1<<16 on
}

type rewrite struct{ from, to string }

// NewRewriter returns a Rewriter of old, new pairs, as strings.NewReplacer
// takes them; the old strings are valid UTF-8. An empty old string, which
// strings.Replacer would insert its new string around every character for,
// is a programming error here: it panics, as does an odd number of
// arguments.
func NewRewriter(oldnew ...string) *Rewriter {
	if len(oldnew)%2 == 1 {
		panic("zh.NewRewriter: odd argument count")
	}
	w := &Rewriter{above: map[rune]int{}}
	for i := 0; i < len(oldnew); i += 2 {
		from, to := oldnew[i], oldnew[i+1]
		if from == "" {
			panic("zh.NewRewriter: empty pattern")
		}
		r, _ := utf8.DecodeRuneInString(from)
		k, ok := w.above[r]
		if r < 1<<16 {
			p := w.pages[r>>8]
			ok = p != nil && p[r&0xff] != 0
			if ok {
				k = int(p[r&0xff]) - 1
			}
		}
		if !ok {
			k = len(w.lists)
			w.lists = append(w.lists, nil)
			if r < 1<<16 {
				if w.pages[r>>8] == nil {
					w.pages[r>>8] = new([256]uint16)
				}
				w.pages[r>>8][r&0xff] = uint16(k + 1)
			} else {
				w.above[r] = k
			}
		}
		w.lists[k] = append(w.lists[k], rewrite{from, to})
	}
	return w
}

// Replace returns s with the patterns replaced; s itself when no pattern
// changes it (a pattern may map to itself, so that a longer word is kept
// whole).
func (w *Rewriter) Replace(s string) string {
	var out []byte // nil until a pattern changes something
	last := 0      // s[last:] is not yet in out
	for i := 0; i < len(s); {
		// The rune at i, decoded inline for the three-byte runes Chinese
		// text is made of. A pattern starts with a valid rune, so only a
		// valid encoding needs its rune right, and n never passes a byte
		// that could start one.
		c := s[i]
		r, n := rune(c), 1
		switch {
		case c < utf8.RuneSelf:
		case c&0xf0 == 0xe0 && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80:
			r, n = rune(c&0x0f)<<12|rune(s[i+1]&0x3f)<<6|rune(s[i+2]&0x3f), 3
		default:
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		k := -1 // the index in w.lists of the patterns starting with r
		if r < 1<<16 {
			if p := w.pages[r>>8]; p != nil {
				k = int(p[r&0xff]) - 1
			}
		} else if j, ok := w.above[r]; ok {
			k = j
		}
		if k < 0 {
			i += n
			continue
		}
		matched := false
		for _, p := range w.lists[k] {
			if len(s)-i < len(p.from) || s[i:i+len(p.from)] != p.from {
				continue
			}
			if p.to != p.from {
				if out == nil {
					out = make([]byte, 0, len(s)+len(s)/4)
				}
				out = append(out, s[last:i]...)
				out = append(out, p.to...)
				last = i + len(p.from)
			}
			i += len(p.from)
			matched = true
			break
		}
		if !matched {
			i += n
		}
	}
	if out == nil {
		return s
	}
	out = append(out, s[last:]...)
	return string(out)
}
