package ragtest

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"wenda/rag"
	"wenda/seeds"
)

// SeedDocs returns the embedded seed documents.
func SeedDocs(tb testing.TB) []rag.Document {
	tb.Helper()
	docs, err := rag.LoadDir(seeds.FS())
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

// ApproxTokens counts tokens as 1.3 a character: close to tiktoken on
// Chinese, and fast enough for corpora of a million chunks.
var ApproxTokens = rag.TokenCounterFunc(func(s string) int { return utf8.RuneCountInString(s) * 13 / 10 })

// SyntheticCities are the cities of the synthetic corpus' copies, in turn.
var SyntheticCities = []string{"赣州", "吉安", "宜春", "抚州", "上饶", "萍乡", "新余", "鹰潭", "景德镇", "成都", "绵阳", "德阳"}

// SyntheticCity is the city of the synthetic corpus' c-th copy.
func SyntheticCity(c int) string { return SyntheticCities[c%len(SyntheticCities)] + "市" }

// SyntheticDocs makes a deterministic corpus from the seeds: every document
// again for other cities, with its figures shifted, until it has about
// chunks chunks (split with ApproxTokens).
func SyntheticDocs(tb testing.TB, chunks int) []rag.Document {
	seedsDocs := SeedDocs(tb)
	per := 0
	for _, d := range seedsDocs {
		per += len(rag.Split(d, ApproxTokens))
	}
	copies := chunks/per + 1
	var out []rag.Document
	for c := range copies {
		city := SyntheticCities[c%len(SyntheticCities)]
		for _, d := range seedsDocs {
			text := strings.NewReplacer("南昌", city, "九江", city, "巴中", city).Replace(d.Text)
			text = ShiftDigits(text, c)
			out = append(out, rag.Document{
				ID: fmt.Sprintf("%s-%d", d.ID, c), Title: d.Title, City: city + "市",
				Province: d.Province, Published: d.Published, Text: text,
			})
		}
	}
	return out
}

// ShiftDigits changes the last digit of every number so that the copies'
// figures differ from the seeds'.
func ShiftDigits(s string, by int) string {
	b := []byte(s)
	for i := range b {
		if b[i] >= '0' && b[i] <= '9' && (i+1 == len(b) || b[i+1] < '0' || b[i+1] > '9') {
			b[i] = '0' + (b[i]-'0'+byte(by))%10
		}
	}
	return string(b)
}

// BenchQuestions are the benchmarks' questions: one for each seed city,
// one in traditional script and one for a city the seeds lack.
var BenchQuestions = []string{
	"南昌市九年义务教育巩固率有多少", "九江“十四五”期间新增学位多少个?", "巴中到2027年普惠性学前教育覆盖率目标是多少?",
	"南昌市學前三年毛入園率是多少?", "上海市义务教育巩固率是多少",
}

// ScalarScan is the retrieval benchmarks' yardstick: the exact top 20 of n
// random vectors of dim float32 by a plain dot-product loop over a
// contiguous row-major matrix, one core, no SIMD.
func ScalarScan(b *testing.B, n, dim int) {
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
