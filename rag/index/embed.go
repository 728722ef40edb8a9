package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"wenda/rag/zh"
)

// Embedder turns texts into L2-normalised vectors, one per text, in order.
// Texts are normalised (zh.Normalize) by the caller.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// EmbedderFunc adapts a function to Embedder.
type EmbedderFunc func(ctx context.Context, texts []string) ([][]float32, error)

// Embed calls f.
func (f EmbedderFunc) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	return f(ctx, texts)
}

// HashEmbedder is the offline default: character unigrams (weight 0.5) and
// bigrams (1.0) of Han runs and whole ASCII tokens ("97.01%", "pm2.5"),
// hashed with FNV-32a into Dim signed buckets, sublinear term frequency,
// L2-normalised. It knows no synonyms; it needs no model, no network and no
// state, so a vector never changes between runs.
type HashEmbedder struct {
	Dim int
}

var _ Embedder = (*HashEmbedder)(nil)

// NewHashEmbedder returns a HashEmbedder with dim buckets (512 when dim <= 0).
func NewHashEmbedder(dim int) *HashEmbedder {
	if dim <= 0 {
		dim = 512
	}
	return &HashEmbedder{Dim: dim}
}

// Embed returns one vector per text. It never fails.
func (h *HashEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = h.vector(t)
	}
	return out, nil
}

// Name identifies the embedder in the saved index: a change of dimension
// must rebuild it.
func (h *HashEmbedder) Name() string { return "hash-" + strconv.Itoa(h.Dim) }

func (h *HashEmbedder) vector(text string) []float32 {
	st, _ := hashStates.Get().(*hashState)
	if st == nil {
		st = &hashState{ascii: map[string]int32{}}
	}
	st.han.reset()
	// Terms are counted, then added to their buckets in the order they first
	// appear: float sums in a fixed order, so a vector is the same in every
	// run (a map's order would move colliding buckets by a rounding).
	ForEachTermKey(text, func(key uint64, term string, unigram bool) {
		w := float32(1)
		if unigram {
			w = 0.5
		}
		var i int32
		var seen bool
		if key != 0 {
			i, seen = st.han.getOrPut(key, int32(len(st.terms)))
		} else if i, seen = st.ascii[term]; !seen {
			st.ascii[term] = int32(len(st.terms))
		}
		if seen {
			st.terms[i].count += w
			return
		}
		st.terms = append(st.terms, termCount{hash: fnv32a(term), count: w})
	})
	v := make([]float32, h.Dim)
	for _, t := range st.terms {
		sign := float32(1)
		if t.hash&(1<<31) != 0 {
			sign = -1
		}
		v[int(t.hash%uint32(h.Dim))] += sign * (1 + float32(math.Log(float64(t.count))))
	}
	clear(st.ascii)
	st.terms = st.terms[:0]
	hashStates.Put(st)
	return L2Normalize(v)
}

// hashState is the scratch of one vector: each distinct term's position in
// terms (Han terms by TermKey), and terms in the order first seen.
type hashState struct {
	han   keyTable
	ascii map[string]int32
	terms []termCount
}

// keyTable maps TermKeys to int32s for the length of one text: open
// addressing over a power-of-two table, emptied at once by a new
// generation. A Go map here cost a hash of its own and a clear of its
// whole size for every chunk embedded.
type keyTable struct {
	slots []keySlot
	gen   uint32 // slots of other generations are empty
	n     int
}

type keySlot struct {
	key uint64
	val int32
	gen uint32
}

// reset empties the table.
func (t *keyTable) reset() {
	t.gen++
	t.n = 0
	if t.gen == 0 { // wrapped: old stamps could look current
		clear(t.slots)
		t.gen = 1
	}
}

// getOrPut returns key's value and true, or puts val for key and returns
// val and false.
func (t *keyTable) getOrPut(key uint64, val int32) (int32, bool) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for i := (key * 0x9E3779B97F4A7C15 >> 32) & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.gen != t.gen {
			*s = keySlot{key: key, val: val, gen: t.gen}
			t.n++
			return val, false
		}
		if s.key == key {
			return s.val, true
		}
	}
}

func (t *keyTable) grow() {
	old, gen := t.slots, t.gen
	t.slots = make([]keySlot, max(256, 2*len(old)))
	t.gen, t.n = 1, 0
	for _, s := range old {
		if s.gen == gen {
			t.getOrPut(s.key, s.val)
		}
	}
}

type termCount struct {
	hash  uint32
	count float32
}

var hashStates sync.Pool

// fnv32a is FNV-1a, 32 bits, as hash/fnv computes it, without allocating.
func fnv32a(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// L2Normalize scales v in place to unit length (a zero vector stays as it
// is) and returns it: what an Embedder promises its vectors are.
func L2Normalize(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return v
	}
	n := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= n
	}
	return v
}

// ForEachTerm calls fn for every matching term of normalised text: Han
// unigrams (unigram=true) and bigrams, and ASCII letter/digit runs (with
// '.' and '%' inside figures) lower-cased.
func ForEachTerm(text string, fn func(term string, unigram bool)) {
	ForEachTermKey(text, func(_ uint64, term string, unigram bool) { fn(term, unigram) })
}

// TermKey packs a Han term (one or two characters) into an integer, so that
// maps of terms hash and compare integers: the character for a unigram, the
// first character shifted 32 bits and the second for a bigram. ASCII terms
// have no key (0), nor has anything ForEachTerm does not make.
func TermKey(term string) uint64 {
	r1, n := utf8.DecodeRuneInString(term)
	if !zh.IsHan(r1) {
		return 0
	}
	if n == len(term) {
		return uint64(r1)
	}
	r2, m := utf8.DecodeRuneInString(term[n:])
	if !zh.IsHan(r2) || n+m != len(term) {
		return 0
	}
	return uint64(r1)<<32 | uint64(r2)
}

// ForEachTermKey is ForEachTerm with each term's TermKey.
func ForEachTermKey(text string, fn func(key uint64, term string, unigram bool)) {
	prev := -1 // start of the previous Han character, -1 when the run broke
	var prevRune rune
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case zh.IsHan(r):
			fn(uint64(r), text[i:i+n], true)
			if prev >= 0 {
				fn(uint64(prevRune)<<32|uint64(r), text[prev:i+n], false) // the two characters are adjacent
			}
			prev, prevRune = i, r
			i += n
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			j := i
			for j < len(text) {
				c := text[j]
				if (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '%' ||
					(c == '.' && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9') {
					j++
					continue
				}
				break
			}
			fn(0, toLowerASCII(text[i:j]), false)
			prev = -1
			i = j
		default:
			prev = -1
			i += n
		}
	}
}

func toLowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Named is implemented by embedders whose name belongs in a snapshot's
// content hash: vectors made by another embedder are not reused.
type Named interface{ Name() string }

// Name returns the embedder's name, or its Go type when it has none.
func Name(e Embedder) string {
	if n, ok := e.(Named); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", e)
}

// embedBatch is how many texts go to the embedder at once. The local
// embedder's batches run over the cores; a remote one's go one at a time.
const embedBatch = 64

// EmbedAll embeds texts in batches: one vector per text, in order.
func EmbedAll(ctx context.Context, e Embedder, texts []string) ([][]float32, error) {
	if _, local := e.(*HashEmbedder); local && len(texts) > embedBatch {
		return embedLocal(ctx, e, texts)
	}
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += embedBatch {
		end := min(start+embedBatch, len(texts))
		v, err := e.Embed(ctx, texts[start:end])
		if err != nil {
			return nil, err
		}
		if len(v) != end-start {
			return nil, fmt.Errorf("embedder returned %d vectors for %d texts", len(v), end-start)
		}
		out = append(out, v...)
	}
	return out, nil
}

func embedLocal(ctx context.Context, e Embedder, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0))
	for w := range errs {
		wg.Go(func() {
			for {
				start := int(next.Add(embedBatch)) - embedBatch
				if start >= len(texts) {
					return
				}
				end := min(start+embedBatch, len(texts))
				v, err := e.Embed(ctx, texts[start:end])
				if err == nil && len(v) != end-start {
					err = fmt.Errorf("embedder returned %d vectors for %d texts", len(v), end-start)
				}
				if err != nil {
					errs[w] = err
					return
				}
				copy(out[start:end], v)
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}
