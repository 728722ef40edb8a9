// Package index ranks chunks for a question: the embedders that make their
// vectors, chromem-go collections (the vector store, one per city), a BM25
// index over character n-grams, the exact vector scorer built beside
// chromem-go, and the snapshot file that saves chunks with their vectors.
// It knows chunks only as entries in slots (an ID, a city, a text, a
// vector); what a chunk holds, how documents are split and how answers are
// made belong to package rag.
package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/philippgille/chromem-go"

	"wenda/rag/zh"
)

// Index holds entries in two legs, vectors and BM25, and ranks them by the
// reciprocal rank fusion of both.
//
// Every entry lives in a slot chosen by the caller. The vectors go into
// chromem-go, one collection per city (the design's vector store);
// questions are ranked by the exact scorer built beside it from the same
// vectors, which returns chromem's scores without its per-document scan
// (scorer.go). A removed entry is purged from both legs and its slot may be
// reused at once.
//
// Index is not safe for concurrent use by itself: the caller holds a lock,
// shared for Search, exclusive for Add and Remove.
type Index struct {
	embedder Embedder
	bm25     *bm25
	vectors  *vectorScorer
	ids      []string // by slot: the entry's ID, which breaks fusion's ties
	cityIDs  map[string]uint16
	vecs     []*chromem.Collection // by city id
	db       *chromem.DB
	embed    chromem.EmbeddingFunc
}

// Entry is what the index holds of a chunk.
type Entry struct {
	Slot   int32
	ID     string    // unique among live entries; the lower ID wins a tie
	City   string    // the scope a search may restrict to
	Text   string    // normalised text whose terms BM25 counts
	Vector []float32 // the embedder's vector of the chunk
}

// Hit is a scored slot.
type Hit struct {
	Slot  int
	Score float64
}

// ErrDimension is returned for a vector whose length differs from the
// index's.
var ErrDimension = errors.New("vector dimension differs from the index's")

// New returns an empty index whose questions are embedded by embedder.
func New(embedder Embedder) *Index {
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
		embedder: embedder, bm25: newBM25(), vectors: newVectorScorer(hashed),
		cityIDs: map[string]uint16{}, db: chromem.NewDB(), embed: embed,
	}
}

// Embedder returns the index's embedder.
func (ix *Index) Embedder() Embedder { return ix.embedder }

// Len returns the number of live entries.
func (ix *Index) Len() int { return ix.bm25.Live() }

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

// CheckVectors returns ErrDimension unless every vector has the same length
// as the others and as those already indexed, so that a caller can refuse
// a batch before changing anything.
func (ix *Index) CheckVectors(vecs [][]float32) error {
	for _, v := range vecs {
		if len(v) != len(vecs[0]) || ix.vectors.dim != 0 && len(v) != ix.vectors.dim {
			return ErrDimension
		}
	}
	return nil
}

// Add indexes entries in their slots, which must be free.
func (ix *Index) Add(ctx context.Context, entries []Entry) error {
	vecs := make([][]float32, len(entries))
	for i, e := range entries {
		vecs[i] = e.Vector
	}
	if err := ix.CheckVectors(vecs); err != nil {
		return err
	}
	slots := make([]int32, len(entries))
	cities := make([]uint16, len(entries))
	lex := make([]string, len(entries))
	cdocs := make([][]chromem.Document, len(ix.vecs))
	for i, e := range entries {
		city, err := ix.cityID(e.City)
		if err != nil {
			return err
		}
		if int(city) >= len(cdocs) {
			cdocs = append(cdocs, make([][]chromem.Document, int(city)+1-len(cdocs))...)
		}
		for int(e.Slot) >= len(ix.ids) {
			ix.ids = append(ix.ids, "")
		}
		ix.ids[e.Slot] = e.ID
		slots[i], cities[i], lex[i] = e.Slot, city, e.Text
		// chromem-go keeps a normalised vector as given: handing it the
		// scorer's (normalised) vector makes one copy serve both.
		vecs[i] = chromemVector(e.Vector)
		v := e.Vector
		if chromemNormalised(vecs[i]) {
			v = vecs[i]
		}
		cdocs[city] = append(cdocs[city], chromem.Document{
			ID:        strconv.Itoa(int(e.Slot)),
			Embedding: v,
		})
	}
	// The legs share nothing: fill BM25 on one core, the vectors on another.
	done := make(chan struct{})
	go func() {
		ix.bm25.Insert(slots, cities, lex)
		close(done)
	}()
	err := ix.addVectors(ctx, entries, vecs, slots, cities, cdocs)
	<-done
	return err
}

// addVectors is Add's part beside BM25: the scorer's vectors and
// chromem-go's.
func (ix *Index) addVectors(ctx context.Context, entries []Entry, vecs [][]float32, slots []int32, cities []uint16, cdocs [][]chromem.Document) error {
	for i, e := range entries {
		if err := ix.vectors.add(slots[i], cities[i], vecs[i]); err != nil {
			return fmt.Errorf("chunk %s: %w", e.ID, err)
		}
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

// Trim gives the legs' arrays their exact size. Appending leaves up to half
// of an array unused: call Trim after a large add (a build), once, not
// after each of many small ones.
func (ix *Index) Trim() {
	ix.bm25.trim()
	ix.vectors.trim()
}

// Remove purges entries from both legs: each with its Slot, City and Text
// as added (the text says which postings to purge).
func (ix *Index) Remove(ctx context.Context, entries []Entry) error {
	ids := make([][]string, len(ix.vecs))
	slots := make([]int32, len(entries))
	lex := make([]string, len(entries))
	for i, e := range entries {
		slots[i], lex[i] = e.Slot, e.Text
		city := ix.cityIDs[e.City]
		ids[city] = append(ids[city], strconv.Itoa(int(e.Slot)))
		ix.vectors.remove(e.Slot)
	}
	ix.bm25.Delete(slots, lex)
	for city, list := range ids {
		if len(list) == 0 {
			continue
		}
		if err := ix.vecs[city].Delete(ctx, nil, nil, list...); err != nil {
			return fmt.Errorf("delete vectors: %w", err)
		}
	}
	for _, s := range slots {
		ix.ids[s] = ""
	}
	// Free slots at the end are given back.
	n := len(ix.ids)
	for n > 0 && ix.ids[n-1] == "" {
		n--
	}
	ix.ids = ix.ids[:n]
	if len(ix.ids) < cap(ix.ids)/4 && cap(ix.ids) > 1024 {
		ix.ids = slices.Clone(ix.ids)
	}
	return nil
}

// allowed turns cities into a mask by city id: nil for none (everything);
// cities the index lacks allow nothing.
func (ix *Index) allowed(cities []string) []bool {
	if len(cities) == 0 {
		return nil
	}
	mask := make([]bool, len(ix.vecs))
	for _, city := range cities {
		if id, ok := ix.cityIDs[city]; ok {
			mask[id] = true
		}
	}
	return mask
}

// queryEmbedTimeout bounds embedding a question: past it the search goes
// on with BM25 alone.
const queryEmbedTimeout = 3 * time.Second

// QueryVector embeds a normalised question for Search. A remote embedder
// that fails or hangs on the question costs the vector leg, not the answer:
// it returns nil and BM25 alone still ranks. Only a caller who went away is
// an error. It needs no lock.
func (ix *Index) QueryVector(ctx context.Context, query string) ([]float32, error) {
	qctx, cancel := context.WithTimeout(ctx, queryEmbedTimeout)
	qv, err := ix.embedder.Embed(qctx, []string{query})
	cancel()
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		return nil, fmt.Errorf("embed question: %w", ctx.Err())
	}
	// A question with no term has a zero vector: no direction to rank by.
	if err != nil || len(qv) != 1 || !nonZero(qv[0]) {
		return nil, nil
	}
	return qv[0], nil
}

// legDepth is how deep each leg is read before fusion; RRFK is the usual
// reciprocal rank fusion constant, which keeps one leg's first place from
// drowning the other's list.
const (
	legDepth = 20
	RRFK     = 60
)

// parallelLegs is the number of entries past which the two legs of a
// search run on two goroutines; below it, a goroutine costs more than it
// saves.
const parallelLegs = 4096

// Search returns the k best slots for a normalised query, whose vector is
// qv (nil: BM25 alone), among the entries of cities (none: all), best
// first. Score is the reciprocal rank fusion of both legs; ties go to the
// lower ID.
func (ix *Index) Search(qv []float32, query string, cities []string, k int) []Hit {
	allowed := ix.allowed(cities)
	var vec, lex []Hit
	if qv != nil && ix.bm25.Live() >= parallelLegs {
		done := make(chan struct{})
		go func() {
			lex = ix.bm25.Search(query, legDepth, allowed)
			close(done)
		}()
		vec = ix.vectors.search(qv, allowed, legDepth)
		<-done
	} else {
		if qv != nil {
			vec = ix.vectors.search(qv, allowed, legDepth)
		}
		lex = ix.bm25.Search(query, legDepth, allowed)
	}
	// Fuse: at most 2·legDepth slots, found by a linear look-up, sorted as
	// small records.
	var buf [2 * legDepth]Hit
	all := buf[:0]
	for rank, h := range vec {
		all = append(all, Hit{h.Slot, 1 / float64(RRFK+rank+1)})
	}
	for rank, h := range lex {
		i := slices.IndexFunc(all, func(f Hit) bool { return f.Slot == h.Slot })
		if i < 0 {
			all = append(all, Hit{h.Slot, 0})
			i = len(all) - 1
		}
		all[i].Score += 1 / float64(RRFK+rank+1)
	}
	slices.SortFunc(all, func(a, b Hit) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return strings.Compare(ix.ids[a.Slot], ix.ids[b.Slot])
	})
	return slices.Clone(all[:max(0, min(k, len(all)))])
}

func nonZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return true
		}
	}
	return false
}
