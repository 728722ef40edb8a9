package rag_test

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"wenda/rag"
	"wenda/rag/ragtest"
	"wenda/rag/zh"
)

// Benchmarks for the paths a question takes. Run on 2 cores:
//   go test ./rag -run '^$' -bench . -benchmem -count 5

func BenchmarkBuildSeeds(b *testing.B) {
	docs := seedDocs(b)
	counter, err := rag.NewTiktoken(rag.DefaultEncoding)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := rag.Build(context.Background(), docs, rag.BuildOptions{Embedder: rag.NewHashEmbedder(0), Tokens: counter}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSplitPlan(b *testing.B) {
	plan := docByID(b, seedDocs(b), "nanchang-14th-five-year-education-plan")
	counter, _ := rag.NewTiktoken(rag.DefaultEncoding)
	b.SetBytes(int64(len(plan.Text)))
	for b.Loop() {
		rag.Split(plan, counter)
	}
}

func BenchmarkNormalize(b *testing.B) {
	text := docByID(b, seedDocs(b), "nanchang-2023-three-synergies").Text
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		zh.Normalize(text)
	}
}

var benchQuestions = ragtest.BenchQuestions

func BenchmarkSearchSeeds(b *testing.B) {
	e := seedEngine(b, rag.BuildOptions{})
	ctx := context.Background()
	qs := make([]string, len(benchQuestions))
	for i, q := range benchQuestions {
		qs[i] = zh.Normalize(q)
	}
	i := 0
	for b.Loop() {
		if _, err := e.Index().Search(ctx, qs[i%len(qs)], rag.Scope{}, 8); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkAskSeeds answers with the answer cache off: retrieval, scoring
// and composing every time. The cached path is BenchmarkServeAsk/cached.
func BenchmarkAskSeeds(b *testing.B) {
	ix := seedEngine(b, rag.BuildOptions{}).Index()
	e := rag.NewEngine(ix, rag.WithAnswerCache(0))
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := e.Ask(ctx, rag.Request{Question: benchQuestions[i%len(benchQuestions)]}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// benchSearchSynthetic measures retrieval over a synthetic corpus, with no
// scope (every chunk ranked) and scoped to one city as most questions are,
// beside a yardstick timed in the same run: a plain scalar exact scan of as
// many 512-float32 vectors, contiguous and row-major, on one core. It also
// reports what the build took: seconds of wall time and of CPU (on a shared
// machine the first measures the neighbours too; on two idle cores it is at
// least half the second), and live heap per chunk after a GC.
func benchSearchSynthetic(b *testing.B, chunks int) {
	docs := ragtest.SyntheticDocs(b, chunks)
	counter := ragtest.ApproxTokens
	before := liveHeap()
	start, startCPU := time.Now(), cpuTime()
	ix, info, err := rag.Build(context.Background(), docs, rag.BuildOptions{Embedder: rag.NewHashEmbedder(0), Tokens: counter})
	if err != nil {
		b.Fatal(err)
	}
	build, buildCPU := time.Since(start), cpuTime()-startCPU
	docs = nil
	perChunk := float64(liveHeap()-before) / float64(info.Chunks)
	if path := os.Getenv("WENDA_BENCH_HEAP_PROFILE"); path != "" {
		writeHeapProfile(b, path)
	}
	ctx := context.Background()
	qs := make([]string, len(benchQuestions))
	for i, q := range benchQuestions {
		qs[i] = zh.Normalize(q)
	}
	for _, sc := range []struct {
		name  string
		scope rag.Scope
	}{{"all", rag.Scope{}}, {"one-city", rag.Scope{Cities: []string{ragtest.SyntheticCity(0)}}}} {
		b.Run(sc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := ix.Search(ctx, qs[i%len(qs)], sc.scope, 8); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(info.Chunks), "chunks")
			b.ReportMetric(build.Seconds(), "build-s")
			b.ReportMetric(buildCPU.Seconds(), "build-cpu-s")
			b.ReportMetric(perChunk, "heap-B/chunk")
		})
	}
	b.Run("scalar-scan", func(b *testing.B) { ragtest.ScalarScan(b, info.Chunks, 512) })
	runtime.KeepAlive(ix)
}

func BenchmarkSearch10k(b *testing.B) { benchSearchSynthetic(b, 10_000) }

func BenchmarkSearch100k(b *testing.B) {
	if testing.Short() {
		b.Skip("100k chunks take a while to build")
	}
	benchSearchSynthetic(b, 100_000)
}

// writeHeapProfile writes what is live after a GC, by allocation site:
// where the index's memory goes (go tool pprof -sample_index=inuse_space).
func writeHeapProfile(b *testing.B, path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSearch1M is opt-in: it needs about 14 GB of memory at its peak
// and minutes of build. Run it with
//
//	WENDA_BENCH_1M=1 go test ./rag -run '^$' -bench Search1M -benchmem -benchtime 10x -timeout 60m
func BenchmarkSearch1M(b *testing.B) {
	if os.Getenv("WENDA_BENCH_1M") == "" {
		b.Skip("set WENDA_BENCH_1M=1 to build and search 1M chunks")
	}
	benchSearchSynthetic(b, 1_000_000)
}

// BenchmarkSplitSynthetic splits the 10k-chunk synthetic corpus, the part
// of a large build that is not indexing.
func BenchmarkSplitSynthetic(b *testing.B) {
	docs := ragtest.SyntheticDocs(b, 10_000)
	counter := ragtest.ApproxTokens
	n := 0
	for _, d := range docs {
		n += len(d.Text)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, d := range docs {
			rag.Split(d, counter)
		}
	}
}
