package rag_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenda/eval"
	"wenda/rag"
	"wenda/rag/zh"
)

// TestBuildInBatches holds a build made a document at a time (each batch
// indexed while the next is split) to one made in a single batch: the same
// documents, chunks and rankings, scores included, for every eval question,
// scoped and not.
func TestBuildInBatches(t *testing.T) {
	build := func() *rag.Index {
		ix, _, err := rag.Build(context.Background(), seedDocs(t), rag.BuildOptions{Embedder: rag.NewHashEmbedder(0), Tokens: tok})
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	whole := build()
	restore := rag.SetBuildBatchBytes(1)
	batched := build()
	restore()
	if diff := cmp.Diff(whole.Documents(), batched.Documents()); diff != "" {
		t.Fatalf("documents differ (-whole +batched):\n%s", diff)
	}
	if got, want := batched.ChunkCount(), whole.ChunkCount(); got != want {
		t.Fatalf("ChunkCount() = %d, want %d", got, want)
	}
	cases, err := eval.Cases()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range cases {
		q := zh.Normalize(c.Question)
		for _, scope := range []rag.Scope{{}, {Cities: whole.Cities()[:1]}} {
			want, err := whole.Search(ctx, q, scope, 10)
			if err != nil {
				t.Fatal(err)
			}
			got, err := batched.Search(ctx, q, scope, 10)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("Search(%q, %v) differs (-whole +batched):\n%s", q, scope, diff)
			}
		}
	}
}
