package index_test

import (
	"context"
	"runtime"
	"testing"

	"wenda/rag/index"
	"wenda/rag/ragtest"
	"wenda/rag/zh"
)

// BenchmarkLegs100k measures each leg of a search alone, unscoped, over the
// 100k-chunk synthetic corpus, the vector leg also as chromem-go ranks it,
// beside the scalar-scan yardstick timed in the same run. The whole search
// is rag's BenchmarkSearch100k. Run on 2 cores:
//
//	go test ./rag/index -run '^$' -bench Legs100k -benchmem -benchtime 20x -count 3
func BenchmarkLegs100k(b *testing.B) {
	if testing.Short() {
		b.Skip("100k chunks take a while to build")
	}
	e := index.NewHashEmbedder(0)
	c := newCorpus(b, e, ragtest.ApproxTokens, ragtest.SyntheticDocs(b, 100_000))
	ctx := context.Background()
	qs := make([]string, len(ragtest.BenchQuestions))
	for i, q := range ragtest.BenchQuestions {
		qs[i] = zh.Normalize(q)
	}
	qvs, _ := e.Embed(ctx, qs)
	legs := []struct {
		name string
		run  func(i int)
	}{
		{"vector-leg", func(i int) { c.ix.VectorLeg(qvs[i%len(qvs)], nil, 20) }},
		{"bm25-leg", func(i int) { c.ix.LexLeg(qs[i%len(qs)], nil, 20) }},
		{"chromem-leg", func(i int) {
			if _, err := c.ix.ChromemLeg(ctx, qvs[i%len(qvs)], 20); err != nil {
				b.Fatal(err)
			}
		}},
	}
	for _, leg := range legs {
		b.Run(leg.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				leg.run(i)
				i++
			}
		})
	}
	b.Run("scalar-scan", func(b *testing.B) { ragtest.ScalarScan(b, c.ix.Len(), 512) })
	runtime.KeepAlive(c)
}
