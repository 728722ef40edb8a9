package rag_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

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
	cities := []string{"赣州", "吉安", "宜春", "抚州", "上饶", "萍乡", "新余", "鹰潭", "景德镇", "成都", "绵阳", "德阳"}
	var out []rag.Document
	for c := range copies {
		city := cities[c%len(cities)]
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
// scope (every chunk ranked) and scoped to one city as most questions are.
func benchSearchSynthetic(b *testing.B, chunks int) {
	docs := syntheticDocs(b, chunks)
	counter := rag.TokenCounterFunc(func(s string) int { return len([]rune(s)) * 13 / 10 })
	ix, info, err := rag.Build(context.Background(), docs, rag.BuildOptions{Embedder: rag.NewHashEmbedder(0), Tokens: counter})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, sc := range []struct {
		name  string
		scope rag.Scope
	}{{"all", rag.Scope{}}, {"one-city", rag.Scope{Cities: []string{docs[0].City}}}} {
		b.Run(sc.name, func(b *testing.B) {
			b.ReportMetric(float64(info.Chunks), "chunks")
			i := 0
			for b.Loop() {
				if _, err := ix.Search(ctx, zh.Normalize(benchQuestions[i%len(benchQuestions)]), sc.scope, 8); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkSearch10k(b *testing.B) { benchSearchSynthetic(b, 10_000) }

func BenchmarkSearch100k(b *testing.B) {
	if testing.Short() {
		b.Skip("100k chunks take a minute to build")
	}
	benchSearchSynthetic(b, 100_000)
}
