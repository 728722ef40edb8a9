package rag_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"wenda/rag"
	"wenda/rag/ragtest"
)

// TestSplitOutputUnchanged pins what Split produces, byte for byte, on the
// seeds (tiktoken counts), a synthetic corpus (the benchmarks' counter) and
// a few awkward inputs: a faster splitter must cut exactly as before, or the
// saved indexes, the eval and every answer would move. The golden file holds
// one digest per corpus; when Split is meant to change, bump splitterVersion
// and rewrite it with -update.
func TestSplitOutputUnchanged(t *testing.T) {
	fake := rag.TokenCounterFunc(func(s string) int { return len([]rune(s)) * 13 / 10 })
	digest := func(docs []rag.Document, tc rag.TokenCounter) string {
		h := sha256.New()
		for _, d := range docs {
			raw, err := json.Marshal(rag.Split(d, tc))
			if err != nil {
				t.Fatal(err)
			}
			h.Write(raw)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	seedsDocs := seedDocs(t)
	var odd []rag.Document
	for i, d := range seedsDocs[:3] {
		d.ID = fmt.Sprintf("odd-%d", i)
		switch i {
		case 0:
			d.Text = strings.ReplaceAll(d.Text, "\n", "\r\n")
		case 1:
			d.Text = strings.ReplaceAll(d.Text, "。", "。\n\n   \n")
		case 2:
			d.Text = strings.Repeat(strings.ReplaceAll(d.Text, "\n", ""), 3)
		}
		odd = append(odd, d)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "seeds tiktoken %s\n", digest(seedsDocs, tok))
	fmt.Fprintf(&b, "seeds fake %s\n", digest(seedsDocs, fake))
	fmt.Fprintf(&b, "synthetic fake %s\n", digest(ragtest.SyntheticDocs(t, 3000), fake))
	fmt.Fprintf(&b, "odd tiktoken %s\n", digest(odd, tok))
	golden(t, "split_digest.golden", b.String())
}
