package eval_test

import (
	"strings"
	"testing"

	"wenda/rag/zh"
)

// Every group of the domain lexicon is asked by at least one eval case, in
// its term or one of its variants: a group no question uses is untested.
func TestEveryLexiconGroupIsAsked(t *testing.T) {
	groups, err := zh.Lexicon()
	if err != nil {
		t.Fatal(err)
	}
	var questions []string
	for _, c := range append(embeddedCases(t), citizenCases(t)...) {
		questions = append(questions, zh.Normalize(c.Question))
		for _, m := range c.History {
			questions = append(questions, zh.Normalize(m.Content))
		}
	}
	for _, g := range groups {
		asked := false
		for _, q := range questions {
			for _, w := range append([]string{g.Term}, g.Variants...) {
				asked = asked || strings.Contains(q, w)
			}
		}
		if !asked {
			t.Errorf("lexicon group %q is asked by no eval case", g.Term)
		}
	}
}
