package eval

import (
	"context"
	"slices"
	"strings"

	"wenda/rag"
	"wenda/rag/zh"
)

// RetrievalDepth is how many chunks Rank reads: recall@1 and @5 and MRR are
// measured within it.
const RetrievalDepth = 10

// Retriever is what retrieval metrics need of a target: the standalone
// question it answers for a request (the conversation folded in), and the
// chunks that question retrieves, best first. rag.Engine is one; a wenda
// reached over HTTP is not, so a remote run has no retrieval metrics.
type Retriever interface {
	Standalone(req rag.Request) string
	Retrieve(ctx context.Context, question string, k int) ([]rag.Result, error)
}

var _ Retriever = (*rag.Engine)(nil)

// Rank returns the 1-based rank of the first chunk, among the RetrievalDepth
// that req's standalone question retrieves, that comes from the case's
// document and holds one of its expected figures; 0 when none does. It is
// nil for a case that has nothing to find: unanswerable, or without a
// document or an expected figure. Chunk and figures are compared in their
// normalised form, so "97.01 %" in a PDF table holds "97.01%".
func Rank(ctx context.Context, r Retriever, c Case, req rag.Request) (*int, error) {
	if c.Unanswerable || c.Doc == "" || len(c.ExpectAny) == 0 {
		return nil, nil
	}
	want := make([]string, len(c.ExpectAny))
	for i, s := range c.ExpectAny {
		want[i] = zh.Normalize(s)
	}
	results, err := r.Retrieve(ctx, r.Standalone(req), RetrievalDepth)
	if err != nil {
		return nil, err
	}
	rank := 0
	for i, res := range results[:min(len(results), RetrievalDepth)] {
		if res.Chunk.DocID == c.Doc && slices.ContainsFunc(want, func(w string) bool { return w != "" && strings.Contains(res.Chunk.Norm, w) }) {
			rank = i + 1
			break
		}
	}
	return &rank, nil
}
