package index

import (
	"math"
	"runtime"
	"sync"
)

// vectorScorer ranks slots by the dot product of their vectors with a
// question's, exactly as chromem-go does (cosine of L2-normalised vectors,
// summed in float32 dimension by dimension), so that the ranking is the one
// the vector store would give, found without scanning every record through
// chromem's per-document channel.
//
// Vectors are kept per city, so that a scoped question reads its cities
// only. Two layouts:
//
//   - bucket-major, for the hashed embedder: one run per dimension, holding
//     that dimension of every vector of the city. A hashed question has a few
//     dozen non-zero buckets of 512; only those runs are read. Adding q[d]·v[d]
//     for a zero q[d] adds nothing, so skipping it leaves every score
//     bit-identical to the full dot product.
//   - row-major, for dense embedders (every dimension non-zero): vectors end
//     to end, scanned in parallel over the cores with a top k per goroutine.
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
	cols  [][]float32 // bucket-major: cols[d][position]
	rows  []float32   // row-major: rows[position*dim+d]
}

func newVectorScorer(bucketMajor bool) *vectorScorer {
	return &vectorScorer{bucketMajor: bucketMajor, accs: make(chan *[]float32, 2*runtime.GOMAXPROCS(0))}
}

// chromemVector is the vector chromem-go stores or queries for v: v itself
// when its norm is within 1e-6 of 1, else v normalised the way chromem-go
// does it (float32 sum of squares). Scores match chromem's only if both
// sides read the same numbers.
func chromemVector(v []float32) []float32 {
	var sq float64
	for _, x := range v {
		sq += float64(x) * float64(x)
	}
	if math.Abs(math.Sqrt(sq)-1) < 1e-6 {
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

// add stores slot's vector under city. The first vector fixes the
// dimension; a vector of another length is an error.
func (s *vectorScorer) add(slot int32, city uint16, v []float32) error {
	if s.dim == 0 {
		s.dim = len(v)
	}
	if len(v) != s.dim {
		return ErrDimension
	}
	v = chromemVector(v)
	for int(slot) >= len(s.pos) {
		s.pos = append(s.pos, -1)
		s.city = append(s.city, 0)
	}
	for int(city) >= len(s.blocks) {
		b := &vecBlock{}
		if s.bucketMajor {
			b.cols = make([][]float32, s.dim)
		}
		s.blocks = append(s.blocks, b)
	}
	b := s.blocks[city]
	s.pos[slot], s.city[slot] = int32(len(b.slots)), city
	b.slots = append(b.slots, slot)
	if s.bucketMajor {
		for d, x := range v {
			b.cols[d] = append(b.cols[d], x)
		}
	} else {
		b.rows = append(b.rows, v...)
	}
	return nil
}

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
	if s.bucketMajor {
		for d, col := range b.cols {
			col[p] = col[last]
			b.cols[d] = col[:last]
		}
	} else {
		copy(b.rows[p*s.dim:(p+1)*s.dim], b.rows[last*s.dim:])
		b.rows = b.rows[:last*s.dim]
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
	for d, col := range b.cols {
		b.cols[d] = append([]float32(nil), col...)
	}
	if b.rows != nil {
		b.rows = append([]float32(nil), b.rows...)
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
	if s.bucketMajor {
		nz = make([]int, 0, 64)
		for d, x := range q {
			if x != 0 {
				nz = append(nz, d)
			}
		}
	}
	for c, b := range s.blocks {
		if len(b.slots) == 0 || allowed != nil && (c >= len(allowed) || !allowed[c]) {
			continue
		}
		if s.bucketMajor {
			s.searchBuckets(b, q, nz, top)
		} else {
			s.searchRows(b, q, top)
		}
	}
	return top.sorted()
}

func (s *vectorScorer) searchBuckets(b *vecBlock, q []float32, nz []int, top *topK) {
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
		col := b.cols[d][:n]
		for i, x := range col {
			acc[i] += w * x
		}
	}
	for i, sc := range acc {
		h := Hit{Slot: int(b.slots[i]), Score: float64(sc)}
		if top.admits(h) {
			top.push(h)
		}
	}
	select {
	case s.accs <- p:
	default:
	}
}

func (s *vectorScorer) searchRows(b *vecBlock, q []float32, top *topK) {
	n, dim := len(b.slots), s.dim
	scan := func(from, to int, t *topK) {
		for i := from; i < to; i++ {
			row := b.rows[i*dim : (i+1)*dim]
			var dot float32
			for d, x := range row {
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
		for d, col := range b.cols {
			if n := len(col); cap(col)-n > n/8+4 {
				b.cols[d] = append(make([]float32, 0, n), col...)
			}
		}
		if n := len(b.rows); cap(b.rows)-n > n/8+4 {
			b.rows = append(make([]float32, 0, n), b.rows...)
		}
	}
}
