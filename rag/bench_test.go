package rag_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"wenda/rag"
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

var benchQuestions = []string{
	"南昌义务教育巩固率是多少", "九江“十四五”期间新增学位多少个?", "巴中到2027年普惠性学前教育覆盖率目标是多少?",
	"南昌市學前三年毛入園率是多少?", "上海市义务教育巩固率是多少",
}

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

var syntheticCities = []string{"赣州", "吉安", "宜春", "抚州", "上饶", "萍乡", "新余", "鹰潭", "景德镇", "成都", "绵阳", "德阳"}

// syntheticCity is the city of the synthetic corpus' c-th copy.
func syntheticCity(c int) string { return syntheticCities[c%len(syntheticCities)] + "市" }

// syntheticDocs makes a deterministic corpus from the seeds: every document
// again for other cities, with its figures shifted, until it has about
// chunks chunks.
func syntheticDocs(tb testing.TB, chunks int) []rag.Document {
	seedsDocs := seedDocs(tb)
	counter := rag.TokenCounterFunc(func(s string) int { return len([]rune(s)) * 13 / 10 })
	per := 0
	for _, d := range seedsDocs {
		per += len(rag.Split(d, counter))
	}
	copies := chunks/per + 1
	var out []rag.Document
	for c := range copies {
		city := syntheticCities[c%len(syntheticCities)]
		for _, d := range seedsDocs {
			text := strings.NewReplacer("南昌", city, "九江", city, "巴中", city).Replace(d.Text)
			text = shiftDigits(text, c)
			out = append(out, rag.Document{
				ID: fmt.Sprintf("%s-%d", d.ID, c), Title: d.Title, City: city + "市",
				Province: d.Province, Published: d.Published, Text: text,
			})
		}
	}
	return out
}

// shiftDigits changes the last digit of every number so that the copies'
// figures differ from the seeds'.
func shiftDigits(s string, by int) string {
	b := []byte(s)
	for i := range b {
		if b[i] >= '0' && b[i] <= '9' && (i+1 == len(b) || b[i+1] < '0' || b[i+1] > '9') {
			b[i] = '0' + (b[i]-'0'+byte(by))%10
		}
	}
	return string(b)
}

// benchSearchSynthetic measures retrieval over a synthetic corpus, with no
// scope (every chunk ranked) and scoped to one city as most questions are,
// beside a yardstick timed in the same run: a plain scalar exact scan of as
// many 512-float32 vectors, contiguous and row-major, on one core. It also
// reports what the build took: seconds of wall time and of CPU (on a shared
// machine the first measures the neighbours too; on two idle cores it is at
// least half the second), and live heap per chunk after a GC.
func benchSearchSynthetic(b *testing.B, chunks int) {
	docs := syntheticDocs(b, chunks)
	counter := rag.TokenCounterFunc(func(s string) int { return len([]rune(s)) * 13 / 10 })
	before := liveHeap()
	start, startCPU := time.Now(), cpuTime()
	ix, info, err := rag.Build(context.Background(), docs, rag.BuildOptions{Embedder: rag.NewHashEmbedder(0), Tokens: counter})
	if err != nil {
		b.Fatal(err)
	}
	build, buildCPU := time.Since(start), cpuTime()-startCPU
	docs = nil
	perChunk := float64(liveHeap()-before) / float64(info.Chunks)
	ctx := context.Background()
	qs := make([]string, len(benchQuestions))
	for i, q := range benchQuestions {
		qs[i] = zh.Normalize(q)
	}
	for _, sc := range []struct {
		name  string
		scope rag.Scope
	}{{"all", rag.Scope{}}, {"one-city", rag.Scope{Cities: []string{syntheticCity(0)}}}} {
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
	// The legs alone, unscoped, and the vector leg as chromem-go ranks it.
	e := rag.NewHashEmbedder(0)
	qvs, _ := e.Embed(ctx, qs)
	legs := []struct {
		name string
		run  func(i int)
	}{
		{"vector-leg", func(i int) { ix.VectorLeg(qvs[i%len(qvs)], nil, 20) }},
		{"bm25-leg", func(i int) { ix.LexLeg(qs[i%len(qs)], nil, 20) }},
		{"chromem-leg", func(i int) {
			if _, err := ix.ChromemLeg(ctx, qvs[i%len(qvs)], 20); err != nil {
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
	b.Run("scalar-scan", func(b *testing.B) { benchScalarScan(b, info.Chunks, 512) })
	runtime.KeepAlive(ix)
}

// benchScalarScan is the yardstick: the exact top 20 of n vectors of dim
// float32 by a plain dot-product loop over a contiguous row-major matrix,
// one core, no SIMD.
func benchScalarScan(b *testing.B, n, dim int) {
	r := rand.New(rand.NewPCG(3, 4))
	m := make([]float32, n*dim)
	for i := range m {
		m[i] = r.Float32() - 0.5
	}
	q := make([]float32, dim)
	for i := range q {
		q[i] = r.Float32() - 0.5
	}
	var top [20]float32
	for b.Loop() {
		top = [20]float32{}
		for i := range top {
			top[i] = -1e30
		}
		for i := 0; i < n; i++ {
			row := m[i*dim : (i+1)*dim]
			var dot float32
			for d, x := range row {
				dot += q[d] * x
			}
			if dot > top[19] {
				j := 19
				for j > 0 && top[j-1] < dot {
					top[j] = top[j-1]
					j--
				}
				top[j] = dot
			}
		}
	}
	b.ReportMetric(float64(n), "chunks")
	runtime.KeepAlive(top)
}

func BenchmarkSearch10k(b *testing.B) { benchSearchSynthetic(b, 10_000) }

func BenchmarkSearch100k(b *testing.B) {
	if testing.Short() {
		b.Skip("100k chunks take a while to build")
	}
	benchSearchSynthetic(b, 100_000)
}

// BenchmarkSearch1M is opt-in: it needs about 17 GB of memory at its peak
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
	docs := syntheticDocs(b, 10_000)
	counter := rag.TokenCounterFunc(func(s string) int { return len([]rune(s)) * 13 / 10 })
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
