package rag

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"wenda/rag/zh"

	"wenda/rag/index"
)

// Index holds the chunks of every document, and ranks them for a question
// through package index (vectors and BM25, fused by reciprocal rank). It is
// safe for concurrent use; adds and removes take the write lock.
//
// Every chunk lives in a slot. A removed document's slots are purged from
// both legs and reused by the next adds, lowest first, so that memory
// follows the live documents however often they are replaced, and the
// answers after any churn are those of a fresh start with the same
// documents.
type Index struct {
	mu       sync.RWMutex
	embedder Embedder
	tok      TokenCounter
	legs     *index.Index
	chunks   []Chunk // by slot; a free slot holds the zero Chunk
	free     []int32 // free slots, ascending
	docs     map[string]*indexedDoc
	order    []string   // document IDs in the order they were added
	df       termCounts // number of units holding each term, for Coverage
	units    int
	// countUnit's scratch, under the write lock.
	seenHan   []uint64
	seenASCII []string
}

type indexedDoc struct {
	doc   Document
	slots []int32
	added bool // added at run time (admin API), persisted in the data dir
}

// NewIndex returns an empty index that embeds with embedder and sizes chunks
// with tok.
func NewIndex(embedder Embedder, tok TokenCounter) (*Index, error) {
	return &Index{
		embedder: embedder, tok: tok, legs: index.New(embedder), docs: map[string]*indexedDoc{},
		df: termCounts{han: map[uint64]int{}, ascii: map[string]int{}},
	}, nil
}

// Add splits, embeds and indexes documents. A document whose ID is already
// indexed replaces the old one.
func (ix *Index) Add(ctx context.Context, docs ...Document) error {
	all := splitAll(docs, ix.tok)
	texts := make([]string, len(all))
	for i, c := range all {
		texts[i] = embedText(c)
	}
	vecs, err := index.EmbedAll(ctx, ix.embedder, texts)
	if err != nil {
		return fmt.Errorf("embed chunks: %w", err)
	}
	return ix.addChunks(ctx, docs, all, vecs, false)
}

// embedText is what a chunk's vector is made from: its section and text, so
// a heading such as "学前教育" counts for the paragraphs under it.
func embedText(c Chunk) string { return c.Section + "\n" + c.Norm }

// lexText is what a chunk's BM25 terms are counted on: in the lexicon's
// terms, as questions are searched, so that a passage saying 中职 is found
// for 中等职业教育 and one saying 较去年 for 比上年.
func lexText(c *Chunk) string { return zh.Canonical(c.Section + "\n" + c.Norm) }

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

// forEachPart calls fn on consecutive parts [from, to) of [0, n): one part
// per core at once, or all of it on the caller's goroutine when n is below
// least.
func forEachPart(n, least int, fn func(from, to int)) {
	parts := runtime.GOMAXPROCS(0)
	if n < least || parts < 2 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() { fn(p*n/parts, (p+1)*n/parts) })
	}
	wg.Wait()
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
	if err := ix.addBatch(ctx, docs, chunks, vecs, added); err != nil {
		return err
	}
	if len(chunks) >= 1024 {
		ix.trim()
	}
	return nil
}

// trim gives the index's arrays their exact size after large adds.
func (ix *Index) trim() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if n := len(ix.chunks); cap(ix.chunks)-n > n/8+4 {
		ix.chunks = slices.Clone(ix.chunks)
	}
	ix.legs.Trim()
}

// addBatch is addChunks without the trim: a build adds many batches and
// trims once.
func (ix *Index) addBatch(ctx context.Context, docs []Document, chunks []Chunk, vecs [][]float32, added bool) error {
	if len(vecs) != len(chunks) {
		return fmt.Errorf("%d vectors for %d chunks", len(vecs), len(chunks))
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.legs.CheckVectors(vecs); err != nil {
		return err
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
	if need := len(chunks) - len(ix.free); cap(ix.chunks)-len(ix.chunks) < need {
		// At least double: a build adds batch after batch, and growing by
		// each batch alone would copy every chunk again and again.
		ix.chunks = slices.Grow(ix.chunks, max(need, len(ix.chunks)))
	}
	entries := make([]index.Entry, len(chunks))
	for i, c := range chunks {
		slot := ix.takeSlot()
		ix.chunks[slot] = c
		entries[i] = index.Entry{Slot: slot, ID: c.ID, City: c.City, Vector: vecs[i]}
		if d := ix.docs[c.DocID]; d != nil {
			d.slots = append(d.slots, slot)
		}
	}
	// The texts BM25 counts (the lexicon's rewriting) are the one long
	// step before the legs start: made over the cores.
	forEachPart(len(entries), 256, func(from, to int) {
		for i := from; i < to; i++ {
			entries[i].Text = lexText(&ix.chunks[entries[i].Slot])
		}
	})
	// The units' term counts share nothing with the legs: count them beside.
	done := make(chan struct{})
	go func() {
		for _, c := range chunks {
			for _, u := range c.Units {
				ix.countUnit(u, 1)
			}
		}
		close(done)
	}()
	err := ix.legs.Add(ctx, entries)
	<-done
	return err
}

func (ix *Index) countUnit(u Unit, delta int) {
	// A unit counts once for each term it holds: its terms are listed,
	// sorted, and counted once a run (a set cleared for each unit cost
	// more than the counting).
	han, ascii := ix.seenHan[:0], ix.seenASCII[:0]
	forEachTermKey(zh.Canonical(unitMatchText(u)), func(key uint64, term string, unigram bool) {
		switch {
		case unigram:
		case key != 0:
			han = append(han, key)
		default:
			ascii = append(ascii, term)
		}
	})
	slices.Sort(han)
	for i, key := range han {
		if i == 0 || key != han[i-1] {
			ix.df.add(key, "", delta)
		}
	}
	slices.Sort(ascii)
	for i, term := range ascii {
		if i == 0 || term != ascii[i-1] {
			ix.df.add(0, term, delta)
		}
	}
	clear(ascii) // no slices of the unit's text kept past it
	ix.seenHan, ix.seenASCII = han, ascii[:0]
	ix.units += delta
}

// termCounts counts terms: Han terms by their index.TermKey, ASCII ones by
// text.
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
	entries := make([]index.Entry, len(d.slots))
	for i, slot := range d.slots {
		c := &ix.chunks[slot]
		entries[i] = index.Entry{Slot: slot, ID: c.ID, City: c.City, Text: lexText(c)}
		for _, u := range c.Units {
			ix.countUnit(u, -1)
		}
	}
	if err := ix.legs.Remove(ctx, entries); err != nil {
		return err
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
	return ix.legs.Len()
}

// Scope restricts a search to some cities; the zero Scope searches
// everything.
type Scope struct {
	Cities []string
}

// IsZero reports whether the scope restricts nothing.
func (s Scope) IsZero() bool { return len(s.Cities) == 0 }

// Result is a retrieved chunk with its fused score.
type Result struct {
	Chunk Chunk
	Score float64 // reciprocal-rank fusion of both legs
	Rank  int     // 1-based
}

// Search returns the k best chunks for a normalised query within scope.
func (ix *Index) Search(ctx context.Context, query string, scope Scope, k int) ([]Result, error) {
	// The question is embedded before the lock: a slow remote embedder
	// holds no writer up.
	qv, err := ix.legs.QueryVector(ctx, query)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	hits := ix.legs.Search(qv, query, scope.Cities, k)
	out := make([]Result, len(hits))
	for i, h := range hits {
		out[i] = Result{Chunk: ix.chunks[h.Slot], Score: h.Score, Rank: i + 1}
	}
	return out, nil
}

// idf returns the inverse unit frequency of a bigram; a term no unit holds
// weighs as much as the rarest.
func (ix *Index) idfLocked(term string) float64 {
	df := ix.df.get(index.TermKey(term), term)
	return math.Log(float64(ix.units+1) / float64(df+1))
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
		if t[0] >= 0x80 && ix.df.get(index.TermKey(t), t) == 0 {
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

// stating returns, in slot order, up to k chunks within scope whose text
// holds s (a figure as written: "98.83"): a figure the search ranks no
// chunk for, numbers being no terms, is found by reading the chunks.
func (ix *Index) stating(s string, scope Scope, k int) []Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []Result
	for _, ch := range ix.chunks {
		if len(out) == k {
			break
		}
		if ch.ID == "" || !scope.IsZero() && !slices.Contains(scope.Cities, ch.City) || !strings.Contains(ch.Text, s) {
			continue
		}
		out = append(out, Result{Chunk: ch, Rank: len(out) + 1})
	}
	return out
}

// knownTerm reports whether any unit holds the term.
// termDF is the number of units holding term t.
func (ix *Index) termDF(t string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return int(ix.df.get(index.TermKey(t), t))
}

func (ix *Index) knownTerm(t string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.df.get(index.TermKey(t), t) > 0
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

// rrfK is the fusion's constant: a chunk first in both legs scores
// 2/(rrfK+1).
const rrfK = index.RRFK
