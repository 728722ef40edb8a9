package rag

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// pattern is a regular expression that first looks for a character every
// match must hold: most of the package's expressions are alternations of
// words ("哪一?年|什么时候|…") run on every question and on every unit
// scored, and most texts hold none of their characters. Go's regexp tries
// such an expression at every position of the text; a look for a handful
// of characters costs a fraction of it. Where the text holds none, every
// method answers as the expression would with no match.
//
// Only the methods the package calls are guarded; the others (Split) are
// regexp's own.
type pattern struct {
	*regexp.Regexp
	// needs are the characters of which every match holds at least one;
	// guarded is false when no such set is known (an expression that can
	// match without one of a few characters: "\p{Han}+", "(^|[^年])").
	needs   []string
	guarded bool
}

// patterns are all the package's patterns, for the test that checks the
// guard against the expressions themselves.
var patterns []*pattern

// mustPattern is regexp.MustCompile with the guard worked out from the
// expression's syntax.
func mustPattern(expr string) *pattern {
	p := &pattern{Regexp: regexp.MustCompile(expr)}
	if re, err := syntax.Parse(expr, syntax.Perl); err == nil {
		var needs []rune
		if needs, p.guarded = neededRunes(re); p.guarded {
			for _, r := range needs {
				p.needs = append(p.needs, string(r))
			}
		}
	}
	patterns = append(patterns, p)
	return p
}

// maxNeeds bounds the characters a guard looks for: past it, the look
// costs as much as the expression.
const maxNeeds = 24

// neededRunes returns the characters of which every match of re holds at
// least one, ok false when it knows no such set: re can match the empty
// string, or a character from a large class, or case-folded text.
func neededRunes(re *syntax.Regexp) (needs []rune, ok bool) {
	switch re.Op {
	case syntax.OpNoMatch:
		return nil, true // nothing matches: no text is ever looked at
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 || len(re.Rune) == 0 {
			return nil, false
		}
		return []rune{re.Rune[0]}, true
	case syntax.OpCharClass:
		n := 0
		for i := 0; i+1 < len(re.Rune); i += 2 {
			n += int(re.Rune[i+1]-re.Rune[i]) + 1
			if n > maxNeeds {
				return nil, false
			}
		}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				needs = append(needs, r)
			}
		}
		return needs, len(needs) > 0
	case syntax.OpCapture, syntax.OpPlus:
		return neededRunes(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min < 1 {
			return nil, false
		}
		return neededRunes(re.Sub[0])
	case syntax.OpConcat:
		// Every part is in every match: the part with the fewest
		// characters to look for.
		for _, sub := range re.Sub {
			if n, ok := neededRunes(sub); ok && (needs == nil || len(n) < len(needs)) {
				needs = n
			}
		}
		return needs, needs != nil
	case syntax.OpAlternate:
		// A match is one of the branches: each must need a character.
		for _, sub := range re.Sub {
			n, ok := neededRunes(sub)
			if !ok {
				return nil, false
			}
			for _, r := range n {
				if !slices.Contains(needs, r) {
					needs = append(needs, r)
				}
			}
			if len(needs) > maxNeeds {
				return nil, false
			}
		}
		return needs, true
	}
	return nil, false // empty-width assertions, any character, *, ?
}

// may reports whether s can hold a match: false only when it holds none of
// the characters every match needs.
func (p *pattern) may(s string) bool {
	if !p.guarded {
		return true
	}
	for _, r := range p.needs {
		if strings.Contains(s, r) {
			return true
		}
	}
	return false
}

func (p *pattern) MatchString(s string) bool {
	return p.may(s) && p.Regexp.MatchString(s)
}

func (p *pattern) FindString(s string) string {
	if !p.may(s) {
		return ""
	}
	return p.Regexp.FindString(s)
}

func (p *pattern) FindStringIndex(s string) []int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringIndex(s)
}

func (p *pattern) FindStringSubmatch(s string) []string {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringSubmatch(s)
}

func (p *pattern) FindStringSubmatchIndex(s string) []int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringSubmatchIndex(s)
}

func (p *pattern) FindAllString(s string, n int) []string {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindAllString(s, n)
}

func (p *pattern) FindAllStringSubmatch(s string, n int) [][]string {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindAllStringSubmatch(s, n)
}

func (p *pattern) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindAllStringSubmatchIndex(s, n)
}

func (p *pattern) ReplaceAllString(src, repl string) string {
	if !p.may(src) {
		return src
	}
	return p.Regexp.ReplaceAllString(src, repl)
}

func (p *pattern) ReplaceAllStringFunc(src string, repl func(string) string) string {
	if !p.may(src) {
		return src
	}
	return p.Regexp.ReplaceAllStringFunc(src, repl)
}
