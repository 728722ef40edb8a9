package index

import (
	"context"
	"math"
	"sort"
	"strconv"
)

// Hooks for the external tests of the index's legs.

// VectorLeg returns the exact scorer's k best slots for q within cities
// (none: all).
func (ix *Index) VectorLeg(q []float32, cities []string, k int) []Hit {
	return ix.vectors.search(q, ix.allowed(cities), k)
}

// ChromemScores returns chromem-go's similarity of q with every vector of
// the cities' collections (none: all), by slot.
func (ix *Index) ChromemScores(ctx context.Context, q []float32, cities []string) (map[int]float32, error) {
	allowed := ix.allowed(cities)
	out := map[int]float32{}
	for id, col := range ix.vecs {
		if allowed != nil && !allowed[id] || col.Count() == 0 {
			continue
		}
		res, err := col.QueryEmbedding(ctx, q, col.Count(), nil, nil)
		if err != nil {
			return nil, err
		}
		for _, r := range res {
			slot, err := strconv.Atoi(r.ID)
			if err != nil {
				return nil, err
			}
			out[slot] = r.Similarity
		}
	}
	return out, nil
}

// LexLeg returns BM25's k best slots for a query within cities.
func (ix *Index) LexLeg(query string, cities []string, k int) []Hit {
	return ix.bm25.Search(query, k, ix.allowed(cities))
}

// LexExhaustive scores every live slot holding a query term the plain way,
// with no pruning, and returns the k best within cities.
func (ix *Index) LexExhaustive(query string, cities []string, k int) []Hit {
	return ix.bm25.exhaustive(query, k, ix.allowed(cities))
}

// SetParallelRows lowers the row count past which row-major scans split
// over the cores, and returns a func restoring it.
func SetParallelRows(n int) func() {
	old := parallelRows
	parallelRows = n
	return func() { parallelRows = old }
}

// exhaustive is Search without pruning: every posting of every query term
// is scored, in the same term order, so that tests can hold Search to it.
func (x *bm25) exhaustive(query string, k int, allowed []bool) []Hit {
	if x.nLive == 0 || k <= 0 {
		return nil
	}
	terms := queryTerms(query, nil)
	avg := float64(x.totalLen) / float64(x.nLive)
	c1, c2 := bm25K1*(1-bm25B), bm25K1*bm25B/avg
	var kept []queryTerm
	for _, t := range terms {
		id, ok := x.ids.get(t.key, t.term)
		if !ok {
			continue
		}
		l := &x.lists[id]
		df := float64(l.n)
		t.list = l
		t.idf = math.Log(1 + (float64(x.nLive)-df+0.5)/(df+0.5))
		tf := float64(l.maxTF)
		t.ub = t.idf * t.qtf * tf * (bm25K1 + 1) / (tf + c1 + c2*float64(l.minLen))
		kept = append(kept, t)
	}
	sort.Slice(kept, func(a, b int) bool {
		if kept[a].ub != kept[b].ub {
			return kept[a].ub < kept[b].ub
		}
		return kept[a].term < kept[b].term
	})
	scores := map[int32]float64{}
	for i := len(kept) - 1; i >= 0; i-- {
		t := &kept[i]
		slots, tfs := t.list.decode(nil, nil)
		for j, s := range slots {
			tf := float64(tfs[j])
			scores[s] += t.idf * t.qtf * tf * (bm25K1 + 1) / (tf + c1 + c2*float64(x.lengths[s]))
		}
	}
	top := newTopK(k)
	for s, sc := range scores {
		if c := int(x.city[s]); allowed == nil || c < len(allowed) && allowed[c] {
			top.push(Hit{Slot: int(s), Score: sc})
		}
	}
	return top.sorted()
}

// ChromemLeg is the vector leg as chromem-go ranks it: each city's
// collection queried for its k nearest, merged, ties to the lower slot. It
// is what Search did before the exact scorer, kept to measure against.
func (ix *Index) ChromemLeg(ctx context.Context, q []float32, k int) ([]Hit, error) {
	top := newTopK(k)
	for _, col := range ix.vecs {
		n := min(k, col.Count())
		if n == 0 {
			continue
		}
		res, err := col.QueryEmbedding(ctx, q, n, nil, nil)
		if err != nil {
			return nil, err
		}
		for _, r := range res {
			slot, _ := strconv.Atoi(r.ID)
			top.push(Hit{Slot: slot, Score: float64(r.Similarity)})
		}
	}
	return top.sorted(), nil
}
