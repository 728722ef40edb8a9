package rag

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/philippgille/chromem-go"

	"wenda/rag/zh"
)

// Index holds the chunks of every document in two legs: vectors in a
// chromem-go collection and a BM25 index over character n-grams. Search
// fuses them by reciprocal rank. It is safe for concurrent use; adds and
// removes take the write lock.
type Index struct {
	mu       sync.RWMutex
	embedder Embedder
	tok      TokenCounter
	chunks   []Chunk // by slot; a removed slot keeps an empty DocID
	docs     map[string]*indexedDoc
	order    []string // document IDs in the order they were added
	bm25     *BM25
	// vecs holds one chromem-go collection per city. Most questions name a
	// city, and chromem scans every vector of a collection (filters
	// included): a collection per city makes a scoped question scan only
	// its city's vectors.
	vecs  map[string]*chromem.Collection
	db    *chromem.DB
	embed chromem.EmbeddingFunc
	df    map[string]int // number of units holding each term, for Coverage
	units int
}

type indexedDoc struct {
	doc   Document
	slots []int
	added bool // added at run time (admin API), persisted in the data dir
}

// NewIndex returns an empty index that embeds with embedder and sizes chunks
// with tok.
func NewIndex(embedder Embedder, tok TokenCounter) (*Index, error) {
	// chromem-go calls OpenAI when a collection has no embedding func: give
	// it ours, although every vector is passed in precomputed.
	embed := func(ctx context.Context, text string) ([]float32, error) {
		v, err := embedder.Embed(ctx, []string{zh.Normalize(text)})
		if err != nil {
			return nil, err
		}
		return v[0], nil
	}
	return &Index{
		embedder: embedder, tok: tok, docs: map[string]*indexedDoc{},
		bm25: NewBM25(), vecs: map[string]*chromem.Collection{}, db: chromem.NewDB(), embed: embed, df: map[string]int{},
	}, nil
}

// collection returns the city's collection, creating it.
func (ix *Index) collection(city string) (*chromem.Collection, error) {
	if c, ok := ix.vecs[city]; ok {
		return c, nil
	}
	c, err := ix.db.CreateCollection(fmt.Sprintf("city-%d", len(ix.vecs)), nil, ix.embed)
	if err != nil {
		return nil, fmt.Errorf("create collection: %w", err)
	}
	ix.vecs[city] = c
	return c, nil
}

// Add splits, embeds and indexes documents. A document whose ID is already
// indexed replaces the old one.
func (ix *Index) Add(ctx context.Context, docs ...Document) error {
	var all []Chunk
	for _, d := range docs {
		all = append(all, Split(d, ix.tok)...)
	}
	texts := make([]string, len(all))
	for i, c := range all {
		texts[i] = embedText(c)
	}
	vecs, err := embedBatched(ctx, ix.embedder, texts)
	if err != nil {
		return fmt.Errorf("embed chunks: %w", err)
	}
	return ix.addChunks(ctx, docs, all, vecs, false)
}

// embedText is what a chunk's vector is made from: its section and text, so
// a heading such as "学前教育" counts for the paragraphs under it.
func embedText(c Chunk) string { return c.Section + "\n" + c.Norm }

const embedBatch = 64

func embedBatched(ctx context.Context, e Embedder, texts []string) ([][]float32, error) {
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

// addChunks indexes chunks with their vectors. added marks documents added
// at run time.
func (ix *Index) addChunks(ctx context.Context, docs []Document, chunks []Chunk, vecs [][]float32, added bool) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, d := range docs {
		if _, ok := ix.docs[d.ID]; ok {
			if err := ix.removeLocked(ctx, d.ID); err != nil {
				return err
			}
		}
		ix.docs[d.ID] = &indexedDoc{doc: d, added: added}
		ix.order = append(ix.order, d.ID)
	}
	cdocs := map[string][]chromem.Document{}
	for i, c := range chunks {
		slot := ix.bm25.Add(c.Section + "\n" + c.Norm)
		if slot != len(ix.chunks) {
			return errors.New("index slots out of step")
		}
		ix.chunks = append(ix.chunks, c)
		if d := ix.docs[c.DocID]; d != nil {
			d.slots = append(d.slots, slot)
		}
		for _, u := range c.Units {
			ix.countUnit(u, 1)
		}
		cdocs[c.City] = append(cdocs[c.City], chromem.Document{
			ID:        strconv.Itoa(slot),
			Metadata:  map[string]string{"doc": c.DocID},
			Embedding: vecs[i],
		})
	}
	for city, docs := range cdocs {
		col, err := ix.collection(city)
		if err != nil {
			return err
		}
		if err := col.AddDocuments(ctx, docs, 2); err != nil {
			return fmt.Errorf("add vectors: %w", err)
		}
	}
	return nil
}

func (ix *Index) countUnit(u Unit, delta int) {
	seen := map[string]bool{}
	forEachTerm(unitMatchText(u), func(term string, unigram bool) {
		if !unigram && !seen[term] {
			seen[term] = true
			ix.df[term] += delta
		}
	})
	ix.units += delta
}

// Remove drops a document and its chunks.
func (ix *Index) Remove(ctx context.Context, id string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, ok := ix.docs[id]; !ok {
		return ErrDocumentNotFound
	}
	return ix.removeLocked(ctx, id)
}

func (ix *Index) removeLocked(ctx context.Context, id string) error {
	d := ix.docs[id]
	ids := map[string][]string{}
	for _, slot := range d.slots {
		ix.bm25.Remove(slot)
		for _, u := range ix.chunks[slot].Units {
			ix.countUnit(u, -1)
		}
		city := ix.chunks[slot].City
		ids[city] = append(ids[city], strconv.Itoa(slot))
		ix.chunks[slot] = Chunk{}
	}
	for city, list := range ids {
		if err := ix.vecs[city].Delete(ctx, nil, nil, list...); err != nil {
			return fmt.Errorf("delete vectors: %w", err)
		}
	}
	delete(ix.docs, id)
	for i, o := range ix.order {
		if o == id {
			ix.order = append(ix.order[:i], ix.order[i+1:]...)
			break
		}
	}
	return nil
}

// Documents returns the indexed documents in the order they were added.
func (ix *Index) Documents() []Document {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]Document, 0, len(ix.order))
	for _, id := range ix.order {
		out = append(out, ix.docs[id].doc)
	}
	return out
}

// ChunkCount returns the number of live chunks.
func (ix *Index) ChunkCount() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := 0
	for _, c := range ix.vecs {
		n += c.Count()
	}
	return n
}

// Scope restricts a search to some cities; the zero Scope searches
// everything.
type Scope struct {
	Cities []string
}

// IsZero reports whether the scope restricts nothing.
func (s Scope) IsZero() bool { return len(s.Cities) == 0 }

func (s Scope) keeps(c *Chunk) bool {
	if c.DocID == "" {
		return false
	}
	if len(s.Cities) == 0 {
		return true
	}
	for _, city := range s.Cities {
		if c.City == city {
			return true
		}
	}
	return false
}

// Result is a retrieved chunk with its fused score.
type Result struct {
	Chunk Chunk
	Score float64 // reciprocal-rank fusion of both legs
	Rank  int     // 1-based
}

// queryEmbedTimeout bounds embedding a question: past it the search goes
// on with BM25 alone.
const queryEmbedTimeout = 3 * time.Second

// legDepth is how deep each leg is read before fusion; rrfK is the usual
// reciprocal rank fusion constant, which keeps one leg's first place from
// drowning the other's list.
const (
	legDepth = 20
	rrfK     = 60
)

// Search returns the k best chunks for a normalised query within scope.
func (ix *Index) Search(ctx context.Context, query string, scope Scope, k int) ([]Result, error) {
	// A remote embedder that fails or hangs on the question costs the
	// vector leg, not the answer: BM25 alone still ranks. Only a caller who
	// went away stops the search.
	qctx, cancel := context.WithTimeout(ctx, queryEmbedTimeout)
	qv, err := ix.embedder.Embed(qctx, []string{query})
	cancel()
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		return nil, fmt.Errorf("embed question: %w", ctx.Err())
	}
	vectorLeg := err == nil && len(qv) == 1 && len(qv[0]) > 0
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	fused := map[int]float64{}
	if vectorLeg {
		hits, err := ix.nearest(ctx, qv[0], scope)
		if err != nil {
			return nil, err
		}
		for rank, h := range hits {
			fused[h.Slot] += 1 / float64(rrfK+rank+1)
		}
	}
	keep := func(slot int) bool { return scope.keeps(&ix.chunks[slot]) }
	for rank, h := range ix.bm25.Search(query, legDepth, keep) {
		fused[h.Slot] += 1 / float64(rrfK+rank+1)
	}
	out := make([]Result, 0, len(fused))
	for slot, score := range fused {
		if ix.chunks[slot].DocID == "" {
			continue
		}
		out = append(out, Result{Chunk: ix.chunks[slot], Score: score})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Score != out[b].Score {
			return out[a].Score > out[b].Score
		}
		return out[a].Chunk.ID < out[b].Chunk.ID
	})
	if len(out) > k {
		out = out[:k]
	}
	for i := range out {
		out[i].Rank = i + 1
	}
	return out, nil
}

// idf returns the inverse unit frequency of a bigram; a term no unit holds
// weighs as much as the rarest.
func (ix *Index) idfLocked(term string) float64 {
	df := ix.df[term]
	return logf(float64(ix.units+1) / float64(df+1))
}

// nearest returns the legDepth chunks nearest to v among the scope's
// cities, best first. chromem returns equal similarities in random order:
// ties go to the lower slot, so that answers are stable.
func (ix *Index) nearest(ctx context.Context, v []float32, scope Scope) ([]Hit, error) {
	cols := make([]*chromem.Collection, 0, len(ix.vecs))
	if scope.IsZero() {
		for _, c := range ix.vecs {
			cols = append(cols, c)
		}
	} else {
		for _, city := range scope.Cities {
			if c, ok := ix.vecs[city]; ok {
				cols = append(cols, c)
			}
		}
	}
	top := newTopK(legDepth)
	for _, col := range cols {
		n := min(legDepth, col.Count())
		if n == 0 {
			continue
		}
		res, err := col.QueryEmbedding(ctx, v, n, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("query vectors: %w", err)
		}
		for _, r := range res {
			slot, _ := strconv.Atoi(r.ID)
			top.push(Hit{Slot: slot, Score: float64(r.Similarity)})
		}
	}
	return top.sorted(), nil
}

// idfs returns the weight of each term among all units. A Han bigram that no
// unit holds is most often two words run together in a colloquial question
// ("给教育花了钱" gives 育花): it weighs as little as the commonest word, so it
// neither blocks an answer nor makes one. An ASCII term no unit holds
// ("GDP") is a name the documents lack and weighs as the rarest.
func (ix *Index) idfs(terms []string) []float64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]float64, len(terms))
	for i, t := range terms {
		if ix.df[t] == 0 && t[0] >= 0x80 {
			out[i] = 1
			continue
		}
		out[i] = ix.idfLocked(t)
	}
	return out
}

// unitMatchText is what a unit's terms are counted on.
func unitMatchText(u Unit) string {
	if u.Cells != nil {
		var cols []string
		for _, c := range u.Cells {
			cols = append(cols, c.Column)
		}
		return u.Key + " " + u.Head + " " + strings.Join(cols, " ")
	}
	return u.Text
}

// Cities returns the cities of the indexed documents, in the order first seen.
func (ix *Index) Cities() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []string
	for _, id := range ix.order {
		out = appendUnique(out, ix.docs[id].doc.City)
	}
	return out
}
