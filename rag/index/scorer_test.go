package index_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"wenda/eval"
	"wenda/rag/index"
	"wenda/rag/ragtest"
	"wenda/rag/zh"
)

// legQuestions are the eval's questions, the benchmarks' and a synthetic
// set: random runs of the corpus' own characters, one-character questions,
// ASCII and a question with no term at all.
func legQuestions(t *testing.T) []string {
	t.Helper()
	cases, err := eval.Cases()
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, c := range cases {
		qs = append(qs, zh.Normalize(c.Question))
	}
	for _, q := range ragtest.BenchQuestions {
		qs = append(qs, zh.Normalize(q))
	}
	text := []rune(zh.Normalize(seedDocs(t)[0].Text))
	r := rand.New(rand.NewPCG(1, 2))
	for range 60 {
		n := 2 + r.IntN(30)
		at := r.IntN(len(text) - n)
		qs = append(qs, string(text[at:at+n]))
	}
	return append(qs, "教", "育", "gdp", "2020", "97.01%", "?!", "")
}

// wantTop is the exact top k of chromem-go's scores: best first, ties to the
// lower slot.
func wantTop(scores map[int]float32, k int) []index.Hit {
	var all []index.Hit
	for slot, s := range scores {
		all = append(all, index.Hit{Slot: slot, Score: float64(s)})
	}
	slices.SortFunc(all, func(a, b index.Hit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return a.Slot - b.Slot
	})
	return all[:min(k, len(all))]
}

// checkVectorLeg holds the exact scorer to chromem-go on every question,
// unscoped and scoped to each city: the same slots, the same float32 scores
// bit for bit.
func checkVectorLeg(t *testing.T, ix *index.Index, e index.Embedder, cities []string, qs []string) {
	t.Helper()
	ctx := context.Background()
	scopes := [][]string{nil}
	for _, c := range cities {
		scopes = append(scopes, []string{c})
	}
	scopes = append(scopes, cities[:min(2, len(cities))], []string{"无此市"})
	checked := 0
	for _, q := range qs {
		v, err := e.Embed(ctx, []string{q})
		if err != nil {
			t.Fatal(err)
		}
		zero := !slices.ContainsFunc(v[0], func(x float32) bool { return x != 0 })
		if zero {
			continue // chromem-go divides by a zero norm; the index skips the leg
		}
		for _, scope := range scopes {
			scores, err := ix.ChromemScores(ctx, v[0], scope)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []int{1, 20} {
				got, want := ix.VectorLeg(v[0], scope, k), wantTop(scores, k)
				if len(got) != len(want) {
					t.Fatalf("%q scope %v k %d: %d hits, chromem-go has %d", q, scope, k, len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%q scope %v k %d: hit %d is %+v, chromem-go gives %+v", q, scope, k, i, got[i], want[i])
					}
				}
				checked++
			}
			// Every score, not only the top: ask for all of them.
			if scope == nil && len(scores) <= 300 {
				got := ix.VectorLeg(v[0], nil, len(scores))
				for _, h := range got {
					if float32(h.Score) != scores[h.Slot] {
						t.Fatalf("%q slot %d: %v, chromem-go %v", q, h.Slot, h.Score, scores[h.Slot])
					}
				}
				if len(got) != len(scores) {
					t.Fatalf("%q: %d scores, chromem-go has %d", q, len(got), len(scores))
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no question checked")
	}
}

func TestVectorLegMatchesChromemOnSeeds(t *testing.T) {
	c := newCorpus(t, index.NewHashEmbedder(0), tok, seedDocs(t))
	checkVectorLeg(t, c.ix, index.NewHashEmbedder(0), c.cities, legQuestions(t))
}

func TestVectorLegMatchesChromemOnSynthetic(t *testing.T) {
	docs := ragtest.SyntheticDocs(t, 1500)
	e := index.NewHashEmbedder(0)
	c := newCorpus(t, e, tok, docs)
	// Churn first, so that moved vectors and reused slots are checked too.
	for i := 0; i < 6; i++ {
		c.remove(t, docs[i*3].ID)
	}
	c.add(t, docs[3], docs[9])
	checkVectorLeg(t, c.ix, e, c.cities, legQuestions(t)[200:])
}

// denseEmbedder gives every text a dense pseudo-random vector, not
// normalised when norm is false, like a remote model's.
type denseEmbedder struct {
	dim  int
	norm bool
}

func (d denseEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		h := fnv.New64a()
		h.Write([]byte(t))
		r := rand.New(rand.NewPCG(h.Sum64(), 7))
		v := make([]float32, d.dim)
		var sq float64
		for j := range v {
			v[j] = float32(r.NormFloat64())
			sq += float64(v[j]) * float64(v[j])
		}
		if d.norm {
			for j := range v {
				v[j] /= float32(math.Sqrt(sq))
			}
		}
		out[i] = v
	}
	return out, nil
}

func TestVectorLegMatchesChromemDense(t *testing.T) {
	defer index.SetParallelRows(64)()
	for _, norm := range []bool{true, false} {
		t.Run(fmt.Sprintf("normalised=%v", norm), func(t *testing.T) {
			e := denseEmbedder{dim: 96, norm: norm}
			c := newCorpus(t, e, tok, seedDocs(t))
			checkVectorLeg(t, c.ix, e, c.cities, legQuestions(t)[:80])
		})
	}
}

// TestLexLegExact holds BM25's pruned search to an exhaustive scan: the same
// slots with the same scores, on every question, scoped and not, after
// churn.
func TestLexLegExact(t *testing.T) {
	docs := ragtest.SyntheticDocs(t, 1500)
	c := newCorpus(t, index.NewHashEmbedder(0), tok, docs)
	for i := 0; i < 5; i++ {
		c.remove(t, docs[i*2].ID)
	}
	c.add(t, docs[2])
	ix, cities := c.ix, c.cities
	for _, q := range legQuestions(t) {
		for _, scope := range [][]string{nil, {cities[0]}, {cities[1], cities[2]}, {"无此市"}} {
			for _, k := range []int{1, 5, 20} {
				got, want := ix.LexLeg(q, scope, k), ix.LexExhaustive(q, scope, k)
				if !slices.Equal(got, want) {
					t.Fatalf("%q scope %v k %d:\n got %v\nwant %v", q, scope, k, got, want)
				}
			}
		}
	}
}
