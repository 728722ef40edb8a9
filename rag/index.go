package rag

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/philippgille/chromem-go"

	"wenda/rag/zh"
)

// Index holds the chunks of every document in two legs: vectors and a BM25
// index over character n-grams. Search fuses them by reciprocal rank. It is
// safe for concurrent use; adds and removes take the write lock.
//
// Every chunk lives in a slot. The vectors go into chromem-go, one
// collection per city (the design's vector store); questions are ranked by
// the exact scorer built beside it from the same vectors, which returns
// chromem's scores without its per-document scan (scorer.go). A removed
// document's slots are purged from both legs and reused by the next adds,
// lowest first, so that memory follows the live documents however often
// they are replaced, and the answers after any churn are those of a fresh
// start with the same documents.
type Index struct {
	mu       sync.RWMutex
	embedder Embedder
	tok      TokenCounter
	chunks   []Chunk // by slot; a free slot holds the zero Chunk
	free     []int32 // free slots, ascending
	docs     map[string]*indexedDoc
	order    []string // document IDs in the order they were added
	bm25     *BM25
	vectors  *vectorScorer
	cityIDs  map[string]uint16
	vecs     []*chromem.Collection // by city id
	db       *chromem.DB
	embed    chromem.EmbeddingFunc
	df       termCounts // number of units holding each term, for Coverage
	units    int
	seen     termSet // countUnit's scratch, under the write lock
}

type indexedDoc struct {
	doc   Document
	slots []int32
	added bool // added at run time (admin API), persisted in the data dir
}

var errDimension = errors.New("vector dimension differs from the index's")

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
	// Hashed questions touch a few buckets: score them bucket by bucket.
	// Other embedders give dense vectors: scan them row by row.
	_, hashed := embedder.(*HashEmbedder)
	return &Index{
		embedder: embedder, tok: tok, docs: map[string]*indexedDoc{},
		bm25: NewBM25(), vectors: newVectorScorer(hashed), cityIDs: map[string]uint16{},
		db: chromem.NewDB(), embed: embed, df: termCounts{han: map[uint64]int{}, ascii: map[string]int{}},
	}, nil
}

// cityID returns the city's id, creating it with its collection.
func (ix *Index) cityID(city string) (uint16, error) {
	if id, ok := ix.cityIDs[city]; ok {
		return id, nil
	}
	if len(ix.vecs) > 0xFFFF {
		return 0, errors.New("too many cities")
	}
	c, err := ix.db.CreateCollection(fmt.Sprintf("city-%d", len(ix.vecs)), nil, ix.embed)
	if err != nil {
		return 0, fmt.Errorf("create collection: %w", err)
	}
	id := uint16(len(ix.vecs))
	ix.vecs = append(ix.vecs, c)
	ix.cityIDs[city] = id
	return id, nil
}

// Add splits, embeds and indexes documents. A document whose ID is already
// indexed replaces the old one.
func (ix *Index) Add(ctx context.Context, docs ...Document) error {
	all := splitAll(docs, ix.tok)
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

// lexText is what a chunk's BM25 terms are counted on.
func lexText(c *Chunk) string { return c.Section + "\n" + c.Norm }

// splitAll splits documents over the cores; chunks come in document order.
func splitAll(docs []Document, tok TokenCounter) []Chunk {
	per := make([][]Chunk, len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(docs)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(docs); i = int(next.Add(1)) - 1 {
				per[i] = Split(docs[i], tok)
			}
		})
	}
	wg.Wait()
	n := 0
	for _, cs := range per {
		n += len(cs)
	}
	all := make([]Chunk, 0, n)
	for _, cs := range per {
		all = append(all, cs...)
	}
	return all
}

// embedBatch is how many texts go to the embedder at once. The local
// embedder's batches run over the cores; a remote one's go one at a time.
const embedBatch = 64

func embedBatched(ctx context.Context, e Embedder, texts []string) ([][]float32, error) {
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

// takeSlot returns the lowest free slot, or a new one.
func (ix *Index) takeSlot() int32 {
	if len(ix.free) > 0 {
		s := ix.free[0]
		ix.free = ix.free[1:]
		return s
	}
	ix.chunks = append(ix.chunks, Chunk{})
	return int32(len(ix.chunks) - 1)
}

// addChunks indexes chunks with their vectors. added marks documents added
// at run time.
func (ix *Index) addChunks(ctx context.Context, docs []Document, chunks []Chunk, vecs [][]float32, added bool) error {
	if len(vecs) != len(chunks) {
		return fmt.Errorf("%d vectors for %d chunks", len(vecs), len(chunks))
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, v := range vecs {
		if len(v) != len(vecs[0]) || ix.vectors.dim != 0 && len(v) != ix.vectors.dim {
			return errDimension
		}
	}
	for _, d := range docs {
		if _, ok := ix.docs[d.ID]; ok {
			if err := ix.removeLocked(ctx, d.ID); err != nil {
				return err
			}
		}
		ix.docs[d.ID] = &indexedDoc{doc: d, added: added}
		ix.order = append(ix.order, d.ID)
	}
	if cap(ix.chunks)-len(ix.chunks) < len(chunks)-len(ix.free) {
		ix.chunks = slices.Grow(ix.chunks, len(chunks)-len(ix.free))
	}
	slots := make([]int32, len(chunks))
	cities := make([]uint16, len(chunks))
	lex := make([]string, len(chunks))
	cdocs := make([][]chromem.Document, len(ix.vecs))
	for i, c := range chunks {
		city, err := ix.cityID(c.City)
		if err != nil {
			return err
		}
		if int(city) >= len(cdocs) {
			cdocs = append(cdocs, make([][]chromem.Document, int(city)+1-len(cdocs))...)
		}
		slot := ix.takeSlot()
		ix.chunks[slot] = c
		slots[i], cities[i], lex[i] = slot, city, lexText(&ix.chunks[slot])
		if d := ix.docs[c.DocID]; d != nil {
			d.slots = append(d.slots, slot)
		}
		cdocs[city] = append(cdocs[city], chromem.Document{
			ID:        strconv.Itoa(int(slot)),
			Embedding: vecs[i],
		})
	}
	// The legs share nothing: fill BM25 on one core, the vectors and the
	// coverage counts on another.
	done := make(chan struct{})
	go func() {
		ix.bm25.Insert(slots, cities, lex)
		close(done)
	}()
	err := ix.addVectors(ctx, chunks, vecs, slots, cities, cdocs)
	<-done
	return err
}

// addVectors is addChunks' part beside BM25: the scorer's vectors,
// chromem-go's and the units' term counts.
func (ix *Index) addVectors(ctx context.Context, chunks []Chunk, vecs [][]float32, slots []int32, cities []uint16, cdocs [][]chromem.Document) error {
	for i, c := range chunks {
		if err := ix.vectors.add(slots[i], cities[i], vecs[i]); err != nil {
			return fmt.Errorf("chunk %s: %w", c.ID, err)
		}
		for _, u := range c.Units {
			ix.countUnit(u, 1)
		}
	}
	if len(chunks) >= 1024 {
		ix.vectors.trim()
	}
	for city, docs := range cdocs {
		if len(docs) == 0 {
			continue
		}
		if err := ix.vecs[city].AddDocuments(ctx, docs, 2); err != nil {
			return fmt.Errorf("add vectors: %w", err)
		}
	}
	return nil
}

func (ix *Index) countUnit(u Unit, delta int) {
	if ix.seen.han == nil {
		ix.seen = termSet{han: map[uint64]bool{}, ascii: map[string]bool{}}
	}
	clear(ix.seen.han)
	clear(ix.seen.ascii)
	forEachTermKey(unitMatchText(u), func(key uint64, term string, unigram bool) {
		if !unigram && ix.seen.add(key, term) {
			ix.df.add(key, term, delta)
		}
	})
	ix.units += delta
}

// termCounts counts terms: Han terms by their termKey, ASCII ones by text.
type termCounts struct {
	han   map[uint64]int
	ascii map[string]int
}

func (c termCounts) get(key uint64, term string) int {
	if key != 0 {
		return c.han[key]
	}
	return c.ascii[term]
}

// add adds delta to a term's count; a count back to zero is dropped, so
// that the map follows the live units.
func (c termCounts) add(key uint64, term string, delta int) {
	if key != 0 {
		if n := c.han[key] + delta; n == 0 {
			delete(c.han, key)
		} else {
			c.han[key] = n
		}
		return
	}
	n, ok := c.ascii[term]
	if !ok {
		term = strings.Clone(term) // not a slice pinning the unit's text
	}
	if n += delta; n == 0 {
		delete(c.ascii, term)
	} else {
		c.ascii[term] = n
	}
}

// termSet is a set of terms, keyed as termCounts.
type termSet struct {
	han   map[uint64]bool
	ascii map[string]bool
}

// add adds a term and reports whether it was new.
func (s termSet) add(key uint64, term string) bool {
	if key != 0 {
		if s.han[key] {
			return false
		}
		s.han[key] = true
		return true
	}
	if s.ascii[term] {
		return false
	}
	s.ascii[term] = true
	return true
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

// removeLocked purges a document from both legs and frees its slots.
func (ix *Index) removeLocked(ctx context.Context, id string) error {
	d := ix.docs[id]
	ids := make([][]string, len(ix.vecs))
	lex := make([]string, len(d.slots))
	for i, slot := range d.slots {
		c := &ix.chunks[slot]
		lex[i] = lexText(c)
		for _, u := range c.Units {
			ix.countUnit(u, -1)
		}
		city := ix.cityIDs[c.City]
		ids[city] = append(ids[city], strconv.Itoa(int(slot)))
		ix.vectors.remove(slot)
	}
	ix.bm25.Delete(d.slots, lex)
	for city, list := range ids {
		if len(list) == 0 {
			continue
		}
		if err := ix.vecs[city].Delete(ctx, nil, nil, list...); err != nil {
			return fmt.Errorf("delete vectors: %w", err)
		}
	}
	for _, slot := range d.slots {
		ix.chunks[slot] = Chunk{}
	}
	ix.free = append(ix.free, d.slots...)
	slices.Sort(ix.free)
	// Free slots at the end are given back, so that a corpus that shrinks
	// holds no more slots than it has chunks.
	for len(ix.free) > 0 && int(ix.free[len(ix.free)-1]) == len(ix.chunks)-1 {
		ix.free = ix.free[:len(ix.free)-1]
		ix.chunks = ix.chunks[:len(ix.chunks)-1]
	}
	if len(ix.chunks) < cap(ix.chunks)/4 && cap(ix.chunks) > 1024 {
		ix.chunks = slices.Clone(ix.chunks)
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
	return ix.bm25.Live()
}

// Scope restricts a search to some cities; the zero Scope searches
// everything.
type Scope struct {
	Cities []string
}

// IsZero reports whether the scope restricts nothing.
func (s Scope) IsZero() bool { return len(s.Cities) == 0 }

// allowedLocked turns a scope into a mask by city id: nil for the zero
// scope; a scope naming only cities the index lacks allows nothing.
func (ix *Index) allowedLocked(s Scope) []bool {
	if s.IsZero() {
		return nil
	}
	mask := make([]bool, len(ix.vecs))
	for _, city := range s.Cities {
		if id, ok := ix.cityIDs[city]; ok {
			mask[id] = true
		}
	}
	return mask
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

// parallelLegs is the number of chunks past which the two legs of a search
// run on two goroutines; below it, a goroutine costs more than it saves.
const parallelLegs = 4096

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
	// A question with no term has a zero vector: no direction to rank by.
	vectorLeg := err == nil && len(qv) == 1 && nonZero(qv[0])
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	allowed := ix.allowedLocked(scope)
	var vec, lex []Hit
	if vectorLeg && ix.bm25.Live() >= parallelLegs {
		done := make(chan struct{})
		go func() {
			lex = ix.bm25.Search(query, legDepth, allowed)
			close(done)
		}()
		vec = ix.vectors.search(qv[0], allowed, legDepth)
		<-done
	} else {
		if vectorLeg {
			vec = ix.vectors.search(qv[0], allowed, legDepth)
		}
		lex = ix.bm25.Search(query, legDepth, allowed)
	}
	// Fuse: at most 2·legDepth slots, found by a linear look-up, sorted as
	// small records; only the k kept copy their chunk.
	type fused struct {
		slot  int32
		score float64
	}
	var buf [2 * legDepth]fused
	all := buf[:0]
	for rank, h := range vec {
		all = append(all, fused{int32(h.Slot), 1 / float64(rrfK+rank+1)})
	}
	for rank, h := range lex {
		i := slices.IndexFunc(all, func(f fused) bool { return f.slot == int32(h.Slot) })
		if i < 0 {
			all = append(all, fused{int32(h.Slot), 0})
			i = len(all) - 1
		}
		all[i].score += 1 / float64(rrfK+rank+1)
	}
	slices.SortFunc(all, func(a, b fused) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return strings.Compare(ix.chunks[a.slot].ID, ix.chunks[b.slot].ID)
	})
	out := make([]Result, max(0, min(k, len(all))))
	for i := range out {
		out[i] = Result{Chunk: ix.chunks[all[i].slot], Score: all[i].score, Rank: i + 1}
	}
	return out, nil
}

func nonZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return true
		}
	}
	return false
}

// idf returns the inverse unit frequency of a bigram; a term no unit holds
// weighs as much as the rarest.
func (ix *Index) idfLocked(term string) float64 {
	df := ix.df.get(termKey(term), term)
	return logf(float64(ix.units+1) / float64(df+1))
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
		if t[0] >= 0x80 && ix.df.get(termKey(t), t) == 0 {
			out[i] = 1
			continue
		}
		out[i] = ix.idfLocked(t)
	}
	return out
}

// following returns the chunk that follows ch in its document, ok false
// when ch is its document's last or is no longer indexed.
func (ix *Index) following(ch Chunk) (Chunk, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	d := ix.docs[ch.DocID]
	if d == nil {
		return Chunk{}, false
	}
	for i, slot := range d.slots {
		if ix.chunks[slot].ID == ch.ID && i+1 < len(d.slots) {
			return ix.chunks[d.slots[i+1]], true
		}
	}
	return Chunk{}, false
}

// knownTerm reports whether any unit holds the term.
func (ix *Index) knownTerm(t string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.df.get(termKey(t), t) > 0
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
