package index

import (
	"math"
	"runtime"
	"slices"
	"sync"
)

// vectorScorer ranks slots by the dot product of their vectors with a
// question's, exactly as chromem-go does (cosine of L2-normalised vectors,
// summed in float32 dimension by dimension), so that the ranking is the one
// the vector store would give, found without scanning every record through
// chromem's per-document channel.
//
// It keeps no second float32 copy of the vectors: each slot's row is the
// very slice chromem-go stores (AddDocument keeps the slice it is given
// when it is normalised), so the full vectors are held once. Vectors are
// kept per city, so that a scoped question reads its cities only. Two
// layouts:
//
//   - bucket-major, for the hashed embedder: beside the shared rows, one run
//     of int8 codes per dimension (each vector scaled by its largest
//     magnitude: a quarter of a float32 copy). A hashed question has a few
//     dozen non-zero buckets of 512; only those runs are read, giving each
//     vector an approximate score with a known bound on its error. Only
//     the vectors whose bound reaches the k-th best are scored exactly,
//     from their rows, over the question's non-zero buckets in order:
//     adding q[d]·v[d] for a zero q[d] adds nothing, so each exact score is
//     bit-identical to chromem's full dot product, and the top k is that of
//     an exhaustive exact scan.
//   - row-major, for dense embedders (every dimension non-zero): the rows
//     scanned in parallel over the cores with a top k per goroutine.
//
// Removal moves the city's last vector into the freed position, so a city's
// vectors stay contiguous whatever the churn. It is not safe for concurrent
// use by itself: the Index's lock guards it.
type vectorScorer struct {
	dim         int
	bucketMajor bool
	blocks      []*vecBlock // by city id
	pos         []int32     // by slot: position in its city's block, -1 when none
	city        []uint16    // by slot
	// accs holds idle accumulators: a bounded pool that, unlike sync.Pool,
	// survives garbage collections, so that a search allocates none.
	accs chan *[]float32
}

type vecBlock struct {
	slots []int32     // by position
	rows  [][]float32 // by position: the vector chromem-go holds
	codes [][]int8    // bucket-major: codes[d][position] ≈ rows[position][d]/scale[position]
	scale []float32   // bucket-major: by position, the vector's largest magnitude / 127
}

func newVectorScorer(bucketMajor bool) *vectorScorer {
	return &vectorScorer{bucketMajor: bucketMajor, accs: make(chan *[]float32, 2*runtime.GOMAXPROCS(0))}
}

// chromemVector is the vector chromem-go stores or queries for v: v itself
// when its norm is within 1e-6 of 1, else v normalised the way chromem-go
// does it (float32 sum of squares). Scores match chromem's only if both
// sides read the same numbers.
func chromemVector(v []float32) []float32 {
	if chromemNormalised(v) {
		return v
	}
	var norm float32
	for _, x := range v {
		norm += x * x
	}
	norm = float32(math.Sqrt(float64(norm)))
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = x / norm
	}
	return out
}

// chromemNormalised is chromem-go's test of a normalised vector: a vector
// that passes it is stored as given, not copied.
func chromemNormalised(v []float32) bool {
	var sq float64
	for _, x := range v {
		sq += float64(x) * float64(x)
	}
	return math.Abs(math.Sqrt(sq)-1) < 1e-6
}

// add stores slot's vector under city; v is chromemVector of the vector,
// and is kept, not copied. The first vector fixes the dimension; a vector
// of another length is an error.
func (s *vectorScorer) add(slot int32, city uint16, v []float32) error {
	if s.dim == 0 {
		s.dim = len(v)
	}
	if len(v) != s.dim {
		return ErrDimension
	}
	for int(slot) >= len(s.pos) {
		s.pos = append(s.pos, -1)
		s.city = append(s.city, 0)
	}
	for int(city) >= len(s.blocks) {
		b := &vecBlock{}
		if s.bucketMajor {
			b.codes = make([][]int8, s.dim)
		}
		s.blocks = append(s.blocks, b)
	}
	b := s.blocks[city]
	s.pos[slot], s.city[slot] = int32(len(b.slots)), city
	b.slots = push(b.slots, slot)
	b.rows = push(b.rows, v)
	if s.bucketMajor {
		var m float32
		for _, x := range v {
			m = max(m, abs32(x))
		}
		sc := m / 127
		b.scale = push(b.scale, sc)
		for d, x := range v {
			var c int8
			if sc > 0 {
				c = int8(max(-127, min(127, math.Round(float64(x/sc)))))
			}
			b.codes[d] = push(b.codes[d], c)
		}
	}
	return nil
}

func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

// remove drops slot's vector; the city's last vector takes its place.
func (s *vectorScorer) remove(slot int32) {
	if int(slot) >= len(s.pos) || s.pos[slot] < 0 {
		return
	}
	b := s.blocks[s.city[slot]]
	p, last := int(s.pos[slot]), len(b.slots)-1
	moved := b.slots[last]
	b.slots[p] = moved
	s.pos[moved] = int32(p)
	b.slots = b.slots[:last]
	b.rows[p], b.rows[last] = b.rows[last], nil
	b.rows = b.rows[:last]
	if s.bucketMajor {
		b.scale[p] = b.scale[last]
		b.scale = b.scale[:last]
		for d, col := range b.codes {
			col[p] = col[last]
			b.codes[d] = col[:last]
		}
	}
	s.pos[slot] = -1
	if len(b.slots) == 0 || cap(b.slots) > 1024 && len(b.slots) < cap(b.slots)/4 {
		s.shrink(b)
	}
}

// shrink gives a block that lost most of its vectors smaller arrays, so that
// memory follows the live vectors, not the most there ever were.
func (s *vectorScorer) shrink(b *vecBlock) {
	b.slots = append([]int32(nil), b.slots...)
	b.rows = append([][]float32(nil), b.rows...)
	if b.scale != nil {
		b.scale = append([]float32(nil), b.scale...)
	}
	for d, col := range b.codes {
		b.codes[d] = append([]int8(nil), col...)
	}
}

// parallelRows is the number of row-major vectors past which a scan is split
// over the cores.
var parallelRows = 8192

// search returns the k slots whose vectors are nearest to q among the cities
// allowed accepts (nil: all), best first, ties to the lower slot.
func (s *vectorScorer) search(q []float32, allowed []bool, k int) []Hit {
	if len(q) != s.dim || k <= 0 {
		return nil
	}
	q = chromemVector(q)
	top := newTopK(k)
	var nz []int
	var q1 float64 // the sum of |q[d]|: how far codes can move a score
	if s.bucketMajor {
		nz = make([]int, 0, 64)
		for d, x := range q {
			if x != 0 {
				nz = append(nz, d)
				q1 += math.Abs(float64(x))
			}
		}
	}
	for c, b := range s.blocks {
		if len(b.slots) == 0 || allowed != nil && (c >= len(allowed) || !allowed[c]) {
			continue
		}
		if s.bucketMajor {
			s.searchBuckets(b, q, nz, q1, top)
		} else {
			s.searchRows(b, q, top)
		}
	}
	return top.sorted()
}

// searchBuckets scores a block's vectors from their codes, then exactly
// those that may be among the k best.
//
// A code is within half a step (scale/2) of the vector's value, so a code
// score is within scale·q1/2 of the exact one; the float32 sums (of codes
// here, of values in chromem-go) add at most a few parts in a million of
// q1·scale·127 and of 1. errBound is that bound with room to spare. A
// vector whose code score plus its bound is below the k-th best lower bound
// (code score minus bound) of the block, or below the k-th exact score
// already held, cannot be among the k best: it is not scored exactly.
func (s *vectorScorer) searchBuckets(b *vecBlock, q []float32, nz []int, q1 float64, top *topK) {
	n := len(b.slots)
	var p *[]float32
	select {
	case p = <-s.accs:
	default:
	}
	if p == nil || cap(*p) < n {
		buf := make([]float32, n)
		p = &buf
	}
	acc := (*p)[:n]
	clear(acc)
	for _, d := range nz {
		w := q[d]
		col := b.codes[d][:n]
		for i, c := range col {
			acc[i] += w * float32(c)
		}
	}
	// Rounding: a float32 sum of m terms is off by at most m·2⁻²⁴ of the
	// sum of their magnitudes (codes are at most 127, values' products at
	// most 1 in all); 1.2e-7 doubles 2⁻²⁴.
	m := float64(len(nz) + 1)
	errFactor := q1 * (0.5 + m*127*1.2e-7)
	errAbs := m * 1.2e-7
	// The k-th best lower bound of the block, by a small sorted list.
	k := top.k
	var lbBuf [32]float64
	lbs := lbBuf[:0]
	if k > len(lbBuf) {
		lbs = make([]float64, 0, k)
	}
	for i, a := range acc {
		sc := float64(b.scale[i])
		lb := float64(a)*sc - sc*errFactor - errAbs
		if len(lbs) == k && lb <= lbs[k-1] {
			continue
		}
		if len(lbs) < k {
			lbs = append(lbs, lb)
		} else {
			lbs[k-1] = lb
		}
		for j := len(lbs) - 1; j > 0 && lbs[j] > lbs[j-1]; j-- {
			lbs[j], lbs[j-1] = lbs[j-1], lbs[j]
		}
	}
	floor := math.Inf(-1)
	if len(lbs) == k {
		floor = lbs[k-1]
	}
	if len(top.hits) == k {
		floor = max(floor, top.hits[k-1].Score)
	}
	for i, a := range acc {
		sc := float64(b.scale[i])
		if float64(a)*sc+sc*errFactor+errAbs < floor {
			continue
		}
		row := b.rows[i]
		var dot float32
		for _, d := range nz {
			dot += q[d] * row[d]
		}
		if h := (Hit{Slot: int(b.slots[i]), Score: float64(dot)}); top.admits(h) {
			top.push(h)
		}
	}
	select {
	case s.accs <- p:
	default:
	}
}

func (s *vectorScorer) searchRows(b *vecBlock, q []float32, top *topK) {
	n := len(b.slots)
	scan := func(from, to int, t *topK) {
		for i := from; i < to; i++ {
			var dot float32
			for d, x := range b.rows[i] {
				dot += q[d] * x
			}
			if h := (Hit{Slot: int(b.slots[i]), Score: float64(dot)}); t.admits(h) {
				t.push(h)
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), n/parallelRows)
	if workers <= 1 {
		scan(0, n, top)
		return
	}
	tops := make([]*topK, workers)
	var wg sync.WaitGroup
	for w := range workers {
		tops[w] = newTopK(top.k)
		from, to := n*w/workers, n*(w+1)/workers
		wg.Go(func() { scan(from, to, tops[w]) })
	}
	wg.Wait()
	for _, t := range tops {
		for _, h := range t.hits {
			top.push(h)
		}
	}
}

// trim gives runs grown by appending their exact size, after a large add
// (a build): appending leaves up to half of a run unused.
func (s *vectorScorer) trim() {
	for _, b := range s.blocks {
		for d, col := range b.codes {
			if n := len(col); cap(col)-n > n/8+4 {
				b.codes[d] = append(make([]int8, 0, n), col...)
			}
		}
		if n := len(b.rows); cap(b.rows)-n > n/8+4 {
			b.rows = append(make([][]float32, 0, n), b.rows...)
		}
		if n := len(b.scale); cap(b.scale)-n > n/8+4 {
			b.scale = append(make([]float32, 0, n), b.scale...)
		}
		if n := len(b.slots); cap(b.slots)-n > n/8+4 {
			b.slots = append(make([]int32, 0, n), b.slots...)
		}
	}
}

// push appends x to s, doubling s's room when it is full: append grows a
// large slice by a quarter, and a build that adds a million vectors one at
// a time copied each of a city's 512 columns some fifteen times over. trim
// gives back the room left at the end.
func push[E any](s []E, x E) []E {
	if len(s) == cap(s) {
		s = slices.Grow(s, max(len(s), 16))
	}
	return append(s, x)
}
