package rag

import (
	"math"
	"sync"
)

// BM25 is a lexical index over character unigrams and bigrams of normalised
// text (k1 = 1.2, b = 0.75). Bigrams carry the words; unigrams rescue
// single-character terms and abbreviations. Documents are dense int32 slots
// handed out by the caller; removed slots are skipped until compacted.
type BM25 struct {
	postings map[string][]posting
	lengths  []float32
	removed  []bool
	live     int
	totalLen float64
	pool     sync.Pool
}

type posting struct {
	slot int32
	tf   float32
}

const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// NewBM25 returns an empty index.
func NewBM25() *BM25 {
	return &BM25{postings: map[string][]posting{}}
}

// Add indexes text under the next slot and returns it. Not safe for use
// concurrently with Search: the caller holds the index's lock.
func (x *BM25) Add(text string) int {
	slot := len(x.lengths)
	tf := map[string]float32{}
	var n float32
	forEachTerm(text, func(term string, _ bool) {
		tf[term]++
		n++
	})
	for term, c := range tf {
		x.postings[term] = append(x.postings[term], posting{slot: int32(slot), tf: c})
	}
	x.lengths = append(x.lengths, n)
	x.removed = append(x.removed, false)
	x.live++
	x.totalLen += float64(n)
	return slot
}

// Remove drops a slot from scoring.
func (x *BM25) Remove(slot int) {
	if slot < 0 || slot >= len(x.removed) || x.removed[slot] {
		return
	}
	x.removed[slot] = true
	x.live--
	x.totalLen -= float64(x.lengths[slot])
}

// Hit is a scored slot.
type Hit struct {
	Slot  int
	Score float64
}

// Search returns the k best slots for the query's terms among those keep
// accepts (nil keeps all), best first, ties by slot.
func (x *BM25) Search(query string, k int, keep func(slot int) bool) []Hit {
	if x.live == 0 || k <= 0 {
		return nil
	}
	terms := map[string]float32{}
	forEachTerm(query, func(term string, _ bool) { terms[term]++ })
	avg := x.totalLen / float64(x.live)
	scores := x.scratch()
	defer x.pool.Put(scores)
	var touched []int32
	for term, qtf := range terms {
		ps := x.postings[term]
		if len(ps) == 0 {
			continue
		}
		idf := math.Log(1 + (float64(x.live)-float64(len(ps))+0.5)/(float64(len(ps))+0.5))
		for _, p := range ps {
			if x.removed[p.slot] {
				continue
			}
			tf := float64(p.tf)
			norm := tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(x.lengths[p.slot])/avg))
			if (*scores)[p.slot] == 0 {
				touched = append(touched, p.slot)
			}
			(*scores)[p.slot] += float32(idf * norm * float64(qtf))
		}
	}
	top := newTopK(k)
	for _, s := range touched {
		sc := (*scores)[s]
		(*scores)[s] = 0
		if keep != nil && !keep(int(s)) {
			continue
		}
		top.push(Hit{Slot: int(s), Score: float64(sc)})
	}
	return top.sorted()
}

// scratch returns a zeroed score slice as long as the index.
func (x *BM25) scratch() *[]float32 {
	if p, ok := x.pool.Get().(*[]float32); ok && len(*p) >= len(x.lengths) {
		return p
	}
	s := make([]float32, len(x.lengths)+1024)
	return &s
}

// topK keeps the k best hits; ties go to the lower slot so results are
// deterministic.
type topK struct {
	k    int
	hits []Hit
}

func newTopK(k int) *topK { return &topK{k: k} }

func better(a, b Hit) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.Slot < b.Slot
}

func (t *topK) push(h Hit) {
	if len(t.hits) < t.k {
		t.hits = append(t.hits, h)
		for i := len(t.hits) - 1; i > 0 && better(t.hits[i], t.hits[i-1]); i-- {
			t.hits[i], t.hits[i-1] = t.hits[i-1], t.hits[i]
		}
		return
	}
	if !better(h, t.hits[len(t.hits)-1]) {
		return
	}
	t.hits[len(t.hits)-1] = h
	for i := len(t.hits) - 1; i > 0 && better(t.hits[i], t.hits[i-1]); i-- {
		t.hits[i], t.hits[i-1] = t.hits[i-1], t.hits[i]
	}
}

func (t *topK) sorted() []Hit { return t.hits }
